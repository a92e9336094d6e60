//! `aws configure get varname`: a value of the files as awscli's `ConfigureGetCommand` finds it.
//!
//! A plain name is read from the selected profile (`get_scoped_config`, never the environment); a dotted
//! name may name the profile (`default.region`, `profile.dev.region`, or a known profile's name first),
//! a predefined section (`preview.cloudfront`), or a nested setting (`s3.addressing_style`). A string is
//! printed with a newline (exit 0); a nested block is refused (exit 1); nothing found prints nothing
//! (exit 1).

use super::session::{self, Session};
use super::{ConfigureError, PREDEFINED_SECTIONS};
use crate::config::ConfigValue;

/// What `get` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Text(String),
    /// A nested block (`s3 =`): the reference refuses to print it.
    Section,
    Nothing,
}

/// Looks `varname` up.
pub fn lookup(varname: &str, session: &Session) -> Result<Found, ConfigureError> {
    if !varname.contains('.') {
        let scoped = session.scoped_config()?;
        return Ok(found(session::get(&scoped, varname)));
    }
    let parts: Vec<&str> = varname.split('.').collect();
    if parts.len() == 2 && PREDEFINED_SECTIONS.contains(&parts[0]) {
        let (section, name) = (parts[0], parts[1]);
        let value = session
            .other_section(section)
            .and_then(|s| session::get(s, name))
            .or_else(|| {
                session
                    .profile_section(section)
                    .and_then(|s| session::get(s, name))
            });
        return Ok(found(value));
    }
    let (profile, name, remaining): (String, &str, &[&str]) = if parts[0] == "profile" {
        let name = parts.get(2).ok_or(ConfigureError::IndexOutOfRange)?;
        (parts[1].to_string(), name, &parts[3..])
    } else if parts[0] == "default" || session.profile_section(parts[0]).is_some() {
        (parts[0].to_string(), parts[1], &parts[2..])
    } else {
        let profile = session.profile.clone().unwrap_or_else(|| "default".into());
        (profile, parts[0], &parts[1..])
    };
    let value = session
        .profile_section(&profile)
        .and_then(|s| session::get(s, name));
    if let [sub] = remaining {
        // `value.get(sub)`: only a nested block has sub-keys (AttributeError otherwise: None).
        return Ok(match value {
            Some(nested @ ConfigValue::Nested(_)) => nested
                .nested_get(sub)
                .map_or(Found::Nothing, |v| Found::Text(v.to_owned())),
            _ => Found::Nothing,
        });
    }
    Ok(found(value))
}

fn found(value: Option<&ConfigValue>) -> Found {
    match value {
        Some(ConfigValue::Text(text)) => Found::Text(text.clone()),
        Some(ConfigValue::Nested(_)) => Found::Section,
        None => Found::Nothing,
    }
}

/// Runs `aws configure get`: what to print on stdout and stderr, and the exit code.
pub fn run(varname: &str, session: &Session) -> Result<(String, String, i32), ConfigureError> {
    Ok(match lookup(varname, session)? {
        Found::Text(text) => (format!("{text}\n"), String::new(), 0),
        Found::Section => (
            String::new(),
            format!("varname ({varname}) must reference a value, not a section or sub-section."),
            1,
        ),
        Found::Nothing => (String::new(), String::new(), 1),
    })
}
