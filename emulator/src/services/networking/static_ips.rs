//! Static IPs: AllocateStaticIp, AttachStaticIp, DetachStaticIp, ReleaseStaticIp, GetStaticIp,
//! GetStaticIps.
//!
//! Every call is over at once: each answers `Succeeded` operations, as the AWS CLI's examples show
//! (attach and detach answer one on the static IP and one on the instance, with each other's name in
//! `operationDetails`). An allocated address comes from the emulator's public range (198.18.0.0/15);
//! the support code is `ACCOUNT/ADDRESS` (`src/help/examples/get-static-ip.rst`). Attaching makes the
//! address the instance's `publicIpAddress` with `isStaticIp: true`; detaching (or releasing an
//! attached address) gives the instance a new dynamic public address, as Lightsail does (none while
//! it is stopped: it gets one when it starts). IPv6-only instances take no static IP. Static IPs
//! carry no tags (the model's `StaticIp` has no `tags` member). At most five per region (Lightsail's
//! default quota); an instance holds at most one, and an address serves one instance at a time.

use serde_json::{json, Value};

use crate::engine::{input, Ctx, NewOperation, Registry};
use crate::error::ApiError;
use crate::services::instances;

/// The `resourceType` (and store kind) of static IPs.
pub const KIND: &str = "StaticIp";

/// Lightsail's default quota of static IPs per account and region.
const MAX_PER_REGION: u64 = 5;

pub fn register(registry: &mut Registry) {
    registry
        .add("AllocateStaticIp", allocate)
        .add("AttachStaticIp", attach)
        .add("DetachStaticIp", detach)
        .add("ReleaseStaticIp", release)
        .add("GetStaticIp", get)
        .add("GetStaticIps", list);
}

fn allocate(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "staticIpName");
    if ctx.db().exists(KIND, name)? {
        return Err(ApiError::name_in_use(name));
    }
    if ctx.db().count(KIND)? >= MAX_PER_REGION {
        return Err(ApiError::operation_failure(format!(
            "You have reached the maximum number of static IPs in this Region ({MAX_PER_REGION})"
        )));
    }
    let operation = ctx.record(NewOperation::succeeded(KIND, name, ctx.regional_location()))?;
    let arn = ctx.new_arn(KIND);
    let address = ctx.ids.public_ipv4();
    let static_ip = json!({
        "name": name,
        "arn": arn,
        "supportCode": format!("{}/{address}", ctx.account),
        "createdAt": ctx.now(),
        "location": ctx.regional_location(),
        "resourceType": KIND,
        "ipAddress": address,
        "isAttached": false,
    });
    ctx.db().insert(KIND, name, &static_ip)?;
    Ok(json!({ "operations": [operation] }))
}

fn attached_to(static_ip: &Value) -> Option<&str> {
    if static_ip["isAttached"] == true {
        static_ip.get("attachedTo").and_then(Value::as_str)
    } else {
        None
    }
}

fn attach(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "staticIpName");
    let instance_name = input::string(input, "instanceName");
    let mut static_ip = ctx.db().require(KIND, name)?;
    let instance = ctx.db().require(instances::KIND, instance_name)?;
    if let Some(holder) = attached_to(&static_ip) {
        return Err(ApiError::operation_failure(format!(
            "The static IP is already attached to an instance: {name} is attached to {holder}"
        )));
    }
    if instance["ipAddressType"] == "ipv6" {
        return Err(ApiError::operation_failure(format!(
            "A static IP needs an instance with a public IPv4 address: {instance_name} is IPv6-only"
        )));
    }
    if instance["isStaticIp"] == true {
        return Err(ApiError::operation_failure(format!(
            "The instance already has a static IP attached: {instance_name}"
        )));
    }
    let operations = vec![
        ctx.record(
            NewOperation::succeeded(KIND, name, ctx.regional_location()).details(instance_name),
        )?,
        ctx.record(
            NewOperation::succeeded(instances::KIND, instance_name, instance["location"].clone())
                .details(name),
        )?,
    ];
    static_ip["attachedTo"] = json!(instance_name);
    static_ip["isAttached"] = json!(true);
    let address = static_ip["ipAddress"].clone();
    ctx.db().put(KIND, name, &static_ip)?;
    ctx.db().update(instances::KIND, instance_name, |body| {
        body["publicIpAddress"] = address;
        body["isStaticIp"] = json!(true);
    })?;
    Ok(json!({ "operations": operations }))
}

/// Takes the static IP off its instance (which gets a new dynamic public address); returns the
/// instance's name and location when it still exists.
fn unlink(
    ctx: &mut Ctx<'_>,
    name: &str,
    static_ip: &mut Value,
) -> Result<Option<(String, Value)>, ApiError> {
    let Some(holder) = attached_to(static_ip).map(str::to_string) else {
        return Ok(None);
    };
    if let Some(fields) = static_ip.as_object_mut() {
        fields.remove("attachedTo");
    }
    static_ip["isAttached"] = json!(false);
    ctx.db().put(KIND, name, static_ip)?;
    let Some(instance) = ctx.db().get(instances::KIND, &holder)? else {
        return Ok(None);
    };
    // A stopped instance has no public address until it starts (and an IPv6-only one none at all).
    let state = instance
        .pointer("/state/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let offline = matches!(state, "stopped" | "stopping") || instance["ipAddressType"] == "ipv6";
    let address = (!offline).then(|| ctx.ids.public_ipv4());
    ctx.db().update(instances::KIND, &holder, |body| {
        match address {
            Some(address) => body["publicIpAddress"] = json!(address),
            None => {
                if let Some(fields) = body.as_object_mut() {
                    fields.remove("publicIpAddress");
                }
            }
        }
        body["isStaticIp"] = json!(false);
    })?;
    Ok(Some((holder, instance["location"].clone())))
}

fn detach(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "staticIpName");
    let mut static_ip = ctx.db().require(KIND, name)?;
    let Some(holder) = attached_to(&static_ip).map(str::to_string) else {
        return Err(ApiError::operation_failure(format!(
            "The static IP is not attached to an instance: {name}"
        )));
    };
    let mut operations =
        vec![ctx.record(
            NewOperation::succeeded(KIND, name, ctx.regional_location()).details(&holder),
        )?];
    if let Some((instance, location)) = unlink(ctx, name, &mut static_ip)? {
        operations.push(
            ctx.record(
                NewOperation::succeeded(instances::KIND, &instance, location).details(name),
            )?,
        );
    }
    Ok(json!({ "operations": operations }))
}

fn release(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "staticIpName");
    let mut static_ip = ctx.db().require(KIND, name)?;
    let operation = ctx.record(NewOperation::succeeded(KIND, name, ctx.regional_location()))?;
    unlink(ctx, name, &mut static_ip)?;
    ctx.db().delete(KIND, name)?;
    Ok(json!({ "operations": [operation] }))
}

fn get(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let static_ip = ctx
        .db()
        .require(KIND, input::string(input, "staticIpName"))?;
    Ok(json!({ "staticIp": static_ip }))
}

fn list(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    Ok(ctx.page(KIND, input)?.into_output("staticIps"))
}
