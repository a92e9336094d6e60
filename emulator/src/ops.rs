//! The Lightsail operations the emulator implements, one function each, over [`State`].
//!
//! Handlers build wire-form JSON; the server puts it in the model's member order afterwards. Operations
//! are listed newest first, as Lightsail lists them. List operations put `Config::page_size` items on a
//! page (everything when 0) and answer `nextPageToken` while more remain.

use serde_json::{json, Value};

use crate::clock;
use crate::error::ApiError;
use crate::state::{Snapshot, State, ACCOUNT_ID};

/// What a handler needs besides the state.
pub struct Context<'a> {
    pub state: &'a mut State,
    pub region: &'a str,
    pub deterministic: bool,
    pub snapshot_delay_secs: f64,
    pub real_now: f64,
    /// Items per page for list operations; 0: everything on one page.
    pub page_size: usize,
}

/// A handler's result: the output and whether the state changed (and must be persisted).
pub struct Outcome {
    pub output: Value,
    pub changed: bool,
}

/// The operations answered; everything else in the model is `UnknownOperationException`.
pub const IMPLEMENTED: &[&str] = &[
    "CreateInstanceSnapshot",
    "DeleteInstanceSnapshot",
    "GetInstance",
    "GetInstances",
    "GetInstanceSnapshot",
    "GetInstanceSnapshots",
    "GetOperation",
    "GetOperations",
    "GetOperationsForResource",
    "TagResource",
    "UntagResource",
];

/// Runs one operation. Returns None for an operation the emulator does not implement.
pub fn dispatch(
    operation: &str,
    input: &Value,
    ctx: &mut Context,
) -> Option<Result<Outcome, ApiError>> {
    ctx.state.advance(ctx.real_now, ctx.deterministic);
    let result = match operation {
        "CreateInstanceSnapshot" => create_instance_snapshot(input, ctx),
        "DeleteInstanceSnapshot" => delete_instance_snapshot(input, ctx),
        "GetInstance" => get_instance(input, ctx),
        "GetInstances" => paged(input, ctx, "instances", ctx.state.instances.clone()),
        "GetInstanceSnapshot" => get_instance_snapshot(input, ctx),
        "GetInstanceSnapshots" => {
            let snapshots = ctx.state.snapshots.iter().map(|s| s.wire.clone()).collect();
            paged(input, ctx, "instanceSnapshots", snapshots)
        }
        "GetOperation" => get_operation(input, ctx),
        "GetOperations" => {
            let operations = newest_first(ctx.state.operations.iter());
            paged(input, ctx, "operations", operations)
        }
        "GetOperationsForResource" => get_operations_for_resource(input, ctx),
        "TagResource" => tag_resource(input, ctx, true),
        "UntagResource" => tag_resource(input, ctx, false),
        _ => return None,
    };
    Some(result)
}

/// A fresh state: the configured instances, then the configured snapshots, each created as
/// `CreateInstanceSnapshot` creates it (ids, operations and clock advance the same way).
pub fn seed_state(config: &crate::Config) -> Result<State, String> {
    let mut state = crate::state::seed(&config.instances, &config.region, config.deterministic);
    for (instance, snapshot) in &config.snapshots {
        let input = json!({"instanceName": instance, "instanceSnapshotName": snapshot});
        let mut ctx = Context {
            state: &mut state,
            region: &config.region,
            deterministic: config.deterministic,
            snapshot_delay_secs: config.snapshot_delay_secs,
            real_now: clock::real_now(),
            page_size: config.page_size,
        };
        if let Some(Err(error)) = dispatch("CreateInstanceSnapshot", &input, &mut ctx) {
            return Err(format!(
                "cannot seed snapshot {snapshot} of {instance}: {error:?}"
            ));
        }
    }
    Ok(state)
}

fn read(output: Value) -> Result<Outcome, ApiError> {
    Ok(Outcome {
        output,
        changed: false,
    })
}

/// The prefix of the (opaque to clients) page tokens the emulator issues.
const PAGE_TOKEN_PREFIX: &str = "lightsail-emulator-page-";

/// One page of `items` under `key`, with `nextPageToken` when more remain.
fn paged(input: &Value, ctx: &Context, key: &str, items: Vec<Value>) -> Result<Outcome, ApiError> {
    let start = match input.get("pageToken").and_then(Value::as_str) {
        None | Some("") => 0,
        Some(token) => token
            .strip_prefix(PAGE_TOKEN_PREFIX)
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= items.len())
            .ok_or_else(|| {
                ApiError::invalid_input(
                    "InvalidInput",
                    format!("The page token is not valid: {token}"),
                )
            })?,
    };
    let end = if ctx.page_size == 0 {
        items.len()
    } else {
        (start + ctx.page_size).min(items.len())
    };
    let mut output = json!({key: items[start..end]});
    if end < items.len() {
        output["nextPageToken"] = json!(format!("{PAGE_TOKEN_PREFIX}{end}"));
    }
    read(output)
}

fn newest_first<'a>(operations: impl DoubleEndedIterator<Item = &'a Value>) -> Vec<Value> {
    operations.rev().cloned().collect()
}

fn string<'a>(input: &'a Value, member: &str) -> &'a str {
    input.get(member).and_then(Value::as_str).unwrap_or("")
}

/// Lightsail's resource-name pattern, `\w[\w\-]*\w`.
pub fn is_valid_name(name: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let chars: Vec<char> = name.chars().collect();
    chars.len() >= 2
        && word(chars[0])
        && word(chars[chars.len() - 1])
        && chars.iter().all(|&c| word(c) || c == '-')
}

fn checked_name<'a>(input: &'a Value, member: &str) -> Result<&'a str, ApiError> {
    let name = string(input, member);
    if is_valid_name(name) {
        Ok(name)
    } else {
        Err(ApiError::invalid_input(
            "InvalidInput",
            format!(
                "{member} must start and end with a letter or number and contain only letters, numbers, \
                 underscores and hyphens: {name}"
            ),
        ))
    }
}

fn location(zone: &str, region: &str) -> Value {
    json!({"availabilityZone": zone, "regionName": region})
}

fn tags_of(input: &Value) -> Vec<Value> {
    input
        .get("tags")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .filter_map(|tag| {
                    let key = tag.get("key")?.as_str()?;
                    let mut out = json!({"key": key});
                    if let Some(value) = tag.get("value").and_then(Value::as_str) {
                        out["value"] = json!(value);
                    }
                    Some(out)
                })
                .collect()
        })
        .unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
fn operation(
    id: String,
    resource_name: &str,
    resource_type: &str,
    now: f64,
    location: Value,
    details: Option<&str>,
    operation_type: &str,
    finished: bool,
) -> Value {
    let mut op = json!({
        "id": id,
        "resourceName": resource_name,
        "resourceType": resource_type,
        "createdAt": now,
        "location": location,
        "isTerminal": finished,
    });
    if let Some(details) = details {
        op["operationDetails"] = json!(details);
    }
    op["operationType"] = json!(operation_type);
    op["status"] = json!(if finished { "Succeeded" } else { "Started" });
    op["statusChangedAt"] = json!(now);
    op
}

fn create_instance_snapshot(input: &Value, ctx: &mut Context) -> Result<Outcome, ApiError> {
    let snapshot_name = checked_name(input, "instanceSnapshotName")?;
    let instance_name = checked_name(input, "instanceName")?;
    let Some(instance) = ctx.state.instance(instance_name).cloned() else {
        return Err(ApiError::not_found("Instance", instance_name));
    };
    if ctx.state.snapshot(snapshot_name).is_some() {
        return Err(ApiError::invalid_input(
            "NameExists",
            format!("Some names are already in use: {snapshot_name}"),
        ));
    }
    let now = clock::now(ctx.deterministic);
    let region = ctx.region;
    let snapshot_operation_id = ctx.state.ids.operation_id();
    let instance_operation_id = ctx.state.ids.operation_id();
    let uuid = ctx.state.ids.resource_uuid();
    let support = ctx.state.ids.resource_hex(17);
    let instance_zone = instance
        .pointer("/location/availabilityZone")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let size = instance
        .pointer("/hardware/disks/0/sizeInGb")
        .cloned()
        .unwrap_or(json!(40));
    let wire = json!({
        "name": snapshot_name,
        "arn": format!("arn:aws:lightsail:{region}:{ACCOUNT_ID}:InstanceSnapshot/{uuid}"),
        "supportCode": format!("{ACCOUNT_ID}/ami-{support}"),
        "createdAt": now,
        "location": location("all", region),
        "resourceType": "InstanceSnapshot",
        "tags": tags_of(input),
        "state": "pending",
        "fromAttachedDisks": [],
        "fromInstanceName": instance_name,
        "fromInstanceArn": instance.get("arn").cloned().unwrap_or(Value::Null),
        "fromBlueprintId": instance.get("blueprintId").cloned().unwrap_or(Value::Null),
        "fromBundleId": instance.get("bundleId").cloned().unwrap_or(Value::Null),
        "isFromAutoSnapshot": false,
        "sizeInGb": size,
    });
    let operations = vec![
        operation(
            snapshot_operation_id.clone(),
            snapshot_name,
            "InstanceSnapshot",
            now,
            location("all", region),
            Some(instance_name),
            "CreateInstanceSnapshot",
            false,
        ),
        operation(
            instance_operation_id.clone(),
            instance_name,
            "Instance",
            now,
            location(&instance_zone, region),
            Some(snapshot_name),
            "CreateInstanceSnapshot",
            false,
        ),
    ];
    ctx.state.snapshots.push(Snapshot {
        wire,
        ready_at: ctx.real_now + ctx.snapshot_delay_secs.max(0.0),
        operation_ids: vec![snapshot_operation_id, instance_operation_id],
    });
    ctx.state.operations.extend(operations.iter().cloned());
    Ok(Outcome {
        output: json!({"operations": operations}),
        changed: true,
    })
}

fn delete_instance_snapshot(input: &Value, ctx: &mut Context) -> Result<Outcome, ApiError> {
    let name = checked_name(input, "instanceSnapshotName")?;
    let Some(index) = ctx
        .state
        .snapshots
        .iter()
        .position(|s| s.wire.get("name").and_then(Value::as_str) == Some(name))
    else {
        return Err(ApiError::not_found("InstanceSnapshot", name));
    };
    ctx.state.snapshots.remove(index);
    let now = clock::now(ctx.deterministic);
    let op = operation(
        ctx.state.ids.operation_id(),
        name,
        "InstanceSnapshot",
        now,
        location("all", ctx.region),
        None,
        "DeleteInstanceSnapshot",
        true,
    );
    ctx.state.operations.push(op.clone());
    Ok(Outcome {
        output: json!({"operations": [op]}),
        changed: true,
    })
}

fn get_instance(input: &Value, ctx: &mut Context) -> Result<Outcome, ApiError> {
    let name = checked_name(input, "instanceName")?;
    match ctx.state.instance(name) {
        Some(instance) => read(json!({"instance": instance})),
        None => Err(ApiError::not_found("Instance", name)),
    }
}

fn get_instance_snapshot(input: &Value, ctx: &mut Context) -> Result<Outcome, ApiError> {
    let name = checked_name(input, "instanceSnapshotName")?;
    match ctx.state.snapshot(name) {
        Some(snapshot) => read(json!({"instanceSnapshot": snapshot.wire})),
        None => Err(ApiError::not_found("InstanceSnapshot", name)),
    }
}

fn get_operation(input: &Value, ctx: &mut Context) -> Result<Outcome, ApiError> {
    let id = string(input, "operationId");
    match ctx
        .state
        .operations
        .iter()
        .find(|o| o.get("id").and_then(Value::as_str) == Some(id))
    {
        Some(op) => read(json!({"operation": op})),
        None => Err(ApiError::not_found("Operation", id)),
    }
}

fn get_operations_for_resource(input: &Value, ctx: &mut Context) -> Result<Outcome, ApiError> {
    let name = checked_name(input, "resourceName")?;
    if ctx.state.instance(name).is_none() && ctx.state.snapshot(name).is_none() {
        return Err(ApiError::not_found("Resource", name));
    }
    let matching = ctx
        .state
        .operations
        .iter()
        .filter(|o| o.get("resourceName").and_then(Value::as_str) == Some(name));
    let operations = newest_first(matching);
    paged(input, ctx, "operations", operations)
}

fn tag_resource(input: &Value, ctx: &mut Context, add: bool) -> Result<Outcome, ApiError> {
    let name = checked_name(input, "resourceName")?;
    let region = ctx.region.to_string();
    let state = &mut *ctx.state;
    let (wire, resource_type, zone) = if let Some(i) = state
        .instances
        .iter()
        .position(|v| v.get("name").and_then(Value::as_str) == Some(name))
    {
        let zone = crate::state::instance_zone(&region);
        (&mut state.instances[i], "Instance", zone)
    } else if let Some(i) = state
        .snapshots
        .iter()
        .position(|s| s.wire.get("name").and_then(Value::as_str) == Some(name))
    {
        (
            &mut state.snapshots[i].wire,
            "InstanceSnapshot",
            "all".to_string(),
        )
    } else {
        return Err(ApiError::not_found("Resource", name));
    };
    let mut tags: Vec<Value> = wire
        .get("tags")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if add {
        for tag in tags_of(input) {
            match tags.iter_mut().find(|t| t.get("key") == tag.get("key")) {
                Some(existing) => *existing = tag,
                None => tags.push(tag),
            }
        }
    } else {
        let keys: Vec<&str> = input
            .get("tagKeys")
            .and_then(Value::as_array)
            .map(|k| k.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        tags.retain(|t| !keys.contains(&t.get("key").and_then(Value::as_str).unwrap_or("")));
    }
    wire["tags"] = Value::Array(tags);
    let now = clock::now(ctx.deterministic);
    let op = operation(
        ctx.state.ids.operation_id(),
        name,
        resource_type,
        now,
        location(&zone, &region),
        None,
        if add { "TagResource" } else { "UntagResource" },
        true,
    );
    ctx.state.operations.push(op.clone());
    Ok(Outcome {
        output: json!({"operations": [op]}),
        changed: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_pattern() {
        for good in ["WordPress-1", "a_", "ab", "x-y-z"] {
            assert!(is_valid_name(good), "{good}");
        }
        for bad in ["", "a", "-ab", "ab-", "a b", "é-1", "a.b"] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }
}
