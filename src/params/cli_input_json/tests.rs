//! Replays the recorded `aws` runs (`tests/data/validate/cli/*.json`) whose outcome is decided by
//! `--cli-input-json` and validation: the explicit options are decoded the simple way the recorded
//! cases need (strings, integers, JSON lists and objects), merged with the document and validated,
//! and the error must print exactly as the reference's stderr.

use super::*;
use crate::model::{self, Kind};
use crate::params::skeleton;
use crate::params::validate::test_json::{cli_cases, parse, to_value};
use crate::params::validate::validate;
use crate::python::value::Number;

/// The text `--cli-input-json VALUE` decodes: a `file://` file's contents, or the value itself.
fn received_text(case: &serde_json::Value, value: &str) -> String {
    match value.strip_prefix("file://") {
        Some(path) => case["files"][path]
            .as_str()
            .expect("recorded file")
            .to_string(),
        None => value.to_string(),
    }
}

/// Python's `json.loads` on the recorded documents (well-formed ones, plus `NaN`).
fn decode(text: &str) -> Result<Value, String> {
    if text.trim() == "NaN" {
        return Ok(Value::Number(Number::Float(f64::NAN)));
    }
    serde_json::from_str::<serde_json::Value>(text)
        .map(|v| to_value(&v))
        .map_err(|e| e.to_string())
}

struct Replay {
    op: &'static model::Operation,
    explicit: Map,
    json_option_members: Vec<&'static str>,
    cli_input_json: Option<String>,
    skeleton_output: bool,
}

/// Reads the argv of a recorded case the way the reference's parser would for these options.
fn replay(case: &serde_json::Value) -> Replay {
    let argv: Vec<&str> = case["argv"]
        .as_array()
        .expect("argv")
        .iter()
        .filter_map(|a| a.as_str())
        .collect();
    let op = model::operation_by_cli_name(argv[1]).expect("operation");
    let input = op.input_shape().expect("input shape");
    let mut given: Vec<(&'static model::Member, Value)> = Vec::new();
    let mut json_option_members = Vec::new();
    let mut cli_input_json = None;
    let mut skeleton_output = false;
    let mut i = 2;
    while i < argv.len() {
        let option = argv[i];
        let value = argv.get(i + 1).copied().unwrap_or("");
        i += 2;
        match option {
            "--cli-input-json" => cli_input_json = Some(received_text(case, value)),
            "--endpoint-url" | "--output" | "--query" => {}
            "--generate-cli-skeleton" => {
                if value.starts_with("--") {
                    i -= 1;
                }
                skeleton_output = value == "output";
            }
            _ => {
                let name = option.trim_start_matches("--");
                let member = input
                    .members
                    .iter()
                    .find(|m| m.cli_name == name)
                    .expect("known option");
                let decoded = match member.shape().kind {
                    Kind::Integer | Kind::Long => {
                        Value::Number(Number::Int(value.parse().expect("int")))
                    }
                    Kind::List | Kind::Structure | Kind::Map
                        if value.trim_start().starts_with(['[', '{']) =>
                    {
                        json_option_members.push(member.name);
                        parse(value)
                    }
                    Kind::List => Value::Array(vec![Value::String(value.to_string().into())]),
                    _ => Value::String(value.to_string().into()),
                };
                given.retain(|(m, _)| m.name != member.name);
                given.push((member, decoded));
            }
        }
    }
    // The reference builds the explicit parameters by walking the argument table (model order).
    let mut explicit = Map::new();
    for member in input.members {
        if let Some((_, value)) = given.iter().find(|(m, _)| m.name == member.name) {
            explicit.insert(member.name.to_string(), value.clone());
        }
    }
    Replay {
        op,
        explicit,
        json_option_members,
        cli_input_json,
        skeleton_output,
    }
}

#[test]
fn validation_runs_match_the_recorded_cli() {
    let mut replayed = 0;
    for case in cli_cases() {
        if case["kind"] != "validate" {
            continue;
        }
        let r = replay(&case);
        let from_json = match &r.cli_input_json {
            Some(text) => input_members(text, decode(text)).expect("a JSON object"),
            None => Map::new(),
        };
        let params = merge(r.explicit, from_json);
        let input = r.op.input_shape().expect("input shape");
        // With `--generate-cli-skeleton output` the stub checks its fake response first.
        let result = if r.skeleton_output {
            let skeleton = skeleton::output_skeleton(r.op, skeleton::TimestampStyle::Json);
            skeleton::check_output_skeleton(r.op, &skeleton)
        } else {
            Ok(())
        }
        .and_then(|()| validate(input, &params, &r.json_option_members, true));
        let stderr = case["stderr"].as_str().expect("stderr");
        match result {
            Err(e) => {
                assert_eq!(format!("\n{e}\n"), stderr, "{}", case["argv"]);
                assert_eq!(
                    case["exit_code"],
                    i64::from(crate::params::validate::EXIT_CODE)
                );
            }
            Ok(()) => assert_eq!(
                case["exit_code"], 0,
                "{}: passed validation, stderr {stderr:?}",
                case["argv"]
            ),
        }
        replayed += 1;
    }
    assert!(replayed >= 40, "only {replayed} cases replayed");
}

#[test]
fn broken_documents_print_like_the_reference() {
    let mut replayed = 0;
    for case in cli_cases() {
        let kind = case["kind"].as_str().expect("kind");
        if kind != "json-error" && kind != "not-object" {
            continue;
        }
        let r = replay(&case);
        let Some(text) = r.cli_input_json else {
            continue;
        };
        let stderr = case["stderr"].as_str().expect("stderr");
        let decoded = match decode(&text) {
            Ok(value) => Ok(value),
            // Our decoder's messages differ (json_decode reproduces Python's): take the reference's.
            Err(_) => Err(stderr
                .split_once("Invalid JSON: ")
                .and_then(|(_, rest)| rest.split_once("\nJSON received: "))
                .map(|(message, _)| message.to_string())
                .expect("reference message")),
        };
        let error = input_members(&text, decoded).expect_err("broken document");
        assert_eq!(format!("\n{error}\n"), stderr, "{}", case["argv"]);
        assert_eq!(case["exit_code"], i64::from(EXIT_CODE));
        replayed += 1;
    }
    assert!(replayed >= 15, "only {replayed} cases replayed");
}

#[test]
fn explicit_members_win_and_document_extras_follow() {
    let explicit = parse(r#"{"instanceSnapshotName": "s", "tags": [{"value": 3}]}"#);
    let document = parse(r#"{"zzz": 1, "tags": [{"key": 1}], "instanceName": 2}"#);
    let merged = merge(
        explicit.as_object().cloned().unwrap_or_default(),
        document.as_object().cloned().unwrap_or_default(),
    );
    assert_eq!(
        Value::Object(merged),
        parse(
            r#"{"instanceSnapshotName": "s", "tags": [{"value": 3}], "zzz": 1, "instanceName": 2}"#
        )
    );
}

#[test]
fn required_options_are_relaxed_only_by_the_bare_token() {
    assert!(relaxes_required_args(&[
        "--instance-name",
        "a",
        "--cli-input-json",
        "{}"
    ]));
    assert!(!relaxes_required_args(&["--cli-input-json={}"]));
}
