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
use std::os::unix::process::ExitStatusExt;
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
    Setup(String),
    TimedOut(Duration),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::NoEmulator => write!(f, "not run (no emulator)"),
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
            fs::write(home.join(".aws").join(name), substitute(content, &names)).map_err(setup)?;
        }
    }

    let mut command = Command::new(&programs.aws);
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
    let (status, stdout, stderr, shown) = run_with_timeout(
        command,
        stdin.into_bytes(),
        case.timeout,
        terminal.as_mut().map(|t| (t, typed.into_bytes())),
    )?;

    let requests = match &emulator {
        Some(e) => Some(home::normalise_json_times(&e.requests()?, start)),
        None => None,
    };
    let norm_port = emulator.as_ref().map(|_| port.as_str());
    let norm_https = emulator.as_ref().and_then(|e| e.https_port.as_deref());
    // The HTTPS port first, and only where no digit follows, so neither port can eat into the other.
    let norm = |bytes: &[u8]| {
        let bytes = match norm_https {
            Some(p) => replace_port(bytes, p, b"127.0.0.1:{https_port}"),
            None => bytes.to_vec(),
        };
        normalise(&bytes, &root_text, norm_port, release)
    };
    let later =
        |text: &str| home::normalise_times(&String::from_utf8_lossy(&norm(text.as_bytes())), start);
    let files = (!case.compare_files.is_empty())
        .then(|| home::collect_files(&home, &case.compare_files, &later));
    Ok(Outcome {
        stdout: norm(&stdout),
        stderr: norm(&stderr),
        exit_code: status,
        requests,
        files,
        terminal: shown.map(|bytes| later(&String::from_utf8_lossy(&bytes)).into_bytes()),
    })
}

/// What a run returns: exit code, stdout, stderr, and what was written to its terminal (if it had one).
type RunOutput = (i64, Vec<u8>, Vec<u8>, Option<Vec<u8>>);

/// Runs a command to completion or kills it at the deadline; returns (exit code, stdout, stderr, terminal
/// output). A death by signal N is reported as -N, as Python's `returncode` does. With a terminal, the
/// text is typed on it at the first prompt.
fn run_with_timeout(
    mut command: Command,
    stdin: Vec<u8>,
    timeout: Duration,
    terminal: Option<(&mut home::Terminal, Vec<u8>)>,
) -> Result<RunOutput, RunError> {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| RunError::Setup(format!("cannot start our aws: {e}")))?;
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
    let mut shown = None;
    let status = if let Some((pty, typed)) = terminal {
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
