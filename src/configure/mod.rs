//! `aws configure`: the interactive prompts, `list`, `get`, `set` and `add-model`, as AWS CLI v1.45.11's
//! `awscli/customizations/configure/` does them.
//!
//! The driver (`cli/`) parses the arguments and resolves what needs the call layer; the work is here:
//! [`session`] reads the files as botocore's session presents them, [`writer`] edits them line by line
//! as awscli's `ConfigFileWriter` does (bytes, order, comments and file modes), and one module per
//! subcommand holds its rules. Errors are [`ConfigureError`] values whose `Display` is the reference's
//! message.

pub mod add_model;
pub mod get;
pub mod list;
pub mod prompt;
pub mod session;
pub mod set;
pub mod writer;

use crate::config::ConfigError;
use std::fmt;

/// Sections of the config file that are not profiles but may be named in `get`/`set` (`preview.x`).
pub const PREDEFINED_SECTIONS: &[&str] = &["preview", "plugins"];

/// Why a `configure` command failed; `Display` is the text the reference's `main()` prints between
/// newlines (exit 255).
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigureError {
    /// The selected profile exists in neither file, or a file does not parse.
    Config(ConfigError),
    /// The writer refused or failed.
    Write(writer::WriteError),
    /// Standard input ended before a prompt was answered (`EOFError`).
    Eof,
    /// `varname` has too few dotted parts (`profile.dev`): Python's `IndexError`.
    IndexOutOfRange,
    /// Any other Python exception, by its message (JSON errors, `TypeError`s, `OSError`s).
    Other(String),
}

impl fmt::Display for ConfigureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigureError::Config(e) => write!(f, "{e}"),
            ConfigureError::Write(e) => write!(f, "{e}"),
            ConfigureError::Eof => f.write_str("EOF when reading a line"),
            ConfigureError::IndexOutOfRange => f.write_str("list index out of range"),
            ConfigureError::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ConfigureError {}

impl From<ConfigError> for ConfigureError {
    fn from(e: ConfigError) -> Self {
        ConfigureError::Config(e)
    }
}

impl From<writer::WriteError> for ConfigureError {
    fn from(e: writer::WriteError) -> Self {
        ConfigureError::Write(e)
    }
}

/// awscli's `mask_value`: sixteen `*` and the last four characters; `None` for no value.
pub fn mask_value(value: Option<&str>) -> String {
    match value {
        None => "None".into(),
        Some(text) => {
            let tail: String = {
                let chars: Vec<char> = text.chars().collect();
                chars[chars.len().saturating_sub(4)..].iter().collect()
            };
            format!("{}{tail}", "*".repeat(16))
        }
    }
}

/// awscli's `profile_to_section`: `profile NAME`, the name shell-quoted when it holds a space or tab.
pub fn profile_to_section(profile: &str) -> String {
    if profile.contains([' ', '\t']) {
        format!("profile {}", crate::python::shlex::quote(profile))
    } else {
        format!("profile {profile}")
    }
}

/// Python's `os.path.expanduser` (the `~` and `~/...` forms, from `HOME`).
pub fn expanduser(path: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    if path != "~" && !path.starts_with("~/") {
        return path.to_string();
    }
    match env("HOME") {
        Some(home) => {
            let joined = format!("{}{}", home.trim_end_matches('/'), &path[1..]);
            if joined.is_empty() {
                "/".into()
            } else {
                joined
            }
        }
        None => path.to_string(),
    }
}

/// Python's `os.path.dirname` (`os.path.split(path)[0]`).
pub fn dirname(path: &str) -> &str {
    match path.rfind('/') {
        None => "",
        Some(at) => {
            let head = &path[..=at];
            let trimmed = head.trim_end_matches('/');
            if trimmed.is_empty() {
                head
            } else {
                trimmed
            }
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_match_python() {
        assert_eq!(mask_value(Some("AKIDEXAMPLE")), "****************MPLE");
        assert_eq!(mask_value(Some("ab")), "****************ab");
        assert_eq!(mask_value(None), "None");
        assert_eq!(profile_to_section("my dev"), "profile 'my dev'");
        assert_eq!(profile_to_section("it's"), "profile it's");
        assert_eq!(dirname("/a/b/config"), "/a/b");
        assert_eq!(dirname("/config"), "/");
        assert_eq!(dirname("config"), "");
        assert_eq!(dirname("a//config"), "a");
        let env = |_: &str| Some("/home/u/".to_string());
        assert_eq!(expanduser("~/.aws/config", &env), "/home/u/.aws/config");
        assert_eq!(expanduser("$HOME/x", &env), "$HOME/x");
    }
}
