//! The command tree the completer walks: the top-level commands, the subcommands of `lightsail` (the
//! model's operations) and of `configure`, and the documented arguments of each subcommand, in the
//! reference's order.
//!
//! The reference knows every service's operations; this build knows Lightsail's and `configure`'s. Any
//! other command is known by name only: it has no subcommands here (docs/deviations.md).

use crate::cli::global_options::{GlobalKind, GLOBAL_OPTIONS};
use crate::configure::SUBCOMMANDS;
use crate::model::{self, Kind, Operation};

/// The top-level commands the reference hides from completion (`_UNDOCUMENTED`): they run, but are not
/// offered.
const UNDOCUMENTED_COMMANDS: &[&str] = &["runtime.sagemaker", "sms-voice"];

/// Every top-level command name, in the reference's order (`aws <unknown>` lists the same).
pub fn top_level() -> impl Iterator<Item = &'static str> {
    include_str!("../cli/data/top-level-commands.txt")
        .lines()
        .filter(|l| !l.is_empty())
}

/// Whether completion offers this top-level command.
pub fn documented(command: &str) -> bool {
    !UNDOCUMENTED_COMMANDS.contains(&command)
}

/// The global options' names without dashes, in `cli.json` order.
pub fn global_options() -> impl Iterator<Item = &'static str> {
    GLOBAL_OPTIONS.iter().map(|o| o.name)
}

/// The choices the completer offers after `--output`.
pub fn output_choices() -> &'static [&'static str] {
    GLOBAL_OPTIONS
        .iter()
        .find_map(|o| match (o.name, &o.kind) {
            ("output", GlobalKind::Choice(choices)) => Some(*choices),
            _ => None,
        })
        .unwrap_or(&[])
}

/// A subcommand of a command this build implements.
#[derive(Clone, Copy)]
pub enum Subcommand {
    Operation(&'static Operation),
    Configure(&'static crate::configure::Subcommand),
}

/// The subcommands of `command`, in the reference's order (none for commands this build does not
/// implement).
pub fn subcommands(command: &str) -> Vec<(&'static str, Subcommand)> {
    match command {
        "lightsail" => model::OPERATIONS
            .iter()
            .map(|op| (op.cli_name, Subcommand::Operation(op)))
            .collect(),
        "configure" => SUBCOMMANDS
            .iter()
            .map(|sub| (sub.name, Subcommand::Configure(sub)))
            .collect(),
        _ => Vec::new(),
    }
}

/// The documented, non-positional arguments of a subcommand (names without dashes), in the order of the
/// reference's argument table.
pub fn arguments(subcommand: Subcommand) -> Vec<String> {
    match subcommand {
        Subcommand::Configure(sub) => sub
            .args
            .iter()
            .filter(|a| !a.positional)
            .map(|a| a.name.to_string())
            .collect(),
        Subcommand::Operation(op) => operation_arguments(op),
    }
}

/// The operation's members (booleans as `x` then `no-x`), `cli-input-json`, the paging arguments of a
/// paginated operation (its own token and limit members hidden), then `generate-cli-skeleton`.
fn operation_arguments(op: &'static Operation) -> Vec<String> {
    let hidden: Vec<&str> = op
        .paginator
        .as_ref()
        .map(|p| std::iter::once(p.input_token).chain(p.limit_key).collect())
        .unwrap_or_default();
    let mut names = Vec::new();
    for member in op.input_shape().map(|s| s.members).unwrap_or(&[]) {
        if hidden.contains(&member.name) {
            continue;
        }
        names.push(member.cli_name.to_string());
        if member.shape().kind == Kind::Boolean {
            names.push(format!("no-{}", member.cli_name));
        }
    }
    names.push("cli-input-json".into());
    if let Some(paginator) = &op.paginator {
        names.push("starting-token".into());
        if paginator.limit_key.is_some() {
            names.push("page-size".into());
        }
        names.push("max-items".into());
    }
    names.push("generate-cli-skeleton".into());
    names
}
