//! The managed edge families on the deterministic clock (one test binary for the four, to keep link
//! time down): a container service from creation to deletion (PENDING -> DEPLOYING -> RUNNING, a
//! second deployment from a registered image, UPDATING -> DISABLED, logs, metrics, the registry
//! login), certificates and distributions together (PENDING_VALIDATION -> ISSUED, InProgress ->
//! Deployed, attach/detach with the certificate's use count on the other side, cache resets, the
//! bundle change), and DNS zones with their records; each with the service's refusals on the way.

mod common;
#[path = "support/family.rs"]
mod family;

use std::collections::BTreeMap;

use common::*;
use family::advance;
use lightsail_emulator::{Config, Delays};
use serde_json::{json, Value};

const EAST: &str = "us-east-1";
const WEST: &str = "us-west-2";

fn emulator(delays: &[(&str, f64)]) -> lightsail_emulator::Handle {
    start(Config {
        delays: Delays {
            default: 0.0,
            by_key: delays
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect::<BTreeMap<_, _>>(),
        },
        ..deterministic()
    })
}

fn ok_in(port: u16, region: &str, operation: &str, body: Value) -> Value {
    let response = call_in(port, region, operation, &body.to_string());
    assert_eq!(response.status, 200, "{operation}: {}", response.text());
    response.json()
}

fn ok(port: u16, operation: &str, body: Value) -> Value {
    ok_in(port, WEST, operation, body)
}

fn fails_in(port: u16, region: &str, operation: &str, body: Value) -> (String, String) {
    let response = call_in(port, region, operation, &body.to_string());
    assert_eq!(response.status, 400, "{operation}: {}", response.text());
    (response.error_code(), response.message())
}

fn fails(port: u16, operation: &str, body: Value) -> (String, String) {
    fails_in(port, WEST, operation, body)
}

fn service(port: u16) -> Value {
    ok(
        port,
        "GetContainerServices",
        json!({"serviceName": "web-1"}),
    )["containerServices"][0]
        .clone()
}

fn operation_of(port: u16, region: &str, id: &str) -> Value {
    ok_in(port, region, "GetOperation", json!({ "operationId": id }))["operation"].clone()
}

fn deployment_states(port: u16) -> Vec<(i64, String)> {
    ok(
        port,
        "GetContainerServiceDeployments",
        json!({"serviceName": "web-1"}),
    )["deployments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["version"].as_i64().unwrap(),
                d["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_container_service_from_creation_to_deletion() {
    let emulator = emulator(&[
        ("ContainerService", 60.0),
        ("ContainerService.deployment", 120.0),
        ("ContainerService.update", 30.0),
    ]);
    let port = emulator.port();
    let first = json!({
        "containers": {"app": {"image": "nginx:latest", "environment": {"MODE": "prod"},
                                "ports": {"80": "HTTP"}}},
        "publicEndpoint": {"containerName": "app", "containerPort": 80,
                           "healthCheck": {"path": "/health"}}
    });
    let created = ok(
        port,
        "CreateContainerService",
        json!({"serviceName": "web-1", "power": "nano", "scale": 1, "deployment": first}),
    )["containerService"]
        .clone();
    assert_eq!(created["state"], "PENDING");
    assert_eq!(created["powerId"], "nano-1");
    assert_eq!(created["nextDeployment"]["state"], "ACTIVATING");
    assert_eq!(
        created["nextDeployment"]["publicEndpoint"]["healthCheck"]["path"],
        "/health"
    );
    assert!(created.get("currentDeployment").is_none());
    let operations = ok(
        port,
        "GetOperationsForResource",
        json!({"resourceName": "web-1"}),
    )["operations"]
        .clone();
    assert_eq!(operations[0]["operationType"], "CreateContainerService");
    assert_eq!(operations[0]["status"], "Started");
    let create_operation = operations[0]["id"].as_str().unwrap().to_string();

    // No deployment or update while it is being created.
    let (code, _) = fails(
        port,
        "CreateContainerServiceDeployment",
        json!({"serviceName": "web-1", "containers": {"app": {"image": "nginx"}}}),
    );
    assert_eq!(code, "InvalidInputException");
    let (code, _) = fails(
        port,
        "UpdateContainerService",
        json!({"serviceName": "web-1", "scale": 2}),
    );
    assert_eq!(code, "InvalidInputException");

    advance(port, 60.0);
    let deploying = service(port);
    assert_eq!(deploying["state"], "DEPLOYING");
    assert_eq!(deploying["stateDetail"]["code"], "CREATING_DEPLOYMENT");
    assert_eq!(deployment_states(port), [(1, "ACTIVATING".to_string())]);

    advance(port, 120.0);
    let running = service(port);
    assert_eq!(running["state"], "RUNNING");
    assert_eq!(running["currentDeployment"]["state"], "ACTIVE");
    assert_eq!(
        running["currentDeployment"]["containers"]["app"]["environment"],
        json!({"MODE": "prod"})
    );
    assert!(running.get("nextDeployment").is_none());
    assert!(running.get("stateDetail").is_none());
    let finished = operation_of(port, WEST, &create_operation);
    assert_eq!(finished["status"], "Succeeded");
    assert_eq!(finished["isTerminal"], true);

    // Two images under one label are versions 1 and 2, newest first.
    for digest in ["sha256:aaaa", "sha256:bbbb"] {
        ok(
            port,
            "RegisterContainerImage",
            json!({"serviceName": "web-1", "label": "site", "digest": digest}),
        );
    }
    let images: Vec<Value> = ok(port, "GetContainerImages", json!({"serviceName": "web-1"}))
        ["containerImages"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(images[0]["image"], ":web-1.site.2");
    assert_eq!(images[0]["digest"], "sha256:bbbb");
    assert_eq!(images[1]["image"], ":web-1.site.1");

    // A second deployment from the registered image.
    let (code, message) = fails(
        port,
        "CreateContainerServiceDeployment",
        json!({"serviceName": "web-1", "containers": {"app": {"image": ":web-1.other.1"}}}),
    );
    assert_eq!(code, "InvalidInputException");
    assert!(message.contains(":web-1.other.1"), "{message}");
    let deploying = ok(
        port,
        "CreateContainerServiceDeployment",
        json!({"serviceName": "web-1",
               "containers": {"app": {"image": ":web-1.site.2", "ports": {"80": "HTTP"}},
                              "worker": {"image": "redis:7", "command": ["redis-server"]}},
               "publicEndpoint": {"containerName": "app", "containerPort": 80}}),
    )["containerService"]
        .clone();
    assert_eq!(deploying["state"], "DEPLOYING");
    assert_eq!(deploying["nextDeployment"]["version"], 2);
    assert_eq!(deploying["currentDeployment"]["version"], 1);
    assert_eq!(
        deployment_states(port),
        [(2, "ACTIVATING".to_string()), (1, "ACTIVE".to_string())]
    );
    let (code, _) = fails(
        port,
        "DeleteContainerImage",
        json!({"serviceName": "web-1", "image": ":web-1.site.2"}),
    );
    assert_eq!(code, "InvalidInputException");
    advance(port, 120.0);
    assert_eq!(
        deployment_states(port),
        [(2, "ACTIVE".to_string()), (1, "INACTIVE".to_string())]
    );
    assert_eq!(service(port)["state"], "RUNNING");
    ok(
        port,
        "DeleteContainerImage",
        json!({"serviceName": "web-1", "image": ":web-1.site.1"}),
    );
    let images = ok(port, "GetContainerImages", json!({"serviceName": "web-1"}));
    assert_eq!(images["containerImages"].as_array().unwrap().len(), 1);

    // Logs: one line a minute per container while a deployment runs it.
    let log = ok(
        port,
        "GetContainerLog",
        json!({"serviceName": "web-1", "containerName": "app", "filterPattern": "\"GET /health\""}),
    );
    let events = log["logEvents"].as_array().unwrap();
    assert!(!events.is_empty());
    assert!(events
        .iter()
        .all(|e| e["message"].as_str().unwrap().contains("GET /health")));
    let worker = ok(
        port,
        "GetContainerLog",
        json!({"serviceName": "web-1", "containerName": "worker"}),
    );
    assert_eq!(worker["logEvents"].as_array().unwrap().len(), 2);
    let (code, _) = fails(
        port,
        "GetContainerLog",
        json!({"serviceName": "web-1", "containerName": "nobody"}),
    );
    assert_eq!(code, "NotFoundException");

    // Metrics: five-minute samples since creation (300 s ago at least).
    let metrics = ok(
        port,
        "GetContainerServiceMetricData",
        json!({"serviceName": "web-1", "metricName": "CPUUtilization",
               "startTime": 1569866400, "endTime": 1569867000, "period": 300,
               "statistics": ["Average", "SampleCount"]}),
    );
    let points = metrics["metricData"].as_array().unwrap();
    assert!(!points.is_empty());
    assert!(points.iter().all(|p| p["unit"] == "Percent"));

    // An update goes through UPDATING; disabling ends DISABLED, enabling RUNNING again.
    let updating = ok(
        port,
        "UpdateContainerService",
        json!({"serviceName": "web-1", "power": "small", "scale": 3, "isDisabled": true}),
    )["containerService"]
        .clone();
    assert_eq!(updating["state"], "UPDATING");
    assert_eq!(updating["powerId"], "small-1");
    advance(port, 30.0);
    assert_eq!(service(port)["state"], "DISABLED");
    ok(
        port,
        "UpdateContainerService",
        json!({"serviceName": "web-1", "isDisabled": false}),
    );
    advance(port, 30.0);
    let enabled = service(port);
    assert_eq!(enabled["state"], "RUNNING");
    assert_eq!(enabled["scale"], 3);

    // Tags, then deletion.
    ok(
        port,
        "TagResource",
        json!({"resourceName": "web-1", "tags": [{"key": "team", "value": "edge"}]}),
    );
    assert_eq!(
        service(port)["tags"],
        json!([{"key": "team", "value": "edge"}])
    );
    ok(
        port,
        "DeleteContainerService",
        json!({"serviceName": "web-1"}),
    );
    let (code, _) = fails(
        port,
        "GetContainerServices",
        json!({"serviceName": "web-1"}),
    );
    assert_eq!(code, "NotFoundException");
    let (code, _) = fails(port, "GetContainerImages", json!({"serviceName": "web-1"}));
    assert_eq!(code, "NotFoundException");
    let types: Vec<String> = ok(port, "GetOperations", json!({}))["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["operationType"].as_str().unwrap().to_string())
        .collect();
    for expected in [
        "DeleteContainerService",
        "UpdateContainerService",
        "DeleteContainerImage",
        "CreateContainerServiceDeployment",
        "RegisterContainerImage",
        "CreateContainerService",
    ] {
        assert!(types.iter().any(|t| t == expected), "{expected}: {types:?}");
    }
}

#[test]
fn registry_logins_are_new_each_time_and_never_kept() {
    let emulator = emulator(&[]);
    let port = emulator.port();
    let first = ok(port, "CreateContainerServiceRegistryLogin", json!({}))["registryLogin"].clone();
    let second =
        ok(port, "CreateContainerServiceRegistryLogin", json!({}))["registryLogin"].clone();
    assert_eq!(first["username"], "AWS");
    assert_eq!(
        first["registry"],
        "111122223333.dkr.ecr.us-west-2.amazonaws.com"
    );
    assert_eq!(
        first["expiresAt"].as_f64().unwrap(),
        1569866438.48 + 12.0 * 3600.0
    );
    assert_ne!(first["password"], second["password"]);
    let state = admin(port, "GET", "/_emulator/state", "").text();
    assert!(!state.contains(first["password"].as_str().unwrap()));
    let metadata = ok(port, "GetContainerAPIMetadata", json!({}));
    assert_eq!(metadata["metadata"][0]["name"], "lightsailctlVersion");
}

fn certificate(port: u16, region: &str, name: &str) -> Value {
    ok_in(
        port,
        region,
        "GetCertificates",
        json!({"certificateName": name, "includeCertificateDetails": true}),
    )["certificates"][0]["certificateDetail"]
        .clone()
}

fn distribution(port: u16) -> Value {
    ok_in(
        port,
        EAST,
        "GetDistributions",
        json!({"distributionName": "cdn-1"}),
    )["distributions"][0]
        .clone()
}

#[test]
fn certificates_and_distributions_together() {
    let emulator = emulator(&[
        ("Certificate", 300.0),
        ("Distribution", 600.0),
        ("Distribution.cacheReset", 60.0),
    ]);
    let port = emulator.port();

    let created = ok_in(
        port,
        EAST,
        "CreateCertificate",
        json!({"certificateName": "cert-1", "domainName": "example.com",
               "subjectAlternativeNames": ["www.example.com"]}),
    );
    let detail = &created["certificate"]["certificateDetail"];
    assert_eq!(detail["status"], "PENDING_VALIDATION");
    assert_eq!(
        detail["subjectAlternativeNames"],
        json!(["example.com", "www.example.com"])
    );
    let records = detail["domainValidationRecords"].as_array().unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[1]["domainName"], "www.example.com");
    assert_eq!(records[1]["resourceRecord"]["type"], "CNAME");
    assert!(records[1]["resourceRecord"]["value"]
        .as_str()
        .unwrap()
        .ends_with(".acm-validations.aws."));
    assert_eq!(created["operations"][0]["status"], "Succeeded");
    // The summary leaves the detail out unless asked.
    let summary = ok_in(port, EAST, "GetCertificates", json!({}))["certificates"][0].clone();
    assert!(summary.get("certificateDetail").is_none());
    assert_eq!(summary["certificateName"], "cert-1");

    // Distributions answer only in us-east-1.
    let (code, message) = fails(port, "GetDistributions", json!({}));
    assert_eq!(code, "InvalidInputException");
    assert!(
        message.starts_with("Distribution-related APIs are only available in the us-east-1 Region")
    );

    let create = json!({
        "distributionName": "cdn-1",
        "origin": {"name": "WordPress-1", "regionName": "us-west-2", "protocolPolicy": "http-only"},
        "defaultCacheBehavior": {"behavior": "cache"},
        "cacheBehaviors": [{"path": "wp-admin/*", "behavior": "dont-cache"}],
        "bundleId": "small_1_0",
        "certificateName": "cert-1"
    });
    // The certificate is not issued yet.
    let (code, _) = fails_in(port, EAST, "CreateDistribution", create.clone());
    assert_eq!(code, "InvalidInputException");
    let mut without = create.clone();
    without.as_object_mut().unwrap().remove("certificateName");
    let created = ok_in(port, EAST, "CreateDistribution", without);
    let operation = created["operation"]["id"].as_str().unwrap().to_string();
    let new = &created["distribution"];
    assert_eq!(new["status"], "InProgress");
    assert_eq!(new["origin"]["resourceType"], "Instance");
    assert_eq!(new["origin"]["regionName"], "us-west-2");
    assert_eq!(new["originPublicDNS"], "192.0.2.10");
    assert!(new["domainName"]
        .as_str()
        .unwrap()
        .ends_with(".cloudfront.net"));
    assert_eq!(new["location"]["regionName"], "us-east-1");
    let (code, _) = fails_in(
        port,
        EAST,
        "UpdateDistribution",
        json!({"distributionName": "cdn-1", "isEnabled": false}),
    );
    assert_eq!(code, "OperationFailureException");

    advance(port, 300.0);
    let issued = certificate(port, EAST, "cert-1");
    assert_eq!(issued["status"], "ISSUED");
    assert_eq!(issued["issuedAt"], 1569866738.48);
    assert_eq!(
        issued["domainValidationRecords"][0]["validationStatus"],
        "SUCCESS"
    );
    assert_eq!(distribution(port)["status"], "InProgress");
    advance(port, 300.0);
    assert_eq!(distribution(port)["status"], "Deployed");
    assert_eq!(operation_of(port, EAST, &operation)["status"], "Succeeded");

    // Attach: both sides know it; the certificate cannot go while in use.
    ok_in(
        port,
        EAST,
        "AttachCertificateToDistribution",
        json!({"distributionName": "cdn-1", "certificateName": "cert-1"}),
    );
    let attached = distribution(port);
    assert_eq!(attached["certificateName"], "cert-1");
    assert_eq!(
        attached["alternativeDomainNames"],
        json!(["example.com", "www.example.com"])
    );
    assert_eq!(certificate(port, EAST, "cert-1")["inUseResourceCount"], 1);
    let (code, _) = fails_in(
        port,
        EAST,
        "DeleteCertificate",
        json!({"certificateName": "cert-1"}),
    );
    assert_eq!(code, "InvalidInputException");
    advance(port, 600.0);
    ok_in(
        port,
        EAST,
        "DetachCertificateFromDistribution",
        json!({"distributionName": "cdn-1"}),
    );
    let detached = distribution(port);
    assert!(detached.get("certificateName").is_none());
    assert_eq!(detached["alternativeDomainNames"], json!([]));
    assert_eq!(certificate(port, EAST, "cert-1")["inUseResourceCount"], 0);
    advance(port, 600.0);

    // Cache resets: InProgress, then Completed.
    let reset = ok_in(
        port,
        EAST,
        "ResetDistributionCache",
        json!({"distributionName": "cdn-1"}),
    );
    assert_eq!(reset["status"], "InProgress");
    let latest = ok_in(port, EAST, "GetDistributionLatestCacheReset", json!({}));
    assert_eq!(latest["status"], "InProgress");
    assert_eq!(latest["createTime"], reset["createTime"]);
    advance(port, 60.0);
    let latest = ok_in(
        port,
        EAST,
        "GetDistributionLatestCacheReset",
        json!({"distributionName": "cdn-1"}),
    );
    assert_eq!(latest["status"], "Completed");

    // The bundle changes once.
    ok_in(
        port,
        EAST,
        "UpdateDistributionBundle",
        json!({"distributionName": "cdn-1", "bundleId": "medium_1_0"}),
    );
    advance(port, 600.0);
    let changed = distribution(port);
    assert_eq!(changed["bundleId"], "medium_1_0");
    assert_eq!(changed["ableToUpdateBundle"], false);
    let (code, _) = fails_in(
        port,
        EAST,
        "UpdateDistributionBundle",
        json!({"distributionName": "cdn-1", "bundleId": "large_1_0"}),
    );
    assert_eq!(code, "OperationFailureException");

    // Metrics: a datapoint per requested period since creation, in the published unit only.
    let metrics = json!({"distributionName": "cdn-1", "metricName": "Requests",
        "startTime": 1569866400, "endTime": 1569870000, "period": 600, "unit": "None",
        "statistics": ["Sum", "SampleCount"]});
    let data = ok_in(port, EAST, "GetDistributionMetricData", metrics.clone());
    let points = data["metricData"].as_array().unwrap();
    assert_eq!(points.len(), 5);
    assert_eq!(points[1]["sampleCount"], 10.0);
    let mut percent = metrics.clone();
    percent["unit"] = json!("Percent");
    let data = ok_in(port, EAST, "GetDistributionMetricData", percent);
    assert_eq!(data["metricData"], json!([]));

    // Deletion: the distribution is gone, the certificate can go too.
    ok_in(
        port,
        EAST,
        "DeleteDistribution",
        json!({"distributionName": "cdn-1"}),
    );
    let (code, _) = fails_in(
        port,
        EAST,
        "GetDistributions",
        json!({"distributionName": "cdn-1"}),
    );
    assert_eq!(code, "NotFoundException");
    ok_in(
        port,
        EAST,
        "DeleteCertificate",
        json!({"certificateName": "cert-1"}),
    );
    let (code, _) = fails_in(
        port,
        EAST,
        "GetCertificates",
        json!({"certificateName": "cert-1"}),
    );
    assert_eq!(code, "NotFoundException");
}

#[test]
fn a_container_service_holds_its_certificate() {
    let emulator = emulator(&[]);
    let port = emulator.port();
    ok(
        port,
        "CreateCertificate",
        json!({"certificateName": "cert-1", "domainName": "example.com",
               "subjectAlternativeNames": ["www.example.com"]}),
    );
    let (code, message) = fails(
        port,
        "CreateContainerService",
        json!({"serviceName": "web-1", "power": "nano", "scale": 1,
               "publicDomainNames": {"cert-1": ["api.example.com"]}}),
    );
    assert_eq!(code, "InvalidInputException");
    assert!(message.contains("api.example.com"), "{message}");
    ok(
        port,
        "CreateContainerService",
        json!({"serviceName": "web-1", "power": "nano", "scale": 1,
               "publicDomainNames": {"cert-1": ["example.com", "www.example.com"]}}),
    );
    assert_eq!(certificate(port, WEST, "cert-1")["inUseResourceCount"], 1);
    let (code, _) = fails(
        port,
        "DeleteCertificate",
        json!({"certificateName": "cert-1"}),
    );
    assert_eq!(code, "InvalidInputException");
    ok(
        port,
        "UpdateContainerService",
        json!({"serviceName": "web-1", "publicDomainNames": {}}),
    );
    assert_eq!(certificate(port, WEST, "cert-1")["inUseResourceCount"], 0);
    ok(
        port,
        "UpdateContainerService",
        json!({"serviceName": "web-1", "publicDomainNames": {"cert-1": ["example.com"]}}),
    );
    assert_eq!(certificate(port, WEST, "cert-1")["inUseResourceCount"], 1);
    ok(
        port,
        "DeleteContainerService",
        json!({"serviceName": "web-1"}),
    );
    assert_eq!(certificate(port, WEST, "cert-1")["inUseResourceCount"], 0);
    ok(
        port,
        "DeleteCertificate",
        json!({"certificateName": "cert-1"}),
    );
}

fn entries(port: u16) -> Vec<(String, String, String)> {
    ok_in(
        port,
        EAST,
        "GetDomain",
        json!({"domainName": "example.com"}),
    )["domain"]["domainEntries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_string(),
                e["type"].as_str().unwrap().to_string(),
                e["target"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_dns_zone_and_its_records() {
    let emulator = emulator(&[]);
    let port = emulator.port();
    let (code, message) = fails(port, "CreateDomain", json!({"domainName": "example.com"}));
    assert_eq!(code, "InvalidInputException");
    assert!(message.starts_with("Domain-related APIs are only available in the us-east-1 Region"));

    let created = ok_in(
        port,
        EAST,
        "CreateDomain",
        json!({"domainName": "example.com", "tags": [{"key": "zone"}]}),
    );
    assert_eq!(created["operation"]["operationType"], "CreateDomain");
    assert_eq!(created["operation"]["location"]["regionName"], "global");
    let zone = ok_in(
        port,
        EAST,
        "GetDomain",
        json!({"domainName": "example.com"}),
    )["domain"]
        .clone();
    assert!(zone["arn"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:lightsail:global:111122223333:Domain/"));
    assert_eq!(zone["tags"], json!([{"key": "zone"}]));
    let types: Vec<String> = entries(port).into_iter().map(|e| e.1).collect();
    assert_eq!(types, ["NS", "NS", "NS", "NS", "SOA"]);

    let www = json!({"name": "www.example.com", "type": "A", "target": "192.0.2.0"});
    let created = ok_in(
        port,
        EAST,
        "CreateDomainEntry",
        json!({"domainName": "example.com", "domainEntry": www}),
    );
    assert_eq!(created["operation"]["operationType"], "CreateDomainEntry");
    let (code, _) = fails_in(
        port,
        EAST,
        "CreateDomainEntry",
        json!({"domainName": "example.com", "domainEntry": www}),
    );
    assert_eq!(code, "InvalidInputException");
    let id = ok_in(
        port,
        EAST,
        "GetDomain",
        json!({"domainName": "example.com"}),
    )["domain"]["domainEntries"][5]["id"]
        .clone();
    let updated = ok_in(
        port,
        EAST,
        "UpdateDomainEntry",
        json!({"domainName": "example.com", "domainEntry": {"id": id, "target": "192.0.2.7"}}),
    );
    assert_eq!(
        updated["operations"][0]["operationType"],
        "UpdateDomainEntry"
    );
    assert_eq!(
        entries(port)[5],
        (
            "www.example.com".to_string(),
            "A".to_string(),
            "192.0.2.7".to_string()
        )
    );
    ok_in(
        port,
        EAST,
        "DeleteDomainEntry",
        json!({"domainName": "example.com",
               "domainEntry": {"name": "www.example.com", "type": "A", "target": "192.0.2.7"}}),
    );
    assert_eq!(entries(port).len(), 5);
    let (code, _) = fails_in(
        port,
        EAST,
        "DeleteDomainEntry",
        json!({"domainName": "example.com",
               "domainEntry": {"name": "www.example.com", "type": "A", "target": "192.0.2.7"}}),
    );
    assert_eq!(code, "NotFoundException");

    // (GetOperationsForResource's resourceName has the ResourceName pattern, which a domain name
    // does not match; GetOperations lists the zone's operations.)
    let history = ok_in(port, EAST, "GetOperations", json!({}))["operations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["resourceName"] == "example.com")
        .count();
    assert_eq!(history, 4);
    ok_in(
        port,
        EAST,
        "DeleteDomain",
        json!({"domainName": "example.com"}),
    );
    let (code, _) = fails_in(
        port,
        EAST,
        "GetDomain",
        json!({"domainName": "example.com"}),
    );
    assert_eq!(code, "NotFoundException");
    assert_eq!(
        ok_in(port, EAST, "GetDomains", json!({}))["domains"],
        json!([])
    );
}
