//! CopySnapshot: a manual instance or disk snapshot copied as another manual snapshot, or an
//! automatic snapshot of an instance or disk kept as a manual one, from any region into the
//! caller's.
//!
//! The copy is a new snapshot of the source's kind in the caller's region (new name, ARN, support
//! code, `createdAt`, no tags), `pending` until the `InstanceSnapshot.copy` / `DiskSnapshot.copy`
//! step (falling back to the kind's delay) makes it `available` (`completed` for disk snapshots,
//! `progress: 100%`). One `Started` operation on the copy, `operationType: CopySnapshot`,
//! `operationDetails: SOURCE_REGION:SOURCE_NAME` (the CLI's four examples). The source must be
//! `available` (or `completed`); the parameter combinations are the model's: a manual source names
//! `sourceSnapshotName` only, an automatic one `sourceResourceName` with exactly one of `restoreDate`
//! and `useLatestRestorableAutoSnapshot`.

use serde_json::{json, Value};

use crate::engine::regions;
use crate::engine::{input, Ctx, NewOperation, Transition};
use crate::error::ApiError;
use crate::services::instances::{self, add_ons};

use super::KIND;

/// The disk snapshots' kind (block storage family).
const DISK_SNAPSHOT: &str = "DiskSnapshot";

fn bad_input(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

/// The new snapshot's wire form and the operation's details.
fn copy_of_manual(
    ctx: &Ctx<'_>,
    source_region: &str,
    source_name: &str,
) -> Result<(String, Value), ApiError> {
    let (kind, source) = match ctx.db_in(source_region).get(KIND, source_name)? {
        Some(snapshot) => (KIND, snapshot),
        None => match ctx.db_in(source_region).get(DISK_SNAPSHOT, source_name)? {
            Some(snapshot) => (DISK_SNAPSHOT, snapshot),
            None => return Err(ApiError::not_found(KIND, source_name)),
        },
    };
    if !matches!(source["state"].as_str(), Some("available" | "completed")) {
        return Err(ApiError::operation_failure(format!(
            "The snapshot {source_name} is {}; only an available snapshot can be copied",
            source["state"].as_str().unwrap_or("not ready")
        )));
    }
    Ok((kind.to_string(), source))
}

/// An automatic snapshot kept as a manual one: the snapshot's wire form as the resource's own
/// snapshot would be.
fn copy_of_automatic(
    ctx: &Ctx<'_>,
    source_region: &str,
    resource: &str,
    input: &Value,
) -> Result<(String, Value), ApiError> {
    let db = ctx.db_in(source_region);
    let (record, kind) = match db.record(instances::KIND, resource)? {
        Some(record) => (record, KIND),
        None => match db.record("Disk", resource)? {
            Some(record) => (record, DISK_SNAPSHOT),
            None => return Err(ApiError::not_found("Resource", resource)),
        },
    };
    let auto = add_ons::chosen_auto_snapshot(ctx, &record.body, &record.private, input)?;
    let body = &record.body;
    let source = if kind == KIND {
        json!({
            "fromAttachedDisks": [],
            "fromInstanceName": resource,
            "fromInstanceArn": body["arn"],
            "fromBlueprintId": body["blueprintId"],
            "fromBundleId": body["bundleId"],
            "isFromAutoSnapshot": true,
            "sizeInGb": body.pointer("/hardware/disks/0/sizeInGb").cloned().unwrap_or(json!(20)),
            "createdAt": auto["createdAt"],
        })
    } else {
        json!({
            "sizeInGb": body["sizeInGb"],
            "progress": "100%",
            "fromDiskName": resource,
            "fromDiskArn": body["arn"],
            "isFromAutoSnapshot": true,
            "createdAt": auto["createdAt"],
        })
    };
    Ok((kind.to_string(), source))
}

pub fn copy_snapshot(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let target = input::string(input, "targetSnapshotName");
    let source_region = input::string(input, "sourceRegion");
    let served =
        regions::find(source_region).is_some() || source_region == ctx.settings.default_region.name;
    if !served {
        return Err(bad_input(format!(
            "Lightsail is not available in the source region {source_region}"
        )));
    }
    let snapshot_name = input::optional_string(input, "sourceSnapshotName");
    let resource_name = input::optional_string(input, "sourceResourceName");
    let automatic = input.get("restoreDate").is_some()
        || input.get("useLatestRestorableAutoSnapshot").is_some();
    let (kind, source, from) = match (snapshot_name, resource_name) {
        (Some(_), Some(_)) => {
            return Err(bad_input(
                "sourceSnapshotName and sourceResourceName cannot be used together".to_string(),
            ))
        }
        (None, None) => {
            return Err(bad_input(
                "Specify sourceSnapshotName (a manual snapshot) or sourceResourceName (an \
                 automatic snapshot)"
                    .to_string(),
            ))
        }
        (Some(name), None) => {
            if automatic {
                return Err(bad_input(
                    "restoreDate and useLatestRestorableAutoSnapshot are only for copying an \
                     automatic snapshot (sourceResourceName)"
                        .to_string(),
                ));
            }
            let (kind, source) = copy_of_manual(ctx, source_region, name)?;
            (kind, source, name)
        }
        (None, Some(name)) => {
            let (kind, source) = copy_of_automatic(ctx, source_region, name, input)?;
            (kind, source, name)
        }
    };
    if ctx.db().exists(&kind, target)? {
        return Err(ApiError::name_in_use(target));
    }
    let disk = kind == DISK_SNAPSHOT;
    let mut copy = source;
    copy["name"] = json!(target);
    copy["arn"] = json!(ctx.new_arn(&kind));
    copy["supportCode"] = json!(ctx.support_code(if disk { "snap-" } else { "ami-" }));
    copy["createdAt"] = json!(ctx.now());
    copy["location"] = ctx.regional_location();
    copy["resourceType"] = json!(kind);
    copy["tags"] = json!([]);
    copy["state"] = json!("pending");
    if disk {
        copy["progress"] = json!("0%");
    }
    ctx.db().insert(&kind, target, &copy)?;
    let operation = ctx.record(
        NewOperation::started(&kind, target, ctx.regional_location())
            .details(&format!("{source_region}:{from}")),
    )?;
    let mut ready = Transition::of(&kind, target).only_if("/state", "pending");
    ready = if disk {
        ready.set("/state", "completed").set("/progress", "100%")
    } else {
        ready.set("/state", "available")
    };
    ctx.schedule(
        &format!("{kind}.copy"),
        ready.finishing(std::slice::from_ref(&operation)),
    )?;
    Ok(json!({ "operations": [operation] }))
}
