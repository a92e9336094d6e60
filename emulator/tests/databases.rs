//! Managed databases on the deterministic clock: a database from creation to deletion (creating ->
//! available, snapshot and backing-up, stop and start, reboot, an update with a deferred change that
//! waits for the maintenance window, parameters pending a reboot, a restore from its snapshot, delete
//! with a final snapshot), the master password's versions, and the limits of the event, log and metric
//! calls. Operations are checked through GetOperation as well as in the answers.

mod common;
#[path = "support/family.rs"]
mod family;

use std::collections::BTreeMap;

use common::*;
use family::{advance, fails, ok};
use lightsail_emulator::{Config, Delays};
use serde_json::{json, Value};

const T0: f64 = 1569866438.48;

fn emulator(delays: &[(&str, f64)], page_size: usize) -> lightsail_emulator::Handle {
    start(Config {
        delays: Delays {
            default: 0.0,
            by_key: delays
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect::<BTreeMap<_, _>>(),
        },
        page_size,
        ..deterministic()
    })
}

fn database(port: u16, name: &str) -> Value {
    ok(
        port,
        "GetRelationalDatabase",
        json!({ "relationalDatabaseName": name }),
    )["relationalDatabase"]
        .clone()
}

fn operation(port: u16, id: &Value) -> Value {
    ok(port, "GetOperation", json!({ "operationId": id }))["operation"].clone()
}

fn password(port: u16, name: &str, version: &str) -> Value {
    ok(
        port,
        "GetRelationalDatabaseMasterUserPassword",
        json!({"relationalDatabaseName": name, "passwordVersion": version}),
    )
}

fn events(port: u16, name: &str, minutes: i64) -> Vec<String> {
    ok(
        port,
        "GetRelationalDatabaseEvents",
        json!({"relationalDatabaseName": name, "durationInMinutes": minutes}),
    )["relationalDatabaseEvents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect()
}

const CREATE: &str = r#"{"relationalDatabaseName": "Database-1", "availabilityZone": "us-west-2a",
    "relationalDatabaseBlueprintId": "mysql_8_0", "relationalDatabaseBundleId": "micro_2_0",
    "masterDatabaseName": "dbmaster", "masterUsername": "dbmasteruser",
    "masterUserPassword": "Initial-Password-1", "preferredBackupWindow": "10:00-10:30",
    "preferredMaintenanceWindow": "tue:17:00-tue:17:30", "tags": [{"key": "env", "value": "ci"}]}"#;

#[test]
fn a_database_from_creation_to_deletion() {
    let emulator = emulator(
        &[
            ("RelationalDatabase", 300.0),
            ("RelationalDatabase.update", 120.0),
            ("RelationalDatabase.stop", 60.0),
            ("RelationalDatabase.start", 60.0),
            ("RelationalDatabase.reboot", 30.0),
            ("RelationalDatabase.parameters", 30.0),
            ("RelationalDatabase.delete", 60.0),
            ("RelationalDatabaseSnapshot", 120.0),
        ],
        0,
    );
    let port = emulator.port();

    // Create: one Started operation where the database lives; the database is creating.
    let created = ok(
        port,
        "CreateRelationalDatabase",
        serde_json::from_str(CREATE).unwrap(),
    );
    let create_op = created["operations"][0].clone();
    assert_eq!(created["operations"].as_array().unwrap().len(), 1);
    assert_eq!(create_op["resourceType"], "RelationalDatabase");
    assert_eq!(create_op["operationType"], "CreateRelationalDatabase");
    assert_eq!(create_op["status"], "Started");
    assert_eq!(create_op["location"]["availabilityZone"], "us-west-2a");
    let db = database(port, "Database-1");
    assert_eq!(db["state"], "creating");
    assert_eq!(db["engine"], "mysql");
    assert_eq!(db["engineVersion"], "8.0.16");
    assert_eq!(
        db["hardware"],
        json!({"cpuCount": 2, "diskSizeInGb": 40, "ramSizeInGb": 1.0})
    );
    assert_eq!(db["masterEndpoint"]["port"], 3306);
    assert_eq!(db["preferredMaintenanceWindow"], "tue:17:00-tue:17:30");
    assert_eq!(db["backupRetentionEnabled"], true);
    assert_eq!(db["tags"], json!([{"key": "env", "value": "ci"}]));
    assert!(db.get("latestRestorableTime").is_none());
    assert!(db.get("secondaryAvailabilityZone").is_none());
    let support = db["supportCode"].as_str().unwrap();
    let identifier = support.strip_prefix("111122223333/").unwrap();
    assert!(identifier.starts_with("ls-") && identifier.len() == 43);
    let address = db["masterEndpoint"]["address"].as_str().unwrap();
    assert!(address.starts_with(identifier) && address.ends_with(".us-west-2.rds.amazonaws.com"));
    // The password never shows in the database, only from its own call.
    assert!(!db.to_string().contains("Initial-Password-1"));
    assert_eq!(
        password(port, "Database-1", "CURRENT")["masterUserPassword"],
        "Initial-Password-1"
    );
    assert_eq!(password(port, "Database-1", "PREVIOUS"), json!({}));

    // Names are unique; a creating database cannot stop.
    let (code, _) = fails(
        port,
        "CreateRelationalDatabase",
        serde_json::from_str(CREATE).unwrap(),
    );
    assert_eq!(code, "InvalidInputException");
    let (code, message) = fails(
        port,
        "StopRelationalDatabase",
        json!({"relationalDatabaseName": "Database-1"}),
    );
    assert_eq!(code, "OperationFailureException");
    assert!(message.contains("creating"), "{message}");

    advance(port, 300.0);
    assert_eq!(database(port, "Database-1")["state"], "available");
    let finished = operation(port, &create_op["id"]);
    assert_eq!(finished["status"], "Succeeded");
    assert_eq!(finished["isTerminal"], true);
    assert_eq!(finished["statusChangedAt"], T0 + 300.0);
    assert!(events(port, "Database-1", 60).contains(&"Relational Database created".to_string()));
    advance(port, 300.0);
    let db = database(port, "Database-1");
    let latest = db["latestRestorableTime"].as_f64().unwrap();
    assert!(latest > T0 && latest <= T0 + 600.0 && latest % 300.0 == 0.0);

    // A snapshot: two operations, the snapshot's first; the database backs up meanwhile.
    let snapshot = ok(
        port,
        "CreateRelationalDatabaseSnapshot",
        json!({"relationalDatabaseName": "Database-1", "relationalDatabaseSnapshotName": "Snap-1"}),
    );
    let ops = snapshot["operations"].as_array().unwrap();
    assert_eq!(ops.len(), 2);
    assert_eq!(
        (&ops[0]["resourceName"], &ops[0]["operationDetails"]),
        (&json!("Snap-1"), &json!("Database-1"))
    );
    assert_eq!(ops[0]["location"]["availabilityZone"], "all");
    assert_eq!(
        (&ops[1]["resourceName"], &ops[1]["operationDetails"]),
        (&json!("Database-1"), &json!("Snap-1"))
    );
    assert_eq!(database(port, "Database-1")["state"], "backing-up");
    let snap = ok(
        port,
        "GetRelationalDatabaseSnapshot",
        json!({"relationalDatabaseSnapshotName": "Snap-1"}),
    )["relationalDatabaseSnapshot"]
        .clone();
    assert_eq!(snap["state"], "creating");
    assert_eq!(snap["fromRelationalDatabaseArn"], db["arn"]);
    assert_eq!(snap["fromRelationalDatabaseBlueprintId"], "mysql_8_0");
    assert_eq!(snap["sizeInGb"], 40);
    advance(port, 120.0);
    assert_eq!(database(port, "Database-1")["state"], "available");
    assert_eq!(operation(port, &ops[1]["id"])["status"], "Succeeded");

    // Stop and start.
    let stopped = ok(
        port,
        "StopRelationalDatabase",
        json!({"relationalDatabaseName": "Database-1"}),
    );
    assert_eq!(
        stopped["operations"][0]["operationType"],
        "StopRelationalDatabase"
    );
    assert_eq!(database(port, "Database-1")["state"], "stopping");
    let (code, _) = fails(
        port,
        "StartRelationalDatabase",
        json!({"relationalDatabaseName": "Database-1"}),
    );
    assert_eq!(code, "OperationFailureException");
    advance(port, 60.0);
    assert_eq!(database(port, "Database-1")["state"], "stopped");
    ok(
        port,
        "StartRelationalDatabase",
        json!({"relationalDatabaseName": "Database-1"}),
    );
    assert_eq!(database(port, "Database-1")["state"], "starting");
    advance(port, 60.0);
    assert_eq!(database(port, "Database-1")["state"], "available");

    // Reboot: the example's empty operationDetails.
    let rebooted = ok(
        port,
        "RebootRelationalDatabase",
        json!({"relationalDatabaseName": "Database-1"}),
    );
    assert_eq!(rebooted["operations"][0]["operationDetails"], "");
    assert_eq!(database(port, "Database-1")["state"], "rebooting");
    advance(port, 30.0);
    assert_eq!(database(port, "Database-1")["state"], "available");
    let messages = events(port, "Database-1", 60);
    for expected in [
        "Relational Database stopped",
        "Relational Database started",
        "Relational Database restarted",
    ] {
        assert!(messages.contains(&expected.to_string()), "{messages:?}");
    }

    // Update: a new password applies when the update completes; turning backups off waits for the
    // maintenance window.
    ok(
        port,
        "UpdateRelationalDatabase",
        json!({"relationalDatabaseName": "Database-1", "rotateMasterUserPassword": true,
               "disableBackupRetention": true, "publiclyAccessible": true}),
    );
    let db = database(port, "Database-1");
    assert_eq!(db["state"], "modifying");
    assert_eq!(
        db["pendingModifiedValues"],
        json!({"masterUserPassword": "****", "backupRetentionEnabled": false})
    );
    assert_eq!(db["publiclyAccessible"], false);
    let pending = password(port, "Database-1", "PENDING");
    let rotated = pending["masterUserPassword"].as_str().unwrap().to_string();
    assert_eq!(rotated.len(), 32);
    assert_eq!(
        password(port, "Database-1", "CURRENT")["masterUserPassword"],
        "Initial-Password-1"
    );
    advance(port, 120.0);
    let db = database(port, "Database-1");
    assert_eq!(db["state"], "available");
    assert_eq!(db["publiclyAccessible"], true);
    assert_eq!(db["backupRetentionEnabled"], true);
    assert_eq!(
        db["pendingModifiedValues"],
        json!({"backupRetentionEnabled": false})
    );
    assert_eq!(
        password(port, "Database-1", "CURRENT")["masterUserPassword"],
        rotated
    );
    assert_eq!(
        password(port, "Database-1", "PREVIOUS")["masterUserPassword"],
        "Initial-Password-1"
    );
    assert_eq!(password(port, "Database-1", "PENDING"), json!({}));
    // A password the service made shows nowhere else: not in the database, its events, the
    // operations, the state dump or the request journal.
    for seen in [
        database(port, "Database-1").to_string(),
        events(port, "Database-1", 600).join("\n"),
        ok(port, "GetOperations", json!({})).to_string(),
        admin(port, "GET", "/_emulator/state", "").text(),
        admin(port, "GET", "/_emulator/requests", "").text(),
    ] {
        let escaped = json!(rotated).to_string();
        assert!(
            !seen.contains(&rotated) && !seen.contains(escaped.trim_matches('"')),
            "the password leaked: {seen}"
        );
    }
    // The next Tuesday 17:00 UTC after 2019-09-30 18:2x is 2019-10-01 17:00.
    let now = admin(port, "GET", "/_emulator/clock", "").json()["now"]
        .as_f64()
        .unwrap_or(T0 + 1050.0);
    advance(port, 1_569_949_200.0 - now);
    let db = database(port, "Database-1");
    assert_eq!(db["backupRetentionEnabled"], false);
    assert_eq!(db["pendingModifiedValues"], json!({}));
    assert!(db.get("latestRestorableTime").is_none());

    // Parameters: an immediate change is in sync after the delay; a pending-reboot one waits for a
    // reboot.
    ok(
        port,
        "UpdateRelationalDatabaseParameters",
        json!({"relationalDatabaseName": "Database-1", "parameters": [
            {"parameterName": "autocommit", "parameterValue": "0", "applyMethod": "immediate"}]}),
    );
    assert_eq!(
        database(port, "Database-1")["parameterApplyStatus"],
        "applying"
    );
    advance(port, 30.0);
    assert_eq!(
        database(port, "Database-1")["parameterApplyStatus"],
        "in-sync"
    );
    ok(
        port,
        "UpdateRelationalDatabaseParameters",
        json!({"relationalDatabaseName": "Database-1", "parameters": [
            {"parameterName": "performance_schema", "parameterValue": "1", "applyMethod": "pending-reboot"}]}),
    );
    advance(port, 30.0);
    assert_eq!(
        database(port, "Database-1")["parameterApplyStatus"],
        "pending-reboot"
    );
    let parameters = ok(
        port,
        "GetRelationalDatabaseParameters",
        json!({"relationalDatabaseName": "Database-1"}),
    )["parameters"]
        .clone();
    let find = |name: &str| {
        parameters
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["parameterName"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(find("autocommit")["parameterValue"], "0");
    assert_eq!(find("autocommit")["applyMethod"], "immediate");
    assert_eq!(find("performance_schema")["parameterValue"], "1");
    ok(
        port,
        "RebootRelationalDatabase",
        json!({"relationalDatabaseName": "Database-1"}),
    );
    advance(port, 30.0);
    assert_eq!(
        database(port, "Database-1")["parameterApplyStatus"],
        "in-sync"
    );

    // A database restored from the snapshot has the snapshot's password and engine.
    let restored = ok(
        port,
        "CreateRelationalDatabaseFromSnapshot",
        json!({"relationalDatabaseName": "Database-2", "relationalDatabaseSnapshotName": "Snap-1",
               "relationalDatabaseBundleId": "small_ha_2_0", "availabilityZone": "us-west-2b"}),
    );
    assert_eq!(
        restored["operations"][0]["operationType"],
        "CreateRelationalDatabaseFromSnapshot"
    );
    advance(port, 300.0);
    let copy = database(port, "Database-2");
    assert_eq!(copy["state"], "available");
    assert_eq!(copy["engineVersion"], "8.0.16");
    assert_eq!(copy["relationalDatabaseBundleId"], "small_ha_2_0");
    assert_eq!(copy["secondaryAvailabilityZone"], "us-west-2c");
    assert_eq!(copy["masterUsername"], "dbmasteruser");
    assert_eq!(
        password(port, "Database-2", "CURRENT")["masterUserPassword"],
        "Initial-Password-1"
    );

    // Tags work as on every resource.
    ok(
        port,
        "TagResource",
        json!({"resourceName": "Database-1", "tags": [{"key": "team", "value": "data"}]}),
    );
    assert_eq!(
        database(port, "Database-1")["tags"],
        json!([{"key": "env", "value": "ci"}, {"key": "team", "value": "data"}])
    );

    // Delete with the default final snapshot: the example's three operations.
    let deleted = ok(
        port,
        "DeleteRelationalDatabase",
        json!({"relationalDatabaseName": "Database-1"}),
    );
    let ops = deleted["operations"].as_array().unwrap().clone();
    assert_eq!(ops.len(), 3);
    assert_eq!(ops[0]["operationType"], "DeleteRelationalDatabase");
    let final_name = ops[1]["operationDetails"].as_str().unwrap().to_string();
    assert!(final_name.starts_with("Database-1-FinalSnapshot-"));
    assert_eq!(ops[1]["operationType"], "CreateRelationalDatabaseSnapshot");
    assert_eq!(ops[2]["resourceName"], json!(final_name));
    let (code, _) = fails(
        port,
        "GetRelationalDatabase",
        json!({"relationalDatabaseName": "Database-1"}),
    );
    assert_eq!(code, "NotFoundException");
    advance(port, 120.0);
    assert_eq!(operation(port, &ops[0]["id"])["status"], "Succeeded");
    let snapshots = ok(port, "GetRelationalDatabaseSnapshots", json!({}))
        ["relationalDatabaseSnapshots"]
        .clone();
    let names: Vec<&str> = snapshots
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Snap-1", final_name.as_str()]);
    assert!(snapshots
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["state"] == "available" && s["fromRelationalDatabaseName"] == "Database-1"));

    // The snapshots outlive the database and go one by one.
    for name in ["Snap-1", final_name.as_str()] {
        let deleted = ok(
            port,
            "DeleteRelationalDatabaseSnapshot",
            json!({ "relationalDatabaseSnapshotName": name }),
        );
        assert_eq!(deleted["operations"][0]["status"], "Succeeded");
    }
    let (code, _) = fails(
        port,
        "GetRelationalDatabaseSnapshot",
        json!({"relationalDatabaseSnapshotName": "Snap-1"}),
    );
    assert_eq!(code, "NotFoundException");
    ok(
        port,
        "DeleteRelationalDatabase",
        json!({"relationalDatabaseName": "Database-2", "skipFinalSnapshot": true}),
    );
    assert_eq!(
        ok(port, "GetRelationalDatabases", json!({}))["relationalDatabases"],
        json!([])
    );
}

#[test]
fn refusals_and_defaults() {
    let emulator = emulator(&[], 0);
    let port = emulator.port();
    let base = json!({"relationalDatabaseName": "Database-1", "relationalDatabaseBlueprintId": "postgres_11",
                      "relationalDatabaseBundleId": "micro_2_0", "masterDatabaseName": "dbmaster",
                      "masterUsername": "dbmasteruser"});
    let with = |key: &str, value: Value| {
        let mut body = base.clone();
        body[key] = value;
        body
    };
    for (body, needle) in [
        (
            with("relationalDatabaseBundleId", json!("micro_1_0")),
            "inactive",
        ),
        (
            with("relationalDatabaseBlueprintId", json!("oracle_19")),
            "blueprint",
        ),
        (
            with("availabilityZone", json!("us-east-1a")),
            "Availability Zone",
        ),
        (with("masterUserPassword", json!("has\"quote")), "password"),
        (with("masterUsername", json!("9lives")), "username"),
        (
            with("preferredBackupWindow", json!("10:00-10:15")),
            "30 minutes",
        ),
        (
            with("preferredMaintenanceWindow", json!("Tue:17:00-Tue:17:30"))
                .as_object()
                .map(|o| {
                    let mut o = o.clone();
                    o.insert("preferredBackupWindow".into(), json!("17:10-17:40"));
                    Value::Object(o)
                })
                .unwrap(),
            "overlap",
        ),
    ] {
        let (code, message) = fails(port, "CreateRelationalDatabase", body);
        assert_eq!(code, "InvalidInputException");
        assert!(message.contains(needle), "{message}");
    }
    assert!(!fails(
        port,
        "CreateRelationalDatabase",
        with("masterUserPassword", json!("has\"quote"))
    )
    .1
    .contains("has\"quote"));

    // Defaults: first zone, random windows apart from each other, a generated password, PostgreSQL's port.
    ok(port, "CreateRelationalDatabase", base.clone());
    let db = database(port, "Database-1");
    assert_eq!(db["location"]["availabilityZone"], "us-west-2a");
    assert_eq!(db["masterEndpoint"]["port"], 5432);
    assert_eq!(db["publiclyAccessible"], false);
    assert_eq!(db["state"], "available");
    let backup = db["preferredBackupWindow"].as_str().unwrap();
    let maintenance = db["preferredMaintenanceWindow"].as_str().unwrap();
    assert_eq!(backup.len(), 11);
    assert_eq!(maintenance.len(), 19);
    let hour: u32 = backup[..2].parse().unwrap();
    assert!((6..=14).contains(&hour), "{backup}");
    let generated = password(port, "Database-1", "CURRENT")["masterUserPassword"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(generated.len(), 32);
    assert!(!generated.contains(['/', '"', '@', ' ']));

    // Delete: a final snapshot name with skipFinalSnapshot is refused; a taken name too.
    let (code, _) = fails(
        port,
        "DeleteRelationalDatabase",
        json!({"relationalDatabaseName": "Database-1", "skipFinalSnapshot": true,
               "finalRelationalDatabaseSnapshotName": "Final"}),
    );
    assert_eq!(code, "InvalidInputException");
    // Restores need exactly one source.
    let (code, _) = fails(
        port,
        "CreateRelationalDatabaseFromSnapshot",
        json!({"relationalDatabaseName": "Database-2"}),
    );
    assert_eq!(code, "InvalidInputException");
    let (code, message) = fails(
        port,
        "CreateRelationalDatabaseFromSnapshot",
        json!({"relationalDatabaseName": "Database-2", "sourceRelationalDatabaseName": "Database-1",
               "useLatestRestorableTime": true}),
    );
    assert_eq!(code, "OperationFailureException", "{message}");
    advance(port, 900.0);
    let restored = ok(
        port,
        "CreateRelationalDatabaseFromSnapshot",
        json!({"relationalDatabaseName": "Database-2", "sourceRelationalDatabaseName": "Database-1",
               "useLatestRestorableTime": true}),
    );
    assert_eq!(restored["operations"][0]["status"], "Started");
    assert_eq!(
        password(port, "Database-2", "CURRENT")["masterUserPassword"],
        json!(generated)
    );
    let (code, _) = fails(
        port,
        "CreateRelationalDatabaseFromSnapshot",
        json!({"relationalDatabaseName": "Database-3", "sourceRelationalDatabaseName": "Database-1",
               "restoreTime": T0 - 10.0}),
    );
    assert_eq!(code, "InvalidInputException");
    // Upgrades go up only, within the engine.
    for target in ["postgres_10", "mysql_8_0"] {
        let (code, _) = fails(
            port,
            "UpdateRelationalDatabase",
            json!({"relationalDatabaseName": "Database-1", "relationalDatabaseBlueprintId": target}),
        );
        assert_eq!(code, "InvalidInputException", "{target}");
    }
}

#[test]
fn events_logs_and_metrics_answer_for_their_window() {
    let emulator = emulator(&[], 3);
    let port = emulator.port();
    ok(
        port,
        "CreateRelationalDatabase",
        serde_json::from_str(CREATE).unwrap(),
    );
    advance(port, 3.0 * 86_400.0);

    // Events: the creation and one backup a day at 10:00 UTC, within 1..=20160 minutes, in pages.
    let (code, _) = fails(
        port,
        "GetRelationalDatabaseEvents",
        json!({"relationalDatabaseName": "Database-1", "durationInMinutes": 20161}),
    );
    assert_eq!(code, "InvalidInputException");
    let mut messages = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"relationalDatabaseName": "Database-1", "durationInMinutes": 20160});
        if let Some(token) = &token {
            body["pageToken"] = json!(token);
        }
        let page = ok(port, "GetRelationalDatabaseEvents", body);
        let events = page["relationalDatabaseEvents"].as_array().unwrap();
        assert!(events.len() <= 3);
        for event in events {
            assert_eq!(event["resource"], "Database-1");
            messages.push(event["message"].as_str().unwrap().to_string());
        }
        match page["nextPageToken"].as_str() {
            Some(next) => token = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(messages[0], "Relational Database created");
    let backups = messages
        .iter()
        .filter(|m| *m == "Finished Relational Database backup")
        .count();
    assert_eq!(backups, 4, "{messages:?}");
    assert!(events(port, "Database-1", 1).is_empty());

    // Log streams and events: MySQL's four streams; lines in order, pages both ways.
    assert_eq!(
        ok(
            port,
            "GetRelationalDatabaseLogStreams",
            json!({"relationalDatabaseName": "Database-1"})
        )["logStreams"],
        json!(["audit", "error", "general", "slowquery"])
    );
    let head = ok(
        port,
        "GetRelationalDatabaseLogEvents",
        json!({"relationalDatabaseName": "Database-1", "logStreamName": "general", "startFromHead": true}),
    );
    let lines = head["resourceLogEvents"].as_array().unwrap();
    assert_eq!(lines.len(), 3);
    assert_eq!(head["nextBackwardToken"], "b/0");
    assert_eq!(head["nextForwardToken"], "f/3");
    assert!(lines[0]["createdAt"].as_f64().unwrap() >= T0);
    assert!(lines
        .windows(2)
        .all(|w| w[0]["createdAt"].as_f64() <= w[1]["createdAt"].as_f64()));
    let next = ok(
        port,
        "GetRelationalDatabaseLogEvents",
        json!({"relationalDatabaseName": "Database-1", "logStreamName": "general", "pageToken": "f/3"}),
    );
    assert_ne!(next["resourceLogEvents"], head["resourceLogEvents"]);
    let tail = ok(
        port,
        "GetRelationalDatabaseLogEvents",
        json!({"relationalDatabaseName": "Database-1", "logStreamName": "general"}),
    );
    let tail_lines = tail["resourceLogEvents"].as_array().unwrap();
    assert!(tail_lines.last().unwrap()["createdAt"].as_f64().unwrap() <= T0 + 3.0 * 86_400.0);
    let window = ok(
        port,
        "GetRelationalDatabaseLogEvents",
        json!({"relationalDatabaseName": "Database-1", "logStreamName": "error",
               "startTime": T0 + 86_400.0, "endTime": T0 + 90_000.0, "startFromHead": true}),
    );
    for line in window["resourceLogEvents"].as_array().unwrap() {
        let t = line["createdAt"].as_f64().unwrap();
        assert!((T0 + 86_400.0..=T0 + 90_000.0).contains(&t));
        assert!(line["message"].as_str().unwrap().contains("[MY-"));
    }
    let (code, _) = fails(
        port,
        "GetRelationalDatabaseLogEvents",
        json!({"relationalDatabaseName": "Database-1", "logStreamName": "postgresql"}),
    );
    assert_eq!(code, "InvalidInputException");

    // Metrics: CloudWatch's limits; the published unit only; datapoints only while the database exists.
    let metric = |start: f64, end: f64, period: i64, unit: &str| {
        json!({"relationalDatabaseName": "Database-1", "metricName": "CPUUtilization",
               "startTime": start, "endTime": end, "period": period, "unit": unit,
               "statistics": ["Average", "Maximum", "SampleCount"]})
    };
    let (code, message) = fails(
        port,
        "GetRelationalDatabaseMetricData",
        metric(T0, T0 + 86_460.0, 60, "Percent"),
    );
    assert_eq!(code, "InvalidInputException");
    assert!(message.contains("1,440"), "{message}");
    let (_, message) = fails(
        port,
        "GetRelationalDatabaseMetricData",
        metric(T0, T0 + 600.0, 90, "Percent"),
    );
    assert!(message.contains("multiple of 60"), "{message}");
    let empty = ok(
        port,
        "GetRelationalDatabaseMetricData",
        metric(T0, T0 + 86_400.0, 3600, "Count"),
    );
    assert_eq!(empty["metricData"], json!([]));
    let data = ok(
        port,
        "GetRelationalDatabaseMetricData",
        metric(T0 - 86_400.0, T0 + 86_400.0, 3600, "Percent"),
    );
    assert_eq!(data["metricName"], "CPUUtilization");
    let points = data["metricData"].as_array().unwrap();
    // 24 hours after the start, and the partial hour the database was created in.
    assert_eq!(points.len(), 25);
    assert!(points[0]["timestamp"].as_f64().unwrap() <= T0);
    for point in points {
        assert_eq!(point["unit"], "Percent");
        let average = point["average"].as_f64().unwrap();
        assert!(average > 0.0 && average < 100.0 && point["maximum"].as_f64().unwrap() >= average);
        assert!(point.get("sum").is_none());
    }
    assert_eq!(points[1]["sampleCount"], 60.0);
    let again = ok(
        port,
        "GetRelationalDatabaseMetricData",
        metric(T0 - 86_400.0, T0 + 86_400.0, 3600, "Percent"),
    );
    assert_eq!(again, data);
}
