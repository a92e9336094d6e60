//! The call's failures, each `Display`ing exactly the reference's message, and the parsing of JSON 1.1
//! error responses into a service error (botocore's `BaseJSONParser._do_error_parse` plus the generic
//! HTML/empty 5xx case). How each is framed on stderr, and its exit code (255 for all in AWS CLI v1),
//! is decided in one place, `cli::errors`.

use crate::call::json;
use crate::config::credentials::CredentialError;
use crate::http::TransportError;
use crate::python::value::Value;
use std::fmt;

/// A service error as botocore parses it (`{"Error": {"Code", "Message"}}`).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceError {
    pub code: String,
    /// Python's `str()` of the message value.
    pub message: String,
    pub status: u16,
    pub request_id: Option<String>,
}

/// Everything that can go wrong between a resolved configuration and a decoded response.
#[derive(Debug, Clone, PartialEq)]
pub enum CallError {
    NoRegion,
    NoCredentials,
    InvalidRegion(String),
    InvalidEndpoint(String),
    InvalidRetryMode(String),
    /// Python's `int()` failure text for `max_attempts`.
    InvalidMaxAttempts(String),
    /// `max_attempts` below 1.
    MaxAttemptsTooSmall(i64),
    Credentials(CredentialError),
    /// `Could not connect to the endpoint URL: "URL"`.
    Connect(String),
    ConnectTimeout(String),
    ReadTimeout(String),
    ConnectionClosed(String),
    /// `SSL validation failed for URL MESSAGE`.
    Ssl {
        url: String,
        message: String,
    },
    /// An error whose text is the whole message (an endpoint rule set's error, a setting botocore rejects).
    Message(String),
    /// `Failed to connect to proxy URL: "URL"` (the proxy URL with its credentials masked).
    ProxyConnection(String),
    /// `An HTTP Client raised an unhandled exception: MESSAGE` (botocore's `HTTPClientError`).
    HttpClient(String),
    /// Ctrl-C at the MFA prompt (Python's `KeyboardInterrupt`: awscli prints a newline on stdout, exit 130).
    Interrupted,
    /// A service error; `retries` is `Some(n)` when retries were exhausted on a retryable error.
    Service {
        error: ServiceError,
        operation: &'static str,
        retries: Option<u32>,
    },
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::NoRegion => f.write_str(
                "You must specify a region. You can also configure your region by running \"aws configure\".",
            ),
            CallError::NoCredentials => f.write_str(
                "Unable to locate credentials. You can configure credentials by running \"aws configure\".",
            ),
            CallError::InvalidRegion(r) => write!(f, "Provided region_name '{r}' doesn't match a supported format."),
            CallError::InvalidEndpoint(url) => write!(f, "Invalid endpoint: {url}"),
            CallError::InvalidRetryMode(mode) => write!(
                f,
                "Invalid value provided to \"mode\": \"{mode}\" must be one of: ('legacy', 'standard', 'adaptive')"
            ),
            CallError::InvalidMaxAttempts(value) => {
                write!(f, "invalid literal for int() with base 10: {}", crate::python::repr::repr_str(value))
            }
            CallError::MaxAttemptsTooSmall(n) => write!(
                f,
                "Value provided to \"max_attempts\": {n} must be an integer greater than or equal to 1."
            ),
            CallError::Credentials(e) => write!(f, "{e}"),
            CallError::Interrupted => Ok(()),
            CallError::Connect(url) => f.write_str(&TransportError::Connect.describe(url)),
            CallError::ConnectTimeout(url) => f.write_str(&TransportError::ConnectTimeout.describe(url)),
            CallError::ReadTimeout(url) => f.write_str(&TransportError::ReadTimeout.describe(url)),
            CallError::ConnectionClosed(url) => f.write_str(&TransportError::Closed.describe(url)),
            CallError::Ssl { url, message } => write!(f, "SSL validation failed for {url} {message}"),
            CallError::Message(message) => f.write_str(message),
            CallError::ProxyConnection(url) => write!(f, "Failed to connect to proxy URL: \"{url}\""),
            CallError::HttpClient(message) => {
                write!(f, "An HTTP Client raised an unhandled exception: {message}")
            }
            CallError::Service { error, operation, retries } => {
                let retry_info = retries.map(|n| format!(" (reached max retries: {n})")).unwrap_or_default();
                write!(
                    f,
                    "An error occurred ({}) when calling the {operation} operation{retry_info}: {}",
                    error.code, error.message
                )
            }
        }
    }
}

impl std::error::Error for CallError {}

/// Python's `str()` of a JSON value used as an error message.
fn python_str(value: &Value) -> String {
    match value {
        Value::String(s) => s.to_string(),
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.python_repr(),
        other => json::encode(other),
    }
}

/// http.client's reason phrases for the generic 5xx error (`http.client.responses`).
fn reason_phrase(status: u16) -> &'static str {
    match status {
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        510 => "Not Extended",
        511 => "Network Authentication Required",
        _ => "",
    }
}

/// Parses an error response (status >= 301) the way botocore's JSON parser does.
pub fn parse_service_error(status: u16, headers: &[(String, String)], body: &[u8]) -> ServiceError {
    let request_id = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("x-amzn-requestid"))
        .map(|(_, v)| v.clone());
    let trimmed = body.trim_ascii();
    if status >= 500 && (trimmed.is_empty() || trimmed.starts_with(b"<html>")) {
        return ServiceError {
            code: status.to_string(),
            message: reason_phrase(status).to_owned(),
            status,
            request_id: None,
        };
    }
    let text = String::from_utf8_lossy(body);
    let parsed = if body.is_empty() {
        Value::Object(Default::default())
    } else {
        match json::decode(&text) {
            Ok(v) => v,
            Err(_) => {
                let mut map = crate::python::value::Map::new();
                map.insert("message", Value::String(text.as_ref().into()));
                Value::Object(map)
            }
        }
    };
    let map = parsed.as_object().cloned().unwrap_or_default();
    let message = map
        .get("message")
        .or_else(|| map.get("Message"))
        .map(python_str)
        .unwrap_or_default();
    // `body.get('__type', str(status))`; a JSON null leaves the code empty (`if code is not None`).
    let mut code = match map.get("__type") {
        Some(Value::Null) => String::new(),
        Some(v) => python_str(v),
        None => status.to_string(),
    };
    if let Some((head, _)) = code.split_once(':') {
        code = head.to_owned();
    }
    if let Some((_, tail)) = code.rsplit_once('#') {
        code = tail.to_owned();
    }
    ServiceError {
        code,
        message,
        status,
        request_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_parse_like_botocore() {
        let e = parse_service_error(
            400,
            &[],
            br#"{"__type":"com.amazonaws.lightsail#NotFoundException","Message":"x"}"#,
        );
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("NotFoundException", "x")
        );
        let e = parse_service_error(400, &[], b"oops");
        assert_eq!((e.code.as_str(), e.message.as_str()), ("400", "oops"));
        let e = parse_service_error(503, &[], b"  ");
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("503", "Service Unavailable")
        );
        assert_eq!(crate::python::repr::repr_str("x"), "'x'");
    }
}
