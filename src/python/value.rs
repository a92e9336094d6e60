//! The data model shared by every layer: a JSON value with Python's semantics.
//!
//! The reference holds parameters and responses as Python objects decoded by `json.loads`: objects are
//! dicts that keep insertion order (a repeated key keeps its first position and takes the last value),
//! integers have arbitrary size, and every number with a fraction or exponent is a binary64 float that
//! prints with `repr`. `Value` mirrors exactly that, so the parameter parsers, the response shaper, the
//! JMESPath engine and the three output formatters agree on what a value is and how a number prints.

use std::fmt::Write as _;

/// A JSON object: insertion-ordered like a Python dict.
pub use super::map::Map;

/// The text of a string value or an object key. A response holds a dozen short strings per item
/// (`"name"`, `"regionName"`, `"available"`, ...); `CompactString` keeps up to 24 bytes inline, so most
/// of them cost no allocation and no free, where `String` cost one of each.
pub type Str = compact_str::CompactString;

/// A JSON value as Python's `json.loads` produces it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(Str),
    Array(Vec<Value>),
    Object(Map),
}

/// A Python number: `int` (of any size) or `float`.
#[derive(Debug, Clone)]
pub enum Number {
    /// An `int` that fits in 64 bits.
    Int(i64),
    /// An `int` that does not: its canonical decimal digits, with a leading `-` when negative.
    BigInt(String),
    /// A `float`.
    Float(f64),
}

impl PartialEq for Number {
    /// Python's `==` between numbers: `1 == 1.0` is true.
    fn eq(&self, other: &Number) -> bool {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => a == b,
            (Number::BigInt(a), Number::BigInt(b)) => a == b,
            (Number::Float(a), Number::Float(b)) => a == b,
            (Number::Int(a), Number::Float(b)) | (Number::Float(b), Number::Int(a)) => {
                (*a as f64) == *b
            }
            (Number::BigInt(a), Number::Float(b)) | (Number::Float(b), Number::BigInt(a)) => {
                a.parse::<f64>().map(|a| a == *b).unwrap_or(false)
            }
            (Number::Int(_), Number::BigInt(_)) | (Number::BigInt(_), Number::Int(_)) => false,
        }
    }
}

impl Number {
    /// Builds the number Python's JSON decoder makes of a JSON number literal (already validated
    /// against the JSON grammar): an `int` when it has no fraction and no exponent, else a `float`.
    pub fn from_json_literal(literal: &str) -> Number {
        if literal.bytes().any(|b| matches!(b, b'.' | b'e' | b'E')) {
            // Overflow gives ±inf, as Python's float() does; the grammar guarantees a parsable literal.
            return Number::Float(literal.parse::<f64>().unwrap_or(f64::NAN));
        }
        match literal.parse::<i64>() {
            Ok(i) => Number::Int(i),
            Err(_) => {
                let (sign, digits) = match literal.strip_prefix('-') {
                    Some(rest) => ("-", rest),
                    None => ("", literal),
                };
                let digits = digits.trim_start_matches('0');
                if digits.is_empty() {
                    Number::Int(0)
                } else {
                    Number::BigInt(format!("{sign}{digits}"))
                }
            }
        }
    }

    /// The value as an f64 (what Python's `float(x)` gives).
    pub fn as_f64(&self) -> f64 {
        match self {
            Number::Int(i) => *i as f64,
            Number::BigInt(s) => s.parse().unwrap_or(f64::NAN),
            Number::Float(f) => *f,
        }
    }

    pub fn is_float(&self) -> bool {
        matches!(self, Number::Float(_))
    }

    /// Python's `repr()` / `str()` of the number (`1569866438.48`, `1e-07`, `inf`).
    pub fn python_repr(&self) -> String {
        match self {
            Number::Int(i) => i.to_string(),
            Number::BigInt(s) => s.clone(),
            Number::Float(f) => float_repr(*f),
        }
    }

    /// [`Number::json_repr`] appended to `out`.
    pub fn push_json_repr(&self, out: &mut String) {
        match self {
            Number::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Number::Float(f) if f.is_finite() => push_float_repr(out, *f),
            other => out.push_str(&other.json_repr()),
        }
    }

    /// How Python's `json.dumps` writes the number (`Infinity`, `NaN` instead of `inf`, `nan`).
    pub fn json_repr(&self) -> String {
        match self {
            Number::Float(f) if f.is_nan() => "NaN".into(),
            Number::Float(f) if f.is_infinite() => {
                if *f > 0.0 {
                    "Infinity".into()
                } else {
                    "-Infinity".into()
                }
            }
            other => other.python_repr(),
        }
    }
}

/// Python's `repr(float)`: the shortest digits that round-trip, in fixed notation when the decimal
/// exponent is in -4..16, else in `d.ddde+XX` notation; fixed notation always shows a fraction (`1.0`).
pub fn float_repr(f: f64) -> String {
    let mut out = String::new();
    push_float_repr(&mut out, f);
    out
}

/// [`float_repr`] appended to `out`.
pub fn push_float_repr(out: &mut String, f: f64) {
    // Fixed notation is exactly the range 1e-4 <= |f| < 1e16 (a double outside it cannot have shortest
    // digits that put it inside, since those digits would read back as the bound itself), and there
    // Rust's `Display` prints the same shortest digits without an exponent.
    if (1e-4..1e16).contains(&f.abs()) {
        let start = out.len();
        let _ = write!(out, "{f}");
        if !out[start..].contains('.') {
            out.push_str(".0");
        }
        return;
    }
    out.push_str(&float_repr_slow(f));
}

fn float_repr_slow(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    // Rust's `{:e}` prints the shortest round-tripping digits: `-1.2345e-7`.
    let sci = format!("{f:e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (negative, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    // Python's decpt: the value is 0.DIGITS * 10^decpt.
    let decpt = exponent + 1;
    let mut out = String::with_capacity(digits.len() + 8);
    if negative {
        out.push('-');
    }
    if !(-4 < decpt && decpt <= 16) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let exp = decpt - 1;
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    } else if decpt <= 0 {
        out.push_str("0.");
        for _ in 0..(-decpt) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let point = decpt as usize;
        if digits.len() <= point {
            out.push_str(&digits);
            for _ in digits.len()..point {
                out.push('0');
            }
            out.push_str(".0");
        } else {
            out.push_str(&digits[..point]);
            out.push('.');
            out.push_str(&digits[point..]);
        }
    }
    out
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Python truthiness as JMESPath uses it: empty strings, lists and objects, `false` and `null`
    /// are false; every number (even `0`) is true in JMESPath.
    pub fn is_jmespath_truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Object(m) => !m.is_empty(),
            Value::Number(_) => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every expected string here is what CPython 3.11 prints for `repr(float(literal))`.
    #[test]
    fn floats_print_like_python_repr() {
        let cases = [
            ("1569866438.48", "1569866438.48"),
            ("1.0", "1.0"),
            ("1e-7", "1e-07"),
            ("1.2345678901234567e19", "1.2345678901234567e+19"),
            ("1e16", "1e+16"),
            ("1e15", "1000000000000000.0"),
            ("0.0001", "0.0001"),
            ("0.00001", "1e-05"),
            ("-0.0", "-0.0"),
            ("1.56986643848E9", "1569866438.48"),
            ("123456789012345678.0", "1.2345678901234568e+17"),
            ("1e400", "inf"),
            ("0.1", "0.1"),
            ("-2.5e-10", "-2.5e-10"),
            ("9999999999999998.0", "9999999999999998.0"),
            ("1e16", "1e+16"),
            ("0.0001", "0.0001"),
            ("0.00009999999999999999", "9.999999999999999e-05"),
            ("-1700000001.125", "-1700000001.125"),
            ("123456789.0", "123456789.0"),
            ("0.1e-3", "0.0001"),
        ];
        for (literal, expected) in cases {
            assert_eq!(
                Number::from_json_literal(literal).python_repr(),
                expected,
                "{literal}"
            );
        }
    }

    #[test]
    fn integers_keep_every_digit() {
        assert_eq!(
            Number::from_json_literal("12345678901234567890").python_repr(),
            "12345678901234567890"
        );
        assert_eq!(Number::from_json_literal("-0").python_repr(), "0");
        assert_eq!(
            Number::from_json_literal("1569866438").python_repr(),
            "1569866438"
        );
        assert_eq!(Number::from_json_literal("1e400").json_repr(), "Infinity");
    }
}
