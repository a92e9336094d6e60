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
    let path = dir.join("state.json");
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
fn a_corrupt_state_file_is_refused() {
    let dir = scratch_dir("corrupt");
    let path = dir.join("state.json");
    std::fs::write(&path, "{not json").unwrap();
    let result = lightsail_emulator::start(Config {
        state_file: Some(path),
        ..Config::default()
    });
    assert!(result.is_err());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_state_file_is_never_half_written() {
    let dir = scratch_dir("atomic");
    let path = dir.join("state.json");
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
            while !done.load(Ordering::SeqCst) {
                let text = std::fs::read_to_string(&path).expect("the state file always exists");
                serde_json::from_str::<serde_json::Value>(&text)
                    .unwrap_or_else(|e| panic!("half-written state file ({e}): {text}"));
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
    let reads = reader.join().expect("reader saw only whole files");
    assert!(reads > 0);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.matches("\"snap-").count() >= 40);
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, [std::ffi::OsString::from("state.json")]);
    drop(emulator);
    let _ = std::fs::remove_dir_all(dir);
}
