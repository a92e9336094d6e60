//! Replays every case recorded from the reference by `tests/record/call.py` (tests/data/call/*.json)
//! through `config::resolve`, `call::Client::new` and `Client::call`, against a loopback server that gives
//! the same scripted answers, and compares: the exit code and stderr of failures, which profile and
//! credentials were used, and the requests themselves (header names and order, signed-header set, body,
//! and the reference's own signature recomputed by our signer).

use lightsail_cli::call::{self, sigv4, Client};
use lightsail_cli::cli::errors::CliError;
use lightsail_cli::config::{self, GlobalArgs};
use lightsail_cli::model;
use lightsail_cli::python::value::{Map, Value};
use serde_json::Value as Json;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Cases whose reference output depends on Python internals we do not reproduce byte for byte.
const NOT_COMPARED: &[(&str, &str)] = &[
    (
        "debug_ok",
        "--debug lines are checked for shape only (see debug_log_has_the_main_steps)",
    ),
    ("err_tls_to_plain_server", "OpenSSL's own error text"),
    (
        "err_tls_no_verify_to_plain_server",
        "OpenSSL's own error text",
    ),
    (
        "err_credential_process_not_json",
        "Python json.loads message: needs crate::python::json_decode",
    ),
];

#[derive(Debug, Clone)]
struct Captured {
    request_line: String,
    headers: Vec<(String, String)>,
    body: String,
}

/// A loopback server answering each connection with the next scripted step (the last one repeats).
struct Server {
    port: u16,
    requests: Arc<Mutex<Vec<Captured>>>,
}

impl Server {
    fn start(script: Vec<Json>, tls: bool) -> Server {
        let tls_config = tls.then(server_tls_config);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("addr").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for (i, conn) in listener.incoming().enumerate() {
                let Ok(conn) = conn else { break };
                let step = script
                    .get(i.min(script.len().saturating_sub(1)))
                    .cloned()
                    .unwrap_or(Json::Null);
                match &tls_config {
                    None => {
                        let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
                        if let Some(stream) = serve_one(conn, &step, &seen) {
                            held.push(stream);
                        }
                    }
                    Some(config) => {
                        // Like the recorder, a failed handshake records nothing.
                        let Ok(mut session) = rustls::ServerConnection::new(config.clone()) else {
                            continue;
                        };
                        let mut tcp = conn;
                        let _ = tcp.set_read_timeout(Some(Duration::from_secs(5)));
                        let mut ok = true;
                        while session.is_handshaking() {
                            if session.complete_io(&mut tcp).is_err() {
                                ok = false;
                                break;
                            }
                        }
                        if ok {
                            let _ = serve_one(rustls::StreamOwned::new(session, tcp), &step, &seen);
                        }
                    }
                }
                if i > 20 {
                    break;
                }
            }
        });
        Server { port, requests }
    }

    /// The requests received, waiting briefly for `expected` of them (a client that gives up right after
    /// connecting can finish before the server thread has recorded the connection).
    fn requests(&self, expected: usize) -> Vec<Captured> {
        for _ in 0..50 {
            let got = self.requests.lock().map(|r| r.clone()).unwrap_or_default();
            if got.len() >= expected {
                return got;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

fn server_tls_config() -> Arc<rustls::ServerConfig> {
    use rustls_pki_types::pem::PemObject;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/call/tls");
    let certs = rustls_pki_types::CertificateDer::pem_file_iter(dir.join("cert.pem"))
        .expect("cert.pem")
        .collect::<Result<Vec<_>, _>>()
        .expect("certs");
    let key = rustls_pki_types::PrivateKeyDer::from_pem_file(dir.join("key.pem")).expect("key.pem");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocols")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("server config");
    Arc::new(config)
}

/// Reads one request from `conn`, records it, and answers with `step`; returns the stream to keep open
/// for a `hang` step.
fn serve_one<S: Read + Write>(conn: S, step: &Json, seen: &Arc<Mutex<Vec<Captured>>>) -> Option<S> {
    let mut reader = BufReader::new(conn);
    let mut line = String::new();
    // A client that closes without sending anything still counts as a connection, as in the recorder.
    let _ = reader.read_line(&mut line);
    let request_line = line.trim_end().to_owned();
    let mut headers = Vec::new();
    let mut length = 0;
    loop {
        line.clear();
        let _ = reader.read_line(&mut line);
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let (n, v) = l.split_once(':')?;
        if n.eq_ignore_ascii_case("content-length") {
            length = v.trim().parse().unwrap_or(0);
        }
        headers.push((n.to_owned(), v.trim().to_owned()));
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    seen.lock().ok()?.push(Captured {
        request_line,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let mut conn = reader.into_inner();
    if step.get("hang").and_then(Json::as_bool) == Some(true) {
        return Some(conn);
    }
    if step.get("close").and_then(Json::as_bool) == Some(true) {
        return None;
    }
    if let Some(chunks) = step.get("raw_chunks").and_then(Json::as_array) {
        let mut out = String::from("HTTP/1.1 200 X\r\nTransfer-Encoding: chunked\r\n\r\n");
        for chunk in chunks.iter().filter_map(Json::as_str) {
            out.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
        }
        out.push_str("0\r\n\r\n");
        let _ = conn.write_all(out.as_bytes());
        let _ = conn.flush();
        return None;
    }
    let payload = step.get("body").and_then(Json::as_str).unwrap_or("");
    let status = step.get("status").and_then(Json::as_u64).unwrap_or(200);
    let mut response = format!("HTTP/1.1 {status} X\r\n");
    match step.get("headers").and_then(Json::as_array) {
        Some(headers) => {
            for h in headers {
                response.push_str(&format!("{}: {}\r\n", h[0].as_str().unwrap_or(""), h[1].as_str().unwrap_or("")));
            }
        }
        None => response.push_str(
            "Content-Type: application/x-amz-json-1.1\r\nx-amzn-RequestId: 11111111-2222-3333-4444-555555555555\r\n",
        ),
    }
    response.push_str(&format!(
        "Content-Length: {}\r\n\r\n{payload}",
        payload.len()
    ));
    let _ = conn.write_all(response.as_bytes());
    let _ = conn.flush();
    None
}

/// A loopback listener that never accepts, connected to until its backlog is full: the next connection
/// attempt times out.
fn full_backlog() -> (TcpListener, Vec<std::net::TcpStream>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    let mut held = Vec::new();
    for _ in 0..4096 {
        match std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(100)) {
            Ok(stream) => held.push(stream),
            Err(_) => break,
        }
    }
    (listener, held)
}

struct Case {
    name: String,
    json: Json,
    home: PathBuf,
    server: Option<Server>,
    port: u16,
    /// For `backlog_full` cases: a listener that never accepts and the connections that fill it.
    _backlog: Option<(TcpListener, Vec<std::net::TcpStream>)>,
}

impl Drop for Case {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

fn load_cases() -> Vec<(String, Json)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/call");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/data/call exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable");
            let name = p.file_stem().expect("stem").to_string_lossy().into_owned();
            (name, serde_json::from_str(&text).expect("valid json"))
        })
        .collect()
}

fn setup(name: &str, json: &Json) -> Case {
    let home = std::env::temp_dir().join(format!("call-ref-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).expect("mkdir home");
    let tls = json.get("tls").and_then(Json::as_bool) == Some(true);
    let server = json
        .get("server")
        .and_then(Json::as_array)
        .map(|s| Server::start(s.clone(), tls));
    let backlog =
        (json.get("backlog_full").and_then(Json::as_bool) == Some(true)).then(full_backlog);
    let port = match (&server, &backlog) {
        (Some(s), _) => s.port,
        (None, Some((listener, _))) => listener.local_addr().expect("addr").port(),
        (None, None) => 9,
    };
    let case = Case {
        name: name.to_owned(),
        json: json.clone(),
        home,
        server,
        port,
        _backlog: backlog,
    };
    if let Some(files) = json.get("files").and_then(Json::as_object) {
        for (rel, text) in files {
            let path = case.home.join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, case.subst(text.as_str().unwrap_or(""))).expect("write file");
        }
    }
    case
}

impl Case {
    fn subst(&self, s: &str) -> String {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/call");
        s.replace("{PORT}", &self.port.to_string())
            .replace("{HOME}", &self.home.display().to_string())
            .replace("{DATA}", &data.display().to_string())
    }

    fn env(&self) -> HashMap<String, String> {
        let mut env: HashMap<String, String> = [
            ("HOME", self.home.display().to_string()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
            ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE".into()),
            (
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            ),
            ("AWS_DEFAULT_REGION", "us-west-2".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        if let Some(vars) = self.json.get("env").and_then(Json::as_object) {
            for (k, v) in vars {
                match v.as_str() {
                    Some(v) => env.insert(k.clone(), self.subst(v)),
                    None => env.remove(k),
                };
            }
        }
        env
    }

    /// The global options and the request body the driver would build from the case's argv.
    fn args(&self) -> (GlobalArgs, Value) {
        let argv: Vec<String> = self.json["args"]
            .as_array()
            .expect("args")
            .iter()
            .map(|a| self.subst(a.as_str().unwrap_or("")))
            .collect();
        let mut globals = GlobalArgs::default();
        let mut params = Map::new();
        let mut i = 0;
        while i < argv.len() {
            let next = argv.get(i + 1).cloned();
            let mut takes_value = true;
            match argv[i].as_str() {
                "--endpoint-url" => globals.endpoint_url = next,
                "--region" => globals.region = next,
                "--profile" => globals.profile = next,
                "--ca-bundle" => globals.ca_bundle = next,
                "--output" => globals.output = next,
                "--cli-read-timeout" => {
                    globals.cli_read_timeout = next.and_then(|n| n.parse().ok())
                }
                "--cli-connect-timeout" => {
                    globals.cli_connect_timeout = next.and_then(|n| n.parse().ok())
                }
                "--instance-snapshot-name" => {
                    params.insert(
                        "instanceSnapshotName",
                        Value::String(next.unwrap_or_default().into()),
                    );
                }
                "--instance-name" => {
                    params.insert(
                        "instanceName",
                        Value::String(next.unwrap_or_default().into()),
                    );
                }
                "--tags" => {
                    // Only the `key=k,value=v` shorthand is recorded.
                    let mut tag = Map::new();
                    for pair in next.unwrap_or_default().split(',') {
                        if let Some((k, v)) = pair.split_once('=') {
                            tag.insert(k, Value::String(v.into()));
                        }
                    }
                    params.insert("tags", Value::Array(vec![Value::Object(tag)]));
                }
                flag => {
                    takes_value = false;
                    match flag {
                        "--no-sign-request" => globals.no_sign_request = true,
                        "--no-verify-ssl" => globals.no_verify_ssl = true,
                        "--debug" => globals.debug = true,
                        other => panic!("{}: unhandled argument {other}", self.name),
                    }
                }
            }
            i += if takes_value { 2 } else { 1 };
        }
        // Params in the order the model lists them (what the reference's body shows).
        let mut ordered = Map::new();
        for key in ["instanceSnapshotName", "instanceName", "tags"] {
            if let Some(v) = params.shift_remove(key) {
                ordered.insert(key, v);
            }
        }
        (globals, Value::Object(ordered))
    }

    /// The reference's stderr for this run; for a Python traceback (exit code 1) only its last line,
    /// which is what `ConfigError::stderr` reproduces.
    fn expected_stderr(&self) -> String {
        let text = self.subst(self.json["stderr"].as_str().unwrap_or(""));
        if self.json["rc"].as_i64() == Some(1) && text.starts_with("Traceback") {
            let last = text.lines().last().unwrap_or("");
            return format!("{last}\n");
        }
        text
    }
}

/// What our implementation does for the case: (exit code, stderr, decoded body on success).
fn run(case: &Case) -> (i32, String, Option<Value>) {
    let env = case.env();
    let (globals, params) = case.args();
    let cfg = match config::resolve(&globals, &|n| env.get(n).cloned()) {
        Ok(cfg) => cfg,
        Err(e) => return framed(e.into()),
    };
    let op = model::operation_by_cli_name("create-instance-snapshot").expect("operation");
    let written = std::rc::Rc::new(std::cell::RefCell::new(String::new()));
    let sink = written.clone();
    let client = match Client::with_stderr_sink(
        &cfg,
        std::rc::Rc::new(move |text: &str| sink.borrow_mut().push_str(text)),
    ) {
        Ok(c) => c.with_sleep(|_| {}),
        Err(e) => return framed(e.into()),
    };
    let result = client.call(op, &params);
    let mut stderr = written.borrow().clone();
    match result {
        Ok(value) => (0, stderr, Some(value)),
        Err(e) => {
            let (code, printed, _) = framed(e.into());
            stderr.push_str(&printed);
            (code, stderr, None)
        }
    }
}

/// An error as `aws` reports it (the driver's one framing place): (exit code, stderr, no body).
fn framed(err: CliError) -> (i32, String, Option<Value>) {
    let (stdout, stderr, code) = err.render();
    assert_eq!(stdout, "", "a call error prints nothing on stdout");
    (code, stderr, None)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn json_headers(req: &Json) -> Vec<(String, String)> {
    req["headers"]
        .as_array()
        .expect("headers")
        .iter()
        .map(|h| {
            (
                h[0].as_str().unwrap_or("").to_owned(),
                h[1].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// Compares our requests with the reference's for one case; returns a list of differences.
fn compare_requests(case: &Case, ours: &[Captured]) -> Vec<String> {
    let mut problems = Vec::new();
    let theirs = case.json["requests"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if theirs.len() != ours.len() {
        problems.push(format!(
            "{} requests, reference sent {}",
            ours.len(),
            theirs.len()
        ));
        return problems;
    }
    let port = case.port.to_string();
    for (mine, reference) in ours.iter().zip(&theirs) {
        let ref_headers = json_headers(reference);
        let ref_names: Vec<&str> = ref_headers.iter().map(|(n, _)| n.as_str()).collect();
        let my_names: Vec<&str> = mine.headers.iter().map(|(n, _)| n.as_str()).collect();
        if ref_names != my_names {
            problems.push(format!(
                "header names {my_names:?} != reference {ref_names:?}"
            ));
        }
        if mine.request_line != reference["request_line"].as_str().unwrap_or("") {
            problems.push(format!(
                "request line {:?} != {:?}",
                mine.request_line, reference["request_line"]
            ));
        }
        if normalize_session_name(&mine.body)
            != normalize_session_name(reference["body"].as_str().unwrap_or(""))
        {
            problems.push(format!("body {:?} != {:?}", mine.body, reference["body"]));
        }
        for name in [
            "Host",
            "Accept-Encoding",
            "X-Amz-Target",
            "Content-Type",
            "X-Amz-Security-Token",
            "amz-sdk-request",
            "Content-Length",
        ] {
            let want = header(&ref_headers, name).map(|v| v.replace("{PORT}", &port));
            if header(&mine.headers, name).map(str::to_owned) != want {
                problems.push(format!(
                    "{name}: {:?} != reference {want:?}",
                    header(&mine.headers, name)
                ));
            }
        }
        let scope = |auth: Option<&str>| {
            auth.map(|a| {
                a.split(", Signature=")
                    .next()
                    .unwrap_or("")
                    .split_once('/')
                    .map(|(k, rest)| (k.to_owned(), rest[8..].to_owned()))
            })
        };
        let (mine_auth, ref_auth) = (
            scope(header(&mine.headers, "Authorization")),
            scope(header(&ref_headers, "Authorization")),
        );
        if mine_auth != ref_auth {
            problems.push(format!(
                "Authorization key/scope/signed headers {mine_auth:?} != reference {ref_auth:?}"
            ));
        }
    }
    problems
}

/// Recomputes the reference's own signature with our signer, from the request it sent.
fn check_reference_signature(case: &Case, secrets: &HashMap<String, String>) -> Result<(), String> {
    for reference in case.json["requests"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let real_port = case.json["port"].as_u64().unwrap_or(0).to_string();
        let headers: Vec<(String, String)> = json_headers(&reference)
            .into_iter()
            .map(|(n, v)| (n, v.replace("{PORT}", &real_port)))
            .collect();
        let sigv4 = header(&headers, "Authorization").filter(|a| a.starts_with("AWS4-HMAC-SHA256"));
        let Some(auth) = sigv4 else {
            continue;
        };
        let signed_names: Vec<String> = auth
            .split("SignedHeaders=")
            .nth(1)
            .and_then(|s| s.split(',').next())
            .unwrap_or("")
            .split(';')
            .map(str::to_owned)
            .collect();
        let to_sign: Vec<(String, String)> = headers
            .iter()
            .filter(|(n, _)| signed_names.contains(&n.to_ascii_lowercase()))
            .cloned()
            .collect();
        let line = reference["request_line"].as_str().unwrap_or("");
        let target = line.split(' ').nth(1).unwrap_or("/");
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let amz_date = header(&headers, "X-Amz-Date").unwrap_or("");
        let scope: Vec<&str> = auth
            .split("Credential=")
            .nth(1)
            .unwrap_or("")
            .split(',')
            .next()
            .unwrap_or("")
            .split('/')
            .collect();
        let body = reference["body"].as_str().unwrap_or("");
        let sig = sigv4::sign(
            &sigv4::SigningInput {
                method: "POST",
                path,
                query,
                headers: &to_sign,
                body: body.as_bytes(),
                amz_date,
                region: scope[2],
                service: scope[3],
            },
            &sigv4::SigningKeys {
                access_key: scope[0],
                secret_key: secrets.get(scope[0]).map(String::as_str).unwrap_or(""),
            },
        );
        if sig.authorization != auth {
            return Err(format!(
                "our signature of the reference's request differs:\n {}\n {}",
                sig.authorization, auth
            ));
        }
    }
    Ok(())
}

/// The secret the reference signed with, per the case's credential source.
fn secret_for(case: &Case) -> HashMap<String, String> {
    let mut secrets: HashMap<String, String> = HashMap::new();
    let env = case.env();
    if let (Some(k), Some(v)) = (
        env.get("AWS_ACCESS_KEY_ID"),
        env.get("AWS_SECRET_ACCESS_KEY"),
    ) {
        secrets.insert(k.clone(), v.clone());
    }
    // Key pairs in the case's files (profiles, cache files) and in the bodies the server hands out
    // (container / IMDS JSON, STS XML).
    let mut texts: Vec<String> = Vec::new();
    if let Some(files) = case.json["files"].as_object() {
        texts.extend(files.values().filter_map(|v| v.as_str().map(str::to_owned)));
    }
    for step in case.json["server"].as_array().into_iter().flatten() {
        texts.extend(step["body"].as_str().map(str::to_owned));
    }
    let value_after = |text: &str, marker: &str, end: char| -> Vec<String> {
        text.match_indices(marker)
            .map(|(i, _)| {
                let rest = text[i + marker.len()..].trim_start_matches([' ', '=', ':', '"']);
                rest.split([end, '\n', '<', '"'])
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_owned()
            })
            .collect()
    };
    for text in &texts {
        for (key_marker, secret_marker) in [
            ("aws_access_key_id", "aws_secret_access_key"),
            ("\"AccessKeyId\"", "\"SecretAccessKey\""),
            ("<AccessKeyId>", "<SecretAccessKey>"),
        ] {
            let keys = value_after(text, key_marker, ',');
            let values = value_after(text, secret_marker, ',');
            for (k, v) in keys.into_iter().zip(values) {
                secrets.insert(k, v);
            }
        }
    }
    // Otherwise (a credential_process, say) ask the credential chain itself.
    let mut globals = case.args().0;
    globals.debug = false;
    if let Ok(cfg) = config::resolve(&globals, &|n| env.get(n).cloned()) {
        if let Ok(Some(lightsail_cli::config::credentials::SourceCredentials::Ready(creds))) =
            lightsail_cli::config::credentials::resolve(&cfg, &mut Vec::new())
        {
            secrets
                .entry(creds.access_key.clone())
                .or_insert(creds.secret_key.clone());
        }
    }
    secrets
}

/// Replaces the generated `botocore-session-<unix time>` with a fixed text.
fn normalize_session_name(body: &str) -> String {
    match body.find("botocore-session-") {
        Some(i) => {
            let start = i + "botocore-session-".len();
            let end = body[start..]
                .find(|c: char| !c.is_ascii_digit())
                .map_or(body.len(), |e| start + e);
            format!("{}<time>{}", &body[..start], &body[end..])
        }
        None => body.to_owned(),
    }
}

/// The cache files our run left under `~/.aws/cli/cache`.
fn cache_files(home: &Path) -> Option<HashMap<String, String>> {
    let dir = home.join(".aws/cli/cache");
    let entries = std::fs::read_dir(&dir).ok()?;
    Some(
        entries
            .filter_map(|e| e.ok())
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read_to_string(e.path()).unwrap_or_default(),
                )
            })
            .collect(),
    )
}

#[test]
fn reference_cases_match() {
    let mut failures = Vec::new();
    let mut compared = 0;
    for (name, json) in load_cases() {
        if NOT_COMPARED.iter().any(|(n, _)| *n == name) {
            continue;
        }
        let case = setup(&name, &json);
        let (rc, stderr, value) = run(&case);
        let want_rc = json["rc"].as_i64().unwrap_or(-1) as i32;
        let mut problems = Vec::new();
        if rc != want_rc {
            problems.push(format!("exit code {rc} != reference {want_rc}"));
        }
        // Where the reference printed the response as JSON, the body we decoded holds the same data.
        let stdout = json["stdout"].as_str().unwrap_or("");
        if let (Ok(theirs), Some(value)) = (serde_json::from_str::<Json>(stdout), &value) {
            let ours: Json =
                serde_json::from_str(&call::json::encode(value)).expect("our JSON parses");
            if ours != theirs {
                problems.push(format!("decoded body {ours} != reference output {theirs}"));
            }
        }
        if stderr != case.expected_stderr() {
            problems.push(format!(
                "stderr {stderr:?}\n   reference {:?}",
                case.expected_stderr()
            ));
        }
        // The credential cache files (assume-role) hold what the reference wrote.
        if let Some(theirs) = json["cache_files"].as_object() {
            let ours = cache_files(&case.home).unwrap_or_default();
            let theirs: HashMap<String, String> = theirs
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_owned()))
                .collect();
            if ours != theirs {
                problems.push(format!("cache files {ours:?}\n   reference {theirs:?}"));
            }
        }
        if let Some(server) = &case.server {
            let expected = json["requests"].as_array().map_or(0, Vec::len);
            problems.extend(compare_requests(&case, &server.requests(expected)));
        }
        let signed = json["requests"].as_array().is_some_and(|r| {
            r.iter().any(|q| {
                json_headers(q)
                    .iter()
                    .any(|(n, v)| n == "Authorization" && v.starts_with("AWS4"))
            })
        });
        if signed {
            if let Err(e) = check_reference_signature(&case, &secret_for(&case)) {
                problems.push(e);
            }
        }
        compared += 1;
        if !problems.is_empty() {
            failures.push(format!("{name}:\n  {}", problems.join("\n  ")));
        }
    }
    assert!(compared >= 60, "only {compared} cases compared");
    assert!(
        failures.is_empty(),
        "{} of {compared} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn output_and_settings_precedence() {
    let cases: HashMap<String, Json> = load_cases().into_iter().collect();
    let case = setup("ok_output_env", &cases["ok_output_env"]);
    let env = case.env();
    let cfg = config::resolve(&case.args().0, &|n| env.get(n).cloned()).expect("config");
    assert_eq!(cfg.output, "text");
    let flag = GlobalArgs {
        output: Some("table".into()),
        ..Default::default()
    };
    assert_eq!(
        config::resolve(&flag, &|n| env.get(n).cloned())
            .expect("config")
            .output,
        "table"
    );
    let none: HashMap<String, String> =
        [("HOME".to_owned(), case.home.display().to_string())].into();
    let cfg = config::resolve(&GlobalArgs::default(), &|n| none.get(n).cloned()).expect("config");
    assert_eq!(
        (
            cfg.output.as_str(),
            cfg.parameter_validation,
            cfg.region.as_deref()
        ),
        ("json", true, None)
    );
    assert_eq!(
        call::request_url("http://127.0.0.1:5"),
        "http://127.0.0.1:5/"
    );
}

/// `--debug` writes the reference's log format for the main steps, and never a secret or a signature.
#[test]
fn debug_log_has_the_main_steps() {
    let cases: HashMap<String, Json> = load_cases().into_iter().collect();
    let mut json = cases["debug_ok"].clone();
    json["env"] = serde_json::json!({"AWS_SESSION_TOKEN": "SESSIONTOKENEXAMPLE"});
    let case = setup("debug_ok_token", &json);
    let (rc, stderr, _) = run(&case);
    assert_eq!(rc, 0);
    let reference = json["stderr"].as_str().unwrap_or("");
    let line_re = |line: &str| {
        // `2026-11-27 20:48:44,606 - MainThread - botocore.auth - DEBUG - message`
        let b = line.as_bytes();
        b.len() > 40
            && b[4] == b'-'
            && b[10] == b' '
            && b[19] == b','
            && line[23..].starts_with(" - MainThread - ")
    };
    let mut loggers = Vec::new();
    for line in stderr
        .lines()
        .filter(|l| l.len() > 23 && l.as_bytes()[4] == b'-')
    {
        assert!(line_re(line), "bad log line {line:?}");
        let logger = line[39..].split(" - ").next().unwrap_or("").to_owned();
        assert!(
            reference.contains(&format!(" - {logger} - ")),
            "logger {logger} not in the reference's log"
        );
        loggers.push(logger);
    }
    for step in [
        "Looking for credentials via: env",
        "Found credentials in environment variables.",
        "Endpoint provider result: http://127.0.0.1:",
        "CanonicalRequest:\nPOST\n/\n",
        "Response body:\nb'{\"operations\"",
        "No retry needed.",
    ] {
        assert!(stderr.contains(step), "missing {step:?} in:\n{stderr}");
    }
    for secret in ["wJalrXUtnFEMI", "SESSIONTOKENEXAMPLE"] {
        assert!(!stderr.contains(secret), "debug output leaks {secret}");
    }
    let signature = case
        .server
        .as_ref()
        .map(|s| s.requests(1))
        .unwrap_or_default()[0]
        .headers
        .iter()
        .find(|(n, _)| n == "Authorization")
        .and_then(|(_, v)| v.split("Signature=").nth(1).map(str::to_owned))
        .unwrap_or_default();
    assert!(
        signature.len() == 64 && !stderr.contains(&signature),
        "debug output leaks the signature"
    );
}
