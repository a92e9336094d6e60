//! Runs the official JMESPath compliance suite (`../shared/jmespath-compliance/*.json`, kept beside the
//! repo, never copied into it) through our engine: all 892 non-benchmark cases must pass.
//!
//! Results compare as Python `json.dumps` text, so object key order counts. Where Python jmespath
//! 1.1.0's actual result serializes differently from the file's expected value, the recorded Python
//! output in `tests/data/jmespath/compliance_overrides.json` (written by
//! `tests/record/jmespath_corpus.py`) is the expectation instead. Error cases check the error kind.

use lightsail_cli::jmespath::{self, JmespathError, PythonExceptionKind};
use lightsail_cli::value::{Map, Number, Value};
use std::collections::HashMap;
use std::path::Path;

const SUITE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/jmespath-compliance");
const OVERRIDES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/jmespath/compliance_overrides.json"
);
const EXPECTED_CASES: usize = 892;

/// Converts a serde_json value (parsed with key order preserved) into our value type.
fn to_value(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(if let Some(i) = n.as_i64() {
            Number::Int(i)
        } else if let Some(u) = n.as_u64() {
            Number::BigInt(u.to_string())
        } else {
            Number::Float(n.as_f64().unwrap_or(f64::NAN))
        }),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => Value::Array(items.iter().map(to_value).collect()),
        serde_json::Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                out.insert(k.clone(), to_value(v));
            }
            Value::Object(out)
        }
    }
}

fn error_kind(error: &JmespathError) -> &'static str {
    match error {
        JmespathError::InvalidType { .. } => "invalid-type",
        JmespathError::Arity { .. } => "invalid-arity",
        JmespathError::UnknownFunction(_) => "unknown-function",
        JmespathError::Python {
            kind: PythonExceptionKind::ValueError,
            ..
        } => "invalid-value",
        JmespathError::Python { .. } => "invalid-type",
        JmespathError::ExpressionReferenceInResult => "unserializable",
    }
}

#[test]
fn compliance_suite_passes_completely() {
    let dir = Path::new(SUITE_DIR);
    assert!(
        dir.is_dir(),
        "the JMESPath compliance suite is missing: expected the shared data at {} (a copy of shared/ must sit beside the repo)",
        dir.display()
    );
    let overrides: HashMap<String, String> = serde_json::from_str(
        &std::fs::read_to_string(OVERRIDES).expect("overrides file is committed"),
    )
    .expect("overrides file is valid JSON");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("compliance dir is readable")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();

    let (mut total, mut passed) = (0usize, 0usize);
    let mut failures = Vec::new();
    for path in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let text = std::fs::read_to_string(path).expect("compliance file is readable");
        let suites: serde_json::Value =
            serde_json::from_str(&text).expect("compliance file is valid JSON");
        for (si, suite) in suites
            .as_array()
            .expect("a list of suites")
            .iter()
            .enumerate()
        {
            let given = to_value(&suite["given"]);
            for (ci, case) in suite["cases"]
                .as_array()
                .expect("a list of cases")
                .iter()
                .enumerate()
            {
                if case.get("bench").is_some() {
                    continue;
                }
                total += 1;
                let expression = case["expression"].as_str().expect("expression is a string");
                let outcome = match jmespath::compile(expression) {
                    Err(e) => Err(("syntax", e.to_string())),
                    Ok(compiled) => match compiled.search(&given) {
                        Ok(v) => Ok(jmespath::to_python_json(&v)),
                        Err(e) => Err((error_kind(&e), e.to_string())),
                    },
                };
                let ok = match (case.get("error"), &outcome) {
                    (Some(kind), Err((actual, _))) => kind.as_str() == Some(*actual),
                    (None, Ok(actual)) => {
                        let key = format!("{name}#{si}#{ci}");
                        let expected = overrides.get(&key).cloned().unwrap_or_else(|| {
                            jmespath::to_python_json(&to_value(&case["result"]))
                        });
                        *actual == expected
                    }
                    _ => false,
                };
                if ok {
                    passed += 1;
                } else {
                    failures.push(format!(
                        "{name}#{si}#{ci} {expression:?}: got {outcome:?}, case {case}"
                    ));
                }
            }
        }
    }
    println!("jmespath compliance: {passed}/{EXPECTED_CASES} passed");
    for failure in failures.iter().take(40) {
        println!("FAIL {failure}");
    }
    assert_eq!(
        total, EXPECTED_CASES,
        "the suite should hold {EXPECTED_CASES} non-benchmark cases"
    );
    assert_eq!(
        passed,
        EXPECTED_CASES,
        "{} compliance cases failed",
        failures.len()
    );
}
