//! Web identity (botocore's `AssumeRoleWithWebIdentityProvider`): a token file plus a role, from the
//! environment (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`; not with
//! `--profile`) or the profile (`web_identity_token_file`, `role_arn`, `role_session_name`), each key on
//! its own: an environment variable that is set (even empty) wins over the profile's key. Planned here;
//! the token file is read and the unsigned `AssumeRoleWithWebIdentity` call is made when the request is
//! signed (`call::sts`).

use super::CredentialError;
use crate::config::{ResolvedConfig, Section};

/// One pending `AssumeRoleWithWebIdentity` call.
#[derive(Debug, Clone, PartialEq)]
pub struct WebIdentity {
    pub role_arn: String,
    /// `RoleSessionName` as configured; `None` or empty: [`WebIdentity::generated_session_name`].
    pub session_name: Option<String>,
    /// `botocore-session-<time>`, made when the provider was planned and sent at every fetch (botocore's
    /// fetcher makes it once, in its constructor).
    pub generated_session_name: String,
    /// Read at every fetch that misses the cache (never when the cache answers).
    pub token_file: String,
    /// True for the chain's own provider, whose responses awscli caches in `~/.aws/cli/cache`; a
    /// `source_profile`'s provider only keeps them in memory.
    pub disk_cache: bool,
}

const NO_ROLE_ARN: &str = "The provided profile or the current environment is configured to assume \
     role with web identity but has no role ARN configured. Ensure that the profile has the role_arn\
     configuration set or the AWS_ROLE_ARN env var is set.";

/// The provider for `profile_name`: `Ok(None)` when no token file is configured (or it is empty).
pub fn plan(
    cfg: &ResolvedConfig,
    profile_name: &str,
    use_env: bool,
    disk_cache: bool,
) -> Result<Option<WebIdentity>, CredentialError> {
    let empty = Section::new();
    let profile = cfg.full.profiles.get(profile_name).unwrap_or(&empty);
    let get = |key: &str, var: &str| -> Option<String> {
        if use_env {
            if let Some(value) = cfg.env.get(var) {
                return Some(value.clone());
            }
        }
        profile
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.as_text())
            .map(str::to_owned)
    };
    let token_file = match get("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE") {
        Some(path) if !path.is_empty() => path,
        _ => return Ok(None),
    };
    let role_arn = match get("role_arn", "AWS_ROLE_ARN") {
        Some(arn) if !arn.is_empty() => arn,
        _ => return Err(CredentialError::InvalidConfig(NO_ROLE_ARN.into())),
    };
    Ok(Some(WebIdentity {
        role_arn,
        session_name: get("role_session_name", "AWS_ROLE_SESSION_NAME"),
        generated_session_name: super::default_session_name_now(),
        token_file,
        disk_cache,
    }))
}
