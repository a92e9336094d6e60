//! The Lightsail service model (botocore's `service-2.json`, vendored at the repository root), compiled
//! once per process into typed shapes.
//!
//! Everything the emulator knows about the wire shape of an operation comes from here: which
//! `X-Amz-Target` operations exist, their input and output shapes, member order, required members,
//! enums, length and range limits and patterns. Two layers use it: [`validate`] checks a request body
//! before any handler runs (the service's input validation), and [`conform`] checks and orders every
//! response body against the operation's output shape (the model-valid response layer).

pub mod conform;
pub mod validate;

use std::collections::{BTreeMap, HashMap};

use regex::Regex;
use serde_json::{Map, Value};

const SERVICE_JSON: &str = include_str!("../../../model/service-2.json");

/// An index into [`Model::shapes`].
pub type ShapeId = usize;

/// The kind of a shape (`type` in the model).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Structure,
    List,
    Map,
    String,
    Integer,
    Long,
    Boolean,
    Float,
    Double,
    Timestamp,
    Blob,
}

impl Kind {
    fn parse(text: &str) -> Option<Kind> {
        Some(match text {
            "structure" => Kind::Structure,
            "list" => Kind::List,
            "map" => Kind::Map,
            "string" => Kind::String,
            "integer" => Kind::Integer,
            "long" => Kind::Long,
            "boolean" => Kind::Boolean,
            "float" => Kind::Float,
            "double" => Kind::Double,
            "timestamp" => Kind::Timestamp,
            "blob" => Kind::Blob,
            _ => return None,
        })
    }
}

/// A structure member.
#[derive(Debug, Clone)]
pub struct Member {
    pub name: String,
    pub shape: ShapeId,
}

/// One compiled shape.
#[derive(Debug)]
pub struct Shape {
    pub name: String,
    pub kind: Kind,
    /// Structure members, in model order.
    pub members: Vec<Member>,
    /// Member name to its index in `members`.
    pub member_index: HashMap<String, usize>,
    /// Required structure members, in the model's `required` order.
    pub required: Vec<String>,
    /// A list's member shape, or a map's value shape.
    pub element: Option<ShapeId>,
    /// A map's key shape.
    pub key: Option<ShapeId>,
    pub enum_values: Vec<String>,
    /// `min`/`max`: characters for strings, items for lists and maps, value for numbers.
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// The model's pattern as written, and compiled to match the whole value.
    pub pattern: Option<(String, Regex)>,
    /// Error shapes: `exception: true`.
    pub exception: bool,
    /// `sensitive: true`: the value never appears in an error message.
    pub sensitive: bool,
}

/// One operation's shapes.
#[derive(Debug, Clone)]
pub struct Operation {
    pub name: String,
    pub input: Option<ShapeId>,
    pub output: Option<ShapeId>,
    /// Names of the error shapes the operation declares.
    pub errors: Vec<String>,
}

/// The compiled model.
#[derive(Debug)]
pub struct Model {
    pub shapes: Vec<Shape>,
    by_name: HashMap<String, ShapeId>,
    operations: BTreeMap<String, Operation>,
    /// `metadata.targetPrefix`, `Lightsail_20161128`.
    pub target_prefix: String,
}

static SHARED: std::sync::OnceLock<Result<Model, String>> = std::sync::OnceLock::new();

/// Rewrites a model pattern (Java syntax, matched against the whole value by the service) for the
/// `regex` crate: anchored, and with `\w`/`\d` meaning ASCII only as in Java (Rust's are Unicode).
fn translate_pattern(pattern: &str) -> String {
    let mut out = String::from("^(?:");
    let mut in_class = false;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('w') if in_class => out.push_str("0-9A-Za-z_"),
                Some('w') => out.push_str("[0-9A-Za-z_]"),
                Some('d') if in_class => out.push_str("0-9"),
                Some('d') => out.push_str("[0-9]"),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` or `^]` right after the opening bracket is a literal.
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    out.push_str("\\]");
                    chars.next();
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out.push_str(")$");
    out
}

impl Model {
    /// The vendored model, parsed once per process (tests start many emulators).
    pub fn shared() -> Result<&'static Model, String> {
        SHARED
            .get_or_init(Model::load)
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parses and compiles the vendored model.
    pub fn load() -> Result<Model, String> {
        let root: Value = serde_json::from_str(SERVICE_JSON).map_err(|e| e.to_string())?;
        let object = |key: &str| -> Result<&Map<String, Value>, String> {
            root.get(key)
                .and_then(Value::as_object)
                .ok_or_else(|| format!("service-2.json has no {key}"))
        };
        let raw_shapes = object("shapes")?;
        let by_name: HashMap<String, ShapeId> = raw_shapes
            .keys()
            .enumerate()
            .map(|(index, name)| (name.clone(), index))
            .collect();
        let id_of = |value: Option<&Value>| -> Result<Option<ShapeId>, String> {
            match value.and_then(|v| v.get("shape")).and_then(Value::as_str) {
                None => Ok(None),
                Some(name) => by_name
                    .get(name)
                    .copied()
                    .map(Some)
                    .ok_or_else(|| format!("unknown shape {name}")),
            }
        };
        let mut shapes = Vec::with_capacity(raw_shapes.len());
        for (name, raw) in raw_shapes {
            let kind_text = raw.get("type").and_then(Value::as_str).unwrap_or("");
            let kind = Kind::parse(kind_text)
                .ok_or_else(|| format!("shape {name} has unknown type {kind_text:?}"))?;
            let mut members = Vec::new();
            for (member, definition) in raw
                .get("members")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let shape = id_of(Some(definition))?
                    .ok_or_else(|| format!("member {name}.{member} has no shape"))?;
                members.push(Member {
                    name: member.clone(),
                    shape,
                });
            }
            let member_index = members
                .iter()
                .enumerate()
                .map(|(i, m)| (m.name.clone(), i))
                .collect();
            let strings = |key: &str| -> Vec<String> {
                raw.get(key)
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let pattern = match raw.get("pattern").and_then(Value::as_str) {
                None => None,
                Some(text) => {
                    let compiled = Regex::new(&translate_pattern(text))
                        .map_err(|e| format!("shape {name}: pattern {text:?}: {e}"))?;
                    Some((text.to_string(), compiled))
                }
            };
            let element = match kind {
                Kind::List => id_of(raw.get("member"))?,
                Kind::Map => id_of(raw.get("value"))?,
                _ => None,
            };
            shapes.push(Shape {
                name: name.clone(),
                kind,
                members,
                member_index,
                required: strings("required"),
                element,
                key: id_of(raw.get("key"))?,
                enum_values: strings("enum"),
                min: raw.get("min").and_then(Value::as_f64),
                max: raw.get("max").and_then(Value::as_f64),
                pattern,
                exception: raw.get("exception").and_then(Value::as_bool) == Some(true),
                sensitive: raw.get("sensitive").and_then(Value::as_bool) == Some(true),
            });
        }
        let mut operations = BTreeMap::new();
        for (name, raw) in object("operations")? {
            let errors = raw
                .get("errors")
                .and_then(Value::as_array)
                .map(|errors| {
                    errors
                        .iter()
                        .filter_map(|e| e.get("shape").and_then(Value::as_str))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            operations.insert(
                name.clone(),
                Operation {
                    name: name.clone(),
                    input: id_of(raw.get("input"))?,
                    output: id_of(raw.get("output"))?,
                    errors,
                },
            );
        }
        let target_prefix = root
            .pointer("/metadata/targetPrefix")
            .and_then(Value::as_str)
            .ok_or("service-2.json has no metadata.targetPrefix")?
            .to_string();
        Ok(Model {
            shapes,
            by_name,
            operations,
            target_prefix,
        })
    }

    pub fn has_operation(&self, name: &str) -> bool {
        self.operations.contains_key(name)
    }

    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.get(name)
    }

    /// Every operation of the model, by name.
    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.operations.values()
    }

    pub fn shape(&self, id: ShapeId) -> &Shape {
        &self.shapes[id]
    }

    pub fn shape_named(&self, name: &str) -> Option<&Shape> {
        self.by_name.get(name).map(|&id| &self.shapes[id])
    }

    pub fn shape_id(&self, name: &str) -> Option<ShapeId> {
        self.by_name.get(name).copied()
    }

    pub fn input_shape(&self, operation: &str) -> Option<&str> {
        let id = self.operations.get(operation)?.input?;
        Some(&self.shapes[id].name)
    }

    pub fn output_shape(&self, operation: &str) -> Option<&str> {
        let id = self.operations.get(operation)?.output?;
        Some(&self.shapes[id].name)
    }

    /// The member names of a structure shape, in model order.
    pub fn members(&self, shape: &str) -> Vec<String> {
        self.shape_named(shape)
            .map(|s| s.members.iter().map(|m| m.name.clone()).collect())
            .unwrap_or_default()
    }

    /// Puts every structure's members into model order (unknown keys keep their place at the end).
    pub fn order(&self, mut value: Value, shape_name: &str) -> Value {
        if let Some(id) = self.shape_id(shape_name) {
            conform::reorder(self, id, &mut value);
        }
        value
    }
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
    fn patterns_match_whole_values_with_ascii_words() {
        let model = Model::load().unwrap();
        let name = model.shape_named("ResourceName").unwrap();
        let regex = &name.pattern.as_ref().unwrap().1;
        for good in ["WordPress-1", "a_", "ab", "x-y-z"] {
            assert!(regex.is_match(good), "{good}");
        }
        for bad in ["", "a", "-ab", "ab-", "a b", "é-1", "snäp", "a.b"] {
            assert!(!regex.is_match(bad), "{bad}");
        }
        let service = &model
            .shape_named("ContainerServiceName")
            .unwrap()
            .pattern
            .as_ref()
            .unwrap()
            .1;
        assert!(service.is_match("ab") && service.is_match("my-service"));
        assert!(!service.is_match("-x") && !service.is_match("My"));
        // Every pattern of the model compiles.
        assert!(model.shapes.iter().filter(|s| s.pattern.is_some()).count() >= 18);
    }

    #[test]
    fn operations_have_shapes() {
        let model = Model::load().unwrap();
        assert_eq!(model.operations().count(), 161);
        assert_eq!(model.input_shape("GetInstance"), Some("GetInstanceRequest"));
        assert_eq!(model.output_shape("GetInstance"), Some("GetInstanceResult"));
        let _ = json!(null);
    }
}
