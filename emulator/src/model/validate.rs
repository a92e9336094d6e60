//! The service's input validation, from the model, before any handler runs or any state is touched.
//!
//! Three passes over the request body, each in model member order, depth first:
//! 1. types: a value of the wrong JSON type is `SerializationException` ("Unexpected value for
//!    MEMBER: expected a string"), as the service's deserializer answers (unknown members are ignored,
//!    as it ignores them);
//! 2. required members: `InvalidInputException` ("Missing required parameter in input: "MEMBER"");
//! 3. constraints: enums, string lengths, list and map sizes, number ranges and patterns (matched
//!    against the whole value, as the service's Java validation does): `InvalidInputException` with a
//!    message that names the member. Sensitive members (`sensitive: true` in the model) never have
//!    their value echoed.
//!
//! Which of these messages are known from the service and which are our wording is listed in the
//! emulator README ("Error messages").

use serde_json::Value;

use super::{Kind, Model, ShapeId};
use crate::error::ApiError;

/// Lightsail's resource-name shape: its pattern failure has a message of its own.
const RESOURCE_NAME: &str = "ResourceName";

/// The calls that find a resource of any kind by `resourceName`, and so name a domain by its domain
/// name. The model's `ResourceName` pattern refuses the dots, but the service must take them: a domain
/// has tags and operations, and these calls require `resourceName`. There a dotted name is checked as
/// if its dots were hyphens (so its length and other characters still count) and then left to the
/// look-up, which answers NotFoundException for a name that is no resource. Our reading of the
/// service, listed in the README.
const ANY_KIND_BY_NAME: [&str; 3] = ["TagResource", "UntagResource", "GetOperationsForResource"];

impl Model {
    /// Checks an operation's input against the model.
    pub fn validate_input(&self, operation: &str, input: &Value) -> Result<(), ApiError> {
        let Some(shape) = self.operation(operation).and_then(|o| o.input) else {
            return Ok(());
        };
        if ANY_KIND_BY_NAME.contains(&operation) {
            let dotted = input.get("resourceName").and_then(Value::as_str);
            if let Some(name) = dotted.filter(|name| name.contains('.')) {
                let mut undotted = input.clone();
                undotted["resourceName"] = Value::String(name.replace('.', "-"));
                if self.check(shape, &undotted).is_ok() {
                    return Ok(());
                }
                // Otherwise the error is reported for the name as sent.
            }
        }
        self.check(shape, input)
    }

    /// The three passes, in order.
    fn check(&self, shape: ShapeId, input: &Value) -> Result<(), ApiError> {
        check_types(self, shape, input, "input")?;
        check_required(self, shape, input)?;
        check_constraints(self, shape, input, "input")
    }
}

fn type_error(member: &str, expected: &str) -> ApiError {
    ApiError::serialization(format!(
        "Unexpected value for {member}: expected {expected}"
    ))
}

fn check_types(model: &Model, id: ShapeId, value: &Value, member: &str) -> Result<(), ApiError> {
    if value.is_null() {
        return Ok(());
    }
    let shape = model.shape(id);
    match shape.kind {
        Kind::Structure => {
            let Some(object) = value.as_object() else {
                return Err(type_error(member, "a structure"));
            };
            for definition in &shape.members {
                if let Some(inner) = object.get(&definition.name) {
                    check_types(model, definition.shape, inner, &definition.name)?;
                }
            }
            Ok(())
        }
        Kind::List => {
            let Some(items) = value.as_array() else {
                return Err(type_error(member, "a list"));
            };
            let element = shape.element.unwrap_or(id);
            items
                .iter()
                .try_for_each(|item| check_types(model, element, item, member))
        }
        Kind::Map => {
            let Some(object) = value.as_object() else {
                return Err(type_error(member, "a map"));
            };
            let element = shape.element.unwrap_or(id);
            object
                .values()
                .try_for_each(|item| check_types(model, element, item, member))
        }
        Kind::String | Kind::Blob if !value.is_string() => Err(type_error(member, "a string")),
        Kind::Boolean if !value.is_boolean() => Err(type_error(member, "a boolean")),
        Kind::Integer | Kind::Long if !(value.is_i64() || value.is_u64()) => {
            Err(type_error(member, "an integer"))
        }
        Kind::Float | Kind::Double | Kind::Timestamp if !value.is_number() => {
            Err(type_error(member, "a number"))
        }
        _ => Ok(()),
    }
}

fn check_required(model: &Model, id: ShapeId, value: &Value) -> Result<(), ApiError> {
    let shape = model.shape(id);
    match (shape.kind, value) {
        (Kind::Structure, Value::Object(object)) => {
            for name in &shape.required {
                if object.get(name).is_none_or(Value::is_null) {
                    return Err(ApiError::invalid_input(
                        "MissingParameter",
                        format!("Missing required parameter in input: \"{name}\""),
                    ));
                }
            }
            for definition in &shape.members {
                if let Some(inner) = object.get(&definition.name) {
                    check_required(model, definition.shape, inner)?;
                }
            }
            Ok(())
        }
        (Kind::List, Value::Array(items)) => {
            let element = shape.element.unwrap_or(id);
            items
                .iter()
                .try_for_each(|item| check_required(model, element, item))
        }
        (Kind::Map, Value::Object(object)) => {
            let element = shape.element.unwrap_or(id);
            object
                .values()
                .try_for_each(|item| check_required(model, element, item))
        }
        _ => Ok(()),
    }
}

fn invalid(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

/// Formats a limit without a trailing `.0`.
fn number(limit: f64) -> String {
    if limit.fract() == 0.0 && limit.abs() < 1e15 {
        format!("{}", limit as i64)
    } else {
        format!("{limit}")
    }
}

fn check_constraints(
    model: &Model,
    id: ShapeId,
    value: &Value,
    member: &str,
) -> Result<(), ApiError> {
    let shape = model.shape(id);
    // What the message shows after the colon: the value, unless it is sensitive.
    let shown = |text: &str| {
        if shape.sensitive {
            String::new()
        } else {
            format!(": {text}")
        }
    };
    match value {
        Value::Null => Ok(()),
        Value::Object(object) if shape.kind == Kind::Structure => {
            for definition in &shape.members {
                if let Some(inner) = object.get(&definition.name) {
                    check_constraints(model, definition.shape, inner, &definition.name)?;
                }
            }
            Ok(())
        }
        Value::Object(object) if shape.kind == Kind::Map => {
            let count = object.len() as f64;
            if let Some(min) = shape.min.filter(|&min| count < min) {
                return Err(invalid(format!(
                    "{member} must have at least {} entries",
                    number(min)
                )));
            }
            if let Some(max) = shape.max.filter(|&max| count > max) {
                return Err(invalid(format!(
                    "{member} must have at most {} entries",
                    number(max)
                )));
            }
            if let Some(key) = shape.key {
                for name in object.keys() {
                    check_constraints(model, key, &Value::String(name.clone()), member)?;
                }
            }
            let element = shape.element.unwrap_or(id);
            object
                .values()
                .try_for_each(|item| check_constraints(model, element, item, member))
        }
        Value::Array(items) => {
            let count = items.len() as f64;
            if let Some(min) = shape.min.filter(|&min| count < min) {
                return Err(invalid(format!(
                    "{member} must have at least {} items",
                    number(min)
                )));
            }
            if let Some(max) = shape.max.filter(|&max| count > max) {
                return Err(invalid(format!(
                    "{member} must have at most {} items",
                    number(max)
                )));
            }
            let element = shape.element.unwrap_or(id);
            items
                .iter()
                .try_for_each(|item| check_constraints(model, element, item, member))
        }
        Value::String(text) => {
            if !shape.enum_values.is_empty() && !shape.enum_values.iter().any(|v| v == text) {
                return Err(invalid(format!(
                    "{member} must be one of {}{}",
                    shape.enum_values.join(", "),
                    shown(text)
                )));
            }
            let length = text.chars().count() as f64;
            if let Some(min) = shape.min.filter(|&min| length < min) {
                return Err(invalid(format!(
                    "{member} must be at least {} characters long{}",
                    number(min),
                    shown(text)
                )));
            }
            if let Some(max) = shape.max.filter(|&max| length > max) {
                return Err(invalid(format!(
                    "{member} must be at most {} characters long{}",
                    number(max),
                    shown(text)
                )));
            }
            if let Some((pattern, regex)) = &shape.pattern {
                if !regex.is_match(text) {
                    return Err(invalid(if shape.name == RESOURCE_NAME {
                        format!(
                            "{member} must start and end with a letter or number and contain only \
                             letters, numbers, underscores and hyphens{}",
                            shown(text)
                        )
                    } else {
                        format!("{member} must match the pattern {pattern}{}", shown(text))
                    }));
                }
            }
            Ok(())
        }
        Value::Number(n) => {
            let Some(v) = n.as_f64() else {
                return Ok(());
            };
            if let Some(min) = shape.min.filter(|&min| v < min) {
                return Err(invalid(format!(
                    "{member} must be at least {}{}",
                    number(min),
                    shown(&n.to_string())
                )));
            }
            if let Some(max) = shape.max.filter(|&max| v > max) {
                return Err(invalid(format!(
                    "{member} must be at most {}{}",
                    number(max),
                    shown(&n.to_string())
                )));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn model() -> &'static Model {
        Model::shared().unwrap()
    }

    fn message(operation: &str, input: Value) -> (String, String) {
        let error = model().validate_input(operation, &input).unwrap_err();
        let message = error
            .fields
            .iter()
            .find(|(k, _)| *k == "message")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        (error.type_name, message)
    }

    #[test]
    fn types_then_required_then_constraints() {
        assert!(model()
            .validate_input("GetInstance", &json!({"instanceName": "a-1"}))
            .is_ok());
        let (kind, text) = message("GetInstance", json!({}));
        assert_eq!(kind, "InvalidInputException");
        assert_eq!(
            text,
            "Missing required parameter in input: \"instanceName\""
        );
        let (kind, text) = message("GetInstance", json!({"instanceName": 3}));
        assert!(kind.ends_with("#SerializationException"), "{kind}");
        assert_eq!(text, "Unexpected value for instanceName: expected a string");
        let (_, text) = message(
            "CreateInstanceSnapshot",
            json!({"instanceSnapshotName": "a", "instanceName": "-x"}),
        );
        assert_eq!(
            text,
            "instanceSnapshotName must start and end with a letter or number and contain only \
             letters, numbers, underscores and hyphens: a"
        );
        let (_, text) = message(
            "CreateInstanceSnapshot",
            json!({"instanceSnapshotName": "ok-1", "instanceName": "x", "tags": [{"key": 5}]}),
        );
        assert_eq!(text, "Unexpected value for key: expected a string");
    }

    #[test]
    fn calls_that_find_any_kind_by_name_take_a_domain_name() {
        let tag = |name: &str| json!({"resourceName": name, "tags": [{"key": "k"}]});
        assert!(model()
            .validate_input("TagResource", &tag("example.org"))
            .is_ok());
        assert!(model()
            .validate_input(
                "GetOperationsForResource",
                &json!({"resourceName": "example.org"})
            )
            .is_ok());
        // Other characters the pattern refuses still fail, named as sent.
        let (_, text) = message("TagResource", tag("exa mple.org"));
        assert!(text.ends_with(": exa mple.org"), "{text}");
        // Elsewhere a dot stays refused.
        let (kind, _) = message("GetInstance", json!({"instanceName": "a.b"}));
        assert_eq!(kind, "InvalidInputException");
    }

    #[test]
    fn enums_ranges_lengths_patterns() {
        let (_, text) = message("GetRegions", json!({"includeAvailabilityZones": "yes"}));
        assert_eq!(
            text,
            "Unexpected value for includeAvailabilityZones: expected a boolean"
        );
        let (_, text) = message(
            "CreateContainerService",
            json!({"serviceName": "svc", "power": "huge", "scale": 1}),
        );
        assert!(
            text.starts_with("power must be one of nano, micro, "),
            "{text}"
        );
        assert!(text.ends_with(": huge"), "{text}");
        let (_, text) = message(
            "CreateContainerService",
            json!({"serviceName": "svc", "power": "nano", "scale": 21}),
        );
        assert_eq!(text, "scale must be at most 20: 21");
        let (_, text) = message(
            "CreateBucket",
            json!({"bucketName": "ab", "bundleId": "small_1_0"}),
        );
        assert_eq!(text, "bucketName must be at least 3 characters long: ab");
        let (_, text) = message(
            "CreateBucket",
            json!({"bucketName": "Upper-Case", "bundleId": "small_1_0"}),
        );
        assert_eq!(
            text,
            "bucketName must match the pattern ^[a-z0-9][a-z0-9-]{1,52}[a-z0-9]$: Upper-Case"
        );
        // A sensitive value is never echoed.
        let (_, text) = message(
            "SetupInstanceHttps",
            json!({"instanceName": "i-1", "emailAddress": "not an address",
                   "domainNames": ["example.com"], "certificateProvider": "LetsEncrypt"}),
        );
        assert!(
            text.starts_with("emailAddress must match the pattern"),
            "{text}"
        );
        assert!(!text.contains("not an address"), "{text}");
    }
}
