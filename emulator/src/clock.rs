//! Time and identifiers: the emulator's clock, uuid-shaped ids and request ids.
//!
//! In deterministic mode the clock is frozen at the seed example's timestamp (1569866438.48, it never
//! advances), the first two operation ids are the seed example's, and every other id comes from
//! fixed-seed SplitMix64 streams, so the same calls always produce the same bytes. Otherwise the clock is
//! the wall clock rounded to milliseconds (as Lightsail reports times) and the streams are seeded from the
//! clock and process id. The streams are not cryptographic; they only need to look like uuids.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

/// The seed example's `createdAt`/`statusChangedAt`.
pub const SEED_EPOCH: f64 = 1569866438.48;

/// The seed example's operation ids: the snapshot's operation, then the instance's.
pub const SEED_OPERATION_IDS: [&str; 2] = [
    "4c3db559-9dd0-41e7-89c0-2cb88c19786f",
    "c04fdc45-2981-488c-88b5-d6d2fd759a6a",
];

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

/// The timestamp the emulator reports for "now".
pub fn now(deterministic: bool) -> f64 {
    if deterministic {
        SEED_EPOCH
    } else {
        round_millis(real_now())
    }
}

/// SplitMix64: tiny, fast, and good enough for uuid-shaped identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A random (version 4, RFC 4122 variant) uuid in its lowercase hyphenated form.
    pub fn uuid_v4(&mut self) -> String {
        let high = self.next_u64();
        let low = self.next_u64();
        let high = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
        let low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
        let hex = format!("{high:016x}{low:016x}");
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }

    pub fn hex(&mut self, digits: usize) -> String {
        let mut out = String::new();
        while out.len() < digits {
            out.push_str(&format!("{:016x}", self.next_u64()));
        }
        out.truncate(digits);
        out
    }
}

fn entropy_seed() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let local = 0u8;
    let address = &local as *const u8 as u64;
    nanos ^ (u64::from(std::process::id()) << 32) ^ address.rotate_left(17)
}

/// Where every generated identifier comes from. Its state is part of the persisted state so a
/// restarted deterministic emulator carries on where it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdSource {
    /// How many operation ids have been handed out (the first two are the seed's in deterministic mode).
    operations_issued: u64,
    operations: SplitMix64,
    resources: SplitMix64,
    deterministic: bool,
}

impl IdSource {
    pub fn new(deterministic: bool) -> IdSource {
        if deterministic {
            IdSource {
                operations_issued: 0,
                operations: SplitMix64(0x4c3d_b559_9dd0_41e7),
                resources: SplitMix64(0xc04f_dc45_2981_488c),
                deterministic,
            }
        } else {
            let seed = entropy_seed();
            IdSource {
                operations_issued: 0,
                operations: SplitMix64(seed),
                resources: SplitMix64(seed.rotate_left(29) ^ 0x5555_5555_5555_5555),
                deterministic,
            }
        }
    }

    pub fn operation_id(&mut self) -> String {
        let index = self.operations_issued;
        self.operations_issued += 1;
        match SEED_OPERATION_IDS.get(index as usize) {
            Some(id) if self.deterministic => (*id).to_string(),
            _ => self.operations.uuid_v4(),
        }
    }

    pub fn resource_uuid(&mut self) -> String {
        self.resources.uuid_v4()
    }

    pub fn resource_hex(&mut self, digits: usize) -> String {
        self.resources.hex(digits)
    }

    pub fn to_json(&self) -> Value {
        json!({
            "operationsIssued": self.operations_issued,
            "operations": self.operations.0.to_string(),
            "resources": self.resources.0.to_string(),
        })
    }

    pub fn from_json(value: &Value, deterministic: bool) -> Option<IdSource> {
        let number = |key: &str| value.get(key)?.as_str()?.parse::<u64>().ok();
        Some(IdSource {
            operations_issued: value.get("operationsIssued")?.as_u64()?,
            operations: SplitMix64(number("operations")?),
            resources: SplitMix64(number("resources")?),
            deterministic,
        })
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
    fn deterministic_ids_start_with_the_seed() {
        let mut ids = IdSource::new(true);
        assert_eq!(ids.operation_id(), SEED_OPERATION_IDS[0]);
        assert_eq!(ids.operation_id(), SEED_OPERATION_IDS[1]);
        let third = ids.operation_id();
        assert_eq!(third.len(), 36);
        assert_eq!(&third[14..15], "4");
        let restored = IdSource::from_json(&ids.to_json(), true);
        assert_eq!(restored, Some(ids));
    }
}
