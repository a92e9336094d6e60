//! `aws configure` with no subcommand: four prompts (`AWS Access Key ID [****************ABCD]: `, ...)
//! showing the selected profile's current values, keys masked to their last four characters. Enter
//! keeps a value; a changed key goes to the credentials file, a changed region or output format to the
//! config file (`[profile NAME]` for a named profile), as awscli's `ConfigureCommand` does.

use super::session::{self, Session};
use super::writer::{self, NewValue};
use super::{expanduser, mask_value, profile_to_section, ConfigureError};
use crate::config::ConfigValue;
use std::io::{BufRead, Write};

/// (config name, prompt text), in the order asked.
const VALUES_TO_PROMPT: &[(&str, &str)] = &[
    ("aws_access_key_id", "AWS Access Key ID"),
    ("aws_secret_access_key", "AWS Secret Access Key"),
    ("region", "Default region name"),
    ("output", "Default output format"),
];

/// Python's `input()`: the next line without its `\n` (a `\r` stays); `None` at end of input.
fn input(stdin: &mut dyn BufRead) -> Result<Option<String>, ConfigureError> {
    let mut bytes = Vec::new();
    stdin
        .read_until(b'\n', &mut bytes)
        .map_err(|e| ConfigureError::Other(e.to_string()))?;
    if bytes.is_empty() {
        return Ok(None);
    }
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
    }
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// Runs the prompts, then writes what changed.
pub fn run(
    session: &Session,
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(), ConfigureError> {
    // A profile that does not exist yet is one being created: no current values.
    let scoped = session.scoped_config().unwrap_or_default();
    let mut changed: Vec<(&str, String)> = Vec::new();
    for (name, text) in VALUES_TO_PROMPT {
        let current = session::get(&scoped, name).map(|v| match v {
            ConfigValue::Text(t) => t.clone(),
            ConfigValue::Nested(pairs) => python_dict(pairs),
        });
        let shown = if name.starts_with("aws_") {
            mask_value(current.as_deref())
        } else {
            current.clone().unwrap_or_else(|| "None".into())
        };
        let _ = write!(stdout, "{text} [{shown}]: ");
        let _ = stdout.flush();
        let response = input(stdin)?.ok_or(ConfigureError::Eof)?;
        if !response.is_empty() && Some(&response) != current.as_ref() {
            changed.push((name, response));
        }
    }
    if changed.is_empty() {
        return Ok(());
    }
    let (keys, settings): (Vec<_>, Vec<_>) = changed
        .into_iter()
        .partition(|(n, _)| n.starts_with("aws_"));
    let as_values = |list: Vec<(&str, String)>| -> Vec<(String, NewValue)> {
        list.into_iter()
            .map(|(n, v)| (n.to_string(), NewValue::Text(v)))
            .collect()
    };
    if !keys.is_empty() {
        let section = session.profile.clone().unwrap_or_else(|| "default".into());
        writer::update_config(
            &section,
            &as_values(keys),
            &expanduser(&session.credentials_file, env),
        )?;
    }
    let section = match &session.profile {
        Some(profile) => profile_to_section(profile),
        None => "default".into(),
    };
    writer::update_config(
        &section,
        &as_values(settings),
        &expanduser(&session.config_file, env),
    )?;
    Ok(())
}

/// `str(dict)` of a nested block, as the prompt would show it.
fn python_dict(pairs: &[(String, String)]) -> String {
    let items: Vec<String> = pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}: {}",
                crate::python::repr::repr_str(k),
                crate::python::repr::repr_str(v)
            )
        })
        .collect();
    format!("{{{}}}", items.join(", "))
}
