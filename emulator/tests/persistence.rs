//! State files: a restart keeps the state, and the file is never seen half-written.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use common::*;
use lightsail_emulator::Config;

fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("lightsail-emulator-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn state_survives_a_restart() {
    let dir = scratch_dir("restart");
    let path = dir.join("state.db");
    let config = Config {
        state_file: Some(path.clone()),
        ..deterministic()
    };
    let first = start(config.clone());
    let created = call(first.port(), "CreateInstanceSnapshot", CREATE_SEED);
    assert_eq!(created.status, 200);
    first.shutdown();

    let second = start(config.clone());
    let port = second.port();
    let snapshot = call(
        port,
        "GetInstanceSnapshot",
        r#"{"instanceSnapshotName": "WordPress-Snapshot-1"}"#,
    );
    assert_eq!(snapshot.status, 200, "{}", snapshot.text());
    assert_eq!(
        snapshot.json()["instanceSnapshot"]["fromInstanceName"],
        "WordPress-1"
    );
    // The id streams carry on: no id is handed out twice.
    let next = call(
        port,
        "CreateInstanceSnapshot",
        r#"{"instanceSnapshotName": "Two", "instanceName": "WordPress-1"}"#,
    )
    .json();
    let id = next["operations"][0]["id"].as_str().unwrap();
    assert_ne!(id, "4c3db559-9dd0-41e7-89c0-2cb88c19786f");
    assert_ne!(id, "c04fdc45-2981-488c-88b5-d6d2fd759a6a");
    let ops = call(port, "GetOperations", "{}").json();
    assert_eq!(ops["operations"].as_array().unwrap().len(), 4);

    // A reset writes the seed state back.
    admin(port, "POST", "/_emulator/reset", "");
    second.shutdown();
    let third = start(config);
    let gone = call(
        third.port(),
        "GetInstanceSnapshot",
        r#"{"instanceSnapshotName": "WordPress-Snapshot-1"}"#,
    );
    assert_eq!(gone.error_code(), "NotFoundException");
    third.shutdown();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_corrupt_or_old_state_file_is_refused() {
    let dir = scratch_dir("corrupt");
    let path = dir.join("state.json");
    std::fs::write(&path, "{not json").unwrap();
    let result = lightsail_emulator::start(Config {
        state_file: Some(path.clone()),
        ..Config::default()
    });
    assert!(result.is_err());
    std::fs::write(
        &path,
        r#"{"format": "lightsail-emulator-state/1", "instances": [], "snapshots": [], "operations": []}"#,
    )
    .unwrap();
    let message = lightsail_emulator::start(Config {
        state_file: Some(path.clone()),
        ..Config::default()
    })
    .err()
    .unwrap()
    .to_string();
    assert!(
        message.contains("JSON state file from an older lightsail-emulator"),
        "{message}"
    );
    // The file is left as it was.
    assert!(std::fs::read_to_string(&path).unwrap().contains("state/1"));
    std::fs::write(&path, b"garbage").unwrap();
    let message = lightsail_emulator::start(Config {
        state_file: Some(path),
        ..Config::default()
    })
    .err()
    .unwrap()
    .to_string();
    assert!(
        message.contains("not a lightsail-emulator state file"),
        "{message}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// What a reader sees in the state file: the snapshot names, or why it could not read them.
fn snapshot_names(path: &std::path::Path) -> Result<Vec<String>, String> {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| e.to_string())?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(|e| e.to_string())?;
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |row| row.get(0))
        .map_err(|e| e.to_string())?;
    if check != "ok" {
        return Err(format!("quick_check: {check}"));
    }
    let mut statement = conn
        .prepare("SELECT name, body FROM resources WHERE kind = 'InstanceSnapshot' ORDER BY pos")
        .map_err(|e| e.to_string())?;
    let rows = statement
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })
        .map_err(|e| e.to_string())?;
    let mut names = Vec::new();
    for row in rows {
        let (name, body) = row.map_err(|e| e.to_string())?;
        let body: serde_json::Value =
            serde_json::from_str(&body).map_err(|e| format!("half-written {name}: {e}"))?;
        if body["name"] != name.as_str() {
            return Err(format!("{name}: body names {}", body["name"]));
        }
        names.push(name);
    }
    Ok(names)
}

#[test]
fn readers_never_see_a_half_written_state() {
    let dir = scratch_dir("atomic");
    let path = dir.join("state.db");
    let emulator = start(Config {
        state_file: Some(path.clone()),
        ..deterministic()
    });
    let port = emulator.port();
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let done = Arc::clone(&done);
        let path = path.clone();
        std::thread::spawn(move || {
            let mut reads = 0;
            let mut seen = 0;
            while !done.load(Ordering::SeqCst) {
                let names = snapshot_names(&path).unwrap_or_else(|e| panic!("reader: {e}"));
                assert!(names.len() >= seen, "a committed snapshot disappeared");
                seen = names.len();
                reads += 1;
            }
            reads
        })
    };
    for i in 0..40 {
        let body =
            format!(r#"{{"instanceSnapshotName": "snap-{i}", "instanceName": "WordPress-1"}}"#);
        assert_eq!(call(port, "CreateInstanceSnapshot", &body).status, 200);
    }
    done.store(true, Ordering::SeqCst);
    let reads = reader.join().expect("reader saw only whole states");
    assert!(reads > 0);
    assert_eq!(snapshot_names(&path).unwrap().len(), 40);
    // Only the database and its WAL files are there.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(name.starts_with("state.db"), "unexpected file {name}");
    }
    drop(emulator);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_failed_request_changes_nothing() {
    let dir = scratch_dir("rollback");
    let path = dir.join("state.db");
    let emulator = start(Config {
        state_file: Some(path.clone()),
        ..deterministic()
    });
    let port = emulator.port();
    let missing = call(
        port,
        "CreateInstanceSnapshot",
        r#"{"instanceSnapshotName": "s-1", "instanceName": "Missing-1"}"#,
    );
    assert_eq!(missing.error_code(), "NotFoundException");
    // The failed call consumed no id: the next create still gets the seed example's ids.
    let created = call(port, "CreateInstanceSnapshot", CREATE_SEED).json();
    assert_eq!(
        created["operations"][0]["id"],
        "4c3db559-9dd0-41e7-89c0-2cb88c19786f"
    );
    assert_eq!(snapshot_names(&path).unwrap(), ["WordPress-Snapshot-1"]);
    drop(emulator);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn power_durability_keeps_state_too() {
    let dir = scratch_dir("power");
    let path = dir.join("state.db");
    let config = Config {
        state_file: Some(path.clone()),
        durability: lightsail_emulator::Durability::Power,
        ..deterministic()
    };
    let first = start(config.clone());
    assert_eq!(
        call(first.port(), "CreateInstanceSnapshot", CREATE_SEED).status,
        200
    );
    first.shutdown();
    let second = start(config);
    assert_eq!(snapshot_names(&path).unwrap(), ["WordPress-Snapshot-1"]);
    drop(second);
    let _ = std::fs::remove_dir_all(dir);
}
