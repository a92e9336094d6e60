//! `aws configure set varname value`: which file, section and key a name means (awscli's
//! `ConfigureSetCommand`), then [`super::writer`] writes it.
//!
//! `region` goes to the selected profile (`[default]` when none is), `default.region` and
//! `profile.NAME.region` name the profile, `preview.x` / `plugins.x` their own sections, and a dotted
//! name whose first part is none of these is a nested setting of the selected profile
//! (`s3.max_concurrent_requests` -> `s3 =` block). Credentials (`aws_access_key_id`, ...) go to the
//! credentials file under the bare profile name; everything else to the config file under
//! `[profile NAME]` (quoted when the name holds whitespace).

use super::session::Session;
use super::writer::{self, NewValue};
use super::{expanduser, profile_to_section, ConfigureError, PREDEFINED_SECTIONS};

/// Keys written to the credentials file instead of the config file.
const CREDENTIALS_FILE_KEYS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "aws_security_token",
];

/// Where a `set` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The file, `~` expanded.
    pub path: String,
    pub section: String,
    pub key: String,
    pub value: NewValue,
}

/// Works out where `varname = value` goes.
pub fn target(
    varname: &str,
    value: &str,
    session: &Session,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Target, ConfigureError> {
    let mut profile = "default".to_string();
    let mut key = varname.to_string();
    let mut new_value = NewValue::Text(value.to_string());
    let nested = |sub: &str| NewValue::Nested(vec![(sub.to_string(), value.to_string())]);
    if !varname.contains('.') {
        if let Some(selected) = &session.profile {
            profile = selected.clone();
        }
    } else {
        let parts: Vec<&str> = varname.split('.').collect();
        if parts[0] == "default" || parts[0] == "profile" {
            let remaining: &[&str] = if parts[0] == "default" {
                &parts[1..]
            } else {
                profile = parts[1].to_string();
                &parts[2..]
            };
            let first = remaining.first().ok_or(ConfigureError::IndexOutOfRange)?;
            key = first.to_string();
            if remaining.len() == 2 {
                new_value = nested(remaining[1]);
            }
        } else if !PREDEFINED_SECTIONS.contains(&parts[0]) {
            if let Some(selected) = &session.profile {
                profile = selected.clone();
            }
            key = parts[0].to_string();
            if parts.len() == 2 {
                new_value = nested(parts[1]);
            }
        } else if parts.len() == 2 {
            profile = parts[0].to_string();
            key = parts[1].to_string();
        }
    }
    let (path, section) = if CREDENTIALS_FILE_KEYS.contains(&key.as_str()) {
        (expanduser(&session.credentials_file, env), profile)
    } else if PREDEFINED_SECTIONS.contains(&profile.as_str()) || profile == "default" {
        (expanduser(&session.config_file, env), profile)
    } else {
        (
            expanduser(&session.config_file, env),
            profile_to_section(&profile),
        )
    };
    Ok(Target {
        path,
        section,
        key,
        value: new_value,
    })
}

/// Runs `aws configure set`.
pub fn run(
    varname: &str,
    value: &str,
    session: &Session,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(), ConfigureError> {
    let target = target(varname, value, session, env)?;
    writer::update_config(&target.section, &[(target.key, target.value)], &target.path)?;
    Ok(())
}
