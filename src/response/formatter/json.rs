//! `--output json` (awscli/formatter.py `JSONFormatter`).
//!
//! The reference writes `json.dump(response, indent=4, ensure_ascii=False)` and a newline, except
//! when the response is exactly an empty object (an operation with no output members): then nothing
//! at all. Every other value, `null`, `[]`, `0` and `""` included, is printed.

use crate::python::json_encode::{dumps, DumpOptions};
use crate::python::value::Value;

/// The stdout bytes of the JSON formatter.
pub fn format_json(value: &Value) -> String {
    if matches!(value, Value::Object(map) if map.is_empty()) {
        return String::new();
    }
    let mut out = dumps(value, &DumpOptions::cli_output());
    out.push('\n');
    out
}
