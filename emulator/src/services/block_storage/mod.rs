//! Block storage: disks ([`disks`]) and disk snapshots ([`disk_snapshots`]).
//!
//! A disk lives in one Availability Zone and attaches to one instance of that zone. The relationship
//! is stored on both sides, as Lightsail returns it: the disk's `attachedTo`, `isAttached`,
//! `attachmentState` and `path`, and a copy of the disk's wire form in the instance's
//! `hardware.disks` (after its system disk, as `src/help/examples/get-instances.rst` shows). The
//! helpers here keep that copy in step with the disk; instances themselves belong to
//! `services::instances`, whose stored wire form they read and update.

pub mod disk_snapshots;
pub mod disks;

use serde_json::Value;

use crate::engine::{Ctx, Registry};
use crate::error::ApiError;
use crate::services::instances;

pub fn register(registry: &mut Registry) {
    disks::register(registry);
    disk_snapshots::register(registry);
}

/// Lightsail's provisioned IOPS for a disk size: 3 per GB, at least 100 (the CLI examples show 100
/// for 8 GB, 240 for 80 GB, 384 for 128 GB).
pub fn iops(size_in_gb: i64) -> i64 {
    (size_in_gb * 3).max(100)
}

/// An Availability Zone of the caller's region, or `InvalidInputException`.
pub fn check_zone(ctx: &Ctx<'_>, zone: &str) -> Result<(), ApiError> {
    if ctx.region.has_zone(zone) {
        Ok(())
    } else {
        Err(ApiError::invalid_input(
            "InvalidInput",
            format!("The Availability Zone is not valid: {zone}"),
        ))
    }
}

/// The instance's disk list (`hardware.disks`), created if missing.
fn instance_disks(instance: &mut Value) -> &mut Vec<Value> {
    let hardware = &mut instance["hardware"];
    if !hardware["disks"].is_array() {
        hardware["disks"] = Value::Array(Vec::new());
    }
    match &mut hardware["disks"] {
        Value::Array(disks) => disks,
        // Made an array just above.
        _ => unreachable!("hardware.disks is an array"),
    }
}

/// Puts (or replaces) the disk's current wire form in its instance's `hardware.disks`.
pub fn show_on_instance(ctx: &Ctx<'_>, instance: &str, disk: &Value) -> Result<(), ApiError> {
    let name = disk.get("name").cloned();
    ctx.db().update(instances::KIND, instance, |body| {
        let disks = instance_disks(body);
        match disks.iter_mut().find(|d| d.get("name") == name.as_ref()) {
            Some(copy) => *copy = disk.clone(),
            None => disks.push(disk.clone()),
        }
    })?;
    Ok(())
}

/// Removes a disk from its instance's `hardware.disks` (nothing when the instance is gone).
pub fn remove_from_instance(ctx: &Ctx<'_>, instance: &str, disk: &str) -> Result<(), ApiError> {
    if !ctx.db().exists(instances::KIND, instance)? {
        return Ok(());
    }
    ctx.db().update(instances::KIND, instance, |body| {
        instance_disks(body).retain(|d| d.get("name").and_then(Value::as_str) != Some(disk));
    })?;
    Ok(())
}
