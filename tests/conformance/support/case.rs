//! Loading the conformance cases and their recorded expectations.
//!
//! A group file `tests/conformance/cases/<group>.json` holds `{"defaults": {...}, "cases": [...]}`; each case is
//! the defaults overlaid by the case's own fields (the `env` maps are merged). The format is documented in
//! `tests/conformance/README.md`; `record.py` reads the same files and applies the same rules, including the
//! refusal of any case that names no loopback endpoint or names a non-loopback one.

use serde_json::{Map, Value};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The endpoint of cases that start no emulator: nothing listens there.
pub const DEAD_ENDPOINT: &str = "http://127.0.0.1:9";
const DEFAULT_TIMEOUT_SECS: u64 = 60;
const CASE_FIELDS: &[&str] = &[
    "id",
    "note",
    "argv",
    "env",
    "config",
    "credentials",
    "files",
    "stdin",
    "scenario",
    "ignore",
    "timeout",
    "deviation",
    "program",
    "home_files",
    "compare_files",
    "terminal",
    "setup",
    "peer",
    "stdout_closed",
    "interrupt",
    "stderr_loggers",
];
const PEER_FIELDS: &[&str] = &["mode", "status", "headers", "body"];
const PEER_MODES: &[&str] = &["proxy", "reply", "close", "garbage", "hang"];
/// Programs a case may run instead of `aws` (`program`); ours sit beside our `aws`.
pub const PROGRAMS: &[&str] = &["aws", "aws_completer"];
const SCENARIO_FIELDS: &[&str] = &[
    "instances",
    "snapshots",
    "faults",
    "allow_unsigned",
    "snapshot_delay",
    "page_size",
    "region",
    "access_keys",
    "https",
    "delays",
    "identity",
];

/// One conformance case, identified as `group/id`.
#[derive(Debug, Clone)]
pub struct Case {
    pub group: String,
    pub id: String,
    pub argv: Vec<String>,
    /// Variables to add (`Some`) or to remove from the base environment (`None`).
    pub env: Vec<(String, Option<String>)>,
    pub config: Option<String>,
    pub credentials: Option<String>,
    /// Files created in the case's working directory: (relative path, content).
    pub files: Vec<(String, String)>,
    pub stdin: Option<String>,
    pub scenario: Option<Scenario>,
    /// Result fields not compared: any of `stdout`, `stderr`, `exit_code`, `requests`.
    pub ignore: Vec<String>,
    /// `--debug` loggers whose one-line records are all of stderr that is compared, without their
    /// timestamps (empty: stderr is compared whole).
    pub stderr_loggers: Vec<String>,
    pub timeout: Duration,
    /// HOME-relative paths (`~/...`, files or directories) whose files are compared after the run.
    pub compare_files: Vec<String>,
    /// Text typed on a pseudo-terminal that is the run's controlling terminal (absent: no terminal).
    pub terminal: Option<String>,
    /// Steps run on the emulator before the case, not journaled: `{"op": OPERATION, "body": {...},
    /// "region": R}` through `POST /_emulator/call`, `{"advance": SECONDS}` through
    /// `POST /_emulator/clock`. Only with a scenario.
    pub setup: Vec<SetupStep>,
    /// A documented deviation (docs/deviations.md) that the replay applies to OUR output before
    /// comparing: `{"why": ..., "stdout_replace": [[ours, reference], ...]}` replaces text in our stdout;
    /// `{"why": ..., "stdout_file": path}` compares our stdout with a file recorded from a patched
    /// reference (relative to the repository root) instead of the reference's own stdout.
    pub deviation: Option<Deviation>,
    /// A `loopback-peer` to start (a recording proxy or canned server at `{peer}`), as its arguments.
    pub peer: Option<Vec<String>>,
    /// Run with a standard output whose reading end is already closed (`| head` that has gone away).
    pub stdout_closed: bool,
    /// Send SIGINT (Ctrl-C) once the peer has received its first request.
    pub interrupt: bool,
    /// The program run: `aws` (the default) or `aws_completer`, found beside `aws`.
    pub program: String,
    /// Whether every file and directory under `$HOME` (mode and content) is compared after the run.
    pub home_files: bool,
}

/// One set-up step (see [`Case::setup`]).
#[derive(Debug, Clone, PartialEq)]
pub enum SetupStep {
    /// An operation run as the emulator's default account (and its default region, or `region`).
    Call {
        operation: String,
        body: Value,
        region: Option<String>,
    },
    /// Seconds the emulator clock moves forward.
    Advance(f64),
}

impl SetupStep {
    /// The admin request that runs this step: (path, JSON body). `record.py` sends the same.
    pub fn request(&self) -> (&'static str, String) {
        match self {
            SetupStep::Advance(seconds) => (
                "/_emulator/clock",
                serde_json::json!({ "advance": seconds }).to_string(),
            ),
            SetupStep::Call {
                operation,
                body,
                region,
            } => {
                let mut call = serde_json::json!({"target": operation, "body": body});
                if let Some(region) = region {
                    call["region"] = Value::String(region.clone());
                }
                ("/_emulator/call", call.to_string())
            }
        }
    }
}

/// How a documented deviation is compared.
#[derive(Debug, Clone)]
pub struct Deviation {
    pub stdout_replace: Vec<(String, String)>,
    pub stdout_file: Option<String>,
}

/// The emulator's starting state and faults for one case.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub instances: Vec<String>,
    /// `INSTANCE:NAME` snapshots the emulator creates at start.
    pub snapshots: Vec<String>,
    pub faults: Vec<String>,
    /// `ID:SECRET` pairs that may sign requests (absent: the emulator's default example key).
    pub access_keys: Vec<String>,
    /// The region the emulator serves (absent: its default, us-west-2).
    pub region: Option<String>,
    pub allow_unsigned: bool,
    /// Kept as JSON text so it reaches the emulator exactly as Python's `str()` writes it.
    pub snapshot_delay: Option<String>,
    /// Items per page of the emulator's list operations (absent: everything on one page).
    pub page_size: Option<u64>,
    /// Also serve HTTPS (`--https-port 0`), its CA certificate written to `{cert}`.
    pub https: bool,
    /// Lifecycle delays: `(key, seconds)`, key `default` for every other lifecycle (`--delay`).
    pub delays: Vec<(String, String)>,
    /// The identity services' settings (`--identity`), as compact JSON.
    pub identity: Option<String>,
    /// Further emulator flags, set by tests that reuse the harness (never read from a case file).
    pub extra_args: Vec<String>,
}

impl Scenario {
    /// The emulator's command-line arguments (`record.py`'s `emulator_args` builds the same list);
    /// `cert` is where an HTTPS scenario's CA certificate goes (the `{cert}` placeholder).
    pub fn emulator_args(&self, cert: &str) -> Vec<String> {
        let mut args: Vec<String> = ["--port", "0", "--deterministic"]
            .map(String::from)
            .to_vec();
        for name in &self.instances {
            args.extend(["--instance".to_string(), name.clone()]);
        }
        for pair in &self.snapshots {
            args.extend(["--snapshot".to_string(), pair.clone()]);
        }
        for fault in &self.faults {
            args.extend(["--fault".to_string(), fault.clone()]);
        }
        for pair in &self.access_keys {
            args.extend(["--access-key".to_string(), pair.clone()]);
        }
        if let Some(region) = &self.region {
            args.extend(["--region".to_string(), region.clone()]);
        }
        if self.allow_unsigned {
            args.push("--allow-unsigned".to_string());
        }
        if let Some(delay) = &self.snapshot_delay {
            args.extend(["--snapshot-delay".to_string(), delay.clone()]);
        }
        if let Some(size) = self.page_size {
            args.extend(["--page-size".to_string(), size.to_string()]);
        }
        for (key, seconds) in &self.delays {
            let value = if key == "default" {
                seconds.clone()
            } else {
                format!("{key}={seconds}")
            };
            args.extend(["--delay".to_string(), value]);
        }
        if self.https {
            args.extend(["--https-port", "0", "--cert-out", cert].map(String::from));
        }
        if let Some(identity) = &self.identity {
            args.extend(["--identity".to_string(), identity.clone()]);
        }
        args.extend(self.extra_args.iter().cloned());
        args
    }
}

impl Case {
    pub fn key(&self) -> String {
        format!("{}/{}", self.group, self.id)
    }

    pub fn compares(&self, field: &str) -> bool {
        !self.ignore.iter().any(|f| f == field)
    }
}

/// What the reference did, as recorded in `expected/<group>/<id>.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub exit_code: i64,
    /// The emulator's request log; `None` when the case starts no emulator.
    pub requests: Option<Value>,
    /// The loopback peer's request log; `None` when the case starts no peer.
    pub peer_requests: Option<Value>,
    /// `home_files` cases: every entry under `$HOME` after the run (`{path: {"mode", "content"|"type"}}`).
    pub home: Option<Value>,
    /// The files under `compare_files` after the run (`{"~/path": {"mode", "content"}}`), when compared.
    pub files: Option<Value>,
    /// What the program wrote to its terminal, for cases with `terminal`.
    pub terminal: Option<Vec<u8>>,
}

/// Every case of every group, in file then list order.
pub fn load_all(cases_dir: &Path) -> Result<Vec<Case>, String> {
    let mut paths: Vec<PathBuf> = fs::read_dir(cases_dir)
        .map_err(|e| format!("{}: {e}", cases_dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let mut all = Vec::new();
    for path in paths {
        let group = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let data: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let empty = Map::new();
        let defaults = data
            .get("defaults")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let cases = data
            .get("cases")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("{}: no \"cases\" list", path.display()))?;
        let mut seen = std::collections::HashSet::new();
        for raw in cases {
            let raw = raw
                .as_object()
                .ok_or_else(|| format!("{group}: a case is not an object"))?;
            let case = parse_case(&group, defaults, raw)?;
            if !seen.insert(case.id.clone()) {
                return Err(format!("{}: duplicate id", case.key()));
            }
            if let Some(problem) = endpoint_problem(&case) {
                return Err(format!("{}: refusing to run: {problem}", case.key()));
            }
            all.push(case);
        }
    }
    Ok(all)
}

fn parse_case(
    group: &str,
    defaults: &Map<String, Value>,
    raw: &Map<String, Value>,
) -> Result<Case, String> {
    let mut merged = defaults.clone();
    for (k, v) in raw {
        merged.insert(k.clone(), v.clone());
    }
    let mut env_map = defaults
        .get("env")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(own) = raw.get("env").and_then(Value::as_object) {
        for (k, v) in own {
            env_map.insert(k.clone(), v.clone());
        }
    }
    let id = merged
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let where_ = format!("{group}/{id}");
    if let Some(unknown) = merged.keys().find(|k| !CASE_FIELDS.contains(&k.as_str())) {
        return Err(format!("{where_}: unknown case field {unknown:?}"));
    }
    let strings = |v: Option<&Value>| -> Result<Vec<String>, String> {
        match v {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(String::from)
                        .ok_or_else(|| format!("{where_}: expected strings"))
                })
                .collect(),
            Some(_) => Err(format!("{where_}: expected a list of strings")),
        }
    };
    let text = |name: &str| merged.get(name).and_then(Value::as_str).map(String::from);
    let env = env_map
        .into_iter()
        .map(|(k, v)| (k, v.as_str().map(String::from)))
        .collect();
    let files = merged
        .get("files")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let scenario = match merged.get("scenario") {
        None | Some(Value::Null) => None,
        Some(Value::Object(s)) => {
            if let Some(unknown) = s.keys().find(|k| !SCENARIO_FIELDS.contains(&k.as_str())) {
                return Err(format!("{where_}: unknown scenario field {unknown:?}"));
            }
            Some(Scenario {
                instances: match s.get("instances") {
                    None => vec!["WordPress-1".to_string()],
                    v => strings(v)?,
                },
                snapshots: strings(s.get("snapshots"))?,
                faults: strings(s.get("faults"))?,
                access_keys: strings(s.get("access_keys"))?,
                region: s.get("region").and_then(Value::as_str).map(String::from),
                allow_unsigned: s
                    .get("allow_unsigned")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                snapshot_delay: s
                    .get("snapshot_delay")
                    .filter(|v| !v.is_null())
                    .map(Value::to_string),
                page_size: s.get("page_size").and_then(Value::as_u64),
                https: s.get("https").and_then(Value::as_bool).unwrap_or(false),
                delays: match s.get("delays") {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::Object(delays)) => delays
                        .iter()
                        .map(|(key, seconds)| match seconds {
                            Value::Number(_) => Ok((key.clone(), seconds.to_string())),
                            _ => Err(format!("{where_}: delays are numbers of seconds")),
                        })
                        .collect::<Result<_, _>>()?,
                    Some(_) => return Err(format!("{where_}: delays must be an object")),
                },
                identity: match s.get("identity") {
                    None | Some(Value::Null) => None,
                    Some(v @ Value::Object(_)) => Some(v.to_string()),
                    Some(_) => return Err(format!("{where_}: identity must be an object")),
                },
                extra_args: Vec::new(),
            })
        }
        Some(_) => return Err(format!("{where_}: scenario must be an object or null")),
    };
    let peer = match merged.get("peer") {
        None | Some(Value::Null) => None,
        Some(Value::Object(p)) => Some(peer_args(p).map_err(|e| format!("{where_}: {e}"))?),
        Some(_) => return Err(format!("{where_}: peer must be an object")),
    };
    let flag = |name: &str| merged.get(name).and_then(Value::as_bool).unwrap_or(false);
    if flag("interrupt") && peer.is_none() {
        return Err(format!(
            "{where_}: interrupt needs a peer (the signal is sent once the peer has received a request)"
        ));
    }
    let program = text("program").unwrap_or_else(|| "aws".to_string());
    if !PROGRAMS.contains(&program.as_str()) {
        return Err(format!("{where_}: program must be one of {PROGRAMS:?}"));
    }
    Ok(Case {
        program,
        home_files: merged
            .get("home_files")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        group: group.to_string(),
        id,
        argv: strings(merged.get("argv"))?,
        env,
        config: text("config"),
        credentials: text("credentials"),
        files,
        stdin: text("stdin"),
        scenario,
        ignore: strings(merged.get("ignore"))?,
        stderr_loggers: strings(merged.get("stderr_loggers"))?,
        setup: parse_setup(&where_, merged.get("setup"), merged.get("scenario"))?,
        deviation: match merged.get("deviation") {
            None | Some(Value::Null) => None,
            Some(Value::Object(d)) => Some(Deviation {
                stdout_replace: d
                    .get("stdout_replace")
                    .and_then(Value::as_array)
                    .map(|pairs| {
                        pairs
                            .iter()
                            .filter_map(|p| {
                                let p = p.as_array()?;
                                Some((
                                    p.first()?.as_str()?.to_string(),
                                    p.get(1)?.as_str()?.to_string(),
                                ))
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                stdout_file: d
                    .get("stdout_file")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            }),
            Some(_) => return Err(format!("{where_}: deviation must be an object")),
        },
        peer,
        stdout_closed: flag("stdout_closed"),
        interrupt: flag("interrupt"),
        timeout: Duration::from_secs(
            merged
                .get("timeout")
                .and_then(Value::as_u64)
                .unwrap_or(DEFAULT_TIMEOUT_SECS),
        ),
        compare_files: strings(merged.get("compare_files"))?,
        terminal: text("terminal"),
    })
}

fn parse_setup(
    where_: &str,
    setup: Option<&Value>,
    scenario: Option<&Value>,
) -> Result<Vec<SetupStep>, String> {
    let steps = match setup {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(steps)) => steps,
        Some(_) => return Err(format!("{where_}: setup must be a list of steps")),
    };
    if scenario.is_none_or(Value::is_null) {
        return Err(format!("{where_}: setup needs a scenario (an emulator)"));
    }
    steps
        .iter()
        .map(|step| {
            let object = step
                .as_object()
                .ok_or_else(|| format!("{where_}: a setup step is an object"))?;
            if let Some(seconds) = object.get("advance") {
                return match seconds.as_f64() {
                    Some(s) if s >= 0.0 && object.len() == 1 => Ok(SetupStep::Advance(s)),
                    _ => Err(format!(
                        "{where_}: {{\"advance\": SECONDS}} takes a number of seconds, 0 or more"
                    )),
                };
            }
            if let Some(unknown) = object
                .keys()
                .find(|k| !["op", "body", "region"].contains(&k.as_str()))
            {
                return Err(format!("{where_}: unknown setup field {unknown:?}"));
            }
            let operation = object
                .get("op")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{where_}: a setup step needs \"op\" or \"advance\""))?;
            let body = match object.get("body") {
                None => Value::Object(Map::new()),
                Some(body @ Value::Object(_)) => body.clone(),
                Some(_) => return Err(format!("{where_}: a setup body is an object")),
            };
            Ok(SetupStep::Call {
                operation: operation.to_string(),
                body,
                region: object
                    .get("region")
                    .and_then(Value::as_str)
                    .map(String::from),
            })
        })
        .collect()
}

/// The loopback peer's command line for a case's `peer` object (`record.py`'s `peer_args` builds the same).
fn peer_args(peer: &Map<String, Value>) -> Result<Vec<String>, String> {
    if let Some(unknown) = peer.keys().find(|k| !PEER_FIELDS.contains(&k.as_str())) {
        return Err(format!("unknown peer field {unknown:?}"));
    }
    let mode = peer.get("mode").and_then(Value::as_str).unwrap_or("proxy");
    if !PEER_MODES.contains(&mode) {
        return Err(format!("unknown peer mode {mode:?}"));
    }
    let mut args = vec!["--mode".to_string(), mode.to_string()];
    if let Some(status) = peer.get("status").filter(|v| !v.is_null()) {
        args.extend(["--status".to_string(), status.to_string()]);
    }
    for header in peer
        .get("headers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let header = header.as_str().ok_or("peer headers are strings")?;
        args.extend(["--header".to_string(), header.to_string()]);
    }
    if let Some(body) = peer.get("body").and_then(Value::as_str) {
        args.extend(["--body".to_string(), body.to_string()]);
    }
    Ok(args)
}

/// The URL a placeholder-bearing URL stands for (ports as nothing listens).
fn concrete_url(url: &str) -> String {
    url.replace("{endpoint}", DEAD_ENDPOINT)
        .replace("{https_endpoint}", "https://127.0.0.1:9")
        .replace("{peer}", DEAD_ENDPOINT)
        .replace("{port}", "9")
        .replace("{https_port}", "9")
        .replace("{peer_port}", "9")
}

/// Whether every https request of the case goes to a loopback proxy (the peer): the proxy urllib picks (the
/// lower-case variable wins, an empty one unsets it) is loopback and no `NO_PROXY` can bypass it. Such a case
/// may leave the endpoint to the CLI's own resolution (`record.py`'s `proxies_everything`).
fn proxies_everything(case: &Case) -> bool {
    let get = |name: &str| {
        case.env
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    };
    if case.peer.is_none() || get("NO_PROXY").is_some() || get("no_proxy").is_some() {
        return false;
    }
    let proxy = get("https_proxy").or_else(|| get("HTTPS_PROXY"));
    proxy.is_some_and(|p| !p.is_empty() && is_loopback_url(&concrete_url(p)))
}

/// Why a case could reach a non-loopback address; `None` when every endpoint it names is loopback (or every
/// request goes through the loopback peer as a proxy).
pub fn endpoint_problem(case: &Case) -> Option<String> {
    let mut endpoints = Vec::new();
    for (i, arg) in case.argv.iter().enumerate() {
        if arg == "--endpoint-url" {
            if let Some(value) = case.argv.get(i + 1) {
                endpoints.push(value.clone());
            }
        } else if let Some(value) = arg.strip_prefix("--endpoint-url=") {
            endpoints.push(value.to_string());
        }
    }
    for (name, value) in &case.env {
        if let (true, Some(value)) = (name.starts_with("AWS_ENDPOINT_URL"), value) {
            endpoints.push(value.clone());
        }
    }
    for text in [&case.config, &case.credentials].into_iter().flatten() {
        for line in text.lines() {
            let line = line.trim_start();
            if let Some(rest) = line.strip_prefix("endpoint_url") {
                if let Some(value) = rest.trim_start().strip_prefix('=') {
                    endpoints.push(
                        value
                            .split_whitespace()
                            .next()
                            .unwrap_or_default()
                            .to_string(),
                    );
                }
            }
        }
    }
    // Parameter values that are URLs are fetched (without any proxy): they must be loopback too.
    let url_values = case
        .argv
        .iter()
        .filter(|a| a.starts_with("http://") || a.starts_with("https://"));
    let named = !endpoints.is_empty();
    endpoints.extend(url_values.cloned());
    if let Some(bad) = endpoints
        .iter()
        .map(|e| concrete_url(e))
        .find(|e| !is_loopback_url(e))
    {
        return Some(format!("non-loopback endpoint {bad:?}"));
    }
    if !named && !proxies_everything(case) {
        return Some(
            "no loopback --endpoint-url or AWS_ENDPOINT_URL (nor an https proxy on the loopback peer)"
                .to_string(),
        );
    }
    None
}

/// Whether a URL can only lead to this machine: its host is `127.x.x.x`, `localhost` or `[::1]` (an
/// unclosed `[::1` too, which the CLI rejects), whatever its scheme (optional) and port (a bad scheme or port is
/// rejected before any connection), and no `@` anywhere (no user-info tricks). `record.py`'s `LOOPBACK`.
fn is_loopback_url(url: &str) -> bool {
    if url.contains('@') {
        return false;
    }
    let rest = match url.split_once("://") {
        Some((scheme, rest))
            if scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+.-".contains(&b)) =>
        {
            rest
        }
        Some(_) => return false,
        None => url,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.starts_with("[::1") {
        let after = authority.strip_prefix("[::1]").unwrap_or("");
        return after.is_empty() || after.starts_with(':') || authority == "[::1";
    }
    let host = authority.split(':').next().unwrap_or_default();
    let octets: Vec<&str> = host.split('.').collect();
    host == "localhost"
        || (octets.len() == 4
            && octets[0] == "127"
            && octets
                .iter()
                .all(|o| !o.is_empty() && o.bytes().all(|b| b.is_ascii_digit())))
}

/// The recorded expectation of a case, or `None` when it has not been recorded yet.
pub fn load_expected(expected_dir: &Path, case: &Case) -> Result<Option<Outcome>, String> {
    let path = expected_dir
        .join(&case.group)
        .join(format!("{}.json", case.id));
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let data: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let bytes = |field: &str| -> Result<Vec<u8>, String> {
        if !case.compares(field) {
            return Ok(Vec::new());
        }
        if let Some(s) = data.get(field).and_then(Value::as_str) {
            return Ok(s.as_bytes().to_vec());
        }
        match data.get(format!("{field}_base64")).and_then(Value::as_str) {
            Some(b64) => decode_base64(b64)
                .ok_or_else(|| format!("{}: bad base64 in {field}", path.display())),
            None => Err(format!("{}: no {field}", path.display())),
        }
    };
    Ok(Some(Outcome {
        stdout: bytes("stdout")?,
        stderr: bytes("stderr")?,
        exit_code: match data.get("exit_code").and_then(Value::as_i64) {
            Some(code) => code,
            None if !case.compares("exit_code") => 0,
            None => return Err(format!("{}: no exit_code", path.display())),
        },
        requests: data.get("requests").filter(|v| !v.is_null()).cloned(),
        peer_requests: data.get("peer_requests").filter(|v| !v.is_null()).cloned(),
        home: data.get("home").filter(|v| !v.is_null()).cloned(),
        files: data.get("files").filter(|v| !v.is_null()).cloned(),
        terminal: data
            .get("terminal")
            .and_then(Value::as_str)
            .map(|t| t.as_bytes().to_vec()),
    }))
}

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for b in text.bytes().filter(|b| *b != b'=') {
        let v = ALPHABET.iter().position(|a| *a == b)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}
