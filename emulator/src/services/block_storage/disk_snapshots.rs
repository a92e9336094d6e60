//! Disk snapshots: CreateDiskSnapshot, GetDiskSnapshot, GetDiskSnapshots, DeleteDiskSnapshot, and
//! CreateDiskFromSnapshot.
//!
//! A snapshot is taken of a disk (`diskName`) or of an instance's system disk (`instanceName`), never
//! both (the model's documentation). It is `pending` (`progress: 0%`) with two `Started` operations,
//! one on the snapshot and one on its source (as `src/help/examples/create-disk-snapshot.rst`
//! shows), and after the `DiskSnapshot` delay `completed` (`100%`) with both `Succeeded`. A disk made
//! from a completed snapshot is at least the snapshot's size and follows the disk lifecycle. The
//! emulator keeps no automatic snapshots, so `sourceDiskName` (restore from an automatic snapshot)
//! finds none.

use serde_json::{json, Value};

use super::check_zone;
use super::disks::{self, check_size, new_disk};
use crate::engine::{input, Ctx, NewOperation, Registry, Transition};
use crate::error::ApiError;
use crate::services::instances;

/// The `resourceType` (and store kind) of disk snapshots.
pub const KIND: &str = "DiskSnapshot";

pub fn register(registry: &mut Registry) {
    registry
        .add("CreateDiskSnapshot", create)
        .add("GetDiskSnapshot", get)
        .add("GetDiskSnapshots", list)
        .add("DeleteDiskSnapshot", delete)
        .add("CreateDiskFromSnapshot", create_disk);
}

fn invalid(message: &str) -> ApiError {
    ApiError::invalid_input("InvalidInput", message.to_string())
}

fn create(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "diskSnapshotName");
    let source = match (
        input::optional_string(input, "diskName"),
        input::optional_string(input, "instanceName"),
    ) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                "The disk name and instance name parameters are mutually exclusive",
            ))
        }
        (None, None) => {
            return Err(invalid(
                "Either a disk name or an instance name is required to create a disk snapshot",
            ))
        }
        (Some(disk), None) => (disks::KIND, disk),
        (None, Some(instance)) => (instances::KIND, instance),
    };
    let (source_kind, source_name) = source;
    let source_body = ctx.db().require(source_kind, source_name)?;
    if source_kind == disks::KIND && source_body["state"] == "pending" {
        return Err(ApiError::operation_failure(format!(
            "The disk is not available yet: {source_name}"
        )));
    }
    if ctx.db().exists(KIND, name)? {
        return Err(ApiError::name_in_use(name));
    }
    let size = if source_kind == disks::KIND {
        source_body["sizeInGb"].clone()
    } else {
        system_disk_size(&source_body)
    };
    let operations = vec![
        ctx.record(
            NewOperation::started(KIND, name, ctx.regional_location()).details(source_name),
        )?,
        ctx.record(
            NewOperation::started(source_kind, source_name, source_body["location"].clone())
                .details(name),
        )?,
    ];
    let arn = ctx.new_arn(KIND);
    let support_code = ctx.support_code("snap-");
    let mut snapshot = json!({
        "name": name,
        "arn": arn,
        "supportCode": support_code,
        "createdAt": ctx.now(),
        "location": ctx.regional_location(),
        "resourceType": KIND,
        "tags": input::tags(input),
        "sizeInGb": size,
        "state": "pending",
        "progress": "0%",
    });
    let (name_member, arn_member) = if source_kind == disks::KIND {
        ("fromDiskName", "fromDiskArn")
    } else {
        ("fromInstanceName", "fromInstanceArn")
    };
    snapshot[name_member] = json!(source_name);
    snapshot[arn_member] = source_body["arn"].clone();
    snapshot["isFromAutoSnapshot"] = json!(false);
    ctx.db().insert(KIND, name, &snapshot)?;
    ctx.schedule(
        KIND,
        Transition::of(KIND, name)
            .set("/state", "completed")
            .set("/progress", "100%")
            .only_if("/state", "pending")
            .finishing(&operations),
    )?;
    Ok(json!({ "operations": operations }))
}

/// The size of an instance's system disk (40 GB if the instance lists none).
fn system_disk_size(instance: &Value) -> Value {
    instance
        .pointer("/hardware/disks")
        .and_then(Value::as_array)
        .and_then(|disks| disks.iter().find(|d| d["isSystemDisk"] == true))
        .and_then(|d| d.get("sizeInGb").cloned())
        .unwrap_or(json!(40))
}

fn get(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let snapshot = ctx
        .db()
        .require(KIND, input::string(input, "diskSnapshotName"))?;
    Ok(json!({ "diskSnapshot": snapshot }))
}

fn list(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    Ok(ctx.page(KIND, input)?.into_output("diskSnapshots"))
}

fn delete(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "diskSnapshotName");
    if !ctx.db().delete(KIND, name)? {
        return Err(ApiError::not_found(KIND, name));
    }
    let operation = ctx.record(NewOperation::succeeded(KIND, name, ctx.regional_location()))?;
    Ok(json!({ "operations": [operation] }))
}

fn create_disk(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "diskName");
    let zone = input::string(input, "availabilityZone");
    let size = input::integer(input, "sizeInGb").unwrap_or(0);
    if input.get("restoreDate").is_some() && input::flag(input, "useLatestRestorableAutoSnapshot") {
        return Err(invalid(
            "The restore date and use latest restorable auto snapshot parameters are mutually exclusive",
        ));
    }
    let snapshot = match (
        input::optional_string(input, "diskSnapshotName"),
        input::optional_string(input, "sourceDiskName"),
    ) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                "The disk snapshot name and source disk name parameters are mutually exclusive",
            ))
        }
        (None, None) => {
            return Err(invalid(
                "Either a disk snapshot name or a source disk name is required",
            ))
        }
        (None, Some(source_disk)) => {
            ctx.db().require(disks::KIND, source_disk)?;
            return Err(ApiError::operation_failure(format!(
                "The disk has no automatic snapshots to restore from: {source_disk}"
            )));
        }
        (Some(snapshot_name), None) => {
            let snapshot = ctx.db().require(KIND, snapshot_name)?;
            if snapshot["state"] != "completed" {
                return Err(ApiError::operation_failure(format!(
                    "The disk snapshot is not completed yet: {snapshot_name}"
                )));
            }
            snapshot
        }
    };
    check_zone(ctx, zone)?;
    check_size(size)?;
    let snapshot_size = snapshot["sizeInGb"].as_i64().unwrap_or(0);
    if size < snapshot_size {
        return Err(ApiError::invalid_input(
            "InvalidInput",
            format!(
                "The disk size must be at least the snapshot's size ({snapshot_size} GB): {size}"
            ),
        ));
    }
    if ctx.db().exists(disks::KIND, name)? {
        return Err(ApiError::name_in_use(name));
    }
    let operation = new_disk(ctx, name, zone, size, input)?;
    Ok(json!({ "operations": [operation] }))
}
