//! Regions and accounts: state is per credential-scope region and per account; every region
//! Lightsail serves is accepted, any other is refused; ARNs, locations and support codes come from
//! the region, the account and the resource; GetRegions lists the catalogue.

mod common;

use common::*;
use lightsail_emulator::{clock, sigv4, AccessKey, Config};
use serde_json::json;

/// A call signed with `key` for `region`.
fn call_as(port: u16, key: &AccessKey, region: &str, operation: &str, body: &str) -> Raw {
    let mut request = lightsail_request(port, operation, body);
    sigv4::sign(
        &mut request,
        &key.id,
        &key.secret,
        region,
        &clock::amz_date(clock::real_now() as i64),
    );
    send(port, &request)
}

#[test]
fn state_is_per_region_and_per_account() {
    let example = AccessKey::new(KEY_ID, SECRET);
    let other = AccessKey::parse("AKIDOTHERACCOUNT:other-secret:444455556666").unwrap();
    let emulator = start(Config {
        access_keys: vec![example.clone(), other.clone()],
        ..deterministic()
    });
    let port = emulator.port();

    // The seeded instance lives in the default account and region only.
    let here = call_as(port, &example, "us-west-2", "GetInstances", "{}").json();
    assert_eq!(here["instances"].as_array().unwrap().len(), 1);
    let ireland = call_as(port, &example, "eu-west-1", "GetInstances", "{}").json();
    assert_eq!(ireland["instances"], json!([]));
    let elsewhere = call_as(port, &other, "us-west-2", "GetInstances", "{}").json();
    assert_eq!(elsewhere["instances"], json!([]));

    // A snapshot created in one account is invisible to the other.
    let created = call_as(
        port,
        &example,
        "us-west-2",
        "CreateInstanceSnapshot",
        CREATE_SEED,
    );
    assert_eq!(created.status, 200, "{}", created.text());
    let snapshot = call_as(
        port,
        &example,
        "us-west-2",
        "GetInstanceSnapshot",
        r#"{"instanceSnapshotName": "WordPress-Snapshot-1"}"#,
    )
    .json();
    let arn = snapshot["instanceSnapshot"]["arn"].as_str().unwrap();
    assert!(
        arn.starts_with("arn:aws:lightsail:us-west-2:111122223333:InstanceSnapshot/"),
        "{arn}"
    );
    assert!(snapshot["instanceSnapshot"]["supportCode"]
        .as_str()
        .unwrap()
        .starts_with("111122223333/ami-"));
    let missing = call_as(
        port,
        &other,
        "us-west-2",
        "GetInstanceSnapshot",
        r#"{"instanceSnapshotName": "WordPress-Snapshot-1"}"#,
    );
    assert_eq!(missing.error_code(), "NotFoundException");
    let not_here = call_as(
        port,
        &example,
        "eu-west-1",
        "CreateInstanceSnapshot",
        CREATE_SEED,
    );
    assert_eq!(not_here.error_code(), "NotFoundException");
    assert_eq!(
        not_here.message(),
        "The Instance does not exist: WordPress-1"
    );

    // Operations are per region too.
    let ops = call_as(port, &example, "eu-west-1", "GetOperations", "{}").json();
    assert_eq!(ops["operations"], json!([]));
}

#[test]
fn the_default_region_sets_arns_and_locations() {
    let emulator = start(Config {
        region: "ap-northeast-2".into(),
        allow_unsigned: true,
        ..deterministic()
    });
    let port = emulator.port();
    let unsigned = send(
        port,
        &lightsail_request(port, "GetInstance", r#"{"instanceName": "WordPress-1"}"#),
    )
    .json();
    let instance = &unsigned["instance"];
    assert!(instance["arn"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:lightsail:ap-northeast-2:111122223333:Instance/"));
    assert_eq!(
        instance["location"],
        json!({"availabilityZone": "ap-northeast-2a", "regionName": "ap-northeast-2"})
    );
    // Signed for us-west-2 (a region Lightsail serves): another, empty region.
    let key = AccessKey::new(KEY_ID, SECRET);
    let oregon = call_as(port, &key, "us-west-2", "GetInstances", "{}").json();
    assert_eq!(oregon["instances"], json!([]));
}

#[test]
fn unserved_regions_are_refused_unless_configured() {
    let key = AccessKey::new(KEY_ID, SECRET);
    let emulator = start(deterministic());
    let port = emulator.port();
    for region in ["us-west-1", "sa-east-1", "mars-north-1"] {
        let refused = call_as(port, &key, region, "GetInstances", "{}");
        assert_eq!(
            refused.error_code(),
            "InvalidSignatureException",
            "{region}"
        );
        assert_eq!(
            refused.message(),
            format!("Credential should be scoped to a valid region, not '{region}'. ")
        );
    }
    // A region configured with --region is served even though Lightsail does not serve it.
    let configured = start(Config {
        region: "sa-east-1".into(),
        ..deterministic()
    });
    let answer = call_as(configured.port(), &key, "sa-east-1", "GetInstances", "{}").json();
    assert_eq!(
        answer["instances"][0]["location"]["availabilityZone"],
        "sa-east-1a"
    );
}

#[test]
fn get_regions_lists_the_catalogue() {
    let emulator = start(deterministic());
    let port = emulator.port();
    let plain = call(port, "GetRegions", "{}").json();
    let regions = plain["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 16);
    // The AWS CLI's get-regions example, first entry, member for member.
    assert_eq!(
        regions[0],
        json!({
            "continentCode": "NA",
            "description": "This region is recommended to serve users in the eastern United States",
            "displayName": "Virginia",
            "name": "us-east-1",
            "availabilityZones": [],
            "relationalDatabaseAvailabilityZones": []
        })
    );
    let zoned = call(port, "GetRegions", r#"{"includeAvailabilityZones": true}"#).json();
    let oregon = zoned["regions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "us-west-2")
        .unwrap()
        .clone();
    assert_eq!(
        oregon["availabilityZones"][0],
        json!({"zoneName": "us-west-2a", "state": "available"})
    );
    assert_eq!(oregon["relationalDatabaseAvailabilityZones"], json!([]));
}

#[test]
fn admin_calls_run_as_the_default_account_and_region() {
    let emulator = start(deterministic());
    let port = emulator.port();
    let created = admin(
        port,
        "POST",
        "/_emulator/call",
        &json!({"target": "CreateInstanceSnapshot", "body": {"instanceName": "WordPress-1", "instanceSnapshotName": "s-1"}}).to_string(),
    );
    assert_eq!(created.status, 200, "{}", created.text());
    assert_eq!(
        created.json()["operations"][0]["id"],
        "4c3db559-9dd0-41e7-89c0-2cb88c19786f"
    );
    // Not journaled.
    assert_eq!(
        admin(port, "GET", "/_emulator/requests", "").json(),
        json!([])
    );
    // Visible to signed calls of the default account and region.
    let got = call(
        port,
        "GetInstanceSnapshot",
        r#"{"instanceSnapshotName": "s-1"}"#,
    );
    assert_eq!(got.status, 200);
    // Errors come back as the call would answer them; bad requests are refused.
    let missing = admin(
        port,
        "POST",
        "/_emulator/call",
        r#"{"target": "GetInstance", "body": {"instanceName": "nope"}}"#,
    );
    assert_eq!(
        (missing.status, missing.error_code()),
        (400, "NotFoundException".to_string())
    );
    let invalid = admin(
        port,
        "POST",
        "/_emulator/call",
        r#"{"target": "GetInstance", "body": {"instanceName": "-x-"}}"#,
    );
    assert_eq!(invalid.error_code(), "InvalidInputException");
    assert_eq!(
        admin(port, "POST", "/_emulator/call", r#"{"target": "Bogus"}"#).status,
        400
    );
    let other_region = admin(
        port,
        "POST",
        "/_emulator/call",
        r#"{"target": "GetInstances", "region": "eu-west-1"}"#,
    );
    assert_eq!(other_region.json()["instances"], json!([]));
    // The emulator's own time per call, by target (signed calls only; admin calls are not counted).
    let stats = admin(port, "GET", "/_emulator/stats", "").json();
    let gets = &stats["Lightsail_20161128.GetInstanceSnapshot"];
    assert_eq!(gets["count"], 1);
    assert!(gets["total_us"].as_u64().unwrap() >= gets["max_us"].as_u64().unwrap());
    assert!(stats
        .get("Lightsail_20161128.CreateInstanceSnapshot")
        .is_none());
    let implemented = admin(port, "GET", "/_emulator/operations", "").json();
    assert!(implemented["operations"]
        .as_array()
        .unwrap()
        .contains(&json!("GetRegions")));
}
