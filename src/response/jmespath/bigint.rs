//! Arbitrary-size integers with exactly the operations Python `int` semantics need here.
//!
//! JMESPath runs on Python ints, which never overflow: `sum` of large ints, `abs` of the smallest i64,
//! `ceil(1e300)` and exact int-versus-float comparisons all need more than 64 bits. Pulling in a bignum
//! crate for these few operations would cost start-up time, so this is a small sign-magnitude integer
//! with 32-bit limbs: decimal I/O, addition, comparison, correctly rounded conversion to `f64`, exact
//! conversion from an integral `f64`, and Python's correctly rounded true division by a small divisor.

use std::cmp::Ordering;

/// A signed integer of any size. Zero has an empty magnitude and is never negative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BigInt {
    negative: bool,
    /// Little-endian base-2^32 limbs without trailing zero limbs.
    magnitude: Vec<u32>,
}

impl BigInt {
    pub(crate) fn from_i64(value: i64) -> BigInt {
        let m = value.unsigned_abs();
        BigInt::from_parts(value < 0, vec![m as u32, (m >> 32) as u32])
    }

    fn from_parts(negative: bool, mut magnitude: Vec<u32>) -> BigInt {
        while magnitude.last() == Some(&0) {
            magnitude.pop();
        }
        let negative = negative && !magnitude.is_empty();
        BigInt {
            negative,
            magnitude,
        }
    }

    /// Parses `-?[0-9]+`; anything else gives `None`.
    pub(crate) fn from_decimal(text: &str) -> Option<BigInt> {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut magnitude: Vec<u32> = Vec::new();
        for chunk in digits.as_bytes().chunks(9) {
            let mut chunk_value: u64 = 0;
            for b in chunk {
                chunk_value = chunk_value * 10 + u64::from(b - b'0');
            }
            let multiplier = 10u64.pow(chunk.len() as u32);
            let mut carry = chunk_value;
            for limb in magnitude.iter_mut() {
                let product = u64::from(*limb) * multiplier + carry;
                *limb = product as u32;
                carry = product >> 32;
            }
            while carry > 0 {
                magnitude.push(carry as u32);
                carry >>= 32;
            }
        }
        Some(BigInt::from_parts(negative, magnitude))
    }

    /// The canonical decimal digits, as Python's `str(int)` prints them.
    pub(crate) fn to_decimal(&self) -> String {
        if self.magnitude.is_empty() {
            return "0".into();
        }
        let mut limbs = self.magnitude.clone();
        let mut chunks: Vec<u32> = Vec::new();
        while !limbs.is_empty() {
            let mut remainder: u64 = 0;
            for limb in limbs.iter_mut().rev() {
                let current = (remainder << 32) | u64::from(*limb);
                *limb = (current / 1_000_000_000) as u32;
                remainder = current % 1_000_000_000;
            }
            chunks.push(remainder as u32);
            while limbs.last() == Some(&0) {
                limbs.pop();
            }
        }
        let mut out = String::new();
        if self.negative {
            out.push('-');
        }
        let mut iter = chunks.iter().rev();
        if let Some(first) = iter.next() {
            out.push_str(&first.to_string());
        }
        for chunk in iter {
            out.push_str(&format!("{chunk:09}"));
        }
        out
    }

    /// The value as an `i64` when it fits.
    pub(crate) fn to_i64(&self) -> Option<i64> {
        if self.magnitude.len() > 2 {
            return None;
        }
        let low = u64::from(self.magnitude.first().copied().unwrap_or(0));
        let high = u64::from(self.magnitude.get(1).copied().unwrap_or(0));
        let m = (high << 32) | low;
        if self.negative {
            if m <= 1u64 << 63 {
                Some((m as i64).wrapping_neg())
            } else {
                None
            }
        } else {
            i64::try_from(m).ok()
        }
    }

    pub(crate) fn abs(&self) -> BigInt {
        BigInt {
            negative: false,
            magnitude: self.magnitude.clone(),
        }
    }

    fn cmp_magnitude(a: &[u32], b: &[u32]) -> Ordering {
        a.len()
            .cmp(&b.len())
            .then_with(|| a.iter().rev().cmp(b.iter().rev()))
    }

    fn add_magnitudes(a: &[u32], b: &[u32]) -> Vec<u32> {
        let mut out = Vec::with_capacity(a.len().max(b.len()) + 1);
        let mut carry = 0u64;
        for i in 0..a.len().max(b.len()) {
            let sum = u64::from(a.get(i).copied().unwrap_or(0))
                + u64::from(b.get(i).copied().unwrap_or(0))
                + carry;
            out.push(sum as u32);
            carry = sum >> 32;
        }
        if carry > 0 {
            out.push(carry as u32);
        }
        out
    }

    /// `a - b` for magnitudes with `a >= b`.
    fn sub_magnitudes(a: &[u32], b: &[u32]) -> Vec<u32> {
        let mut out = Vec::with_capacity(a.len());
        let mut borrow = 0i64;
        for (i, limb) in a.iter().enumerate() {
            let mut diff = i64::from(*limb) - i64::from(b.get(i).copied().unwrap_or(0)) - borrow;
            borrow = 0;
            if diff < 0 {
                diff += 1 << 32;
                borrow = 1;
            }
            out.push(diff as u32);
        }
        out
    }

    pub(crate) fn add(&self, other: &BigInt) -> BigInt {
        if self.negative == other.negative {
            return BigInt::from_parts(
                self.negative,
                BigInt::add_magnitudes(&self.magnitude, &other.magnitude),
            );
        }
        match BigInt::cmp_magnitude(&self.magnitude, &other.magnitude) {
            Ordering::Equal => BigInt::from_parts(false, Vec::new()),
            Ordering::Greater => BigInt::from_parts(
                self.negative,
                BigInt::sub_magnitudes(&self.magnitude, &other.magnitude),
            ),
            Ordering::Less => BigInt::from_parts(
                other.negative,
                BigInt::sub_magnitudes(&other.magnitude, &self.magnitude),
            ),
        }
    }

    fn bit_length(magnitude: &[u32]) -> u64 {
        match magnitude.last() {
            None => 0,
            Some(top) => (magnitude.len() as u64 - 1) * 32 + u64::from(32 - top.leading_zeros()),
        }
    }

    fn bit(magnitude: &[u32], index: u64) -> bool {
        let limb = (index / 32) as usize;
        magnitude
            .get(limb)
            .is_some_and(|l| (l >> (index % 32)) & 1 == 1)
    }

    /// The magnitude rounded to the nearest f64 (ties to even, as Python does), with `sticky` saying
    /// that some nonzero bits below the magnitude were already dropped. `None` when it overflows.
    fn magnitude_to_f64(magnitude: &[u32], sticky: bool) -> Option<f64> {
        let bits = BigInt::bit_length(magnitude);
        if bits <= 64 && !sticky {
            let low = u64::from(magnitude.first().copied().unwrap_or(0));
            let high = u64::from(magnitude.get(1).copied().unwrap_or(0));
            return Some(((high << 32) | low) as f64);
        }
        // Keep the top 64 bits and fold everything below into a sticky low bit: f64 keeps 53 bits,
        // so the sticky bit sits well below the rounding position and rounding stays exact.
        let shift = bits.saturating_sub(64);
        let mut top: u64 = 0;
        for i in (shift..bits).rev() {
            top = (top << 1) | u64::from(BigInt::bit(magnitude, i));
        }
        let lost = sticky || (0..shift).any(|i| BigInt::bit(magnitude, i));
        if lost {
            top |= 1;
        }
        let value = (top as f64) * 2f64.powi(i32::try_from(shift).ok()?);
        value.is_finite().then_some(value)
    }

    /// Python's `float(int)`: correctly rounded; `None` where Python raises OverflowError.
    pub(crate) fn to_f64(&self) -> Option<f64> {
        let m = BigInt::magnitude_to_f64(&self.magnitude, false)?;
        Some(if self.negative { -m } else { m })
    }

    /// The exact integer value of an integral, finite float.
    pub(crate) fn from_integral_f64(value: f64) -> BigInt {
        if value.abs() < 9.2e18 {
            return BigInt::from_i64(value as i64);
        }
        let bits = value.to_bits();
        let exponent = ((bits >> 52) & 0x7ff) as i64 - 1075;
        let mantissa = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
        // |value| >= 9.2e18 > 2^53, so the exponent is positive here.
        let shift = exponent.max(0) as u64;
        let mut magnitude = vec![0u32; (shift / 32) as usize];
        let offset = shift % 32;
        let wide = u128::from(mantissa) << offset;
        magnitude.extend([wide as u32, (wide >> 32) as u32, (wide >> 64) as u32]);
        BigInt::from_parts(value < 0.0, magnitude)
    }

    /// Python's `int / int` for a positive divisor below 2^32: the correctly rounded quotient, or
    /// `None` where Python raises OverflowError ("integer division result too large for a float").
    pub(crate) fn true_divide(&self, divisor: u32) -> Option<f64> {
        if divisor == 0 {
            return None;
        }
        let bits = BigInt::bit_length(&self.magnitude);
        if bits <= 53 {
            let n = BigInt::magnitude_to_f64(&self.magnitude, false)?;
            let q = n / f64::from(divisor);
            return Some(if self.negative { -q } else { q });
        }
        // Scale so the integer quotient has at least 66 bits, then fold the remainder into a sticky bit.
        let scale = 66u64.saturating_sub(bits.saturating_sub(32));
        let mut scaled = vec![0u32; (scale / 32) as usize];
        let offset = scale % 32;
        let mut carry = 0u32;
        for limb in &self.magnitude {
            let wide = (u64::from(*limb) << offset) | u64::from(carry);
            scaled.push(wide as u32);
            carry = (wide >> 32) as u32;
        }
        scaled.push(carry);
        let mut remainder: u64 = 0;
        for limb in scaled.iter_mut().rev() {
            let current = (remainder << 32) | u64::from(*limb);
            *limb = (current / u64::from(divisor)) as u32;
            remainder = current % u64::from(divisor);
        }
        while scaled.last() == Some(&0) {
            scaled.pop();
        }
        let quotient = BigInt::magnitude_to_f64(&scaled, remainder != 0)?;
        let value = quotient * 2f64.powi(-(i32::try_from(scale).ok()?));
        Some(if self.negative { -value } else { value })
    }
}

impl PartialOrd for BigInt {
    fn partial_cmp(&self, other: &BigInt) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for BigInt {
    fn cmp(&self, other: &BigInt) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => BigInt::cmp_magnitude(&self.magnitude, &other.magnitude),
            (true, true) => BigInt::cmp_magnitude(&other.magnitude, &self.magnitude),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_round_trip() {
        for text in [
            "0",
            "1",
            "-1",
            "4294967296",
            "18446744073709551616",
            "-123456789012345678901234567890",
        ] {
            assert_eq!(
                BigInt::from_decimal(text)
                    .map(|b| b.to_decimal())
                    .as_deref(),
                Some(text)
            );
        }
        assert_eq!(
            BigInt::from_decimal("-9223372036854775808").and_then(|b| b.to_i64()),
            Some(i64::MIN)
        );
        assert_eq!(
            BigInt::from_decimal("9223372036854775808").and_then(|b| b.to_i64()),
            None
        );
    }

    #[test]
    fn arithmetic_and_conversions() {
        let a = BigInt::from_i64(i64::MAX);
        assert_eq!(
            a.add(&BigInt::from_i64(1)).to_decimal(),
            "9223372036854775808"
        );
        assert_eq!(
            BigInt::from_i64(5).add(&BigInt::from_i64(-7)).to_decimal(),
            "-2"
        );
        assert_eq!(
            BigInt::from_integral_f64(1e20).to_decimal(),
            "100000000000000000000"
        );
        assert_eq!(
            BigInt::from_decimal("9007199254740993").and_then(|b| b.to_f64()),
            Some(9007199254740992.0)
        );
        assert_eq!(
            BigInt::from_decimal("18446744073709551617").and_then(|b| b.true_divide(2)),
            Some(9.223372036854776e18)
        );
        assert_eq!(BigInt::from_i64(7).true_divide(2), Some(3.5));
    }
}
