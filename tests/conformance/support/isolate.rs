//! Re-running a test inside a private network namespace (`unshare -n`, only loopback up), so that a
//! mistake in a case can never reach another machine. Shared by the conformance and secrets tests.

use std::env;
use std::process::{Command, Stdio};

/// True when this process may create a network namespace with a working loopback.
pub fn netns_available() -> bool {
    Command::new("unshare")
        .args(["-n", "sh", "-c", "ip link set lo up"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs the test `test_name` of this test binary again inside `unshare -n`, marking the child with the
/// environment variable `marker`. Returns false (run here) when already inside, or when isolation is not
/// available; panics with `what` in the message when the isolated run fails.
pub fn rerun_isolated(test_name: &str, marker: &str, what: &str) -> bool {
    if env::var_os(marker).is_some() || !netns_available() {
        return false;
    }
    let Ok(exe) = env::current_exe() else {
        return false;
    };
    let status = Command::new("unshare")
        .args(["-n", "sh", "-c", "ip link set lo up && exec \"$0\" \"$@\""])
        .arg(exe)
        .args([test_name, "--exact", "--nocapture", "--test-threads=1"])
        .env(marker, "1")
        .status();
    match status {
        Ok(status) => assert!(
            status.success(),
            "the {what} run failed (its report is above)"
        ),
        Err(e) => panic!("cannot re-run the {what} test under unshare: {e}"),
    }
    true
}
