//! The `AssumeRole` call behind assume-role profiles, made when the request is first signed (botocore's
//! deferred credentials), with AWS CLI v1's credential cache: `~/.aws/cli/cache/<sha1 of the call's
//! parameters>.json`, reused while it has more than 15 minutes left, written after every STS call.
//! STS speaks the query protocol: a form-encoded POST signed for `sts`, and XML back.

use super::{debug, error, json, sigv4, CallError, Client, ServiceError};
use crate::config::credentials::{AssumeRole, Credentials, ParamValue, SourceCredentials};
use crate::http;
use crate::python::value::{Map, Number, Value};
use sha1::{Digest, Sha1};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Credentials are refreshed when less than this is left (botocore's `EXPIRY_WINDOW_SECONDS`).
const EXPIRY_WINDOW_SECONDS: i64 = 15 * 60;

impl Client {
    /// Turns resolved credentials into signing credentials, calling STS for (possibly chained) roles.
    pub(super) fn materialize(&self, source: &SourceCredentials) -> Result<Credentials, CallError> {
        match source {
            SourceCredentials::Ready(creds) => Ok(creds.clone()),
            SourceCredentials::Role(role) => {
                let caller = self.materialize(&role.source)?;
                self.assume_role(role, &caller)
            }
        }
    }

    fn assume_role(
        &self,
        role: &AssumeRole,
        caller: &Credentials,
    ) -> Result<Credentials, CallError> {
        let cache_path = self.cache_path(role);
        if let Some(path) = &cache_path {
            if let Some(creds) = read_cache(path, (self.now)()) {
                self.log.debug(
                    "botocore.credentials",
                    "Credentials for role retrieved from cache.",
                );
                return Ok(creds);
            }
        }
        let (response, body) = self.call_sts(role, caller)?;
        let field = |tag: &str| xml_text(&body, tag);
        let (Some(access_key), Some(secret_key), Some(token), Some(expiration)) = (
            field("AccessKeyId"),
            field("SecretAccessKey"),
            field("SessionToken"),
            field("Expiration"),
        ) else {
            return Err(CallError::Credentials(
                crate::config::credentials::CredentialError::Other("'Credentials'".into()),
            ));
        };
        if let Some(path) = &cache_path {
            let mut credentials = Map::new();
            credentials.insert("AccessKeyId".into(), Value::String(access_key.clone()));
            credentials.insert("SecretAccessKey".into(), Value::String(secret_key.clone()));
            credentials.insert("SessionToken".into(), Value::String(token.clone()));
            credentials.insert("Expiration".into(), Value::String(expiration));
            let arn = field("Arn");
            if let Some(account) = arn.as_deref().and_then(arn_account) {
                credentials.insert("AccountId".into(), Value::String(account));
            }
            let mut cached = Map::new();
            cached.insert("Credentials".into(), Value::Object(credentials));
            if body.contains("<AssumedRoleUser>") {
                let mut user = Map::new();
                for tag in ["AssumedRoleId", "Arn"] {
                    if let Some(v) = field(tag) {
                        user.insert(tag.into(), Value::String(v));
                    }
                }
                cached.insert("AssumedRoleUser".into(), Value::Object(user));
            }
            let mut metadata = Map::new();
            if let Some(id) = field("RequestId") {
                metadata.insert("RequestId".into(), Value::String(id));
            }
            metadata.insert(
                "HTTPStatusCode".into(),
                Value::Number(Number::Int(i64::from(response.status))),
            );
            let headers: Map = response
                .headers
                .iter()
                .map(|(n, v)| (n.to_ascii_lowercase(), Value::String(v.clone())))
                .collect();
            metadata.insert("HTTPHeaders".into(), Value::Object(headers));
            metadata.insert(
                "RetryAttempts".into(),
                Value::Number(Number::Int(i64::from(response.retries))),
            );
            cached.insert("ResponseMetadata".into(), Value::Object(metadata));
            write_cache(path, &json::encode(&Value::Object(cached)));
        }
        Ok(Credentials {
            access_key,
            secret_key,
            token: Some(token),
            method: "assume-role",
        })
    }

    /// `~/.aws/cli/cache/<sha1 of json.dumps(params, sort_keys=True)>.json`, the generated session name left out.
    fn cache_path(&self, role: &AssumeRole) -> Option<std::path::PathBuf> {
        let home = self.cfg.env.get("HOME")?;
        let mut params: Vec<(&str, &ParamValue)> = role
            .params
            .iter()
            .filter(|(k, _)| !(role.default_session_name && *k == "RoleSessionName"))
            .map(|(k, v)| (*k, v))
            .collect();
        params.sort_by(|a, b| a.0.cmp(b.0));
        let map: Map = params
            .into_iter()
            .map(|(k, v)| (k.to_owned(), param_value(v)))
            .collect();
        let key = sigv4::hex(&Sha1::digest(json::encode(&Value::Object(map)).as_bytes()));
        Some(
            std::path::Path::new(home)
                .join(".aws/cli/cache")
                .join(format!("{key}.json")),
        )
    }

    fn call_sts(
        &self,
        role: &AssumeRole,
        caller: &Credentials,
    ) -> Result<(StsResponse, String), CallError> {
        let endpoint = self.sts_endpoint()?;
        let url_text = super::request_url(&endpoint);
        let url = http::Url::parse(&url_text)
            .ok_or_else(|| CallError::InvalidEndpoint(endpoint.clone()))?;
        let mut body = String::from("Action=AssumeRole&Version=2011-06-15");
        for (key, value) in &role.params {
            let text = match value {
                ParamValue::Text(t) => t.clone(),
                ParamValue::Int(n) => n.to_string(),
            };
            body.push_str(&format!("&{key}={}", sigv4::uri_quote(&text, "")));
        }
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
                ("User-Agent".into(), self.user_agent_with(&["o", "n", "i"])),
            ];
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
            headers.push(("amz-sdk-invocation-id".into(), invocation_id.clone()));
            let request = if attempt == 1 {
                "attempt=1".to_owned()
            } else {
                format!("attempt={attempt}; max={}", self.retry.max_attempts)
            };
            headers.push(("amz-sdk-request".into(), request));
            headers.push(("Content-Length".into(), body.len().to_string()));
            let outcome = self.send_once(&url, &headers, body.as_bytes());
            let retryable = match &outcome {
                Ok(response) if response.status < 301 => {
                    let text = String::from_utf8_lossy(&response.body).into_owned();
                    let sts = StsResponse {
                        status: response.status,
                        headers: response.headers.clone(),
                        retries: attempt - 1,
                    };
                    return Ok((sts, text));
                }
                Ok(response) => {
                    let error = xml_error(response);
                    self.retry.is_retryable(&super::retry::Outcome::Response {
                        status: response.status,
                        code: &error.code,
                    })
                }
                Err(_) => self.retry.is_retryable(&super::retry::Outcome::Transport),
            };
            if !retryable || attempt >= self.retry.max_attempts {
                return Err(match outcome {
                    Ok(response) => CallError::Service {
                        error: xml_error(&response),
                        operation: "AssumeRole",
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

/// What the cache keeps of the STS response besides the XML.
pub(super) struct StsResponse {
    status: u16,
    headers: Vec<(String, String)>,
    retries: u32,
}

fn param_value(v: &ParamValue) -> Value {
    match v {
        ParamValue::Text(t) => Value::String(t.clone()),
        ParamValue::Int(n) => Value::Number(Number::Int(*n)),
    }
}

/// The account of an ARN (`arn:partition:service:region:account:resource`), as botocore's `ArnParser`.
fn arn_account(arn: &str) -> Option<String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    (parts.len() == 6 && parts[0] == "arn").then(|| parts[4].to_owned())
}

/// The text of the first `<tag>...</tag>` element, with XML entities decoded.
fn xml_text(xml: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{tag}>"))? + start;
    Some(
        xml[start..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

/// A query-protocol error body (`<ErrorResponse><Error><Code>..</Code><Message>..</Message>`).
fn xml_error(response: &http::Response) -> ServiceError {
    let body = String::from_utf8_lossy(&response.body);
    let trimmed = body.trim();
    if response.status >= 500 && (trimmed.is_empty() || trimmed.starts_with("<html>")) {
        return error::parse_service_error(response.status, &response.headers, &response.body);
    }
    ServiceError {
        code: xml_text(&body, "Code").unwrap_or_else(|| response.status.to_string()),
        message: xml_text(&body, "Message").unwrap_or_default(),
        status: response.status,
        request_id: xml_text(&body, "RequestId"),
    }
}

/// Cached credentials that are still good for more than the expiry window.
fn read_cache(path: &std::path::Path, now: SystemTime) -> Option<Credentials> {
    let text = std::fs::read_to_string(path).ok()?;
    let value = json::decode(&text).ok()?;
    let creds = value.as_object()?.get("Credentials")?.as_object()?;
    let field = |k: &str| creds.get(k).and_then(Value::as_str).map(str::to_owned);
    let expires = parse_iso8601(&field("Expiration")?)?;
    let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs() as i64;
    if expires - now < EXPIRY_WINDOW_SECONDS {
        return None;
    }
    Some(Credentials {
        access_key: field("AccessKeyId")?,
        secret_key: field("SecretAccessKey")?,
        token: field("SessionToken"),
        method: "assume-role",
    })
}

/// Writes the cache file with mode 0600 through a temporary file, as awscli's `JSONFileCache` does.
fn write_cache(path: &std::path::Path, content: &str) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let temp = dir.join(format!(".{}.tmp", super::uuid4()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&temp).and_then(|mut f| {
        use std::io::Write;
        f.write_all(content.as_bytes())
    });
    if written.is_ok() {
        let _ = std::fs::rename(&temp, path);
    } else {
        let _ = std::fs::remove_file(&temp);
    }
}

/// Seconds since the epoch of `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`.
fn parse_iso8601(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<i64>().ok();
    let (y, mo, d, h, mi, s) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
        num(17..19)?,
    );
    let mut rest = &text[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(frac.len());
        rest = &frac[digits..];
    }
    let offset = match rest {
        "" | "Z" | "z" => 0,
        tz if tz.len() == 6 && (tz.starts_with('+') || tz.starts_with('-')) => {
            let sign = if tz.starts_with('-') { -1 } else { 1 };
            sign * (tz.get(1..3)?.parse::<i64>().ok()? * 3600
                + tz.get(4..6)?.parse::<i64>().ok()? * 60)
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo, d);
    Some(days * 86_400 + h * 3600 + mi * 60 + s - offset)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_helpers() {
        assert_eq!(parse_iso8601("1970-01-02T00:00:00Z"), Some(86_400));
        assert_eq!(
            parse_iso8601("2015-08-30T12:36:00.123+01:00"),
            Some(1_440_938_160 - 3600)
        );
        assert_eq!(
            arn_account("arn:aws:sts::123456789012:assumed-role/Demo/s").as_deref(),
            Some("123456789012")
        );
        assert_eq!(arn_account("arn:x"), None);
        assert_eq!(
            xml_text("<a><Code>X&amp;Y</Code></a>", "Code").as_deref(),
            Some("X&Y")
        );
    }
}
