//! Python's `int(str)` and `float(str)`, which the reference applies to parameter values, timestamps
//! and JMESPath's `to_number`.
//!
//! `awscli` converts command-line text with the built-ins (`int(value)` for integer parameters,
//! `float(value)` in shorthand, argparse's `type=float` / `type=int`), botocore reads epoch strings
//! with `float()`, and jmespath's `to_number` tries `int()` then `float()`, so their accepted syntax
//! (surrounding whitespace, a sign, `_` between digits, `inf` / `nan`) and their error messages, which
//! quote the input with `repr`, are reproduced here. Like CPython, non-ASCII decimal digits count as
//! digits and non-ASCII whitespace as spaces; the Unicode tables come from the reference interpreter
//! ([`super::unicode`]).

use super::repr::repr_str;
use super::unicode::{decimal_value, is_ascii_space, is_space};
use crate::python::value::Number;

/// CPython 3.11's default `sys.get_int_max_str_digits()`.
pub const MAX_INT_DIGITS: usize = 4300;

/// `_PyUnicode_TransformDecimalAndSpaceToASCII` then the surrounding-whitespace strip both `int()`
/// and `float()` do: non-ASCII spaces become ` `, non-ASCII digits their ASCII digit, any other
/// non-ASCII character `?` (which no grammar accepts); then ASCII whitespace is trimmed.
fn to_ascii_literal(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| {
            if c.is_ascii() {
                c
            } else if is_space(c) {
                ' '
            } else if let Some(d) = decimal_value(c) {
                char::from(b'0' + d)
            } else {
                '?'
            }
        })
        .collect();
    mapped.trim_matches(is_ascii_space).to_string()
}

/// The `ValueError` message of converting an int literal of `digits` digits (more than
/// [`MAX_INT_DIGITS`]), as `int()`, `json.loads` and jmespath's lexer raise it.
pub fn too_many_digits(digits: usize) -> String {
    format!(
        "Exceeds the limit ({MAX_INT_DIGITS} digits) for integer string conversion: value has {digits} digits; \
         use sys.set_int_max_str_digits() to increase the limit"
    )
}

/// `int(s)` for a `str`: `Err` holds the `ValueError` message.
pub fn parse_int(s: &str) -> Result<Number, String> {
    let invalid = || format!("invalid literal for int() with base 10: {}", repr_str(s));
    let literal = to_ascii_literal(s);
    let trimmed = literal.as_str();
    let (negative, body) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    if body.is_empty() || body.starts_with('_') || body.ends_with('_') || body.contains("__") {
        return Err(invalid());
    }
    if !body.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        return Err(invalid());
    }
    let digits: String = body.chars().filter(|c| *c != '_').collect();
    if digits.len() > MAX_INT_DIGITS {
        return Err(too_many_digits(digits.len()));
    }
    let literal = if negative {
        format!("-{digits}")
    } else {
        digits
    };
    Ok(Number::from_json_literal(&literal))
}

/// `float(s)` for a `str`: `Err` holds the `ValueError` message.
pub fn parse_float(s: &str) -> Result<f64, String> {
    let invalid = || format!("could not convert string to float: {}", repr_str(s));
    let literal = to_ascii_literal(s);
    let trimmed = literal.as_str();
    let (sign, body) = match trimmed.as_bytes().first() {
        Some(b'-') => (-1.0, &trimmed[1..]),
        Some(b'+') => (1.0, &trimmed[1..]),
        _ => (1.0, trimmed),
    };
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Ok(sign * f64::INFINITY);
    }
    if lower == "nan" {
        return Ok(if sign < 0.0 { -f64::NAN } else { f64::NAN });
    }
    if !valid_float_body(body) {
        return Err(invalid());
    }
    let cleaned: String = body.chars().filter(|c| *c != '_').collect();
    cleaned
        .parse::<f64>()
        .map(|f| sign * f)
        .map_err(|_| invalid())
}

/// `digits [. digits] | . digits`, then an optional exponent; `_` only between two digits.
fn valid_float_body(body: &str) -> bool {
    let b = body.as_bytes();
    let mut i = 0;
    let digit_run = |i: &mut usize| -> Option<usize> {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
            if *i + 1 < b.len() && b[*i] == b'_' && b[*i + 1].is_ascii_digit() {
                *i += 1;
            }
        }
        Some(*i - start).filter(|n| *n > 0)
    };
    let int_part = digit_run(&mut i).is_some();
    let mut frac_part = false;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        frac_part = digit_run(&mut i).is_some();
    }
    if !int_part && !frac_part {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digit_run(&mut i).is_none() {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values are CPython 3.11's `int()`/`float()` of the same text.
    #[test]
    fn python_string_to_number() {
        assert_eq!(parse_int(" 1_000 "), Ok(Number::Int(1000)));
        assert!(parse_int("1.0").is_err());
        assert_eq!(parse_int("١٢"), Ok(Number::Int(12)));
        assert_eq!(
            parse_int("\u{1c}5").unwrap_err(),
            "invalid literal for int() with base 10: '\\x1c5'"
        );
        assert_eq!(parse_float("1.0"), Ok(1.0));
        assert_eq!(parse_float("-.5e1"), Ok(-5.0));
        assert_eq!(parse_float("5."), Ok(5.0));
        assert!(parse_float(".").is_err());
        assert_eq!(
            parse_float("1__0").unwrap_err(),
            "could not convert string to float: '1__0'"
        );
        assert_eq!(parse_float("Infinity"), Ok(f64::INFINITY));
    }
}
