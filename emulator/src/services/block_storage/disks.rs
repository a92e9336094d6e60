//! Disks: CreateDisk, GetDisk, GetDisks, AttachDisk, DetachDisk, DeleteDisk (CreateDiskFromSnapshot
//! is in `disk_snapshots`, which shares [`new_disk`]).
//!
//! A new disk is `pending` with one `Started` operation; after the `Disk` delay it is `available`
//! and the operation `Succeeded`. Attaching needs an `available` disk and a running or stopped
//! instance of the same zone, and a device path (`/dev/...`) the instance does not use yet: at once
//! the disk is `in-use`, `attachmentState: attached`, and shows in the instance's `hardware.disks`;
//! the two operations (on the disk and on the instance, as `src/help/examples/attach-disk.rst`
//! shows) are `Started` and succeed after the `Disk.attach` delay. Detaching undoes it (delay
//! `Disk.detach`). Only a detached, `available` disk can be deleted (the model's documentation);
//! deleting answers one `Succeeded` operation. Detaching from a running instance is allowed (our
//! choice: the service's rule is not documented).

use serde_json::{json, Value};

use super::{check_zone, iops, remove_from_instance, show_on_instance};
use crate::engine::{input, Ctx, NewOperation, Registry, Transition};
use crate::error::ApiError;
use crate::services::instances;

/// The `resourceType` (and store kind) of disks.
pub const KIND: &str = "Disk";

/// Lightsail's disk sizes: 8 GB to 16 TB.
const MIN_SIZE_GB: i64 = 8;
const MAX_SIZE_GB: i64 = 16_384;

/// The time of day automatic snapshots are taken when the request names none (our choice).
const DEFAULT_SNAPSHOT_TIME: &str = "06:00";

pub fn register(registry: &mut Registry) {
    registry
        .add("CreateDisk", create)
        .add("GetDisk", get)
        .add("GetDisks", list)
        .add("AttachDisk", attach)
        .add("DetachDisk", detach)
        .add("DeleteDisk", delete);
}

/// A disk size within Lightsail's range, or `InvalidInputException`.
pub fn check_size(size_in_gb: i64) -> Result<(), ApiError> {
    if (MIN_SIZE_GB..=MAX_SIZE_GB).contains(&size_in_gb) {
        Ok(())
    } else {
        Err(ApiError::invalid_input(
            "InvalidInput",
            format!(
                "The disk size must be between {MIN_SIZE_GB} and {MAX_SIZE_GB} GB: {size_in_gb}"
            ),
        ))
    }
}

/// The `addOns` of a new disk: only the automatic snapshot add-on applies to disks, its time of day
/// on the hour.
pub fn add_ons(input: &Value) -> Result<Vec<Value>, ApiError> {
    let mut out = Vec::new();
    for request in input
        .get("addOns")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let add_on_type = input::string(request, "addOnType");
        if add_on_type != "AutoSnapshot" {
            return Err(ApiError::invalid_input(
                "InvalidInput",
                format!("The add-on is not supported for disks: {add_on_type}"),
            ));
        }
        let time = request
            .pointer("/autoSnapshotAddOnRequest/snapshotTimeOfDay")
            .and_then(Value::as_str)
            .unwrap_or(DEFAULT_SNAPSHOT_TIME);
        if !time.ends_with(":00") {
            return Err(ApiError::invalid_input(
                "InvalidInput",
                format!("The snapshot time of day must be on the hour (HH:00): {time}"),
            ));
        }
        out.push(json!({
            "name": "AutoSnapshot",
            "status": "Enabled",
            "snapshotTimeOfDay": time,
            "nextSnapshotTimeOfDay": time,
        }));
    }
    Ok(out)
}

/// Creates a `pending` disk with its `Started` operation and schedules `available` (CreateDisk and
/// CreateDiskFromSnapshot). The caller has checked the name, zone and size.
pub fn new_disk(
    ctx: &mut Ctx<'_>,
    name: &str,
    zone: &str,
    size_in_gb: i64,
    input: &Value,
) -> Result<Value, ApiError> {
    let add_ons = add_ons(input)?;
    let operation = ctx.record(NewOperation::started(KIND, name, ctx.location(zone)))?;
    let arn = ctx.new_arn(KIND);
    let support_code = ctx.support_code("vol-");
    let mut disk = json!({
        "name": name,
        "arn": arn,
        "supportCode": support_code,
        "createdAt": ctx.now(),
        "location": ctx.location(zone),
        "resourceType": KIND,
        "tags": input::tags(input),
        "sizeInGb": size_in_gb,
        "isSystemDisk": false,
        "iops": iops(size_in_gb),
        "state": "pending",
        "isAttached": false,
        "attachmentState": "detached",
    });
    if !add_ons.is_empty() {
        disk["addOns"] = Value::Array(add_ons);
    }
    ctx.db().insert(KIND, name, &disk)?;
    ctx.schedule(
        KIND,
        Transition::of(KIND, name)
            .set("/state", "available")
            .only_if("/state", "pending")
            .finishing(std::slice::from_ref(&operation)),
    )?;
    Ok(operation)
}

fn create(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "diskName");
    let zone = input::string(input, "availabilityZone");
    let size = input::integer(input, "sizeInGb").unwrap_or(0);
    check_zone(ctx, zone)?;
    check_size(size)?;
    if ctx.db().exists(KIND, name)? {
        return Err(ApiError::name_in_use(name));
    }
    let operation = new_disk(ctx, name, zone, size, input)?;
    Ok(json!({ "operations": [operation] }))
}

fn get(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let disk = ctx.db().require(KIND, input::string(input, "diskName"))?;
    Ok(json!({ "disk": disk }))
}

fn list(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    Ok(ctx.page(KIND, input)?.into_output("disks"))
}

fn text<'v>(value: &'v Value, pointer: &str) -> &'v str {
    value.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// The disk's state must allow attaching, detaching or deleting it.
fn check_not_pending(disk: &Value, name: &str) -> Result<(), ApiError> {
    if text(disk, "/state") == "pending" {
        return Err(ApiError::operation_failure(format!(
            "The disk is not available yet: {name}"
        )));
    }
    Ok(())
}

fn attach(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let disk_name = input::string(input, "diskName");
    let instance_name = input::string(input, "instanceName");
    let path = input::string(input, "diskPath");
    let mut disk = ctx.db().require(KIND, disk_name)?;
    let instance = ctx.db().require(instances::KIND, instance_name)?;
    check_not_pending(&disk, disk_name)?;
    if disk["isAttached"] == true {
        return Err(ApiError::operation_failure(format!(
            "The disk is already attached to an instance: {}",
            text(&disk, "/attachedTo")
        )));
    }
    let zone = text(&disk, "/location/availabilityZone");
    if text(&instance, "/location/availabilityZone") != zone {
        return Err(ApiError::invalid_input(
            "InvalidInput",
            format!(
                "The disk and the instance must be in the same Availability Zone: {disk_name} is in {zone}"
            ),
        ));
    }
    let state = text(&instance, "/state/name");
    if state != "running" && state != "stopped" {
        return Err(ApiError::operation_failure(format!(
            "The instance must be running or stopped to attach a disk: {instance_name} is {state}"
        )));
    }
    if !path.starts_with("/dev/") {
        return Err(ApiError::invalid_input(
            "InvalidInput",
            format!("The disk path must be a device path such as /dev/xvdf: {path}"),
        ));
    }
    let in_use = instance
        .pointer("/hardware/disks")
        .and_then(Value::as_array)
        .is_some_and(|disks| disks.iter().any(|d| d.get("path") == Some(&json!(path))));
    if in_use {
        return Err(ApiError::invalid_input(
            "InvalidInput",
            format!("The disk path is already in use on the instance: {path}"),
        ));
    }
    let operations = vec![
        ctx.record(
            NewOperation::started(KIND, disk_name, disk["location"].clone()).details(instance_name),
        )?,
        ctx.record(
            NewOperation::started(instances::KIND, instance_name, instance["location"].clone())
                .details(disk_name),
        )?,
    ];
    disk["path"] = json!(path);
    disk["state"] = json!("in-use");
    disk["attachedTo"] = json!(instance_name);
    disk["isAttached"] = json!(true);
    disk["attachmentState"] = json!("attached");
    if input::flag(input, "autoMounting") {
        disk["autoMountStatus"] = json!("Mounted");
    }
    ctx.db().put(KIND, disk_name, &disk)?;
    show_on_instance(ctx, instance_name, &disk)?;
    ctx.schedule(
        "Disk.attach",
        Transition::of(KIND, disk_name).finishing(&operations),
    )?;
    Ok(json!({ "operations": operations }))
}

fn detach(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let disk_name = input::string(input, "diskName");
    let mut disk = ctx.db().require(KIND, disk_name)?;
    if disk["isAttached"] != true {
        return Err(ApiError::operation_failure(format!(
            "The disk is not attached to an instance: {disk_name}"
        )));
    }
    let instance_name = text(&disk, "/attachedTo").to_string();
    let mut operations = vec![ctx.record(
        NewOperation::started(KIND, disk_name, disk["location"].clone()).details(&instance_name),
    )?];
    if let Some(instance) = ctx.db().get(instances::KIND, &instance_name)? {
        operations.push(
            ctx.record(
                NewOperation::started(
                    instances::KIND,
                    &instance_name,
                    instance["location"].clone(),
                )
                .details(disk_name),
            )?,
        );
    }
    if let Some(fields) = disk.as_object_mut() {
        for member in ["path", "attachedTo", "autoMountStatus"] {
            fields.remove(member);
        }
    }
    disk["state"] = json!("available");
    disk["isAttached"] = json!(false);
    disk["attachmentState"] = json!("detached");
    ctx.db().put(KIND, disk_name, &disk)?;
    remove_from_instance(ctx, &instance_name, disk_name)?;
    ctx.schedule(
        "Disk.detach",
        Transition::of(KIND, disk_name).finishing(&operations),
    )?;
    Ok(json!({ "operations": operations }))
}

fn delete(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "diskName");
    let disk = ctx.db().require(KIND, name)?;
    if disk["isAttached"] == true {
        return Err(ApiError::operation_failure(format!(
            "The disk is attached to an instance and cannot be deleted: {name} is attached to {}",
            text(&disk, "/attachedTo")
        )));
    }
    check_not_pending(&disk, name)?;
    ctx.db().delete(KIND, name)?;
    let operation = ctx.record(NewOperation::succeeded(
        KIND,
        name,
        disk["location"].clone(),
    ))?;
    Ok(json!({ "operations": [operation] }))
}
