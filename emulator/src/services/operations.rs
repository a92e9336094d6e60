//! The operations journal as clients see it: GetOperation, GetOperations, GetOperationsForResource.
//!
//! Every mutating call of every family records its operations through `Ctx::record`; lifecycles move
//! them from `Started` to `Succeeded`. Lists are newest first, as Lightsail lists them.

use serde_json::{json, Value};

use crate::engine::{input, Ctx, Registry};
use crate::error::ApiError;

pub fn register(registry: &mut Registry) {
    registry
        .add("GetOperation", get_operation)
        .add("GetOperations", get_operations)
        .add("GetOperationsForResource", get_operations_for_resource);
}

fn get_operation(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let id = input::string(input, "operationId");
    match ctx.db().operation(id)? {
        Some(operation) => Ok(json!({ "operation": operation })),
        None => Err(ApiError::not_found("Operation", id)),
    }
}

fn get_operations(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    Ok(ctx.operations_page(None, input)?.into_output("operations"))
}

fn get_operations_for_resource(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "resourceName");
    if ctx.db().find_by_name(name)?.is_none() {
        return Err(ApiError::not_found("Resource", name));
    }
    Ok(ctx
        .operations_page(Some(name), input)?
        .into_output("operations"))
}
