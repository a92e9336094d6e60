//! `--cli-input-json`: call parameters from a JSON document (awscli/customizations/cliinputjson.py).
//!
//! The option's value is inline JSON or `file://PATH` (loaded by `paramfile`, whose errors are its
//! own). After the explicit options have been turned into call parameters, the document is decoded
//! with Python's `json.loads` (`json_decode`) and each of its top-level keys is added *unless the
//! explicit options already set it*: explicit options win per top-level member, with no deep merge,
//! and the document's extra keys follow the explicit ones in document order. Nothing is checked here:
//! unknown keys and wrong types are reported by `validate` like any other parameter (as plain
//! `dict`s, not `OrderedDict`s). If the exact token `--cli-input-json` is among the operation's
//! arguments, none of the operation's options is required (`--cli-input-json=...` does not count).
//!
//! This runs before `--generate-cli-skeleton` is honoured, so a broken document fails even when only
//! a skeleton is asked for. Both errors below are printed as `"\n{error}\n"` on stderr, exit 255.

use crate::python::types::type_name;
use crate::python::value::{Map, Value};
use std::fmt;

/// What the reference reports about the document itself.
#[derive(Debug, Clone, PartialEq)]
pub enum CliInputJsonError {
    /// `json.loads` failed. `message` is its exception text (`Expecting value: line 1 column 1
    /// (char 0)`, from `json_decode`), `received` the text that was decoded (the file's contents for
    /// `file://`).
    InvalidJson { message: String, received: String },
    /// The document is not an object: Python fails calling `.keys()` on it (`AttributeError`,
    /// reported by the driver's catch-all handler).
    NotAnObject { python_type: &'static str },
}

impl fmt::Display for CliInputJsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliInputJsonError::InvalidJson { message, received } => write!(
                f,
                "Error parsing parameter 'cli-input-json': Invalid JSON: {message}\nJSON received: {received}"
            ),
            CliInputJsonError::NotAnObject { python_type } => {
                write!(f, "'{python_type}' object has no attribute 'keys'")
            }
        }
    }
}

impl std::error::Error for CliInputJsonError {}

/// The exit code the reference uses for both errors.
pub const EXIT_CODE: i32 = 255;

/// Whether `--cli-input-json` makes the operation's required options optional: the exact token is
/// among the operation's arguments.
pub fn relaxes_required_args<S: AsRef<str>>(args: &[S]) -> bool {
    args.iter().any(|a| a.as_ref() == "--cli-input-json")
}

/// Turns the decoded document into the members it provides. `received` is the decoded text and
/// `decoded` what `json_decode` made of it (its error message on failure).
pub fn input_members(
    received: &str,
    decoded: Result<Value, String>,
) -> Result<Map, CliInputJsonError> {
    match decoded {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(CliInputJsonError::NotAnObject {
            python_type: type_name(&other),
        }),
        Err(message) => Err(CliInputJsonError::InvalidJson {
            message,
            received: received.to_string(),
        }),
    }
}

/// The call parameters: the explicit ones, then each document member they do not already set.
/// `explicit` must be in the operation's member order (the reference builds it by walking the
/// argument table, not argv), which is also the order validation reports problems in.
pub fn merge(explicit: Map, from_json: Map) -> Map {
    let mut params = explicit;
    for (key, value) in from_json {
        params.entry(key).or_insert(value);
    }
    params
}

#[cfg(test)]
mod tests;
