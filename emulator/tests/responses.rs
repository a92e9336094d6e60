//! The model-valid response layer, proven per operation: every sample of `tests/samples/` answers 200
//! (or its expected error) with a body that conforms to the operation's output shape — members, JSON
//! types, required members, enum values — already in the model's member order. Every implemented
//! operation must have a successful sample.

mod common;
#[path = "support/samples.rs"]
mod samples;

use std::collections::BTreeSet;

use common::*;
use lightsail_emulator::model::Model;

#[test]
fn every_implemented_operation_answers_model_valid_bodies() {
    let emulator = start(deterministic());
    let port = emulator.port();
    let model = Model::shared().unwrap();
    let mut answered = BTreeSet::new();
    for sample in samples::load() {
        let what = format!("{}: {} {}", sample.family, sample.operation, sample.input);
        assert_eq!(admin(port, "POST", "/_emulator/reset", "").status, 200);
        for step in &sample.setup {
            let (path, body) = samples::setup_request(step);
            let response = admin(port, "POST", path, &body);
            assert_eq!(
                response.status,
                200,
                "{what}: set-up {step}: {}",
                response.text()
            );
        }
        let input = sample.input.to_string();
        let response = match &sample.region {
            Some(region) => call_in(port, region, &sample.operation, &input),
            None => call(port, &sample.operation, &input),
        };
        match &sample.expect_error {
            Some(code) => {
                assert_eq!(response.status, 400, "{what}: {}", response.text());
                assert_eq!(&response.error_code(), code, "{what}");
                let body = response.json();
                let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
                assert_eq!(keys, ["__type", "code", "docs", "message", "tip"], "{what}");
                assert!(
                    model
                        .operation(&sample.operation)
                        .unwrap()
                        .errors
                        .contains(code),
                    "{what}: {code} is not an error the model declares for the operation"
                );
            }
            None => {
                assert_eq!(response.status, 200, "{what}: {}", response.text());
                let body = response.json();
                let mut checked = body.clone();
                model
                    .conform_output(&sample.operation, &mut checked, true)
                    .unwrap_or_else(|m| panic!("{what}: not model-valid: {m}\n{body:#}"));
                assert_eq!(
                    checked.to_string(),
                    body.to_string(),
                    "{what}: members not in model order"
                );
                answered.insert(sample.operation.clone());
            }
        }
    }
    let registry = lightsail_emulator::services::registry();
    let missing: Vec<&str> = registry
        .names()
        .filter(|name| !answered.contains(*name))
        .collect();
    assert!(
        missing.is_empty(),
        "implemented operations without a successful sample in tests/samples/: {missing:?}"
    );
}
