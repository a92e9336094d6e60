//! Listeners, connections and routing.
//!
//! Thread per connection (bounded by [`MAX_CONNECTIONS`]; the emulator serves one test at a time, not
//! production traffic). Every request is routed by path: `/_emulator/...` admin and container
//! credentials, `/latest/...` instance metadata (IMDSv2), anything else is a Lightsail call. A Lightsail
//! call is journaled, then meets the fault queue, then SigV4, content type, target, body parsing and
//! model checks, in that order, and finally its handler under the state lock; a changed state is
//! persisted before the answer is written.

use std::collections::HashMap;
use std::io::{BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::clock::{self, SplitMix64};
use crate::error::ApiError;
use crate::faults::{Fault, FaultKind, FaultQueue};
use crate::http::{self, ReadError, Request, Response};
use crate::model::Model;
use crate::ops;
use crate::sigv4;
use crate::state::{self, State};
use crate::Config;

/// Connections served at once; more are answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 64;
/// How long an idle keep-alive connection stays open.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// The content type of Lightsail's protocol.
pub const JSON_11: &str = "application/x-amz-json-1.1";
/// The role name the instance-metadata endpoint reports.
pub const ROLE_NAME: &str = "lightsail-emulator-role";
/// Journal entries kept (the oldest are dropped beyond this).
pub const MAX_JOURNAL_ENTRIES: usize = 10_000;
/// The IMDSv2 session token the metadata endpoint hands out.
pub const IMDS_TOKEN: &str = "lightsail-emulator-imds-token";

/// What the connection threads share.
pub struct Shared {
    pub config: Config,
    pub model: &'static Model,
    inner: Mutex<Inner>,
    pub stopping: AtomicBool,
    active: AtomicUsize,
    connections: Mutex<Connections>,
}

struct Inner {
    state: State,
    faults: FaultQueue,
    journal: Vec<Value>,
    request_ids: SplitMix64,
}

#[derive(Default)]
struct Connections {
    next_id: u64,
    open: HashMap<u64, TcpStream>,
    threads: Vec<JoinHandle<()>>,
}

fn request_id_source(deterministic: bool) -> SplitMix64 {
    if deterministic {
        SplitMix64(0x1569_8664_3848)
    } else {
        SplitMix64(clock::real_now().to_bits() ^ u64::from(std::process::id()).rotate_left(40))
    }
}

impl Shared {
    pub fn new(config: Config, model: &'static Model, state: State) -> Shared {
        let inner = Inner {
            state,
            faults: FaultQueue::new(config.faults.clone()),
            journal: Vec::new(),
            request_ids: request_id_source(config.deterministic),
        };
        Shared {
            config,
            model,
            inner: Mutex::new(inner),
            stopping: AtomicBool::new(false),
            active: AtomicUsize::new(0),
            connections: Mutex::new(Connections::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panicking handler must not take the whole emulator down with a poisoned lock.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn connections(&self) -> MutexGuard<'_, Connections> {
        self.connections
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn stopped(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Closes every open connection and waits for their threads.
    pub fn close_connections(&self) {
        let threads = {
            let mut connections = self.connections();
            for stream in connections.open.values() {
                let _ = stream.shutdown(Shutdown::Both);
            }
            std::mem::take(&mut connections.threads)
        };
        for thread in threads {
            let _ = thread.join();
        }
    }
}

/// A TLS acceptor: wraps an accepted TCP stream.
pub type TlsConfig = Arc<rustls::ServerConfig>;

/// Accepts connections until the emulator stops.
pub fn accept_loop(listener: TcpListener, shared: Arc<Shared>, tls: Option<TlsConfig>) {
    for stream in listener.incoming() {
        if shared.stopped() {
            break;
        }
        let Ok(stream) = stream else {
            // Out of file descriptors or similar: back off instead of spinning.
            thread::sleep(Duration::from_millis(10));
            continue;
        };
        spawn_connection(stream, &shared, tls.clone());
    }
}

fn spawn_connection(stream: TcpStream, shared: &Arc<Shared>, tls: Option<TlsConfig>) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    if shared.active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
        let mut stream = stream;
        let response = Response::text(503, "too many connections\n");
        let _ = http::write_response(&mut stream, &response, false);
        close_gracefully(&stream);
        return;
    }
    let Ok(control) = stream.try_clone() else {
        return;
    };
    shared.active.fetch_add(1, Ordering::SeqCst);
    let mut connections = shared.connections();
    let id = connections.next_id;
    connections.next_id += 1;
    connections.open.insert(id, control);
    connections.threads.retain(|t| !t.is_finished());
    let worker_shared = Arc::clone(shared);
    let thread = thread::spawn(move || {
        match tls {
            None => serve_connection(stream.try_clone().ok(), stream, &worker_shared),
            Some(config) => {
                if let Ok(connection) = rustls::ServerConnection::new(config) {
                    let raw = stream.try_clone().ok();
                    let tls_stream = rustls::StreamOwned::new(connection, stream);
                    serve_connection(raw, tls_stream, &worker_shared);
                }
            }
        }
        worker_shared.connections().open.remove(&id);
        worker_shared.active.fetch_sub(1, Ordering::SeqCst);
    });
    connections.threads.push(thread);
}

/// What to do with the connection after routing a request.
enum Action {
    Respond(Response),
    /// Close without answering.
    Close,
    /// Send the head with a larger `Content-Length` than the body, then close.
    Truncate(Response),
}

fn serve_connection<S: Read + Write>(raw: Option<TcpStream>, stream: S, shared: &Shared) {
    let mut reader = BufReader::new(stream);
    loop {
        if shared.stopped() {
            break;
        }
        let request = match http::read_request(&mut reader) {
            Ok(request) => request,
            Err(ReadError::Closed) | Err(ReadError::Io(_)) => break,
            Err(error) => {
                let (status, message) = match error {
                    ReadError::HeadersTooLarge => (431, "request headers too large"),
                    ReadError::BodyTooLarge => (413, "request body too large"),
                    ReadError::LengthRequired => (411, "a Content-Length body is required"),
                    ReadError::Malformed(what) => (400, what),
                    ReadError::Closed | ReadError::Io(_) => (400, "bad request"),
                };
                let response = Response::text(status, &format!("{message}\n"));
                let _ = http::write_response(reader.get_mut(), &response, false);
                break;
            }
        };
        let keep_alive = request.keep_alive();
        match route(shared, &request) {
            Action::Respond(response) => {
                if http::write_response(reader.get_mut(), &response, keep_alive).is_err()
                    || !keep_alive
                {
                    break;
                }
            }
            Action::Close => break,
            Action::Truncate(response) => {
                let stream = reader.get_mut();
                let _ = http::write_head(stream, &response, response.body.len() + 1024, false)
                    .and_then(|_| stream.write_all(&response.body))
                    .and_then(|_| stream.flush());
                break;
            }
        }
    }
    if let Some(raw) = raw {
        close_gracefully(&raw);
    }
}

/// Closes our side first and discards what the client still sends for a moment, so that unread
/// request bytes do not turn the close into a reset that destroys the answer in flight.
fn close_gracefully(stream: &TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let mut sink = [0u8; 16 * 1024];
    let mut reader = stream;
    let mut budget = http::MAX_BODY_BYTES + http::MAX_HEADER_BYTES;
    while budget > 0 {
        match reader.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => budget = budget.saturating_sub(n),
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
}

fn route(shared: &Shared, request: &Request) -> Action {
    let path = request.path();
    if let Some(admin) = path.strip_prefix("/_emulator/") {
        return Action::Respond(admin_endpoint(shared, request, admin));
    }
    if path.starts_with("/latest/") {
        return Action::Respond(metadata_endpoint(shared, request));
    }
    lightsail(shared, request)
}

fn admin_endpoint(shared: &Shared, request: &Request, endpoint: &str) -> Response {
    match (request.method.as_str(), endpoint) {
        ("POST", "reset") => {
            let config = &shared.config;
            let seeded = match ops::seed_state(config) {
                Ok(seeded) => seeded,
                Err(error) => return Response::text(500, &format!("could not seed: {error}\n")),
            };
            if let Some(path) = &config.state_file {
                if let Err(error) = seeded.save(path) {
                    return Response::text(500, &format!("could not save state: {error}\n"));
                }
            }
            let mut inner = shared.lock();
            inner.state = seeded;
            inner.faults = FaultQueue::new(config.faults.clone());
            inner.journal.clear();
            inner.request_ids = request_id_source(config.deterministic);
            Response::json(200, &json!({"reset": true}))
        }
        ("POST", "faults") => {
            let parsed: Result<Vec<Fault>, String> = serde_json::from_slice::<Value>(&request.body)
                .map_err(|e| e.to_string())
                .and_then(|v| match v {
                    Value::Array(items) => items.iter().map(Fault::from_json).collect(),
                    _ => Err("expected a JSON list of fault specs".to_string()),
                });
            match parsed {
                Ok(faults) => {
                    let mut inner = shared.lock();
                    inner.faults = FaultQueue::new(faults);
                    Response::json(200, &json!({"faults": inner.faults.to_json()}))
                }
                Err(message) => Response::json(400, &json!({"error": message})),
            }
        }
        ("GET", "faults") => {
            Response::json(200, &json!({"faults": shared.lock().faults.to_json()}))
        }
        ("GET", "state") => Response::json(200, &shared.lock().state.to_json()),
        ("GET", "requests") => Response::json(200, &Value::Array(shared.lock().journal.clone())),
        ("GET", "container-credentials") => match credentials(shared) {
            Some(mut credentials) => {
                credentials["RoleArn"] = json!(format!(
                    "arn:aws:iam::{}:role/{ROLE_NAME}",
                    state::ACCOUNT_ID
                ));
                Response::json(200, &credentials)
            }
            None => Response::text(404, "no access keys configured\n"),
        },
        _ => Response::text(404, "unknown emulator endpoint\n"),
    }
}

/// Temporary credentials for the first configured key, valid for six hours of real time.
fn credentials(shared: &Shared) -> Option<Value> {
    let (id, secret) = shared.config.access_keys.first()?;
    let now = clock::real_now() as i64;
    Some(json!({
        "AccessKeyId": id,
        "SecretAccessKey": secret,
        "Token": sigv4::session_token_for(id),
        "Expiration": clock::iso8601(now + 6 * 3600),
    }))
}

fn metadata_endpoint(shared: &Shared, request: &Request) -> Response {
    let path = request.path();
    if request.method == "PUT" && path == "/latest/api/token" {
        return match request.header("x-aws-ec2-metadata-token-ttl-seconds") {
            Some(ttl) => Response::text(200, IMDS_TOKEN)
                .with_header("x-aws-ec2-metadata-token-ttl-seconds", ttl),
            None => Response::text(400, "Missing x-aws-ec2-metadata-token-ttl-seconds\n"),
        };
    }
    if request
        .header("x-aws-ec2-metadata-token")
        .is_some_and(|token| token != IMDS_TOKEN)
    {
        return Response::text(401, "");
    }
    let role_prefix = "/latest/meta-data/iam/security-credentials/";
    match (request.method.as_str(), path.strip_prefix(role_prefix)) {
        ("GET", Some("")) => Response::text(200, ROLE_NAME),
        ("GET", Some(ROLE_NAME)) => match credentials(shared) {
            Some(mut credentials) => {
                let now = clock::real_now() as i64;
                let mut out = json!({"Code": "Success", "LastUpdated": clock::iso8601(now), "Type": "AWS-HMAC"});
                if let (Some(out), Some(creds)) = (out.as_object_mut(), credentials.as_object_mut())
                {
                    out.append(creds);
                }
                Response::json(200, &out)
            }
            None => Response::text(404, ""),
        },
        _ => Response::text(404, ""),
    }
}

fn lightsail_response(shared: &Shared, request_id: &str, status: u16, body: Vec<u8>) -> Response {
    let date = if shared.config.deterministic {
        clock::http_date(clock::SEED_EPOCH as i64)
    } else {
        clock::http_date(clock::real_now() as i64)
    };
    Response::new(status, JSON_11, body)
        .with_header("x-amzn-RequestId", request_id)
        .with_header("Date", &date)
}

fn error_response(shared: &Shared, request_id: &str, error: &ApiError) -> Action {
    Action::Respond(lightsail_response(
        shared,
        request_id,
        error.status,
        error.body().to_string().into_bytes(),
    ))
}

fn sleep_unless_stopped(shared: &Shared, seconds: f64) {
    let deadline = Instant::now() + Duration::from_secs_f64(seconds.min(86_400.0));
    while !shared.stopped() {
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        thread::sleep((deadline - now).min(Duration::from_millis(20)));
    }
}

fn fault_action(shared: &Shared, request_id: &str, fault: FaultKind) -> Option<Action> {
    Some(match fault {
        FaultKind::Delay(seconds) => {
            sleep_unless_stopped(shared, seconds);
            if shared.stopped() {
                // Shutting down: do not let a delayed request change the state afterwards.
                return Some(Action::Close);
            }
            return None;
        }
        FaultKind::Throttle => error_response(shared, request_id, &ApiError::throttling()),
        FaultKind::Status(500) => error_response(
            shared,
            request_id,
            &ApiError::service("An internal error occurred. Please try again.".to_string()),
        ),
        FaultKind::Status(status) => {
            Action::Respond(lightsail_response(shared, request_id, status, Vec::new()))
        }
        FaultKind::Reset => Action::Close,
        FaultKind::Truncate => Action::Truncate(lightsail_response(
            shared,
            request_id,
            200,
            b"{\"operations\":[{\"id\":\"".to_vec(),
        )),
        FaultKind::Malformed => Action::Respond(lightsail_response(
            shared,
            request_id,
            200,
            b"{\"operations\": [{\"id\": <not json>".to_vec(),
        )),
        FaultKind::Html(status) => {
            let body = format!(
                "<html><body><b>Http/1.1 {}</b></body></html>",
                http::reason(status)
            );
            let mut response = lightsail_response(shared, request_id, status, body.into_bytes());
            response.headers[0].1 = "text/html".to_string();
            Action::Respond(response)
        }
    })
}

fn is_json_content_type(value: Option<&str>) -> bool {
    let Some(value) = value else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "application/x-amz-json-1.1" | "application/x-amz-json-1.0" | "application/json"
    )
}

fn lightsail(shared: &Shared, request: &Request) -> Action {
    let target = request.header("x-amz-target").unwrap_or("");
    let operation = target
        .strip_prefix(shared.model.target_prefix.as_str())
        .and_then(|rest| rest.strip_prefix('.'))
        .filter(|op| shared.model.has_operation(op));
    let (request_id, fault) = record(shared, request, target, operation);
    if let Some(fault) = fault {
        if let Some(action) = fault_action(shared, &request_id, fault) {
            return action;
        }
    }
    match admit(shared, request, operation) {
        Ok((operation, input)) => execute(shared, &request_id, operation, &input),
        Err(Admission::Error(error)) => error_response(shared, &request_id, &error),
        Err(Admission::OtherProtocol) => {
            // AWS's front end reads such requests as another protocol and finds no operation in them.
            let mut response = lightsail_response(
                shared,
                &request_id,
                404,
                b"<UnknownOperationException/>\n".to_vec(),
            );
            response.headers[0].1 = "application/xml".to_string();
            Action::Respond(response)
        }
    }
}

/// Journals a Lightsail request, draws its request id and takes the fault that applies to it.
fn record(
    shared: &Shared,
    request: &Request,
    target: &str,
    operation: Option<&str>,
) -> (String, Option<FaultKind>) {
    let logged_body = serde_json::from_slice::<Value>(&request.body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&request.body).into_owned()));
    let mut inner = shared.lock();
    let attempt = 1 + inner
        .journal
        .iter()
        .filter(|e| e.get("target") == Some(&json!(target)) && e.get("body") == Some(&logged_body))
        .count();
    if inner.journal.len() >= MAX_JOURNAL_ENTRIES {
        inner.journal.remove(0);
    }
    let mut entry = json!({
        "target": target,
        "body": logged_body,
        "signed_headers": sigv4::signed_header_names(request),
        "attempt": attempt,
    });
    if shared.config.journal_signatures {
        entry["signature"] = json!(sigv4::signature_of(request));
    }
    inner.journal.push(entry);
    let request_id = inner.request_ids.uuid_v4();
    let fault = inner.faults.take(operation.unwrap_or(target));
    (request_id, fault)
}

/// Why a request never reaches a handler.
enum Admission {
    Error(ApiError),
    /// Not a JSON-protocol request at all.
    OtherProtocol,
}

/// The checks before a handler runs, in AWS's order: signature, content type, operation, body.
fn admit<'a>(
    shared: &Shared,
    request: &Request,
    operation: Option<&'a str>,
) -> Result<(&'a str, Value), Admission> {
    let config = &shared.config;
    let unsigned = request.header("authorization").is_none();
    if !(config.allow_unsigned && unsigned) {
        let now = clock::real_now() as i64;
        sigv4::verify(request, &config.access_keys, &config.region, now)
            .map_err(Admission::Error)?;
    }
    if !is_json_content_type(request.header("content-type")) {
        return Err(Admission::OtherProtocol);
    }
    let Some(operation) = operation else {
        return Err(Admission::Error(ApiError::unknown_operation()));
    };
    if !ops::IMPLEMENTED.contains(&operation) {
        let mut error = ApiError::unknown_operation();
        error.fields.push((
            "message",
            format!("lightsail-emulator does not implement {operation}"),
        ));
        return Err(Admission::Error(error));
    }
    let input: Value = if request.body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        serde_json::from_slice(&request.body).map_err(|_| {
            Admission::Error(ApiError::serialization(
                "Could not parse the request body as JSON".to_string(),
            ))
        })?
    };
    shared
        .model
        .validate_input(operation, &input)
        .map_err(Admission::Error)?;
    Ok((operation, input))
}

/// Runs the handler under the state lock, persists a change, and answers in the model's order.
fn execute(shared: &Shared, request_id: &str, operation: &str, input: &Value) -> Action {
    let config = &shared.config;
    let mut inner = shared.lock();
    let before = config.state_file.as_ref().map(|_| inner.state.clone());
    let mut context = ops::Context {
        state: &mut inner.state,
        region: &config.region,
        deterministic: config.deterministic,
        snapshot_delay_secs: config.snapshot_delay_secs,
        real_now: clock::real_now(),
        page_size: config.page_size,
    };
    let outcome = match ops::dispatch(operation, input, &mut context) {
        None => return error_response(shared, request_id, &ApiError::unknown_operation()),
        Some(Err(error)) => return error_response(shared, request_id, &error),
        Some(Ok(outcome)) => outcome,
    };
    if outcome.changed {
        if let (Some(path), Some(before)) = (&config.state_file, before) {
            if let Err(error) = inner.state.save(path) {
                inner.state = before;
                let error = ApiError::service(format!("could not persist the change: {error}"));
                return error_response(shared, request_id, &error);
            }
        }
    }
    drop(inner);
    let output = match shared.model.output_shape(operation) {
        Some(shape) => shared.model.order(outcome.output, shape),
        None => outcome.output,
    };
    Action::Respond(lightsail_response(
        shared,
        request_id,
        200,
        output.to_string().into_bytes(),
    ))
}
