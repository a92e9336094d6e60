//! Fault injection: each kind on the wire, counts, target filters, and the admin endpoint.

mod common;

use std::time::{Duration, Instant};

use common::*;
use lightsail_emulator::Config;
use serde_json::json;

fn with_faults(specs: &[&str]) -> lightsail_emulator::Handle {
    start(Config {
        faults: specs.iter().map(|s| s.parse().unwrap()).collect(),
        ..deterministic()
    })
}

/// Sends a signed call and returns whatever bytes came back (the connection may close early).
fn raw_call(port: u16, operation: &str, body: &str) -> Vec<u8> {
    let mut request = lightsail_request(port, operation, body);
    sign(&mut request);
    send_raw(port, &serialize(&request)).unwrap_or_default()
}

#[test]
fn throttle_counts_down_then_the_call_succeeds() {
    let emulator = with_faults(&["throttle*2"]);
    let port = emulator.port();
    for _ in 0..2 {
        let response = call(port, "CreateInstanceSnapshot", CREATE_SEED);
        assert_eq!(response.status, 400);
        assert_eq!(
            response.json(),
            json!({"__type": "com.amazon.coral.availability#ThrottlingException", "message": "Rate exceeded"})
        );
    }
    let response = call(port, "CreateInstanceSnapshot", CREATE_SEED);
    assert_eq!(response.status, 200, "{}", response.text());
    // Throttled attempts did not touch the state: the seed ids are still first.
    assert_eq!(
        response.json()["operations"][0]["id"],
        "4c3db559-9dd0-41e7-89c0-2cb88c19786f"
    );
    let attempts: Vec<u64> = admin(port, "GET", "/_emulator/requests", "")
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["attempt"].as_u64().unwrap())
        .collect();
    assert_eq!(attempts, [1, 2, 3]);
}

#[test]
fn status_faults() {
    let emulator = with_faults(&["status:500", "status:503*always"]);
    let port = emulator.port();
    let first = call(port, "GetInstances", "{}");
    assert_eq!(
        (first.status, first.error_code()),
        (500, "ServiceException".to_string())
    );
    for _ in 0..3 {
        let response = call(port, "GetInstances", "{}");
        assert_eq!(response.status, 503);
        assert!(response.body.is_empty());
    }
}

#[test]
fn target_filter_only_hits_that_operation() {
    let emulator = with_faults(&["CreateInstanceSnapshot:status:502*2"]);
    let port = emulator.port();
    assert_eq!(call(port, "GetInstances", "{}").status, 200);
    assert_eq!(
        call(port, "CreateInstanceSnapshot", CREATE_SEED).status,
        502
    );
    assert_eq!(call(port, "GetInstances", "{}").status, 200);
    assert_eq!(
        call(port, "CreateInstanceSnapshot", CREATE_SEED).status,
        502
    );
    assert_eq!(
        call(port, "CreateInstanceSnapshot", CREATE_SEED).status,
        200
    );
}

#[test]
fn delay_then_answer() {
    let emulator = with_faults(&["delay:0.6"]);
    let port = emulator.port();
    let started = Instant::now();
    let response = call(port, "GetInstances", "{}");
    assert!(started.elapsed() >= Duration::from_millis(600));
    assert_eq!(response.status, 200);
    let started = Instant::now();
    call(port, "GetInstances", "{}");
    assert!(started.elapsed() < Duration::from_millis(600));
}

#[test]
fn reset_closes_without_an_answer() {
    let emulator = with_faults(&["reset"]);
    let port = emulator.port();
    assert!(raw_call(port, "GetInstances", "{}").is_empty());
    assert_eq!(call(port, "GetInstances", "{}").status, 200);
}

#[test]
fn truncate_promises_more_than_it_sends() {
    let emulator = with_faults(&["truncate"]);
    let port = emulator.port();
    let raw = parse_raw(raw_call(port, "GetInstances", "{}"));
    let declared: usize = raw.header("Content-Length").unwrap().parse().unwrap();
    assert!(
        declared > raw.body.len(),
        "{declared} vs {}",
        raw.body.len()
    );
}

#[test]
fn malformed_and_html_bodies() {
    let emulator = with_faults(&["malformed", "html", "html:502"]);
    let port = emulator.port();
    let malformed = call(port, "GetInstances", "{}");
    assert_eq!(malformed.status, 200);
    assert!(serde_json::from_slice::<serde_json::Value>(&malformed.body).is_err());
    let html = call(port, "GetInstances", "{}");
    assert_eq!(html.status, 503);
    assert_eq!(html.header("Content-Type"), Some("text/html"));
    assert!(html.text().starts_with("<html>"));
    assert_eq!(call(port, "GetInstances", "{}").status, 502);
}

#[test]
fn the_admin_endpoint_replaces_the_queue() {
    let emulator = with_faults(&["status:500*always"]);
    let port = emulator.port();
    let set = admin(
        port,
        "POST",
        "/_emulator/faults",
        r#"[{"kind": "throttle", "count": 1, "target": "GetInstances"}, "GetInstance:status:504"]"#,
    );
    assert_eq!(set.status, 200, "{}", set.text());
    assert_eq!(
        set.json()["faults"],
        json!([
            {"kind": "throttle", "count": 1, "target": "GetInstances"},
            {"kind": "status", "status": 504, "count": 1, "target": "GetInstance"}
        ])
    );
    assert_eq!(
        call(port, "GetInstances", "{}").error_code(),
        "ThrottlingException"
    );
    assert_eq!(call(port, "GetInstances", "{}").status, 200);
    assert_eq!(
        call(port, "GetInstance", r#"{"instanceName": "WordPress-1"}"#).status,
        504
    );
    let bad = admin(
        port,
        "POST",
        "/_emulator/faults",
        r#"[{"kind": "explode"}]"#,
    );
    assert_eq!(bad.status, 400);
    assert_eq!(admin(port, "POST", "/_emulator/faults", "[]").status, 200);
    assert_eq!(
        admin(port, "GET", "/_emulator/faults", "").json(),
        json!({"faults": []})
    );
    // A reset brings back the configured faults.
    admin(port, "POST", "/_emulator/reset", "");
    assert_eq!(call(port, "GetInstances", "{}").status, 500);
}
