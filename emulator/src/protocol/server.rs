//! Listeners, connections, routing, and the Lightsail call pipeline.
//!
//! Thread per connection (bounded by [`MAX_CONNECTIONS`]; the emulator serves tests, not production
//! traffic). Every request is routed by path: `/_emulator/...` admin and container credentials
//! ([`super::admin`]), `/latest/...` instance metadata (IMDSv2), anything else is a Lightsail call. A
//! Lightsail call is journaled, then meets the fault queue, then SigV4 (which also names the caller's
//! account and region), content type, target, body parsing and model validation, in that order; only
//! then does the engine run the family's handler in one transaction, committed before the answer is
//! written. The answer is checked and ordered against the operation's output shape (the model-valid
//! response layer) after the state lock is released.

use std::collections::HashMap;
use std::io::{BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::engine::clock;
use crate::engine::ids::SplitMix64;
use crate::engine::regions;
use crate::engine::{Caller, Engine};
use crate::error::ApiError;
use crate::model::Model;
use crate::protocol::faults::{FaultKind, FaultQueue};
use crate::protocol::http::{self, ReadError, Request, Response};
use crate::protocol::journal::Journal;
use crate::protocol::sigv4;
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
pub const MAX_JOURNAL_ENTRIES: usize = crate::protocol::journal::MAX_ENTRIES;
/// The IMDSv2 session token the metadata endpoint hands out.
pub const IMDS_TOKEN: &str = "lightsail-emulator-imds-token";

/// What the connection threads share.
pub struct Shared {
    pub config: Config,
    pub model: &'static Model,
    /// `(access key id, secret)` pairs, for SigV4.
    pub(crate) keys: Vec<(String, String)>,
    inner: Mutex<Inner>,
    /// Time spent per Lightsail call, by target (`GET /_emulator/stats`).
    pub(crate) stats: Mutex<Stats>,
    pub stopping: AtomicBool,
    active: AtomicUsize,
    connections: Mutex<Connections>,
}

/// The emulator's own time per Lightsail call: from a request read to its answer built (journal,
/// faults, SigV4, validation, the transaction, the response layer, serialization), by target.
#[derive(Default)]
pub(crate) struct Stats {
    by_target: std::collections::BTreeMap<String, (u64, Duration, Duration)>,
}

impl Stats {
    fn add(&mut self, target: &str, elapsed: Duration) {
        let entry =
            self.by_target
                .entry(target.to_string())
                .or_insert((0, Duration::ZERO, Duration::ZERO));
        entry.0 += 1;
        entry.1 += elapsed;
        entry.2 = entry.2.max(elapsed);
    }

    /// `{"TARGET": {"count", "total_us", "max_us"}}`.
    pub(crate) fn to_json(&self) -> Value {
        Value::Object(
            self.by_target
                .iter()
                .map(|(target, (count, total, max))| {
                    (
                        target.clone(),
                        json!({
                            "count": count,
                            "total_us": total.as_micros() as u64,
                            "max_us": max.as_micros() as u64,
                        }),
                    )
                })
                .collect(),
        )
    }
}

/// Everything behind the state lock.
pub(crate) struct Inner {
    pub(crate) engine: Engine,
    pub(crate) faults: FaultQueue,
    pub(crate) journal: Journal,
    pub(crate) request_ids: SplitMix64,
}

#[derive(Default)]
struct Connections {
    next_id: u64,
    open: HashMap<u64, TcpStream>,
    threads: Vec<JoinHandle<()>>,
}

pub(crate) fn request_id_source(deterministic: bool) -> SplitMix64 {
    if deterministic {
        SplitMix64(0x1569_8664_3848)
    } else {
        SplitMix64(clock::real_now().to_bits() ^ u64::from(std::process::id()).rotate_left(40))
    }
}

impl Shared {
    pub(crate) fn new(config: Config, model: &'static Model, engine: Engine) -> Shared {
        let inner = Inner {
            engine,
            faults: FaultQueue::new(config.faults.clone()),
            journal: Journal::new(),
            request_ids: request_id_source(config.deterministic),
        };
        let keys = config
            .access_keys
            .iter()
            .map(|key| (key.id.clone(), key.secret.clone()))
            .collect();
        Shared {
            config,
            model,
            keys,
            inner: Mutex::new(inner),
            stats: Mutex::new(Stats::default()),
            stopping: AtomicBool::new(false),
            active: AtomicUsize::new(0),
            connections: Mutex::new(Connections::default()),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
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

    pub(crate) fn stopped(&self) -> bool {
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
    if let Some(endpoint) = path.strip_prefix("/_emulator/") {
        return Action::Respond(super::admin::endpoint(shared, request, endpoint));
    }
    if path.starts_with("/latest/") {
        return Action::Respond(super::admin::metadata_endpoint(shared, request));
    }
    lightsail(shared, request)
}

/// A Lightsail response with the protocol's content type, a request id and the emulator's `Date`.
pub(crate) fn lightsail_response(
    shared: &Shared,
    request_id: &str,
    status: u16,
    body: Vec<u8>,
) -> Response {
    let now = if shared.config.deterministic {
        shared.lock().engine.now()
    } else {
        clock::real_now()
    };
    Response::new(status, JSON_11, body)
        .with_header("x-amzn-RequestId", request_id)
        .with_header("Date", &clock::http_date(now as i64))
}

fn error_response(shared: &Shared, request_id: &str, error: &ApiError) -> Action {
    let response = lightsail_response(
        shared,
        request_id,
        error.status,
        error.body().to_string().into_bytes(),
    );
    Action::Respond(with_error_type(shared, response, error))
}

/// Adds `x-amzn-ErrorType` when configured (`--error-type-header`).
pub(crate) fn with_error_type(shared: &Shared, response: Response, error: &ApiError) -> Response {
    if shared.config.error_type_header {
        response.with_header("x-amzn-ErrorType", &error.error_type_header())
    } else {
        response
    }
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
    let started = Instant::now();
    let target = request.header("x-amz-target").unwrap_or("");
    let action = lightsail_call(shared, request, target);
    let elapsed = started.elapsed();
    shared
        .stats
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .add(target, elapsed);
    action
}

fn lightsail_call(shared: &Shared, request: &Request, target: &str) -> Action {
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
        Ok(admitted) => {
            let caller = Caller {
                account: &admitted.account,
                region: &admitted.region,
            };
            match execute(shared, caller, admitted.operation, &admitted.input) {
                Ok(body) => Action::Respond(lightsail_response(shared, &request_id, 200, body)),
                Err(error) => error_response(shared, &request_id, &error),
            }
        }
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
    let signed_headers = sigv4::signed_header_names(request);
    let signature = shared
        .config
        .journal_signatures
        .then(|| sigv4::signature_of(request));
    let mut inner = shared.lock();
    inner
        .journal
        .record(target, logged_body, signed_headers, signature);
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

/// A request that passed every check before the handler.
struct Admitted<'a> {
    operation: &'a str,
    input: Value,
    account: String,
    region: String,
}

/// Whether the emulator keeps state for a credential-scope region: every region Lightsail serves,
/// and the configured `--region` even when Lightsail does not serve it.
pub(crate) fn serves(config: &Config, region: &str) -> bool {
    region == config.region || regions::find(region).is_some()
}

/// The checks before a handler runs, in AWS's order: signature, content type, operation, body.
fn admit<'a>(
    shared: &Shared,
    request: &Request,
    operation: Option<&'a str>,
) -> Result<Admitted<'a>, Admission> {
    let config = &shared.config;
    let unsigned = request.header("authorization").is_none();
    let (account, region) = if config.allow_unsigned && unsigned {
        (config.default_account().to_string(), config.region.clone())
    } else {
        let now = clock::real_now() as i64;
        let advertised = config
            .deterministic
            .then(|| shared.lock().engine.now() as i64);
        let verified = sigv4::verify_with(
            request,
            &shared.keys,
            |r| serves(config, r),
            now,
            advertised,
        )
        .map_err(Admission::Error)?;
        let account = config
            .access_keys
            .iter()
            .find(|key| key.id == verified.access_key_id)
            .map(|key| key.account.clone())
            .unwrap_or_else(|| config.default_account().to_string());
        (account, verified.region)
    };
    if !is_json_content_type(request.header("content-type")) {
        return Err(Admission::OtherProtocol);
    }
    let Some(operation) = operation else {
        return Err(Admission::Error(ApiError::unknown_operation()));
    };
    let input = parse_input(shared, operation, &request.body).map_err(Admission::Error)?;
    Ok(Admitted {
        operation,
        input,
        account,
        region,
    })
}

/// An implemented operation's body, parsed and validated against the model.
pub(crate) fn parse_input(
    shared: &Shared,
    operation: &str,
    body: &[u8],
) -> Result<Value, ApiError> {
    if !crate::services::registry().implements(operation) {
        let mut error = ApiError::unknown_operation();
        error.fields.push((
            "message",
            format!("lightsail-emulator does not implement {operation}"),
        ));
        return Err(error);
    }
    let input: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        serde_json::from_slice(body).map_err(|_| {
            ApiError::serialization("Could not parse the request body as JSON".to_string())
        })?
    };
    shared.model.validate_input(operation, &input)?;
    Ok(input)
}

/// Runs the handler in one committed transaction, then checks and orders the output against the
/// model (outside the state lock) and serializes it.
pub(crate) fn execute(
    shared: &Shared,
    caller: Caller<'_>,
    operation: &str,
    input: &Value,
) -> Result<Vec<u8>, ApiError> {
    let mut output = shared.lock().engine.call(caller, operation, input)?;
    if let Err(mismatch) = shared.model.conform_output(operation, &mut output, false) {
        eprintln!(
            "lightsail-emulator: {operation} built a response that is not model-valid: {mismatch}"
        );
        return Err(ApiError::service(format!(
            "lightsail-emulator built a {operation} response that does not match the model ({mismatch})"
        )));
    }
    Ok(serde_json::to_vec(&output).unwrap_or_default())
}
