//! botocore's timestamp readers, over `datetime.fromtimestamp` and [`super::dateutil`]:
//! `botocore.utils.parse_timestamp` (what `cli_timestamp_format = iso8601` prints, via `isoformat()`) and
//! `parse_to_aware_datetime` (what a timestamp parameter becomes: whole epoch seconds in a JSON request).
//!
//! A number, or a string Python's `float()` reads, is an epoch time in the local zone
//! (`datetime.fromtimestamp(value, tzlocal())`); any other string goes to dateutil. botocore turns a
//! parser failure into `ValueError('Invalid timestamp "X": reason')`, and an epoch the platform cannot
//! convert (`inf`, a huge integer) into `RuntimeError('Unable to calculate correct timezone offset for
//! "X"')`. The local zone is dateutil's `tzlocal()`: the standard and daylight offsets of this year (as
//! Python's `time.timezone` and `time.altzone` are computed) chosen by the C library's `tm_isdst`.

use super::calendar::{civil_from_days, days_from_civil};
use super::dateutil::{self, DateTime, DateutilError, LocalTime, Zone};
use super::number::parse_float;
use super::repr::{str_of, DictFlavor};
use super::types::type_name;
use super::value::{Number, Value};

/// A datetime as botocore holds it: the wall-clock fields and, when aware, the UTC offset in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Aware {
    pub datetime: DateTime,
    pub offset: Option<i64>,
}

/// Why a value is not a timestamp, in the reference's three exception types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimestampError {
    /// A `ValueError` (or `TypeError`): botocore's validator calls the value invalid; elsewhere its text
    /// is printed.
    Value(String),
    /// `RuntimeError('Unable to calculate correct timezone offset for "X"')`: never caught.
    Runtime(String),
    /// An `OverflowError` outside botocore's handling (`date value out of range`): never caught.
    Overflow(String),
}

impl std::fmt::Display for TimestampError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TimestampError::Value(m) | TimestampError::Runtime(m) | TimestampError::Overflow(m) => {
                f.write_str(m)
            }
        }
    }
}

/// A zone name dateutil did not understand, for its `UnknownTimezoneWarning`.
pub type UnknownZone = String;

/// The text Python prints for dateutil's `UnknownTimezoneWarning` (the reference's install path included,
/// as Python's warning format shows the file that warned).
pub fn unknown_zone_warning(name: &str) -> String {
    format!(
        "/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/dateutil/parser/_parser.py:1207: \
         UnknownTimezoneWarning: tzname {name} identified but not understood.  Pass `tzinfos` argument in \
         order to correctly return a timezone-aware datetime.  In a future version, this will raise an \
         exception.\n  warnings.warn(\"tzname {{tzname}} identified but not understood.  \"\n"
    )
}

/// The local zone, as Python's `time` module and dateutil's `tzlocal()` see it.
pub trait Local: LocalTime {
    /// The C library's UTC offset (seconds east) at a Unix time (`localtime().tm_gmtoff`).
    fn offset_at(&self, unix: i64) -> i64;
    /// `localtime(unix).tm_isdst`.
    fn is_dst_at(&self, unix: i64) -> bool;
    /// (`-time.timezone`, `-time.altzone`): this year's standard and daylight offsets.
    fn std_dst_offsets(&self) -> (i64, i64);
}

/// The machine's zone, through the C library (which reads `TZ`).
pub struct SystemLocal;

fn localtime(unix: i64) -> Option<libc::tm> {
    let t = unix as libc::time_t;
    // SAFETY: `tm` is plain data that `localtime_r` fills in; both pointers are valid for the call.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            None
        } else {
            Some(tm)
        }
    }
}

fn zone_name(tm: &libc::tm) -> String {
    if tm.tm_zone.is_null() {
        return String::new();
    }
    // SAFETY: a non-null `tm_zone` from `localtime_r` points at a NUL-terminated zone abbreviation.
    unsafe { std::ffi::CStr::from_ptr(tm.tm_zone) }
        .to_string_lossy()
        .into_owned()
}

impl SystemLocal {
    /// CPython's `init_timezone`: the zones of (roughly) January and July of this year; the one further
    /// west is standard time.
    fn january_july() -> ((i64, String), (i64, String)) {
        const YEAR: i64 = (365 * 24 + 6) * 3600;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let january = now / YEAR * YEAR;
        let zone = |t: i64| {
            localtime(t)
                .map(|tm| (tm.tm_gmtoff, zone_name(&tm)))
                .unwrap_or((0, "UTC".into()))
        };
        let (jan, jul) = (zone(january), zone(january + YEAR / 2));
        if jan.0 > jul.0 {
            // Southern hemisphere: January is summer.
            (jul, jan)
        } else {
            (jan, jul)
        }
    }
}

impl LocalTime for SystemLocal {
    fn today(&self) -> (i64, u32, u32) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let local = now + self.offset_at(now);
        civil_from_days(local.div_euclid(86_400))
    }

    fn zone_names(&self) -> (String, String) {
        let (std, dst) = Self::january_july();
        (std.1, dst.1)
    }
}

impl Local for SystemLocal {
    fn offset_at(&self, unix: i64) -> i64 {
        localtime(unix).map_or(0, |tm| tm.tm_gmtoff)
    }

    fn is_dst_at(&self, unix: i64) -> bool {
        localtime(unix).is_some_and(|tm| tm.tm_isdst > 0)
    }

    fn std_dst_offsets(&self) -> (i64, i64) {
        let (std, dst) = Self::january_july();
        (std.0, dst.0)
    }
}

/// A zone with one fixed offset (seconds east of UTC) and no daylight time, named `UTC` at offset 0: for
/// tests and for reproducing runs recorded under a known `TZ`.
pub struct FixedLocal(pub i64);

impl LocalTime for FixedLocal {
    fn today(&self) -> (i64, u32, u32) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        civil_from_days((now + self.0).div_euclid(86_400))
    }

    fn zone_names(&self) -> (String, String) {
        let name = if self.0 == 0 { "UTC" } else { "" };
        (name.into(), name.into())
    }
}

impl Local for FixedLocal {
    fn offset_at(&self, _: i64) -> i64 {
        self.0
    }
    fn is_dst_at(&self, _: i64) -> bool {
        false
    }
    fn std_dst_offsets(&self) -> (i64, i64) {
        (self.0, self.0)
    }
}

/// Seconds from the epoch of a datetime's fields read as UTC.
fn fields_as_utc(dt: &DateTime) -> i64 {
    days_from_civil(dt.year, dt.month, dt.day) * 86_400
        + i64::from(dt.hour) * 3600
        + i64::from(dt.minute) * 60
        + i64::from(dt.second)
}

fn from_utc_seconds(seconds: i64, microsecond: u32, zone: Zone) -> DateTime {
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let rest = seconds.rem_euclid(86_400);
    DateTime {
        year,
        month,
        day,
        hour: (rest / 3600) as u32,
        minute: (rest % 3600 / 60) as u32,
        second: (rest % 60) as u32,
        microsecond,
        zone,
    }
}

/// `tzlocal().utcoffset(naive)`: daylight or standard offset by `tm_isdst` of the wall time read
/// dateutil's way (`localtime(fields_as_utc + time.timezone)`); an ambiguous wall time counts as daylight.
pub fn tzlocal_offset(local: &dyn Local, dt: &DateTime) -> i64 {
    let (std, dst) = local.std_dst_offsets();
    if std == dst {
        return std;
    }
    let naive_is_dst = |t: i64| local.is_dst_at(t - std);
    let t = fields_as_utc(dt);
    let is_dst = naive_is_dst(t);
    let ambiguous = !is_dst && is_dst != naive_is_dst(t - (dst - std));
    if is_dst || ambiguous {
        dst
    } else {
        std
    }
}

/// Whether `datetime.fromtimestamp` fails with `OverflowError`/`OSError` (which botocore turns into a
/// `RuntimeError`) rather than a `ValueError` about the year.
fn epoch_overflows(seconds: f64) -> bool {
    if !seconds.is_finite() || seconds.abs() >= 9_223_372_036_854_775_808.0 {
        return true;
    }
    let (year, ..) = civil_from_days((seconds.floor() as i64).div_euclid(86_400));
    year - 1900 > i64::from(i32::MAX) || year - 1900 < i64::from(i32::MIN)
}

fn runtime_error(shown: &str) -> TimestampError {
    TimestampError::Runtime(format!(
        "Unable to calculate correct timezone offset for \"{shown}\""
    ))
}

/// `datetime.fromtimestamp(seconds, tzlocal())`: `Err(None)` for botocore's `RuntimeError`,
/// `Err(Some(message))` for a `ValueError`.
fn from_timestamp(local: &dyn Local, seconds: f64) -> Result<Aware, Option<String>> {
    if seconds.is_nan() {
        return Err(Some("Invalid value NaN (not a number)".into()));
    }
    if epoch_overflows(seconds) {
        return Err(None);
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
    let offset = local.offset_at(unix);
    let datetime = from_utc_seconds(unix + offset, micros as u32, Zone::Fixed(offset));
    if !(1..=9999).contains(&datetime.year) {
        return Err(Some(format!("year {} is out of range", datetime.year)));
    }
    Ok(Aware {
        datetime,
        offset: Some(offset),
    })
}

/// `botocore.utils.parse_timestamp(value)` with the local zone; a zone name dateutil did not understand is
/// pushed onto `unknown`.
pub fn parse_timestamp(
    value: &Value,
    local: &dyn Local,
    unknown: &mut Vec<UnknownZone>,
) -> Result<Aware, TimestampError> {
    let shown = match value {
        Value::String(s) => s.clone(),
        other => str_of(other, DictFlavor::Dict).into(),
    };
    let seconds = match value {
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Number(Number::Int(i)) => Some(*i as f64),
        Value::Number(Number::BigInt(_)) => return Err(runtime_error(&shown)),
        Value::Number(n) => Some(n.as_f64()),
        Value::String(s) => parse_float(s).ok(),
        _ => None,
    };
    if let Some(seconds) = seconds {
        match from_timestamp(local, seconds) {
            Ok(aware) => return Ok(aware),
            Err(None) => return Err(runtime_error(&shown)),
            // A number that fromtimestamp rejects is not a string for dateutil: botocore's message.
            Err(Some(message)) if !matches!(value, Value::String(_)) => {
                return Err(TimestampError::Value(message))
            }
            Err(Some(_)) => {}
        }
    }
    let Value::String(text) = value else {
        return Err(TimestampError::Value(format!(
            "Invalid timestamp \"{shown}\": Parser must be a string or character stream, not {}",
            type_name(value)
        )));
    };
    match dateutil::parse(text, local) {
        Ok(parsed) => {
            if let Some(name) = parsed.unknown_zone {
                unknown.push(name);
            }
            let offset = match parsed.datetime.zone {
                Zone::Naive => None,
                Zone::Fixed(offset) => Some(offset),
                Zone::Local => Some(tzlocal_offset(local, &parsed.datetime)),
            };
            Ok(Aware {
                datetime: parsed.datetime,
                offset,
            })
        }
        Err(DateutilError::Invalid(reason)) => Err(TimestampError::Value(format!(
            "Invalid timestamp \"{text}\": {reason}"
        ))),
        // The OverflowError is caught, the float() fallback fails: botocore's RuntimeError.
        Err(DateutilError::Overflow) => Err(runtime_error(text)),
    }
}

/// Python's check of a `tzinfo`'s offset, made whenever it is used (the message quotes the offset's
/// `repr`, a `timedelta(days=D, seconds=S)`).
fn check_offset(offset: i64) -> Result<(), TimestampError> {
    if offset.abs() < 86_400 {
        return Ok(());
    }
    let (days, seconds) = (offset.div_euclid(86_400), offset.rem_euclid(86_400));
    let mut parts = Vec::new();
    if days != 0 {
        parts.push(format!("days={days}"));
    }
    if seconds != 0 {
        parts.push(format!("seconds={seconds}"));
    }
    Err(TimestampError::Value(format!(
        "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), \
         not datetime.timedelta({}).",
        parts.join(", ")
    )))
}

/// `parse_to_aware_datetime(value)` then `int(calendar.timegm(dt.astimezone(utc).timetuple()))`: the
/// whole epoch seconds a timestamp parameter is sent as in a JSON request.
pub fn epoch_seconds(
    value: &Value,
    local: &dyn Local,
    unknown: &mut Vec<UnknownZone>,
) -> Result<i64, TimestampError> {
    let aware = parse_timestamp(value, local, unknown)?;
    let offset = aware.offset.unwrap_or(0);
    check_offset(offset)?;
    let utc = fields_as_utc(&aware.datetime) - offset;
    let (year, ..) = civil_from_days(utc.div_euclid(86_400));
    if !(1..=9999).contains(&year) {
        return Err(TimestampError::Overflow("date value out of range".into()));
    }
    Ok(utc)
}

/// `parse_timestamp(value).isoformat()`: what `cli_timestamp_format = iso8601` prints.
pub fn iso_format(
    value: &Value,
    local: &dyn Local,
    unknown: &mut Vec<UnknownZone>,
) -> Result<String, TimestampError> {
    let aware = parse_timestamp(value, local, unknown)?;
    let d = aware.datetime;
    let mut out = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        d.year, d.month, d.day, d.hour, d.minute, d.second
    );
    if d.microsecond != 0 {
        out.push_str(&format!(".{:06}", d.microsecond));
    }
    if let Some(offset) = aware.offset {
        check_offset(offset)?;
        let sign = if offset < 0 { '-' } else { '+' };
        let abs = offset.abs();
        out.push_str(&format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60));
        if abs % 60 != 0 {
            out.push_str(&format!(":{:02}", abs % 60));
        }
    }
    Ok(out)
}

/// A fixed local zone for tests in this crate: UTC, today 2026-12-01.
#[cfg(test)]
pub(crate) mod test_zone {
    use super::{Local, LocalTime};

    /// UTC, today 2026-12-01.
    pub struct Utc;
    impl LocalTime for Utc {
        fn today(&self) -> (i64, u32, u32) {
            (2026, 12, 1)
        }
        fn zone_names(&self) -> (String, String) {
            ("UTC".into(), "UTC".into())
        }
    }
    impl Local for Utc {
        fn offset_at(&self, _: i64) -> i64 {
            0
        }
        fn is_dst_at(&self, _: i64) -> bool {
            false
        }
        fn std_dst_offsets(&self) -> (i64, i64) {
            (0, 0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::test_zone::Utc;

    fn epoch(v: Value) -> String {
        match epoch_seconds(&v, &Utc, &mut Vec::new()) {
            Ok(s) => s.to_string(),
            Err(e) => format!("!{e}"),
        }
    }

    fn iso(v: Value) -> String {
        match iso_format(&v, &Utc, &mut Vec::new()) {
            Ok(s) => s,
            Err(e) => format!("!{e}"),
        }
    }

    fn s(x: &str) -> Value {
        Value::String(x.into())
    }

    /// Expected values are botocore 1.43.11's, under `TZ=UTC`.
    #[test]
    fn epochs_match_botocore() {
        assert_eq!(epoch(s("2024-01-01T00:00:00Z")), "1704067200");
        assert_eq!(epoch(s("2024-01-01T10:20:30.999999-05:30")), "1704124230");
        assert_eq!(epoch(s("1704070800.9")), "1704070800");
        assert_eq!(epoch(s("-1.5")), "-2");
        assert_eq!(epoch(Value::Bool(true)), "1");
        assert_eq!(epoch(s("24.01.01")), "980294400");
        assert_eq!(epoch(s("2024-01-31 10:00 GMT+3")), "1706706000");
        assert_eq!(
            epoch(s("inf")),
            "!Unable to calculate correct timezone offset for \"inf\""
        );
        assert_eq!(
            epoch(s("yesterday")),
            "!Invalid timestamp \"yesterday\": Unknown string format: yesterday"
        );
        assert_eq!(
            epoch(s("0001-01-01T00:00:00+01:00")),
            "!date value out of range"
        );
        assert!(epoch(s("2024-01-01T10:00:00+25:00")).starts_with("!offset must be"));
    }

    #[test]
    fn iso_strings_keep_their_zone() {
        let f = |x: f64| Value::Number(Number::Float(x));
        assert_eq!(iso(f(1569866438.48)), "2019-09-30T18:00:38.480000+00:00");
        assert_eq!(
            iso(s("Mon, 30 Sep 2019 19:20:38 GMT")),
            "2019-09-30T19:20:38+00:00"
        );
        assert_eq!(
            iso(s("2019-09-30T19:20:38.123+02:00")),
            "2019-09-30T19:20:38.123000+02:00"
        );
        assert_eq!(iso(s("2019-09-30")), "2019-09-30T00:00:00");
        assert_eq!(iso(f(1e12)), "!year 33658 is out of range");
        assert_eq!(
            iso(s("")),
            "!Invalid timestamp \"\": String does not contain a date: "
        );
        assert_eq!(
            iso(Value::Array(vec![Value::Number(Number::Int(1))])),
            "!Invalid timestamp \"[1]\": Parser must be a string or character stream, not list"
        );
    }

    #[test]
    fn unknown_zones_are_reported() {
        let mut unknown = Vec::new();
        let value = s("2024-01-01T00:00:00 PST");
        assert_eq!(epoch_seconds(&value, &Utc, &mut unknown), Ok(1704067200));
        assert_eq!(unknown, ["PST"]);
    }
}
