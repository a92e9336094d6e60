//! The operation parser, built from the model: one argument per input member (two for booleans), then
//! `--cli-input-json`, the paging options of a paginated operation, `--generate-cli-skeleton` and the
//! `help` positional, as the reference's `building-argument-table` handlers add them. Its result,
//! [`OperationArgs`], is the parameters as typed, before [`crate::params`] unpacks them.

use super::argparse::{Action, ActionKind, ArgValue, Conversion, Nargs, Parser};
use super::errors::CliError;
use crate::model::{self, Kind, Operation};

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

/// awscli's hidden argument aliases for Lightsail (`HIDDEN_ALIASES` in `customizations/argrename.py`):
/// (operation, argument, alias). The alias is accepted but never documented or completed; neither name is
/// required to argparse any more (the model's `required` is left to botocore's validation), and the
/// alias's value wins when both are given, as its copy of the argument comes later in the table.
const HIDDEN_ALIASES: &[(&str, &str, &str)] =
    &[("import-key-pair", "public-key-base64", "public-key-base-64")];

fn hidden_alias(operation: &Operation, cli_name: &str) -> Option<&'static str> {
    HIDDEN_ALIASES
        .iter()
        .find(|(op, arg, _)| *op == operation.cli_name && *arg == cli_name)
        .map(|(_, _, alias)| *alias)
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
            let required = input.is_required(member.name)
                && !relax_required
                && hidden_alias(operation, member.cli_name).is_none();
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
    if let Some(input) = operation.input_shape() {
        for member in input.members {
            if let Some(alias) = hidden_alias(operation, member.cli_name) {
                let mut action = Action::option(&format!("--{alias}"), &alias.replace('-', "_"));
                if member.shape().kind == Kind::List {
                    action.nargs = Nargs::ZeroOrMore;
                }
                actions.push(action);
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
        .map_err(|e| CliError::from_parse_exit(e, prog))?;
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
            let alias = hidden_alias(operation, member.cli_name)
                .and_then(|alias| namespace.get(&alias.replace('-', "_")));
            if let Some(value) = alias.or_else(|| namespace.get(&member.cli_name.replace('-', "_")))
            {
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
