//! The emulator clock, and the date formats of the wire.
//!
//! [`Clock`] is the time every resource sees: `createdAt`, `statusChangedAt`, lifecycle due times. In
//! deterministic mode it is frozen at the seed example's timestamp (1569866438.48) plus whatever
//! `POST /_emulator/clock` added, so a test walks a lifecycle in milliseconds and byte-identically;
//! otherwise it is the wall clock rounded to milliseconds (as Lightsail reports times), plus the same
//! offset (advancing skips waiting). SigV4's 15-minute window always uses the real clock
//! ([`real_now`]), since clients sign with theirs.

use std::time::{SystemTime, UNIX_EPOCH};

/// The seed example's `createdAt`/`statusChangedAt`.
pub const SEED_EPOCH: f64 = 1569866438.48;

/// Seconds since the Unix epoch, from the real clock (also used for SigV4 date checks in every mode).
pub fn real_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// Rounds to milliseconds, the precision Lightsail timestamps carry.
pub fn round_millis(seconds: f64) -> f64 {
    (seconds * 1000.0).round() / 1000.0
}

/// The emulator's time: frozen (deterministic) or real, plus an offset that only grows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clock {
    deterministic: bool,
    offset: f64,
}

impl Clock {
    pub fn new(deterministic: bool) -> Clock {
        Clock {
            deterministic,
            offset: 0.0,
        }
    }

    /// A clock that has already been advanced by `offset` seconds (restored from a state file).
    pub fn with_offset(deterministic: bool, offset: f64) -> Clock {
        Clock {
            deterministic,
            offset: offset.max(0.0),
        }
    }

    pub fn deterministic(&self) -> bool {
        self.deterministic
    }

    /// Seconds added by [`Clock::advance`] so far.
    pub fn offset(&self) -> f64 {
        self.offset
    }

    /// The timestamp the emulator reports for "now" (epoch seconds, millisecond precision).
    pub fn now(&self) -> f64 {
        let base = if self.deterministic {
            SEED_EPOCH
        } else {
            real_now()
        };
        round_millis(base + self.offset)
    }

    /// Moves the clock forward (negative or non-finite amounts are refused by the caller).
    pub fn advance(&mut self, seconds: f64) {
        if seconds.is_finite() && seconds > 0.0 {
            self.offset += seconds;
        }
    }
}

/// Days since 1970-01-01 to a civil (year, month, day), after Howard Hinnant's algorithm.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A civil date and time to seconds since the epoch.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Splits epoch seconds into (year, month, day, hour, minute, second).
pub fn civil(seconds: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    (
        y,
        m,
        d,
        (rest / 3600) as u32,
        (rest % 3600 / 60) as u32,
        (rest % 60) as u32,
    )
}

/// `20190930T180038Z`, the SigV4 basic ISO-8601 form.
pub fn amz_date(seconds: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(seconds);
    format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
}

/// `2019-09-30T18:00:38Z`, the form credential endpoints use for expirations.
pub fn iso8601(seconds: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(seconds);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// `Mon, 30 Sep 2019 18:00:38 GMT`, the HTTP `Date` header form.
pub fn http_date(seconds: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(seconds);
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let weekday = DAYS[seconds.div_euclid(86_400).rem_euclid(7) as usize];
    let month = MONTHS[(mo as usize).saturating_sub(1) % 12];
    format!("{weekday}, {d:02} {month} {y:04} {h:02}:{mi:02}:{s:02} GMT")
}

/// Parses `20190930T180038Z` to epoch seconds.
pub fn parse_amz_date(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() != 16 || bytes[8] != b'T' || bytes[15] != b'Z' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        if part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (year, month, day) = (digits(0..4)?, digits(4..6)?, digits(6..8)?);
    let (hour, minute, second) = (digits(9..11)?, digits(11..13)?, digits(13..15)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    Some(
        days_from_civil(year, month as u32, day as u32) * 86_400
            + hour * 3600
            + minute * 60
            + second,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(amz_date(1569866438), "20190930T180038Z");
        assert_eq!(parse_amz_date("20190930T180038Z"), Some(1569866438));
        assert_eq!(http_date(1569866438), "Mon, 30 Sep 2019 18:00:38 GMT");
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(parse_amz_date("2019-09-30T18:00"), None);
    }

    #[test]
    fn the_deterministic_clock_moves_only_when_advanced() {
        let mut clock = Clock::new(true);
        assert_eq!(clock.now(), SEED_EPOCH);
        clock.advance(120.0);
        clock.advance(-5.0);
        assert_eq!(clock.now(), 1569866558.48);
        assert_eq!(Clock::with_offset(true, 120.0), clock);
        let real = Clock::new(false).now();
        assert!((real - real_now()).abs() < 5.0);
    }
}
