//! Python number semantics over [`Number`]: exact int/float comparison, `sum`'s left-to-right addition,
//! true division, `abs` and `math.ceil`/`math.floor` (`int()`/`float()` of a string are [`crate::python::number`]).
//!
//! Python compares an int with a float exactly (`9007199254740993 > 9007199254740992.0`), adds an int to
//! a float by rounding the int first, and lets ints grow without bound; these helpers reproduce that,
//! falling back to [`BigInt`] only when 64 bits do not suffice.

use super::bigint::BigInt;
use crate::python::value::Number;
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
}
