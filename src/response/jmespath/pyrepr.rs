//! How Python prints interpreter values: `str()`/`repr()` (error messages embed them) and `json.dumps`
//! (the `to_string` function).
//!
//! These walk [`Val`] because an expression reference can sit anywhere in one; strings go through
//! [`crate::python::repr`] and JSON through [`crate::python::json_encode`], shared with the rest of the CLI.

use super::runtime::Val;
use crate::python::json_encode::{dumps, DumpOptions};
use crate::python::repr::push_repr_str;
use crate::python::value::Value;

/// What `repr()` prints for an `_Expression` (CPython prints a memory address; this one is fixed).
pub(crate) const EXPREF_REPR: &str = "<jmespath.visitor._Expression object at 0x7f0000000000>";

/// Python's `str(x)`: a str prints bare, everything else as `repr(x)`.
pub(crate) fn python_str(value: &Val<'_>) -> String {
    match value {
        Val::String(s) => s.to_string(),
        other => python_repr(other),
    }
}

/// Python's `repr(x)`.
pub(crate) fn python_repr(value: &Val<'_>) -> String {
    let mut out = String::new();
    write_repr(&mut out, value);
    out
}

fn write_repr(out: &mut String, value: &Val<'_>) {
    match value {
        Val::Null => out.push_str("None"),
        Val::Bool(true) => out.push_str("True"),
        Val::Bool(false) => out.push_str("False"),
        Val::Number(n) => out.push_str(&n.python_repr()),
        Val::String(s) => push_repr_str(out, s),
        Val::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(out, item);
            }
            out.push(']');
        }
        Val::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_repr_str(out, key);
                out.push_str(": ");
                write_repr(out, item);
            }
            out.push('}');
        }
        Val::Expref(_) => out.push_str(EXPREF_REPR),
        Val::Doc(document) => write_repr(out, &Val::from_value(document)),
    }
}

/// jmespath's `to_string`: `json.dumps(value, separators=(',', ':'), default=str)`, where
/// `default=str` turns an expression reference into its `str()`, which is then encoded as a string.
pub(crate) fn to_string_json(value: &Val<'_>) -> String {
    let options = DumpOptions {
        separators: Some((",", ":")),
        ..DumpOptions::python_default()
    };
    dumps(&json_value(value), &options)
}

/// The value `json.dumps(..., default=str)` encodes: expression references become their `str()`.
fn json_value(value: &Val<'_>) -> Value {
    match value {
        Val::Null => Value::Null,
        Val::Bool(b) => Value::Bool(*b),
        Val::Number(n) => Value::Number(n.clone()),
        Val::String(s) => Value::String(s.as_ref().into()),
        Val::Array(items) => Value::Array(items.iter().map(json_value).collect()),
        Val::Object(map) => Value::Object(
            map.iter()
                .map(|(key, item)| (key.clone(), json_value(item)))
                .collect(),
        ),
        Val::Expref(_) => Value::String(EXPREF_REPR.into()),
        Val::Doc(document) => (*document).clone(),
    }
}
