//! Instance snapshots: CreateInstanceSnapshot, DeleteInstanceSnapshot, GetInstanceSnapshot(s); and
//! the snapshot calls beside them: CopySnapshot ([`copy`]), ExportSnapshot,
//! GetExportSnapshotRecords, CreateCloudFormationStack, GetCloudFormationStackRecords ([`exports`]).
//! The automatic snapshots (GetAutoSnapshots, DeleteAutoSnapshot) live with the add-on that takes
//! them, in `instances::add_ons`.
//!
//! The exemplar of a family with a lifecycle. A new snapshot is `pending` and its two operations
//! (one on the snapshot, one on the instance, as the seed example shows) are `Started`; after the
//! `InstanceSnapshot` delay (`--snapshot-delay`, default 0: at the next request) the snapshot is
//! `available` and both operations `Succeeded`. `fromAttachedDisks` holds the wire forms of the
//! block storage disks attached to the instance at that moment. Deleting answers one `Succeeded`
//! operation.

pub mod copy;
pub mod exports;

use serde_json::{json, Value};

use crate::engine::{input, Ctx, NewOperation, Registry, Transition};
use crate::error::ApiError;
use crate::services::instances;

/// The `resourceType` (and store kind) of instance snapshots.
pub const KIND: &str = "InstanceSnapshot";

pub fn register(registry: &mut Registry) {
    registry
        .add("CreateInstanceSnapshot", create)
        .add("DeleteInstanceSnapshot", delete)
        .add("GetInstanceSnapshot", get)
        .add("GetInstanceSnapshots", list)
        .add("CopySnapshot", copy::copy_snapshot)
        .add("ExportSnapshot", exports::export_snapshot)
        .add(
            "GetExportSnapshotRecords",
            exports::get_export_snapshot_records,
        )
        .add(
            "CreateCloudFormationStack",
            exports::create_cloud_formation_stack,
        )
        .add(
            "GetCloudFormationStackRecords",
            exports::get_cloud_formation_stack_records,
        );
}

/// CreateInstanceSnapshot (also used to seed `--snapshot INSTANCE:NAME`).
pub fn create(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let snapshot_name = input::string(input, "instanceSnapshotName");
    let instance_name = input::string(input, "instanceName");
    let instance = ctx.db().require(instances::KIND, instance_name)?;
    if ctx.db().exists(KIND, snapshot_name)? {
        return Err(ApiError::name_in_use(snapshot_name));
    }
    let instance_location = instance.get("location").cloned().unwrap_or(Value::Null);
    let operations = vec![
        ctx.record(
            NewOperation::started(KIND, snapshot_name, ctx.regional_location())
                .details(instance_name),
        )?,
        ctx.record(
            NewOperation::started(instances::KIND, instance_name, instance_location)
                .details(snapshot_name),
        )?,
    ];
    let arn = ctx.new_arn(KIND);
    let support_code = ctx.support_code("ami-");
    let member = |name: &str| instance.get(name).cloned().unwrap_or(Value::Null);
    let snapshot = json!({
        "name": snapshot_name,
        "arn": arn,
        "supportCode": support_code,
        "createdAt": ctx.now(),
        "location": ctx.regional_location(),
        "resourceType": KIND,
        "tags": input::tags(input),
        "state": "pending",
        "fromAttachedDisks": attached_disks(&instance),
        "fromInstanceName": instance_name,
        "fromInstanceArn": member("arn"),
        "fromBlueprintId": member("blueprintId"),
        "fromBundleId": member("bundleId"),
        "isFromAutoSnapshot": false,
        "sizeInGb": instance.pointer("/hardware/disks/0/sizeInGb").cloned().unwrap_or(json!(40)),
    });
    ctx.db().insert(KIND, snapshot_name, &snapshot)?;
    ctx.schedule(
        KIND,
        Transition::of(KIND, snapshot_name)
            .set("/state", "available")
            .finishing(&operations),
    )?;
    Ok(json!({ "operations": operations }))
}

/// The wire forms of the block storage disks in an instance's `hardware.disks`.
fn attached_disks(instance: &Value) -> Vec<Value> {
    instance
        .pointer("/hardware/disks")
        .and_then(Value::as_array)
        .map(|disks| {
            disks
                .iter()
                .filter(|d| d["isSystemDisk"] != json!(true))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

fn delete(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "instanceSnapshotName");
    if !ctx.db().delete(KIND, name)? {
        return Err(ApiError::not_found(KIND, name));
    }
    let operation = ctx.record(NewOperation::succeeded(KIND, name, ctx.regional_location()))?;
    Ok(json!({ "operations": [operation] }))
}

fn get(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "instanceSnapshotName");
    let snapshot = ctx.db().require(KIND, name)?;
    Ok(json!({ "instanceSnapshot": snapshot }))
}

fn list(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    Ok(ctx.page(KIND, input)?.into_output("instanceSnapshots"))
}
