//! Instances, as seeded (`--instance NAME`): GetInstance and GetInstances.
//!
//! The exemplar of a read-side family. Part 2 (issue 14) adds CreateInstances and the rest of the
//! instance operations here; the seeded instance is the WordPress one of the AWS CLI's examples
//! (`src/help/examples/get-instance.rst`), running, with the model's every member present.

use serde_json::{json, Value};

use crate::engine::{input, Ctx, Registry};
use crate::error::ApiError;

/// The `resourceType` (and store kind) of instances.
pub const KIND: &str = "Instance";

pub fn register(registry: &mut Registry) {
    registry
        .add("GetInstance", get_instance)
        .add("GetInstances", get_instances);
}

fn get_instance(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "instanceName");
    let instance = ctx.db().require(KIND, name)?;
    Ok(json!({ "instance": instance }))
}

fn get_instances(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    Ok(ctx.page(KIND, input)?.into_output("instances"))
}

/// Creates the seeded instances (created a day before the deterministic epoch).
pub fn seed(ctx: &mut Ctx<'_>, names: &[String]) -> Result<(), ApiError> {
    let created_at = if ctx.settings.deterministic {
        crate::engine::clock::SEED_EPOCH - 86_400.0
    } else {
        ctx.now()
    };
    for (index, name) in names.iter().enumerate() {
        let instance = seeded_instance(ctx, name, index, created_at);
        ctx.db().insert(KIND, name, &instance)?;
    }
    Ok(())
}

fn seeded_instance(ctx: &mut Ctx<'_>, name: &str, index: usize, created_at: f64) -> Value {
    let arn = ctx.new_arn(KIND);
    let support_code = ctx.support_code("i-");
    let octet = 10 + index % 200;
    let zone = ctx.region.default_zone();
    json!({
        "name": name,
        "arn": arn,
        "supportCode": support_code,
        "createdAt": created_at,
        "location": ctx.location(&zone),
        "resourceType": KIND,
        "tags": [],
        "blueprintId": "wordpress",
        "blueprintName": "WordPress",
        "bundleId": "micro_3_0",
        "addOns": [],
        "isStaticIp": false,
        "privateIpAddress": format!("172.26.0.{octet}"),
        "publicIpAddress": format!("192.0.2.{octet}"),
        "ipv6Addresses": [],
        "ipAddressType": "ipv4",
        "hardware": {
            "cpuCount": 2,
            "disks": [{
                "createdAt": created_at,
                "sizeInGb": 40,
                "isSystemDisk": true,
                "iops": 120,
                "path": "/dev/xvda",
                "attachedTo": name,
                "attachmentState": "attached"
            }],
            "ramSizeInGb": 1.0
        },
        "networking": {
            "monthlyTransfer": {"gbPerMonthAllocated": 2048},
            "ports": [port(80), port(22), port(443)]
        },
        "state": {"code": 16, "name": "running"},
        "username": "bitnami",
        "sshKeyName": "LightsailDefaultKeyPair",
        "metadataOptions": {
            "state": "applied",
            "httpTokens": "optional",
            "httpEndpoint": "enabled",
            "httpPutResponseHopLimit": 1,
            "httpProtocolIpv6": "disabled"
        }
    })
}

fn port(number: u16) -> Value {
    json!({
        "fromPort": number,
        "toPort": number,
        "protocol": "tcp",
        "accessFrom": "Anywhere (0.0.0.0/0)",
        "accessType": "public",
        "commonName": "",
        "accessDirection": "inbound",
        "cidrs": ["0.0.0.0/0"],
        "ipv6Cidrs": ["::/0"],
        "cidrListAliases": []
    })
}
