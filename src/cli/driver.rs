//! The driver: argv -> invocation -> (skeleton | call) -> rendered output, and every exit code.
//!
//! It mirrors awscli's `clidriver.py`: a main parser for the global options and the command, a service
//! parser for the operation, and an operation parser built from the model's input shape (plus
//! `--cli-input-json`, `--generate-cli-skeleton` and the `help` positional). Each stage hands its
//! leftovers to the next. Errors from every layer come back here as values and leave through
//! [`CliError`], the one place that knows the reference's framing and exit codes.

use super::argparse::{Action, ArgValue, Nargs, Parser};
use super::errors::CliError;
use super::global_options::{main_parser, Globals};
use super::operation_parser::parse_operation_args;
use crate::model;
use crate::process::Context;

/// The version line: the reference's shape, naming this project.
pub fn version_string() -> String {
    format!(
        "aws-cli/1.45.11 lightsail-cli/{} {}/{} botocore/1.43.11",
        env!("CARGO_PKG_VERSION"),
        os_name(),
        crate::process::host::os_release()
    )
}

fn os_name() -> &'static str {
    match std::env::consts::OS {
        "linux" => "Linux",
        "macos" => "Darwin",
        "windows" => "Windows",
        other => other,
    }
}

/// Runs the CLI on `args` (argv without the program name) and returns the exit code.
pub fn run(args: &[String], cx: &mut Context<'_>) -> i32 {
    match drive(args, cx) {
        Ok(code) => code,
        Err(err) => err.report(cx),
    }
}

fn drive(args: &[String], cx: &mut Context<'_>) -> Result<i32, CliError> {
    let (namespace, remaining) = match main_parser(version_string()).parse_known_args(args) {
        Ok(parsed) => parsed,
        Err(exit) => return Err(CliError::from_parse_exit(exit, "aws")),
    };
    let mut globals = Globals::from_namespace(&namespace);
    let command = match namespace.get("command") {
        Some(ArgValue::Str(c)) => c.clone(),
        _ => {
            return Err(CliError::Usage {
                prog: "aws".into(),
                message: "the following arguments are required: command".into(),
            })
        }
    };
    super::top_level::process(&mut globals, &remaining, &command, cx)?;
    if command == "help" {
        return super::top_level::top_help(&remaining, cx);
    }
    if command == "configure" {
        return super::configure::run(&remaining, &globals, &mut std::io::stdin().lock(), cx);
    }
    if command != "lightsail" {
        return Err(CliError::NotImplemented(format!("the `{command}` command")));
    }
    service_command(&remaining, &globals, cx)
}

/// The service parser: one positional, the operation, chosen from the model's operations.
fn service_parser() -> Parser {
    let mut choices: Vec<&'static str> = model::OPERATIONS.iter().map(|op| op.cli_name).collect();
    choices.push("help");
    Parser::new(vec![
        Action::positional("operation", Nargs::One).with_choices(choices)
    ])
}

fn service_command(
    args: &[String],
    globals: &Globals,
    cx: &mut Context<'_>,
) -> Result<i32, CliError> {
    let prog = cx.prog.clone();
    let (namespace, remaining) = service_parser()
        .parse_known_args(args)
        .map_err(|e| CliError::from_parse_exit(e, &prog))?;
    let operation_name = match namespace.get("operation") {
        Some(ArgValue::Str(name)) => name.clone(),
        _ => String::new(),
    };
    if operation_name == "help" {
        return super::top_level::service_help(cx);
    }
    // The service parser only accepts the model's operations (and `help`), so the lookup succeeds.
    let Some(operation) = model::operation_by_cli_name(&operation_name) else {
        return Err(CliError::NotImplemented(format!(
            "lightsail {operation_name}"
        )));
    };
    let Some(parsed) = parse_operation_args(operation, &remaining, &prog)? else {
        return super::top_level::operation_help(operation, cx);
    };
    super::invoke::run_operation(&parsed, globals, cx)
}
