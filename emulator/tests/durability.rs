//! kill -9 at random moments loses no acknowledged change and leaves nothing half-written.
//!
//! The emulator binary runs with a state file while a client creates instance snapshots one after
//! another; a killer thread sends SIGKILL after a random 50-350 ms, over and over, and the emulator is
//! restarted on the same file each time, until 1,000 creates have been acknowledged (answered 200).
//! After every kill the file is checked directly (SQLite `integrity_check`, every stored snapshot a
//! whole, parseable wire form with both of its operations), and at the end through the API: every
//! acknowledged snapshot is there exactly once, and anything else there is a create that was in flight
//! when the process died (committed, but its answer never sent).

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use lightsail_emulator::engine::ids::SplitMix64;
use serde_json::Value;

const ACKNOWLEDGED_TARGET: usize = 1_000;

fn spawn(state: &Path) -> (Child, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lightsail-emulator"))
        .args(["--port", "0", "--state-file"])
        .arg(state)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the emulator starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    (child, port)
}

/// One create; Some(true) acknowledged, Some(false) refused, None no answer (the process died).
fn create(port: u16, name: &str) -> Option<bool> {
    let body = format!(r#"{{"instanceSnapshotName": "{name}", "instanceName": "WordPress-1"}}"#);
    let mut request = lightsail_request(port, "CreateInstanceSnapshot", &body);
    sign(&mut request);
    let bytes = send_raw(port, &serialize(&request)).ok()?;
    if !bytes.windows(4).any(|w| w == b"\r\n\r\n") {
        return None;
    }
    let raw = parse_raw(bytes);
    if raw.status != 200 {
        return Some(false);
    }
    // A whole answer: both operations, for this snapshot.
    let json: Value = serde_json::from_slice(&raw.body).ok()?;
    Some(json["operations"][0]["resourceName"] == name)
}

/// Reads the state file directly: every snapshot must be whole, with its two operations.
fn stored_snapshots(state: &Path) -> BTreeSet<String> {
    let conn = rusqlite::Connection::open(state).expect("the state file opens");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let mut statement = conn
        .prepare("SELECT name, body FROM resources WHERE kind = 'InstanceSnapshot'")
        .unwrap();
    let rows = statement
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })
        .unwrap();
    let mut names = BTreeSet::new();
    for row in rows {
        let (name, body) = row.unwrap();
        let body: Value = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("half-written snapshot {name}: {e}"));
        assert_eq!(body["name"], name.as_str());
        assert_eq!(body.as_object().unwrap().len(), 15, "{body}");
        let operations: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM operations WHERE resource_name = ?1",
                [&name],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(operations, 1, "{name}: its snapshot operation");
        names.insert(name);
    }
    names
}

#[test]
fn kill_9_loses_no_acknowledged_snapshot() {
    let dir = std::env::temp_dir().join(format!("lightsail-emulator-kill9-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let state: PathBuf = dir.join("state.db");
    let mut acknowledged: BTreeSet<String> = BTreeSet::new();
    let mut in_flight: BTreeSet<String> = BTreeSet::new();
    let mut random = SplitMix64(0x6b69_6c6c_2d39);
    let mut next = 0usize;
    let mut kills = 0;
    while acknowledged.len() < ACKNOWLEDGED_TARGET {
        let (child, port) = spawn(&state);
        let child = Arc::new(Mutex::new(child));
        let killed = Arc::new(AtomicBool::new(false));
        let delay = Duration::from_millis(50 + random.next_u64() % 300);
        let killer = {
            let child = Arc::clone(&child);
            let killed = Arc::clone(&killed);
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                // SIGKILL: no handler runs, nothing is flushed.
                let _ = child.lock().unwrap().kill();
                killed.store(true, Ordering::SeqCst);
            })
        };
        while !killed.load(Ordering::SeqCst) && acknowledged.len() < ACKNOWLEDGED_TARGET {
            let name = format!("snap-{next:05}");
            next += 1;
            match create(port, &name) {
                Some(true) => {
                    acknowledged.insert(name);
                }
                Some(false) => panic!("{name} was refused"),
                None => {
                    in_flight.insert(name);
                }
            }
        }
        killer.join().unwrap();
        let _ = child.lock().unwrap().wait();
        kills += 1;
        let stored = stored_snapshots(&state);
        let lost: Vec<&String> = acknowledged.difference(&stored).collect();
        assert!(lost.is_empty(), "after kill {kills}: lost {lost:?}");
        let unexpected: Vec<&String> = stored
            .iter()
            .filter(|n| !acknowledged.contains(*n) && !in_flight.contains(*n))
            .collect();
        assert!(
            unexpected.is_empty(),
            "after kill {kills}: unexpected {unexpected:?}"
        );
    }
    // A last start: the API sees the same.
    let (mut child, port) = spawn(&state);
    let listed = call(port, "GetInstanceSnapshots", "{}").json();
    let names: Vec<String> = listed["instanceSnapshots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    let unique: BTreeSet<String> = names.iter().cloned().collect();
    assert_eq!(unique.len(), names.len(), "a snapshot listed twice");
    assert!(acknowledged.is_subset(&unique));
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "kill -9: {kills} kills, {} acknowledged creates all present, {} in flight at a kill ({} of them committed)",
        acknowledged.len(),
        in_flight.len(),
        unique.len() - acknowledged.len()
    );
    assert!(kills >= 3, "too few kills to mean anything: {kills}");
    let _ = std::fs::remove_dir_all(dir);
}
