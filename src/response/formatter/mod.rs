//! `--output json|text|table`: the reference's formatters (awscli/formatter.py, text.py, table.py).
//!
//! The driver hands over the shaped response (already without `ResponseMetadata`, after `--query`) and
//! gets back the exact bytes the reference writes to stdout. The reference's formatters are
//! dynamically typed and fail on some shapes of data (a `--query` result such as `[{"a": 1}, "x"]`
//! makes the text formatter call `.items()` on a string); those failures are values here
//! ([`FormatFailure`]) carrying what was already printed and the Python exception text the reference
//! shows on stderr as `"\n{message}\n"` with exit code 255.

mod cell;
mod json;
pub mod paginated;
mod table;
mod text;

pub use cell::{py_str, text_length};
pub use table::COLOR_RESET_AT_EXIT;

use crate::python::value::Value;
use std::fmt;
use std::io::Write;

/// The width the reference assumes when stdout is not a terminal (`determine_terminal_width`).
pub const DEFAULT_TERMINAL_WIDTH: usize = 80;

/// The `--output` value (or the `output` config setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Json,
    Text,
    Table,
}

impl OutputFormat {
    /// The reference's `get_formatter`: exactly `json`, `text` or `table`, case-sensitive. (On the
    /// command line argparse rejects other values first; a bad `output` in the config file or
    /// `AWS_DEFAULT_OUTPUT` reaches this check only after the call succeeded.)
    pub fn parse(name: &str) -> Result<OutputFormat, UnknownOutputType> {
        match name {
            "json" => Ok(OutputFormat::Json),
            "text" => Ok(OutputFormat::Text),
            "table" => Ok(OutputFormat::Table),
            other => Err(UnknownOutputType(other.to_string())),
        }
    }
}

/// `ValueError("Unknown output type: %s")` from `get_formatter`: printed as `"\n{self}\n"` on stderr,
/// exit code 255.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownOutputType(pub String);

impl fmt::Display for UnknownOutputType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Unknown output type: {}", self.0)
    }
}

impl std::error::Error for UnknownOutputType {}

/// A Python exception the reference's formatter raises; `Display` is `str(exception)`, which the
/// reference prints as `"\n{message}\n"` on stderr before exiting with 255.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// `AttributeError`: `'str' object has no attribute 'items'`.
    NoAttribute {
        type_name: &'static str,
        attribute: &'static str,
    },
    /// `TypeError`: `'int' object is not iterable`.
    NotIterable { type_name: &'static str },
    /// `ValueError` from `Section.add_row`.
    RowLength { expected: usize, got: usize },
    /// Any other exception text (`list index out of range`, `string indices must be integers, ...`).
    Other(String),
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::NoAttribute {
                type_name,
                attribute,
            } => {
                write!(f, "'{type_name}' object has no attribute '{attribute}'")
            }
            FormatError::NotIterable { type_name } => {
                write!(f, "'{type_name}' object is not iterable")
            }
            FormatError::RowLength { expected, got } => {
                write!(
                    f,
                    "Row should have {expected} elements, instead it has {got}"
                )
            }
            FormatError::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for FormatError {}

/// A formatter that raised: what it had already written to stdout, and the exception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatFailure {
    pub stdout: String,
    pub error: FormatError,
    /// Whether colorama had wrapped stderr (a `--color on` table), so that its autoreset follows
    /// each of the three writes of the error message.
    pub colored_stderr: bool,
}

impl FormatFailure {
    /// The exact stderr bytes of the reference for this failure (exit code 255).
    pub fn stderr(&self) -> String {
        if self.colored_stderr {
            format!(
                "\n{COLOR_RESET_AT_EXIT}{}{COLOR_RESET_AT_EXIT}\n{COLOR_RESET_AT_EXIT}",
                self.error
            )
        } else {
            format!("\n{}\n", self.error)
        }
    }
}

/// The exact stdout bytes for `value` (the response after `--query`) when stdout is not a terminal.
///
/// `operation_name` is the API name (`CreateInstanceSnapshot`), the table's title. `color` is whether
/// the table uses colorama's styles: true for `--color on`, and for `--color auto` when stdout is a
/// terminal. Only tables are coloured.
pub fn format_output(
    format: OutputFormat,
    operation_name: &str,
    value: &Value,
    color: bool,
) -> Result<String, FormatFailure> {
    format_output_for_terminal(format, operation_name, value, color, DEFAULT_TERMINAL_WIDTH)
}

/// [`format_output`] for a given terminal width: when stdout is a terminal the reference reads its
/// width (`TIOCGWINSZ`) and turns tables wider than that into two-column ones.
pub fn format_output_for_terminal(
    format: OutputFormat,
    operation_name: &str,
    value: &Value,
    color: bool,
    terminal_width: usize,
) -> Result<String, FormatFailure> {
    match format {
        OutputFormat::Json => Ok(json::format_json(value)),
        OutputFormat::Text => text::format_text(value),
        OutputFormat::Table => table::format_table(operation_name, value, color, terminal_width)
            .map_err(|error| FormatFailure {
                stdout: String::new(),
                error,
                colored_stderr: color,
            }),
    }
}

/// [`format_output`] written straight to `stdout`: json and table are written in chunks as they are
/// drawn instead of being gathered in one string (a table is built, and fails, before anything is
/// written; text goes through [`format_output`], which keeps what it wrote before failing). Write
/// errors are ignored, as the reference ignores a closed stdout.
pub fn write_output(
    format: OutputFormat,
    operation_name: &str,
    value: &Value,
    color: bool,
    stdout: &mut dyn Write,
) -> Result<(), FormatFailure> {
    match format {
        OutputFormat::Json => {
            let _ = json::write_json(value, stdout);
            Ok(())
        }
        OutputFormat::Table => {
            table::write_table(operation_name, value, color, DEFAULT_TERMINAL_WIDTH, stdout)
                .map_err(|error| FormatFailure {
                    stdout: String::new(),
                    error,
                    colored_stderr: color,
                })
        }
        OutputFormat::Text => match text::format_text(value) {
            // A closed pipe's error goes through the text formatter to `main()`; the other
            // formatters swallow it.
            Ok(text) => match stdout.write_all(text.as_bytes()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(FormatFailure {
                    stdout: String::new(),
                    error: FormatError::Other(crate::process::python_stdout::BROKEN_PIPE.into()),
                    colored_stderr: false,
                }),
                _ => Ok(()),
            },
            Err(failure) => {
                let _ = stdout.write_all(failure.stdout.as_bytes());
                Err(FormatFailure {
                    stdout: String::new(),
                    ..failure
                })
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `get_formatter` accepts exactly these names; the message is the reference's `ValueError`.
    #[test]
    fn output_names_parse_like_get_formatter() {
        assert_eq!(OutputFormat::parse("json"), Ok(OutputFormat::Json));
        assert_eq!(OutputFormat::parse("text"), Ok(OutputFormat::Text));
        assert_eq!(OutputFormat::parse("table"), Ok(OutputFormat::Table));
        let err = OutputFormat::parse("JSON").unwrap_err();
        assert_eq!(err.to_string(), "Unknown output type: JSON");
    }
}
