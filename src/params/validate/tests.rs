//! Compares the validator with botocore's `ParamValidator` on the recorded corpus
//! (`tests/data/validate/direct.json`, written by `tests/record/validate_corpus.py`).

use super::test_json::{parse, read_data};
use super::*;
use crate::model;

#[test]
fn matches_botocore_on_the_recorded_corpus() {
    let corpus = read_data("tests/data/validate/direct.json");
    let entries = corpus.as_array().expect("a list");
    assert!(entries.len() > 500);
    let mut failures = Vec::new();
    for entry in entries {
        let shape =
            model::shape_named(entry["shape"].as_str().expect("shape")).expect("shape in model");
        let params = parse(entry["params"].as_str().expect("params"));
        let ordered: Vec<&str> = entry["ordered"]
            .as_array()
            .expect("ordered")
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        let map = params.as_object().expect("params are an object");
        let got = validate(shape, map, &ordered, true)
            .err()
            .map(|e| e.to_string());
        let expected = entry["report"]
            .as_str()
            .map(|r| format!("Parameter validation failed:\n{r}"));
        if got != expected {
            failures.push(format!(
                "{}: {}\n  got:      {got:?}\n  expected: {expected:?}",
                shape.name, entry["params"]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn disabled_validation_accepts_anything() {
    let shape = model::operation_by_cli_name("create-instance-snapshot")
        .and_then(|o| o.input_shape())
        .expect("op");
    let params = parse(r#"{"instanceName": 5, "zzz": 1}"#);
    let map = params.as_object().expect("object");
    assert!(validate(shape, map, &[], false).is_ok());
    assert!(validate(shape, map, &[], true).is_err());
}

#[test]
fn config_switch_follows_ensure_boolean() {
    assert!(parameter_validation_enabled(None));
    assert!(parameter_validation_enabled(Some("TRUE")));
    assert!(!parameter_validation_enabled(Some("false")));
    assert!(!parameter_validation_enabled(Some("yes")));
}
