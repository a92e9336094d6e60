//! The SSO calls behind SSO profiles, made when a request is first signed (botocore's
//! `SSOCredentialFetcher` and `SSOTokenProvider`): the access token from `~/.aws/sso/cache` (refreshed
//! through SSO OIDC `CreateToken` for a session profile when it nears expiry, the new token written back
//! atomically), then the unsigned `GetRoleCredentials` (`GET /federation/credentials`, the token in the
//! `x-amz-sso_bearer_token` header). Both services speak REST-JSON. Role credentials are not written to
//! disk: AWS CLI v1 keeps them in memory only.

use super::{error, http, json, sigv4, CallError, Client, ServiceError};
use crate::config::credentials::cache::{index, python_str, JsonFileCache};
use crate::config::credentials::expiry::{self, Expiry};
use crate::config::credentials::sso::{self, SsoRole};
use crate::config::credentials::{CredentialError, Credentials};
use crate::python::value::{Map, Value};
use std::time::Duration;

/// A session token with less than this left is refreshed (botocore's `_REFRESH_WINDOW`).
const TOKEN_REFRESH_WINDOW: f64 = 15.0 * 60.0;

fn other(message: String) -> CallError {
    CallError::Credentials(CredentialError::Other(message))
}

/// botocore's `_urljoin`: the endpoint's path joined with the operation's.
fn join_url(endpoint: &str, path: &str) -> String {
    let (scheme, rest) = endpoint.split_once("://").unwrap_or(("", endpoint));
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (netloc, tail) = rest.split_at(end);
    let base_path = tail.split(['?', '#']).next().unwrap_or("");
    let joined = match base_path.strip_suffix('/') {
        Some(trimmed) => format!("{trimmed}{path}"),
        None => format!("{base_path}{path}"),
    };
    format!("{scheme}://{netloc}{joined}")
}

/// A REST-JSON error (botocore's `RestJSONParser`): the code from `x-amzn-ErrorType`, else the body's
/// `code`/`__type`; the message from `message`/`Message`.
fn rest_json_error(response: &http::Response) -> ServiceError {
    let mut error = error::parse_service_error(response.status, &response.headers, &response.body);
    let header = response
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("x-amzn-errortype"))
        .map(|(_, v)| v.clone());
    let body = json::decode(&String::from_utf8_lossy(&response.body)).unwrap_or(Value::Null);
    let from_body = body
        .as_object()
        .and_then(|m| m.get("code").or_else(|| m.get("Code")))
        .map(python_str);
    if let Some(code) = header.or(from_body) {
        let head = code.split(':').next().unwrap_or_default();
        error.code = head.rsplit('#').next().unwrap_or_default().to_owned();
    }
    error
}

impl Client {
    /// `GetRoleCredentials` for `role`, with its token loaded (and refreshed) first.
    pub(super) fn fetch_sso(&self, role: &SsoRole) -> Result<(Credentials, Expiry), CallError> {
        // botocore creates the SSO client (and checks its region) before it loads the token.
        if !super::valid_region_name(&role.sso_region) {
            return Err(CallError::InvalidRegion(role.sso_region.clone()));
        }
        let token = self.sso_access_token(role)?;
        let endpoint = self
            .cfg
            .sso_endpoint_url
            .clone()
            .unwrap_or_else(|| format!("https://portal.sso.{}.amazonaws.com", role.sso_region));
        let query = format!(
            "role_name={}&account_id={}",
            sigv4::uri_quote(&role.role_name, ""),
            sigv4::uri_quote(&role.account_id, "")
        );
        let url = format!("{}?{query}", join_url(&endpoint, "/federation/credentials"));
        let headers = vec![("x-amz-sso_bearer_token".to_owned(), token)];
        let response = self
            .rest_json_call("GET", &url, &endpoint, headers, None, "GetRoleCredentials")
            .map_err(|e| match e {
                CallError::Service { error, .. } if error.code == "UnauthorizedException" => {
                    CallError::Credentials(CredentialError::SsoUnauthorized)
                }
                other => other,
            })?;
        let creds = index(&response, "roleCredentials").map_err(other)?;
        let field = |name: &str| index(creds, name).map(python_str).map_err(other);
        let (access_key, secret_key, token) = (
            field("accessKeyId")?,
            field("secretAccessKey")?,
            field("sessionToken")?,
        );
        let millis = match index(creds, "expiration").map_err(other)? {
            Value::Number(n) => n.as_f64(),
            v => {
                return Err(other(format!(
                    "unsupported operand type(s) for /: '{}' and 'float'",
                    crate::python::types::type_name(v)
                )))
            }
        };
        // botocore formats `expiration / 1000` with `%Y-%m-%dT%H:%M:%SZ`, then parses that back.
        let seconds = (millis / 1000.0).floor();
        Ok((
            Credentials {
                access_key,
                secret_key,
                token: Some(token),
                method: "sso",
            },
            Expiry::Aware(seconds),
        ))
    }

    /// The access token botocore's SSO fetcher sends: a legacy profile's, checked for expiry, or a
    /// session's, refreshed when it nears expiry.
    fn sso_access_token(&self, role: &SsoRole) -> Result<String, CallError> {
        let credential = CallError::Credentials;
        let home = self.cfg.env.get("HOME").map(String::as_str);
        let Some(cache) = JsonFileCache::sso(home) else {
            return Err(credential(CredentialError::SsoTokenLoad(format!(
                "Token for {} does not exist",
                role.session_name.as_deref().unwrap_or(&role.start_url)
            ))));
        };
        let session = sso::token_session(&self.cfg, role).map_err(credential)?;
        let Some((session_name, start_url, sso_region)) = session else {
            let token = sso::load_token(&cache, &role.start_url, None).map_err(credential)?;
            let left =
                sso::seconds_left(&token.expires_at, expiry::now_seconds()).map_err(credential)?;
            if left <= 0.0 {
                return Err(credential(CredentialError::SsoUnauthorized));
            }
            return Ok(token.access_token);
        };
        self.log.info(
            "botocore.tokens",
            &format!("Loading cached SSO token for {session_name}"),
        );
        let mut token =
            sso::load_token(&cache, &start_url, Some(&session_name)).map_err(credential)?;
        let mut left =
            sso::seconds_left(&token.expires_at, expiry::now_seconds()).map_err(credential)?;
        if left < TOKEN_REFRESH_WINDOW {
            if let Some((fresh, expires_in)) =
                self.refresh_sso_token(&token.value, &start_url, &sso_region)?
            {
                let key = sso::token_cache_key(&start_url, Some(&session_name));
                cache.set(&key, &json::encode(&fresh)).map_err(other)?;
                token.access_token = index(&fresh, "accessToken")
                    .map(python_str)
                    .unwrap_or_default();
                left = expires_in;
            }
        }
        if left <= 0.0 {
            return Err(credential(CredentialError::SsoTokenExpired));
        }
        Ok(token.access_token)
    }

    /// botocore's `_refresh_access_token`: `None` when the token cannot be refreshed (keys missing,
    /// registration expired, or the service said no); otherwise the new token (in the cache file's
    /// layout) and the seconds it has left.
    fn refresh_sso_token(
        &self,
        token: &Value,
        start_url: &str,
        sso_region: &str,
    ) -> Result<Option<(Value, f64)>, CallError> {
        let keys = [
            "refreshToken",
            "clientId",
            "clientSecret",
            "registrationExpiresAt",
        ];
        let Some(map) = token.as_object() else {
            return Ok(None);
        };
        let missing: Vec<&str> = keys
            .iter()
            .copied()
            .filter(|k| !map.contains_key(k))
            .collect();
        if !missing.is_empty() {
            let shown: Vec<String> = missing
                .iter()
                .map(|k| crate::python::repr::repr_str(k))
                .collect();
            self.log.info(
                "botocore.tokens",
                &format!(
                    "Unable to refresh SSO token: missing keys: [{}]",
                    shown.join(", ")
                ),
            );
            return Ok(None);
        }
        let registration = sso::seconds_left(&map["registrationExpiresAt"], expiry::now_seconds())
            .map_err(CallError::Credentials)?;
        if registration <= 0.0 {
            self.log
                .info("botocore.tokens", "SSO token registration expired");
            return Ok(None);
        }
        if !super::valid_region_name(sso_region) {
            return Err(CallError::InvalidRegion(sso_region.to_owned()));
        }
        let mut body = Map::new();
        body.insert("grantType", Value::String("refresh_token".into()));
        for key in ["clientId", "clientSecret", "refreshToken"] {
            body.insert(key, map[key].clone());
        }
        let endpoint = self
            .cfg
            .sso_oidc_endpoint_url
            .clone()
            .unwrap_or_else(|| format!("https://oidc.{sso_region}.amazonaws.com"));
        let url = join_url(&endpoint, "/token");
        let headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
        let body = json::encode(&Value::Object(body));
        let response =
            match self.rest_json_call("POST", &url, &endpoint, headers, Some(&body), "CreateToken")
            {
                Ok(response) => response,
                // A service error (botocore's `ClientError`) only fails the refresh.
                Err(CallError::Service { .. }) => {
                    self.log
                        .info("botocore.tokens", "SSO token refresh attempt failed");
                    return Ok(None);
                }
                Err(e) => return Err(e),
            };
        let expires_in = match index(&response, "expiresIn").map_err(other)? {
            Value::Number(n) => n.as_f64(),
            v => {
                return Err(other(format!(
                    "unsupported type for timedelta seconds component: {}",
                    crate::python::types::type_name(v)
                )))
            }
        };
        let now = expiry::now_seconds();
        let mut fresh = Map::new();
        fresh.insert("startUrl", Value::String(start_url.into()));
        fresh.insert("region", Value::String(sso_region.into()));
        fresh.insert(
            "accessToken",
            index(&response, "accessToken").cloned().map_err(other)?,
        );
        fresh.insert(
            "expiresAt",
            Value::String((expiry::format_utc((now + expires_in).floor() as i64)).into()),
        );
        for key in ["clientId", "clientSecret", "registrationExpiresAt"] {
            fresh.insert(key, map[key].clone());
        }
        if let Some(refresh) = response.as_object().and_then(|m| m.get("refreshToken")) {
            fresh.insert("refreshToken", refresh.clone());
        }
        self.log
            .info("botocore.tokens", "SSO Token refresh succeeded");
        Ok(Some((Value::Object(fresh), expires_in)))
    }

    /// One unsigned REST-JSON call with retries; the decoded body of a success.
    fn rest_json_call(
        &self,
        method: &str,
        url_text: &str,
        endpoint: &str,
        extra_headers: Vec<(String, String)>,
        body: Option<&str>,
        operation: &'static str,
    ) -> Result<Value, CallError> {
        let url = http::Url::parse(url_text)
            .ok_or_else(|| CallError::InvalidEndpoint(endpoint.to_owned()))?;
        let invocation_id = super::uuid4();
        let mut attempt = 1u32;
        loop {
            let mut headers: Vec<(String, String)> = vec![
                ("Host".into(), url.host_header()),
                ("Accept-Encoding".into(), "identity".into()),
            ];
            headers.extend(extra_headers.iter().cloned());
            headers.push(("User-Agent".into(), self.user_agent_with(&["s"])));
            headers.push(("amz-sdk-invocation-id".into(), invocation_id.clone()));
            let request = if attempt == 1 {
                "attempt=1".to_owned()
            } else {
                format!("attempt={attempt}; max={}", self.retry.max_attempts)
            };
            headers.push(("amz-sdk-request".into(), request));
            if let Some(body) = body {
                headers.push(("Content-Length".into(), body.len().to_string()));
            }
            let payload = body.unwrap_or("").as_bytes();
            let outcome = self.send_request(method, &url, &headers, payload, false);
            let retryable = match &outcome {
                Ok(response) if response.status < 301 => {
                    let text = String::from_utf8_lossy(&response.body);
                    if text.trim().is_empty() {
                        return Ok(Value::Object(Map::new()));
                    }
                    return json::decode(&text).map_err(other);
                }
                Ok(response) => {
                    let error = rest_json_error(response);
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
                        error: rest_json_error(&response),
                        operation,
                        retries: retryable.then_some(attempt - 1),
                    },
                    Err(e) => super::transport_error(e, url_text),
                });
            }
            let delay = self.retry.delay_seconds(attempt, (self.random)());
            (self.sleep)(Duration::from_secs_f64(delay.max(0.0)));
            attempt += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_join_like_botocore() {
        assert_eq!(
            join_url("http://127.0.0.1:9", "/token"),
            "http://127.0.0.1:9/token"
        );
        assert_eq!(
            join_url("http://127.0.0.1:9/", "/token"),
            "http://127.0.0.1:9/token"
        );
        assert_eq!(
            join_url("https://h/base", "/federation/credentials"),
            "https://h/base/federation/credentials"
        );
    }
}
