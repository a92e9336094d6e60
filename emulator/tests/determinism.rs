//! Deterministic mode: two fresh emulators given the same calls answer with identical bytes.

mod common;

use common::*;

fn session(port: u16) -> Vec<Vec<u8>> {
    let calls = [
        ("CreateInstanceSnapshot", CREATE_SEED),
        (
            "CreateInstanceSnapshot",
            r#"{"instanceSnapshotName": "Second-1", "instanceName": "WordPress-1"}"#,
        ),
        ("GetInstanceSnapshots", "{}"),
        ("GetInstances", "{}"),
        ("GetOperations", "{}"),
        ("GetInstance", r#"{"instanceName": "missing"}"#),
        (
            "DeleteInstanceSnapshot",
            r#"{"instanceSnapshotName": "Second-1"}"#,
        ),
    ];
    calls
        .iter()
        .map(|(operation, body)| {
            let raw = call(port, operation, body);
            // The whole response, status line and headers included.
            raw.bytes
        })
        .collect()
}

#[test]
fn same_calls_same_bytes() {
    let first = start(deterministic());
    let second = start(deterministic());
    let a = session(first.port());
    let b = session(second.port());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(String::from_utf8_lossy(x), String::from_utf8_lossy(y));
    }
    // And after a reset, the same again.
    admin(first.port(), "POST", "/_emulator/reset", "");
    assert_eq!(session(first.port()), a);
}
