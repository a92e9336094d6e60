//! The command line the shell hands `aws_completer`, cut into words as the reference does.
//!
//! bash exports `COMP_LINE` and `COMP_POINT`, tcsh only `COMMAND_LINE`. The reference takes the first
//! non-empty of the two lines, the point through Python's `int()` (absent or empty: the line's length),
//! cuts the line at the point with Python's slice rules (in characters, negative points counted from the
//! end), and splits it on Unicode whitespace (`str.split()`). Quotes mean nothing to it.

use crate::python::{number, unicode};

/// Why no words could be made; the reference dies with a traceback whose last line is [`LineError`]'s
/// `Display`, exit 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineError {
    /// `COMP_POINT` is not an integer for Python's `int()`.
    BadPoint(String),
    /// Nothing but whitespace before the point (`args[-1]` of an empty list).
    NoWords,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineError::BadPoint(message) => write!(f, "ValueError: {message}"),
            LineError::NoWords => f.write_str("IndexError: list index out of range"),
        }
    }
}

/// The line up to the cursor, as the script hands it to the completer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    before_cursor: Vec<char>,
}

impl Line {
    /// Takes the line and the point from the environment's values. A bad `COMP_POINT` fails here, before
    /// anything else (the script converts it first).
    pub fn from_env(
        comp_line: Option<&str>,
        command_line: Option<&str>,
        comp_point: Option<&str>,
    ) -> Result<Line, LineError> {
        let line = comp_line
            .filter(|l| !l.is_empty())
            .or(command_line.filter(|l| !l.is_empty()))
            .unwrap_or("");
        let mut chars: Vec<char> = line.chars().collect();
        let point = match comp_point.filter(|p| !p.is_empty()) {
            None => chars.len() as f64,
            Some(text) => number::parse_int(text)
                .map_err(LineError::BadPoint)?
                .as_f64(),
        };
        chars.truncate(slice_end(point, chars.len()));
        Ok(Line {
            before_cursor: chars,
        })
    }

    /// The words before the cursor (never empty).
    pub fn words(&self) -> Result<Vec<String>, LineError> {
        let words: Vec<String> = self
            .before_cursor
            .split(|c| unicode::is_space(*c))
            .filter(|w| !w.is_empty())
            .map(|w| w.iter().collect())
            .collect();
        if words.is_empty() {
            return Err(LineError::NoWords);
        }
        Ok(words)
    }
}

/// The words of the line before the cursor, in one step.
pub fn words(
    comp_line: Option<&str>,
    command_line: Option<&str>,
    comp_point: Option<&str>,
) -> Result<Vec<String>, LineError> {
    Line::from_env(comp_line, command_line, comp_point)?.words()
}

/// Where `s[0:point]` ends for a string of `len` characters (Python clamps, and counts a negative point
/// from the end).
fn slice_end(point: f64, len: usize) -> usize {
    let len_f = len as f64;
    let end = if point < 0.0 { point + len_f } else { point };
    end.clamp(0.0, len_f) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_the_point_in_characters() {
        let w = |line: &str, point: &str| words(Some(line), None, Some(point));
        assert_eq!(
            w("aws lightsail get", "15"),
            Ok(vec!["aws".into(), "lightsail".into(), "g".into()])
        );
        assert_eq!(
            w("aws \u{e9}\u{e9} x", "6"),
            Ok(vec!["aws".into(), "\u{e9}\u{e9}".into()])
        );
        assert_eq!(
            w("aws lightsail", "-2"),
            Ok(vec!["aws".into(), "lightsa".into()])
        );
        assert_eq!(
            w("aws lightsail", "999"),
            Ok(vec!["aws".into(), "lightsail".into()])
        );
        assert_eq!(w("aws", "0"), Err(LineError::NoWords));
        assert_eq!(w("aws", "-100"), Err(LineError::NoWords));
        assert!(matches!(w("aws", "abc"), Err(LineError::BadPoint(_))));
        assert_eq!(
            w("aws lightsail", " +1_3 "),
            Ok(vec!["aws".into(), "lightsail".into()])
        );
    }

    #[test]
    fn takes_the_first_non_empty_line_and_splits_on_unicode_space() {
        assert_eq!(
            words(Some(""), Some("aws\u{a0}lightsail\tx"), None),
            Ok(vec!["aws".into(), "lightsail".into(), "x".into()])
        );
        assert_eq!(words(None, None, None), Err(LineError::NoWords));
        assert_eq!(
            words(Some("aws\u{200b}l"), None, None),
            Ok(vec!["aws\u{200b}l".into()])
        );
    }
}
