//! The identity services AWS's credential providers call, served beside Lightsail on the same port so a
//! client pointed at the emulator with `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT_URL_STS`, `_SSO`,
//! `_SSO_OIDC`) gets its credentials from it: STS `AssumeRole` and `AssumeRoleWithWebIdentity` (query
//! protocol: a form POST to `/`, XML back; [`sts`]), IAM Identity Center `GetRoleCredentials`
//! (`GET /federation/credentials`) and SSO OIDC `CreateToken` (`POST /token`), both REST-JSON ([`sso`]).
//! They are apart from the Lightsail families: no state in the store, no model validation.
//!
//! Issued credentials are derived, not stored: an access key id is `ASIA` + 12 hex digits + a 4-digit
//! tag that only the emulator computes, its secret and session token follow from the id, so SigV4
//! verification recognises every key the emulator ever issued (across resets and restarts) and nothing
//! else. SSO access and refresh tokens carry the same kind of tag. Issued keys and tokens depend only on
//! what they are issued for (a role ARN, an account and role, a refresh token): the same calls give the
//! same bytes. Lifetimes are counted on the real clock, even with `--deterministic`, because clients
//! check expiry against their own clock; `--identity` shortens them to test expiry.
//!
//! Every identity request is journaled (`target` `sts:AssumeRole`, `sso:GetRoleCredentials`, ...): the
//! STS form body as sent, SSO's query and bearer token, OIDC's JSON body.

pub mod sso;
pub mod sts;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::engine::clock;
use crate::protocol::http::{Request, Response};
use crate::protocol::server::Shared;
use crate::protocol::sigv4;

/// What the identity services accept and how long what they issue lives (`--identity JSON`).
#[derive(Debug, Clone, PartialEq)]
pub struct IdentityConfig {
    /// The MFA code `AssumeRole` accepts for any `SerialNumber` (default `123456`).
    pub mfa_code: String,
    /// SSO access tokens `GetRoleCredentials` accepts, besides those `CreateToken` issued.
    pub sso_access_tokens: Vec<String>,
    /// SSO OIDC clients `(clientId, clientSecret)` that may refresh tokens; empty: any client.
    pub sso_clients: Vec<(String, String)>,
    /// Refresh tokens `CreateToken` accepts, besides those it issued.
    pub sso_refresh_tokens: Vec<String>,
    /// `ACCOUNT/ROLE` pairs `GetRoleCredentials` serves; empty: every pair.
    pub sso_roles: Vec<String>,
    /// Seconds STS credentials live (default: the call's `DurationSeconds`, else 3600).
    pub sts_lifetime: Option<i64>,
    /// Seconds SSO role credentials live (default 3600).
    pub sso_lifetime: i64,
    /// Seconds an SSO access token from `CreateToken` lives (`expiresIn`, default 28800).
    pub token_lifetime: i64,
    /// Seconds container and instance-metadata credentials live (default 21600).
    pub metadata_lifetime: i64,
}

impl Default for IdentityConfig {
    fn default() -> IdentityConfig {
        IdentityConfig {
            mfa_code: "123456".to_string(),
            sso_access_tokens: Vec::new(),
            sso_clients: Vec::new(),
            sso_refresh_tokens: Vec::new(),
            sso_roles: Vec::new(),
            sts_lifetime: None,
            sso_lifetime: 3600,
            token_lifetime: 28_800,
            metadata_lifetime: 6 * 3600,
        }
    }
}

impl IdentityConfig {
    /// `--identity '{"mfa_code": "...", "sso_access_tokens": [...], "sso_clients": [{"id": ..,
    /// "secret": ..}], "sso_refresh_tokens": [...], "sso_roles": ["ACCOUNT/ROLE"], "lifetimes": {"sts":
    /// S, "sso": S, "token": S, "metadata": S}}'`; every key optional, lifetimes may be negative.
    pub fn parse(text: &str) -> Result<IdentityConfig, String> {
        let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let object = value
            .as_object()
            .ok_or("expected a JSON object".to_string())?;
        let mut config = IdentityConfig::default();
        let strings = |v: &Value, what: &str| -> Result<Vec<String>, String> {
            v.as_array()
                .ok_or(format!("{what} must be a list of strings"))?
                .iter()
                .map(|s| {
                    s.as_str()
                        .map(str::to_string)
                        .ok_or(format!("{what} must be a list of strings"))
                })
                .collect()
        };
        for (key, v) in object {
            match key.as_str() {
                "mfa_code" => {
                    config.mfa_code = v.as_str().ok_or("mfa_code must be a string")?.to_string()
                }
                "sso_access_tokens" => config.sso_access_tokens = strings(v, key)?,
                "sso_refresh_tokens" => config.sso_refresh_tokens = strings(v, key)?,
                "sso_roles" => config.sso_roles = strings(v, key)?,
                "sso_clients" => {
                    let list = v.as_array().ok_or("sso_clients must be a list")?;
                    for client in list {
                        let field = |name: &str| {
                            client
                                .get(name)
                                .and_then(Value::as_str)
                                .map(str::to_string)
                                .ok_or(format!("an sso_clients entry needs a string \"{name}\""))
                        };
                        config.sso_clients.push((field("id")?, field("secret")?));
                    }
                }
                "lifetimes" => {
                    let lifetimes = v.as_object().ok_or("lifetimes must be an object")?;
                    for (kind, seconds) in lifetimes {
                        let seconds = seconds
                            .as_i64()
                            .ok_or(format!("lifetimes.{kind} must be an integer"))?;
                        match kind.as_str() {
                            "sts" => config.sts_lifetime = Some(seconds),
                            "sso" => config.sso_lifetime = seconds,
                            "token" => config.token_lifetime = seconds,
                            "metadata" => config.metadata_lifetime = seconds,
                            other => return Err(format!("unknown lifetime {other:?}")),
                        }
                    }
                }
                other => return Err(format!("unknown --identity key {other:?}")),
            }
        }
        Ok(config)
    }
}

/// Answers an identity request, or `None` when the request is not one (it is then a Lightsail call).
pub fn serve(shared: &Shared, request: &Request) -> Option<Response> {
    let path = request.path();
    match (request.method.as_str(), path) {
        // A query-protocol request never carries X-Amz-Target; a form POST that does is a Lightsail
        // request in the wrong protocol, which the Lightsail front end answers.
        ("POST", "/") if is_form(request) && request.header("x-amz-target").is_none() => {
            Some(sts::serve(shared, request))
        }
        ("GET", "/federation/credentials") => Some(sso::get_role_credentials(shared, request)),
        ("POST", "/token") => Some(sso::create_token(shared, request)),
        _ => None,
    }
}

fn is_form(request: &Request) -> bool {
    request.header("content-type").is_some_and(|v| {
        v.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .eq_ignore_ascii_case("application/x-www-form-urlencoded")
    })
}

/// Journals one identity request; returns its request id.
pub(crate) fn journal(shared: &Shared, request: &Request, target: &str, body: Value) -> String {
    let signed_headers = sigv4::signed_header_names(request);
    let signature = shared
        .config
        .journal_signatures
        .then(|| sigv4::signature_of(request));
    let mut inner = shared.lock();
    inner
        .journal
        .record(target, body, signed_headers, signature);
    inner.request_ids.uuid_v4()
}

/// A response with the emulator's `Date` (frozen in deterministic mode) and a request id.
pub(crate) fn response(
    shared: &Shared,
    status: u16,
    content_type: &str,
    request_id: &str,
    body: Vec<u8>,
) -> Response {
    let now = if shared.config.deterministic {
        shared.lock().engine.now()
    } else {
        clock::real_now()
    };
    Response::new(status, content_type, body)
        .with_header("x-amzn-RequestId", request_id)
        .with_header("Date", &clock::http_date(now as i64))
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The tag that makes an issued value recognisable: hex digits of a hash only the emulator computes.
fn tag(kind: &str, body: &str, len: usize) -> String {
    let digest = Sha256::digest(format!("lightsail-emulator-issued:{kind}:{body}").as_bytes());
    hex_upper(&digest)[..len].to_string()
}

/// Temporary credentials issued for `seed` (what they are for), living `lifetime` seconds from now.
#[derive(Debug, Clone, PartialEq)]
pub struct Issued {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    /// Seconds since the epoch.
    pub expiration: i64,
}

/// Issues credentials for `seed`.
pub fn issue(seed: &str, lifetime: i64) -> Issued {
    let body = hex_upper(&Sha256::digest(format!("key:{seed}").as_bytes()))[..12].to_string();
    let access_key_id = format!("ASIA{body}{}", tag("key", &body, 4));
    Issued {
        secret_access_key: issued_secret_of(&access_key_id),
        session_token: sigv4::session_token_for(&access_key_id),
        access_key_id,
        expiration: clock::real_now() as i64 + lifetime,
    }
}

fn issued_secret_of(access_key_id: &str) -> String {
    let digest = Sha256::digest(format!("lightsail-emulator-secret:{access_key_id}").as_bytes());
    format!("EmulatorIssuedSecret{}", &hex_lower(&digest)[..20])
}

/// The secret of a key the emulator issued, or `None` for any other key id.
pub fn issued_secret(access_key_id: &str) -> Option<String> {
    let body = access_key_id.strip_prefix("ASIA")?;
    if body.len() != 16 || !body.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let (body, given) = body.split_at(12);
    (tag("key", body, 4) == given).then(|| issued_secret_of(access_key_id))
}

/// An SSO token (`prefix` + body + tag) issued for `seed`.
fn issue_token(prefix: &str, seed: &str) -> String {
    let body = hex_lower(&Sha256::digest(format!("{prefix}:{seed}").as_bytes()))[..40].to_string();
    format!(
        "{prefix}{body}{}",
        tag(prefix, &body, 8).to_ascii_lowercase()
    )
}

/// Whether `token` is an SSO token the emulator issued with `prefix`.
fn is_issued_token(prefix: &str, token: &str) -> bool {
    token
        .strip_prefix(prefix)
        .filter(|rest| rest.len() == 48)
        .is_some_and(|rest| tag(prefix, &rest[..40], 8).to_ascii_lowercase() == rest[40..])
}

/// The journal body of a JSON request: its parsed body, or its text when it is not JSON.
pub(crate) fn json_or_text(body: &[u8]) -> Value {
    serde_json::from_slice::<Value>(body)
        .unwrap_or_else(|_| json!(String::from_utf8_lossy(body).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_keys_are_recognised_and_nothing_else() {
        let issued = issue("role:arn:aws:iam::123456789012:role/Demo", 3600);
        assert!(issued.access_key_id.starts_with("ASIA"));
        assert_eq!(issued.access_key_id.len(), 20);
        assert_eq!(
            issued_secret(&issued.access_key_id).as_deref(),
            Some(issued.secret_access_key.as_str())
        );
        assert_eq!(
            issue("role:arn:aws:iam::123456789012:role/Demo", 1).access_key_id,
            issued.access_key_id
        );
        assert_eq!(issued_secret("ASIA0000000000000000"), None);
        assert_eq!(issued_secret("AKIDEXAMPLE"), None);
        let token = issue_token("aoa", "refresh");
        assert!(is_issued_token("aoa", &token));
        assert!(!is_issued_token("aoa", "aoa-made-up"));
    }

    #[test]
    fn identity_flag_parses() {
        let config = IdentityConfig::parse(
            r#"{"mfa_code": "654321", "sso_access_tokens": ["t"], "sso_clients": [{"id": "c", "secret": "s"}],
                "lifetimes": {"sts": -60, "metadata": 300}}"#,
        )
        .unwrap();
        assert_eq!(config.mfa_code, "654321");
        assert_eq!(config.sts_lifetime, Some(-60));
        assert_eq!(config.metadata_lifetime, 300);
        assert_eq!(config.sso_clients, vec![("c".to_string(), "s".to_string())]);
        assert!(IdentityConfig::parse(r#"{"bogus": 1}"#).is_err());
        assert!(IdentityConfig::parse("[]").is_err());
    }
}
