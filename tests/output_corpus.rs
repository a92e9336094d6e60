//! Replays the reference's recorded output (`tests/record/output_corpus.py` ->
//! `tests/data/output/`) byte for byte: response bodies through `shape_body` and every formatter,
//! `--query` results straight through every formatter, each in json, text, table and coloured table.

use lightsail_cli::model;
use lightsail_cli::python::value::{Map, Number, Value};
use lightsail_cli::response::formatter::{format_output, format_output_for_terminal, OutputFormat};
use lightsail_cli::response::shape::{shape_body, ResponseShaper, TimestampFormat};
use std::path::{Path, PathBuf};

const FORMATS: [&str; 5] = ["json", "text", "table", "table-color", "table-w120"];
/// The formats recorded from the real CLI (whose stdout is a pipe, so 80 columns).
const CLI_FORMATS: [&str; 4] = ["json", "text", "table", "table-color"];

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/output")
}

/// JSON text decoded as Python's `json.loads` would (numbers keep their int/float nature).
fn loads(text: &str) -> Option<Value> {
    let parsed: serde_json::Value = serde_json::from_str(text).ok()?;
    Some(convert(&parsed))
}

fn convert(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(Number::from_json_literal(&n.to_string())),
        serde_json::Value::String(s) => Value::String(s.clone().into()),
        serde_json::Value::Array(items) => Value::Array(items.iter().map(convert).collect()),
        serde_json::Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                out.insert(k.clone(), convert(v));
            }
            Value::Object(out)
        }
    }
}

fn read(case: &str, file: &str) -> String {
    let path = data_dir().join(case).join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What our code prints for one case in one format: (stdout, stderr).
fn run(case: &serde_json::Value, format: &str) -> (String, String) {
    let operation_name = case["operation"].as_str().unwrap_or_default();
    let value = if case["kind"] == "response" {
        let op = model::operation_named(operation_name).expect("operation in the model");
        let ts = TimestampFormat::parse(case["timestamp_format"].as_str().unwrap_or_default())
            .expect("known format");
        let body = case["body"].as_str().unwrap_or_default();
        // The recordings were made with TZ=UTC.
        let shaper = ResponseShaper::in_zone(ts, &lightsail_cli::python::timestamp::FixedLocal(0));
        let shaped = shaper.shape_body(op.output_shape(), body.as_bytes(), loads, true);
        match shaped {
            Ok(v) => v,
            Err(e) => return (String::new(), format!("\n{e}\n")),
        }
    } else {
        loads(case["value"].as_str().unwrap_or_default()).expect("query value is JSON")
    };
    let (output_format, color, width) = match format {
        "json" => (OutputFormat::Json, false, 80),
        "text" => (OutputFormat::Text, false, 80),
        "table" => (OutputFormat::Table, false, 80),
        "table-w120" => (OutputFormat::Table, false, 120),
        _ => (OutputFormat::Table, true, 80),
    };
    match format_output_for_terminal(output_format, operation_name, &value, color, width) {
        Ok(stdout) => (stdout, String::new()),
        Err(failure) => (failure.stdout.clone(), failure.stderr()),
    }
}

#[test]
fn every_recorded_case_matches_byte_for_byte() {
    let manifest =
        std::fs::read_to_string(data_dir().join("cases.json")).expect("cases.json is committed");
    let cases: serde_json::Value = serde_json::from_str(&manifest).expect("cases.json is JSON");
    let cases = cases.as_array().expect("a list of cases");
    assert!(cases.len() >= 80, "the corpus has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or_default();
        for format in FORMATS {
            let want = (
                read(name, &format!("{format}.stdout")),
                read(name, &format!("{format}.stderr")),
            );
            let got = run(case, format);
            if got != want {
                failures.push(format!("{name}/{format}:\n  got  {got:?}\n  want {want:?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Paginated calls, recorded from the real CLI: pages shaped one by one, then merged for json and
/// table or printed page by page for text (`--query` results as recorded by the script).
#[test]
fn paginated_calls_match_the_cli() {
    use lightsail_cli::response::formatter::paginated::{full_result, text_page_documents};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/output_paginated");
    let manifest =
        std::fs::read_to_string(dir.join("cases.json")).expect("cases.json is committed");
    let scenarios: serde_json::Value = serde_json::from_str(&manifest).expect("cases.json is JSON");
    let mut failures = Vec::new();
    for sc in scenarios.as_array().expect("a list") {
        let name = sc["name"].as_str().unwrap_or_default();
        let operation_name = sc["operation"].as_str().unwrap_or_default();
        let key = sc["result_key"].as_str().unwrap_or_default();
        let op = model::operation_named(operation_name).expect("operation in the model");
        let pages: Vec<Value> = sc["pages"]
            .as_array()
            .expect("pages")
            .iter()
            .map(|p| {
                let body = p.as_str().unwrap_or_default().as_bytes();
                shape_body(op.output_shape(), body, loads, true, TimestampFormat::Wire)
                    .expect("page shapes")
            })
            .collect();
        let query_full = sc["query_full"].as_str().and_then(loads);
        let query_pages: Option<Vec<Value>> = sc["query_pages"].as_array().map(|qs| {
            qs.iter()
                .filter_map(|q| q.as_str().and_then(loads))
                .collect()
        });
        for format in CLI_FORMATS {
            let want = std::fs::read_to_string(dir.join(name).join(format!("{format}.stdout")))
                .expect("recorded");
            let got = match format {
                "text" => {
                    let documents = query_pages
                        .clone()
                        .unwrap_or_else(|| text_page_documents(&pages, key, None));
                    documents
                        .iter()
                        .map(|d| {
                            format_output(OutputFormat::Text, operation_name, d, false)
                                .unwrap_or_default()
                        })
                        .collect::<String>()
                }
                _ => {
                    let merged = query_full
                        .clone()
                        .unwrap_or_else(|| full_result(&pages, key, None));
                    let (f, color) = match format {
                        "json" => (OutputFormat::Json, false),
                        "table" => (OutputFormat::Table, false),
                        _ => (OutputFormat::Table, true),
                    };
                    format_output(f, operation_name, &merged, color).unwrap_or_default()
                }
            };
            if got != want {
                failures.push(format!("{name}/{format}:\n  got  {got:?}\n  want {want:?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `--v2-debug`, recorded from the real CLI: the timestamp warning appears once, at the first parsed
/// timestamp, before the output or the parse error. (The pager warning before it is the driver's.)
#[test]
fn v2_debug_timestamp_warning_matches_the_cli() {
    use lightsail_cli::response::shape::V2_TIMESTAMP_WARNING;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/output_v2_debug");
    let manifest =
        std::fs::read_to_string(dir.join("cases.json")).expect("cases.json is committed");
    let cases: serde_json::Value = serde_json::from_str(&manifest).expect("cases.json is JSON");
    for case in cases.as_array().expect("a list") {
        let name = case["name"].as_str().unwrap_or_default();
        let operation_name = case["operation"].as_str().unwrap_or_default();
        let op = model::operation_named(operation_name).expect("operation in the model");
        let shaper = ResponseShaper::new(TimestampFormat::Wire);
        let mut stdout = String::new();
        let mut error = String::new();
        let mut pages = Vec::new();
        for page in case["pages"].as_array().expect("pages") {
            let body = page.as_str().unwrap_or_default().as_bytes();
            match shaper.shape_body(op.output_shape(), body, loads, true) {
                Ok(v) => pages.push(v),
                Err(e) => {
                    error = format!("\n{e}\n");
                    break;
                }
            }
        }
        if error.is_empty() {
            let value = if case["paginated"] == true {
                lightsail_cli::response::formatter::paginated::full_result(
                    &pages,
                    "operations",
                    None,
                )
            } else {
                pages.pop().unwrap_or(Value::Null)
            };
            stdout = format_output(OutputFormat::Json, operation_name, &value, false)
                .unwrap_or_default();
        }
        let warning = if shaper.saw_timestamp() {
            V2_TIMESTAMP_WARNING
        } else {
            ""
        };
        let want_stderr =
            std::fs::read_to_string(dir.join(format!("{name}.stderr"))).expect("recorded");
        let want_stdout =
            std::fs::read_to_string(dir.join(format!("{name}.stdout"))).expect("recorded");
        assert_eq!(stdout, want_stdout, "{name} stdout");
        let ours = format!("{warning}{error}");
        assert!(
            want_stderr.ends_with(&ours),
            "{name}: {want_stderr:?} does not end with {ours:?}"
        );
        assert_eq!(
            want_stderr.matches("timestamp response values").count(),
            usize::from(shaper.saw_timestamp()),
            "{name}"
        );
    }
}
