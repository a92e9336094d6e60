//! Running one conformance case through our `aws` binary, the way `record.py` ran it through the reference.
//!
//! Each case gets a fresh temporary root holding `home/` (with `.aws/config` and `.aws/credentials` when the
//! case has them) and `cwd/` (the case's files), a fresh `lightsail-emulator` subprocess when it names a
//! scenario, and a cleared environment: the base variables below plus the case's own. Placeholders
//! (`{endpoint}`, `{port}`, `{https_endpoint}`, `{https_port}`, `{cert}`, `{tmp}`, `{home}`, `{cwd}`) are
//! substituted in argv, env, files and stdin, and what changes from run to run (the temporary root, the
//! emulator's ports, the kernel release) is put back into placeholder form in stdout and stderr before
//! comparison.

#[path = "home.rs"]
pub mod home;

use crate::case::{Case, Outcome, SetupStep, DEAD_ENDPOINT};
use serde_json::Value;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::fd::FromRawFd;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

const STANDARD_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Why a case could not be run to completion (it then counts as not identical).
#[derive(Debug)]
pub enum RunError {
    NoEmulator,
    NoPeer,
    Setup(String),
    TimedOut(Duration),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::NoEmulator => write!(f, "not run (no emulator)"),
            RunError::NoPeer => write!(f, "not run (no loopback-peer)"),
            RunError::Setup(why) => write!(f, "not run: {why}"),
            RunError::TimedOut(after) => write!(f, "timed out after {}s", after.as_secs()),
        }
    }
}

/// A fresh temporary directory, removed on drop.
struct TempRoot(PathBuf);

impl TempRoot {
    fn new() -> std::io::Result<TempRoot> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("conformance-{}-{n}", std::process::id()));
        fs::create_dir_all(&path)?;
        Ok(TempRoot(path))
    }
}

impl Drop for TempRoot {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A running emulator subprocess, killed on drop.
struct Emulator {
    child: Child,
    port: String,
    /// The HTTPS listener's port, when the scenario asked for one.
    https_port: Option<String>,
}

impl Emulator {
    fn start(binary: &Path, args: &[String], https: bool) -> Result<Emulator, RunError> {
        let mut child = Command::new(binary)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| RunError::Setup(format!("cannot start {}: {e}", binary.display())))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| RunError::Setup("no emulator stdout".into()))?;
        let (tx, rx) = mpsc::channel();
        // Reads the announcement (a second line for HTTPS), then keeps draining so the emulator never
        // blocks on a full pipe.
        let lines = if https { 2 } else { 1 };
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            for _ in 0..lines {
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                let _ = tx.send(line);
            }
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let mut emulator = Emulator {
            child,
            port: String::new(),
            https_port: None,
        };
        let announced = |scheme: &str| -> Result<String, RunError> {
            let line = rx.recv_timeout(Duration::from_secs(20)).unwrap_or_default();
            line.trim_end()
                .strip_prefix(&format!("listening on {scheme}://127.0.0.1:"))
                .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                .map(String::from)
                .ok_or_else(|| {
                    RunError::Setup(format!(
                        "emulator did not announce its {scheme} address (line {line:?})"
                    ))
                })
        };
        emulator.port = announced("http")?;
        if https {
            emulator.https_port = Some(announced("https")?);
        }
        Ok(emulator)
    }

    /// One admin request; the body of a 200 answer, or why there was none.
    fn admin(&self, method: &str, path: &str, body: &str) -> Result<Vec<u8>, String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port.parse::<u16>().unwrap_or(0)))
            .map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .map_err(|e| e.to_string())?;
        let request = format!(
            "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        );
        stream
            .write_all(request.as_bytes())
            .map_err(|e| e.to_string())?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).map_err(|e| e.to_string())?;
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or("no header end")?;
        let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
        let mut body = raw[split + 4..].to_vec();
        if head.contains("transfer-encoding: chunked") {
            body = dechunk(&body).ok_or("bad chunked body")?;
        }
        if !head.starts_with("http/1.1 200") && !head.starts_with("http/1.0 200") {
            return Err(format!(
                "{}: {}",
                head.lines().next().unwrap_or_default(),
                String::from_utf8_lossy(&body)
            ));
        }
        Ok(body)
    }

    /// Runs the case's set-up steps (`record.py`'s `run_setup` sends the same requests).
    fn set_up(&self, steps: &[SetupStep]) -> Result<(), RunError> {
        for step in steps {
            let (path, body) = step.request();
            self.admin("POST", path, &body)
                .map_err(|why| RunError::Setup(format!("set-up step {body}: {why}")))?;
        }
        Ok(())
    }

    /// `GET /_emulator/requests`: the requests the emulator received, as JSON.
    fn requests(&self) -> Result<Value, RunError> {
        let fail =
            |why: String| RunError::Setup(format!("reading the emulator's request log: {why}"));
        let body = self.admin("GET", "/_emulator/requests", "").map_err(fail)?;
        serde_json::from_slice(&body).map_err(|e| fail(e.to_string()))
    }
}

/// `GET path` from a server on 127.0.0.1:`port`, its body parsed as JSON.
fn get_json(port: &str, path: &str) -> Result<Value, String> {
    let text = |e: std::io::Error| e.to_string();
    let mut stream =
        TcpStream::connect(("127.0.0.1", port.parse::<u16>().unwrap_or(0))).map_err(text)?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(text)?;
    let request =
        format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).map_err(text)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(text)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no header end")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let mut body = raw[split + 4..].to_vec();
    if !head.starts_with("http/1.1 200") && !head.starts_with("http/1.0 200") {
        return Err(head.lines().next().unwrap_or_default().to_string());
    }
    if head.contains("transfer-encoding: chunked") {
        body = dechunk(&body).ok_or("bad chunked body")?;
    }
    serde_json::from_slice(&body).map_err(|e| e.to_string())
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&body[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size + 2..)?;
    }
}

/// Where the harness finds its programs.
pub struct Programs {
    pub aws: PathBuf,
    pub emulator: Option<PathBuf>,
    /// `loopback-peer`, for cases with a `peer`.
    pub peer: Option<PathBuf>,
}

/// A running `loopback-peer` (a recording proxy or canned server), killed on drop.
struct Peer {
    child: Child,
    port: String,
}

impl Peer {
    fn start(binary: &Path, args: &[String]) -> Result<Peer, RunError> {
        let mut child = Command::new(binary)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| RunError::Setup(format!("cannot start {}: {e}", binary.display())))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| RunError::Setup("no loopback-peer stdout".into()))?;
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let port = line
            .trim_end()
            .strip_prefix("listening on http://127.0.0.1:")
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .map(String::from);
        let mut peer = Peer {
            child,
            port: String::new(),
        };
        peer.port = port.ok_or_else(|| {
            RunError::Setup(format!(
                "loopback-peer did not announce its address ({line:?})"
            ))
        })?;
        Ok(peer)
    }

    /// `GET /_peer/log`: the requests the peer received, as JSON.
    fn log(&self) -> Result<Value, RunError> {
        get_json(&self.port, "/_peer/log").map_err(|why| {
            RunError::Setup(format!("reading the loopback peer's request log: {why}"))
        })
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn substitute(text: &str, names: &[(&str, String)]) -> String {
    let text = names
        .iter()
        .filter(|(key, _)| !key.starts_with('_'))
        .fold(text.to_string(), |acc, (key, value)| {
            acc.replace(&format!("{{{key}}}"), value)
        });
    match names.iter().find(|(key, _)| *key == "_start") {
        Some((_, start)) => home::now_placeholders(&text, start.parse().unwrap_or(0)),
        None => text,
    }
}

/// `--debug` output reduced to the one-line records of `loggers`, without their timestamps
/// (`LOGGER - MESSAGE` per line): what a case's `stderr_loggers` compares (`record.py`'s
/// `debug_records`).
pub fn debug_records(text: &str, loggers: &[String]) -> String {
    let mut kept = String::new();
    for line in text.lines() {
        // `2026-12-02 07:01:02,345 - MainThread - LOGGER - DEBUG - MESSAGE`
        let bytes = line.as_bytes();
        let stamped = bytes.len() > 23
            && bytes[..23].iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                10 => *b == b' ',
                13 | 16 => *b == b':',
                19 => *b == b',',
                _ => b.is_ascii_digit(),
            });
        let Some(rest) = line
            .get(23..)
            .filter(|_| stamped)
            .and_then(|r| r.strip_prefix(" - MainThread - "))
        else {
            continue;
        };
        let Some((logger, message)) = rest.split_once(" - DEBUG - ") else {
            continue;
        };
        if loggers.iter().any(|l| l == logger) {
            kept.push_str(logger);
            kept.push_str(" - ");
            kept.push_str(message);
            kept.push('\n');
        }
    }
    kept
}

/// Puts run-specific text back into placeholder form (the same rules as `record.py`'s `normalise`).
pub fn normalise(bytes: &[u8], root: &str, port: Option<&str>, release: &str) -> Vec<u8> {
    let mut out = replace_bytes(bytes, root.as_bytes(), b"{tmp}");
    if let Some(port) = port {
        out = replace_bytes(
            &out,
            format!("127.0.0.1:{port}").as_bytes(),
            b"127.0.0.1:{port}",
        );
    }
    if release.len() >= 3 {
        out = replace_bytes(&out, release.as_bytes(), b"{uname-release}");
    }
    out
}

fn replace_bytes(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    if needle.is_empty() {
        return haystack.to_vec();
    }
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(needle) {
            out.extend_from_slice(with);
            i += needle.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

/// Replaces `127.0.0.1:PORT` where no further digit follows (`record.py`'s `normalise` does the same).
fn replace_port(haystack: &[u8], port: &str, with: &[u8]) -> Vec<u8> {
    let needle = format!("127.0.0.1:{port}").into_bytes();
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        let rest = &haystack[i..];
        if rest.starts_with(&needle) && !rest.get(needle.len()).is_some_and(|b| b.is_ascii_digit())
        {
            out.extend_from_slice(with);
            i += needle.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

/// The writing end of a pipe whose reading end is already closed: writes to it fail with `EPIPE`.
fn closed_pipe() -> std::io::Result<Stdio> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: pipe(2) fills two descriptors we then own; the reading end is closed at once and the
    // writing end handed to `Stdio`, which closes it.
    unsafe {
        if libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        libc::close(fds[0]);
        Ok(Stdio::from(std::os::fd::OwnedFd::from_raw_fd(fds[1])))
    }
}

/// The running kernel's release, as Python's `os.uname().release` reports it.
pub fn kernel_release() -> String {
    fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// Runs one case through our binary and returns what it did, normalised.
pub fn run_case(case: &Case, programs: &Programs, release: &str) -> Result<Outcome, RunError> {
    let setup = |e: std::io::Error| RunError::Setup(e.to_string());
    let root = TempRoot::new().map_err(setup)?;
    let home = root.0.join("home");
    let cwd = root.0.join("cwd");
    fs::create_dir_all(home.join(".aws")).map_err(setup)?;
    fs::create_dir_all(&cwd).map_err(setup)?;
    // Fixed modes, so that `home_files` cases do not depend on the test's umask (record.py does the same).
    for dir in [home.clone(), home.join(".aws")] {
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).map_err(setup)?;
    }

    let cert = root
        .0
        .join("emulator-ca.pem")
        .to_string_lossy()
        .into_owned();
    let emulator = match &case.scenario {
        None => None,
        Some(scenario) => {
            let binary = programs.emulator.as_ref().ok_or(RunError::NoEmulator)?;
            let args = scenario.emulator_args(&cert);
            let emulator = Emulator::start(binary, &args, scenario.https)?;
            emulator.set_up(&case.setup)?;
            Some(emulator)
        }
    };
    let (endpoint, port) = match &emulator {
        Some(e) => (format!("http://127.0.0.1:{}", e.port), e.port.clone()),
        None => (DEAD_ENDPOINT.to_string(), "9".to_string()),
    };
    let https_port = emulator
        .as_ref()
        .and_then(|e| e.https_port.clone())
        .unwrap_or_else(|| "9".to_string());
    let peer = match &case.peer {
        None => None,
        Some(args) => {
            let binary = programs.peer.as_ref().ok_or(RunError::NoPeer)?;
            Some(Peer::start(binary, args)?)
        }
    };
    let peer_port = peer
        .as_ref()
        .map(|p| p.port.clone())
        .unwrap_or_else(|| "9".to_string());
    let root_text = root.0.to_string_lossy().into_owned();
    let start = home::now();
    let names = [
        ("endpoint", endpoint),
        ("https_endpoint", format!("https://127.0.0.1:{https_port}")),
        ("port", port.clone()),
        ("https_port", https_port),
        ("cert", cert),
        ("tmp", root_text.clone()),
        ("home", home.to_string_lossy().into_owned()),
        ("cwd", cwd.to_string_lossy().into_owned()),
        ("peer", format!("http://127.0.0.1:{peer_port}")),
        ("peer_port", peer_port.clone()),
        ("_start", start.to_string()),
    ];

    for (rel, content) in &case.files {
        let (path, in_home) = home::file_path(rel, &cwd, &home);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(setup)?;
        }
        fs::write(&path, substitute(content, &names)).map_err(setup)?;
        if in_home {
            home::set_home_file_mode(&path).map_err(setup)?;
        }
    }
    for (name, content) in [("config", &case.config), ("credentials", &case.credentials)] {
        if let Some(content) = content {
            let path = home.join(".aws").join(name);
            fs::write(&path, substitute(content, &names)).map_err(setup)?;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).map_err(setup)?;
        }
    }

    let program = if case.program == "aws" {
        programs.aws.clone()
    } else {
        programs.aws.with_file_name(&case.program)
    };
    let mut command = Command::new(program);
    // SAFETY: umask(2) is async-signal-safe and touches no memory; record.py runs with the same umask.
    unsafe {
        command.pre_exec(|| {
            libc::umask(0o022);
            Ok(())
        });
    }
    command
        .args(case.argv.iter().map(|a| substitute(a, &names)))
        .current_dir(&cwd)
        .env_clear()
        .env("PATH", STANDARD_PATH)
        .env("HOME", &home)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env(
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
        .env("AWS_DEFAULT_REGION", "us-west-2")
        .env("LC_ALL", "C.UTF-8");
    for (key, value) in &case.env {
        match value {
            Some(value) => command.env(key, substitute(value, &names)),
            None => command.env_remove(key),
        };
    }
    let stdin = case
        .stdin
        .as_deref()
        .map(|s| substitute(s, &names))
        .unwrap_or_default();
    let mut terminal = match &case.terminal {
        Some(_) => {
            let pty = home::Terminal::open().map_err(setup)?;
            pty.attach(&mut command);
            Some(pty)
        }
        None => {
            home::detach(&mut command);
            None
        }
    };
    let typed = case
        .terminal
        .as_deref()
        .map(|t| substitute(t, &names))
        .unwrap_or_default();
    let interrupt = case.interrupt.then_some(()).and(peer.as_ref());
    let (status, stdout, stderr, shown) = run_with_timeout(
        command,
        stdin.into_bytes(),
        case.timeout,
        RunExtras {
            stdout_closed: case.stdout_closed,
            interrupt,
            terminal: terminal.as_mut().map(|t| (t, typed.into_bytes())),
        },
    )?;

    let requests = match &emulator {
        Some(e) => Some(home::normalise_json_times(&e.requests()?, start)),
        None => None,
    };
    let norm_port = emulator.as_ref().map(|_| port.as_str());
    let norm_https = emulator.as_ref().and_then(|e| e.https_port.as_deref());
    let norm_peer = peer.as_ref().map(|p| p.port.as_str());
    // The HTTPS and peer ports first, and only where no digit follows, so no port can eat into another.
    let norm = |bytes: &[u8]| {
        let mut bytes = match norm_https {
            Some(p) => replace_port(bytes, p, b"127.0.0.1:{https_port}"),
            None => bytes.to_vec(),
        };
        if let Some(p) = norm_peer {
            bytes = replace_port(&bytes, p, b"127.0.0.1:{peer_port}");
        }
        normalise(&bytes, &root_text, norm_port, release)
    };
    // Requests may carry the peer's or the HTTPS server's address as a parameter value (a URL that was not
    // fetched): those two ports are put back into placeholder form, as `record.py` does.
    let requests = match requests {
        Some(value) if norm_peer.is_some() || norm_https.is_some() => {
            let mut bytes = serde_json::to_vec(&value).unwrap_or_default();
            if let Some(p) = norm_https {
                bytes = replace_port(&bytes, p, b"127.0.0.1:{https_port}");
            }
            if let Some(p) = norm_peer {
                bytes = replace_port(&bytes, p, b"127.0.0.1:{peer_port}");
            }
            Some(serde_json::from_slice(&bytes).map_err(|e| RunError::Setup(e.to_string()))?)
        }
        other => other,
    };
    let peer_requests = match &peer {
        Some(p) => {
            let log = serde_json::to_vec(&p.log()?).unwrap_or_default();
            Some(serde_json::from_slice(&norm(&log)).map_err(|e| RunError::Setup(e.to_string()))?)
        }
        None => None,
    };
    let home_entries = if case.home_files {
        Some(home_snapshot(&home, &root_text, release).map_err(setup)?)
    } else {
        None
    };
    let later =
        |text: &str| home::normalise_times(&String::from_utf8_lossy(&norm(text.as_bytes())), start);
    let files = (!case.compare_files.is_empty())
        .then(|| home::collect_files(&home, &case.compare_files, &later));
    Ok(Outcome {
        stdout: norm(&stdout),
        stderr: if case.stderr_loggers.is_empty() {
            norm(&stderr)
        } else {
            norm(debug_records(&String::from_utf8_lossy(&stderr), &case.stderr_loggers).as_bytes())
        },
        exit_code: status,
        requests,
        peer_requests,
        home: home_entries,
        files,
        terminal: shown.map(|bytes| later(&String::from_utf8_lossy(&bytes)).into_bytes()),
    })
}

/// Every directory and file under `home` after the run (`record.py`'s `home_snapshot`): relative path to
/// its permission bits in octal and, for a file, its content normalised like stdout (`content`, or
/// `content_base64` when it is not UTF-8).
fn home_snapshot(home: &Path, root: &str, release: &str) -> std::io::Result<Value> {
    fn walk(dir: &Path, home: &Path, out: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let path = entry?.path();
            let rel = path
                .strip_prefix(home)
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned();
            out.push((rel, path.clone()));
            if fs::symlink_metadata(&path)?.is_dir() {
                walk(&path, home, out)?;
            }
        }
        Ok(())
    }
    let mut entries = Vec::new();
    walk(home, home, &mut entries)?;
    entries.sort();
    let mut map = serde_json::Map::new();
    for (rel, path) in entries {
        let meta = fs::symlink_metadata(&path)?;
        let mut entry = serde_json::Map::new();
        entry.insert(
            "mode".into(),
            Value::String(format!("{:o}", meta.permissions().mode() & 0o7777)),
        );
        if meta.is_dir() {
            entry.insert("type".into(), Value::String("dir".into()));
        } else {
            let content = normalise(&fs::read(&path)?, root, None, release);
            match String::from_utf8(content) {
                Ok(text) => entry.insert("content".into(), Value::String(text)),
                Err(e) => entry.insert(
                    "content_base64".into(),
                    Value::String(encode_base64(e.as_bytes())),
                ),
            };
        }
        map.insert(rel, Value::Object(entry));
    }
    Ok(Value::Object(map))
}

fn encode_base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// What a run returns: exit code, stdout, stderr, and what was written to its terminal (if it had one).
type RunOutput = (i64, Vec<u8>, Vec<u8>, Option<Vec<u8>>);

/// What a case adds to a plain run: a standard output whose reading end is already closed, SIGINT once
/// the peer has received a request, a pseudo-terminal with the text to type on it at the first prompt.
struct RunExtras<'a> {
    stdout_closed: bool,
    interrupt: Option<&'a Peer>,
    terminal: Option<(&'a mut home::Terminal, Vec<u8>)>,
}

/// Runs a command to completion or kills it at the deadline; returns (exit code, stdout, stderr, terminal
/// output). A death by signal N is reported as -N, as Python's `returncode` does. See [`RunExtras`] for
/// a closed stdout, a Ctrl-C once the peer is reached, and a terminal to type on (`record.py`'s
/// `run_process` and `extras.run_with_terminal` do the same).
fn run_with_timeout(
    mut command: Command,
    stdin: Vec<u8>,
    timeout: Duration,
    extras: RunExtras<'_>,
) -> Result<RunOutput, RunError> {
    let stdout = if extras.stdout_closed {
        closed_pipe().map_err(|e| RunError::Setup(format!("cannot make a pipe: {e}")))?
    } else {
        Stdio::piped()
    };
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| RunError::Setup(format!("cannot start our aws: {e}")))?;
    // `command` holds the pipe's writing end until it is dropped: drop it so only the child has it.
    drop(command);
    let mut input = child.stdin.take();
    let feeder = thread::spawn(move || {
        if let Some(pipe) = input.as_mut() {
            let _ = pipe.write_all(&stdin);
        }
    });
    let collect = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = collect(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = collect(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + timeout;
    if let Some(peer) = extras.interrupt {
        while peer
            .log()
            .ok()
            .and_then(|log| log.as_array().map(Vec::is_empty))
            .unwrap_or(true)
            && Instant::now() < deadline
            && matches!(child.try_wait(), Ok(None))
        {
            thread::sleep(Duration::from_millis(20));
        }
        // SAFETY: kill(2) with the pid of a child we have not reaped yet.
        unsafe {
            libc::kill(child.id() as libc::pid_t, libc::SIGINT);
        }
    }
    let mut shown = None;
    let status = if let Some((pty, typed)) = extras.terminal {
        match pty.converse(&mut child, &typed, deadline) {
            Ok((bytes, status)) => {
                shown = Some(bytes);
                status
            }
            Err(why) if why == "timed out" => return Err(RunError::TimedOut(timeout)),
            Err(why) => return Err(RunError::Setup(why)),
        }
    } else {
        loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() >= deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(RunError::TimedOut(timeout));
                }
                Ok(None) => thread::sleep(Duration::from_millis(5)),
                Err(e) => return Err(RunError::Setup(e.to_string())),
            }
        }
    };
    let _ = feeder.join();
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let code = status
        .code()
        .map(i64::from)
        .or_else(|| status.signal().map(|s| -i64::from(s)))
        .unwrap_or(-1);
    Ok((code, stdout, stderr, shown))
}
