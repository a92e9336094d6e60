//! SSO profiles (botocore's `SSOProvider` and `SSOTokenProvider`): the legacy keys (`sso_start_url`,
//! `sso_region`, `sso_account_id`, `sso_role_name`) or a reference to an `[sso-session NAME]` section, and
//! the access token `aws sso login` left in `~/.aws/sso/cache/<sha1 of the start URL or session name>.json`.
//!
//! The profile is checked when the chain runs (missing keys, unknown or conflicting session); the token is
//! read, refreshed and used when the request is signed (`call::sso`), with the errors botocore raises
//! there. A legacy token is never refreshed: expired is expired. A session's token with less than 15
//! minutes left is refreshed through SSO OIDC `CreateToken` when it carries a refresh token and an
//! unexpired client registration; a failed refresh is ignored unless the token has expired.

use super::cache::{contains_key, index, JsonFileCache};
use super::expiry::{self, Expiry};
use super::CredentialError;
use crate::config::{ConfigValue, ResolvedConfig, Section};
use crate::python::value::Value;
use sha1::{Digest, Sha1};

/// One pending `GetRoleCredentials` call.
#[derive(Debug, Clone, PartialEq)]
pub struct SsoRole {
    /// The profile the provider was built for (the token provider's messages name it).
    pub profile_name: String,
    pub start_url: String,
    pub sso_region: String,
    pub account_id: String,
    pub role_name: String,
    /// `sso_session` when the profile names one (the token then comes from the session's cache file and
    /// may be refreshed).
    pub session_name: Option<String>,
}

const PROFILE_KEYS: [&str; 2] = ["sso_role_name", "sso_account_id"];
const REQUIRED_KEYS: [&str; 4] = [
    "sso_role_name",
    "sso_account_id",
    "sso_start_url",
    "sso_region",
];

fn text(section: &Section, key: &str) -> Option<String> {
    section
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| match v {
            ConfigValue::Text(t) => t.clone(),
            ConfigValue::Nested(pairs) => format!("{pairs:?}"),
        })
}

/// The provider for `profile_name`: `Ok(None)` unless the profile names a role or an account.
pub fn plan(cfg: &ResolvedConfig, profile_name: &str) -> Result<Option<SsoRole>, CredentialError> {
    let empty = Section::new();
    let profile = cfg.full.profiles.get(profile_name).unwrap_or(&empty);
    if PROFILE_KEYS.iter().all(|k| text(profile, k).is_none()) {
        return Ok(None);
    }
    let mut merged: Vec<(String, String)> = profile
        .iter()
        .filter_map(|(k, _)| text(profile, k).map(|v| (k.clone(), v)))
        .collect();
    let session_name = text(profile, "sso_session");
    let mut required: Vec<&str> = REQUIRED_KEYS.to_vec();
    if let Some(name) = &session_name {
        let Some(session) = cfg.full.sso_sessions.get(name) else {
            return Err(CredentialError::InvalidConfig(format!(
                "The specified sso-session does not exist: \"{name}\""
            )));
        };
        for (key, _) in session {
            let value = text(session, key).unwrap_or_default();
            match merged.iter_mut().find(|(k, _)| k == key) {
                Some((_, existing)) if *existing != value => {
                    return Err(CredentialError::InvalidConfig(format!(
                        "The value for {key} is inconsistent between profile ({existing}) and \
                         sso-session ({value})."
                    )))
                }
                Some(_) => {}
                None => merged.push((key.clone(), value)),
            }
        }
        required.push("sso_session");
    }
    let get = |key: &str| {
        merged
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|k| get(k).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(CredentialError::InvalidConfig(format!(
            "The profile \"{profile_name}\" is configured to use SSO but is missing required \
             configuration: {}",
            missing.join(", ")
        )));
    }
    let value = |key: &str| get(key).unwrap_or_default();
    Ok(Some(SsoRole {
        profile_name: profile_name.to_owned(),
        start_url: value("sso_start_url"),
        sso_region: value("sso_region"),
        account_id: value("sso_account_id"),
        role_name: value("sso_role_name"),
        session_name,
    }))
}

/// The session whose token a session profile uses (botocore's `SSOTokenProvider._load_sso_config`): its
/// own `sso_start_url` and `sso_region`, checked when the token is needed.
pub fn token_session(
    cfg: &ResolvedConfig,
    role: &SsoRole,
) -> Result<Option<(String, String, String)>, CredentialError> {
    let Some(name) = &role.session_name else {
        return Ok(None);
    };
    let profile = &role.profile_name;
    let Some(session) = cfg.full.sso_sessions.get(name).filter(|s| !s.is_empty()) else {
        return Err(CredentialError::InvalidConfig(format!(
            "The profile \"{profile}\" is configured to use the SSO token provider but the \"{name}\" \
             sso_session configuration does not exist."
        )));
    };
    let missing: Vec<String> = ["sso_start_url", "sso_region"]
        .iter()
        .filter(|k| text(session, k).is_none())
        .map(|k| crate::python::repr::repr_str(k))
        .collect();
    if !missing.is_empty() {
        return Err(CredentialError::InvalidConfig(format!(
            "The profile \"{profile}\" is configured to use the SSO token provider but is missing the \
             following configuration: [{}].",
            missing.join(", ")
        )));
    }
    Ok(Some((
        name.clone(),
        text(session, "sso_start_url").unwrap_or_default(),
        text(session, "sso_region").unwrap_or_default(),
    )))
}

/// The token cache key: sha1 of the session name, or of the start URL for legacy profiles.
pub fn token_cache_key(start_url: &str, session_name: Option<&str>) -> String {
    let input = session_name.unwrap_or(start_url);
    Sha1::digest(input.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A token as the cache file holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedToken {
    /// The whole file (kept to write it back with a new access token).
    pub value: Value,
    pub access_token: String,
    pub expires_at: Value,
}

/// botocore's `SSOTokenLoader`: the cached token for a start URL or session, or its error.
pub fn load_token(
    cache: &JsonFileCache,
    start_url: &str,
    session_name: Option<&str>,
) -> Result<CachedToken, CredentialError> {
    let key = token_cache_key(start_url, session_name);
    if !cache.contains(&key) {
        return Err(CredentialError::SsoTokenLoad(format!(
            "Token for {} does not exist",
            session_name.unwrap_or(start_url)
        )));
    }
    let value = cache.get(&key).map_err(CredentialError::Other)?;
    let has = |k: &str| contains_key(&value, k).map_err(CredentialError::Other);
    if !has("accessToken")? || !has("expiresAt")? {
        return Err(CredentialError::SsoTokenLoad(format!(
            "Token for {start_url} is invalid"
        )));
    }
    let access_token = index(&value, "accessToken")
        .map(super::cache::python_str)
        .map_err(CredentialError::Other)?;
    let expires_at = index(&value, "expiresAt")
        .cloned()
        .map_err(CredentialError::Other)?;
    Ok(CachedToken {
        value,
        access_token,
        expires_at,
    })
}

/// Seconds a cached time (`expiresAt`, `registrationExpiresAt`) has left, with dateutil's and Python's
/// errors.
pub fn seconds_left(value: &Value, now: f64) -> Result<f64, CredentialError> {
    let expiry: Expiry = expiry::parse_value(value).map_err(CredentialError::Other)?;
    expiry.seconds_left(now).map_err(CredentialError::Other)
}
