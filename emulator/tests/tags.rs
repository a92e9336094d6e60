//! Tags and operations across every family, on the deterministic clock: each kind of resource whose
//! model shape carries `tags` (the list is derived from the model, so a new taggable shape fails this
//! test until it is covered) is created with a tag, tagged by name and by ARN, re-tagged (a key's value
//! is replaced), untagged, found with its Tag/Untag operations by GetOperationsForResource, deleted,
//! and then refused (`NotFoundException`); a resource without tags (a static IP) is refused as well.

mod common;
#[path = "support/family.rs"]
mod family;

use std::collections::BTreeSet;

use common::*;
use family::advance;
use lightsail_emulator::model::Model;
use lightsail_emulator::{Config, Delays};
use serde_json::{json, Value};

const EAST: &str = "us-east-1";
const WEST: &str = "us-west-2";

/// One taggable resource: how to make it, read its tags and delete it.
struct Taggable {
    /// The model shape that carries the tags (the `resourceType` of its operations, except for
    /// `LightsailDistribution`, whose resource type is `Distribution`).
    shape: &'static str,
    resource_type: &'static str,
    region: &'static str,
    name: &'static str,
    /// Calls that make it (dependencies first); the last one is given the creation tag.
    create: Vec<(&'static str, Value)>,
    /// The call that reads it and the JSON pointer of its `tags` there.
    get: (&'static str, Value, &'static str),
    /// The calls that delete it (and what it depended on).
    delete: Vec<(&'static str, Value)>,
}

fn taggables() -> Vec<Taggable> {
    let database = |name: &str| {
        json!({
            "relationalDatabaseName": name, "availabilityZone": "us-west-2a",
            "relationalDatabaseBlueprintId": "mysql_8_0", "relationalDatabaseBundleId": "micro_2_0",
            "masterDatabaseName": "dbmaster", "masterUsername": "dbmasteruser",
        })
    };
    vec![
        Taggable {
            shape: "Instance",
            resource_type: "Instance",
            region: WEST,
            name: "tag-instance",
            create: vec![(
                "CreateInstances",
                json!({"instanceNames": ["tag-instance"], "availabilityZone": "us-west-2a",
                       "blueprintId": "amazon_linux_2023", "bundleId": "nano_3_0"}),
            )],
            get: (
                "GetInstance",
                json!({"instanceName": "tag-instance"}),
                "/instance/tags",
            ),
            delete: vec![("DeleteInstance", json!({"instanceName": "tag-instance"}))],
        },
        Taggable {
            shape: "InstanceSnapshot",
            resource_type: "InstanceSnapshot",
            region: WEST,
            name: "tag-instance-snapshot",
            create: vec![(
                "CreateInstanceSnapshot",
                json!({"instanceName": "WordPress-1", "instanceSnapshotName": "tag-instance-snapshot"}),
            )],
            get: (
                "GetInstanceSnapshot",
                json!({"instanceSnapshotName": "tag-instance-snapshot"}),
                "/instanceSnapshot/tags",
            ),
            delete: vec![(
                "DeleteInstanceSnapshot",
                json!({"instanceSnapshotName": "tag-instance-snapshot"}),
            )],
        },
        Taggable {
            shape: "Disk",
            resource_type: "Disk",
            region: WEST,
            name: "tag-disk",
            create: vec![(
                "CreateDisk",
                json!({"diskName": "tag-disk", "availabilityZone": "us-west-2a", "sizeInGb": 8}),
            )],
            get: ("GetDisk", json!({"diskName": "tag-disk"}), "/disk/tags"),
            delete: vec![("DeleteDisk", json!({"diskName": "tag-disk"}))],
        },
        Taggable {
            shape: "DiskSnapshot",
            resource_type: "DiskSnapshot",
            region: WEST,
            name: "tag-disk-snapshot",
            create: vec![
                (
                    "CreateDisk",
                    json!({"diskName": "tag-disk-source", "availabilityZone": "us-west-2a", "sizeInGb": 8}),
                ),
                (
                    "CreateDiskSnapshot",
                    json!({"diskName": "tag-disk-source", "diskSnapshotName": "tag-disk-snapshot"}),
                ),
            ],
            get: (
                "GetDiskSnapshot",
                json!({"diskSnapshotName": "tag-disk-snapshot"}),
                "/diskSnapshot/tags",
            ),
            delete: vec![
                (
                    "DeleteDiskSnapshot",
                    json!({"diskSnapshotName": "tag-disk-snapshot"}),
                ),
                ("DeleteDisk", json!({"diskName": "tag-disk-source"})),
            ],
        },
        Taggable {
            shape: "KeyPair",
            resource_type: "KeyPair",
            region: WEST,
            name: "tag-key-pair",
            create: vec![("CreateKeyPair", json!({"keyPairName": "tag-key-pair"}))],
            get: (
                "GetKeyPair",
                json!({"keyPairName": "tag-key-pair"}),
                "/keyPair/tags",
            ),
            delete: vec![("DeleteKeyPair", json!({"keyPairName": "tag-key-pair"}))],
        },
        Taggable {
            shape: "LoadBalancer",
            resource_type: "LoadBalancer",
            region: WEST,
            name: "tag-load-balancer",
            create: vec![(
                "CreateLoadBalancer",
                json!({"loadBalancerName": "tag-load-balancer", "instancePort": 80}),
            )],
            get: (
                "GetLoadBalancer",
                json!({"loadBalancerName": "tag-load-balancer"}),
                "/loadBalancer/tags",
            ),
            delete: vec![(
                "DeleteLoadBalancer",
                json!({"loadBalancerName": "tag-load-balancer"}),
            )],
        },
        Taggable {
            shape: "LoadBalancerTlsCertificate",
            resource_type: "LoadBalancerTlsCertificate",
            region: WEST,
            name: "tag-lb-certificate",
            create: vec![
                (
                    "CreateLoadBalancer",
                    json!({"loadBalancerName": "tag-lb-host", "instancePort": 80}),
                ),
                (
                    "CreateLoadBalancerTlsCertificate",
                    json!({"loadBalancerName": "tag-lb-host", "certificateName": "tag-lb-certificate",
                           "certificateDomainName": "www.example.com"}),
                ),
            ],
            get: (
                "GetLoadBalancerTlsCertificates",
                json!({"loadBalancerName": "tag-lb-host"}),
                "/tlsCertificates/0/tags",
            ),
            delete: vec![
                (
                    "DeleteLoadBalancerTlsCertificate",
                    json!({"loadBalancerName": "tag-lb-host", "certificateName": "tag-lb-certificate"}),
                ),
                (
                    "DeleteLoadBalancer",
                    json!({"loadBalancerName": "tag-lb-host"}),
                ),
            ],
        },
        Taggable {
            shape: "Alarm",
            resource_type: "Alarm",
            region: WEST,
            name: "tag-alarm",
            create: vec![(
                "PutAlarm",
                json!({"alarmName": "tag-alarm", "metricName": "CPUUtilization",
                       "monitoredResourceName": "WordPress-1", "comparisonOperator": "GreaterThanThreshold",
                       "threshold": 50, "evaluationPeriods": 1}),
            )],
            get: (
                "GetAlarms",
                json!({"alarmName": "tag-alarm"}),
                "/alarms/0/tags",
            ),
            delete: vec![("DeleteAlarm", json!({"alarmName": "tag-alarm"}))],
        },
        Taggable {
            shape: "ContactMethod",
            resource_type: "ContactMethod",
            region: WEST,
            name: "Email-us-west-2",
            create: vec![(
                "CreateContactMethod",
                json!({"protocol": "Email", "contactEndpoint": "ops@example.com"}),
            )],
            get: ("GetContactMethods", json!({}), "/contactMethods/0/tags"),
            delete: vec![("DeleteContactMethod", json!({"protocol": "Email"}))],
        },
        Taggable {
            shape: "RelationalDatabase",
            resource_type: "RelationalDatabase",
            region: WEST,
            name: "tag-database",
            create: vec![("CreateRelationalDatabase", database("tag-database"))],
            get: (
                "GetRelationalDatabase",
                json!({"relationalDatabaseName": "tag-database"}),
                "/relationalDatabase/tags",
            ),
            delete: vec![(
                "DeleteRelationalDatabase",
                json!({"relationalDatabaseName": "tag-database", "skipFinalSnapshot": true}),
            )],
        },
        Taggable {
            shape: "RelationalDatabaseSnapshot",
            resource_type: "RelationalDatabaseSnapshot",
            region: WEST,
            name: "tag-database-snapshot",
            create: vec![
                ("CreateRelationalDatabase", database("tag-database-source")),
                (
                    "CreateRelationalDatabaseSnapshot",
                    json!({"relationalDatabaseName": "tag-database-source",
                           "relationalDatabaseSnapshotName": "tag-database-snapshot"}),
                ),
            ],
            get: (
                "GetRelationalDatabaseSnapshot",
                json!({"relationalDatabaseSnapshotName": "tag-database-snapshot"}),
                "/relationalDatabaseSnapshot/tags",
            ),
            delete: vec![
                (
                    "DeleteRelationalDatabaseSnapshot",
                    json!({"relationalDatabaseSnapshotName": "tag-database-snapshot"}),
                ),
                (
                    "DeleteRelationalDatabase",
                    json!({"relationalDatabaseName": "tag-database-source", "skipFinalSnapshot": true}),
                ),
            ],
        },
        Taggable {
            shape: "Bucket",
            resource_type: "Bucket",
            region: WEST,
            name: "tag-bucket",
            create: vec![(
                "CreateBucket",
                json!({"bucketName": "tag-bucket", "bundleId": "small_1_0"}),
            )],
            get: (
                "GetBuckets",
                json!({"bucketName": "tag-bucket"}),
                "/buckets/0/tags",
            ),
            delete: vec![("DeleteBucket", json!({"bucketName": "tag-bucket"}))],
        },
        Taggable {
            shape: "ContainerService",
            resource_type: "ContainerService",
            region: WEST,
            name: "tag-service",
            create: vec![(
                "CreateContainerService",
                json!({"serviceName": "tag-service", "power": "nano", "scale": 1}),
            )],
            get: (
                "GetContainerServices",
                json!({"serviceName": "tag-service"}),
                "/containerServices/0/tags",
            ),
            delete: vec![(
                "DeleteContainerService",
                json!({"serviceName": "tag-service"}),
            )],
        },
        Taggable {
            shape: "Certificate",
            resource_type: "Certificate",
            region: EAST,
            name: "tag-certificate",
            create: vec![(
                "CreateCertificate",
                json!({"certificateName": "tag-certificate", "domainName": "example.com"}),
            )],
            get: (
                "GetCertificates",
                json!({"certificateName": "tag-certificate"}),
                "/certificates/0/tags",
            ),
            delete: vec![(
                "DeleteCertificate",
                json!({"certificateName": "tag-certificate"}),
            )],
        },
        Taggable {
            shape: "LightsailDistribution",
            resource_type: "Distribution",
            region: EAST,
            name: "tag-distribution",
            create: vec![(
                "CreateDistribution",
                json!({"distributionName": "tag-distribution",
                       "origin": {"name": "WordPress-1", "regionName": "us-west-2"},
                       "defaultCacheBehavior": {"behavior": "cache"}, "bundleId": "small_1_0"}),
            )],
            get: (
                "GetDistributions",
                json!({"distributionName": "tag-distribution"}),
                "/distributions/0/tags",
            ),
            delete: vec![(
                "DeleteDistribution",
                json!({"distributionName": "tag-distribution"}),
            )],
        },
        Taggable {
            shape: "Domain",
            resource_type: "Domain",
            region: EAST,
            name: "example.org",
            create: vec![("CreateDomain", json!({"domainName": "example.org"}))],
            get: (
                "GetDomain",
                json!({"domainName": "example.org"}),
                "/domain/tags",
            ),
            delete: vec![("DeleteDomain", json!({"domainName": "example.org"}))],
        },
    ]
}

fn ok(port: u16, region: &str, operation: &str, body: &Value) -> Value {
    let response = call_in(port, region, operation, &body.to_string());
    assert_eq!(
        response.status,
        200,
        "{operation} {body}: {}",
        response.text()
    );
    response.json()
}

/// The model's resource shapes that carry tags (requests and summaries left out).
fn taggable_shapes_of_the_model() -> BTreeSet<String> {
    Model::shared()
        .unwrap()
        .shapes
        .iter()
        .filter(|shape| shape.members.iter().any(|m| m.name == "tags"))
        .map(|shape| shape.name.clone())
        .filter(|name| !name.ends_with("Request") && !name.ends_with("Summary"))
        .collect()
}

#[test]
fn every_taggable_resource_is_tagged_untagged_and_deleted() {
    let emulator = start(Config {
        delays: Delays {
            default: 60.0,
            ..Delays::default()
        },
        ..deterministic()
    });
    let port = emulator.port();
    let resources = taggables();
    let covered: BTreeSet<String> = resources.iter().map(|r| r.shape.to_string()).collect();
    assert_eq!(
        covered,
        taggable_shapes_of_the_model(),
        "every taggable shape of the model is walked here"
    );

    for resource in &resources {
        let what = resource.resource_type;
        let region = resource.region;
        let (last, first) = resource.create.split_last().unwrap();
        for (operation, body) in first {
            ok(port, region, operation, body);
            advance(port, 3600.0);
        }
        let mut body = last.1.clone();
        body["tags"] = json!([{"key": "made", "value": "at-create"}]);
        ok(port, region, last.0, &body);
        advance(port, 3600.0);
        let (get, get_body, pointer) = &resource.get;
        let tags = |port| ok(port, region, get, get_body).pointer(pointer).cloned();
        assert_eq!(
            tags(port),
            Some(json!([{"key": "made", "value": "at-create"}])),
            "{what}"
        );

        tag_untag_and_history(port, resource);

        for (operation, body) in &resource.delete {
            ok(port, region, operation, body);
            advance(port, 3600.0);
        }
        let gone = call_in(port, region, get, &get_body.to_string());
        let absent = gone.status == 400 && gone.error_code() == "NotFoundException"
            || gone.status == 200 && gone.json().pointer(pointer).is_none();
        assert!(absent, "{what}: still there after delete: {}", gone.text());
        let refused = call_in(
            port,
            region,
            "TagResource",
            &json!({"resourceName": resource.name, "tags": [{"key": "late"}]}).to_string(),
        );
        assert_eq!(
            (refused.status, refused.error_code()),
            (400, "NotFoundException".to_string()),
            "{what}: {}",
            refused.text()
        );
    }

    // A static IP has no tags in the model: tagging it is refused.
    ok(
        port,
        WEST,
        "AllocateStaticIp",
        &json!({"staticIpName": "tag-static-ip"}),
    );
    let refused = call_in(
        port,
        WEST,
        "TagResource",
        &json!({"resourceName": "tag-static-ip", "tags": [{"key": "env"}]}).to_string(),
    );
    assert_eq!(refused.status, 400, "{}", refused.text());
    assert_eq!(refused.error_code(), "InvalidInputException");
}

/// Tags by name and by ARN, re-tags, untags, and finds the operations by resource.
fn tag_untag_and_history(port: u16, resource: &Taggable) {
    let what = resource.resource_type;
    let region = resource.region;
    let (get, get_body, pointer) = &resource.get;
    let tags = |port| ok(port, region, get, get_body).pointer(pointer).cloned();
    let creation = resource.create.last().unwrap().0;
    let tagged = ok(
        port,
        region,
        "TagResource",
        &json!({"resourceName": resource.name,
                "tags": [{"key": "env", "value": "ci"}, {"key": "bare"}]}),
    );
    let operation = &tagged["operations"][0];
    assert_eq!(operation["operationType"], "TagResource", "{what}");
    assert_eq!(operation["resourceType"], what, "{what}");
    assert_eq!(operation["resourceName"], resource.name, "{what}");
    assert_eq!(operation["status"], "Succeeded", "{what}");
    assert!(operation["location"]["regionName"].is_string(), "{what}");
    assert_eq!(
        tags(port),
        Some(json!([{"key": "made", "value": "at-create"},
                    {"key": "env", "value": "ci"}, {"key": "bare"}])),
        "{what}"
    );

    // By ARN (the name is required by the model but the ARN picks the resource), a key's value
    // replaced in place.
    let read = ok(port, region, get, get_body);
    let arn = ["/arn", "/certificateArn"]
        .iter()
        .find_map(|leaf| read.pointer(&pointer.replace("/tags", leaf)))
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{what}: no arn beside {pointer}: {read}"))
        .to_string();
    ok(
        port,
        region,
        "TagResource",
        &json!({"resourceName": resource.name, "resourceArn": arn,
                "tags": [{"key": "env", "value": "prod"}]}),
    );
    assert_eq!(
        tags(port),
        Some(json!([{"key": "made", "value": "at-create"},
                    {"key": "env", "value": "prod"}, {"key": "bare"}])),
        "{what}"
    );

    let untagged = ok(
        port,
        region,
        "UntagResource",
        &json!({"resourceName": resource.name, "tagKeys": ["made", "env", "absent"]}),
    );
    assert_eq!(
        untagged["operations"][0]["operationType"], "UntagResource",
        "{what}"
    );
    assert_eq!(tags(port), Some(json!([{"key": "bare"}])), "{what}");

    let history = ok(
        port,
        region,
        "GetOperationsForResource",
        &json!({"resourceName": resource.name}),
    );
    let types: Vec<&str> = history["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["operationType"].as_str().unwrap())
        .collect();
    assert_eq!(
        &types[..3],
        ["UntagResource", "TagResource", "TagResource"],
        "{what}: newest first"
    );
    let created = types.last().unwrap();
    assert!(
        creation.starts_with(created),
        "{what}: the oldest operation is the creation ({created}, {})",
        creation
    );
}
