//! An instance's settings: UpdateInstanceMetadataOptions, SetIpAddressType (instances, load
//! balancers and distributions), SetupInstanceHttps and GetSetupHistory.
//!
//! - Metadata options: on a running instance the new options are `pending` until the
//!   `Instance.metadata` step applies them (the model's documentation), with a `Started` operation it
//!   finishes; on a stopped one they apply at once. As documented, an absent `httpTokens` means
//!   `optional` while the other absent members keep their values; `httpProtocolIpv6` is refused
//!   outside eu-north-1 (documented) and the hop limit must be 1 to 64 (EC2's limit; our check).
//! - IP address type: `ipv4`, `dualstack`, or `ipv6` for instances only. Changing an instance to or
//!   from `ipv6` needs `acceptBundleUpdate` and moves it to the IPv6-only plan of the same size (and
//!   back); an instance with a static IP cannot become IPv6-only (our rule). Load balancers and
//!   distributions (us-east-1 only) get the new `ipAddressType` in their stored wire form. One
//!   `Succeeded` operation on the resource.
//! - HTTPS set-up needs a running instance; it answers a `Started` operation that the
//!   `Instance.https` step finishes, and records a set-up history entry (the five most recent are
//!   kept, in the instance's private value) whose status follows the operation's. The execution
//!   details' command and output are our wording.

use serde_json::{json, Value};

use super::{wire, wrong_state, wrong_state_input, KIND};
use crate::engine::regions::DOMAIN_REGION;
use crate::engine::{input, Ctx, NewOperation, Registry, Transition};
use crate::error::ApiError;
use crate::services::catalog::bundles;

pub fn register(registry: &mut Registry) {
    registry
        .add("UpdateInstanceMetadataOptions", update_metadata_options)
        .add("SetIpAddressType", set_ip_address_type)
        .add("SetupInstanceHttps", setup_instance_https)
        .add("GetSetupHistory", get_setup_history);
}

fn bad_input(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

fn location_of(resource: &Value) -> Value {
    resource.get("location").cloned().unwrap_or(Value::Null)
}

fn update_metadata_options(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "instanceName");
    let instance = ctx.db().require(KIND, name)?;
    let current = wire::state_name(&instance);
    let running = current == wire::RUNNING.1;
    if !running && current != wire::STOPPED.1 {
        return Err(wrong_state(name, current, "running or stopped"));
    }
    if let Some(limit) = input::integer(input, "httpPutResponseHopLimit") {
        if !(1..=64).contains(&limit) {
            return Err(bad_input(format!(
                "httpPutResponseHopLimit must be between 1 and 64: {limit}"
            )));
        }
    }
    if input.get("httpProtocolIpv6").is_some() && ctx.region.name != "eu-north-1" {
        return Err(bad_input(
            "httpProtocolIpv6 is available only for instances in the Europe (Stockholm) Region \
             (eu-north-1)"
                .to_string(),
        ));
    }
    ctx.db().update(KIND, name, |instance| {
        let options = &mut instance["metadataOptions"];
        options["httpTokens"] =
            json!(input::optional_string(input, "httpTokens").unwrap_or("optional"));
        for key in [
            "httpEndpoint",
            "httpPutResponseHopLimit",
            "httpProtocolIpv6",
        ] {
            if let Some(value) = input.get(key) {
                options[key] = value.clone();
            }
        }
        options["state"] = json!(if running { "pending" } else { "applied" });
    })?;
    let location = location_of(&instance);
    if !running {
        let operation = ctx.record(NewOperation::succeeded(KIND, name, location))?;
        return Ok(json!({ "operation": operation }));
    }
    let operation = ctx.record(NewOperation::started(KIND, name, location))?;
    ctx.schedule(
        "Instance.metadata",
        Transition::of(KIND, name)
            .set("/metadataOptions/state", "applied")
            .only_if("/metadataOptions/state", "pending")
            .finishing(std::slice::from_ref(&operation)),
    )?;
    Ok(json!({ "operation": operation }))
}

fn set_ip_address_type(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let kind = input::string(input, "resourceType");
    let name = input::string(input, "resourceName");
    let ip_type = input::string(input, "ipAddressType");
    match kind {
        KIND => {}
        "LoadBalancer" | "Distribution" => {
            if kind == "Distribution" && ctx.region.name != DOMAIN_REGION {
                return Err(ApiError::invalid_input(
                    "InvalidInput",
                    "Distribution-related APIs are only available in the us-east-1 Region. Please \
                     set your Region configuration to us-east-1 to create, view, or edit \
                     distributions."
                        .to_string(),
                ));
            }
            if ip_type == "ipv6" {
                return Err(bad_input(format!(
                    "A {kind} can use the ipv4 or dualstack IP address type, not ipv6"
                )));
            }
            let resource = ctx.db().update(kind, name, |resource| {
                resource["ipAddressType"] = json!(ip_type);
            })?;
            let operation = ctx.record(
                NewOperation::succeeded(kind, name, location_of(&resource)).details(ip_type),
            )?;
            return Ok(json!({ "operations": [operation] }));
        }
        other => {
            return Err(bad_input(format!(
                "SetIpAddressType supports the resource types Distribution, Instance and \
                 LoadBalancer, not {other}"
            )))
        }
    }
    let instance = ctx.db().require(KIND, name)?;
    let was_ipv6 = instance["ipAddressType"] == "ipv6";
    let to_ipv6 = ip_type == "ipv6";
    let mut new_bundle = None;
    if was_ipv6 != to_ipv6 {
        if !input::flag(input, "acceptBundleUpdate") {
            return Err(bad_input(
                "Changing to or from the ipv6 IP address type changes the instance's bundle; \
                 set acceptBundleUpdate to accept the change"
                    .to_string(),
            ));
        }
        if to_ipv6 && instance["isStaticIp"] == json!(true) {
            return Err(ApiError::operation_failure(format!(
                "Detach the static IP from {name} before making it IPv6-only"
            )));
        }
        let bundle_id = instance["bundleId"].as_str().unwrap_or("");
        new_bundle = Some(
            bundles::ipv6_counterpart(bundle_id, to_ipv6).ok_or_else(|| {
                bad_input(format!(
                    "The bundle {bundle_id} has no {} counterpart",
                    if to_ipv6 { "IPv6-only" } else { "IPv4" }
                ))
            })?,
        );
    }
    let needs_ipv4 = !to_ipv6
        && instance.get("publicIpAddress").is_none()
        && wire::state_name(&instance) != wire::STOPPED.1;
    let fresh_ipv4 = needs_ipv4.then(|| ctx.ids.public_ipv4());
    let has_ipv6 = instance["ipv6Addresses"]
        .as_array()
        .is_some_and(|a| !a.is_empty());
    let fresh_ipv6 = (ip_type != "ipv4" && !has_ipv6).then(|| ctx.ids.ipv6());
    ctx.db().update(KIND, name, |instance| {
        instance["ipAddressType"] = json!(ip_type);
        if let Some(bundle) = new_bundle {
            instance["bundleId"] = json!(bundle.id);
        }
        if to_ipv6 {
            if let Some(object) = instance.as_object_mut() {
                object.remove("publicIpAddress");
            }
        } else if let Some(ip) = &fresh_ipv4 {
            instance["publicIpAddress"] = json!(ip);
        }
        if ip_type == "ipv4" {
            instance["ipv6Addresses"] = json!([]);
        } else if let Some(ip) = &fresh_ipv6 {
            instance["ipv6Addresses"] = json!([ip]);
        }
    })?;
    let operation =
        ctx.record(NewOperation::succeeded(KIND, name, location_of(&instance)).details(ip_type))?;
    Ok(json!({ "operations": [operation] }))
}

/// How many set-up history entries an instance keeps (GetSetupHistory: "five of the most recent").
const HISTORY_KEPT: usize = 5;

fn setup_instance_https(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "instanceName");
    let record = ctx
        .db()
        .record(KIND, name)?
        .ok_or_else(|| ApiError::not_found(KIND, name))?;
    let instance = &record.body;
    let current = wire::state_name(instance);
    if current != wire::RUNNING.1 {
        return Err(wrong_state_input(name, current, "running"));
    }
    let domains = input::strings(input, "domainNames");
    if domains.len() > 1 && domains.iter().all(|d| d.len() > 63) {
        return Err(bad_input(
            "When more than one domain name is given, at least one must be 63 characters or fewer"
                .to_string(),
        ));
    }
    let operation = ctx.record(NewOperation::started(KIND, name, location_of(instance)))?;
    ctx.schedule(
        "Instance.https",
        Transition::of(KIND, name).finishing(std::slice::from_ref(&operation)),
    )?;
    let entry = json!({
        "operationId": operation["id"],
        "request": {
            "instanceName": name,
            "domainNames": domains,
            "certificateProvider": input::string(input, "certificateProvider"),
        },
        "resource": {
            "name": name,
            "arn": instance["arn"],
            "createdAt": instance["createdAt"],
            "location": instance["location"],
            "resourceType": KIND,
        },
        "emailAddress": input::string(input, "emailAddress"),
        "startedAt": ctx.now(),
    });
    let mut private = record.private.clone();
    if !private.is_object() {
        private = json!({});
    }
    let mut history = private["setupHistory"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    history.insert(0, entry);
    history.truncate(HISTORY_KEPT);
    private["setupHistory"] = Value::Array(history);
    ctx.db().put_private(KIND, name, &private)?;
    Ok(json!({ "operations": [operation] }))
}

fn get_setup_history(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "resourceName");
    let record = ctx
        .db()
        .record(KIND, name)?
        .ok_or_else(|| ApiError::not_found(KIND, name))?;
    let mut history = Vec::new();
    for entry in record.private["setupHistory"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let id = entry["operationId"].as_str().unwrap_or("");
        let done = ctx
            .db()
            .operation(id)?
            .is_some_and(|op| op["status"] == "Succeeded");
        let status = if done { "succeeded" } else { "inProgress" };
        let domains: Vec<&str> = entry
            .pointer("/request/domainNames")
            .and_then(Value::as_array)
            .map(|d| d.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let output = if done {
            format!(
                "Certificate issued by Let's Encrypt for {} and installed on {name}",
                domains.join(", ")
            )
        } else {
            String::new()
        };
        history.push(json!({
            "operationId": id,
            "request": entry["request"],
            "resource": entry["resource"],
            "executionDetails": [{
                "command": format!(
                    "certbot certonly --non-interactive --agree-tos --email {} {}",
                    entry["emailAddress"].as_str().unwrap_or(""),
                    domains.iter().map(|d| format!("-d {d}")).collect::<Vec<_>>().join(" ")
                ),
                "dateTime": entry["startedAt"],
                "name": name,
                "status": status,
                "standardError": "",
                "standardOutput": output,
                "version": "1",
            }],
            "status": status,
        }));
    }
    Ok(json!({ "setupHistory": history }))
}
