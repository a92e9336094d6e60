//! Python's spelling of small things that leak into the reference's messages.
//!
//! Error texts quote values with `%r` (`invalid int value: 'abc'`, `Invalid choice: 'x'`), and argparse
//! converts some options with Python's `int()` and `float()`. This module reproduces `repr(str)` (quote
//! choice, escapes, `str.isprintable`) and the string grammars those two constructors accept, so every
//! layer quotes and converts exactly like the reference.

use crate::value::Number;
use std::fmt::Write as _;

/// Python's `repr()` of a `str`.
pub fn py_str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c => {
                let code = c as u32;
                let _ = if code < 0x100 {
                    write!(out, "\\x{code:02x}")
                } else if code < 0x10000 {
                    write!(out, "\\u{code:04x}")
                } else {
                    write!(out, "\\U{code:08x}")
                };
            }
        }
    }
    out.push(quote);
    out
}

/// Python's `str.isprintable()` for one character: not a control, format, surrogate, private-use or
/// separator character (the space itself is printable). Unassigned code points are not tracked.
pub fn is_printable(c: char) -> bool {
    let code = c as u32;
    if c == ' ' {
        return true;
    }
    if c.is_control() {
        return false;
    }
    !matches!(code,
        0x00A0 | 0x00AD | 0x1680 | 0x2000..=0x200F | 0x2028..=0x202F | 0x205F..=0x2064 | 0x2066..=0x206F
        | 0x3000 | 0xFEFF | 0xFFF9..=0xFFFB | 0x0600..=0x0605 | 0x061C | 0x06DD | 0x070F | 0x180E
        | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0001 | 0xE0020..=0xE007F | 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD)
}

/// Strips the whitespace Python's `int()`/`float()` strip (`str.strip()`).
fn py_strip(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

/// Digits with single underscores between them, as Python's numeric literals allow.
fn valid_digit_run(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('_')
        && !s.ends_with('_')
        && !s.contains("__")
        && s.chars().all(|c| c.is_ascii_digit() || c == '_')
}

/// Python's `int(s)` (base 10): None where Python raises `ValueError`.
pub fn parse_python_int(s: &str) -> Option<Number> {
    let t = py_strip(s);
    let (sign, digits) = match t.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", t.strip_prefix('+').unwrap_or(t)),
    };
    if !valid_digit_run(digits) {
        return None;
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    Some(Number::from_json_literal(&format!("{sign}{clean}")))
}

/// Python's `float(s)`: None where Python raises `ValueError`.
pub fn parse_python_float(s: &str) -> Option<f64> {
    let t = py_strip(s);
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let lower = body.to_ascii_lowercase();
    let magnitude = match lower.as_str() {
        "inf" | "infinity" => f64::INFINITY,
        "nan" => f64::NAN,
        _ => {
            let (mantissa, exponent) = match lower.split_once('e') {
                Some((m, e)) => (m, Some(e)),
                None => (lower.as_str(), None),
            };
            let mantissa_ok = match mantissa.split_once('.') {
                Some((int, frac)) => {
                    (int.is_empty() || valid_digit_run(int))
                        && (frac.is_empty() || valid_digit_run(frac))
                        && !(int.is_empty() && frac.is_empty())
                }
                None => valid_digit_run(mantissa),
            };
            let exponent_ok = exponent.is_none_or(|e| {
                let e = e.strip_prefix(['+', '-']).unwrap_or(e);
                valid_digit_run(e)
            });
            if !mantissa_ok || !exponent_ok {
                return None;
            }
            let clean: String = lower.chars().filter(|c| *c != '_').collect();
            clean.parse::<f64>().ok()?
        }
    };
    Some(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected strings are CPython 3.11's `repr()` of the same values.
    #[test]
    fn repr_picks_quotes_and_escapes_like_python() {
        assert_eq!(py_str_repr("abc"), "'abc'");
        assert_eq!(py_str_repr("it's"), "\"it's\"");
        assert_eq!(py_str_repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(py_str_repr("tab\there\n"), "'tab\\there\\n'");
        assert_eq!(py_str_repr("\u{7f}\u{e9}\u{200b}"), "'\\x7f\u{e9}\\u200b'");
    }

    #[test]
    fn int_and_float_accept_what_python_accepts() {
        assert_eq!(
            parse_python_int(" 1_000 ").map(|n| n.python_repr()),
            Some("1000".into())
        );
        assert!(parse_python_int("1__0").is_none());
        assert!(parse_python_int("abc").is_none());
        assert!(parse_python_int("1.5").is_none());
        assert_eq!(parse_python_float("1e3"), Some(1000.0));
        assert_eq!(parse_python_float(".5"), Some(0.5));
        assert!(parse_python_float("-Infinity").is_some_and(|f| f == f64::NEG_INFINITY));
        assert!(parse_python_float("1e").is_none());
        assert!(parse_python_float(".").is_none());
    }
}
