//! A small run of `scripts/load_test.py` (200 sequential calls, 10 clients × 20 calls) through this
//! build's `aws` and emulator: every call exits 0 and the emulator ends with exactly one snapshot per
//! call. Ignored by default (it spawns ~400 processes); the full run (10,000 sequential calls, 50 × 100
//! concurrent, release binaries) is `python3 scripts/load_test.py`, its numbers in
//! docs/robustness.md. Run with `cargo test --test load -- --ignored`.

use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
#[ignore = "spawns ~400 processes; run with --ignored"]
fn load_test_script_small_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let aws = PathBuf::from(env!("CARGO_BIN_EXE_aws"));
    let emulator = aws.with_file_name("lightsail-emulator");
    let built = Command::new(env!("CARGO"))
        .args([
            "build",
            "--quiet",
            "-p",
            "lightsail-emulator",
            "--bin",
            "lightsail-emulator",
        ])
        .current_dir(root)
        .status()
        .is_ok_and(|s| s.success());
    assert!(built, "building lightsail-emulator failed");
    let output = Command::new("python3")
        .arg(root.join("scripts").join("load_test.py"))
        .args([
            "--sequential",
            "200",
            "--clients",
            "10",
            "--per-client",
            "20",
        ])
        .args(["--time-limit", "300", "--sample", "10"])
        .arg("--aws")
        .arg(&aws)
        .arg("--emulator")
        .arg(&emulator)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "load test failed");
    assert!(stdout.contains("\"call_failures\": 0"), "{stdout}");
    assert!(stdout.contains("\"snapshots_after\": 400"), "{stdout}");
    assert!(stdout.contains("load test: PASS"), "{stdout}");
}
