//! The unsigned endpoints beside the Lightsail API: `/_emulator/...` for tests and the credential
//! endpoints of AWS's SDKs (container credentials, IMDSv2 under `/latest/`).
//!
//! | endpoint | what |
//! | --- | --- |
//! | `POST /_emulator/reset` | back to the seed state, configured faults, empty journal, rewound ids and clock |
//! | `GET`/`POST /_emulator/faults` | the fault queue (`POST` replaces it with a JSON list) |
//! | `GET /_emulator/state` | everything stored (private values left out) |
//! | `GET /_emulator/requests` | the request journal |
//! | `GET /_emulator/clock` | `{"now": EPOCH}` |
//! | `POST /_emulator/clock` | advances it: `{"advance": SECONDS}` (or `{"seconds": N}`, or a bare number) |
//! | `POST /_emulator/call` | runs an operation as the default account and region (or `"region"`), unsigned, unjournaled: `{"target": "CreateDisk", "body": {...}}` |
//! | `GET /_emulator/operations` | the implemented operations |
//! | `GET /_emulator/stats` | the emulator's own time per Lightsail call, by target: `{"TARGET": {"count", "total_us", "max_us"}}` |
//! | `GET /_emulator/container-credentials` | for `AWS_CONTAINER_CREDENTIALS_FULL_URI` |

use serde_json::{json, Value};

use crate::engine::clock;
use crate::engine::Caller;
use crate::error::ApiError;
use crate::protocol::faults::{Fault, FaultQueue};
use crate::protocol::http::{Request, Response};
use crate::protocol::journal::Journal;
use crate::protocol::server::{self, Shared, IMDS_TOKEN, JSON_11, ROLE_NAME};
use crate::protocol::sigv4;

fn bad_request(message: impl Into<String>) -> Response {
    Response::json(400, &json!({"error": message.into()}))
}

fn json_body(request: &Request) -> Result<Value, Response> {
    if request.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(&request.body).map_err(|e| bad_request(format!("not JSON: {e}")))
}

/// Serves `/_emulator/{endpoint}`.
pub fn endpoint(shared: &Shared, request: &Request, endpoint: &str) -> Response {
    match (request.method.as_str(), endpoint) {
        ("POST", "reset") => reset(shared),
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
                Err(message) => bad_request(message),
            }
        }
        ("GET", "faults") => {
            Response::json(200, &json!({"faults": shared.lock().faults.to_json()}))
        }
        ("GET", "state") => match shared.lock().engine.dump() {
            Ok(state) => Response::json(200, &state),
            Err(error) => Response::json(500, &error.body()),
        },
        ("GET", "requests") => Response::json(200, &shared.lock().journal.to_json()),
        ("GET", "clock") => Response::json(200, &json!({"now": shared.lock().engine.now()})),
        ("POST", "clock") => advance_clock(shared, request),
        ("POST", "call") => call(shared, request),
        ("GET", "stats") => {
            let stats = shared
                .stats
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .to_json();
            Response::json(200, &stats)
        }
        ("GET", "operations") => {
            let names: Vec<&str> = crate::services::registry().names().collect();
            Response::json(200, &json!({"operations": names}))
        }
        ("GET", "container-credentials") => match credentials(shared) {
            Some(mut credentials) => {
                credentials["RoleArn"] = json!(format!(
                    "arn:aws:iam::{}:role/{ROLE_NAME}",
                    shared.config.default_account()
                ));
                Response::json(200, &credentials)
            }
            None => Response::text(404, "no access keys configured\n"),
        },
        _ => Response::text(404, "unknown emulator endpoint\n"),
    }
}

fn reset(shared: &Shared) -> Response {
    let config = &shared.config;
    let mut inner = shared.lock();
    if let Err(error) = crate::initialize(&mut inner.engine, config) {
        return Response::text(500, &format!("could not reset: {error}\n"));
    }
    inner.faults = FaultQueue::new(config.faults.clone());
    inner.journal = Journal::new();
    inner.request_ids = server::request_id_source(config.deterministic);
    Response::json(200, &json!({"reset": true}))
}

fn advance_clock(shared: &Shared, request: &Request) -> Response {
    let body = match json_body(request) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let seconds = match &body {
        Value::Number(n) => n.as_f64(),
        Value::Object(o) => o
            .get("advance")
            .or_else(|| o.get("seconds"))
            .and_then(Value::as_f64)
            .or(Some(0.0)),
        _ => None,
    };
    let Some(seconds) = seconds else {
        return bad_request("expected {\"advance\": SECONDS}");
    };
    match shared.lock().engine.advance(seconds) {
        Ok(now) => Response::json(200, &json!({"now": now})),
        Err(error) => bad_request(error.message().unwrap_or("bad clock change").to_string()),
    }
}

/// Runs one operation for a test's set-up, exactly as a signed call from the default account would
/// run (validation, handler, transaction, response layer), but unsigned, without faults and without a
/// journal entry. Answers with the status and body the call would have had.
fn call(shared: &Shared, request: &Request) -> Response {
    let body = match json_body(request) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let target = body.get("target").and_then(Value::as_str).unwrap_or("");
    let operation = target
        .strip_prefix(shared.model.target_prefix.as_str())
        .and_then(|rest| rest.strip_prefix('.'))
        .unwrap_or(target);
    if !shared.model.has_operation(operation) {
        return bad_request(format!("{target:?} is not a Lightsail operation"));
    }
    let region = body
        .get("region")
        .and_then(Value::as_str)
        .unwrap_or(&shared.config.region)
        .to_string();
    if !server::serves(&shared.config, &region) {
        return bad_request(format!(
            "lightsail-emulator does not serve region {region:?}"
        ));
    }
    let account = body
        .get("account")
        .and_then(Value::as_str)
        .unwrap_or(shared.config.default_account())
        .to_string();
    let input = body.get("body").cloned().unwrap_or_else(|| json!({}));
    let result = serde_json::to_vec(&input)
        .map_err(|e| ApiError::serialization(e.to_string()))
        .and_then(|bytes| server::parse_input(shared, operation, &bytes))
        .and_then(|input| {
            let caller = Caller {
                account: &account,
                region: &region,
            };
            server::execute(shared, caller, operation, &input)
        });
    match result {
        Ok(bytes) => Response::new(200, JSON_11, bytes),
        Err(error) => server::with_error_type(
            shared,
            Response::new(error.status, JSON_11, error.body().to_string().into_bytes()),
            &error,
        ),
    }
}

/// Temporary credentials for the first configured key, valid for six hours of real time.
fn credentials(shared: &Shared) -> Option<Value> {
    let key = shared.config.access_keys.first()?;
    let now = clock::real_now() as i64;
    Some(json!({
        "AccessKeyId": key.id,
        "SecretAccessKey": key.secret,
        "Token": sigv4::session_token_for(&key.id),
        "Expiration": clock::iso8601(now + 6 * 3600),
    }))
}

/// Serves IMDSv2 under `/latest/`: a session token, the role name and the role's credentials.
pub fn metadata_endpoint(shared: &Shared, request: &Request) -> Response {
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
