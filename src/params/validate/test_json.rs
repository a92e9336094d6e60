//! Test support: reads the recorded JSON files (serde_json) into the crate's [`Value`].
//!
//! The production decoder (`json_decode`, Python's `json.loads`) lives on another branch; tests only
//! need well-formed documents, so serde_json with `arbitrary_precision` (number literals kept as
//! written) and `preserve_order` does.

use crate::python::value::{Map, Number, Value};

pub fn to_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(Number::from_json_literal(&n.to_string())),
        serde_json::Value::String(s) => Value::String(s.as_str().into()),
        serde_json::Value::Array(a) => Value::Array(a.iter().map(to_value).collect()),
        serde_json::Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), to_value(v)))
                .collect::<Map>(),
        ),
    }
}

/// Parses JSON text (tests only: the recorded files are well-formed).
pub fn parse(text: &str) -> Value {
    let v: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("bad test JSON {text:?}: {e}"));
    to_value(&v)
}

/// Reads a file of the test corpus, relative to the crate root.
pub fn read_data(rel: &str) -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every recorded `aws` run under `tests/data/validate/cli/`, sorted by file name.
pub fn cli_cases() -> Vec<serde_json::Value> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/validate/cli");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            entry
                .ok()
                .map(|e| e.file_name().to_string_lossy().into_owned())
        })
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|name| read_data(&format!("tests/data/validate/cli/{name}")))
        .collect()
}
