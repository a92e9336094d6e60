//! The global options, as data: the reference's `awscli/data/cli.json` plus its `--version`.
//!
//! Order matters: argparse lists ambiguous prefixes (`--no could match --no-verify-ssl, ...`) in the
//! order options were added, and `MainArgParser` re-adds `--version` last (conflict handler `resolve`).

use super::argparse::{Action, ActionKind, ArgValue, Namespace, Nargs, Parser};

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
    pub fn from_namespace(ns: &Namespace) -> Globals {
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

/// One global option: its name, argparse destination, and how it parses.
pub struct GlobalOption {
    pub name: &'static str,
    pub dest: &'static str,
    pub kind: GlobalKind,
    /// The HTML help text from cli.json.
    pub help: &'static str,
}

pub enum GlobalKind {
    /// Takes one value.
    Value,
    /// Takes one value from a fixed list.
    Choice(&'static [&'static str]),
    StoreTrue,
    StoreFalse,
}

/// The options of cli.json, in its order (`--version` is handled by [`main_parser`]).
pub const GLOBAL_OPTIONS: &[GlobalOption] = &[
    GlobalOption { name: "debug", dest: "debug", kind: GlobalKind::StoreTrue, help: "<p>Turn on debug logging.</p>" },
    GlobalOption {
        name: "endpoint-url",
        dest: "endpoint_url",
        kind: GlobalKind::Value,
        help: "<p>Override command's default URL with the given URL.</p>",
    },
    GlobalOption {
        name: "no-verify-ssl",
        dest: "verify_ssl",
        kind: GlobalKind::StoreFalse,
        help: "<p>By default, the AWS CLI uses SSL when communicating with AWS services.  For each SSL \
               connection, the AWS CLI will verify SSL certificates.  This option overrides the default \
               behavior of verifying SSL certificates.</p>",
    },
    GlobalOption {
        name: "no-paginate",
        dest: "paginate",
        kind: GlobalKind::StoreFalse,
        help: "<p>Disable automatic pagination. If automatic pagination is disabled, the AWS CLI will only \
               make one call, for the first page of results.</p>",
    },
    GlobalOption {
        name: "output",
        dest: "output",
        kind: GlobalKind::Choice(&["json", "text", "table"]),
        help: "<p>The formatting style for command output.</p>",
    },
    GlobalOption {
        name: "query",
        dest: "query",
        kind: GlobalKind::Value,
        help: "<p>A JMESPath query to use in filtering the response data.</p>",
    },
    GlobalOption {
        name: "profile",
        dest: "profile",
        kind: GlobalKind::Value,
        help: "<p>Use a specific profile from your credential file.</p>",
    },
    GlobalOption {
        name: "region",
        dest: "region",
        kind: GlobalKind::Value,
        help: "<p>The region to use.  Overrides config/env settings.</p>",
    },
    GlobalOption {
        name: "version",
        dest: "version",
        kind: GlobalKind::StoreTrue,
        help: "<p>Display the version of this tool.</p>",
    },
    GlobalOption {
        name: "color",
        dest: "color",
        kind: GlobalKind::Choice(&["on", "off", "auto"]),
        help: "<p>Turn on/off color output.</p>",
    },
    GlobalOption {
        name: "no-sign-request",
        dest: "sign_request",
        kind: GlobalKind::StoreFalse,
        help: "<p>Do not sign requests.  Credentials will not be loaded if this argument is provided.</p>",
    },
    GlobalOption {
        name: "ca-bundle",
        dest: "ca_bundle",
        kind: GlobalKind::Value,
        help: "<p>The CA certificate bundle to use when verifying SSL certificates. Overrides config/env \
               settings.</p>",
    },
    GlobalOption {
        name: "cli-read-timeout",
        dest: "read_timeout",
        kind: GlobalKind::Value,
        help: "<p>The maximum socket read time in seconds. If the value is set to 0, the socket read will be \
               blocking and not timeout. The default value is 60 seconds.</p>",
    },
    GlobalOption {
        name: "cli-connect-timeout",
        dest: "connect_timeout",
        kind: GlobalKind::Value,
        help: "<p>The maximum socket connect time in seconds. If the value is set to 0, the socket connect \
               will be blocking and not timeout. The default value is 60 seconds.</p>",
    },
    GlobalOption {
        name: "v2-debug",
        dest: "v2_debug",
        kind: GlobalKind::StoreTrue,
        help: "<p>Enable AWS CLI v2 migration assistance. Prints warnings if the command would face a \
               breaking change after swapping AWS CLI v1 for AWS CLI v2 in the current environment. Prints \
               one warning for each breaking change detected.</p>",
    },
];

/// The reference's top-level command names, in its order (`aws <unknown>` lists them all).
pub fn top_level_commands() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = include_str!("data/top-level-commands.txt")
        .lines()
        .filter(|l| !l.is_empty())
        .collect();
    names.push("help");
    names
}

/// The first parser: global options, `--version`, and the `command` positional.
pub fn main_parser(version: String) -> Parser {
    let mut actions: Vec<Action> = GLOBAL_OPTIONS
        .iter()
        .filter(|o| o.name != "version")
        .map(|o| {
            let flag = format!("--{}", o.name);
            match o.kind {
                GlobalKind::Value => Action::option(&flag, o.dest),
                GlobalKind::Choice(choices) => {
                    Action::option(&flag, o.dest).with_choices(choices.to_vec())
                }
                GlobalKind::StoreTrue => Action::flag(&flag, o.dest, ActionKind::StoreTrue),
                GlobalKind::StoreFalse => Action::flag(&flag, o.dest, ActionKind::StoreFalse),
            }
        })
        .collect();
    actions.push(Action::flag(
        "--version",
        "version",
        ActionKind::Version(version),
    ));
    actions.push(Action::positional("command", Nargs::One).with_choices(top_level_commands()));
    Parser::new(actions)
}
