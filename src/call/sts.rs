//! The STS calls behind assume-role and web-identity credentials, made when a request is first signed
//! (botocore's deferred credentials): `AssumeRole`, signed with the source credentials, with the MFA code
//! prompted for when the profile has `mfa_serial`; and `AssumeRoleWithWebIdentity`, unsigned, with the
//! token file read at each call. Both go through AWS CLI v1's credential cache,
//! `~/.aws/cli/cache/<sha1 of the call's parameters>.json` (botocore's `CachedCredentialFetcher` with
//! awscli's `JSONFileCache`): reused while it has 15 minutes left, written after every call, and read with
//! botocore's errors when it holds something else. A web-identity `source_profile` keeps its answer in
//! memory only, as botocore's does.
//!
//! STS speaks the query protocol: a form-encoded POST, XML back. The response is cached as botocore parses
//! it: the output shape's members in model order (timestamps kept as text, as awscli keeps them),
//! `Credentials.AccountId` from the role's ARN, then `ResponseMetadata`.

use super::refresh::Holder;
use super::{debug, error, http, json, sigv4, CallError, Client, ServiceError};
use crate::config::credentials::cache::{index, python_str, JsonFileCache};
use crate::config::credentials::expiry::{self, Expiry};
use crate::config::credentials::{
    AssumeRole, CredentialError, Credentials, ParamValue, WebIdentity,
};
use crate::process::getpass::PromptError;
use crate::python::repr::{repr_bytes, repr_str};
use crate::python::value::{Map, Number, Value};
use crate::python::xml;
use sha1::{Digest, Sha1};
use std::time::Duration;

/// Cached credentials are reused while they have at least this long left (botocore's expiry window).
const CACHE_WINDOW_SECONDS: f64 = 15.0 * 60.0;

/// Members of the two output shapes, in model order, with whether each is an integer.
const ASSUME_ROLE_MEMBERS: &[(&str, bool)] = &[
    ("Credentials", false),
    ("AssumedRoleUser", false),
    ("PackedPolicySize", true),
    ("SourceIdentity", false),
];
const WEB_IDENTITY_MEMBERS: &[(&str, bool)] = &[
    ("Credentials", false),
    ("SubjectFromWebIdentityToken", false),
    ("AssumedRoleUser", false),
    ("PackedPolicySize", true),
    ("Provider", false),
    ("Audience", false),
    ("SourceIdentity", false),
];
const CREDENTIALS_MEMBERS: &[&str] = &[
    "AccessKeyId",
    "SecretAccessKey",
    "SessionToken",
    "Expiration",
];
const ROLE_USER_MEMBERS: &[&str] = &["AssumedRoleId", "Arn"];

/// A parameter's minimum length (or value, for integers) in the STS model; botocore checks only minima.
fn minimum(name: &str) -> Option<i64> {
    match name {
        "RoleArn" => Some(20),
        "RoleSessionName" | "ExternalId" => Some(2),
        "SerialNumber" => Some(9),
        "TokenCode" => Some(6),
        "WebIdentityToken" => Some(4),
        "DurationSeconds" => Some(900),
        _ => None,
    }
}

/// botocore's parameter validation of the STS call's input.
fn validate(params: &[(&'static str, ParamValue)]) -> Result<(), CallError> {
    let mut errors = Vec::new();
    for (name, value) in params {
        let Some(min) = minimum(name) else { continue };
        match value {
            ParamValue::Text(text) if (text.chars().count() as i64) < min => errors.push(format!(
                "Invalid length for parameter {name}, value: {}, valid min length: {min}",
                text.chars().count()
            )),
            ParamValue::Int(n) if *n < min => errors.push(format!(
                "Invalid value for parameter {name}, value: {n}, valid min value: {min}"
            )),
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(CallError::Credentials(CredentialError::Other(format!(
            "Parameter validation failed:\n{}",
            errors.join("\n")
        ))))
    }
}

fn param_value(v: &ParamValue) -> Value {
    match v {
        ParamValue::Text(t) => Value::String(t.as_str().into()),
        ParamValue::Int(n) => Value::Number(Number::Int(*n)),
    }
}

/// The cache key: sha1 of `json.dumps(params, sort_keys=True)`, a generated session name left out.
fn cache_key(params: &[(&'static str, ParamValue)], default_session_name: bool) -> String {
    let mut kept: Vec<&(&str, ParamValue)> = params
        .iter()
        .filter(|(k, _)| !(default_session_name && *k == "RoleSessionName"))
        .collect();
    kept.sort_by(|a, b| a.0.cmp(b.0));
    let map: Map = kept
        .into_iter()
        .map(|(k, v)| ((*k).to_owned(), param_value(v)))
        .collect();
    let digest = Sha1::digest(json::encode(&Value::Object(map)).as_bytes());
    sigv4::hex(&digest)
}

fn credential_error(message: String) -> CallError {
    CallError::Credentials(CredentialError::Other(message))
}

impl Client {
    /// botocore's `CachedCredentialFetcher.fetch_credentials`: the cached response while it is fresh
    /// enough, otherwise `fetch()`'s, written to the cache. Returns the credentials and their expiry.
    fn cached_fetch(
        &self,
        cache: Option<(JsonFileCache, String)>,
        method: &'static str,
        fetch: impl FnOnce() -> Result<Value, CallError>,
    ) -> Result<(Credentials, Expiry), CallError> {
        let mut response = None;
        if let Some((cache, key)) = &cache {
            if cache.contains(key) {
                let cached = cache.get(key).map_err(credential_error)?;
                let expiration = index(&cached, "Credentials")
                    .and_then(|c| index(c, "Expiration"))
                    .map_err(credential_error)?;
                let left = expiry::parse_value(expiration)
                    .and_then(|e| e.seconds_left(expiry::now_seconds()))
                    .map_err(credential_error)?;
                if left < CACHE_WINDOW_SECONDS {
                    self.log.debug(
                        "botocore.credentials",
                        "Credentials were found in cache, but they are expired.",
                    );
                } else {
                    self.log.debug(
                        "botocore.credentials",
                        "Credentials for role retrieved from cache.",
                    );
                    response = Some(cached);
                }
            }
        }
        let response = match response {
            Some(cached) => cached,
            None => {
                let fresh = fetch()?;
                if let Some((cache, key)) = &cache {
                    cache
                        .set(key, &json::encode(&fresh))
                        .map_err(credential_error)?;
                }
                fresh
            }
        };
        let creds = index(&response, "Credentials").map_err(credential_error)?;
        let field = |name: &str| index(creds, name).map(python_str).map_err(credential_error);
        let (access_key, secret_key, token) = (
            field("AccessKeyId")?,
            field("SecretAccessKey")?,
            field("SessionToken")?,
        );
        let expiration = index(creds, "Expiration").map_err(credential_error)?;
        let expiry = expiry::parse_value(expiration).map_err(credential_error)?;
        Ok((
            Credentials {
                access_key,
                secret_key,
                token: Some(token),
                method,
            },
            expiry,
        ))
    }

    /// `AssumeRole` for `role`, its source credentials from `source` (fetched only when STS is called).
    pub(super) fn fetch_assume_role(
        &self,
        role: &AssumeRole,
        source: &mut Holder,
    ) -> Result<(Credentials, Expiry), CallError> {
        // The generated `RoleSessionName` is the one the plan made: botocore's fetcher makes it once,
        // when the provider loads, and sends it again at every refresh.
        let mut params = role.params.clone();
        let cache = JsonFileCache::cli(self.cfg.env.get("HOME").map(String::as_str))
            .map(|c| (c, cache_key(&params, role.default_session_name)));
        self.cached_fetch(cache, "assume-role", || {
            if let Some(serial) = &role.mfa_serial {
                let code = self.prompt(&format!("Enter MFA code for {serial}: "))?;
                params.push(("TokenCode", ParamValue::Text(code)));
            }
            let caller = source.frozen(self)?;
            validate(&params)?;
            self.call_sts("AssumeRole", &params, Some(&caller))
        })
    }

    /// `AssumeRoleWithWebIdentity` for `web`: unsigned, the token read from its file now.
    pub(super) fn fetch_web_identity(
        &self,
        web: &WebIdentity,
    ) -> Result<(Credentials, Expiry), CallError> {
        let mut params: Vec<(&'static str, ParamValue)> = Vec::new();
        let configured = web.session_name.as_deref().filter(|n| !n.is_empty());
        if let Some(name) = &web.session_name {
            params.push(("RoleSessionName", ParamValue::Text(name.clone())));
        }
        params.push(("RoleArn", ParamValue::Text(web.role_arn.clone())));
        let generated = web.generated_session_name.clone();
        match params.iter_mut().find(|(k, _)| *k == "RoleSessionName") {
            Some((_, value)) if configured.is_none() => *value = ParamValue::Text(generated),
            Some(_) => {}
            None => params.push(("RoleSessionName", ParamValue::Text(generated))),
        }
        let cache = if web.disk_cache {
            JsonFileCache::cli(self.cfg.env.get("HOME").map(String::as_str))
                .map(|c| (c, cache_key(&params, configured.is_none())))
        } else {
            None
        };
        self.cached_fetch(cache, "assume-role-with-web-identity", || {
            let token = std::fs::read(&web.token_file).map_err(|e| {
                credential_error(crate::config::credentials::cache::os_error(
                    &e,
                    &web.token_file,
                ))
            })?;
            // Python's text mode: universal newlines.
            let token = String::from_utf8_lossy(&token)
                .replace("\r\n", "\n")
                .replace('\r', "\n");
            params.push(("WebIdentityToken", ParamValue::Text(token)));
            validate(&params)?;
            self.call_sts("AssumeRoleWithWebIdentity", &params, None)
        })
    }

    /// Asks for a code the way botocore does (`getpass.getpass`).
    fn prompt(&self, text: &str) -> Result<String, CallError> {
        (self.prompter)(text, &*self.log.sink).map_err(|e| match e {
            PromptError::Eof => credential_error(String::new()),
            PromptError::Interrupted => CallError::Interrupted,
        })
    }

    /// One STS call with retries: signed with `caller`, or unsigned. Returns the parsed response as
    /// botocore caches it.
    fn call_sts(
        &self,
        action: &'static str,
        params: &[(&'static str, ParamValue)],
        caller: Option<&Credentials>,
    ) -> Result<Value, CallError> {
        let endpoint = self.sts_endpoint()?;
        let url_text = super::request_url(&endpoint);
        let url = http::Url::parse(&url_text)
            .ok_or_else(|| CallError::InvalidEndpoint(endpoint.clone()))?;
        let mut body = format!("Action={action}&Version=2011-06-15");
        for (key, value) in params {
            let text = match value {
                ParamValue::Text(t) => t.clone(),
                ParamValue::Int(n) => n.to_string(),
            };
            // `urlencode`: `quote_plus`, so a space is `+`.
            let encoded = sigv4::uri_quote(&text, "").replace("%20", "+");
            body.push_str(&format!("&{key}={encoded}"));
        }
        let features: &[&str] = if caller.is_some() {
            &["o", "n", "i"]
        } else {
            &["k"]
        };
        let invocation_id = super::uuid4();
        let mut attempt = 1u32;
        loop {
            let mut headers: Vec<(String, String)> = vec![
                ("Host".into(), url.host_header()),
                ("Accept-Encoding".into(), "identity".into()),
                (
                    "Content-Type".into(),
                    "application/x-www-form-urlencoded; charset=utf-8".into(),
                ),
                ("User-Agent".into(), self.user_agent_with(features)),
            ];
            if let Some(caller) = caller {
                let amz_date = debug::amz_date((self.now)());
                headers.push(("X-Amz-Date".into(), amz_date.clone()));
                if let Some(token) = &caller.token {
                    headers.push(("X-Amz-Security-Token".into(), token.clone()));
                }
                let signed: Vec<(String, String)> = headers
                    .iter()
                    .filter(|(n, _)| !matches!(n.as_str(), "Accept-Encoding" | "User-Agent"))
                    .cloned()
                    .collect();
                let signature = sigv4::sign(
                    &sigv4::SigningInput {
                        method: "POST",
                        path: &url.path,
                        query: &url.query,
                        headers: &signed,
                        body: body.as_bytes(),
                        amz_date: &amz_date,
                        region: &self.region,
                        service: "sts",
                    },
                    &sigv4::SigningKeys {
                        access_key: &caller.access_key,
                        secret_key: &caller.secret_key,
                    },
                );
                headers.push(("Authorization".into(), signature.authorization));
            }
            headers.push(("amz-sdk-invocation-id".into(), invocation_id.clone()));
            let request = if attempt == 1 {
                "attempt=1".to_owned()
            } else {
                format!("attempt={attempt}; max={}", self.retry.max_attempts)
            };
            headers.push(("amz-sdk-request".into(), request));
            headers.push(("Content-Length".into(), body.len().to_string()));
            let outcome = self.send_request("POST", &url, &headers, body.as_bytes(), false);
            // An error body that does not parse fails the call at once, before any retry.
            let outcome = match outcome {
                Ok(response) if response.status < 301 => {
                    return parse_response(action, &response, attempt - 1);
                }
                Ok(response) => Ok(xml_error(&response)?),
                Err(e) => Err(e),
            };
            let retryable = match &outcome {
                Ok(error) => self.retry.is_retryable(&super::retry::Outcome::Response {
                    status: error.status,
                    code: &error.code,
                }),
                Err(_) => self.retry.is_retryable(&super::retry::Outcome::Transport),
            };
            if !retryable || attempt >= self.retry.max_attempts {
                return Err(match outcome {
                    Ok(error) => CallError::Service {
                        error,
                        operation: action,
                        retries: retryable.then_some(attempt - 1),
                    },
                    Err(e) => super::transport_error(e, &url_text),
                });
            }
            let delay = self.retry.delay_seconds(attempt, (self.random)());
            (self.sleep)(Duration::from_secs_f64(delay.max(0.0)));
            attempt += 1;
        }
    }
}

/// botocore's `_parse_xml_string_to_dom`: the body as an XML tree, or its `ResponseParserError`
/// (expat's message, then the body's `repr`), which stops the credential fetch.
fn parse_xml(body: &[u8]) -> Result<xml::Element, CallError> {
    xml::parse(body).map_err(|e| {
        credential_error(format!(
            "Unable to parse response ({e}), invalid XML received. Further retries may succeed:\n{}",
            repr_bytes(body)
        ))
    })
}

/// An element's text as botocore's `_text_content` reads it (`''` for an empty element).
fn text_of(element: &xml::Element) -> String {
    element.text.clone().unwrap_or_default()
}

/// The response as botocore's query parser gives it (see the module doc). A body without the
/// `<ActionResult>` wrapper is a `KeyError` naming it.
fn parse_response(
    action: &str,
    response: &http::Response,
    retries: u32,
) -> Result<Value, CallError> {
    let root = parse_xml(&response.body)?;
    let result_tag = format!("{action}Result");
    let result = root
        .child(&result_tag)
        .ok_or_else(|| credential_error(repr_str(&result_tag)))?;
    let members = if action == "AssumeRole" {
        ASSUME_ROLE_MEMBERS
    } else {
        WEB_IDENTITY_MEMBERS
    };
    let mut out = Map::new();
    for (member, is_int) in members {
        let Some(node) = result.child(member) else {
            continue;
        };
        let value = match *member {
            "Credentials" => structure(node, CREDENTIALS_MEMBERS),
            "AssumedRoleUser" => structure(node, ROLE_USER_MEMBERS),
            _ if *is_int => {
                let text = text_of(node);
                text.trim()
                    .parse::<i64>()
                    .map(|n| Value::Number(Number::Int(n)))
                    .unwrap_or(Value::String(text.into()))
            }
            _ => Value::String(text_of(node).into()),
        };
        out.insert((*member).to_owned(), value);
    }
    let arn = out
        .get("AssumedRoleUser")
        .and_then(Value::as_object)
        .and_then(|u| u.get("Arn"))
        .and_then(Value::as_str)
        .and_then(arn_account);
    if let (Some(account), Some(Value::Object(creds))) = (arn, out.get_mut("Credentials")) {
        creds.insert("AccountId", Value::String(account.into()));
    }
    // `_inject_response_metadata`: every child of `<ResponseMetadata>`, by its text.
    let mut metadata = Map::new();
    if let Some(node) = root.child("ResponseMetadata") {
        for child in &node.children {
            let text = child
                .text
                .clone()
                .map(|s| Value::String(s.into()))
                .unwrap_or(Value::Null);
            metadata.insert(child.local_name().to_owned(), text);
        }
    }
    metadata.insert(
        "HTTPStatusCode",
        Value::Number(Number::Int(i64::from(response.status))),
    );
    let mut headers = Map::new();
    for (name, value) in &response.headers {
        headers.insert(
            name.to_ascii_lowercase(),
            Value::String(value.as_str().into()),
        );
    }
    metadata.insert("HTTPHeaders", Value::Object(headers));
    metadata.insert(
        "RetryAttempts",
        Value::Number(Number::Int(i64::from(retries))),
    );
    out.insert("ResponseMetadata", Value::Object(metadata));
    Ok(Value::Object(out))
}

fn structure(node: &xml::Element, members: &[&str]) -> Value {
    let mut map = Map::new();
    for member in members {
        if let Some(child) = node.child(member) {
            map.insert((*member).to_owned(), Value::String(text_of(child).into()));
        }
    }
    Value::Object(map)
}

/// The account of an ARN (`arn:partition:service:region:account:resource`), as botocore's `ArnParser`.
fn arn_account(arn: &str) -> Option<String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    (parts.len() == 6 && parts[0] == "arn").then(|| parts[4].to_owned())
}

/// A query-protocol error body (`<ErrorResponse><Error><Code>..</Code><Message>..</Message>`), as
/// botocore's `QueryParser._do_error_parse` and `ClientError` read it: the root's children by name
/// (`<Errors>` unwrapped), `Unknown` for a missing code or message. A 5xx whose body is empty or HTML
/// is the generic error; any other body that is not XML is the parser's error.
fn xml_error(response: &http::Response) -> Result<ServiceError, CallError> {
    let trimmed = response.body.trim_ascii();
    if response.status >= 500 && (trimmed.is_empty() || trimmed.starts_with(b"<html>")) {
        return Ok(error::parse_service_error(
            response.status,
            &response.headers,
            &response.body,
        ));
    }
    let root = parse_xml(&response.body)?;
    let error = root
        .child("Error")
        .or_else(|| root.child("Errors").and_then(|e| e.child("Error")));
    let field = |name: &str| {
        error
            .and_then(|e| e.child(name))
            .map(|n| n.text.clone().unwrap_or_else(|| "None".into()))
            .unwrap_or_else(|| "Unknown".into())
    };
    Ok(ServiceError {
        code: field("Code"),
        message: field("Message"),
        status: response.status,
        request_id: root.child("RequestId").and_then(|n| n.text.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_helpers() {
        assert_eq!(
            arn_account("arn:aws:sts::123456789012:assumed-role/Demo/s").as_deref(),
            Some("123456789012")
        );
        assert_eq!(arn_account("arn:x"), None);
        let root = xml::parse(b"<a><Code>X&amp;Y</Code><Provider x=\"1\">p</Provider></a>")
            .expect("well-formed");
        assert_eq!(root.child("Code").map(text_of).as_deref(), Some("X&Y"));
        assert_eq!(root.child("Provider").map(text_of).as_deref(), Some("p"));
        assert!(root.child("ProviderId").is_none());
        // The web-identity cache key of the default session name: sha1 of {"RoleArn": ...}.
        let params = vec![
            (
                "RoleArn",
                ParamValue::Text("arn:aws:iam::123456789012:role/WebRole".into()),
            ),
            (
                "RoleSessionName",
                ParamValue::Text("botocore-session-1".into()),
            ),
        ];
        assert_eq!(
            cache_key(&params, true),
            "e5ca68d76c119993b60d950a5ffabf7445470b19"
        );
    }

    #[test]
    fn validation_reports_minima_in_parameter_order() {
        let params = vec![
            ("RoleSessionName", ParamValue::Text("a".into())),
            ("RoleArn", ParamValue::Text("arn:x".into())),
            ("DurationSeconds", ParamValue::Int(100)),
        ];
        let Err(CallError::Credentials(CredentialError::Other(text))) = validate(&params) else {
            panic!("expected a validation error");
        };
        assert_eq!(
            text,
            "Parameter validation failed:\nInvalid length for parameter RoleSessionName, value: 1, \
             valid min length: 2\nInvalid length for parameter RoleArn, value: 5, valid min length: \
             20\nInvalid value for parameter DurationSeconds, value: 100, valid min value: 900"
        );
    }
}
