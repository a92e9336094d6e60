//! The driver: argv -> invocation -> (skeleton | call) -> rendered output, and every exit code.
//!
//! It mirrors awscli's `clidriver.py`: a main parser for the global options and the command, a service
//! parser for the operation, and an operation parser built from the model's input shape (plus
//! `--cli-input-json`, `--generate-cli-skeleton` and the `help` positional). Each stage hands its
//! leftovers to the next. Errors from every layer come back here as values and leave through
//! [`crate::cli::errors::CliError`], the one place that knows the reference's framing and exit codes.

use crate::cli::argparse::{
    Action, ActionKind, ArgValue, Conversion, Namespace, Nargs, ParseExit, Parser,
};
use crate::cli::errors::CliError;
use crate::cli::global_options::main_parser;
use crate::model::{self, Kind, Operation};
use std::io::Write;

/// Where the driver writes, and the environment it reads: injectable so tests run in-process.
pub struct Context<'a> {
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// `basename(argv[0])`: the `prog` of argparse's sub-parsers.
    pub prog: String,
}

/// The global options after parsing (argparse's namespace for the main parser).
#[derive(Debug, Clone, Default)]
pub struct Globals {
    pub debug: bool,
    pub endpoint_url: Option<String>,
    pub verify_ssl: bool,
    pub paginate: bool,
    pub output: Option<String>,
    pub query: Option<String>,
    pub profile: Option<String>,
    pub region: Option<String>,
    pub color: String,
    pub sign_request: bool,
    pub ca_bundle: Option<String>,
    pub read_timeout: Option<String>,
    pub connect_timeout: Option<String>,
    pub v2_debug: bool,
    /// `--query`, compiled by [`crate::cli::top_level::process`].
    pub compiled_query: Option<crate::response::jmespath::Expression>,
}

impl Globals {
    fn from_namespace(ns: &Namespace) -> Globals {
        let text = |dest: &str| match ns.get(dest) {
            Some(ArgValue::Str(s)) => Some(s.clone()),
            _ => None,
        };
        let flag = |dest: &str, default: bool| match ns.get(dest) {
            Some(ArgValue::Bool(b)) => *b,
            _ => default,
        };
        Globals {
            debug: flag("debug", false),
            endpoint_url: text("endpoint_url"),
            verify_ssl: flag("verify_ssl", true),
            paginate: flag("paginate", true),
            output: text("output"),
            query: text("query"),
            profile: text("profile"),
            region: text("region"),
            color: text("color").unwrap_or_else(|| "auto".into()),
            sign_request: flag("sign_request", true),
            ca_bundle: text("ca_bundle"),
            read_timeout: text("read_timeout"),
            connect_timeout: text("connect_timeout"),
            v2_debug: flag("v2_debug", false),
            compiled_query: None,
        }
    }
}

/// What the operation parser produced: the parameters as typed, before unpacking.
#[derive(Debug, Clone)]
pub struct OperationArgs {
    pub operation: &'static Operation,
    /// (member, raw value) for every model parameter given on the command line, in the model's order.
    pub params: Vec<(&'static model::Member, ArgValue)>,
    pub cli_input_json: Option<String>,
    /// `input` or `output` when `--generate-cli-skeleton` was given.
    pub generate_cli_skeleton: Option<String>,
    /// `--starting-token` (paginated operations only).
    pub starting_token: Option<String>,
    /// `--max-items`, already checked by argparse's `int` (paginated operations only).
    pub max_items: Option<crate::python::value::Number>,
}

/// The version line: the reference's shape, naming this project.
pub fn version_string() -> String {
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!(
        "aws-cli/1.45.11 lightsail-cli/{} {}/{} botocore/1.43.11",
        env!("CARGO_PKG_VERSION"),
        os_name(),
        release.trim()
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
        Err(exit) => return Err(parse_exit(exit, "aws")),
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
    crate::cli::top_level::process(&mut globals, &remaining, &command, cx)?;
    if command == "help" {
        return crate::cli::top_level::top_help(cx);
    }
    if command != "lightsail" {
        return Err(CliError::NotImplemented(format!("the `{command}` command")));
    }
    service_command(&remaining, &globals, cx)
}

fn parse_exit(exit: ParseExit, prog: &str) -> CliError {
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
        .map_err(|e| parse_exit(e, &prog))?;
    let operation_name = match namespace.get("operation") {
        Some(ArgValue::Str(name)) => name.clone(),
        _ => String::new(),
    };
    if operation_name == "help" {
        return crate::cli::top_level::service_help(cx);
    }
    // The service parser only accepts the model's operations (and `help`), so the lookup succeeds.
    let Some(operation) = model::operation_by_cli_name(&operation_name) else {
        return Err(CliError::NotImplemented(format!(
            "lightsail {operation_name}"
        )));
    };
    let Some(parsed) = parse_operation_args(operation, &remaining, &prog)? else {
        return crate::cli::top_level::operation_help(operation, cx);
    };
    crate::cli::invoke::run_operation(&parsed, globals, cx)
}

/// The operation parser's arguments: one per input member (two for booleans: `--x` and `--no-x`),
/// then `--cli-input-json`, for a paginated operation `--starting-token` and `--max-items` (an `int`;
/// Lightsail's paginators have no limit key, so there is no `--page-size`, and the input token's own
/// option such as `--page-token` stays, undocumented), then `--generate-cli-skeleton`, then the optional
/// `help` positional: the order of the reference's `building-argument-table` handlers.
fn operation_parser(operation: &'static Operation, relax_required: bool) -> Parser {
    let mut actions = Vec::new();
    if let Some(input) = operation.input_shape() {
        for member in input.members {
            let name = format!("--{}", member.cli_name);
            let required = input.is_required(member.name) && !relax_required;
            match member.shape().kind {
                Kind::Boolean => {
                    let dest = member.cli_name.replace('-', "_");
                    actions.push(Action::flag(&name, &dest, ActionKind::StoreTrue));
                    actions.push(Action::flag(
                        &format!("--no-{}", member.cli_name),
                        &dest,
                        ActionKind::StoreFalse,
                    ));
                }
                kind => {
                    let mut action = Action::option(&name, &member.cli_name.replace('-', "_"));
                    action.required = required;
                    match kind {
                        Kind::List => action.nargs = Nargs::ZeroOrMore,
                        Kind::Long => action.conversion = Conversion::Int,
                        Kind::Float | Kind::Double => action.conversion = Conversion::Float,
                        _ => {}
                    }
                    actions.push(action);
                }
            }
        }
    }
    actions.push(Action::option("--cli-input-json", "cli_input_json"));
    if operation.paginator.is_some() {
        actions.push(Action::option("--starting-token", "starting_token"));
        let mut max_items = Action::option("--max-items", "max_items");
        max_items.conversion = Conversion::Int;
        actions.push(max_items);
    }
    let mut skeleton = Action::option("--generate-cli-skeleton", "generate_cli_skeleton")
        .with_choices(vec!["input", "output"]);
    skeleton.nargs = Nargs::Optional;
    skeleton.constant = Some("input".into());
    actions.push(skeleton);
    actions.push(Action::positional("help", Nargs::Optional));
    Parser::new(actions)
}

/// Whether `--cli-input-json` or `--generate-cli-skeleton` (not followed by `output`) appear verbatim
/// in argv, which makes every parameter optional (awscli's `OverrideRequiredArgsArgument`).
fn required_args_relaxed(args: &[String]) -> bool {
    if args.iter().any(|a| a == "--cli-input-json") {
        return true;
    }
    match args.iter().position(|a| a == "--generate-cli-skeleton") {
        Some(i) => args.get(i + 1).map(String::as_str) != Some("output"),
        None => false,
    }
}

/// Parses the operation's arguments. `Ok(None)` means the user asked for the operation's help page.
pub fn parse_operation_args(
    operation: &'static Operation,
    args: &[String],
    prog: &str,
) -> Result<Option<OperationArgs>, CliError> {
    if args.len() == 1 && args[0] == "help" {
        return Ok(None);
    }
    let parser = operation_parser(operation, required_args_relaxed(args));
    let (namespace, mut remaining) = parser
        .parse_known_args(args)
        .map_err(|e| parse_exit(e, prog))?;
    match namespace.get("help") {
        Some(ArgValue::Str(h)) if h == "help" => return Ok(None),
        Some(ArgValue::Str(h)) => remaining.push(h.clone()),
        _ => {}
    }
    if !remaining.is_empty() {
        return Err(CliError::UnknownOptions(remaining.join(", ")));
    }
    let mut params = Vec::new();
    if let Some(input) = operation.input_shape() {
        for member in input.members {
            if let Some(value) = namespace.get(&member.cli_name.replace('-', "_")) {
                params.push((member, value.clone()));
            }
        }
    }
    let text = |dest: &str| match namespace.get(dest) {
        Some(ArgValue::Str(s)) => Some(s.clone()),
        _ => None,
    };
    Ok(Some(OperationArgs {
        operation,
        params,
        cli_input_json: text("cli_input_json"),
        generate_cli_skeleton: text("generate_cli_skeleton"),
        starting_token: text("starting_token"),
        max_items: text("max_items").and_then(|t| crate::python::number::parse_int(&t).ok()),
    }))
}
