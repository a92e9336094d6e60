//! Runs the official JMESPath compliance suite (vendored in `tests/data/jmespath/compliance/`, with its
//! licence and provenance) through our engine: all 892 non-benchmark cases must pass.
//!
//! Results compare as Python `json.dumps` text, so object key order counts. Where Python jmespath
//! 1.1.0's actual result serializes differently from the file's expected value, the recorded Python
//! output in `tests/data/jmespath/compliance_overrides.json` (written by
//! `tests/record/jmespath_corpus.py`) is the expectation instead. Error cases check the error kind.

#[path = "support/json_reader.rs"]
mod json_reader;

use lightsail_cli::python::json_encode::{dumps, DumpOptions};
use lightsail_cli::python::value::Value;
use lightsail_cli::response::jmespath::{self, JmespathError, PythonExceptionKind};
use std::path::Path;

const SUITE_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/jmespath/compliance"
);
const OVERRIDES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/jmespath/compliance_overrides.json"
);
const EXPECTED_CASES: usize = 892;

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
        "the vendored JMESPath compliance suite is missing: {}",
        dir.display()
    );
    let overrides = json_reader::parse(
        &std::fs::read_to_string(OVERRIDES).expect("overrides file is committed"),
    );
    let overrides = overrides.as_object().expect("overrides is an object");
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
        let suites = json_reader::parse(&text);
        for (si, suite) in suites.as_array().expect("suites").iter().enumerate() {
            let suite = suite.as_object().expect("a suite is an object");
            let given = suite.get("given").cloned().unwrap_or(Value::Null);
            let cases = suite.get("cases").and_then(Value::as_array).expect("cases");
            for (ci, case) in cases.iter().enumerate() {
                let case = case.as_object().expect("a case is an object");
                if case.contains_key("bench") {
                    continue;
                }
                total += 1;
                let expression = case
                    .get("expression")
                    .and_then(Value::as_str)
                    .expect("expression is a string");
                let outcome = match jmespath::compile(expression) {
                    Err(e) => Err(("syntax", e.to_string())),
                    Ok(compiled) => match compiled.search(&given) {
                        Ok(v) => Ok(dumps(&v, &DumpOptions::python_default())),
                        Err(e) => Err((error_kind(&e), e.to_string())),
                    },
                };
                let ok = match (case.get("error").and_then(Value::as_str), &outcome) {
                    (Some(kind), Err((actual, _))) => kind == *actual,
                    (None, Ok(actual)) => {
                        let key = format!("{name}#{si}#{ci}");
                        let expected = match overrides.get(&key).and_then(Value::as_str) {
                            Some(python_output) => python_output.to_string(),
                            None => dumps(
                                case.get("result").unwrap_or(&Value::Null),
                                &DumpOptions::python_default(),
                            ),
                        };
                        *actual == expected
                    }
                    _ => false,
                };
                if ok {
                    passed += 1;
                } else {
                    failures.push(format!(
                        "{name}#{si}#{ci} {expression:?}: got {outcome:?}, case {case:?}"
                    ));
                }
            }
        }
    }
    println!("jmespath compliance: {passed}/{EXPECTED_CASES} passed");
    for failure in failures.iter().take(40) {
        println!("FAIL {failure}");
    }
    assert_eq!(total, EXPECTED_CASES, "non-benchmark cases in the suite");
    assert_eq!(passed, EXPECTED_CASES, "{} cases failed", failures.len());
}
