//! The model-valid response layer: every response body is checked against the operation's output
//! shape and put in the model's member order before it is sent.
//!
//! A body conforms when every object member is a member of its structure shape, every value has its
//! shape's JSON type (timestamps are epoch seconds, blobs base64 strings), required members are
//! present and no member is `null` (absent members are left out, as the service leaves them out).
//! Handlers may build objects in any order; [`conform`] reorders in place, touching only objects that
//! are out of order, so a body stored in model order costs one pass and no copy. With `strict` the
//! string enums are checked too (tests use it; the server does not, because a region the emulator
//! was explicitly told to serve need not be one of the model's `RegionName` values).

use serde_json::Value;

use super::{Kind, Model, ShapeId};

/// Values the service is known to return outside the model's enum (so strict checks accept them):
/// `(shape, value)`. Source: the AWS CLI's examples (`src/help/examples/get-instance.rst` and
/// others show instance ports with `"accessType": "public"`, where the model says `Public`).
pub const KNOWN_OFF_ENUM: &[(&str, &str)] = &[
    ("PortAccessType", "public"),
    ("PortAccessType", "private"),
    // The model's OperationType has no values for key pairs, but the service answers them
    // (`src/help/examples/create-key-pair.rst`, `delete-key-pair.rst`); ImportKeyPair by analogy.
    ("OperationType", "CreateKeyPair"),
    ("OperationType", "DeleteKeyPair"),
    ("OperationType", "ImportKeyPair"),
    // The database blueprints of the AWS CLI's example (`get-relational-database-blueprints.rst`)
    // include PostgreSQL, which the model's RelationalDatabaseEngine enum lacks.
    ("RelationalDatabaseEngine", "postgres"),
    // Domains are global: their location's region is "global" (get-domain.rst, get-domains.rst),
    // and CreateDomainEntry answers an operation of its own name (create-domain-entry.rst).
    ("RegionName", "global"),
    ("OperationType", "CreateDomainEntry"),
    // Our choice, not known from the service: the model's OperationType has no value for the
    // operations of TagResource and UntagResource, which must answer some operationType.
    ("OperationType", "TagResource"),
    ("OperationType", "UntagResource"),
    // Known from the AWS CLI's examples of the real service (copy-snapshot.rst, peer-vpc.rst,
    // unpeer-vpc.rst, delete-auto-snapshot.rst).
    ("OperationType", "CopySnapshot"),
    ("OperationType", "PeeredVpc"),
    ("OperationType", "UnpeeredVpc"),
    ("OperationType", "DeleteAutoSnapshot"),
    // Our choice, not known from the service: the operations of ExportSnapshot and
    // CreateCloudFormationStack, for which the model has no value.
    ("OperationType", "ExportSnapshot"),
    ("OperationType", "CreateCloudFormationStack"),
];

/// Why a body does not conform: the JSON path and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub path: String,
    pub problem: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.problem)
    }
}

impl Model {
    /// Checks and orders an operation's response body (see the module documentation).
    pub fn conform_output(
        &self,
        operation: &str,
        body: &mut Value,
        strict: bool,
    ) -> Result<(), Mismatch> {
        match self.operation(operation).and_then(|o| o.output) {
            Some(shape) => conform(self, shape, body, strict, &mut String::from("$")),
            None if body.as_object().is_some_and(|o| o.is_empty()) => Ok(()),
            None => Err(Mismatch {
                path: "$".into(),
                problem: format!("{operation} has no output shape, so its body must be {{}}"),
            }),
        }
    }
}

fn mismatch(path: &str, problem: String) -> Result<(), Mismatch> {
    Err(Mismatch {
        path: path.to_string(),
        problem,
    })
}

/// Checks `value` against shape `id` and orders its structures, recursively.
pub fn conform(
    model: &Model,
    id: ShapeId,
    value: &mut Value,
    strict: bool,
    path: &mut String,
) -> Result<(), Mismatch> {
    let shape = model.shape(id);
    let expected = match shape.kind {
        Kind::Structure | Kind::Map => "an object",
        Kind::List => "a list",
        Kind::String | Kind::Blob => "a string",
        Kind::Boolean => "a boolean",
        Kind::Integer | Kind::Long => "an integer",
        Kind::Float | Kind::Double | Kind::Timestamp => "a number",
    };
    let fits = match (shape.kind, &*value) {
        (Kind::Structure | Kind::Map, Value::Object(_)) => true,
        (Kind::List, Value::Array(_)) => true,
        (Kind::String | Kind::Blob, Value::String(_)) => true,
        (Kind::Boolean, Value::Bool(_)) => true,
        (Kind::Integer | Kind::Long, Value::Number(n)) => n.is_i64() || n.is_u64(),
        (Kind::Float | Kind::Double | Kind::Timestamp, Value::Number(_)) => true,
        _ => false,
    };
    if !fits {
        return mismatch(
            path,
            format!("expected {expected} ({}), found {value}", shape.name),
        );
    }
    match value {
        Value::Object(object) if shape.kind == Kind::Structure => {
            let mut last = None;
            let mut in_order = true;
            for (key, inner) in object.iter_mut() {
                let Some(&index) = shape.member_index.get(key) else {
                    return mismatch(path, format!("{key} is not a member of {}", shape.name));
                };
                if inner.is_null() {
                    return mismatch(path, format!("{key} is null (leave it out instead)"));
                }
                if last.is_some_and(|l| l > index) {
                    in_order = false;
                }
                last = Some(index);
                let length = path.len();
                path.push('.');
                path.push_str(key);
                let result = conform(model, shape.members[index].shape, inner, strict, path);
                path.truncate(length);
                result?;
            }
            for name in &shape.required {
                if !object.contains_key(name) {
                    return mismatch(
                        path,
                        format!("required member {name} of {} is missing", shape.name),
                    );
                }
            }
            if !in_order {
                sort_members(shape, object);
            }
            Ok(())
        }
        Value::Object(object) => {
            let element = shape.element.unwrap_or(id);
            for (key, inner) in object.iter_mut() {
                let length = path.len();
                path.push('.');
                path.push_str(key);
                let result = conform(model, element, inner, strict, path);
                path.truncate(length);
                result?;
            }
            Ok(())
        }
        Value::Array(items) => {
            let element = shape.element.unwrap_or(id);
            for (index, item) in items.iter_mut().enumerate() {
                let length = path.len();
                path.push_str(&format!("[{index}]"));
                let result = conform(model, element, item, strict, path);
                path.truncate(length);
                result?;
            }
            Ok(())
        }
        Value::String(text) if strict && !shape.enum_values.is_empty() => {
            let known = KNOWN_OFF_ENUM
                .iter()
                .any(|(name, value)| *name == shape.name && value == text);
            if known || shape.enum_values.iter().any(|v| v == text) {
                Ok(())
            } else {
                mismatch(
                    path,
                    format!("{text:?} is not one of the {} enum values", shape.name),
                )
            }
        }
        _ => Ok(()),
    }
}

/// Puts an object's keys in the structure's member order (unknown keys last, in their order).
fn sort_members(shape: &super::Shape, object: &mut serde_json::Map<String, Value>) {
    let mut entries: Vec<(String, Value)> = std::mem::take(object).into_iter().collect();
    entries.sort_by_key(|(key, _)| shape.member_index.get(key).copied().unwrap_or(usize::MAX));
    object.extend(entries);
}

/// Orders structures only, never failing (used by [`Model::order`]).
pub fn reorder(model: &Model, id: ShapeId, value: &mut Value) {
    let shape = model.shape(id);
    match value {
        Value::Object(object) if shape.kind == Kind::Structure => {
            sort_members(shape, object);
            for (key, inner) in object.iter_mut() {
                if let Some(&index) = shape.member_index.get(key) {
                    reorder(model, shape.members[index].shape, inner);
                }
            }
        }
        Value::Object(object) if shape.kind == Kind::Map => {
            if let Some(element) = shape.element {
                object
                    .values_mut()
                    .for_each(|inner| reorder(model, element, inner));
            }
        }
        Value::Array(items) => {
            if let Some(element) = shape.element {
                items
                    .iter_mut()
                    .for_each(|inner| reorder(model, element, inner));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn orders_and_checks() {
        let model = Model::shared().unwrap();
        let mut body = json!({"operation": {"status": "Started", "id": "x",
            "location": {"regionName": "us-west-2", "availabilityZone": "all"}}});
        model
            .conform_output("GetOperation", &mut body, true)
            .unwrap();
        assert_eq!(
            body.to_string(),
            r#"{"operation":{"id":"x","location":{"availabilityZone":"all","regionName":"us-west-2"},"status":"Started"}}"#
        );
        let mut bad = json!({"operation": {"id": 5}});
        let error = model
            .conform_output("GetOperation", &mut bad, false)
            .unwrap_err();
        assert_eq!(error.path, "$.operation.id");
        let mut unknown = json!({"operation": {"bogus": 1}});
        assert!(model
            .conform_output("GetOperation", &mut unknown, false)
            .is_err());
        let mut enum_value = json!({"operation": {"status": "Sleeping"}});
        assert!(model
            .conform_output("GetOperation", &mut enum_value, false)
            .is_ok());
        assert!(model
            .conform_output("GetOperation", &mut enum_value, true)
            .is_err());
        let mut null = json!({"operation": {"id": null}});
        assert!(model
            .conform_output("GetOperation", &mut null, false)
            .is_err());
    }
}
