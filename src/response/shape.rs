//! The response body as the reference hands it to the formatters: botocore's JSON parser
//! (botocore/parsers.py `BaseJSONParser`/`JSONParser`) with the CLI's scalar parsers
//! (awscli/customizations/scalarparse.py).
//!
//! The body is read as UTF-8 (an empty body is `{}`, a body that is not JSON becomes
//! `{"message": body}`), then walked with the operation's output shape: a structure keeps only the
//! members the model names, in the model's order, and drops members that are missing or `null`; lists
//! keep `null` elements; maps keep every key; every scalar is kept exactly as decoded, whatever its
//! JSON type (the JSON protocol does no type coercion). Blobs stay base64 text (the CLI's blob parser
//! is the identity). Timestamps stay as they came on the wire unless `cli_timestamp_format` is
//! `iso8601`, which prints them like `datetime.isoformat()` in the local time zone
//! (`2019-09-30T18:00:38.480000+00:00`). Data of the wrong container type makes botocore raise
//! (`'str' object has no attribute 'get'`); that is a [`ShapeError`], which the reference prints as
//! `"\n{message}\n"` on stderr with exit code 255. `ResponseMetadata` is added by botocore and removed
//! again by the formatters before `--query`, so it never appears here.
//!
//! ISO 8601 conversion covers epoch numbers, numeric strings and ISO 8601 date-time strings; other
//! date spellings that `dateutil` would accept (RFC 822 and friends) are reported as unparsable.

use crate::model::{Kind, Shape};
use crate::python::map::same_name;
use crate::python::timestamp::{Local, SystemLocal};
use crate::python::types::type_name;
use crate::python::utf8::{decode_utf8, Utf8DecodeError};
use crate::python::value::{Map, Value};
use std::cell::Cell;
use std::fmt;

/// The CLI's `cli_timestamp_format` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimestampFormat {
    /// `wire` (the default) or its older spelling `none`: timestamps exactly as the service sent them.
    #[default]
    Wire,
    /// `iso8601`: `datetime.isoformat()` of the parsed timestamp, in local time.
    Iso8601,
}

impl TimestampFormat {
    /// Parses the configured value; anything else is the `ValueError` the reference raises while the
    /// session initialises (printed as `"\n{error}\n"`, exit code 255, before any command runs).
    pub fn parse(setting: &str) -> Result<TimestampFormat, UnknownTimestampFormat> {
        match setting {
            "wire" | "none" => Ok(TimestampFormat::Wire),
            "iso8601" => Ok(TimestampFormat::Iso8601),
            other => Err(UnknownTimestampFormat(other.to_string())),
        }
    }
}

/// An unknown `cli_timestamp_format`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTimestampFormat(pub String);

impl fmt::Display for UnknownTimestampFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Unknown cli_timestamp_format value: {}, valid values are \"none\", \"wire\" or \"iso8601\"", self.0)
    }
}

impl std::error::Error for UnknownTimestampFormat {}

/// A Python exception raised while parsing the response; `Display` is `str(exception)`. The reference
/// prints `"\n{self}\n"` on stderr and exits with 255.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeError {
    /// `AttributeError`: `'list' object has no attribute 'get'`.
    NoAttribute {
        type_name: &'static str,
        attribute: &'static str,
    },
    /// `TypeError`: `'int' object is not iterable`.
    NotIterable { type_name: &'static str },
    /// `UnicodeDecodeError` for a body that is not UTF-8.
    NotUtf8(Utf8DecodeError),
    /// A timestamp `iso8601` cannot convert (the message of botocore's `ValueError`/`RuntimeError`).
    Timestamp(String),
    /// `TypeError` when the body is JSON `null`: the formatter tests `'ResponseMetadata' in None`.
    NullResponse,
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShapeError::NoAttribute {
                type_name,
                attribute,
            } => {
                write!(f, "'{type_name}' object has no attribute '{attribute}'")
            }
            ShapeError::NotIterable { type_name } => {
                write!(f, "'{type_name}' object is not iterable")
            }
            ShapeError::NotUtf8(error) => error.fmt(f),
            ShapeError::Timestamp(message) => f.write_str(message),
            ShapeError::NullResponse => f.write_str("argument of type 'NoneType' is not iterable"),
        }
    }
}

impl std::error::Error for ShapeError {}

/// What `--v2-debug` (or `AWS_CLI_UPGRADE_DEBUG_MODE=true`) prints on stderr, once per process,
/// when the first timestamp is parsed and `cli_timestamp_format` is not configured (scalarparse.py).
pub const V2_TIMESTAMP_WARNING: &str = "\nAWS CLI v2 UPGRADE WARNING: In AWS CLI v2, all timestamp \
response values are returned in the ISO 8601 format. This is different from v1 behavior, where the \
timestamps are returned as they appear in the service API response. To retain AWS CLI v1 behavior in \
AWS CLI v2, set the configuration variable `cli_timestamp_format` to `wire`. See \
https://docs.aws.amazon.com/cli/latest/userguide/cliv2-migration-changes.html\
#cliv2-migration-timestamp.\n";

/// The response parser of one CLI run. It remembers whether it has parsed a timestamp yet, because
/// the reference's `--v2-debug` warning is printed at the first one (before any output or error).
pub struct ResponseShaper {
    timestamp_format: TimestampFormat,
    local: &'static dyn Local,
    saw_timestamp: Cell<bool>,
}

impl ResponseShaper {
    /// A shaper for the configured `cli_timestamp_format`, converting in the machine's time zone.
    pub fn new(timestamp_format: TimestampFormat) -> ResponseShaper {
        ResponseShaper::in_zone(timestamp_format, &SystemLocal)
    }

    /// A shaper whose `iso8601` output uses the given local zone.
    pub fn in_zone(timestamp_format: TimestampFormat, local: &'static dyn Local) -> ResponseShaper {
        ResponseShaper {
            timestamp_format,
            local,
            saw_timestamp: Cell::new(false),
        }
    }

    /// Whether a (non-null) timestamp has been parsed so far: with `--v2-debug` and no configured
    /// `cli_timestamp_format`, the reference has then printed [`V2_TIMESTAMP_WARNING`] on stderr.
    pub fn saw_timestamp(&self) -> bool {
        self.saw_timestamp.get()
    }

    /// Whether timestamps are shaped as sent (`wire`): the only format [`super::shaped_decode`] covers.
    pub(crate) fn keeps_timestamps(&self) -> bool {
        self.timestamp_format == TimestampFormat::Wire
    }

    /// A timestamp was shaped (by [`super::shaped_decode`]).
    pub(crate) fn note_timestamp(&self) {
        self.saw_timestamp.set(true);
    }

    /// [`ResponseShaper::shape_body`] of a JSON body: read straight into the shaped value when the page
    /// is what services send ([`super::shaped_decode`]), else decoded, then shaped.
    pub fn shape_json_body(
        &self,
        output: Option<&'static Shape>,
        body: &[u8],
        has_request_id: bool,
    ) -> Result<Value, ShapeError> {
        if let Some(shaped) =
            output.and_then(|output| super::shaped_decode::decode_shaped(self, output, body))
        {
            return Ok(shaped);
        }
        self.shape_body(
            output,
            body,
            |text| crate::python::json_decode::loads(text).ok(),
            has_request_id,
        )
    }

    /// From raw body bytes to the shaped response of a successful (status < 300) call.
    ///
    /// `loads` is Python's `json.loads` (returning `None` when the text is not valid JSON);
    /// `has_request_id` is whether the response carried an `x-amzn-requestid` header, which decides
    /// how a literal `null` body fails. `output` is `None` for an operation without an output shape.
    pub fn shape_body(
        &self,
        output: Option<&'static Shape>,
        body: &[u8],
        loads: impl FnOnce(&str) -> Option<Value>,
        has_request_id: bool,
    ) -> Result<Value, ShapeError> {
        let Some(output) = output else {
            return Ok(Value::Object(Map::new()));
        };
        let decoded = if body.is_empty() {
            Value::Object(Map::new())
        } else {
            let text = decode_utf8(body).map_err(ShapeError::NotUtf8)?;
            match loads(text) {
                Some(value) => value,
                None => {
                    let mut message = Map::new();
                    message.insert("message", Value::String(text.into()));
                    Value::Object(message)
                }
            }
        };
        let shaped = self.shape_owned(output, decoded)?;
        if shaped == Value::Null {
            return Err(if has_request_id {
                ShapeError::NoAttribute {
                    type_name: "NoneType",
                    attribute: "setdefault",
                }
            } else {
                ShapeError::NullResponse
            });
        }
        Ok(shaped)
    }

    /// botocore's `_parse_shape(shape, value)` with the CLI's scalar parsers.
    pub fn shape(&self, shape: &'static Shape, node: &Value) -> Result<Value, ShapeError> {
        self.shape_owned(shape, node.clone())
    }

    /// [`ResponseShaper::shape`] taking the decoded value by value: scalars and keys are moved into
    /// the shaped response, never copied.
    pub fn shape_owned(&self, shape: &'static Shape, node: Value) -> Result<Value, ShapeError> {
        match shape.kind {
            Kind::Structure => self.structure(shape, node),
            Kind::List => self.list(shape, node),
            Kind::Map => self.map(shape, node),
            Kind::Timestamp => {
                self.saw_timestamp.set(true);
                match self.timestamp_format {
                    TimestampFormat::Wire => Ok(node),
                    TimestampFormat::Iso8601 => {
                        iso_format(&node, self.local).map(|s| Value::String(s.into()))
                    }
                }
            }
            _ => Ok(node),
        }
    }
}

/// [`ResponseShaper::shape_body`] for a one-off parse.
pub fn shape_body(
    output: Option<&'static Shape>,
    body: &[u8],
    loads: impl FnOnce(&str) -> Option<Value>,
    has_request_id: bool,
    timestamp_format: TimestampFormat,
) -> Result<Value, ShapeError> {
    ResponseShaper::new(timestamp_format).shape_body(output, body, loads, has_request_id)
}

/// [`ResponseShaper::shape`] for a one-off parse of an output shape.
pub fn shape_response(
    output: &'static Shape,
    body: &Value,
    timestamp_format: TimestampFormat,
) -> Result<Value, ShapeError> {
    ResponseShaper::new(timestamp_format).shape(output, body)
}

impl ResponseShaper {
    /// The members the model names, in the model's order, without `null`s. When the body lists them in
    /// that order too (as services do), entries move across in one pass; otherwise each member is
    /// looked up.
    fn structure(&self, shape: &'static Shape, node: Value) -> Result<Value, ShapeError> {
        let mut map = match node {
            Value::Null => return Ok(Value::Null),
            Value::Object(map) => map,
            other => {
                return Err(ShapeError::NoAttribute {
                    type_name: type_name(&other),
                    attribute: "get",
                })
            }
        };
        let members = shape.members;
        if in_member_order(&map, shape) {
            // Shaped in place: members take their shaped values, everything else becomes `null`
            // (a present member is never shaped to `null`) and is dropped at the end.
            let mut next = 0;
            for (key, value) in map.iter_mut() {
                let found = members[next..]
                    .iter()
                    .position(|m| same_name(m.name.as_bytes(), key.as_bytes()));
                match found {
                    Some(offset) => {
                        let member = &members[next + offset];
                        next += offset + 1;
                        if !matches!(value, Value::Null) {
                            let raw = std::mem::replace(value, Value::Null);
                            *value = self.shape_owned(member.shape(), raw)?;
                        }
                    }
                    None => *value = Value::Null,
                }
            }
            map.retain(|_, value| !matches!(value, Value::Null));
            return Ok(Value::Object(map));
        }
        let mut shaped = Map::with_capacity(map.len().min(members.len()));
        for member in members {
            match map.swap_remove_entry(member.name) {
                None | Some((_, Value::Null)) => {}
                Some((key, raw)) => {
                    let value = self.shape_owned(member.shape(), raw)?;
                    shaped.push_new(key, value);
                }
            }
        }
        Ok(Value::Object(shaped))
    }

    /// `for item in node`: Python iterates strings by character and dicts by key.
    fn list(&self, shape: &'static Shape, node: Value) -> Result<Value, ShapeError> {
        let items: Vec<Value> = match node {
            Value::Array(items) => items,
            Value::String(s) => s
                .chars()
                .map(|c| Value::String(c.to_string().into()))
                .collect(),
            Value::Object(map) => map.into_keys().map(Value::String).collect(),
            other => {
                return Err(ShapeError::NotIterable {
                    type_name: type_name(&other),
                })
            }
        };
        let Some(member) = shape.list_member() else {
            return Ok(Value::Array(items));
        };
        let mut shaped = items;
        for item in shaped.iter_mut() {
            if !matches!(item, Value::Null) {
                let raw = std::mem::replace(item, Value::Null);
                *item = self.shape_owned(member, raw)?;
            }
        }
        Ok(Value::Array(shaped))
    }

    fn map(&self, shape: &'static Shape, node: Value) -> Result<Value, ShapeError> {
        let map = match node {
            Value::Object(map) => map,
            other => {
                return Err(ShapeError::NoAttribute {
                    type_name: type_name(&other),
                    attribute: "items",
                })
            }
        };
        let Some(value_shape) = shape.map_value() else {
            return Ok(Value::Object(map));
        };
        let mut shaped = Map::with_capacity(map.len());
        for (key, value) in map {
            shaped.insert(key, self.shape_owned(value_shape, value)?);
        }
        Ok(Value::Object(shaped))
    }
}

/// awscli's `iso_format`: `parse_timestamp(value).isoformat()` ([`crate::python::timestamp`]).
fn iso_format(value: &Value, local: &dyn Local) -> Result<String, ShapeError> {
    crate::python::timestamp::iso_format(value, local, &mut Vec::new())
        .map_err(|e| ShapeError::Timestamp(e.to_string()))
}

/// Whether every key of `map` that names a member comes in the model's member order.
fn in_member_order(map: &Map, shape: &Shape) -> bool {
    let members = shape.members;
    let mut next = 0;
    for key in map.keys() {
        if let Some(offset) = members[next..]
            .iter()
            .position(|m| same_name(m.name.as_bytes(), key.as_bytes()))
        {
            next += offset + 1;
        } else if members[..next]
            .iter()
            .any(|m| same_name(m.name.as_bytes(), key.as_bytes()))
        {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::value::Number;

    use crate::python::timestamp::test_zone::Utc;

    static UTC: Utc = Utc;

    fn iso(value: Value) -> String {
        match iso_format(&value, &UTC) {
            Ok(s) => s,
            Err(e) => format!("!! {e}"),
        }
    }

    /// Expected strings are botocore's `parse_timestamp(v).isoformat()` under `TZ=UTC`.
    /// The message the reference prints (exit code 255) for `cli_timestamp_format = bogus`.
    #[test]
    fn unknown_timestamp_format_message() {
        assert_eq!(TimestampFormat::parse("none"), Ok(TimestampFormat::Wire));
        assert_eq!(TimestampFormat::parse("wire"), Ok(TimestampFormat::Wire));
        assert_eq!(
            TimestampFormat::parse("iso8601"),
            Ok(TimestampFormat::Iso8601)
        );
        assert_eq!(
            TimestampFormat::parse("bogus").unwrap_err().to_string(),
            "Unknown cli_timestamp_format value: bogus, valid values are \"none\", \"wire\" or \"iso8601\""
        );
    }

    #[test]
    fn iso8601_matches_botocore() {
        let f = |x: f64| Value::Number(Number::Float(x));
        let i = |x: i64| Value::Number(Number::Int(x));
        let s = |x: &str| Value::String(x.into());
        assert_eq!(iso(f(1569866438.48)), "2019-09-30T18:00:38.480000+00:00");
        assert_eq!(iso(i(1569866438)), "2019-09-30T18:00:38+00:00");
        assert_eq!(iso(s("1569866438.48")), "2019-09-30T18:00:38.480000+00:00");
        assert_eq!(iso(f(1e11)), "5138-11-16T09:46:40+00:00");
        assert_eq!(iso(f(1e12)), "!! year 33658 is out of range");
        assert_eq!(iso(f(-1e11)), "!! year -1199 is out of range");
        assert_eq!(
            iso(f(1e17)),
            "!! Unable to calculate correct timezone offset for \"1e+17\""
        );
        assert_eq!(iso(f(f64::NAN)), "!! Invalid value NaN (not a number)");
        assert_eq!(iso(i(-62135596800)), "0001-01-01T00:00:00+00:00");
        assert_eq!(iso(i(-62135596801)), "!! year 0 is out of range");
        assert_eq!(iso(f(5e-7)), "1970-01-01T00:00:00+00:00");
        assert_eq!(iso(f(1.5e-6)), "1970-01-01T00:00:00.000002+00:00");
        assert_eq!(iso(f(-0.5)), "1969-12-31T23:59:59.500000+00:00");
        assert_eq!(iso(Value::Bool(true)), "1970-01-01T00:00:01+00:00");
        assert_eq!(
            iso(s("2019-09-30T18:00:38.480Z")),
            "2019-09-30T18:00:38.480000+00:00"
        );
        assert_eq!(iso(s("2019-09-30T18:00:38")), "2019-09-30T18:00:38");
        assert_eq!(iso(s("2019-09-30")), "2019-09-30T00:00:00");
        assert_eq!(
            iso(s("abc")),
            "!! Invalid timestamp \"abc\": Unknown string format: abc"
        );
        assert_eq!(
            iso(s("")),
            "!! Invalid timestamp \"\": String does not contain a date: "
        );
        assert_eq!(iso(s(" 12 ")), "1970-01-01T00:00:12+00:00");
        assert_eq!(iso(s("1_0")), "1970-01-01T00:00:10+00:00");
        assert_eq!(
            iso(Value::Array(vec![i(1)])),
            "!! Invalid timestamp \"[1]\": Parser must be a string or character stream, not list"
        );
        assert_eq!(
            iso(Value::Number(Number::BigInt("12345678901234567890".into()))),
            "!! Unable to calculate correct timezone offset for \"12345678901234567890\""
        );
    }
}
