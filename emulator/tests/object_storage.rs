//! Object storage on the deterministic clock: a bucket from creation to deletion (the account's
//! block-public-access sync over its first hour, updates, a bundle change once per billing cycle,
//! access keys whose secret shows once, an instance given access and the access taken back, forced
//! deletion), names unique across regions, and metric data reported once a day.

mod common;
#[path = "support/family.rs"]
mod family;

use common::*;
use family::{advance, fails, ok};
use serde_json::{json, Value};

const T0: f64 = 1569866438.48;

fn bucket(port: u16, body: Value) -> Value {
    ok(port, "GetBuckets", body)["buckets"][0].clone()
}

#[test]
fn a_bucket_from_creation_to_deletion() {
    let emulator = start(deterministic());
    let port = emulator.port();
    assert_eq!(
        ok(port, "GetBuckets", json!({})),
        json!({"buckets": [], "accountLevelBpaSync": {"status": "NeverSynced", "bpaImpactsLightsail": false}})
    );

    let created = ok(
        port,
        "CreateBucket",
        json!({"bucketName": "media-1", "bundleId": "small_1_0", "tags": [{"key": "env", "value": "ci"}]}),
    );
    let made = &created["bucket"];
    assert_eq!(made["name"], "media-1");
    assert_eq!(made["url"], "https://media-1.s3.us-west-2.amazonaws.com/");
    assert_eq!(made["state"], json!({"code": "OK"}));
    assert_eq!(made["objectVersioning"], "NeverEnabled");
    assert_eq!(made["ableToUpdateBundle"], true);
    assert_eq!(
        made["location"],
        json!({"availabilityZone": "all", "regionName": "us-west-2"})
    );
    assert!(made["arn"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:lightsail:us-west-2:111122223333:Bucket/"));
    assert!(made.get("cors").is_none());
    assert_eq!(created["operations"][0]["operationType"], "CreateBucket");
    assert_eq!(
        ok(
            port,
            "GetOperation",
            json!({"operationId": created["operations"][0]["id"]})
        )["operation"]["status"],
        "Succeeded"
    );

    // The account's BPA sync: on hold for the first hour, then in sync hourly.
    let sync = ok(port, "GetBuckets", json!({}))["accountLevelBpaSync"].clone();
    assert_eq!(
        sync,
        json!({"status": "NeverSynced", "message": "SYNC_ON_HOLD", "bpaImpactsLightsail": false})
    );
    advance(port, 5400.0);
    let sync = ok(port, "GetBuckets", json!({}))["accountLevelBpaSync"].clone();
    assert_eq!(sync["status"], "InSync");
    assert_eq!(sync["lastSyncedAt"], T0 + 3600.0);

    // Names are unique across the account's regions.
    let elsewhere = admin(
        port,
        "POST",
        "/_emulator/call",
        &json!({"target": "CreateBucket", "region": "eu-west-1",
                "body": {"bucketName": "media-1", "bundleId": "small_1_0"}})
        .to_string(),
    );
    assert_eq!(elsewhere.status, 400, "{}", elsewhere.text());
    assert!(elsewhere.text().contains("NameExists"));

    // Update: access rules merge, versioning, read-only accounts, access log, CORS (shown when set).
    ok(
        port,
        "CreateBucket",
        json!({"bucketName": "media-logs", "bundleId": "small_1_0"}),
    );
    let cors = json!({"rules": [{"id": "web", "allowedMethods": ["GET", "HEAD"],
                                  "allowedOrigins": ["https://example.com"], "maxAgeSeconds": 3000}]});
    let updated = ok(
        port,
        "UpdateBucket",
        json!({"bucketName": "media-1", "accessRules": {"getObject": "public"}, "versioning": "Enabled",
               "readonlyAccessAccounts": ["444455556666"],
               "accessLogConfig": {"enabled": true, "destination": "media-logs", "prefix": "logs/"},
               "cors": cors}),
    );
    assert_eq!(updated["operations"][0]["status"], "Succeeded");
    let changed = &updated["bucket"];
    assert_eq!(
        changed["accessRules"],
        json!({"getObject": "public", "allowPublicOverrides": false})
    );
    assert_eq!(changed["objectVersioning"], "Enabled");
    assert_eq!(changed["readonlyAccessAccounts"], json!(["444455556666"]));
    assert_eq!(
        changed["accessLogConfig"],
        json!({"enabled": true, "destination": "media-logs", "prefix": "logs/"})
    );
    assert_eq!(changed["cors"], cors);
    assert!(bucket(port, json!({"bucketName": "media-1"}))
        .get("cors")
        .is_none());
    assert_eq!(
        bucket(port, json!({"bucketName": "media-1", "includeCors": true}))["cors"],
        cors
    );
    let (code, _) = fails(port, "GetBuckets", json!({"includeCors": true}));
    assert_eq!(code, "InvalidInputException");
    ok(
        port,
        "UpdateBucket",
        json!({"bucketName": "media-1", "versioning": "Suspended"}),
    );
    assert_eq!(
        bucket(port, json!({"bucketName": "media-1"}))["objectVersioning"],
        "Suspended"
    );
    let (code, _) = fails(
        port,
        "UpdateBucket",
        json!({"bucketName": "media-1", "accessLogConfig": {"enabled": true, "destination": "no-such-bucket"}}),
    );
    assert_eq!(code, "NotFoundException");

    // The bundle changes once per billing cycle (a UTC month).
    ok(
        port,
        "UpdateBucketBundle",
        json!({"bucketName": "media-1", "bundleId": "medium_1_0"}),
    );
    let now = bucket(port, json!({"bucketName": "media-1"}));
    assert_eq!(now["bundleId"], "medium_1_0");
    assert_eq!(now["ableToUpdateBundle"], false);
    let (code, message) = fails(
        port,
        "UpdateBucketBundle",
        json!({"bucketName": "media-1", "bundleId": "large_1_0"}),
    );
    assert_eq!(code, "InvalidInputException");
    assert!(
        message.contains("once per monthly billing cycle"),
        "{message}"
    );
    // 2019-10-01 00:00 UTC is the next cycle.
    advance(port, 1_569_888_000.0 - (T0 + 5400.0));
    assert_eq!(
        bucket(port, json!({"bucketName": "media-1"}))["ableToUpdateBundle"],
        true
    );

    // Access keys: at most two; the secret only in CreateBucketAccessKey's answer.
    let first = ok(
        port,
        "CreateBucketAccessKey",
        json!({"bucketName": "media-1"}),
    );
    let key = &first["accessKey"];
    let id = key["accessKeyId"].as_str().unwrap().to_string();
    let secret = key["secretAccessKey"].as_str().unwrap().to_string();
    assert!(id.starts_with("AKIA") && id.len() == 20);
    assert_eq!(secret.len(), 40);
    assert_eq!(key["status"], "Active");
    ok(
        port,
        "CreateBucketAccessKey",
        json!({"bucketName": "media-1"}),
    );
    let (code, _) = fails(
        port,
        "CreateBucketAccessKey",
        json!({"bucketName": "media-1"}),
    );
    assert_eq!(code, "InvalidInputException");
    let keys = ok(
        port,
        "GetBucketAccessKeys",
        json!({"bucketName": "media-1"}),
    );
    assert_eq!(keys["accessKeys"].as_array().unwrap().len(), 2);
    assert_eq!(keys["accessKeys"][0]["accessKeyId"], json!(id));
    assert_eq!(
        keys["accessKeys"][0]["lastUsed"],
        json!({"region": "N/A", "serviceName": "N/A"})
    );
    for seen in [
        keys.to_string(),
        ok(port, "GetBuckets", json!({})).to_string(),
        admin(port, "GET", "/_emulator/state", "").text(),
        admin(port, "GET", "/_emulator/requests", "").text(),
        ok(port, "GetOperations", json!({})).to_string(),
    ] {
        assert!(!seen.contains(&secret), "the secret leaked: {seen}");
    }
    ok(
        port,
        "DeleteBucketAccessKey",
        json!({"bucketName": "media-1", "accessKeyId": id}),
    );
    let (code, _) = fails(
        port,
        "DeleteBucketAccessKey",
        json!({"bucketName": "media-1", "accessKeyId": id}),
    );
    assert_eq!(code, "NotFoundException");

    // An instance given access is listed when connected resources are asked for.
    let granted = ok(
        port,
        "SetResourceAccessForBucket",
        json!({"resourceName": "WordPress-1", "bucketName": "media-1", "access": "allow"}),
    );
    let ops = granted["operations"].as_array().unwrap();
    assert_eq!(
        (&ops[0]["resourceName"], &ops[1]["resourceName"]),
        (&json!("media-1"), &json!("WordPress-1"))
    );
    assert_eq!(
        bucket(port, json!({"bucketName": "media-1"}))["resourcesReceivingAccess"],
        json!([])
    );
    assert_eq!(
        bucket(
            port,
            json!({"bucketName": "media-1", "includeConnectedResources": true})
        )["resourcesReceivingAccess"],
        json!([{"name": "WordPress-1", "resourceType": "Instance"}])
    );
    let (code, _) = fails(
        port,
        "SetResourceAccessForBucket",
        json!({"resourceName": "Missing-1", "bucketName": "media-1", "access": "allow"}),
    );
    assert_eq!(code, "NotFoundException");
    ok(
        port,
        "SetResourceAccessForBucket",
        json!({"resourceName": "WordPress-1", "bucketName": "media-1", "access": "deny"}),
    );
    assert_eq!(
        bucket(
            port,
            json!({"bucketName": "media-1", "includeConnectedResources": true})
        )["resourcesReceivingAccess"],
        json!([])
    );

    // A bucket with a key needs forceDelete; then it is gone.
    let (code, message) = fails(port, "DeleteBucket", json!({"bucketName": "media-1"}));
    assert_eq!(code, "InvalidInputException");
    assert!(message.contains("forceDelete"), "{message}");
    ok(
        port,
        "TagResource",
        json!({"resourceName": "media-1", "tags": [{"key": "team"}]}),
    );
    assert_eq!(
        bucket(port, json!({"bucketName": "media-1"}))["tags"],
        json!([{"key": "env", "value": "ci"}, {"key": "team"}])
    );
    let deleted = ok(
        port,
        "DeleteBucket",
        json!({"bucketName": "media-1", "forceDelete": true}),
    );
    assert_eq!(deleted["operations"][0]["operationType"], "DeleteBucket");
    let (code, _) = fails(port, "GetBuckets", json!({"bucketName": "media-1"}));
    assert_eq!(code, "NotFoundException");
    let (code, _) = fails(
        port,
        "GetBucketAccessKeys",
        json!({"bucketName": "media-1"}),
    );
    assert_eq!(code, "NotFoundException");
    let names: Vec<Value> = ok(port, "GetBuckets", json!({}))["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].clone())
        .collect();
    assert_eq!(names, [json!("media-logs")]);
}

#[test]
fn metrics_are_reported_once_a_day() {
    let emulator = start(deterministic());
    let port = emulator.port();
    ok(
        port,
        "CreateBucket",
        json!({"bucketName": "media-1", "bundleId": "small_1_0"}),
    );
    advance(port, 5.0 * 86_400.0);
    let request = |metric: &str, period: i64, unit: &str| {
        json!({"bucketName": "media-1", "metricName": metric, "startTime": T0 - 86_400.0,
               "endTime": T0 + 5.0 * 86_400.0, "period": period, "unit": unit,
               "statistics": ["Average", "Maximum", "Minimum", "SampleCount", "Sum"]})
    };
    // Daily reports from the midnight after creation (2019-10-01) to now (2019-10-05 18:00).
    let daily = ok(
        port,
        "GetBucketMetricData",
        request("NumberOfObjects", 86_400, "Count"),
    );
    let points = daily["metricData"].as_array().unwrap();
    assert_eq!(points.len(), 5, "{points:?}");
    let counts: Vec<f64> = points
        .iter()
        .map(|p| p["average"].as_f64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] < w[1]), "{counts:?}");
    assert!(points
        .iter()
        .all(|p| p["sampleCount"] == 1.0 && p["unit"] == "Count"));
    // Hourly periods hold the same five reports.
    let hourly = ok(
        port,
        "GetBucketMetricData",
        request("NumberOfObjects", 3600, "Count"),
    );
    let hourly_counts: Vec<f64> = hourly["metricData"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["average"].as_f64().unwrap())
        .collect();
    assert_eq!(hourly_counts, counts);
    let size = ok(
        port,
        "GetBucketMetricData",
        request("BucketSizeBytes", 86_400, "Bytes"),
    );
    let sizes = size["metricData"].as_array().unwrap();
    assert_eq!(sizes.len(), 5);
    assert!(sizes
        .iter()
        .all(|p| p["maximum"] == p["minimum"] && p["sum"] == p["average"] && p["unit"] == "Bytes"));
    assert_eq!(
        ok(
            port,
            "GetBucketMetricData",
            request("BucketSizeBytes", 86_400, "Count")
        )["metricData"],
        json!([])
    );
    let (code, _) = fails(
        port,
        "GetBucketMetricData",
        request("NumberOfObjects", 60, "Count"),
    );
    assert_eq!(code, "InvalidInputException");
}
