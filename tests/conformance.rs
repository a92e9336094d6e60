//! The conformance corpus: every case under `tests/conformance/cases/` replayed through our `aws` binary and
//! compared byte for byte (stdout, stderr, exit code, and the requests the emulator received) with what the
//! reference CLI did when `tests/conformance/record.py` recorded it.
//!
//! The run re-executes itself inside a private network namespace (`unshare -n`, loopback only) when it can,
//! so not even a bug in our binary can send a packet off the machine. Cases listed in
//! `tests/conformance/known-failures.txt` are expected to differ today; the test fails when any other case
//! differs, and when a listed case has become identical (so the list stays true). The run ends with the line
//! `conformance: K/N identical`. Environment knobs:
//! - `CONFORMANCE_ONLY=GLOB`: run only the cases whose `group/id` matches (`*` wildcards), showing every diff;
//! - `CONFORMANCE_SHOW_ALL=1`: print the diffs of known failures too;
//! - `CONFORMANCE_WRITE_KNOWN_FAILURES=1`: rewrite the known-failures list from this run's results;
//! - `CONFORMANCE_JOBS=N`: cases run at once (default 4);
//! - `LIGHTSAIL_EMULATOR_BIN`: the emulator (default: `lightsail-emulator` beside our `aws`);
//! - `LOOPBACK_PEER_BIN`: the recording proxy / canned server of `peer` cases (default: beside the emulator);
//! - `CONFORMANCE_AWS_BIN`: replay through another program (pointed at the reference's `aws` script, it
//!   checks the harness itself: every case should then be identical).

#[path = "conformance/support/case.rs"]
mod case;
#[path = "conformance/support/diff.rs"]
mod diff;
#[path = "conformance/support/isolate.rs"]
mod isolate;
#[path = "conformance/support/runner.rs"]
mod runner;

use case::{Case, Outcome};
use runner::{Programs, RunError};
use std::collections::BTreeSet;
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

const NETNS_MARKER: &str = "CONFORMANCE_IN_NETNS";
const TEST_NAME: &str = "conformance_corpus";

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("conformance")
}

/// `*` matches any run of characters; everything else matches itself.
fn glob_match(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            text.starts_with(head)
                && (0..=text.len() - head.len()).any(|k| {
                    text.is_char_boundary(head.len() + k)
                        && glob_match(tail, &text[head.len() + k..])
                })
        }
    }
}

/// The verdict on one case.
enum Verdict {
    Identical,
    Differs(String),
    NotRecorded,
    NotRun(RunError),
}

/// A recorded JSON value (or its absence) as text for a diff.
fn pretty(value: &Option<serde_json::Value>) -> String {
    match value {
        Some(v) => serde_json::to_string_pretty(v).unwrap_or_default() + "\n",
        None => "null\n".to_string(),
    }
}

fn compare(case: &Case, expected: &Outcome, actual: &Outcome) -> Verdict {
    let mut report = String::new();
    if case.compares("exit_code") && expected.exit_code != actual.exit_code {
        let _ = writeln!(
            report,
            "exit code: expected {}, ours {}",
            expected.exit_code, actual.exit_code
        );
    }
    for (field, want, got) in [
        ("stdout", &expected.stdout, &actual.stdout),
        ("stderr", &expected.stderr, &actual.stderr),
    ] {
        if case.compares(field) && want != got {
            let _ = write!(
                report,
                "{field} differs (-expected +ours):\n{}",
                diff::unified(want, got)
            );
        }
    }
    if case.compares("requests") && expected.requests != actual.requests {
        let (want, got) = (pretty(&expected.requests), pretty(&actual.requests));
        let _ = write!(
            report,
            "requests differ (-expected +ours):\n{}",
            diff::unified(want.as_bytes(), got.as_bytes())
        );
    }
    if case.compares("peer_requests") && expected.peer_requests != actual.peer_requests {
        let (want, got) = (
            pretty(&expected.peer_requests),
            pretty(&actual.peer_requests),
        );
        let _ = write!(
            report,
            "requests to the loopback peer differ (-expected +ours):\n{}",
            diff::unified(want.as_bytes(), got.as_bytes())
        );
    }
    if case.home_files && expected.home != actual.home {
        let (want, got) = (pretty(&expected.home), pretty(&actual.home));
        let _ = write!(
            report,
            "files under HOME differ (-expected +ours):\n{}",
            diff::unified(want.as_bytes(), got.as_bytes())
        );
    }
    if expected.files != actual.files {
        let (want, got) = (pretty(&expected.files), pretty(&actual.files));
        let _ = write!(
            report,
            "files written differ (-expected +ours):\n{}",
            diff::unified(want.as_bytes(), got.as_bytes())
        );
    }
    if expected.terminal != actual.terminal {
        let (want, got) = (
            expected.terminal.as_deref().unwrap_or_default(),
            actual.terminal.as_deref().unwrap_or_default(),
        );
        let _ = write!(
            report,
            "terminal output differs (-expected +ours):\n{}",
            diff::unified(want, got)
        );
    }
    if report.is_empty() {
        Verdict::Identical
    } else {
        Verdict::Differs(report)
    }
}

fn judge(case: &Case, programs: &Programs, release: &str, expected_dir: &Path) -> Verdict {
    let expected = match case::load_expected(expected_dir, case) {
        Ok(Some(expected)) => expected,
        Ok(None) => return Verdict::NotRecorded,
        Err(e) => return Verdict::NotRun(RunError::Setup(e)),
    };
    match runner::run_case(case, programs, release) {
        Ok(mut actual) => {
            let mut expected = expected;
            if let Some(deviation) = &case.deviation {
                for (ours, reference) in &deviation.stdout_replace {
                    let text = String::from_utf8_lossy(&actual.stdout).replace(ours, reference);
                    actual.stdout = text.into_bytes();
                }
                if let Some(file) = &deviation.stdout_file {
                    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
                    match fs::read(&path) {
                        Ok(bytes) => expected.stdout = bytes,
                        Err(e) => {
                            return Verdict::NotRun(RunError::Setup(format!(
                                "{}: {e}",
                                path.display()
                            )))
                        }
                    }
                }
            }
            compare(case, &expected, &actual)
        }
        Err(e) => Verdict::NotRun(e),
    }
}

fn read_known_failures(path: &Path) -> BTreeSet<String> {
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

fn write_known_failures(path: &Path, failing: &BTreeSet<String>) {
    let mut text = String::from(
        "# Conformance cases (group/id) whose replay through our binary differs from the reference today.\n\
         # Rewrite with: tests/conformance/update-known-failures.sh\n",
    );
    for key in failing {
        text.push_str(key);
        text.push('\n');
    }
    if let Err(e) = fs::write(path, text) {
        panic!("cannot write {}: {e}", path.display());
    }
}

/// Builds the workspace's emulator (a no-op when it is up to date): `cargo test` builds a package's binaries
/// only for that package's own integration tests, so this one cannot rely on it being there, or fresh.
fn build_emulator() {
    if env::var_os("LIGHTSAIL_EMULATOR_BIN").is_some() || env::var_os(NETNS_MARKER).is_some() {
        return;
    }
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "-p",
            "lightsail-emulator",
            "-p",
            "loopback-peer",
            "--bins",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .status();
    match status {
        Ok(status) if status.success() => {}
        Ok(status) => panic!("building lightsail-emulator failed ({status})"),
        Err(e) => panic!("cannot run cargo to build lightsail-emulator: {e}"),
    }
}

#[test]
fn conformance_corpus() {
    build_emulator();
    if isolate::rerun_isolated(TEST_NAME, NETNS_MARKER, "conformance") {
        return;
    }
    let dir = corpus_dir();
    let cases = case::load_all(&dir.join("cases")).unwrap_or_else(|e| panic!("{e}"));
    let only = env::var("CONFORMANCE_ONLY").ok();
    let cases: Vec<Case> = cases
        .into_iter()
        .filter(|c| only.as_deref().is_none_or(|p| glob_match(p, &c.key())))
        .collect();
    let ours = PathBuf::from(env!("CARGO_BIN_EXE_aws"));
    let emulator = env::var_os("LIGHTSAIL_EMULATOR_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| ours.with_file_name("lightsail-emulator"));
    let aws = env::var_os("CONFORMANCE_AWS_BIN")
        .map(PathBuf::from)
        .unwrap_or(ours);
    let peer = env::var_os("LOOPBACK_PEER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| emulator.with_file_name("loopback-peer"));
    let programs = Programs {
        emulator: emulator.is_file().then_some(emulator),
        peer: peer.is_file().then_some(peer),
        aws,
    };
    let release = runner::kernel_release();
    let expected_dir = dir.join("expected");
    let jobs = env::var("CONFORMANCE_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .unwrap_or(4usize)
        .max(1);

    let verdicts: Mutex<Vec<Option<Verdict>>> =
        Mutex::new((0..cases.len()).map(|_| None).collect());
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(case) = cases.get(k) else { break };
                let verdict = judge(case, &programs, &release, &expected_dir);
                if let Ok(mut all) = verdicts.lock() {
                    all[k] = Some(verdict);
                }
            });
        }
    });
    let verdicts = verdicts.into_inner().unwrap_or_else(|e| e.into_inner());

    let known_path = dir.join("known-failures.txt");
    // The list describes our binary; replaying another program (the self-check) expects every case identical.
    let known = if env::var_os("CONFORMANCE_AWS_BIN").is_some() {
        BTreeSet::new()
    } else {
        read_known_failures(&known_path)
    };
    let show_all = only.is_some() || env::var_os("CONFORMANCE_SHOW_ALL").is_some();
    let mut failing = BTreeSet::new();
    let mut unexpected = Vec::new();
    let mut now_passing = Vec::new();
    for (case, verdict) in cases.iter().zip(&verdicts) {
        let key = case.key();
        let listed = known.contains(&key);
        let problem = match verdict {
            Some(Verdict::Identical) => None,
            Some(Verdict::Differs(report)) => Some(report.clone()),
            Some(Verdict::NotRecorded) => {
                Some("not recorded (run tests/conformance/record.py)\n".to_string())
            }
            Some(Verdict::NotRun(e)) => Some(format!("{e}\n")),
            None => Some("not judged\n".to_string()),
        };
        match problem {
            None if listed => now_passing.push(key),
            None => {}
            Some(report) => {
                if !listed {
                    unexpected.push(key.clone());
                }
                if !listed || show_all {
                    let note = if listed { " (known failure)" } else { "" };
                    println!(
                        "=== conformance {key}{note}: argv {:?}\n{report}",
                        case.argv
                    );
                }
                failing.insert(key);
            }
        }
    }
    let total = cases.len();
    let identical = total - failing.len();

    if env::var_os("CONFORMANCE_WRITE_KNOWN_FAILURES").is_some() {
        if only.is_some() || env::var_os("CONFORMANCE_AWS_BIN").is_some() {
            panic!(
                "CONFORMANCE_WRITE_KNOWN_FAILURES needs the whole corpus: unset CONFORMANCE_ONLY"
            );
        }
        write_known_failures(&known_path, &failing);
        println!(
            "conformance: wrote {} known failures to {}",
            failing.len(),
            known_path.display()
        );
        println!("conformance: {identical}/{total} identical");
        return;
    }
    let stale: Vec<&String> = if only.is_some() {
        Vec::new()
    } else {
        let keys: BTreeSet<String> = cases.iter().map(Case::key).collect();
        known.iter().filter(|k| !keys.contains(*k)).collect()
    };
    for key in &now_passing {
        println!(
            "conformance: {key} is listed in known-failures.txt but is now identical: remove it"
        );
    }
    for key in &stale {
        println!("conformance: {key} is listed in known-failures.txt but is no case");
    }
    let known_failing = failing.len() - unexpected.len();
    println!(
        "conformance: {} unexpected differences, {known_failing} known failures, {} now passing",
        unexpected.len(),
        now_passing.len()
    );
    println!("conformance: {identical}/{total} identical");
    let first: Vec<&str> = unexpected.iter().take(10).map(String::as_str).collect();
    assert!(
        unexpected.is_empty() && now_passing.is_empty() && stale.is_empty(),
        "conformance: {} unexpected differences ({}{}), {} listed cases now identical, {} stale entries",
        unexpected.len(),
        first.join(", "),
        if unexpected.len() > first.len() { ", ..." } else { "" },
        now_passing.len(),
        stale.len()
    );
}

#[test]
fn endpoint_check_accepts_only_loopback() {
    let mut case = Case {
        group: "g".into(),
        id: "i".into(),
        argv: vec!["--endpoint-url".into(), "{endpoint}".into()],
        env: Vec::new(),
        config: None,
        credentials: None,
        files: Vec::new(),
        stdin: None,
        scenario: None,
        ignore: Vec::new(),
        stderr_loggers: Vec::new(),
        setup: Vec::new(),
        deviation: None,
        peer: None,
        stdout_closed: false,
        interrupt: false,
        timeout: std::time::Duration::from_secs(1),
        program: "aws".into(),
        home_files: false,
        compare_files: Vec::new(),
        terminal: None,
    };
    assert_eq!(case::endpoint_problem(&case), None);
    case.argv = vec!["--endpoint-url=http://localhost:{port}/x".into()];
    assert_eq!(case::endpoint_problem(&case), None);
    case.argv = vec!["--endpoint-url".into(), "http://10.0.0.1:80".into()];
    assert!(case::endpoint_problem(&case).is_some());
    case.argv = vec![
        "--endpoint-url".into(),
        "http://127.0.0.1.example.com".into(),
    ];
    assert!(case::endpoint_problem(&case).is_some());
    case.argv = Vec::new();
    assert!(
        case::endpoint_problem(&case).is_some(),
        "no endpoint at all is refused"
    );
    case.env = vec![("AWS_ENDPOINT_URL".into(), Some("http://[::1]:8080".into()))];
    assert_eq!(case::endpoint_problem(&case), None);
    case.config = Some("[default]\nendpoint_url = https://example.com\n".into());
    assert!(case::endpoint_problem(&case).is_some());
    // No endpoint, but every https request goes through the loopback peer as a proxy.
    case.config = None;
    case.env = vec![("HTTPS_PROXY".into(), Some("{peer}".into()))];
    assert!(
        case::endpoint_problem(&case).is_some(),
        "a proxy without a peer"
    );
    case.peer = Some(Vec::new());
    assert_eq!(case::endpoint_problem(&case), None);
    case.env.push(("https_proxy".into(), Some(String::new())));
    assert!(
        case::endpoint_problem(&case).is_some(),
        "an empty https_proxy unsets HTTPS_PROXY"
    );
    case.env = vec![
        ("HTTPS_PROXY".into(), Some("{peer}".into())),
        ("NO_PROXY".into(), Some("*".into())),
    ];
    assert!(
        case::endpoint_problem(&case).is_some(),
        "NO_PROXY could bypass the proxy"
    );
    case.env = vec![("HTTPS_PROXY".into(), Some("{peer}".into()))];
    case.argv = vec!["--user-data".into(), "http://example.com/x".into()];
    assert!(
        case::endpoint_problem(&case).is_some(),
        "URL parameter values are fetched without a proxy"
    );
}

#[test]
fn diff_shows_changed_lines_with_context() {
    let diff = diff::unified(b"a\nb\nc\n", b"a\nB\nc");
    assert_eq!(
        diff,
        "@@ line 1 (expected) / 1 (ours) @@\n a$\n-b$\n-c$\n+B$\n+c  (no newline at end)\n"
    );
    assert_eq!(diff::unified(b"same\n", b"same\n"), "");
}

#[test]
fn glob_matches_group_and_id() {
    assert!(glob_match("call/*", "call/seed-example"));
    assert!(glob_match("*seed*", "call/seed-example"));
    assert!(!glob_match("args/*", "call/seed-example"));
    assert!(glob_match("call/seed-example", "call/seed-example"));
}

#[test]
fn time_placeholders_and_their_normalisation() {
    use runner::home::{iso, normalise_times, now_placeholders};
    let start = 1_796_160_000; // 2026-12-01T21:20:00Z
    assert_eq!(iso(start), "2026-12-01T21:20:00Z");
    assert_eq!(iso(0), "1970-01-01T00:00:00Z");
    assert_eq!(
        now_placeholders("a {now} b {now+3600} c {now-60} d {now+x} {nowhere}", start),
        "a 2026-12-01T21:20:00Z b 2026-12-01T22:20:00Z c 2026-12-01T21:19:00Z d {now+x} {nowhere}"
    );
    // Written a few seconds later (a refresh: now + expiresIn), times come back in whole minutes.
    let written = format!(
        "{{\"expiresAt\": \"{}\", \"fixed\": \"2099-01-01T00:00:00Z\", \"past\": \"{}\"}}",
        iso(start + 28_800 + 3),
        iso(start - 61)
    );
    assert_eq!(
        normalise_times(&written, start),
        "{\"expiresAt\": \"{now+28800}\", \"fixed\": \"2099-01-01T00:00:00Z\", \"past\": \"{now-60}\"}"
    );
    assert_eq!(
        normalise_times(
            "RoleSessionName=botocore-session-1796160004&x=botocore-session-1000000000",
            start
        ),
        "RoleSessionName=botocore-session-{epoch}&x=botocore-session-1000000000"
    );
    assert_eq!(
        normalise_times("x2026-12-01T21:20:00Z", start),
        "x2026-12-01T21:20:00Z"
    );
}

#[test]
fn terminal_cases_type_at_the_prompt_and_others_have_no_terminal() {
    let mut case = Case {
        group: "g".into(),
        id: "i".into(),
        argv: vec![
            "-c".into(),
            "(: </dev/tty) 2>/dev/null || exit 9; exec 3<>/dev/tty; printf 'Code: ' >&3; read x <&3; echo \"got $x\"; \
             umask; echo run >> ~/runs"
                .into(),
        ],
        env: Vec::new(),
        config: None,
        credentials: None,
        files: vec![("~/.aws/sso/cache/t.json".into(), "{now+60}".into())],
        stdin: None,
        scenario: None,
        ignore: Vec::new(),
        stderr_loggers: Vec::new(),
        deviation: None,
        timeout: std::time::Duration::from_secs(20),
        setup: Vec::new(),
        compare_files: vec!["~/runs".into(), "~/.aws/sso".into()],
        terminal: Some("123456\n".into()),
        peer: None,
        stdout_closed: false,
        interrupt: false,
        program: "aws".into(),
        home_files: false,
    };
    let programs = Programs {
        aws: PathBuf::from("/bin/sh"),
        emulator: None,
        peer: None,
    };
    let outcome = runner::run_case(&case, &programs, "").expect("runs");
    assert_eq!(
        String::from_utf8_lossy(&outcome.stdout),
        "got 123456\n0022\n"
    );
    // Echo is on here (getpass turns it off): the typed line shows on the terminal.
    assert_eq!(outcome.terminal.as_deref(), Some(&b"Code: 123456\r\n"[..]));
    assert_eq!(
        outcome.files,
        Some(serde_json::json!({
            "~/.aws/sso/cache/t.json": {"mode": "0644", "content": "{now+60}"},
            "~/runs": {"mode": "0644", "content": "run\n"},
        }))
    );
    case.terminal = None;
    let outcome = runner::run_case(&case, &programs, "").expect("runs");
    assert_eq!(
        outcome.exit_code, 9,
        "no controlling terminal without `terminal`"
    );
    assert_eq!(outcome.terminal, None);
}

#[test]
fn setup_steps_parse_and_need_a_scenario() {
    let dir = std::env::temp_dir().join(format!("conformance-setup-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let write = |cases: &str| {
        fs::write(
            dir.join("g.json"),
            format!(r#"{{"defaults": {{"argv": ["--endpoint-url", "{{endpoint}}"]}}, "cases": [{cases}]}}"#),
        )
        .unwrap()
    };
    write(
        r#"{"id": "a", "scenario": {"delays": {"Disk": 60, "default": 5}},
            "setup": [{"op": "CreateDisk", "body": {"diskName": "d"}}, {"advance": 120},
                      {"op": "GetDisks", "region": "eu-west-1"}]}"#,
    );
    let cases = case::load_all(&dir).unwrap();
    let setup = &cases[0].setup;
    assert_eq!(setup.len(), 3);
    assert_eq!(
        setup[0].request(),
        (
            "/_emulator/call",
            r#"{"target":"CreateDisk","body":{"diskName":"d"}}"#.to_string()
        )
    );
    assert_eq!(setup[1], case::SetupStep::Advance(120.0));
    assert_eq!(setup[1].request().0, "/_emulator/clock");
    assert!(setup[2].request().1.contains(r#""region":"eu-west-1""#));
    let args = cases[0].scenario.as_ref().unwrap().emulator_args("ca.pem");
    let at = args.iter().position(|a| a == "--delay").unwrap();
    assert_eq!(args[at + 1], "Disk=60");
    assert_eq!(args[at + 3], "5");
    for bad in [
        r#"{"id": "b", "setup": [{"advance": 1}]}"#,
        r#"{"id": "b", "scenario": {}, "setup": [{"advance": -1}]}"#,
        r#"{"id": "b", "scenario": {}, "setup": [{"body": {}}]}"#,
        r#"{"id": "b", "scenario": {}, "setup": [{"op": "X", "bogus": 1}]}"#,
        r#"{"id": "b", "scenario": {}, "setup": {"op": "X"}}"#,
    ] {
        write(bad);
        assert!(case::load_all(&dir).is_err(), "{bad}");
    }
    let _ = fs::remove_dir_all(&dir);
}
