//! Snapshots to Amazon EC2: ExportSnapshot, GetExportSnapshotRecords, CreateCloudFormationStack,
//! GetCloudFormationStackRecords.
//!
//! ExportSnapshot turns an available instance or disk snapshot into an export snapshot record
//! (`ExportSnapshotRecord-UUID`, shaped as in the CLI's `get-export-snapshot-records` example) whose
//! destination is an AMI (`Aws::EC2::Image`) for an instance snapshot or an EBS volume
//! (`Aws::EC2::Volume`, the model's documentation) for a disk snapshot. CreateCloudFormationStack
//! takes exactly one instance entry (documented) naming a succeeded record of an instance snapshot,
//! and makes a CloudFormation stack record (`CloudFormationStackRecord-UUID`, destination the stack
//! `Lightsail-Stack-UUID`, as in the CLI's `get-cloud-formation-stack-records` example). Records are
//! `Started` until the `ExportSnapshotRecord` / `CloudFormationStackRecord` step makes them
//! `Succeeded`, with one `Started` operation on the record that the step finishes
//! (`operationType` `ExportSnapshot` / `CreateCloudFormationStack`: the model's `OperationType` has
//! no value for them, so these are our choice). The system disk's path in `fromDiskInfo` is
//! `/dev/sda1`, as in the example.

use serde_json::{json, Value};

use crate::engine::{input, Ctx, NewOperation, Transition};
use crate::error::ApiError;

use super::KIND;

pub const EXPORT_RECORD: &str = "ExportSnapshotRecord";
pub const STACK_RECORD: &str = "CloudFormationStackRecord";

fn bad_input(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

/// Where the snapshot came from: `(kind, snapshot)`, an instance snapshot first.
fn snapshot(ctx: &Ctx<'_>, name: &str) -> Result<(&'static str, Value), ApiError> {
    if let Some(snapshot) = ctx.db().get(KIND, name)? {
        return Ok((KIND, snapshot));
    }
    match ctx.db().get("DiskSnapshot", name)? {
        Some(snapshot) => Ok(("DiskSnapshot", snapshot)),
        None => Err(ApiError::not_found(KIND, name)),
    }
}

fn source_info(kind: &str, snapshot: &Value) -> Value {
    let mut info = json!({
        "resourceType": kind,
        "createdAt": snapshot["createdAt"],
        "name": snapshot["name"],
        "arn": snapshot["arn"],
    });
    if kind == KIND {
        info["fromResourceName"] = snapshot["fromInstanceName"].clone();
        info["fromResourceArn"] = snapshot["fromInstanceArn"].clone();
        let mut disks = vec![json!({
            "path": "/dev/sda1",
            "sizeInGb": snapshot["sizeInGb"],
            "isSystemDisk": true,
        })];
        for disk in snapshot["fromAttachedDisks"]
            .as_array()
            .into_iter()
            .flatten()
        {
            disks.push(json!({
                "name": disk["name"],
                "path": disk["path"],
                "sizeInGb": disk["sizeInGb"],
                "isSystemDisk": false,
            }));
        }
        info["instanceSnapshotInfo"] = json!({
            "fromBundleId": snapshot["fromBundleId"],
            "fromBlueprintId": snapshot["fromBlueprintId"],
            "fromDiskInfo": disks,
        });
    } else {
        info["fromResourceName"] = snapshot["fromDiskName"].clone();
        info["fromResourceArn"] = snapshot["fromDiskArn"].clone();
        info["diskSnapshotInfo"] = json!({"sizeInGb": snapshot["sizeInGb"]});
    }
    // Members the source does not have (a disk snapshot of a system disk) are left out.
    if let Some(object) = info.as_object_mut() {
        object.retain(|_, v| !v.is_null());
    }
    info
}

/// Records the record's operation and schedules its success.
fn started(
    ctx: &mut Ctx<'_>,
    kind: &str,
    name: &str,
    operation_type: &str,
    details: &str,
) -> Result<Value, ApiError> {
    let operation = ctx.record(
        NewOperation::started(kind, name, ctx.regional_location())
            .operation_type(operation_type)
            .details(details),
    )?;
    ctx.schedule(
        kind,
        Transition::of(kind, name)
            .set("/state", "Succeeded")
            .only_if("/state", "Started")
            .finishing(std::slice::from_ref(&operation)),
    )?;
    Ok(json!({ "operations": [operation] }))
}

pub fn export_snapshot(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let source_name = input::string(input, "sourceSnapshotName");
    let (kind, snapshot) = snapshot(ctx, source_name)?;
    if !matches!(snapshot["state"].as_str(), Some("available" | "completed")) {
        return Err(ApiError::operation_failure(format!(
            "The snapshot {source_name} is {}; only an available snapshot can be exported",
            snapshot["state"].as_str().unwrap_or("not ready")
        )));
    }
    let name = format!("{EXPORT_RECORD}-{}", ctx.ids.resource_uuid());
    let destination = if kind == KIND {
        json!({"id": format!("ami-0{}", ctx.ids.resource_hex(16)), "service": "Aws::EC2::Image"})
    } else {
        json!({"id": format!("vol-0{}", ctx.ids.resource_hex(16)), "service": "Aws::EC2::Volume"})
    };
    let record = json!({
        "name": name,
        "arn": ctx.new_arn(EXPORT_RECORD),
        "createdAt": ctx.now(),
        "location": ctx.regional_location(),
        "resourceType": EXPORT_RECORD,
        "state": "Started",
        "sourceInfo": source_info(kind, &snapshot),
        "destinationInfo": destination,
    });
    ctx.db().insert(EXPORT_RECORD, &name, &record)?;
    started(ctx, EXPORT_RECORD, &name, "ExportSnapshot", source_name)
}

pub fn get_export_snapshot_records(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    Ok(ctx
        .page(EXPORT_RECORD, input)?
        .into_output("exportSnapshotRecords"))
}

pub fn create_cloud_formation_stack(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let entries = input["instances"].as_array().cloned().unwrap_or_default();
    if entries.len() != 1 {
        return Err(bad_input(format!(
            "instances must hold exactly one instance entry, not {}",
            entries.len()
        )));
    }
    let entry = &entries[0];
    let source_name = entry["sourceName"].as_str().unwrap_or("");
    let zone = entry["availabilityZone"].as_str().unwrap_or("");
    let source = ctx
        .db()
        .get(EXPORT_RECORD, source_name)?
        .ok_or_else(|| ApiError::not_found(EXPORT_RECORD, source_name))?;
    if source["state"] != "Succeeded" {
        return Err(ApiError::operation_failure(format!(
            "The export snapshot record {source_name} has not succeeded yet"
        )));
    }
    if source.pointer("/sourceInfo/resourceType") != Some(&json!(KIND)) {
        return Err(bad_input(format!(
            "The export snapshot record {source_name} holds a disk snapshot; an Amazon EC2 \
             instance needs an exported instance snapshot"
        )));
    }
    if !ctx.region.has_zone(zone) {
        return Err(bad_input(format!(
            "The Availability Zone is not valid in {}: {zone}",
            ctx.region.name
        )));
    }
    let uuid = ctx.ids.resource_uuid();
    let name = format!("{STACK_RECORD}-{uuid}");
    let stack_id = format!(
        "arn:aws:cloudformation:{}:{}:stack/Lightsail-Stack-{uuid}/{}",
        ctx.region.name,
        ctx.account,
        ctx.ids.resource_uuid()
    );
    let record = json!({
        "name": name,
        "arn": ctx.new_arn(STACK_RECORD),
        "createdAt": ctx.now(),
        "location": ctx.regional_location(),
        "resourceType": STACK_RECORD,
        "state": "Started",
        "sourceInfo": [{
            "resourceType": EXPORT_RECORD,
            "name": source_name,
            "arn": source["arn"],
        }],
        "destinationInfo": {"id": stack_id, "service": "Aws::CloudFormation::Stack"},
    });
    ctx.db().insert(STACK_RECORD, &name, &record)?;
    started(
        ctx,
        STACK_RECORD,
        &name,
        "CreateCloudFormationStack",
        source_name,
    )
}

pub fn get_cloud_formation_stack_records(
    ctx: &mut Ctx<'_>,
    input: &Value,
) -> Result<Value, ApiError> {
    Ok(ctx
        .page(STACK_RECORD, input)?
        .into_output("cloudFormationStackRecords"))
}
