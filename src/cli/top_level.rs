//! What the reference does with the global options right after parsing them (awscli's
//! `customizations/globalargs.py`, run on `top-level-args-parsed`), and the entry points of the help
//! pages.
//!
//! In the reference's order: `--query` is compiled, `--endpoint-url` must have a scheme, the two
//! timeouts go through Python's `int()`, then `--v2-debug` prints its upgrade warnings. A failure here is
//! an exception caught by `main()`: a blank line, the message, exit 255.

use super::errors::CliError;
use super::global_options::Globals;
use crate::help::entry::{self, Page};
use crate::model::Operation;
use crate::process::Context;

/// `--cli-read-timeout` / `--cli-connect-timeout` as given, through Python's `int()` (absent: None;
/// `0` means no limit; the config layer applies the 60 s default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub read: Option<i64>,
    pub connect: Option<i64>,
}

impl Timeouts {
    /// urllib3's check when the client is created: a negative timeout is refused (connect first).
    pub fn check(&self) -> Result<(), CliError> {
        for (name, value) in [("connect", self.connect), ("read", self.read)] {
            if let Some(n) = value.filter(|n| *n < 0) {
                return Err(CliError::Exception(format!(
                    "Attempted to set {name} timeout to {n}, but the timeout cannot be set to a value less \
                     than or equal to 0."
                )));
            }
        }
        Ok(())
    }
}

fn resolve_timeout(value: &Option<String>) -> Result<Option<i64>, CliError> {
    let Some(text) = value else { return Ok(None) };
    let Ok(number) = crate::python::number::parse_int(text) else {
        return Err(CliError::Exception(format!(
            "invalid literal for int() with base 10: {}",
            crate::python::repr::repr_str(text)
        )));
    };
    // Out-of-range values are clamped; negative ones are refused by [`Timeouts::check`].
    Ok(Some(
        number.as_f64().clamp(i64::MIN as f64, i64::MAX as f64) as i64,
    ))
}

pub fn timeouts(globals: &Globals) -> Result<Timeouts, CliError> {
    Ok(Timeouts {
        read: resolve_timeout(&globals.read_timeout)?,
        connect: resolve_timeout(&globals.connect_timeout)?,
    })
}

/// Checks the global options in the reference's order and prints the `--v2-debug` warnings.
pub fn process(
    globals: &mut Globals,
    _remaining: &[String],
    _command: &str,
    cx: &mut Context<'_>,
) -> Result<(), CliError> {
    if let Some(query) = &globals.query {
        globals.compiled_query = Some(crate::response::query::compile_query_option(query)?);
    }
    if let Some(url) = &globals.endpoint_url {
        crate::config::check_endpoint_url(url)?;
    }
    timeouts(globals)?;
    if v2_debug_enabled(globals, cx) {
        v2_debug_warnings(cx);
    }
    Ok(())
}

/// `--v2-debug`, or `AWS_CLI_UPGRADE_DEBUG_MODE=true` (any case).
pub fn v2_debug_enabled(globals: &Globals, cx: &Context<'_>) -> bool {
    globals.v2_debug
        || (cx.env)("AWS_CLI_UPGRADE_DEBUG_MODE").is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

fn v2_debug_warnings(cx: &mut Context<'_>) {
    let mut text = String::new();
    // The pager warning, unless AWS_PAGER is set. (`cli_pager = ""` in the profile also silences it;
    // profile settings are read by the config layer.)
    if (cx.env)("AWS_PAGER").is_none() {
        text.push_str(
            "\nAWS CLI v2 UPGRADE WARNING: By default, the AWS CLI v2 returns all output through your \
             operating system\u{2019}s default pager program. This is different from v1 behavior, where the \
             system pager is not used by default. To retain AWS CLI v1 behavior in AWS CLI v2, set the \
             `cli_pager` configuration setting, or the `AWS_PAGER` environment variable, to the empty \
             string. See https://docs.aws.amazon.com/cli/latest/userguide/cliv2-migration-changes.html\
             #cliv2-migration-output-pager.\n",
        );
    }
    if ((cx.env)("PYTHONUTF8").is_some() || (cx.env)("PYTHONIOENCODING").is_some())
        && (cx.env)("AWS_CLI_FILE_ENCODING").is_none()
    {
        text.push_str(
            "\nThe AWS CLI v2 does not support The `PYTHONUTF8` and `PYTHONIOENCODING` environment \
             variables, and instead uses the `AWS_CLI_FILE_ENCODING` variable. This is different from v1 \
             behavior, where the former two variables are used instead. To retain AWS CLI v1 behavior in \
             AWS CLI v2, set the `AWS_CLI_FILE_ENCODING` environment variable instead. See \
             https://docs.aws.amazon.com/cli/latest/userguide/cliv2-migration-changes.html\
             #cliv2-migration-encodingenvvar.\n",
        );
    }
    let _ = cx.stderr.write_all(text.as_bytes());
}

/// `aws help`.
pub fn top_help(cx: &mut Context<'_>) -> Result<i32, CliError> {
    Ok(entry::show(Page::Top, cx)?)
}

/// `aws lightsail help`.
pub fn service_help(cx: &mut Context<'_>) -> Result<i32, CliError> {
    Ok(entry::show(Page::Service, cx)?)
}

/// `aws lightsail <operation> help`.
pub fn operation_help(
    operation: &'static Operation,
    cx: &mut Context<'_>,
) -> Result<i32, CliError> {
    Ok(entry::show(Page::Operation(operation), cx)?)
}
