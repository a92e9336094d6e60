//! What the family lifecycle tests (`block_storage.rs`, `networking.rs`, `monitoring.rs`,
//! `databases.rs`, `object_storage.rs`, `edge.rs`, `tags.rs`) share: a deterministic emulator with
//! lifecycle delays, calls that must succeed or fail, and the clock.
#![allow(dead_code)]

use lightsail_emulator::{Config, Delays, Handle};
use serde_json::{json, Value};

use crate::common::{admin, call, deterministic, start};

/// A deterministic emulator with these instances and lifecycle delays (`KEY`, seconds).
pub fn emulator(instances: &[&str], delays: &[(&str, f64)]) -> Handle {
    start(Config {
        delays: Delays {
            default: 0.0,
            by_key: delays.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        },
        instances: instances.iter().map(|name| name.to_string()).collect(),
        ..deterministic()
    })
}

/// A signed call that must answer 200; its body.
pub fn ok(port: u16, operation: &str, body: Value) -> Value {
    let response = call(port, operation, &body.to_string());
    assert_eq!(response.status, 200, "{operation}: {}", response.text());
    response.json()
}

/// A signed call that must answer 400; its error code and message.
pub fn fails(port: u16, operation: &str, body: Value) -> (String, String) {
    let response = call(port, operation, &body.to_string());
    assert_eq!(response.status, 400, "{operation}: {}", response.text());
    (response.error_code(), response.message())
}

/// Moves the emulator clock forward (applying what falls due).
pub fn advance(port: u16, seconds: f64) {
    let response = admin(
        port,
        "POST",
        "/_emulator/clock",
        &json!({ "advance": seconds }).to_string(),
    );
    assert_eq!(response.status, 200, "{}", response.text());
}

/// An instance's wire form.
pub fn instance(port: u16, name: &str) -> Value {
    ok(port, "GetInstance", json!({ "instanceName": name }))["instance"].clone()
}
