//! Client-side parameter validation: botocore's `ParamValidator` (botocore/validate.py).
//!
//! Before any request the reference checks the parameters against the operation's input shape and
//! collects every problem, in this order for each structure: missing required members (model
//! order), unknown members (parameter order), then each known member in parameter order, recursing
//! into lists (`tags[0]`) and maps (`name (key: k)` for the key, `name.k` for the value). Types are
//! checked the Python way (`bool` is an `int`, `int` is a valid `double`), and the only constraint
//! checked besides types is `min` (string length in code points, list length, number value): not
//! `max`, `pattern` or `enum`. The Lightsail model has no document, union or host-label members, so
//! those branches of the reference are not needed.
//!
//! The report prints as `Parameter validation failed:\n` followed by one line per problem; the CLI
//! writes it to stderr framed as `"\n" + report + "\n"` and exits with 255. The same validator checks
//! the fake response of `--generate-cli-skeleton output` against the output shape (botocore's
//! `Stubber`), and that check runs even when `parameter_validation = false`.

use crate::python::repr::{str_of, DictFlavor};
use crate::python::types::class_str;

use crate::model::{Kind, Shape};
use crate::python::timestamp::SystemLocal;
use crate::python::value::{Map, Number, Value};
use std::fmt;

/// One problem found in the parameters. `at` is the parameter path as the report prints it
/// (`input`, `tags[0].key`).
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    MissingRequired {
        at: String,
        member: &'static str,
    },
    Unknown {
        at: String,
        param: String,
        valid: Vec<&'static str>,
    },
    InvalidType {
        at: String,
        value: String,
        python_type: &'static str,
        valid_types: &'static str,
    },
    InvalidRange {
        at: String,
        value: String,
        min: i64,
    },
    InvalidLength {
        at: String,
        length: usize,
        min: i64,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::MissingRequired { at, member } => {
                write!(f, "Missing required parameter in {at}: \"{member}\"")
            }
            Problem::Unknown { at, param, valid } => {
                write!(
                    f,
                    "Unknown parameter in {at}: \"{param}\", must be one of: {}",
                    valid.join(", ")
                )
            }
            Problem::InvalidType {
                at,
                value,
                python_type,
                valid_types,
            } => {
                write!(f, "Invalid type for parameter {at}, value: {value}, type: {python_type}, valid types: {valid_types}")
            }
            Problem::InvalidRange { at, value, min } => {
                write!(
                    f,
                    "Invalid value for parameter {at}, value: {value}, valid min value: {min}"
                )
            }
            Problem::InvalidLength { at, length, min } => {
                write!(
                    f,
                    "Invalid length for parameter {at}, value: {length}, valid min length: {min}"
                )
            }
        }
    }
}

/// botocore's `ParamValidationError`. The reference prints `"\n{self}\n"` to stderr and exits 255.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Parameter validation failed:")?;
        for problem in &self.problems {
            write!(f, "\n{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// The exit code the reference uses for a validation error.
pub const EXIT_CODE: i32 = 255;

/// botocore's `ensure_boolean` on the `parameter_validation` config value: validation stays on when
/// the setting is absent, and is on only when the text is `true` in any case (`yes` turns it off).
pub fn parameter_validation_enabled(config_value: Option<&str>) -> bool {
    config_value.is_none_or(|v| v.eq_ignore_ascii_case("true"))
}

/// Validates the call parameters against an operation's input shape, as botocore does before
/// serialising a request.
///
/// `json_option_members` names the top-level members whose value the CLI decoded from JSON given to
/// an option (`--tags '[...]'`): their objects are `OrderedDict`s and print as such in "Invalid type"
/// messages. `enabled` is [`parameter_validation_enabled`] of the profile's configuration.
pub fn validate(
    input: &'static Shape,
    params: &Map,
    json_option_members: &[&str],
    enabled: bool,
) -> Result<(), ValidationError> {
    if !enabled {
        return Ok(());
    }
    let mut validator = Validator {
        problems: Vec::new(),
        flavor: DictFlavor::Dict,
    };
    validator.structure_members(params, input, "", |name| {
        Some(if json_option_members.contains(&name) {
            DictFlavor::OrderedDict
        } else {
            DictFlavor::Dict
        })
    });
    if validator.problems.is_empty() {
        Ok(())
    } else {
        Err(ValidationError {
            problems: validator.problems,
        })
    }
}

/// Validates any value against any shape (a response against an output shape, say), with plain
/// dicts throughout.
pub fn validate_value(shape: &'static Shape, value: &Value) -> Result<(), ValidationError> {
    let mut validator = Validator {
        problems: Vec::new(),
        flavor: DictFlavor::Dict,
    };
    validator.value(value, shape, String::new());
    if validator.problems.is_empty() {
        Ok(())
    } else {
        Err(ValidationError {
            problems: validator.problems,
        })
    }
}

struct Validator {
    problems: Vec<Problem>,
    /// The class of the objects in the value being checked.
    flavor: DictFlavor,
}

/// botocore's `_get_name`: the root is `input`, member paths lose their leading dot.
fn display_name(path: &str) -> String {
    if path.is_empty() {
        "input".to_string()
    } else {
        path.strip_prefix('.').unwrap_or(path).to_string()
    }
}

/// The `valid types:` list for each kind, as `str(type)` of botocore's accepted Python types.
fn valid_types(kind: Kind) -> &'static str {
    match kind {
        Kind::String => "<class 'str'>",
        Kind::Integer | Kind::Long => "<class 'int'>",
        Kind::Float | Kind::Double => "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>",
        Kind::Boolean => "<class 'bool'>",
        Kind::Structure | Kind::Map => "<class 'dict'>",
        Kind::List => "<class 'list'>, <class 'tuple'>",
        Kind::Timestamp => "<class 'datetime.datetime'>, timestamp-string",
        Kind::Blob => "<class 'bytes'>, <class 'bytearray'>, file-like object",
    }
}

/// Python's `isinstance(value, accepted types)` for each kind.
fn has_valid_type(value: &Value, kind: Kind) -> bool {
    match kind {
        Kind::String | Kind::Blob => matches!(value, Value::String(_)),
        Kind::Integer | Kind::Long => {
            matches!(
                value,
                Value::Bool(_) | Value::Number(Number::Int(_) | Number::BigInt(_))
            )
        }
        Kind::Float | Kind::Double => matches!(value, Value::Bool(_) | Value::Number(_)),
        Kind::Boolean => matches!(value, Value::Bool(_)),
        Kind::Structure | Kind::Map => matches!(value, Value::Object(_)),
        Kind::List => matches!(value, Value::Array(_)),
        Kind::Timestamp => super::timestamp::is_valid(value, &SystemLocal),
    }
}

/// `value < min` for a Python number (or bool) against an integer bound.
fn number_below(value: &Value, min: i64) -> bool {
    match value {
        Value::Bool(b) => i64::from(*b) < min,
        Value::Number(Number::Int(i)) => *i < min,
        // A big int is beyond every i64 bound: below it exactly when negative.
        Value::Number(Number::BigInt(digits)) => digits.starts_with('-'),
        Value::Number(Number::Float(f)) => *f < min as f64,
        _ => false,
    }
}

impl Validator {
    fn report_type(&mut self, value: &Value, kind: Kind, path: &str) {
        self.problems.push(Problem::InvalidType {
            at: display_name(path),
            value: str_of(value, self.flavor),
            python_type: class_str(value, self.flavor),
            valid_types: valid_types(kind),
        });
    }

    fn value(&mut self, value: &Value, shape: &'static Shape, path: String) {
        if !has_valid_type(value, shape.kind) {
            self.report_type(value, shape.kind, &path);
            return;
        }
        match (value, shape.kind) {
            (Value::Object(map), Kind::Structure) => {
                self.structure_members(map, shape, &path, |_| None)
            }
            (Value::Object(map), Kind::Map) => {
                for (key, item) in map {
                    let key_value = Value::String(key.clone());
                    if let Some(key_shape) = shape.map_key() {
                        self.value(&key_value, key_shape, format!("{path} (key: {key})"));
                    }
                    if let Some(value_shape) = shape.map_value() {
                        self.value(item, value_shape, format!("{path}.{key}"));
                    }
                }
            }
            (Value::Array(items), Kind::List) => {
                self.min_length(items.len(), shape, &path);
                if let Some(member) = shape.list_member() {
                    for (i, item) in items.iter().enumerate() {
                        self.value(item, member, format!("{path}[{i}]"));
                    }
                }
            }
            (Value::String(s), Kind::String) => self.min_length(s.chars().count(), shape, &path),
            (_, Kind::Integer | Kind::Long | Kind::Float | Kind::Double) => {
                if let Some(min) = shape.min {
                    if number_below(value, min) {
                        self.problems.push(Problem::InvalidRange {
                            at: display_name(&path),
                            value: str_of(value, self.flavor),
                            min,
                        });
                    }
                }
            }
            _ => {}
        }
    }

    fn min_length(&mut self, length: usize, shape: &Shape, path: &str) {
        if let Some(min) = shape.min {
            if (length as i128) < i128::from(min) {
                self.problems.push(Problem::InvalidLength {
                    at: display_name(path),
                    length,
                    min,
                });
            }
        }
    }

    /// `_validate_structure` after its type check. `flavor_of` gives the object class of each
    /// member's value (only the top level mixes classes).
    fn structure_members(
        &mut self,
        params: &Map,
        shape: &'static Shape,
        path: &str,
        flavor_of: impl Fn(&str) -> Option<DictFlavor>,
    ) {
        for required in shape.required {
            if !params.contains_key(required) {
                self.problems.push(Problem::MissingRequired {
                    at: display_name(path),
                    member: required,
                });
            }
        }
        let mut known = Vec::with_capacity(params.len());
        for (name, value) in params {
            match shape.member_named(name) {
                Some(member) => known.push((name, value, member)),
                None => self.problems.push(Problem::Unknown {
                    at: display_name(path),
                    param: name.to_string(),
                    valid: shape.members.iter().map(|m| m.name).collect(),
                }),
            }
        }
        let outer = self.flavor;
        for (name, value, member) in known {
            if let Some(flavor) = flavor_of(name) {
                self.flavor = flavor;
            }
            self.value(value, member.shape(), format!("{path}.{name}"));
            self.flavor = outer;
        }
    }
}

#[cfg(test)]
pub(crate) mod test_json;
#[cfg(test)]
mod tests;
