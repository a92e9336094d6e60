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
use crate::python::number::parse_float;
use crate::python::types::type_name;
use crate::python::utf8::{decode_utf8, Utf8DecodeError};
use crate::python::value::{Map, Number, Value};
use crate::response::formatter::py_str;
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
#[derive(Debug)]
pub struct ResponseShaper {
    timestamp_format: TimestampFormat,
    local_offset: fn(i64) -> i64,
    saw_timestamp: Cell<bool>,
}

impl ResponseShaper {
    /// A shaper for the configured `cli_timestamp_format`, converting in the machine's time zone.
    pub fn new(timestamp_format: TimestampFormat) -> ResponseShaper {
        ResponseShaper::in_zone(timestamp_format, local_utc_offset)
    }

    /// A shaper whose `iso8601` output uses `local_offset` (seconds east of UTC at a Unix time).
    pub fn in_zone(
        timestamp_format: TimestampFormat,
        local_offset: fn(i64) -> i64,
    ) -> ResponseShaper {
        ResponseShaper {
            timestamp_format,
            local_offset,
            saw_timestamp: Cell::new(false),
        }
    }

    /// Whether a (non-null) timestamp has been parsed so far: with `--v2-debug` and no configured
    /// `cli_timestamp_format`, the reference has then printed [`V2_TIMESTAMP_WARNING`] on stderr.
    pub fn saw_timestamp(&self) -> bool {
        self.saw_timestamp.get()
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
                    message.insert("message".into(), Value::String(text.to_string()));
                    Value::Object(message)
                }
            }
        };
        let shaped = self.shape(output, &decoded)?;
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
        match shape.kind {
            Kind::Structure => self.structure(shape, node),
            Kind::List => self.list(shape, node),
            Kind::Map => self.map(shape, node),
            Kind::Timestamp => {
                self.saw_timestamp.set(true);
                match self.timestamp_format {
                    TimestampFormat::Wire => Ok(node.clone()),
                    TimestampFormat::Iso8601 => {
                        iso_format(node, self.local_offset).map(Value::String)
                    }
                }
            }
            _ => Ok(node.clone()),
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
    fn structure(&self, shape: &'static Shape, node: &Value) -> Result<Value, ShapeError> {
        let map = match node {
            Value::Null => return Ok(Value::Null),
            Value::Object(map) => map,
            other => {
                return Err(ShapeError::NoAttribute {
                    type_name: type_name(other),
                    attribute: "get",
                })
            }
        };
        let mut shaped = Map::new();
        for member in shape.members {
            match map.get(member.name) {
                None | Some(Value::Null) => {}
                Some(raw) => {
                    shaped.insert(member.name.to_string(), self.shape(member.shape(), raw)?);
                }
            }
        }
        Ok(Value::Object(shaped))
    }

    /// `for item in node`: Python iterates strings by character and dicts by key.
    fn list(&self, shape: &'static Shape, node: &Value) -> Result<Value, ShapeError> {
        let items: Vec<Value> = match node {
            Value::Array(items) => items.clone(),
            Value::String(s) => s.chars().map(|c| Value::String(c.to_string())).collect(),
            Value::Object(map) => map.keys().map(|k| Value::String(k.clone())).collect(),
            other => {
                return Err(ShapeError::NotIterable {
                    type_name: type_name(other),
                })
            }
        };
        let Some(member) = shape.list_member() else {
            return Ok(Value::Array(items));
        };
        let mut shaped = Vec::with_capacity(items.len());
        for item in &items {
            shaped.push(match item {
                Value::Null => Value::Null,
                item => self.shape(member, item)?,
            });
        }
        Ok(Value::Array(shaped))
    }

    fn map(&self, shape: &'static Shape, node: &Value) -> Result<Value, ShapeError> {
        let Value::Object(map) = node else {
            return Err(ShapeError::NoAttribute {
                type_name: type_name(node),
                attribute: "items",
            });
        };
        let mut shaped = Map::new();
        for (key, value) in map {
            let value = match shape.map_value() {
                Some(value_shape) => self.shape(value_shape, value)?,
                None => value.clone(),
            };
            shaped.insert(key.clone(), value);
        }
        Ok(Value::Object(shaped))
    }
}

/// The local zone's UTC offset at a Unix time, from the C library (as Python's `time.localtime`).
fn local_utc_offset(unix: i64) -> i64 {
    let t: libc::time_t = unix as libc::time_t;
    // SAFETY: `tm` is plain data that `localtime_r` fills in; both pointers are valid for the call.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            0
        } else {
            tm.tm_gmtoff
        }
    }
}

/// awscli's `iso_format`: `parse_timestamp(value).isoformat()`.
fn iso_format(value: &Value, local_offset: fn(i64) -> i64) -> Result<String, ShapeError> {
    let shown = py_str(value);
    match value {
        Value::Bool(b) => epoch_to_iso(if *b { 1.0 } else { 0.0 }, &shown, local_offset),
        Value::Number(Number::Int(i)) if i.unsigned_abs() < (1 << 53) => {
            epoch_to_iso(*i as f64, &shown, local_offset)
        }
        Value::Number(n) => epoch_to_iso(n.as_f64(), &shown, local_offset),
        Value::String(s) => {
            if let Ok(seconds) = parse_float(s) {
                if let Ok(iso) = epoch_to_iso(seconds, &shown, local_offset) {
                    return Ok(iso);
                }
                if !seconds.is_nan() && epoch_overflows(seconds) {
                    return Err(runtime_error(&shown));
                }
            }
            parse_iso_string(s).ok_or_else(|| {
                let reason = if s.trim().is_empty() {
                    format!("String does not contain a date: {s}")
                } else {
                    format!("Unknown string format: {s}")
                };
                ShapeError::Timestamp(format!("Invalid timestamp \"{s}\": {reason}"))
            })
        }
        other => Err(ShapeError::Timestamp(format!(
            "Invalid timestamp \"{shown}\": Parser must be a string or character stream, not {}",
            type_name(other)
        ))),
    }
}

fn runtime_error(shown: &str) -> ShapeError {
    ShapeError::Timestamp(format!(
        "Unable to calculate correct timezone offset for \"{shown}\""
    ))
}

/// Whether `datetime.fromtimestamp` fails with `OverflowError`/`OSError` (which botocore turns into a
/// `RuntimeError`) rather than a `ValueError` about the year.
fn epoch_overflows(seconds: f64) -> bool {
    if !seconds.is_finite() || seconds.abs() >= 9_223_372_036_854_775_808.0 {
        return true;
    }
    let (year, ..) =
        crate::python::calendar::civil_from_days((seconds.floor() as i64).div_euclid(86_400));
    year - 1900 > i64::from(i32::MAX) || year - 1900 < i64::from(i32::MIN)
}

/// `datetime.fromtimestamp(seconds, tzlocal()).isoformat()`.
fn epoch_to_iso(
    seconds: f64,
    shown: &str,
    local_offset: fn(i64) -> i64,
) -> Result<String, ShapeError> {
    if seconds.is_nan() {
        return Err(ShapeError::Timestamp(
            "Invalid value NaN (not a number)".into(),
        ));
    }
    if epoch_overflows(seconds) {
        return Err(runtime_error(shown));
    }
    // CPython: split off the fraction, round the microseconds half to even, carry into the seconds.
    let mut whole = seconds.trunc();
    let mut micros = ((seconds - whole) * 1e6).round_ties_even();
    if micros >= 1e6 {
        micros -= 1e6;
        whole += 1.0;
    } else if micros < 0.0 {
        micros += 1e6;
        whole -= 1.0;
    }
    let unix = whole as i64;
    let offset = local_offset(unix);
    let local = unix + offset;
    let (year, month, day) = crate::python::calendar::civil_from_days(local.div_euclid(86_400));
    if !(1..=9999).contains(&year) {
        return Err(ShapeError::Timestamp(format!(
            "year {year} is out of range"
        )));
    }
    let secs = local.rem_euclid(86_400);
    Ok(format_iso(
        (year, month, day),
        (secs / 3600, secs % 3600 / 60, secs % 60),
        micros as u32,
        Some(offset),
    ))
}

fn format_iso(
    date: (i64, u32, u32),
    time: (i64, i64, i64),
    micros: u32,
    offset: Option<i64>,
) -> String {
    let mut out = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        date.0, date.1, date.2, time.0, time.1, time.2
    );
    if micros != 0 {
        out.push_str(&format!(".{micros:06}"));
    }
    if let Some(offset) = offset {
        let sign = if offset < 0 { '-' } else { '+' };
        let abs = offset.abs();
        out.push_str(&format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60));
        if abs % 60 != 0 {
            out.push_str(&format!(":{:02}", abs % 60));
        }
    }
    out
}

/// `dateutil.parser.parse` for ISO 8601 date-times: `YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|±HH[:]MM]`.
fn parse_iso_string(s: &str) -> Option<String> {
    let s = s.trim();
    let bytes = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(range)?;
        if part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)? as u32, digits(8..10)? as u32);
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(format_iso((year, month, day), (0, 0, 0), 0, None));
    }
    let rest = rest.strip_prefix(['T', ' '])?;
    let time_end = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (time, zone) = rest.split_at(time_end);
    let mut parts = time.splitn(3, ':');
    let hour: i64 = parts.next()?.parse().ok()?;
    let minute: i64 = parts.next()?.parse().ok()?;
    let (second, micros) = match parts.next() {
        None => (0, 0),
        Some(sec) => {
            let (whole, fraction) = sec.split_once('.').unwrap_or((sec, ""));
            let fraction: String = format!("{fraction:0<6}").chars().take(6).collect();
            (
                whole.parse::<i64>().ok()?,
                if fraction.is_empty() {
                    0
                } else {
                    fraction.parse::<u32>().ok()?
                },
            )
        }
    };
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let offset = match zone {
        "" => None,
        "Z" | "z" => Some(0),
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let hm: String = zone[1..].chars().filter(|c| *c != ':').collect();
            if hm.len() != 4 || !hm.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let (h, m): (i64, i64) = (hm[..2].parse().ok()?, hm[2..].parse().ok()?);
            Some(sign * (h * 3600 + m * 60))
        }
    };
    Some(format_iso(
        (year, month, day),
        (hour, minute, second),
        micros,
        offset,
    ))
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(_: i64) -> i64 {
        0
    }

    fn iso(value: Value) -> String {
        match iso_format(&value, utc) {
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
