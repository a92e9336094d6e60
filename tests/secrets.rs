//! Secrets never reach the output: every conformance case is replayed through our `aws` binary with
//! distinctive canary secrets in place of the corpus's (in the environment, the config and credentials
//! files, the case's files and the emulator's accepted keys, so signed calls still verify), and stdout
//! and stderr are searched for each secret access key, each session token, and each SigV4 signature the
//! emulator received (it journals them with `--journal-signatures`).
//!
//! Three variants: every case as written; every case that starts an emulator again with `--debug`; and
//! those whose credentials come from the environment again with `--debug` and a session token the emulator
//! accepts. The plain variant must also keep the recorded exit code, which shows the substitution did not
//! break the calls. The runs mostly wait (retry back-off, delay faults), so 8 run at once
//! (`CONFORMANCE_JOBS` changes it); `CONFORMANCE_ONLY=call/*` narrows them. Runs inside `unshare -n`
//! (loopback only) when it can, like `tests/conformance.rs`, whose harness it reuses
//! (`tests/conformance/support/`).

#[allow(dead_code)] // the deviation fields are for the conformance replay only
#[path = "conformance/support/case.rs"]
mod case;
#[path = "conformance/support/isolate.rs"]
mod isolate;
#[path = "conformance/support/runner.rs"]
mod runner;

use case::Case;
use runner::Programs;
use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

const NETNS_MARKER: &str = "SECRETS_IN_NETNS";
const TEST_NAME: &str = "no_secret_reaches_any_output";

/// The corpus's secrets and the canaries that replace them (longest first: `profilesecret` holds
/// `filesecret`).
const CANARIES: &[(&str, &str)] = &[
    (
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "CanarySecret0/LeakCheck+9f3kQ7zXwPm2TvRb",
    ),
    ("FQoGZXIvYXdzEXAMPLETOKEN", "CanarySessionToken6Vb9wQ"),
    ("profilesecret", "CanaryProfileSecret7Hq2"),
    ("processsecret", "CanaryProcessSecret4Nw8"),
    ("not-the-secret", "CanaryWrongSecret3Jx6"),
    ("filesecret", "CanaryFileSecret5Kd1"),
];
const CANARY_SECRET: &str = "CanarySecret0/LeakCheck+9f3kQ7zXwPm2TvRb";

fn canary(text: &str) -> String {
    CANARIES
        .iter()
        .fold(text.to_string(), |acc, (from, to)| acc.replace(from, to))
}

/// The case with every corpus secret replaced by its canary, the emulator accepting the canary key and
/// journaling signatures.
fn with_canaries(case: &Case) -> Case {
    let mut case = case.clone();
    case.argv = case.argv.iter().map(|a| canary(a)).collect();
    for (_, value) in case.env.iter_mut() {
        if let Some(v) = value {
            *v = canary(v);
        }
    }
    if !case.env.iter().any(|(k, _)| k == "AWS_SECRET_ACCESS_KEY") {
        case.env.push((
            "AWS_SECRET_ACCESS_KEY".into(),
            Some(CANARY_SECRET.to_string()),
        ));
    }
    case.config = case.config.as_deref().map(canary);
    case.credentials = case.credentials.as_deref().map(canary);
    case.stdin = case.stdin.as_deref().map(canary);
    for (_, content) in case.files.iter_mut() {
        *content = canary(content);
    }
    if let Some(scenario) = case.scenario.as_mut() {
        if scenario.access_keys.is_empty() {
            scenario.access_keys = vec![format!("AKIDEXAMPLE:{CANARY_SECRET}")];
        } else {
            scenario.access_keys = scenario.access_keys.iter().map(|k| canary(k)).collect();
        }
        scenario.extra_args.push("--journal-signatures".into());
    }
    case
}

/// The secrets a run of `case` may know: every canary, the session tokens the emulator hands out for its
/// keys, and the token the case sets itself.
fn known_secrets(case: &Case) -> Vec<String> {
    let mut secrets: Vec<String> = CANARIES.iter().map(|(_, c)| c.to_string()).collect();
    if let Some(scenario) = &case.scenario {
        for pair in &scenario.access_keys {
            let (id, secret) = pair.split_once(':').unwrap_or((pair, ""));
            secrets.push(secret.to_string());
            secrets.push(lightsail_emulator::sigv4::session_token_for(id));
        }
    }
    for (name, value) in &case.env {
        if let (true, Some(value)) = (name == "AWS_SESSION_TOKEN", value) {
            secrets.push(value.clone());
        }
    }
    secrets.retain(|s| s.len() >= 8);
    secrets.sort();
    secrets.dedup();
    secrets
}

/// Reads the `signature` of each journaled request.
fn signatures(requests: &Option<serde_json::Value>) -> Vec<String> {
    requests
        .as_ref()
        .and_then(|r| r.as_array())
        .map(|entries| {
            entries
                .iter()
                .filter_map(|e| e.get("signature")?.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// One run: a case in one variant.
struct Run {
    label: String,
    case: Case,
    expected_exit: Option<i64>,
}

/// The cases `known-failures.txt` lists: our binary is known to answer them differently (a client
/// gap such as the timestamp parameters of issue 16), so their recorded exit code is not ours.
fn known_failures(conformance_dir: &Path) -> Vec<String> {
    std::fs::read_to_string(conformance_dir.join("known-failures.txt"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

fn variants(cases: &[Case], expected_dir: &Path) -> Vec<Run> {
    let known = expected_dir
        .parent()
        .map(known_failures)
        .unwrap_or_default();
    let mut runs = Vec::new();
    for original in cases {
        let case = with_canaries(original);
        let expected_exit = case::load_expected(expected_dir, original)
            .ok()
            .flatten()
            .filter(|_| original.compares("exit_code") && !known.contains(&original.key()))
            .map(|o| o.exit_code);
        if case.scenario.is_some() && !case.argv.iter().any(|a| a == "--debug") {
            let mut debug = case.clone();
            debug.argv.push("--debug".into());
            runs.push(Run {
                label: format!("{} --debug", case.key()),
                case: debug.clone(),
                expected_exit: None,
            });
            let env_credentials = !case.env.iter().any(|(k, _)| {
                matches!(
                    k.as_str(),
                    "AWS_ACCESS_KEY_ID" | "AWS_SESSION_TOKEN" | "AWS_PROFILE"
                )
            }) && !case.argv.iter().any(|a| a.starts_with("--profile"));
            if env_credentials {
                debug.env.push((
                    "AWS_SESSION_TOKEN".into(),
                    Some(lightsail_emulator::sigv4::session_token_for("AKIDEXAMPLE")),
                ));
                runs.push(Run {
                    label: format!("{} --debug with a session token", case.key()),
                    case: debug,
                    expected_exit: None,
                });
            }
        }
        runs.push(Run {
            label: case.key(),
            case,
            expected_exit,
        });
    }
    runs
}

fn build_emulator() {
    if env::var_os("LIGHTSAIL_EMULATOR_BIN").is_some() || env::var_os(NETNS_MARKER).is_some() {
        return;
    }
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "-p", "lightsail-emulator"])
        .args(["--bin", "lightsail-emulator"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .status();
    assert!(
        status.is_ok_and(|s| s.success()),
        "building lightsail-emulator failed"
    );
}

#[test]
fn no_secret_reaches_any_output() {
    build_emulator();
    if isolate::rerun_isolated(TEST_NAME, NETNS_MARKER, "secrets") {
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("conformance");
    let cases = case::load_all(&dir.join("cases")).unwrap_or_else(|e| panic!("{e}"));
    // `CONFORMANCE_ONLY=PREFIX*` (or an exact `group/id`) narrows the run, as in tests/conformance.rs.
    let only = env::var("CONFORMANCE_ONLY").ok();
    let cases: Vec<Case> = cases
        .into_iter()
        .filter(|c| match only.as_deref() {
            None => true,
            Some(p) => match p.strip_suffix('*') {
                Some(prefix) => c.key().starts_with(prefix),
                None => c.key() == p,
            },
        })
        .collect();
    let runs = variants(&cases, &dir.join("expected"));
    let aws = PathBuf::from(env!("CARGO_BIN_EXE_aws"));
    let emulator = env::var_os("LIGHTSAIL_EMULATOR_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| aws.with_file_name("lightsail-emulator"));
    assert!(emulator.is_file(), "no emulator at {}", emulator.display());
    let peer = env::var_os("LOOPBACK_PEER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| emulator.with_file_name("loopback-peer"));
    let programs = Programs {
        emulator: Some(emulator),
        peer: peer.is_file().then_some(peer),
        aws,
    };
    let release = runner::kernel_release();
    let jobs = env::var("CONFORMANCE_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .unwrap_or(8usize)
        .max(1);

    let problems = Mutex::new(Vec::<String>::new());
    let signatures_checked = AtomicUsize::new(0);
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(run) = runs.get(k) else { break };
                let found = check(run, &programs, &release, &signatures_checked);
                if !found.is_empty() {
                    if let Ok(mut all) = problems.lock() {
                        all.extend(found);
                    }
                }
            });
        }
    });
    let problems = problems.into_inner().unwrap_or_else(|e| e.into_inner());
    let signatures = signatures_checked.into_inner();
    for problem in &problems {
        println!("secrets: {problem}");
    }
    println!(
        "secrets: {} runs ({} cases), {signatures} signatures searched for, {} problems",
        runs.len(),
        cases.len(),
        problems.len()
    );
    assert!(
        problems.is_empty(),
        "{} problems (listed above)",
        problems.len()
    );
    assert!(
        only.is_some() || signatures > 100,
        "only {signatures} signed requests were seen: is the emulator journaling signatures?"
    );
}

/// Runs one variant; returns what went wrong.
fn check(run: &Run, programs: &Programs, release: &str, signed: &AtomicUsize) -> Vec<String> {
    let outcome = match runner::run_case(&run.case, programs, release) {
        Ok(outcome) => outcome,
        Err(e) => return vec![format!("{}: {e}", run.label)],
    };
    let mut problems = Vec::new();
    let mut secrets = known_secrets(&run.case);
    let sigs = signatures(&outcome.requests);
    signed.fetch_add(sigs.len(), Ordering::Relaxed);
    secrets.extend(sigs);
    for secret in &secrets {
        for (stream, bytes) in [("stdout", &outcome.stdout), ("stderr", &outcome.stderr)] {
            if contains(bytes, secret) {
                problems.push(format!(
                    "{}: {stream} holds the secret {secret:?}",
                    run.label
                ));
            }
        }
    }
    if let Some(expected) = run.expected_exit {
        if expected != outcome.exit_code {
            problems.push(format!(
                "{}: exit code {} with canary secrets, {expected} recorded",
                run.label, outcome.exit_code
            ));
        }
    }
    problems
}
