//! Assume-role profiles (`role_arn` with `source_profile` or `credential_source`), planned the way
//! botocore's `AssumeRoleProvider` validates them when the client is created. The STS call itself is
//! deferred until the request is signed (`call::sts`), as botocore's `DeferredRefreshableCredentials` do;
//! so are a web-identity or SSO source profile's calls, and the MFA prompt.

use super::{
    from_container, from_env, from_imds, profile_chain, CredentialError, SourceCredentials,
};
use crate::config::{ResolvedConfig, Section};

/// One pending `AssumeRole` call.
#[derive(Debug, Clone, PartialEq)]
pub struct AssumeRole {
    pub source: SourceCredentials,
    /// The call's parameters in botocore's order: the profile's options, then `RoleArn`, then the
    /// generated `RoleSessionName` when the profile names none. An empty `role_session_name` keeps its
    /// place and gets the generated name when the call is made.
    pub params: Vec<(&'static str, ParamValue)>,
    /// True when `RoleSessionName` is generated (it is then left out of the cache key).
    pub default_session_name: bool,
    /// The MFA device, when the profile has `mfa_serial` (a token code would have to be prompted for).
    pub mfa_serial: Option<String>,
}

/// A parameter value: `DurationSeconds` is an integer, everything else a string.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    Text(String),
    Int(i64),
}

impl AssumeRole {
    pub fn role_arn(&self) -> &str {
        self.params
            .iter()
            .find_map(|(k, v)| match (k, v) {
                (&"RoleArn", ParamValue::Text(arn)) => Some(arn.as_str()),
                _ => None,
            })
            .unwrap_or("")
    }
}

fn get<'a>(profile: &'a Section, key: &str) -> Option<&'a str> {
    profile
        .iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.as_text())
}

fn invalid(message: String) -> CredentialError {
    CredentialError::InvalidConfig(message)
}

/// Validates the role profile and resolves its source credentials (botocore's `_get_role_config` and
/// `_resolve_source_credentials`).
pub fn plan(
    cfg: &ResolvedConfig,
    profile_name: &str,
    visited: &mut Vec<String>,
) -> Result<AssumeRole, CredentialError> {
    let empty = Section::new();
    let profile = cfg.full.profiles.get(profile_name).unwrap_or(&empty);
    let role_arn = get(profile, "role_arn").unwrap_or("").to_owned();
    let source_profile = get(profile, "source_profile");
    let credential_source = get(profile, "credential_source");
    match (source_profile, credential_source) {
        (Some(_), Some(_)) => {
            return Err(invalid(format!(
                "The profile \"{profile_name}\" contains both source_profile and credential_source."
            )))
        }
        (None, None) => {
            return Err(CredentialError::Partial {
                provider: "assume-role",
                missing: "source_profile or credential_source",
            })
        }
        (None, Some(source)) if !matches!(source, "Environment" | "Ec2InstanceMetadata" | "EcsContainer") => {
            return Err(invalid(format!(
                "The credential source \"{source}\" referenced in profile \"{profile_name}\" is not valid."
            )))
        }
        (Some(source), None) if !cfg.full.profiles.contains_key(source) => {
            return Err(invalid(format!(
                "The source_profile \"{source}\" referenced in the profile \"{profile_name}\" does not exist."
            )))
        }
        _ => {}
    }
    let source = match (source_profile, credential_source) {
        (_, Some(named)) => {
            let env = |name: &str| cfg.env.get(name).cloned();
            let found = match named {
                "Environment" => from_env(&env)?,
                "EcsContainer" => from_container(&env)?,
                _ if cfg.ec2_metadata_disabled => None,
                _ => from_imds(cfg)?.map(|(_, found)| found),
            };
            match found {
                Some(found) => found,
                None => {
                    return Err(CredentialError::Retrieval {
                        provider: match named {
                            "Environment" => "Environment",
                            "EcsContainer" => "EcsContainer",
                            _ => "Ec2InstanceMetadata",
                        },
                        message: format!("No credentials found in credential_source referenced in profile {profile_name}"),
                    })
                }
            }
        }
        (Some(source), None) => {
            let source_section = cfg.full.profiles.get(source).unwrap_or(&empty);
            let has_static = get(source_section, "aws_access_key_id").is_some()
                || get(source_section, "aws_secret_access_key").is_some();
            // A profile may name itself to take static keys from its own section; any other revisit loops.
            if visited.iter().any(|v| v == source) && (source != profile_name || !has_static) {
                let shown: Vec<String> = visited
                    .iter()
                    .map(|v| crate::python::repr::repr_str(v))
                    .collect();
                return Err(invalid(format!(
                    "Infinite loop in credential configuration detected. Attempting to load from profile \
                     {source} which has already been visited. Visited profiles: [{}]",
                    shown.join(", ")
                )));
            }
            visited.push(source.to_owned());
            // botocore's `_has_assume_role_config_vars`: a role, unless web identity claims the profile.
            let has_role = get(source_section, "role_arn").is_some()
                && get(source_section, "web_identity_token_file").is_none();
            if has_static || !has_role {
                match profile_chain(cfg, source)? {
                    Some(found) => found,
                    None => {
                        return Err(invalid(format!(
                            "The source profile \"{source}\" must have credentials."
                        )))
                    }
                }
            } else {
                SourceCredentials::Role(Box::new(plan(cfg, source, visited)?))
            }
        }
        (None, None) => unreachable!("rejected above"),
    };
    let mut params: Vec<(&'static str, ParamValue)> = Vec::new();
    if let Some(name) = get(profile, "role_session_name") {
        params.push(("RoleSessionName", ParamValue::Text(name.to_owned())));
    }
    if let Some(id) = get(profile, "external_id") {
        params.push(("ExternalId", ParamValue::Text(id.to_owned())));
    }
    let mfa_serial = get(profile, "mfa_serial").map(str::to_owned);
    if let Some(serial) = &mfa_serial {
        params.push(("SerialNumber", ParamValue::Text(serial.clone())));
    }
    if let Some(seconds) =
        get(profile, "duration_seconds").and_then(|d| d.trim().parse::<i64>().ok())
    {
        params.push(("DurationSeconds", ParamValue::Int(seconds)));
    }
    params.push(("RoleArn", ParamValue::Text(role_arn)));
    let default_session_name = get(profile, "role_session_name").is_none_or(str::is_empty);
    let generated = ParamValue::Text(default_session_name_now());
    match params.iter_mut().find(|(k, _)| *k == "RoleSessionName") {
        Some((_, value)) if default_session_name => *value = generated,
        Some(_) => {}
        None => params.push(("RoleSessionName", generated)),
    }
    Ok(AssumeRole {
        source,
        params,
        default_session_name,
        mfa_serial,
    })
}

/// botocore's generated `RoleSessionName`: `botocore-session-<int(time.time())>`.
pub fn default_session_name_now() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    format!("botocore-session-{now}")
}
