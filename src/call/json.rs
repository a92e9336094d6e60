//! JSON in and out of the wire: botocore's `JSONSerializer` body is `json.dumps(body)` with Python's
//! defaults (separators `", "` and `": "`, `ensure_ascii=True`), and bodies are read with Python's
//! `json.loads`. Both are the shared codecs (`crate::python::json_encode`, `crate::python::json_decode`).

use crate::python::json_encode::{dumps, DumpOptions};
use crate::python::value::Value;

/// `json.dumps(value)` with Python's defaults.
pub fn encode(value: &Value) -> String {
    dumps(value, &DumpOptions::python_default())
}

/// `json.loads(text)`, with Python's error message on failure.
pub fn decode(text: &str) -> Result<Value, String> {
    crate::python::json_decode::loads(text).map_err(|e| e.to_string())
}
