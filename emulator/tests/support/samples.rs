//! The operation samples (`tests/samples/*.json`) and the set-up steps they share with the conformance
//! corpus (`{"op": ..., "body": ...}` through `POST /_emulator/call`, `{"advance": N}` through
//! `POST /_emulator/clock`).
#![allow(dead_code)]

use serde_json::{json, Value};

/// One sample: an operation, its input, what to do first, and the error it should answer (if any).
#[derive(Debug, Clone)]
pub struct Sample {
    pub family: String,
    pub operation: String,
    pub input: Value,
    pub setup: Vec<Value>,
    pub expect_error: Option<String>,
    /// The region the call is signed for (default us-west-2): domains and distributions answer only
    /// in us-east-1.
    pub region: Option<String>,
}

/// Every sample of every family file, in file order.
pub fn load() -> Vec<Sample> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/samples");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut samples = Vec::new();
    for path in files {
        let family = path.file_stem().unwrap().to_string_lossy().into_owned();
        let data: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for raw in data["samples"].as_array().expect("a samples list") {
            samples.push(Sample {
                family: family.clone(),
                operation: raw["operation"].as_str().expect("an operation").to_string(),
                input: raw.get("input").cloned().unwrap_or_else(|| json!({})),
                setup: raw
                    .get("setup")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default(),
                expect_error: raw
                    .get("expect_error")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                region: raw
                    .get("region")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            });
        }
    }
    samples
}

/// The admin request that runs one set-up step: (path, body).
pub fn setup_request(step: &Value) -> (&'static str, String) {
    if let Some(seconds) = step.get("advance") {
        return (
            "/_emulator/clock",
            json!({ "advance": seconds }).to_string(),
        );
    }
    let mut call = json!({
        "target": step["op"],
        "body": step.get("body").cloned().unwrap_or_else(|| json!({})),
    });
    if let Some(region) = step.get("region") {
        call["region"] = region.clone();
    }
    ("/_emulator/call", call.to_string())
}
