//! The Lightsail service model (botocore's `service-2.json`, vendored at the repository root), read at
//! start-up.
//!
//! The emulator uses it for three things: knowing which `X-Amz-Target` operations exist, putting
//! response members in the model's member order (botocore does not reorder, so clients print them in
//! wire order), and checking request bodies the way the service's deserializer does (member types:
//! `SerializationException`; required members: `InvalidInputException`).

use serde_json::{Map, Value};

use crate::error::ApiError;

const SERVICE_JSON: &str = include_str!("../../model/service-2.json");

/// The parsed model.
#[derive(Debug)]
pub struct Model {
    shapes: Map<String, Value>,
    operations: Map<String, Value>,
    /// `metadata.targetPrefix`, `Lightsail_20161128`.
    pub target_prefix: String,
}

static SHARED: std::sync::OnceLock<Result<Model, String>> = std::sync::OnceLock::new();

impl Model {
    /// The vendored model, parsed once per process (tests start many emulators).
    pub fn shared() -> Result<&'static Model, String> {
        SHARED
            .get_or_init(Model::load)
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parses the vendored model.
    pub fn load() -> Result<Model, String> {
        let root: Value = serde_json::from_str(SERVICE_JSON).map_err(|e| e.to_string())?;
        let object = |key: &str| -> Result<Map<String, Value>, String> {
            root.get(key)
                .and_then(Value::as_object)
                .cloned()
                .ok_or_else(|| format!("service-2.json has no {key}"))
        };
        let target_prefix = root
            .pointer("/metadata/targetPrefix")
            .and_then(Value::as_str)
            .ok_or("service-2.json has no metadata.targetPrefix")?
            .to_string();
        Ok(Model {
            shapes: object("shapes")?,
            operations: object("operations")?,
            target_prefix,
        })
    }

    pub fn has_operation(&self, name: &str) -> bool {
        self.operations.contains_key(name)
    }

    fn operation_shape(&self, operation: &str, direction: &str) -> Option<&str> {
        self.operations
            .get(operation)?
            .get(direction)?
            .get("shape")?
            .as_str()
    }

    pub fn input_shape(&self, operation: &str) -> Option<&str> {
        self.operation_shape(operation, "input")
    }

    pub fn output_shape(&self, operation: &str) -> Option<&str> {
        self.operation_shape(operation, "output")
    }

    fn shape(&self, name: &str) -> Option<&Map<String, Value>> {
        self.shapes.get(name)?.as_object()
    }

    /// The member names of a structure shape, in model order.
    pub fn members(&self, shape: &str) -> Vec<String> {
        self.shape(shape)
            .and_then(|s| s.get("members"))
            .and_then(Value::as_object)
            .map(|members| members.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Puts every structure's members into model order (unknown keys keep their place at the end).
    pub fn order(&self, value: Value, shape_name: &str) -> Value {
        let Some(shape) = self.shape(shape_name) else {
            return value;
        };
        let kind = shape.get("type").and_then(Value::as_str).unwrap_or("");
        match (kind, value) {
            ("structure", Value::Object(mut object)) => {
                let members = shape.get("members").and_then(Value::as_object);
                let mut ordered = Map::new();
                for (member, definition) in members.into_iter().flatten() {
                    if let Some(inner) = object.shift_remove(member) {
                        let target = definition
                            .get("shape")
                            .and_then(Value::as_str)
                            .unwrap_or("");
                        ordered.insert(member.clone(), self.order(inner, target));
                    }
                }
                ordered.extend(object);
                Value::Object(ordered)
            }
            ("list", Value::Array(items)) => {
                let member = nested_shape(shape, "member");
                Value::Array(items.into_iter().map(|v| self.order(v, member)).collect())
            }
            ("map", Value::Object(object)) => {
                let target = nested_shape(shape, "value");
                Value::Object(
                    object
                        .into_iter()
                        .map(|(k, v)| (k, self.order(v, target)))
                        .collect(),
                )
            }
            (_, value) => value,
        }
    }

    /// Checks an operation's input against the model.
    pub fn validate_input(&self, operation: &str, input: &Value) -> Result<(), ApiError> {
        let Some(shape) = self.input_shape(operation) else {
            return Ok(());
        };
        self.check(input, shape, "")?;
        let required = self
            .shape(shape)
            .and_then(|s| s.get("required"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for name in required.iter().filter_map(Value::as_str) {
            if input.get(name).is_none_or(Value::is_null) {
                return Err(ApiError::invalid_input(
                    "MissingParameter",
                    format!("Missing required parameter in input: \"{name}\""),
                ));
            }
        }
        Ok(())
    }

    fn check(&self, value: &Value, shape_name: &str, path: &str) -> Result<(), ApiError> {
        let Some(shape) = self.shape(shape_name) else {
            return Ok(());
        };
        let kind = shape.get("type").and_then(Value::as_str).unwrap_or("");
        let mismatch = |expected: &str| {
            Err(ApiError::serialization(format!(
                "Unexpected value for {}: expected {expected}",
                if path.is_empty() { "input" } else { path }
            )))
        };
        if value.is_null() {
            return Ok(());
        }
        match kind {
            "structure" => {
                let Some(object) = value.as_object() else {
                    return mismatch("a structure");
                };
                let members = shape.get("members").and_then(Value::as_object);
                for (key, inner) in object {
                    let target = members
                        .and_then(|m| m.get(key))
                        .and_then(|d| d.get("shape"))
                        .and_then(Value::as_str);
                    if let Some(target) = target {
                        self.check(inner, target, key)?;
                    }
                }
                Ok(())
            }
            "list" => {
                let Some(items) = value.as_array() else {
                    return mismatch("a list");
                };
                let member = nested_shape(shape, "member");
                items
                    .iter()
                    .try_for_each(|item| self.check(item, member, path))
            }
            "map" => {
                let Some(object) = value.as_object() else {
                    return mismatch("a map");
                };
                let target = nested_shape(shape, "value");
                object
                    .values()
                    .try_for_each(|item| self.check(item, target, path))
            }
            "string" | "blob" if !value.is_string() => mismatch("a string"),
            "boolean" if !value.is_boolean() => mismatch("a boolean"),
            "integer" | "long" if !(value.is_i64() || value.is_u64()) => mismatch("an integer"),
            "float" | "double" | "timestamp" if !value.is_number() => mismatch("a number"),
            _ => Ok(()),
        }
    }
}

/// The shape a list's `member` or a map's `value` refers to.
fn nested_shape<'a>(shape: &'a Map<String, Value>, key: &str) -> &'a str {
    shape
        .get(key)
        .and_then(|v| v.get("shape"))
        .and_then(Value::as_str)
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn orders_members_like_the_model() {
        let model = Model::load().unwrap();
        let value = json!({"status": "Started", "id": "x", "location": {"regionName": "r", "availabilityZone": "a"}});
        let ordered = model.order(value, "Operation");
        assert_eq!(
            ordered.to_string(),
            r#"{"id":"x","location":{"availabilityZone":"a","regionName":"r"},"status":"Started"}"#
        );
    }

    #[test]
    fn validates_types_and_required_members() {
        let model = Model::load().unwrap();
        assert!(model
            .validate_input("GetInstance", &json!({"instanceName": "a"}))
            .is_ok());
        let missing = model.validate_input("GetInstance", &json!({})).unwrap_err();
        assert_eq!(missing.type_name, "InvalidInputException");
        let wrong = model
            .validate_input("GetInstance", &json!({"instanceName": 3}))
            .unwrap_err();
        assert!(wrong.type_name.ends_with("SerializationException"));
    }
}
