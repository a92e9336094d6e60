//! When temporary credentials (and SSO tokens) expire, as botocore reads it: `dateutil.parser.parse` of the
//! `Expiration` text, compared with an aware "now" (a naive time fails only at that comparison, with
//! Python's `TypeError` text), and `RefreshableCredentials`' windows: refresh when less than 15 minutes are
//! left (advisory: a failed refresh keeps the old credentials), must refresh when less than 10 (mandatory:
//! the failure is the error), and refreshed credentials that are already expired are an error.
//!
//! dateutil accepts far more than ISO 8601; this parser takes the forms credential sources write:
//! `YYYY-MM-DD`, then optionally `T` or a space and `HH:MM[:SS[.fraction]]`, then optionally `Z`, `UTC`,
//! `GMT` or a numeric offset (`+HH:MM`, `+HHMM`, `+HH`). Anything else fails with dateutil's
//! `Unknown string format: ...` (docs/deviations.md lists the difference).

use crate::python::value::Value;

/// Less than this left: refresh, keep the old credentials if that fails (botocore's advisory timeout).
pub const ADVISORY_SECONDS: f64 = 15.0 * 60.0;
/// Less than this left: refresh, and a failure is the error (botocore's mandatory timeout).
pub const MANDATORY_SECONDS: f64 = 10.0 * 60.0;
/// The message botocore raises when a refresh brings credentials that are already expired.
pub const STILL_EXPIRED: &str =
    "Credentials were refreshed, but the refreshed credentials are still expired.";
/// Python's text for comparing a naive time with an aware one.
pub const NAIVE_MINUS_AWARE: &str = "can't subtract offset-naive and offset-aware datetimes";

/// A parsed expiry time, in seconds since the epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Expiry {
    /// With a zone: comparable with now.
    Aware(f64),
    /// Without one (`2099-01-01T00:00:00`): botocore parses it, then fails when it compares.
    Naive(f64),
}

impl Expiry {
    /// Seconds left at `now` (seconds since the epoch), or Python's `TypeError` text for a naive time.
    pub fn seconds_left(&self, now: f64) -> Result<f64, String> {
        match self {
            Expiry::Aware(t) => Ok(t - now),
            Expiry::Naive(_) => Err(NAIVE_MINUS_AWARE.to_owned()),
        }
    }
}

/// What a refresh check decides (botocore's `refresh_needed` with both windows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshNeed {
    None,
    Advisory,
    Mandatory,
}

/// Whether credentials with `seconds_left` must be fetched again.
pub fn refresh_need(seconds_left: f64) -> RefreshNeed {
    if seconds_left >= ADVISORY_SECONDS {
        RefreshNeed::None
    } else if seconds_left >= MANDATORY_SECONDS {
        RefreshNeed::Advisory
    } else {
        RefreshNeed::Mandatory
    }
}

/// `dateutil.parser.parse(value)` for a JSON value: strings are parsed, anything else is the `TypeError`
/// dateutil raises for a non-string.
pub fn parse_value(value: &Value) -> Result<Expiry, String> {
    match value {
        Value::String(text) => parse(text),
        other => Err(format!(
            "Parser must be a string or character stream, not {}",
            crate::python::types::type_name(other)
        )),
    }
}

/// `dateutil.parser.parse(text)` for the forms described in the module doc.
pub fn parse(text: &str) -> Result<Expiry, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(format!("String does not contain a date: {text}"));
    }
    parse_iso(trimmed).ok_or_else(|| format!("Unknown string format: {text}"))
}

fn parse_iso(s: &str) -> Option<Expiry> {
    let b = s.as_bytes();
    let digits = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |acc, d| acc * 10 + i64::from(d - b'0')))
    };
    let (year, month, day) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut rest = &s[10..];
    let mut seconds = 0.0;
    if let Some(time) = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')) {
        let tb = time.as_bytes();
        let two = |from: usize| -> Option<i64> {
            let part = tb.get(from..from + 2)?;
            part.iter()
                .all(u8::is_ascii_digit)
                .then(|| i64::from(part[0] - b'0') * 10 + i64::from(part[1] - b'0'))
        };
        let (hour, minute) = (two(0)?, two(3)?);
        if tb.get(2) != Some(&b':') || hour > 23 || minute > 59 {
            return None;
        }
        let mut used = 5;
        let mut second = 0.0;
        if tb.get(5) == Some(&b':') {
            let whole = two(6)?;
            if whole > 59 {
                return None;
            }
            second = whole as f64;
            used = 8;
            if tb.get(8) == Some(&b'.') {
                let n = tb[9..].iter().take_while(|c| c.is_ascii_digit()).count();
                if n == 0 {
                    return None;
                }
                // dateutil keeps microseconds (six digits).
                let micros: String = time[9..9 + n.min(6)].chars().collect();
                let micros: f64 = format!("{micros:0<6}").parse().ok()?;
                second += micros / 1e6;
                used = 9 + n;
            }
        }
        seconds = (hour * 3600 + minute * 60) as f64 + second;
        rest = &time[used..];
    }
    let base = days_from_civil(year, month, day) as f64 * 86_400.0 + seconds;
    let zone = rest.trim_start();
    if zone.is_empty() {
        return Some(Expiry::Naive(base));
    }
    if matches!(zone, "Z" | "z" | "UTC" | "GMT" | "utc" | "gmt") {
        return Some(Expiry::Aware(base));
    }
    let sign = match zone.as_bytes()[0] {
        b'+' => -1.0,
        b'-' => 1.0,
        _ => return None,
    };
    let offset = &zone[1..];
    let (h, m) = match offset.len() {
        2 => (offset, "00"),
        4 => (&offset[..2], &offset[2..]),
        5 if offset.as_bytes()[2] == b':' => (&offset[..2], &offset[3..]),
        _ => return None,
    };
    if !h.bytes().chain(m.bytes()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (h, m): (f64, f64) = (h.parse().ok()?, m.parse().ok()?);
    Some(Expiry::Aware(base + sign * (h * 3600.0 + m * 60.0)))
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// `YYYY-MM-DDTHH:MM:SSZ` (botocore's `%Y-%m-%dT%H:%M:%SZ`) of an epoch second.
pub fn format_utc(epoch: i64) -> String {
    let (y, m, d) = crate::python::calendar::civil_from_days(epoch.div_euclid(86_400));
    let s = epoch.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Now, in seconds since the epoch.
pub fn now_seconds() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_credential_sources_write() {
        let day = 4_102_444_800.0; // 2100-01-01T00:00:00Z
        assert_eq!(parse("2100-01-01T00:00:00Z"), Ok(Expiry::Aware(day)));
        assert_eq!(parse("2100-01-01 00:00:00Z"), Ok(Expiry::Aware(day)));
        assert_eq!(
            parse("2100-01-01T00:00:00.5Z"),
            Ok(Expiry::Aware(day + 0.5))
        );
        assert_eq!(
            parse("2100-01-01T00:00:00+02:00"),
            Ok(Expiry::Aware(day - 7200.0))
        );
        assert_eq!(
            parse("2100-01-01T00:00:00-0130"),
            Ok(Expiry::Aware(day + 5400.0))
        );
        assert_eq!(parse("2100-01-01T00:00:00"), Ok(Expiry::Naive(day)));
        assert_eq!(parse("2100-01-01"), Ok(Expiry::Naive(day)));
        assert_eq!(parse("2100-01-01T00:00 UTC"), Ok(Expiry::Aware(day)));
        assert_eq!(parse("soon"), Err("Unknown string format: soon".into()));
        assert_eq!(parse(""), Err("String does not contain a date: ".into()));
        assert_eq!(
            parse_value(&Value::Null),
            Err("Parser must be a string or character stream, not NoneType".into())
        );
        assert_eq!(format_utc(day as i64), "2100-01-01T00:00:00Z");
        assert_eq!(
            Expiry::Naive(day).seconds_left(0.0),
            Err(NAIVE_MINUS_AWARE.into())
        );
        assert_eq!(refresh_need(900.0), RefreshNeed::None);
        assert_eq!(refresh_need(899.0), RefreshNeed::Advisory);
        assert_eq!(refresh_need(599.0), RefreshNeed::Mandatory);
    }
}
