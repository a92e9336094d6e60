//! botocore 1.43.11 (the reference CLI's own library) as a client: every operation sample of
//! `tests/samples/` through a real botocore Lightsail client, whose parser must accept each answer and
//! whose model each raw body must match (`clients/botocore_check.py`, run inside `unshare -n`); every
//! operation of botocore's Lightsail model (all 161, as many as our vendored model has) must have a
//! successful sample, so no operation is left out or answers `UnknownOperationException`.
//! Skipped, with a note, where python3 with botocore or `unshare` is unavailable.

use std::process::Command;

use lightsail_emulator::model::conform::KNOWN_OFF_ENUM;
use lightsail_emulator::model::Model;

fn available() -> bool {
    let works = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    };
    if !works("python3", &["-c", "import botocore.session"]) {
        eprintln!("note: skipping: python3 with botocore is not installed");
        return false;
    }
    if !works("unshare", &["-n", "sh", "-c", "ip link set lo up"]) {
        eprintln!("note: skipping: `unshare -n` (or `ip`) is not available here");
        return false;
    }
    true
}

#[test]
fn botocore_accepts_every_sample_answer() {
    if !available() {
        return;
    }
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/clients/botocore_check.py"
    );
    let mut command = Command::new("python3");
    command
        .arg(script)
        .arg("--emulator")
        .arg(env!("CARGO_BIN_EXE_lightsail-emulator"));
    for (shape, value) in KNOWN_OFF_ENUM {
        command.arg("--allow-enum").arg(format!("{shape}={value}"));
    }
    let output = command.output().expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success(),
        "botocore refused some answers:\n{stdout}"
    );
    assert!(stdout.contains("samples accepted"), "{stdout}");
    let operations = Model::shared().unwrap().operations().count();
    assert_eq!(operations, 161, "the vendored model's operation count");
    let summary = format!("{operations}/{operations} operations of the model answered and parsed");
    assert!(stdout.contains(&summary), "expected `{summary}`:\n{stdout}");
}
