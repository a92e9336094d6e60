//! Whether botocore accepts a value for a `timestamp` member (`parse_to_aware_datetime` succeeds).
//!
//! The reference accepts numbers (epoch seconds, via `datetime.fromtimestamp`), strings that
//! Python's `float()` reads as such a number, and anything `dateutil.parser.parse` understands. No
//! crate reproduces dateutil's very lenient parser, so this is an approximation that covers the
//! forms people use: ISO 8601 dates and date-times (`2020-01-01`, `20200101`, `2020-01-01T10:20:30.1Z`,
//! `+02:00` offsets, a space instead of `T`), `YYYY/MM/DD`, `MM/DD/YYYY`, a bare year, a bare time
//! (`10:00`), month names (`Jan 2020`, `01 Jan 2020`) and RFC 1123 (`Wed, 01 Jan 2020 00:00:00 GMT`).
//! Epoch values beyond the years 1..9999, `inf` and huge integers make the reference itself crash
//! (`RuntimeError`); here they are simply invalid. `tests/data/validate/timestamps.json` holds the
//! reference's verdicts on about a hundred values, all matched.

use crate::python::number::parse_float;
use crate::python::value::{Number, Value};

/// Seconds from the epoch to 0001-01-01 and to 10000-01-01: `datetime`'s year range.
const MIN_EPOCH: f64 = -62_135_596_800.0;
const MAX_EPOCH: f64 = 253_402_300_800.0;

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// `parse_to_aware_datetime(value)` raises no `TypeError`/`ValueError`.
pub fn is_valid_timestamp(value: &Value) -> bool {
    match value {
        Value::Bool(_) => true,
        Value::Number(Number::BigInt(_)) => false,
        Value::Number(n) => epoch_in_range(n.as_f64()),
        Value::String(s) => match parse_float(s).ok() {
            Some(f) if f.is_finite() => epoch_in_range(f) || parses_as_date(s),
            _ => parses_as_date(s),
        },
        Value::Null | Value::Array(_) | Value::Object(_) => false,
    }
}

fn epoch_in_range(f: f64) -> bool {
    f.is_finite() && (MIN_EPOCH..MAX_EPOCH).contains(&f)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn valid_date(year: u32, month: u32, day: u32) -> bool {
    (1..=9999).contains(&year)
        && (1..=12).contains(&month)
        && day >= 1
        && day <= days_in_month(year, month)
}

fn number(s: &str, digits: usize) -> Option<u32> {
    if s.len() == digits && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

fn small_number(s: &str) -> Option<u32> {
    if !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// `HH:MM[:SS[.ffff]]`, optionally followed by `Z`, `±HH[:MM]`.
fn valid_time(text: &str) -> bool {
    let text = text.strip_suffix(['Z', 'z']).unwrap_or(text);
    let (clock, offset) = match text.rfind(['+', '-']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    if let Some(offset) = offset {
        let ok = match offset.len() {
            2 => number(offset, 2).is_some(),
            4 => number(offset, 4).is_some(),
            5 => {
                offset.as_bytes()[2] == b':'
                    && number(&offset[..2], 2).is_some()
                    && number(&offset[3..], 2).is_some()
            }
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    let (clock, fraction) = match clock.split_once(['.', ',']) {
        Some((c, f)) => (c, Some(f)),
        None => (clock, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    if clock.is_empty() {
        // `2020-01-01T`: dateutil ignores a bare `T`.
        return fraction.is_none() && offset.is_none();
    }
    let parts: Vec<&str> = clock.split(':').collect();
    let limits = [24, 60, 60];
    (1..=3).contains(&parts.len())
        && parts
            .iter()
            .zip(limits)
            .all(|(p, limit)| small_number(p).is_some_and(|n| n < limit))
}

/// A date: `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`, `YYYYMMDD`, `MM/DD/YYYY`, `YYYY-MM`, `YYYY`.
fn valid_date_token(text: &str) -> bool {
    if let Some(year) = number(text, 4) {
        return (1..=9999).contains(&year);
    }
    if text.len() == 8 {
        if let (Some(y), Some(m), Some(d)) = (
            number(&text[..4], 4),
            number(&text[4..6], 2),
            number(&text[6..], 2),
        ) {
            return valid_date(y, m, d);
        }
    }
    let parts: Vec<&str> = text.split(['-', '/', '.']).collect();
    match parts.as_slice() {
        [y, m] => {
            number(y, 4).is_some_and(|y| (1..=9999).contains(&y))
                && small_number(m).is_some_and(|m| (1..=12).contains(&m))
        }
        [a, b, c] => {
            if let Some(y) = number(a, 4) {
                matches!((small_number(b), small_number(c)), (Some(m), Some(d)) if valid_date(y, m, d))
            } else if let (Some(m), Some(d), Some(y)) = (
                small_number(a),
                small_number(b),
                number(c, 4).or_else(|| number(c, 2).map(|y| 2000 + y)),
            ) {
                valid_date(y, m, d) || valid_date(y, d, m)
            } else {
                false
            }
        }
        _ => false,
    }
}

fn is_month_name(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    MONTHS.iter().any(|m| w.starts_with(m) && w.len() <= 9)
}

fn is_weekday_name(word: &str) -> bool {
    let w = word.trim_end_matches(',').to_ascii_lowercase();
    WEEKDAYS.iter().any(|d| w.starts_with(d) && w.len() <= 9)
}

/// The approximation of `dateutil.parser.parse` described in the module docs.
fn parses_as_date(text: &str) -> bool {
    let text = text.trim();
    if text.is_empty() {
        return false;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut saw_date = false;
    let mut saw_time = false;
    let mut saw_anything = false;
    for word in &words {
        let word = word.trim_end_matches(',');
        let iso = word
            .starts_with(|c: char| c.is_ascii_digit())
            .then(|| word.split_once(['T', 't']))
            .flatten();
        let ok = if let Some((date, time)) = iso {
            // ISO 8601 `dateTtime`.
            saw_date = true;
            saw_time = true;
            valid_date_token(date) && valid_time(time)
        } else if is_weekday_name(word) {
            true
        } else if is_month_name(word) {
            saw_date = true;
            true
        } else if matches!(word.to_ascii_uppercase().as_str(), "GMT" | "UTC" | "Z") {
            // dateutil takes a zone name only after a time.
            saw_time
        } else if saw_time && word.starts_with(['+', '-']) {
            valid_time(&format!("00:00{word}"))
        } else if word.contains(':') {
            saw_time = true;
            valid_time(word)
        } else if small_number(word).is_some_and(|d| (1..=31).contains(&d))
            || (saw_date && number(word, 4).is_some_and(|y| (1..=9999).contains(&y)))
        {
            // A day of the month, or the year after a month name.
            true
        } else if !saw_date && valid_date_token(word) {
            saw_date = true;
            true
        } else {
            false
        };
        if !ok {
            return false;
        }
        saw_anything = true;
    }
    saw_anything
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The verdicts are CPython 3.11 + botocore 1.43.11's `ParamValidator._type_check_datetime`.
    #[test]
    fn common_forms_match_the_reference() {
        let cases = [
            ("2020-01-01T00:00:00Z", true),
            ("2020-13-01", false),
            ("2020-01-32", false),
            ("", false),
            ("foo", false),
            ("not a date", false),
            ("2020", true),
            ("Jan 2020", true),
            ("10:00", true),
            ("1577836800.5", true),
            (" 1577836800 ", true),
            ("1_000", true),
            ("2020-01-01 10:20:30", true),
            ("1970-01-01 00:00:00", true),
            ("1970-01-01T00:00:00", true),
            ("2020-01-01T10:20:30.123+02:00", true),
            ("Wed, 01 Jan 2020 00:00:00 GMT", true),
            ("20200101", true),
            ("2020/01/01", true),
            ("01/02/2020", true),
            ("nan", false),
            ("yesterday", false),
        ];
        for (text, expected) in cases {
            assert_eq!(
                is_valid_timestamp(&Value::String(text.into())),
                expected,
                "{text:?}"
            );
        }
        assert!(is_valid_timestamp(&Value::Number(Number::Int(
            1_577_836_800
        ))));
        assert!(is_valid_timestamp(&Value::Bool(true)));
        assert!(!is_valid_timestamp(&Value::Null));
    }

    /// `tests/data/validate/timestamps.json`: botocore's verdicts, recorded.
    #[test]
    fn recorded_verdicts_match() {
        let corpus = super::super::test_json::read_data("tests/data/validate/timestamps.json");
        let mut wrong = Vec::new();
        for pair in corpus.as_array().expect("a list") {
            let value = super::super::test_json::to_value(&pair[0]);
            let expected = pair[1].as_bool().expect("verdict");
            if is_valid_timestamp(&value) != expected {
                wrong.push(format!("{} (reference: {expected})", pair[0]));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
