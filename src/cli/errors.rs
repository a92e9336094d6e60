//! The one place that turns an error value into the reference's bytes on stderr and its exit code.
//!
//! Every layer returns its own typed error whose `Display` is the reference's message; the `From`
//! impls below convert each into a [`CliError`], and [`CliError::render`] knows the reference's
//! framing: argparse usage errors (banner + `aws: error:`, exit 2), `Unknown options` (banner + message,
//! exit 255), exceptions caught in `main()` (a blank line, the message, exit 255), the region and
//! credentials errors (message only, exit 255), and a config file that does not parse (the last line of
//! the reference's traceback, exit 1).

use super::argparse::ParseExit;
use crate::call::CallError;
use crate::config::ConfigError;
use crate::configure::ConfigureError;
use crate::help::HelpError;
use crate::params::argprocess::ParamError;
use crate::params::cli_input_json::CliInputJsonError;
use crate::params::validate::ValidationError;
use crate::process::Context;
use crate::response::formatter::{FormatFailure, UnknownOutputType};
use crate::response::paginate::PageError;
use crate::response::query::QueryError;
use crate::response::shape::{ShapeError, UnknownTimestampFormat};

/// The usage banner awscli hands to argparse (note the carriage return after `usage: `).
pub const USAGE: &str = "\rNote: AWS CLI version 2, the latest major version of the AWS CLI, is now stable and \
recommended for general use. For more information, see the AWS CLI version 2 installation instructions at: \
https://docs.aws.amazon.com/cli/latest/userguide/install-cliv2.html\n\n\
usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n\
To see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n";

/// An error (or early exit) as the driver reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    /// An argparse error: `usage: ...` then `<prog>: error: <message>`; exit 2.
    Usage { prog: String, message: String },
    /// `Unknown options: --foo, bar`: the banner then the message; exit 255.
    UnknownOptions(String),
    /// Anything the reference's `main()` catches generically: `\n<message>\n`, exit 255.
    Exception(String),
    /// A message printed as-is with a newline (NoRegionError, NoCredentialsError): exit 255.
    Plain(String),
    /// An early, successful or not, exit with text on stdout (`--version`).
    PrintAndExit { stdout: String, code: i32 },
    /// Printed output plus an exit code, for failures whose bytes are not one of the framings above
    /// (a formatter that raised after printing, a traceback's last line).
    Raw {
        stdout: String,
        stderr: String,
        code: i32,
    },
    /// A command the reference has but this binary does not implement yet.
    NotImplemented(String),
}

impl CliError {
    /// An argparse exit of the parser named `prog`.
    pub fn from_parse_exit(exit: ParseExit, prog: &str) -> CliError {
        match exit {
            ParseExit::Error(message) => CliError::Usage {
                prog: prog.to_string(),
                message,
            },
            ParseExit::Version(text) => CliError::PrintAndExit {
                stdout: format!("{text}\n"),
                code: 0,
            },
        }
    }

    /// What the reference prints on stdout and stderr, and its exit code.
    pub fn render(&self) -> (String, String, i32) {
        match self {
            CliError::Usage { prog, message } => (
                String::new(),
                format!("usage: {USAGE}{prog}: error: {message}\n"),
                2,
            ),
            CliError::UnknownOptions(list) => (
                String::new(),
                format!("usage: {USAGE}\nUnknown options: {list}\n"),
                255,
            ),
            CliError::Exception(message) => (String::new(), format!("\n{message}\n"), 255),
            CliError::Plain(message) => (String::new(), format!("{message}\n"), 255),
            CliError::PrintAndExit { stdout, code } => (stdout.clone(), String::new(), *code),
            CliError::Raw {
                stdout,
                stderr,
                code,
            } => (stdout.clone(), stderr.clone(), *code),
            CliError::NotImplemented(what) => (
                String::new(),
                format!(
                    "\n{what} is not implemented by this build of the AWS CLI (lightsail-cli {}); \
                     see docs/deviations.md\n",
                    env!("CARGO_PKG_VERSION")
                ),
                255,
            ),
        }
    }

    /// Writes the error as the reference would and returns the exit code.
    pub fn report(&self, cx: &mut Context<'_>) -> i32 {
        let (stdout, stderr, code) = self.render();
        // Write failures (a closed pipe) cannot be reported anywhere better; the exit code still is.
        let _ = cx.stdout.write_all(stdout.as_bytes());
        let _ = cx.stderr.write_all(stderr.as_bytes());
        let _ = cx.stdout.flush();
        let _ = cx.stderr.flush();
        code
    }
}

/// Settings that cannot be resolved. A config file that does not parse fails while the reference builds
/// its driver, before argv is parsed, with a Python traceback whose last line is all we print (exit 1);
/// the rest go through awscli's generic handler.
impl From<ConfigError> for CliError {
    fn from(err: ConfigError) -> CliError {
        match err {
            ConfigError::ConfigParse(_) => CliError::Raw {
                stdout: String::new(),
                stderr: format!("botocore.exceptions.ConfigParseError: {err}\n"),
                code: 1,
            },
            _ => CliError::Exception(err.to_string()),
        }
    }
}

/// `aws configure` failures: a config file that does not parse or a missing profile as above, everything
/// else (the writer's `ValueError`s, `EOFError`, `OSError`s) as an exception.
impl From<ConfigureError> for CliError {
    fn from(err: ConfigureError) -> CliError {
        match err {
            ConfigureError::Config(e) => e.into(),
            other => CliError::Exception(other.to_string()),
        }
    }
}

/// A failed call: `NoRegionError` and `NoCredentialsError` print their message alone, everything else
/// (service errors included) as an exception; AWS CLI v1 exits 255 for all of them.
impl From<CallError> for CliError {
    fn from(err: CallError) -> CliError {
        match err {
            CallError::NoRegion | CallError::NoCredentials => CliError::Plain(err.to_string()),
            CallError::Interrupted => CliError::Raw {
                stdout: "\n".into(),
                stderr: String::new(),
                code: 130,
            },
            _ => CliError::Exception(err.to_string()),
        }
    }
}

/// A parameter's text that does not load: argparse's `type=` failures are usage errors of the `aws`
/// parser (exit 2), the rest exceptions.
impl From<ParamError> for CliError {
    fn from(err: ParamError) -> CliError {
        match err {
            ParamError::ArgparseType { .. } => CliError::Usage {
                prog: "aws".into(),
                message: err.to_string(),
            },
            _ => CliError::Exception(err.to_string()),
        }
    }
}

/// A formatter that raised: what it printed stays on stdout, its exception text (which colorama may
/// have wrapped, so the formatter composes it) goes to stderr, exit 255.
impl From<FormatFailure> for CliError {
    fn from(failure: FormatFailure) -> CliError {
        CliError::Raw {
            stderr: failure.stderr(),
            stdout: failure.stdout,
            code: 255,
        }
    }
}

/// Errors the reference raises as exceptions that `main()` prints: `\n{message}\n`, exit 255.
macro_rules! exception {
    ($($error:ty),* $(,)?) => {$(
        impl From<$error> for CliError {
            fn from(err: $error) -> CliError {
                CliError::Exception(err.to_string())
            }
        }
    )*};
}

exception!(
    CliInputJsonError,
    HelpError,
    PageError,
    QueryError,
    ShapeError,
    UnknownOutputType,
    UnknownTimestampFormat,
    ValidationError,
);
