//! Runs a parsed operation: parameters -> (skeleton | validated request -> signed call -> shaped
//! response -> --query -> rendered output).

use crate::clidriver::{Context, Globals, OperationArgs};
use crate::errors::CliError;

/// Runs the operation and returns the exit code.
pub fn run_operation(
    args: &OperationArgs,
    _globals: &Globals,
    _cx: &mut Context<'_>,
) -> Result<i32, CliError> {
    Err(CliError::NotImplemented(format!(
        "lightsail {}",
        args.operation.cli_name
    )))
}
