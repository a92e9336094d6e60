//! `aws configure`: the interactive prompts, `list`, `get`, `set` and `add-model`, as AWS CLI v1.45.11's
//! `awscli/customizations/configure/` does them.
//!
//! The driver (`cli/`) parses the arguments and resolves what needs the call layer; the work is here:
//! [`session`] reads the files as botocore's session presents them, [`writer`] edits them line by line
//! as awscli's `ConfigFileWriter` does (bytes, order, comments and file modes), and one module per
//! subcommand holds its rules. Errors are [`ConfigureError`] values whose `Display` is the reference's
//! message.

pub mod session;

/// One argument of a `configure` subcommand (awscli's `ARG_TABLE` entries).
#[derive(Debug)]
pub struct Arg {
    pub name: &'static str,
    /// A positional argument (`varname`, `value`): never offered by the completer.
    pub positional: bool,
    pub required: bool,
    /// The help text (HTML, as the arg table has it).
    pub help: &'static str,
}

/// A subcommand of `aws configure`.
#[derive(Debug)]
pub struct Subcommand {
    pub name: &'static str,
    pub args: &'static [Arg],
}

/// `aws configure`'s subcommands, in the reference's order.
pub const SUBCOMMANDS: &[Subcommand] = &[
    Subcommand {
        name: "list",
        args: &[],
    },
    Subcommand {
        name: "get",
        args: &[Arg {
            name: "varname",
            positional: true,
            required: true,
            help: "The name of the config value to retrieve.",
        }],
    },
    Subcommand {
        name: "set",
        args: &[
            Arg {
                name: "varname",
                positional: true,
                required: true,
                help: "The name of the config value to set.",
            },
            Arg {
                name: "value",
                positional: true,
                required: true,
                help: "The value to set.",
            },
        ],
    },
    Subcommand {
        name: "add-model",
        args: &[
            Arg {
                name: "service-model",
                positional: false,
                required: true,
                help: "The contents of the service JSON model.",
            },
            Arg {
                name: "service-name",
                positional: false,
                required: false,
                help: "Overrides the default name used by the service JSON model to generate CLI service \
                       commands and Boto3 clients.",
            },
        ],
    },
];
