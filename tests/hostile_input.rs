//! Hostile input through the real `aws` binary, replayed against what the reference did with it
//! (`tests/data/hostile/cases.jsonl`, recorded by `tests/record/hostile_input.py`): deep nesting in
//! shorthand, JSON parameters and `--cli-input-json` (a million levels from files), NUL bytes, bytes
//! that are not UTF-8 in arguments and files, the largest arguments Linux passes, `file://` at a
//! directory or a FIFO, and odd `--`/`=` placements.
//!
//! Each case must finish (within a generous hang guard, `TIME_LIMIT`) and never print a panic. Where the
//! reference answered, our exit code, stdout and stderr must equal its; where it hung (a FIFO without a
//! writer blocks its `open`), or where `KNOWN_DEVIATIONS` says why we differ, only a non-zero exit is
//! required.
//! The binary talks to nobody: the endpoint is loopback and no case gets as far as a request.

use serde_json::Value as Json;
use std::ffi::OsString;
use std::io::Read;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CASES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/hostile/cases.jsonl"
);

/// A hang guard, not a speed check (speed is the benchmarks' job): a run still going after this long is
/// killed and reported. The slowest cases (a million-deep file, a 10 MB `--tags` file) take a few seconds in
/// a debug build, but over 10 s on a 2-core machine busy with other builds, hence the margin.
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// Cases (by name prefix) where this build knowingly answers differently from the reference, and
/// why (also listed in `docs/robustness.md`).
const KNOWN_DEVIATIONS: &[(&str, &str)] = &[
    (
        "non_utf8_tags_arg_",
        "bytes that are not UTF-8 echo as U+FFFD; Python echoes surrogate escapes as `\\udcff`",
    ),
    ("non_utf8_option_name_", "as above"),
    ("non_utf8_cli_input_json_", "as above"),
    ("non_utf8_query_", "as above"),
];

fn main_cases() -> Vec<Json> {
    std::fs::read_to_string(CASES)
        .expect("the recorded cases are committed")
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect()
}

fn parts_text(parts: &Json) -> String {
    parts
        .as_array()
        .expect("parts is a list")
        .iter()
        .map(|part| {
            let text = part[0].as_str().expect("part text");
            let count = part[1].as_u64().expect("part count") as usize;
            text.repeat(count)
        })
        .collect()
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex digits"))
        .collect()
}

fn arg_bytes(arg: &Json, dir: &Path) -> Vec<u8> {
    let text = match arg {
        Json::String(s) => s.clone(),
        Json::Object(o) if o.contains_key("hex") => return hex(o["hex"].as_str().unwrap_or("")),
        Json::Object(o) => parts_text(&o["parts"]),
        other => panic!("unexpected argument {other}"),
    };
    text.replace("{DIR}", &dir.to_string_lossy()).into_bytes()
}

fn materialize(fixtures: Option<&Json>, dir: &Path) {
    std::fs::create_dir_all(dir).expect("fixture directory");
    let Some(Json::Object(fixtures)) = fixtures else {
        return;
    };
    for (name, spec) in fixtures {
        let path = dir.join(name);
        if spec.get("dir").is_some() {
            std::fs::create_dir_all(&path).expect("fixture dir");
        } else if spec.get("fifo").is_some() {
            let c_path =
                std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("no NUL");
            // SAFETY: `c_path` is a valid NUL-terminated path that outlives the call.
            assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo");
        } else if let Some(h) = spec.get("hex") {
            std::fs::write(&path, hex(h.as_str().unwrap_or(""))).expect("fixture file");
        } else {
            std::fs::write(&path, parts_text(&spec["parts"])).expect("fixture file");
        }
    }
}

/// The recorded bytes of an output, or (for long ones) its length, head and tail.
enum Expected {
    Exact(Vec<u8>),
    Ends {
        len: usize,
        head: Vec<u8>,
        tail: Vec<u8>,
    },
}

fn expected_output(recorded: &Json) -> Expected {
    fn bytes(v: &Json) -> Vec<u8> {
        match v {
            Json::String(s) => s.clone().into_bytes(),
            Json::Object(o) => hex(o["hex"].as_str().unwrap_or("")),
            _ => Vec::new(),
        }
    }
    match recorded {
        Json::Object(o) if o.contains_key("len") => Expected::Ends {
            len: o["len"].as_u64().unwrap_or(0) as usize,
            head: bytes(&o["head"]),
            tail: bytes(&o["tail"]),
        },
        other => Expected::Exact(bytes(other)),
    }
}

fn matches(expected: &Expected, actual: &[u8]) -> bool {
    match expected {
        Expected::Exact(bytes) => bytes == actual,
        Expected::Ends { len, head, tail } => {
            actual.len() == *len && actual.starts_with(head) && actual.ends_with(tail)
        }
    }
}

struct Outcome {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    elapsed: Duration,
}

fn run_aws(args: &[Vec<u8>], home: &Path) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aws"))
        .args(args.iter().map(|a| OsString::from_vec(a.clone())))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env(
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
        .env("AWS_DEFAULT_REGION", "us-west-2")
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the aws binary starts");
    let start = Instant::now();
    // Drain both pipes on threads so a large output cannot stall the child.
    let mut out_pipe = child.stdout.take().expect("piped stdout");
    let mut err_pipe = child.stderr.take().expect("piped stderr");
    let out_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out_pipe.read_to_end(&mut buf);
        buf
    });
    let err_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err_pipe.read_to_end(&mut buf);
        buf
    });
    let code = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status.code(),
            Ok(None) if start.elapsed() > TIME_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break None,
        }
    };
    let elapsed = start.elapsed();
    Outcome {
        code,
        stdout: out_thread.join().unwrap_or_default(),
        stderr: err_thread.join().unwrap_or_default(),
        elapsed,
    }
}

fn scratch_dir(index: usize) -> PathBuf {
    std::env::temp_dir().join(format!(
        "lightsail-cli-hostile-{}-{index}",
        std::process::id()
    ))
}

#[test]
fn hostile_input_matches_the_reference_or_fails_safely() {
    let cases = main_cases();
    assert!(cases.len() > 100, "the recorded corpus is complete");
    let mut failures = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let name = case["name"].as_str().unwrap_or("?");
        let dir = scratch_dir(index);
        materialize(case.get("fixtures"), &dir);
        let args: Vec<Vec<u8>> = case["args"]
            .as_array()
            .expect("args")
            .iter()
            .map(|a| arg_bytes(a, &dir))
            .collect();
        let outcome = run_aws(&args, &dir);
        let _ = std::fs::remove_dir_all(&dir);
        let unify = |bytes: &[u8]| -> Vec<u8> {
            String::from_utf8_lossy(bytes)
                .replace(dir.to_string_lossy().as_ref(), "{DIR}")
                .into_bytes()
        };
        let stdout = unify(&outcome.stdout);
        let stderr = unify(&outcome.stderr);
        let stderr_text = String::from_utf8_lossy(&stderr);
        let mut problems = Vec::new();
        if outcome.code.is_none() {
            problems.push(format!("did not finish within {TIME_LIMIT:?}"));
        }
        if stderr_text.contains("panicked") || stderr_text.contains("internal error") {
            problems.push(format!("panicked: {stderr_text}"));
        }
        let deviation = KNOWN_DEVIATIONS
            .iter()
            .find(|(prefix, _)| name.starts_with(prefix));
        if case.get("reference").is_some() || deviation.is_some() {
            if outcome.code == Some(0) {
                problems.push("exited 0".into());
            }
        } else {
            let want_code = case["exit"].as_i64().map(|c| c as i32);
            if outcome.code != want_code {
                problems.push(format!("exit {:?}, reference {want_code:?}", outcome.code));
            }
            if !matches(&expected_output(&case["stdout"]), &stdout) {
                problems.push(format!(
                    "stdout differs: {:?}",
                    truncated(&String::from_utf8_lossy(&stdout))
                ));
            }
            if !matches(&expected_output(&case["stderr"]), &stderr) {
                problems.push(format!("stderr differs: {:?}", truncated(&stderr_text)));
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{name} ({:?}): {}",
                outcome.elapsed,
                problems.join("; ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

fn truncated(text: &str) -> String {
    if text.chars().count() <= 400 {
        return text.to_string();
    }
    let head: String = text.chars().take(200).collect();
    let tail: String = text
        .chars()
        .rev()
        .take(200)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{head}…{tail}")
}

/// The panic hook (`lightsail_cli::process::panic_report`): a panic prints exactly one line and exits 255.
/// Debug builds of `aws` panic on purpose when `LIGHTSAIL_CLI_FORCE_PANIC=1`.
#[test]
fn a_panic_prints_one_line_and_exits_255() {
    if !cfg!(debug_assertions) {
        return;
    }
    let output = Command::new(env!("CARGO_BIN_EXE_aws"))
        .args(["lightsail", "help"])
        .env("LIGHTSAIL_CLI_FORCE_PANIC", "1")
        .stdin(Stdio::null())
        .output()
        .expect("the aws binary starts");
    assert_eq!(output.status.code(), Some(255));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.ends_with('\n'));
    assert!(
        stderr.starts_with(
            "aws: internal error: forced by LIGHTSAIL_CLI_FORCE_PANIC (at src/main.rs:"
        ),
        "{stderr}"
    );
}
