//! Lifecycle tests of the compute families (catalogs and account, instances, snapshots), on the
//! deterministic clock: create -> use -> delete, checking both sides of every relationship and the
//! operations each call leaves behind.

mod common;

use common::*;
use lightsail_emulator::Config;
use serde_json::{json, Value};

/// A successful call's JSON answer.
fn ok(port: u16, operation: &str, body: Value) -> Value {
    let response = call(port, operation, &body.to_string());
    assert_eq!(
        response.status,
        200,
        "{operation} {body}: {}",
        response.text()
    );
    response.json()
}

/// A refused call's `(error code, message)`.
fn refused(port: u16, operation: &str, body: Value) -> (String, String) {
    let response = call(port, operation, &body.to_string());
    assert_eq!(
        response.status,
        400,
        "{operation} {body}: {}",
        response.text()
    );
    (response.error_code(), response.message())
}

fn advance(port: u16, seconds: u64) {
    let response = admin(
        port,
        "POST",
        "/_emulator/clock",
        &json!({ "advance": seconds }).to_string(),
    );
    assert_eq!(response.status, 200, "{}", response.text());
}

fn instance(port: u16, name: &str) -> Value {
    ok(port, "GetInstance", json!({ "instanceName": name }))["instance"].clone()
}

fn operation(port: u16, id: &Value) -> Value {
    ok(port, "GetOperation", json!({ "operationId": id }))["operation"].clone()
}

fn emulator_with_delays() -> lightsail_emulator::Handle {
    let mut config = Config {
        deterministic: true,
        ..Config::default()
    };
    config.delays.by_key.insert("Instance".to_string(), 30.0);
    config
        .delays
        .by_key
        .insert("InstanceSnapshot".to_string(), 30.0);
    config
        .delays
        .by_key
        .insert("ExportSnapshotRecord".to_string(), 30.0);
    config
        .delays
        .by_key
        .insert("CloudFormationStackRecord".to_string(), 30.0);
    start(config)
}

#[test]
fn an_instance_lives_pending_running_stopped_running_deleted() {
    let emulator = emulator_with_delays();
    let port = emulator.port();
    let created = ok(
        port,
        "CreateInstances",
        json!({"instanceNames": ["Web-1", "Web-2"], "availabilityZone": "us-west-2b",
               "blueprintId": "wordpress", "bundleId": "nano_3_0",
               "tags": [{"key": "team", "value": "web"}]}),
    );
    let operations = created["operations"].as_array().unwrap();
    assert_eq!(operations.len(), 2);
    assert_eq!(operations[0]["operationType"], "CreateInstance");
    assert_eq!(operations[0]["status"], "Started");
    assert_eq!(operations[1]["resourceName"], "Web-2");

    let web = instance(port, "Web-1");
    assert_eq!(web["state"], json!({"code": 0, "name": "pending"}));
    assert_eq!(web["location"]["availabilityZone"], "us-west-2b");
    assert_eq!(web["hardware"]["ramSizeInGb"], 0.5);
    assert_eq!(web["hardware"]["disks"][0]["sizeInGb"], 20);
    assert_eq!(web["hardware"]["disks"][0]["iops"], 100);
    assert_eq!(web["ipAddressType"], "dualstack");
    assert_eq!(web["ipv6Addresses"].as_array().unwrap().len(), 1);
    assert_eq!(web["tags"], json!([{"key": "team", "value": "web"}]));
    let ports: Vec<&Value> = web["networking"]["ports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["fromPort"])
        .collect();
    assert_eq!(ports, [&json!(80), &json!(22), &json!(443)]);
    // Names are unique per type and region.
    let (code, message) = refused(
        port,
        "CreateInstances",
        json!({"instanceNames": ["Web-2", "Web-3"], "availabilityZone": "us-west-2a",
               "blueprintId": "wordpress", "bundleId": "nano_3_0"}),
    );
    assert_eq!(code, "InvalidInputException");
    assert_eq!(message, "Some names are already in use: Web-2");
    // Not running yet: no access details, no stop.
    assert_eq!(
        refused(port, "StopInstance", json!({"instanceName": "Web-1"})).0,
        "OperationFailureException"
    );

    advance(port, 30);
    assert_eq!(instance(port, "Web-1")["state"]["name"], "running");
    assert_eq!(operation(port, &operations[0]["id"])["status"], "Succeeded");
    let ip_before = instance(port, "Web-1")["publicIpAddress"].clone();
    assert!(ip_before.as_str().unwrap().starts_with("198.18."));

    let stopped = ok(port, "StopInstance", json!({"instanceName": "Web-1"}));
    let stop_op = &stopped["operations"][0];
    assert_eq!(stop_op["operationType"], "StopInstance");
    let web = instance(port, "Web-1");
    assert_eq!(web["state"], json!({"code": 64, "name": "stopping"}));
    assert!(web.get("publicIpAddress").is_none());
    advance(port, 30);
    assert_eq!(
        ok(port, "GetInstanceState", json!({"instanceName": "Web-1"}))["state"],
        json!({"code": 80, "name": "stopped"})
    );
    assert_eq!(operation(port, &stop_op["id"])["isTerminal"], true);
    assert_eq!(
        refused(port, "RebootInstance", json!({"instanceName": "Web-1"})).0,
        "OperationFailureException"
    );

    ok(port, "StartInstance", json!({"instanceName": "Web-1"}));
    assert_eq!(instance(port, "Web-1")["state"]["name"], "pending");
    advance(port, 30);
    let web = instance(port, "Web-1");
    assert_eq!(web["state"]["name"], "running");
    assert_ne!(
        web["publicIpAddress"], ip_before,
        "a start assigns a new address"
    );
    let rebooted = ok(port, "RebootInstance", json!({"instanceName": "Web-1"}));
    assert_eq!(rebooted["operations"][0]["status"], "Succeeded");

    // The firewall.
    ok(
        port,
        "OpenInstancePublicPorts",
        json!({"instanceName": "Web-1", "portInfo": {"fromPort": 3306, "toPort": 3306, "protocol": "tcp", "cidrs": ["192.0.2.10/32"]}}),
    );
    let closed = ok(
        port,
        "CloseInstancePublicPorts",
        json!({"instanceName": "Web-1", "portInfo": {"fromPort": 22, "toPort": 22, "protocol": "tcp"}}),
    );
    assert_eq!(closed["operation"]["operationDetails"], "22/tcp");
    let states = ok(
        port,
        "GetInstancePortStates",
        json!({"instanceName": "Web-1"}),
    );
    let open: Vec<(i64, Value)> = states["portStates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["fromPort"].as_i64().unwrap(), p["cidrs"].clone()))
        .collect();
    assert_eq!(
        open,
        [
            (80, json!(["0.0.0.0/0"])),
            (443, json!(["0.0.0.0/0"])),
            (3306, json!(["192.0.2.10/32"]))
        ]
    );

    // Access details: a fresh key each time, the same host keys.
    let first = ok(
        port,
        "GetInstanceAccessDetails",
        json!({"instanceName": "Web-1"}),
    )["accessDetails"]
        .clone();
    let second = ok(
        port,
        "GetInstanceAccessDetails",
        json!({"instanceName": "Web-1"}),
    )["accessDetails"]
        .clone();
    assert!(first["privateKey"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA"));
    assert_ne!(first["privateKey"], second["privateKey"]);
    assert_eq!(first["hostKeys"], second["hostKeys"]);
    assert_eq!(first["username"], "bitnami");
    assert_eq!(
        first["ipAddress"],
        instance(port, "Web-1")["publicIpAddress"]
    );

    // Delete: gone from Get and from the list; its operations stay findable.
    let deleted = ok(port, "DeleteInstance", json!({"instanceName": "Web-1"}));
    assert_eq!(deleted["operations"][0]["operationType"], "DeleteInstance");
    assert_eq!(
        refused(port, "GetInstance", json!({"instanceName": "Web-1"})).0,
        "NotFoundException"
    );
    let names: Vec<Value> = ok(port, "GetInstances", json!({}))["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].clone())
        .collect();
    assert_eq!(names, [json!("WordPress-1"), json!("Web-2")]);
    let history = ok(
        port,
        "GetOperationsForResource",
        json!({"resourceName": "Web-2"}),
    );
    assert_eq!(history["operations"].as_array().unwrap().len(), 1);
    let active = ok(port, "GetActiveNames", json!({}));
    assert_eq!(active["activeNames"], json!(["WordPress-1", "Web-2"]));
}

#[test]
fn snapshots_copy_export_and_make_a_stack() {
    let emulator = emulator_with_delays();
    let port = emulator.port();
    ok(
        port,
        "CreateInstanceSnapshot",
        json!({"instanceName": "WordPress-1", "instanceSnapshotName": "Snap-1"}),
    );
    // Pending snapshots cannot be copied, exported or restored.
    let copy = json!({"sourceSnapshotName": "Snap-1", "targetSnapshotName": "Snap-1-Copy", "sourceRegion": "us-west-2"});
    assert_eq!(
        refused(port, "CopySnapshot", copy.clone()).0,
        "OperationFailureException"
    );
    assert_eq!(
        refused(
            port,
            "ExportSnapshot",
            json!({"sourceSnapshotName": "Snap-1"})
        )
        .0,
        "OperationFailureException"
    );
    advance(port, 30);

    let copied = ok(port, "CopySnapshot", copy);
    let copy_op = &copied["operations"][0];
    assert_eq!(copy_op["operationType"], "CopySnapshot");
    assert_eq!(copy_op["operationDetails"], "us-west-2:Snap-1");
    assert_eq!(copy_op["location"]["availabilityZone"], "all");
    let copy = ok(
        port,
        "GetInstanceSnapshot",
        json!({"instanceSnapshotName": "Snap-1-Copy"}),
    )["instanceSnapshot"]
        .clone();
    assert_eq!(copy["state"], "pending");
    assert_eq!(copy["fromInstanceName"], "WordPress-1");
    advance(port, 30);
    assert_eq!(
        ok(
            port,
            "GetInstanceSnapshot",
            json!({"instanceSnapshotName": "Snap-1-Copy"})
        )["instanceSnapshot"]["state"],
        "available"
    );

    // Into another region: the copy lives there, the source here.
    let far = call_in(
        port,
        "eu-west-1",
        "CopySnapshot",
        json!({"sourceSnapshotName": "Snap-1", "targetSnapshotName": "Snap-1-Far", "sourceRegion": "us-west-2"}),
    );
    assert_eq!(far["operations"][0]["location"]["regionName"], "eu-west-1");
    assert_eq!(
        refused(
            port,
            "GetInstanceSnapshot",
            json!({"instanceSnapshotName": "Snap-1-Far"})
        )
        .0,
        "NotFoundException"
    );

    // Restore from the snapshot with a bigger plan; a smaller one is refused.
    let (code, _) = refused(
        port,
        "CreateInstancesFromSnapshot",
        json!({"instanceSnapshotName": "Snap-1", "instanceNames": ["Restored-1"], "availabilityZone": "us-west-2a", "bundleId": "nano_3_0"}),
    );
    assert_eq!(code, "InvalidInputException");
    let restored = ok(
        port,
        "CreateInstancesFromSnapshot",
        json!({"instanceSnapshotName": "Snap-1", "instanceNames": ["Restored-1"], "availabilityZone": "us-west-2a", "bundleId": "small_3_0"}),
    );
    assert_eq!(
        restored["operations"][0]["operationType"],
        "CreateInstancesFromSnapshot"
    );
    let restored = instance(port, "Restored-1");
    assert_eq!(restored["blueprintId"], "wordpress");
    assert_eq!(restored["bundleId"], "small_3_0");

    // Export, then a CloudFormation stack from the record.
    let exported = ok(
        port,
        "ExportSnapshot",
        json!({"sourceSnapshotName": "Snap-1"}),
    );
    let export_op = &exported["operations"][0];
    assert_eq!(export_op["resourceType"], "ExportSnapshotRecord");
    let record_name = export_op["resourceName"].as_str().unwrap().to_string();
    assert!(record_name.starts_with("ExportSnapshotRecord-"));
    let records = ok(port, "GetExportSnapshotRecords", json!({}))["exportSnapshotRecords"].clone();
    assert_eq!(records[0]["state"], "Started");
    assert_eq!(records[0]["sourceInfo"]["name"], "Snap-1");
    assert_eq!(
        records[0]["sourceInfo"]["instanceSnapshotInfo"]["fromBundleId"],
        "micro_3_0"
    );
    assert!(records[0]["destinationInfo"]["id"]
        .as_str()
        .unwrap()
        .starts_with("ami-"));
    let stack = json!({"instances": [{"sourceName": record_name, "instanceType": "t2.micro", "portInfoSource": "DEFAULT", "availabilityZone": "us-west-2a"}]});
    assert_eq!(
        refused(port, "CreateCloudFormationStack", stack.clone()).0,
        "OperationFailureException"
    );
    advance(port, 30);
    assert_eq!(operation(port, &export_op["id"])["status"], "Succeeded");
    let made = ok(port, "CreateCloudFormationStack", stack);
    assert_eq!(
        made["operations"][0]["resourceType"],
        "CloudFormationStackRecord"
    );
    advance(port, 30);
    let stacks =
        ok(port, "GetCloudFormationStackRecords", json!({}))["cloudFormationStackRecords"].clone();
    assert_eq!(stacks[0]["state"], "Succeeded");
    assert_eq!(stacks[0]["sourceInfo"][0]["name"], json!(record_name));
    let stack_name = stacks[0]["name"].as_str().unwrap();
    let stack_id = stacks[0]["destinationInfo"]["id"].as_str().unwrap();
    assert!(stack_id.starts_with(&format!(
        "arn:aws:cloudformation:us-west-2:111122223333:stack/Lightsail-Stack-{}/",
        stack_name.trim_start_matches("CloudFormationStackRecord-")
    )));
    // Records cannot be tagged.
    assert_eq!(
        refused(
            port,
            "TagResource",
            json!({"resourceName": record_name, "tags": [{"key": "a"}]})
        )
        .0,
        "InvalidInputException"
    );
}

/// A call signed for another region.
fn call_in(port: u16, region: &str, operation: &str, body: Value) -> Value {
    let mut request = lightsail_request(port, operation, &body.to_string());
    lightsail_emulator::sigv4::sign(
        &mut request,
        KEY_ID,
        SECRET,
        region,
        &lightsail_emulator::clock::amz_date(lightsail_emulator::clock::real_now() as i64),
    );
    let response = send(port, &request);
    assert_eq!(response.status, 200, "{operation}: {}", response.text());
    response.json()
}

#[test]
fn automatic_snapshots_come_daily_and_can_be_kept_restored_and_deleted() {
    let emulator = start(deterministic());
    let port = emulator.port();
    // 2019-09-30T18:00:38Z; snapshots at 06:00 UTC.
    let enabled = ok(
        port,
        "EnableAddOn",
        json!({"resourceName": "WordPress-1", "addOnRequest": {"addOnType": "AutoSnapshot", "autoSnapshotAddOnRequest": {"snapshotTimeOfDay": "06:00"}}}),
    );
    assert_eq!(enabled["operations"][0]["operationType"], "EnableAddOn");
    assert_eq!(
        instance(port, "WordPress-1")["addOns"],
        json!([{"name": "AutoSnapshot", "status": "Enabled", "snapshotTimeOfDay": "06:00", "nextSnapshotTimeOfDay": "06:00"}])
    );
    let auto = |port| {
        ok(
            port,
            "GetAutoSnapshots",
            json!({"resourceName": "WordPress-1"}),
        )
    };
    assert_eq!(auto(port)["autoSnapshots"], json!([]));
    advance(port, 10 * 86_400);
    let snapshots = auto(port)["autoSnapshots"].clone();
    let dates: Vec<&str> = snapshots
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        [
            "2019-10-10",
            "2019-10-09",
            "2019-10-08",
            "2019-10-07",
            "2019-10-06",
            "2019-10-05",
            "2019-10-04"
        ]
    );
    assert_eq!(snapshots[0]["status"], "Success");

    let deleted = ok(
        port,
        "DeleteAutoSnapshot",
        json!({"resourceName": "WordPress-1", "date": "2019-10-09"}),
    );
    assert_eq!(
        deleted["operations"][0]["operationDetails"],
        "DeleteAutoSnapshot-2019-10-09"
    );
    assert_eq!(auto(port)["autoSnapshots"].as_array().unwrap().len(), 6);
    assert_eq!(
        refused(
            port,
            "DeleteAutoSnapshot",
            json!({"resourceName": "WordPress-1", "date": "2019-10-09"})
        )
        .0,
        "NotFoundException"
    );

    // Keep one as a manual snapshot; restore a new instance from the latest.
    ok(
        port,
        "CopySnapshot",
        json!({"sourceResourceName": "WordPress-1", "restoreDate": "2019-10-08", "targetSnapshotName": "Kept-1", "sourceRegion": "us-west-2"}),
    );
    let kept = ok(
        port,
        "GetInstanceSnapshot",
        json!({"instanceSnapshotName": "Kept-1"}),
    )["instanceSnapshot"]
        .clone();
    assert_eq!(kept["isFromAutoSnapshot"], true);
    ok(
        port,
        "CreateInstancesFromSnapshot",
        json!({"sourceInstanceName": "WordPress-1", "useLatestRestorableAutoSnapshot": true,
               "instanceNames": ["From-Auto-1"], "availabilityZone": "us-west-2a", "bundleId": "micro_3_0"}),
    );
    assert_eq!(instance(port, "From-Auto-1")["blueprintId"], "wordpress");

    // Disabled: no new snapshots, the old ones stay.
    ok(
        port,
        "DisableAddOn",
        json!({"resourceName": "WordPress-1", "addOnType": "AutoSnapshot"}),
    );
    assert_eq!(instance(port, "WordPress-1")["addOns"], json!([]));
    advance(port, 2 * 86_400);
    let latest = auto(port)["autoSnapshots"][0]["date"].clone();
    assert_eq!(latest, "2019-10-10");
}

#[test]
fn settings_https_and_gui_sessions() {
    let emulator = start(deterministic());
    let port = emulator.port();
    let updated = ok(
        port,
        "UpdateInstanceMetadataOptions",
        json!({"instanceName": "WordPress-1", "httpTokens": "required", "httpEndpoint": "enabled"}),
    );
    assert_eq!(updated["operation"]["status"], "Started");
    assert_eq!(
        instance(port, "WordPress-1")["metadataOptions"]["httpTokens"],
        "required"
    );
    // Without a delay the next request applies it.
    assert_eq!(
        instance(port, "WordPress-1")["metadataOptions"]["state"],
        "applied"
    );

    let (code, _) = refused(
        port,
        "SetIpAddressType",
        json!({"resourceType": "Instance", "resourceName": "WordPress-1", "ipAddressType": "ipv6"}),
    );
    assert_eq!(code, "InvalidInputException");
    ok(
        port,
        "SetIpAddressType",
        json!({"resourceType": "Instance", "resourceName": "WordPress-1", "ipAddressType": "ipv6", "acceptBundleUpdate": true}),
    );
    let six = instance(port, "WordPress-1");
    assert_eq!(six["bundleId"], "micro_ipv6_3_0");
    assert!(six.get("publicIpAddress").is_none());
    assert_eq!(six["ipv6Addresses"].as_array().unwrap().len(), 1);

    let https = ok(
        port,
        "SetupInstanceHttps",
        json!({"instanceName": "WordPress-1", "emailAddress": "admin@example.com", "domainNames": ["example.com"], "certificateProvider": "LetsEncrypt"}),
    );
    let id = https["operations"][0]["id"].clone();
    let history = ok(
        port,
        "GetSetupHistory",
        json!({"resourceName": "WordPress-1"}),
    )["setupHistory"]
        .clone();
    assert_eq!(history[0]["operationId"], id);
    assert_eq!(history[0]["status"], "succeeded");
    assert_eq!(history[0]["request"]["domainNames"], json!(["example.com"]));

    // GUI sessions are for Lightsail for Research virtual computers.
    ok(
        port,
        "CreateInstances",
        json!({"instanceNames": ["Lab-1"], "availabilityZone": "us-west-2a", "blueprintId": "lfr_jupyterlab", "bundleId": "app_standard_xl_1_0"}),
    );
    let details = |port| {
        ok(
            port,
            "CreateGUISessionAccessDetails",
            json!({"resourceName": "Lab-1"}),
        )
    };
    assert_eq!(details(port)["status"], "notStarted");
    ok(port, "StartGUISession", json!({"resourceName": "Lab-1"}));
    let started = details(port);
    assert_eq!(started["status"], "started");
    assert_eq!(started["sessions"].as_array().unwrap().len(), 2);
    assert_eq!(started["sessions"][0]["isPrimary"], true);
    ok(port, "StopGUISession", json!({"resourceName": "Lab-1"}));
    assert_eq!(details(port)["status"], "stopped");
    assert_eq!(
        refused(
            port,
            "StartGUISession",
            json!({"resourceName": "WordPress-1"})
        )
        .0,
        "InvalidInputException"
    );
}

#[test]
fn catalogs_metrics_costs_and_vpc_peering() {
    let emulator = start(deterministic());
    let port = emulator.port();
    let bundles = ok(port, "GetBundles", json!({}))["bundles"].clone();
    assert_eq!(
        bundles[0],
        json!({"price": 5.0, "cpuCount": 2, "diskSizeInGb": 20, "bundleId": "nano_3_0", "instanceType": "nano",
               "isActive": true, "name": "Nano", "power": 298, "ramSizeInGb": 0.5, "transferPerMonthInGb": 1024,
               "supportedPlatforms": ["LINUX_UNIX"], "publicIpv4AddressCount": 1})
    );
    assert!(bundles
        .as_array()
        .unwrap()
        .iter()
        .all(|b| b["isActive"] == true));
    let all = ok(port, "GetBundles", json!({"includeInactive": true}))["bundles"].clone();
    assert!(all.as_array().unwrap().len() > bundles.as_array().unwrap().len());
    let blueprints = ok(port, "GetBlueprints", json!({}))["blueprints"].clone();
    let ids: Vec<&str> = blueprints
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["blueprintId"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"amazon_linux_2023") && ids.contains(&"wordpress"));
    assert!(!ids.contains(&"lfr_jupyterlab"));

    // Metric data: the instance was created a day ago (in emulator time), samples every 5 minutes.
    let now = 1_569_866_438.48_f64;
    let request = |start: f64, end: f64, unit: &str| {
        json!({"instanceName": "WordPress-1", "metricName": "CPUUtilization", "period": 3600,
               "startTime": start, "endTime": end, "unit": unit, "statistics": ["Average", "SampleCount"]})
    };
    let data = ok(
        port,
        "GetInstanceMetricData",
        request(now - 7200.0, now, "Percent"),
    );
    let points = data["metricData"].as_array().unwrap();
    assert_eq!(points.len(), 2);
    assert_eq!(points[0]["sampleCount"], 12.0);
    let again = ok(
        port,
        "GetInstanceMetricData",
        request(now - 7200.0, now, "Percent"),
    );
    assert_eq!(data, again);
    let before_creation = ok(
        port,
        "GetInstanceMetricData",
        request(now - 5.0 * 86_400.0, now - 3.0 * 86_400.0, "Percent"),
    );
    assert_eq!(before_creation["metricData"], json!([]));
    let wrong_unit = ok(
        port,
        "GetInstanceMetricData",
        request(now - 7200.0, now, "Bytes"),
    );
    assert_eq!(wrong_unit["metricData"], json!([]));
    let (_, message) = refused(
        port,
        "GetInstanceMetricData",
        request(now - 1441.0 * 3600.0, now, "Percent"),
    );
    assert!(
        message.starts_with("You have requested up to 1441 datapoints"),
        "{message}"
    );

    let estimate = ok(
        port,
        "GetCostEstimate",
        json!({"resourceName": "WordPress-1", "startTime": 1_569_801_600, "endTime": 1_569_888_000}),
    );
    let results = &estimate["resourcesBudgetEstimate"][0]["costEstimates"][0]["resultsByTime"];
    assert_eq!(results.as_array().unwrap().len(), 1);
    assert_eq!(results[0]["currency"], "USD");
    let hours = results[0]["unit"].as_f64().unwrap();
    assert!((hours - 24.0).abs() < 1e-9, "{hours}");

    assert_eq!(ok(port, "IsVpcPeered", json!({}))["isPeered"], false);
    let peered = ok(port, "PeerVpc", json!({}));
    assert_eq!(peered["operation"]["resourceType"], "PeeredVpc");
    assert_eq!(peered["operation"]["operationType"], "PeeredVpc");
    assert_eq!(ok(port, "IsVpcPeered", json!({}))["isPeered"], true);
    assert_eq!(
        refused(port, "PeerVpc", json!({})).0,
        "OperationFailureException"
    );
    let vpc = peered["operation"]["resourceName"].clone();
    let unpeered = ok(port, "UnpeerVpc", json!({}));
    assert_eq!(unpeered["operation"]["resourceName"], vpc);
    assert_eq!(ok(port, "IsVpcPeered", json!({}))["isPeered"], false);
    let active = ok(port, "GetActiveNames", json!({}));
    assert_eq!(active["activeNames"], json!(["WordPress-1"]));
}
