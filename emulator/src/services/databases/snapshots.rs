//! Database snapshots: CreateRelationalDatabaseSnapshot, GetRelationalDatabaseSnapshot(s),
//! DeleteRelationalDatabaseSnapshot, and the snapshots that StopRelationalDatabase and
//! DeleteRelationalDatabase take on the way ([`take`]).
//!
//! Shapes and operations follow `src/help/examples/create-relational-database-snapshot.rst` (two
//! operations: the snapshot's, then the database's, each naming the other in `operationDetails`),
//! `get-relational-database-snapshot.rst` and `delete-relational-database-snapshot.rst` (one
//! `Succeeded` operation). A new snapshot is `creating` (RDS's word; ours) until the
//! `RelationalDatabaseSnapshot` delay has passed, then `available`; meanwhile its database is
//! `backing-up`. A snapshot keeps the database's master user name, database name and current password
//! in its private value, for the databases restored from it. A snapshot outlives its database.

use serde_json::{json, Value};

use crate::engine::{input, Ctx, NewOperation, Transition};
use crate::error::ApiError;
use crate::services::databases::database::{self, current_password, ls_identifier};
use crate::services::databases::{KIND, SNAPSHOT_KIND};

/// Creates a snapshot of a database (as it is now) and schedules it to become available; returns
/// the two operations, the snapshot's first. The database itself is left as it is.
pub fn take(
    ctx: &mut Ctx<'_>,
    database: &Value,
    database_private: &Value,
    snapshot_name: &str,
    tags: Vec<Value>,
) -> Result<Vec<Value>, ApiError> {
    let database_name = database["name"].as_str().unwrap_or("");
    let arn = ctx.new_arn(SNAPSHOT_KIND);
    let identifier = ls_identifier(ctx);
    let snapshot = json!({
        "name": snapshot_name,
        "arn": arn,
        "supportCode": format!("{}/{identifier}", ctx.account),
        "createdAt": ctx.now(),
        "location": ctx.regional_location(),
        "resourceType": SNAPSHOT_KIND,
        "tags": tags,
        "engine": database["engine"],
        "engineVersion": database["engineVersion"],
        "sizeInGb": database["hardware"]["diskSizeInGb"],
        "state": "creating",
        "fromRelationalDatabaseName": database_name,
        "fromRelationalDatabaseArn": database["arn"],
        "fromRelationalDatabaseBundleId": database["relationalDatabaseBundleId"],
        "fromRelationalDatabaseBlueprintId": database["relationalDatabaseBlueprintId"],
    });
    let private = json!({
        "masterDatabaseName": database["masterDatabaseName"],
        "masterUsername": database["masterUsername"],
        "password": current_password(database_private, ctx.now()).unwrap_or_default(),
    });
    ctx.db()
        .insert_with_private(SNAPSHOT_KIND, snapshot_name, &snapshot, &private)?;
    let operations = vec![
        ctx.record(
            NewOperation::started(SNAPSHOT_KIND, snapshot_name, ctx.regional_location())
                .details(database_name)
                .operation_type("CreateRelationalDatabaseSnapshot"),
        )?,
        ctx.record(
            NewOperation::started(KIND, database_name, database["location"].clone())
                .details(snapshot_name)
                .operation_type("CreateRelationalDatabaseSnapshot"),
        )?,
    ];
    ctx.schedule(
        SNAPSHOT_KIND,
        Transition::of(SNAPSHOT_KIND, snapshot_name)
            .only_if("/state", "creating")
            .set("/state", "available")
            .finishing(&operations),
    )?;
    Ok(operations)
}

pub fn create(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let database_name = input::string(input, "relationalDatabaseName");
    let snapshot_name = input::string(input, "relationalDatabaseSnapshotName");
    let record = database::require_record(ctx, database_name)?;
    database::require_state(&record.body, "available", "take a snapshot")?;
    if ctx.db().exists(SNAPSHOT_KIND, snapshot_name)? {
        return Err(ApiError::name_in_use(snapshot_name));
    }
    let operations = take(
        ctx,
        &record.body,
        &record.private,
        snapshot_name,
        input::tags(input),
    )?;
    ctx.db().update(KIND, database_name, |body| {
        body["state"] = json!("backing-up");
    })?;
    ctx.schedule(
        SNAPSHOT_KIND,
        Transition::of(KIND, database_name)
            .only_if("/state", "backing-up")
            .set("/state", "available"),
    )?;
    Ok(json!({ "operations": operations }))
}

pub fn get(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "relationalDatabaseSnapshotName");
    let snapshot = ctx.db().require(SNAPSHOT_KIND, name)?;
    Ok(json!({ "relationalDatabaseSnapshot": snapshot }))
}

pub fn list(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    Ok(ctx
        .page(SNAPSHOT_KIND, input)?
        .into_output("relationalDatabaseSnapshots"))
}

pub fn delete(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "relationalDatabaseSnapshotName");
    let snapshot = ctx.db().require(SNAPSHOT_KIND, name)?;
    if snapshot["state"] != "available" {
        return Err(ApiError::operation_failure(format!(
            "The relational database snapshot {name} must be available to be deleted; it is {}.",
            snapshot["state"].as_str().unwrap_or("")
        )));
    }
    ctx.db().delete(SNAPSHOT_KIND, name)?;
    let operation = ctx.record(NewOperation::succeeded(
        SNAPSHOT_KIND,
        name,
        ctx.regional_location(),
    ))?;
    Ok(json!({ "operations": [operation] }))
}
