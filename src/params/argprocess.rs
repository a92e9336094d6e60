//! Turns the text typed for one operation parameter into its value, as `awscli` does between argparse
//! and botocore.
//!
//! The reference runs two steps per parameter present on the command line (`clidriver.py`
//! `_build_call_parameters`): the `load-cli-arg` event, where `paramfile.URIArgumentHandler`
//! replaces a `file://`, `fileb://`, `http://` or `https://` value by what it points to (a list typed
//! as one word counts as that word), then the `process-cli-arg` event, where
//! `argprocess.ParamShorthandParser` parses shorthand for structures, maps and lists of those unless
//! the text looks like JSON (starts with `[` or `{`), falling back to `unpack_cli_arg`: JSON for
//! complex shapes, `int()` / `float()` for numbers, the text itself for strings and timestamps.
//! [`parse_parameter`] is that pipeline; every quirk it keeps (a list parameter read from a file
//! that is not JSON becomes a list of its characters, `value.lstrip()[0]` failing on empty text, ...)
//! is the reference's.

use crate::model::{Kind, Member, Shape};
use crate::params::paramfile::{self, Loaded};
use crate::params::shorthand::{self, ShorthandError};
use crate::python::json_decode::{self, JsonDecodeError};
use crate::python::number::{parse_float, parse_int};
use crate::python::repr::{repr_bytes, repr_str};
use crate::python::unicode::is_space;
use crate::python::value::{Number, Value};
use std::cell::Cell;
use std::fmt;

/// What argparse handed over for one parameter.
#[derive(Debug, Clone, Copy)]
pub enum RawArg<'a> {
    /// A parameter that takes one word (every type but `list`).
    One(&'a str),
    /// A `list` parameter: argparse's `nargs='*'` collects every word up to the next option (possibly
    /// none: `--tags` alone gives an empty list).
    Many(&'a [String]),
}

/// A parameter's parsed value.
#[derive(Debug, Clone, PartialEq)]
pub enum ParsedParam {
    Value(Value),
    /// The bytes of a `fileb://` file, passed on as they are (to parameter validation, which
    /// rejects them for every Lightsail type: `Invalid type for parameter instanceName, value:
    /// b'...', type: <class 'bytes'>, valid types: <class 'str'>`).
    Bytes(Vec<u8>),
}

/// Why a parameter could not be parsed. `Display` is the text the reference prints.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamError {
    /// `ParamError`: `Error parsing parameter '--tags': ...`. The reference prints `"\n" + text + "\n"`
    /// on stderr and exits 255.
    Parse { cli_name: String, message: String },
    /// Any other Python exception escaping to `main()` (`invalid literal for int() with base 10: 'x'`,
    /// `string index out of range`, `maximum recursion depth exceeded ...`, a paramfile error
    /// raised from inside shorthand): printed the same way, `"\n" + text + "\n"`, exit 255.
    Uncaught(String),
    /// argparse's own type conversion (`type=float` for double/float, `type=int` for long) failed.
    /// `Display` is argparse's message (`argument --threshold: invalid float value: 'x'`), which the
    /// driver prints as a usage error (usage lines, then `aws: error: ` + message), exit 2.
    ArgparseType {
        cli_name: String,
        type_name: &'static str,
        value: String,
    },
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamError::Parse { cli_name, message } => {
                write!(f, "Error parsing parameter '{cli_name}': {message}")
            }
            ParamError::Uncaught(message) => f.write_str(message),
            ParamError::ArgparseType {
                cli_name,
                type_name,
                value,
            } => {
                write!(
                    f,
                    "argument {cli_name}: invalid {type_name} value: {}",
                    repr_str(value)
                )
            }
        }
    }
}

impl std::error::Error for ParamError {}

/// Settings that change how values load.
#[derive(Debug, Clone, Copy)]
pub struct ParamOptions<'a> {
    /// `cli_follow_urlparam` from the profile's config (`true` unless set to something else).
    pub follow_urls: bool,
    /// Counts the `http(s)://` values fetched successfully (the reference's `--v2-debug` warns once
    /// for each, at the moment the fetch returns, even when the text then fails to parse).
    pub fetched_urls: Option<&'a Cell<usize>>,
}

impl Default for ParamOptions<'_> {
    fn default() -> Self {
        ParamOptions {
            follow_urls: true,
            fetched_urls: None,
        }
    }
}

/// The Python value between the two steps: text, bytes, or argparse's list of words.
enum Raw {
    Text(String),
    Bytes(Vec<u8>),
    Words(Vec<String>),
}

/// Parses the value typed for `member` (spelt `cli_name` on the command line, with its dashes:
/// `--tags`). Not for `boolean` members, which are flags (`--x` / `--no-x`) and never take text.
pub fn parse_parameter(
    member: &'static Member,
    cli_name: &str,
    raw: RawArg<'_>,
) -> Result<ParsedParam, ParamError> {
    parse_parameter_with(member, cli_name, raw, ParamOptions::default())
}

/// [`parse_parameter`] with explicit [`ParamOptions`].
pub fn parse_parameter_with(
    member: &'static Member,
    cli_name: &str,
    raw: RawArg<'_>,
    options: ParamOptions<'_>,
) -> Result<ParsedParam, ParamError> {
    let shape = member.shape();
    // argparse's `type=` conversions happen while the command line is parsed, before anything else.
    match shape.kind {
        Kind::Double | Kind::Float => {
            let text = one_word(raw);
            return parse_float(text)
                .map(|f| ParsedParam::Value(Value::Number(Number::Float(f))))
                .map_err(|_| ParamError::ArgparseType {
                    cli_name: cli_name.into(),
                    type_name: "float",
                    value: text.into(),
                });
        }
        Kind::Long => {
            let text = one_word(raw);
            return parse_int(text)
                .map(|n| ParsedParam::Value(Value::Number(n)))
                .map_err(|_| ParamError::ArgparseType {
                    cli_name: cli_name.into(),
                    type_name: "int",
                    value: text.into(),
                });
        }
        Kind::Boolean => return Ok(ParsedParam::Value(Value::Bool(true))),
        _ => {}
    }
    parse_loaded(member, cli_name, raw, options).map(|(parsed, _)| parsed)
}

/// [`parse_parameter_with`] that also tells whether the value was decoded as JSON (rather than as
/// shorthand or a scalar): the reference decodes such objects into `OrderedDict`s, which parameter
/// validation prints differently.
pub fn parse_parameter_tracked(
    member: &'static Member,
    cli_name: &str,
    raw: RawArg<'_>,
    options: ParamOptions<'_>,
) -> Result<(ParsedParam, bool), ParamError> {
    match member.shape().kind {
        Kind::Double | Kind::Float | Kind::Long | Kind::Boolean => {
            parse_parameter_with(member, cli_name, raw, options).map(|parsed| (parsed, false))
        }
        _ => parse_loaded(member, cli_name, raw, options),
    }
}

fn parse_loaded(
    member: &'static Member,
    cli_name: &str,
    raw: RawArg<'_>,
    options: ParamOptions<'_>,
) -> Result<(ParsedParam, bool), ParamError> {
    let shape = member.shape();
    let value = load_cli_arg(cli_name, raw, options)?;
    if should_parse_as_shorthand(shape, &value) {
        return parse_as_shorthand(shape, cli_name, value).map(|v| (ParsedParam::Value(v), false));
    }
    let from_json = !shape.kind.is_scalar();
    unpack_cli_arg(shape, cli_name, value).map(|parsed| (parsed, from_json))
}

fn one_word(raw: RawArg<'_>) -> &str {
    match raw {
        RawArg::One(text) => text,
        RawArg::Many(words) => words.first().map(String::as_str).unwrap_or(""),
    }
}

/// `URIArgumentHandler`: a value (or a one-word list) with a known prefix is replaced by what it names.
fn load_cli_arg(
    cli_name: &str,
    raw: RawArg<'_>,
    options: ParamOptions<'_>,
) -> Result<Raw, ParamError> {
    let candidate = match raw {
        RawArg::One(text) => Some(text),
        RawArg::Many([word]) => Some(word.as_str()),
        RawArg::Many(_) => None,
    };
    if let Some(text) = candidate {
        let loaded =
            paramfile::get_paramfile(text, options.follow_urls).map_err(|e| ParamError::Parse {
                cli_name: cli_name.into(),
                message: e.to_string(),
            })?;
        if loaded.is_some() && paramfile::is_url(text) {
            if let Some(count) = options.fetched_urls {
                count.set(count.get() + 1);
            }
        }
        match loaded {
            Some(Loaded::Text(text)) => return Ok(Raw::Text(text)),
            Some(Loaded::Bytes(bytes)) => return Ok(Raw::Bytes(bytes)),
            None => {}
        }
    }
    Ok(match raw {
        RawArg::One(text) => Raw::Text(text.to_string()),
        RawArg::Many(words) => Raw::Words(words.to_vec()),
    })
}

/// `_is_complex_shape`: structures, maps, and lists of those.
fn supports_shorthand(shape: &Shape) -> bool {
    match shape.kind {
        Kind::Structure | Kind::Map => true,
        Kind::List => shape
            .list_member()
            .is_some_and(|m| matches!(m.kind, Kind::Structure | Kind::List | Kind::Map)),
        _ => false,
    }
}

/// `str.strip()` / `str.lstrip()` with Python's notion of whitespace.
fn lstrip_python(s: &str) -> &str {
    s.trim_start_matches(is_space)
}

fn looks_like_json(text: &str) -> bool {
    let stripped = lstrip_python(text);
    stripped.starts_with('[') || stripped.starts_with('{')
}

/// `ParamShorthandParser._should_parse_as_shorthand`.
fn should_parse_as_shorthand(shape: &Shape, value: &Raw) -> bool {
    let check = match value {
        Raw::Text(text) => Some(text.as_str()),
        Raw::Words(words) => words.first().map(String::as_str),
        Raw::Bytes(_) => None,
    };
    if check.is_some_and(looks_like_json) {
        return false;
    }
    supports_shorthand(shape)
}

/// `ParamShorthandParser._parse_as_shorthand` followed by `BackCompatVisitor`.
fn parse_as_shorthand(
    shape: &'static Shape,
    cli_name: &str,
    value: Raw,
) -> Result<Value, ParamError> {
    let wrap = |e: ShorthandError| {
        if e.is_parse_error() {
            ParamError::Parse {
                cli_name: cli_name.into(),
                message: e.to_string(),
            }
        } else {
            ParamError::Uncaught(e.to_string())
        }
    };
    let mut parsed = match value {
        Raw::Words(words) => Value::Array(
            words
                .iter()
                .map(|w| shorthand::parse(w))
                .collect::<Result<_, _>>()
                .map_err(wrap)?,
        ),
        Raw::Text(text) => {
            shorthand::parse_from(&text, shorthand::Caller::WholeValue).map_err(wrap)?
        }
        Raw::Bytes(bytes) => return Err(shorthand_of_bytes(cli_name, &bytes)),
    };
    shorthand::back_compat(&mut parsed, shape).map_err(wrap)?;
    Ok(parsed)
}

/// What `ShorthandParser.parse(b'...')` does: indexing bytes gives ints, which `in str` rejects; empty
/// bytes fail on the missing `=` first.
fn shorthand_of_bytes(cli_name: &str, bytes: &[u8]) -> ParamError {
    if bytes.is_empty() {
        let e = ShorthandError::Syntax {
            expected: "=".into(),
            actual: "EOF".into(),
        };
        return ParamError::Parse {
            cli_name: cli_name.into(),
            message: e.to_string(),
        };
    }
    ParamError::Uncaught("'in <string>' requires string as left operand, not int".into())
}

/// `unpack_cli_arg` → `_unpack_cli_arg`, for the top-level value.
fn unpack_cli_arg(
    shape: &'static Shape,
    cli_name: &str,
    value: Raw,
) -> Result<ParsedParam, ParamError> {
    match shape.kind {
        Kind::Structure | Kind::Map => {
            let text = match value {
                Raw::Text(text) => text,
                Raw::Words(words) => words.join(" "),
                Raw::Bytes(bytes) => {
                    return Err(ParamError::Parse {
                        cli_name: cli_name.into(),
                        message: format!("Invalid JSON:\n{}", repr_bytes(&bytes)),
                    })
                }
            };
            unpack_object_text(cli_name, &text, json_decode::PARAMETER_DEPTH_LIMIT)
                .map(ParsedParam::Value)
        }
        Kind::List => unpack_list(shape, cli_name, value).map(ParsedParam::Value),
        _ => match value {
            Raw::Text(text) => unpack_scalar(shape, &text).map(ParsedParam::Value),
            Raw::Bytes(bytes) => unpack_scalar_bytes(shape, bytes),
            Raw::Words(words) => unpack_scalar(shape, &words.join(" ")).map(ParsedParam::Value),
        },
    }
}

/// `_unpack_complex_cli_arg` for a structure or map given as text: it must be JSON.
fn unpack_object_text(cli_name: &str, text: &str, depth: usize) -> Result<Value, ParamError> {
    match lstrip_python(text).chars().next() {
        None => Err(ParamError::Uncaught("string index out of range".into())),
        Some('{') => unpack_json(cli_name, text, depth),
        Some(_) => Err(ParamError::Parse {
            cli_name: cli_name.into(),
            message: format!("Invalid JSON:\n{text}"),
        }),
    }
}

/// `_unpack_json_cli_arg`.
fn unpack_json(cli_name: &str, text: &str, depth: usize) -> Result<Value, ParamError> {
    json_decode::loads_with_depth_limit(text, depth).map_err(|e: JsonDecodeError| {
        if e.is_value_error() {
            ParamError::Parse {
                cli_name: cli_name.into(),
                message: format!("Invalid JSON: {e}\nJSON received: {text}"),
            }
        } else {
            ParamError::Uncaught(e.to_string())
        }
    })
}

/// `_unpack_complex_cli_arg` for a list.
fn unpack_list(shape: &'static Shape, cli_name: &str, value: Raw) -> Result<Value, ParamError> {
    let member = shape.list_member();
    let items: Vec<Value> = match value {
        Raw::Text(text) => {
            match lstrip_python(&text).chars().next() {
                None => return Err(ParamError::Uncaught("string index out of range".into())),
                Some('[') => {
                    return unpack_json(cli_name, &text, json_decode::PARAMETER_DEPTH_LIMIT)
                }
                // Iterating a `str` gives its characters.
                Some(_) => text
                    .chars()
                    .map(|c| Value::String(c.to_string().into()))
                    .collect(),
            }
        }
        Raw::Bytes(bytes) => {
            // Iterating `bytes` gives ints.
            bytes
                .iter()
                .map(|b| Value::Number(Number::Int(i64::from(*b))))
                .collect()
        }
        Raw::Words(words) => {
            if let [single] = words.as_slice() {
                if single.trim_matches(is_space).starts_with('[') {
                    return unpack_json(cli_name, single, json_decode::PARAMETER_DEPTH_LIMIT);
                }
            }
            words.into_iter().map(|s| Value::String(s.into())).collect()
        }
    };
    let Some(member) = member else {
        return Ok(Value::Array(items));
    };
    let first = items.first().map(python_str_of).unwrap_or_default();
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(unpack_list_item(member, cli_name, item, &first)?);
    }
    Ok(Value::Array(out))
}

/// `str(value[0])` as `ParamError(cli_name, value[0])` prints it.
fn python_str_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Number(n) => n.python_repr(),
        _ => String::new(),
    }
}

/// `_unpack_cli_arg(member, v)` for one list element; `ValueError`/`TypeError` become
/// `ParamError(cli_name, value[0])`.
fn unpack_list_item(
    member: &'static Shape,
    cli_name: &str,
    item: Value,
    first: &str,
) -> Result<Value, ParamError> {
    let Value::String(text) = item else {
        // An int from iterating bytes: scalars pass through `int()` / `float()` / unchanged.
        return match (member.kind, &item) {
            (Kind::Double | Kind::Float, Value::Number(n)) => {
                Ok(Value::Number(Number::Float(n.as_f64())))
            }
            (Kind::Structure | Kind::Map | Kind::List, _) => Err(ParamError::Uncaught(
                "'int' object has no attribute 'lstrip'".into(),
            )),
            _ => Ok(item),
        };
    };
    match member.kind {
        Kind::Structure | Kind::Map => {
            unpack_object_text(cli_name, &text, json_decode::PARAMETER_DEPTH_LIMIT - 3)
        }
        Kind::List => {
            // A nested list given as one word: `value.lstrip()[0] == '['` or iterate its characters.
            match lstrip_python(&text).chars().next() {
                None => Err(ParamError::Uncaught("string index out of range".into())),
                Some('[') => unpack_json(cli_name, &text, json_decode::PARAMETER_DEPTH_LIMIT - 3),
                Some(_) => Ok(Value::Array(
                    text.chars()
                        .map(|c| Value::String(c.to_string().into()))
                        .collect(),
                )),
            }
        }
        _ => unpack_scalar(member, &text).map_err(|e| match e {
            ParamError::Uncaught(_) => ParamError::Parse {
                cli_name: cli_name.into(),
                message: first.to_string(),
            },
            other => other,
        }),
    }
}

/// `unpack_scalar_cli_arg` for text.
fn unpack_scalar(shape: &Shape, text: &str) -> Result<Value, ParamError> {
    match shape.kind {
        Kind::Integer | Kind::Long => parse_int(text)
            .map(Value::Number)
            .map_err(ParamError::Uncaught),
        Kind::Double | Kind::Float => parse_float(text)
            .map(|f| Value::Number(Number::Float(f)))
            .map_err(ParamError::Uncaught),
        Kind::Boolean => Ok(Value::Bool(
            !text.eq_ignore_ascii_case("false") && !text.is_empty(),
        )),
        _ => Ok(Value::String(text.into())),
    }
}

/// `unpack_scalar_cli_arg` for the bytes of a `fileb://` file.
fn unpack_scalar_bytes(shape: &Shape, bytes: Vec<u8>) -> Result<ParsedParam, ParamError> {
    match shape.kind {
        Kind::Integer | Kind::Long => {
            // `int(b'...')` parses ASCII text; its message quotes the bytes.
            let invalid = || {
                ParamError::Uncaught(format!(
                    "invalid literal for int() with base 10: {}",
                    repr_bytes(&bytes)
                ))
            };
            let text = std::str::from_utf8(&bytes)
                .ok()
                .filter(|t| t.is_ascii())
                .ok_or_else(invalid)?;
            parse_int(text)
                .map(|n| ParsedParam::Value(Value::Number(n)))
                .map_err(|_| invalid())
        }
        _ => Ok(ParsedParam::Bytes(bytes)),
    }
}
