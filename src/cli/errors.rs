//! The one place that turns an error value into the reference's bytes on stderr and its exit code.
//!
//! Every layer returns its own typed error; the driver converts them into [`CliError`], whose
//! [`CliError::report`] knows the reference's framing: argparse usage errors (banner + `aws: error:`,
//! exit 2), `Unknown options` (banner + message, exit 255), exceptions caught in `main()` (a blank line,
//! the message, exit 255), and the region/credentials errors (message only, exit 255).

use crate::cli::driver::Context;

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
    /// Printed output plus an exit code, for layers that produce both (service errors after output).
    Raw {
        stdout: String,
        stderr: String,
        code: i32,
    },
    /// A command the reference has but this binary does not implement yet.
    NotImplemented(String),
}

impl CliError {
    /// Writes the error as the reference would and returns the exit code.
    pub fn report(&self, cx: &mut Context<'_>) -> i32 {
        // Write failures (a closed pipe) cannot be reported anywhere better; the exit code still is.
        let (stdout, stderr, code): (String, String, i32) = match self {
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
        };
        let _ = cx.stdout.write_all(stdout.as_bytes());
        let _ = cx.stderr.write_all(stderr.as_bytes());
        let _ = cx.stdout.flush();
        let _ = cx.stderr.flush();
        code
    }
}
