//! Python's `str()` and `repr()` of a [`Value`], and the few Python facts the formatters lean on.
//!
//! The text and table formatters print every cell with `str(value)`: strings as they are, `True`,
//! `False`, `None`, numbers with `repr`, and, when a cell that is usually a scalar holds a list or an
//! object, Python's container repr (`{'a': 1, 'b': [True, None]}`), whose strings use `repr`'s quoting
//! and escapes (with `str.isprintable` decided by the reference's own Unicode tables).

use crate::python::unicode::{is_double_width, is_printable};
use crate::value::Value;

/// `str(value)`.
pub fn py_str(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => py_repr(other),
    }
}

/// `repr(value)`.
pub fn py_repr(value: &Value) -> String {
    let mut out = String::new();
    push_repr(&mut out, value);
    out
}

fn push_repr(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(n) => out.push_str(&n.python_repr()),
        Value::String(s) => push_str_repr(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_repr(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_str_repr(out, key);
                out.push_str(": ");
                push_repr(out, item);
            }
            out.push('}');
        }
    }
}

/// CPython's `unicode_repr`: single quotes unless the text has `'` and no `"`.
fn push_str_repr(out: &mut String, s: &str) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        let cp = c as u32;
        match c {
            c if c == quote || c == '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ if cp < 0x20 || cp == 0x7f => out.push_str(&format!("\\x{cp:02x}")),
            c if cp < 0x7f => out.push(c),
            c if !is_printable(c) => {
                if cp <= 0xff {
                    out.push_str(&format!("\\x{cp:02x}"));
                } else if cp <= 0xffff {
                    out.push_str(&format!("\\u{cp:04x}"));
                } else {
                    out.push_str(&format!("\\U{cp:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// awscli/table.py `get_text_length`: two columns for East Asian Wide, Fullwidth and Ambiguous
/// characters (even zero-width ones such as U+0301, which is Ambiguous), one for everything else,
/// control characters included. The `unicode-width` crate counts Ambiguous as one column and
/// zero-width characters as zero, so it cannot be used.
pub fn text_length(s: &str) -> usize {
    s.chars()
        .map(|c| if is_double_width(c) { 2 } else { 1 })
        .sum()
}

/// Python's truthiness (`if not current:`): unlike JMESPath, `0`, `0.0` and `False` are false.
pub fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != 0.0,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

/// The Python type name used in the reference's error messages (`'str' object has no attribute 'get'`).
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_float() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// A scalar in the formatters' sense: anything but a list or a dict.
pub fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{Map, Number};

    /// Expected strings are CPython 3.11's `repr` of the same objects.
    #[test]
    fn repr_matches_python() {
        let mut m = Map::new();
        m.insert(
            "it's".into(),
            Value::Array(vec![Value::Bool(true), Value::Null]),
        );
        m.insert(
            "b".into(),
            Value::String("a\"b'\t\u{7f}\u{a0}\u{e9}\u{3000}\u{1f600}\u{e000}".into()),
        );
        m.insert("n".into(), Value::Number(Number::Float(1e-7)));
        assert_eq!(
            py_repr(&Value::Object(m)),
            "{\"it's\": [True, None], 'b': 'a\"b\\'\\t\\x7f\\xa0é\\u3000😀\\ue000', 'n': 1e-07}"
        );
        // U+0301 (a combining accent) is East Asian Ambiguous, so Python counts it as two columns.
        assert_eq!(text_length("aé漢😀\u{301}"), 1 + 2 + 2 + 2 + 2);
    }
}
