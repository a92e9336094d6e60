//! JSON in and out of the wire, until the shared codecs land.
//!
//! `encode` is botocore's `JSONSerializer`: `json.dumps(body)` with Python's default separators (`", "`
//! and `": "`) and `ensure_ascii=True`. `decode` is a stand-in for `crate::json_decode` (Python
//! `json.loads` with its exact error messages), written by another helper: REPLACE `decode` with a call to
//! it at merge time. Until then it uses serde_json, whose error texts differ from Python's.

use crate::value::{Map, Number, Value};
use std::fmt::Write as _;

/// `json.dumps(value)` with Python's defaults.
pub fn encode(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.json_repr()),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_string(out, key);
                out.push_str(": ");
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Stand-in for `crate::json_decode::loads` (see the module doc): decodes into a Python-faithful `Value`.
pub fn decode(text: &str) -> Result<Value, String> {
    let parsed: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    Ok(convert(parsed))
}

fn convert(v: serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => Value::Number(Number::from_json_literal(&n.to_string())),
        serde_json::Value::String(s) => Value::String(s),
        serde_json::Value::Array(items) => Value::Array(items.into_iter().map(convert).collect()),
        serde_json::Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, convert(v)))
                .collect::<Map>(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_json_dumps() {
        let mut map = Map::new();
        map.insert("a\"b".into(), Value::String("é☃😀\t\u{1}\u{7f}".into()));
        map.insert(
            "n".into(),
            Value::Array(vec![
                Value::Number(Number::Int(1)),
                Value::Number(Number::Float(1.5)),
                Value::Null,
            ]),
        );
        assert_eq!(
            encode(&Value::Object(map)),
            r#"{"a\"b": "\u00e9\u2603\ud83d\ude00\t\u0001\u007f", "n": [1, 1.5, null]}"#
        );
    }
}
