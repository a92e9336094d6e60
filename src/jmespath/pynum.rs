//! Python number semantics over [`Number`]: exact int/float comparison, `sum`'s left-to-right addition,
//! true division, `abs`, `math.ceil`/`math.floor`, and the string parsing of `int()` and `float()`.
//!
//! Python compares an int with a float exactly (`9007199254740993 > 9007199254740992.0`), adds an int to
//! a float by rounding the int first, and lets ints grow without bound; these helpers reproduce that,
//! falling back to [`BigInt`] only when 64 bits do not suffice.

use super::bigint::BigInt;
use crate::python::unicode;
use crate::value::Number;
use std::cmp::Ordering;

/// The integer value of an int `Number` (`None` for a float).
pub(crate) fn to_bigint(n: &Number) -> Option<BigInt> {
    match n {
        Number::Int(i) => Some(BigInt::from_i64(*i)),
        Number::BigInt(s) => BigInt::from_decimal(s),
        Number::Float(_) => None,
    }
}

pub(crate) fn from_bigint(b: BigInt) -> Number {
    match b.to_i64() {
        Some(i) => Number::Int(i),
        None => Number::BigInt(b.to_decimal()),
    }
}

/// An int compared with a finite or infinite float, exactly; `None` for NaN.
fn compare_int_float(int: &BigInt, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    let whole = f.trunc();
    let by_whole = int.cmp(&BigInt::from_integral_f64(whole));
    if by_whole != Ordering::Equal {
        return Some(by_whole);
    }
    let fraction = f - whole;
    Some(if fraction > 0.0 {
        Ordering::Less
    } else if fraction < 0.0 {
        Ordering::Greater
    } else {
        Ordering::Equal
    })
}

/// Python's ordering of two numbers; `None` when a NaN makes every comparison false.
pub(crate) fn compare(a: &Number, b: &Number) -> Option<Ordering> {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => Some(x.cmp(y)),
        (Number::Float(x), Number::Float(y)) => x.partial_cmp(y),
        (Number::Int(x), Number::Float(y)) if x.unsigned_abs() < (1 << 53) => {
            (*x as f64).partial_cmp(y)
        }
        (Number::Float(x), Number::Int(y)) if y.unsigned_abs() < (1 << 53) => {
            x.partial_cmp(&(*y as f64))
        }
        (Number::Float(x), _) => to_bigint(b)
            .and_then(|y| compare_int_float(&y, *x))
            .map(Ordering::reverse),
        (_, Number::Float(y)) => to_bigint(a).and_then(|x| compare_int_float(&x, *y)),
        _ => match (to_bigint(a), to_bigint(b)) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            _ => None,
        },
    }
}

/// Python's `==` between numbers.
pub(crate) fn equals(a: &Number, b: &Number) -> bool {
    compare(a, b) == Some(Ordering::Equal)
}

/// Python's `float(int)`, with its OverflowError.
fn int_to_float(n: &Number) -> Result<f64, String> {
    match n {
        Number::Int(i) => Ok(*i as f64),
        Number::Float(f) => Ok(*f),
        Number::BigInt(_) => to_bigint(n)
            .and_then(|b| b.to_f64())
            .ok_or_else(|| "int too large to convert to float".to_string()),
    }
}

/// Python's `a + b` (the step `sum()` repeats); the error is an OverflowError message.
pub(crate) fn add(a: &Number, b: &Number) -> Result<Number, String> {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => Ok(match x.checked_add(*y) {
            Some(s) => Number::Int(s),
            None => from_bigint(BigInt::from_i64(*x).add(&BigInt::from_i64(*y))),
        }),
        (Number::Float(x), Number::Float(y)) => Ok(Number::Float(x + y)),
        (Number::Float(_), _) | (_, Number::Float(_)) => {
            Ok(Number::Float(int_to_float(a)? + int_to_float(b)?))
        }
        _ => match (to_bigint(a), to_bigint(b)) {
            (Some(x), Some(y)) => Ok(from_bigint(x.add(&y))),
            _ => Err("int too large to convert to float".into()),
        },
    }
}

/// Python's `n / count` for a positive count (how `avg` divides); the error is an OverflowError message.
pub(crate) fn true_divide(n: &Number, count: usize) -> Result<f64, String> {
    match n {
        Number::Float(f) => Ok(f / count as f64),
        _ => {
            let divisor = u32::try_from(count)
                .map_err(|_| "integer division result too large for a float")?;
            to_bigint(n)
                .and_then(|b| b.true_divide(divisor))
                .ok_or_else(|| "integer division result too large for a float".to_string())
        }
    }
}

/// Python's `abs()`.
pub(crate) fn abs(n: &Number) -> Number {
    match n {
        Number::Int(i) => match i.checked_abs() {
            Some(a) => Number::Int(a),
            None => from_bigint(BigInt::from_i64(*i).abs()),
        },
        Number::BigInt(s) => Number::BigInt(s.trim_start_matches('-').to_string()),
        Number::Float(f) => Number::Float(f.abs()),
    }
}

/// Python's `math.ceil` (`up == true`) or `math.floor`: an int; the error is Python's exception.
pub(crate) fn round_to_int(n: &Number, up: bool) -> Result<Number, (bool, &'static str)> {
    match n {
        Number::Float(f) if f.is_nan() => Err((false, "cannot convert float NaN to integer")),
        Number::Float(f) if f.is_infinite() => {
            Err((true, "cannot convert float infinity to integer"))
        }
        Number::Float(f) => {
            let rounded = if up { f.ceil() } else { f.floor() };
            Ok(from_bigint(BigInt::from_integral_f64(rounded)))
        }
        other => Ok(other.clone()),
    }
}

/// Python's int digit limit for string conversion (`sys.get_int_max_str_digits()`).
pub(crate) const INT_MAX_STR_DIGITS: usize = 4300;

/// Replaces Unicode whitespace with ' ' and Unicode decimal digits with ASCII ones, as CPython does
/// before `int()`/`float()` parse a string; `None` when another non-ASCII character remains.
fn transform_decimal_and_space(text: &str) -> Option<String> {
    text.chars()
        .map(|c| {
            if unicode::is_space(c) {
                Some(' ')
            } else if let Some(d) = unicode::decimal_value(c) {
                Some(char::from(b'0' + d))
            } else if c.is_ascii() {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}

/// Checks Python's underscore rule in a run of digits: single underscores only between digits.
fn strip_digit_underscores(digits: &str) -> Option<String> {
    let bytes = digits.as_bytes();
    let mut out = String::with_capacity(digits.len());
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'_' {
            let ok = i > 0
                && bytes[i - 1].is_ascii_digit()
                && bytes.get(i + 1).is_some_and(|n| n.is_ascii_digit());
            if !ok {
                return None;
            }
        } else if b.is_ascii_digit() {
            out.push(char::from(*b));
        } else {
            return None;
        }
    }
    Some(out)
}

/// Python's `int(text)` (base 10); `None` where it raises ValueError.
pub(crate) fn parse_python_int(text: &str) -> Option<Number> {
    let transformed = transform_decimal_and_space(text)?;
    let trimmed = transformed.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\x0b');
    let (negative, body) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    if body.is_empty() || !body.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let digits = strip_digit_underscores(body)?;
    if digits.len() > INT_MAX_STR_DIGITS {
        return None;
    }
    let signed = if negative {
        format!("-{digits}")
    } else {
        digits
    };
    BigInt::from_decimal(&signed).map(from_bigint)
}

/// Python's `float(text)`; `None` where it raises ValueError.
pub(crate) fn parse_python_float(text: &str) -> Option<f64> {
    let transformed = transform_decimal_and_space(text)?;
    let trimmed = transformed.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\x0b');
    let (negative, body) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    let lower = body.to_ascii_lowercase();
    let magnitude = if lower == "inf" || lower == "infinity" {
        f64::INFINITY
    } else if lower == "nan" {
        f64::NAN
    } else {
        let (mantissa, exponent) = match lower.find('e') {
            Some(at) => (&lower[..at], Some(&lower[at + 1..])),
            None => (lower.as_str(), None),
        };
        let (whole, fraction) = match mantissa.find('.') {
            Some(at) => (&mantissa[..at], Some(&mantissa[at + 1..])),
            None => (mantissa, None),
        };
        let whole = if whole.is_empty() {
            String::new()
        } else {
            strip_digit_underscores(whole)?
        };
        let fraction = match fraction {
            Some(f) if !f.is_empty() => strip_digit_underscores(f)?,
            _ => String::new(),
        };
        if whole.is_empty() && fraction.is_empty() {
            return None;
        }
        let mut literal = format!(
            "{}.{}",
            if whole.is_empty() { "0" } else { &whole },
            fraction
        );
        if let Some(exponent) = exponent {
            let (sign, digits) = match exponent.as_bytes().first() {
                Some(b'-') => ("-", &exponent[1..]),
                Some(b'+') => ("", &exponent[1..]),
                _ => ("", exponent),
            };
            if digits.is_empty() || !digits.as_bytes()[0].is_ascii_digit() {
                return None;
            }
            literal.push('e');
            literal.push_str(sign);
            literal.push_str(&strip_digit_underscores(digits)?);
        }
        literal.parse::<f64>().ok()?
    };
    Some(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_and_float_compare_exactly() {
        let big = Number::Int(9007199254740993);
        assert_eq!(
            compare(&big, &Number::Float(9007199254740992.0)),
            Some(Ordering::Greater)
        );
        assert!(equals(&Number::Int(1), &Number::Float(1.0)));
        assert_eq!(
            compare(
                &Number::BigInt("100000000000000000000".into()),
                &Number::Float(1e20)
            ),
            Some(Ordering::Equal)
        );
        assert_eq!(compare(&Number::Float(f64::NAN), &Number::Int(1)), None);
    }

    #[test]
    fn python_string_to_number() {
        assert_eq!(parse_python_int(" 1_000 "), Some(Number::Int(1000)));
        assert_eq!(parse_python_int("1.0"), None);
        assert_eq!(parse_python_int("١٢"), Some(Number::Int(12)));
        assert_eq!(parse_python_float("1.0"), Some(1.0));
        assert_eq!(parse_python_float("-.5e1"), Some(-5.0));
        assert_eq!(parse_python_float("5."), Some(5.0));
        assert!(parse_python_float(".").is_none());
        assert!(parse_python_float("1__0").is_none());
        assert_eq!(parse_python_float("Infinity"), Some(f64::INFINITY));
    }
}
