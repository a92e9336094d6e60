//! The account's own calls: GetActiveNames, GetCostEstimate, IsVpcPeered, PeerVpc, UnpeerVpc.
//!
//! - GetActiveNames lists the names of every resource of the caller's region whose kind is one of
//!   the model's `ResourceType` values, kind by kind in that enum's order, oldest first within a
//!   kind (the order is our choice; the CLI's example shows a mixed list).
//! - GetCostEstimate (a Lightsail for Research call) estimates an instance or a disk, one result
//!   per UTC day of the window (start inclusive, end exclusive, as `TimePeriod` documents): the hours
//!   of that day the resource existed, at its plan's monthly price over 744 hours (an instance) or
//!   $0.10 per GB-month (a disk). The start may not be later than now (`TimePeriod`); windows longer
//!   than 366 days are refused (our limit).
//! - The VPC peering state is per account and region, kept in a record of kind `LightsailVpc`
//!   (not a `ResourceType`, so it is not an active name) named after the Lightsail VPC's id; the ids
//!   are drawn at the first PeerVpc. PeerVpc and UnpeerVpc answer one `Succeeded` operation shaped
//!   as in the CLI's examples (`resourceType: PeeredVpc`, `operationType: PeeredVpc`/`UnpeeredVpc`,
//!   the default VPC's id in `operationDetails`).

use serde_json::{json, Value};

use super::bundles;
use crate::engine::{input, Ctx, NewOperation, Registry};
use crate::error::ApiError;

pub fn register(registry: &mut Registry) {
    registry
        .add("GetActiveNames", get_active_names)
        .add("GetCostEstimate", get_cost_estimate)
        .add("IsVpcPeered", is_vpc_peered)
        .add("PeerVpc", peer_vpc)
        .add("UnpeerVpc", unpeer_vpc);
}

fn get_active_names(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let kinds = ctx
        .model
        .shape_named("ResourceType")
        .map(|shape| shape.enum_values.clone())
        .unwrap_or_default();
    let mut names = Vec::new();
    for kind in &kinds {
        names.extend(ctx.db().names(kind)?.into_iter().map(Value::String));
    }
    super::page_of(ctx, names, input, "activeNames")
}

const DAY: f64 = 86_400.0;
/// Lightsail prices plans per month and bills them by the hour over a 31-day month.
const HOURS_PER_MONTH: f64 = 744.0;
const DISK_PRICE_PER_GB_MONTH: f64 = 0.10;
const MAX_ESTIMATE_DAYS: f64 = 366.0;

fn get_cost_estimate(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "resourceName");
    let start = input
        .get("startTime")
        .and_then(Value::as_f64)
        .unwrap_or(0.0);
    let end = input.get("endTime").and_then(Value::as_f64).unwrap_or(0.0);
    let record = ctx
        .db()
        .find_by_name(name)?
        .ok_or_else(|| ApiError::not_found("Resource", name))?;
    let hourly = match record.kind.as_str() {
        "Instance" => {
            let bundle_id = record.body["bundleId"].as_str().unwrap_or("");
            bundles::find(bundle_id).map_or(0.0, |b| b.price) / HOURS_PER_MONTH
        }
        "Disk" => {
            let size = record.body["sizeInGb"].as_f64().unwrap_or(0.0);
            size * DISK_PRICE_PER_GB_MONTH / HOURS_PER_MONTH
        }
        other => {
            return Err(ApiError::invalid_input(
                "InvalidInput",
                format!(
                "Cost estimates are available for instances and disks, not for a {other}: {name}"
            ),
            ))
        }
    };
    if start >= end {
        return Err(ApiError::invalid_input(
            "InvalidInput",
            "The start time must be before the end time".to_string(),
        ));
    }
    if start > ctx.now() {
        return Err(ApiError::invalid_input(
            "InvalidInput",
            "The start time must not be later than the current time".to_string(),
        ));
    }
    if end - start > MAX_ESTIMATE_DAYS * DAY {
        return Err(ApiError::invalid_input(
            "InvalidInput",
            "The time period of a cost estimate may not exceed 366 days".to_string(),
        ));
    }
    let created = record.body["createdAt"].as_f64().unwrap_or(start);
    let mut results = Vec::new();
    let mut day = (start / DAY).floor() * DAY;
    while day < end {
        let next = day + DAY;
        let from = day.max(start).max(created);
        let to = next.min(end);
        let hours = ((to - from) / 3600.0).max(0.0);
        results.push(json!({
            "usageCost": hours * hourly,
            "pricingUnit": "Hrs",
            "unit": hours,
            "currency": "USD",
            "timePeriod": {"start": day, "end": next},
        }));
        day = next;
    }
    Ok(json!({
        "resourcesBudgetEstimate": [{
            "resourceName": name,
            "resourceType": record.kind,
            "costEstimates": [{"usageType": "Costs", "resultsByTime": results}],
            "startTime": start,
            "endTime": end,
        }]
    }))
}

/// The store kind of the per-region VPC record.
const VPC_KIND: &str = "LightsailVpc";

/// The region's VPC record, if PeerVpc ever ran here.
fn vpc(ctx: &Ctx<'_>) -> Result<Option<Value>, ApiError> {
    Ok(ctx.db().list(VPC_KIND)?.into_iter().next())
}

fn is_vpc_peered(ctx: &mut Ctx<'_>, _input: &Value) -> Result<Value, ApiError> {
    let peered = vpc(ctx)?.is_some_and(|v| v["isPeered"] == json!(true));
    Ok(json!({ "isPeered": peered }))
}

fn peer_vpc(ctx: &mut Ctx<'_>, _input: &Value) -> Result<Value, ApiError> {
    let record = match vpc(ctx)? {
        Some(record) if record["isPeered"] == json!(true) => {
            return Err(ApiError::operation_failure(format!(
                "The Lightsail VPC is already peered: {}",
                record["name"].as_str().unwrap_or("")
            )))
        }
        Some(record) => record,
        None => {
            let id = format!("vpc-0{}", ctx.ids.resource_hex(16));
            let default_vpc = format!("vpc-{}", ctx.ids.resource_hex(8));
            let record = json!({"name": id, "defaultVpcId": default_vpc, "isPeered": false});
            ctx.db().insert(VPC_KIND, &id, &record)?;
            record
        }
    };
    change_peering(ctx, record, true, "PeeredVpc")
}

fn unpeer_vpc(ctx: &mut Ctx<'_>, _input: &Value) -> Result<Value, ApiError> {
    match vpc(ctx)? {
        Some(record) if record["isPeered"] == json!(true) => {
            change_peering(ctx, record, false, "UnpeeredVpc")
        }
        _ => Err(ApiError::operation_failure(
            "The Lightsail VPC is not peered".to_string(),
        )),
    }
}

fn change_peering(
    ctx: &mut Ctx<'_>,
    mut record: Value,
    peered: bool,
    operation_type: &str,
) -> Result<Value, ApiError> {
    let id = record["name"].as_str().unwrap_or("").to_string();
    let default_vpc = record["defaultVpcId"].as_str().unwrap_or("").to_string();
    record["isPeered"] = json!(peered);
    ctx.db().put(VPC_KIND, &id, &record)?;
    let operation = ctx.record(
        NewOperation::succeeded("PeeredVpc", &id, ctx.regional_location())
            .details(&default_vpc)
            .operation_type(operation_type),
    )?;
    Ok(json!({ "operation": operation }))
}
