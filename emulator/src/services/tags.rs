//! Tags on every taggable resource: TagResource and UntagResource.
//!
//! Tags live in the resource's wire form (`tags`, a list of `{"key"}` or `{"key", "value"}`), so
//! every family's Get calls return them with no extra work. The resource is found by `resourceArn`
//! when given, else by `resourceName` among every kind of the caller's region. Tagging an existing
//! key replaces its value; untagging a key that is not there is not an error. Each call answers one
//! `Succeeded` operation located where the resource is.

use serde_json::{json, Value};

use crate::engine::{input, Ctx, NewOperation, Record, Registry};
use crate::error::ApiError;

pub fn register(registry: &mut Registry) {
    registry
        .add("TagResource", tag_resource)
        .add("UntagResource", untag_resource);
}

/// The resource a tag call names.
fn target(ctx: &Ctx<'_>, input: &Value) -> Result<Record, ApiError> {
    let name = input::string(input, "resourceName");
    let found = match input::optional_string(input, "resourceArn") {
        Some(arn) => ctx.db().find_by_arn(arn)?,
        None => ctx.db().find_by_name(name)?,
    };
    found.ok_or_else(|| ApiError::not_found("Resource", name))
}

/// Merges `new` into `tags`: a key already there gets the new value.
pub fn merge_tags(tags: &mut Vec<Value>, new: Vec<Value>) {
    for tag in new {
        match tags.iter_mut().find(|t| t.get("key") == tag.get("key")) {
            Some(existing) => *existing = tag,
            None => tags.push(tag),
        }
    }
}

/// Removes the tags with these keys.
pub fn remove_tags(tags: &mut Vec<Value>, keys: &[&str]) {
    tags.retain(|t| !keys.contains(&t.get("key").and_then(Value::as_str).unwrap_or("")));
}

fn change_tags(
    ctx: &mut Ctx<'_>,
    input: &Value,
    change: impl FnOnce(&mut Vec<Value>),
) -> Result<Value, ApiError> {
    let Record {
        kind,
        name,
        mut body,
        ..
    } = target(ctx, input)?;
    if body.get("tags").is_none() {
        // Records and account settings (export snapshot records, the VPC) have no tags.
        return Err(ApiError::invalid_input(
            "InvalidInput",
            format!("The resource cannot be tagged: {name}"),
        ));
    }
    let mut tags = body
        .get("tags")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    change(&mut tags);
    body["tags"] = Value::Array(tags);
    ctx.db().put(&kind, &name, &body)?;
    let location = body
        .get("location")
        .cloned()
        .unwrap_or_else(|| ctx.regional_location());
    let operation = ctx.record(NewOperation::succeeded(&kind, &name, location))?;
    Ok(json!({ "operations": [operation] }))
}

fn tag_resource(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let new = input::tags(input);
    change_tags(ctx, input, |tags| merge_tags(tags, new))
}

fn untag_resource(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let keys: Vec<String> = input::strings(input, "tagKeys")
        .into_iter()
        .map(str::to_string)
        .collect();
    change_tags(ctx, input, |tags| {
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        remove_tags(tags, &keys)
    })
}
