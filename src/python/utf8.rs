//! Python's `bytes.decode('utf-8')` and the text of its `UnicodeDecodeError`.
//!
//! Python names the maximal invalid prefix: one byte for an invalid start byte, every byte of a
//! sequence cut short by a bad continuation byte (`bytes in position 0-1: invalid continuation
//! byte`) or by the end of the data (`unexpected end of data`). Rust's `Utf8Error::error_len` gives
//! the same prefix, so only the wording has to be reproduced.

use std::fmt;

/// `UnicodeDecodeError`; `Display` is Python's `str(exc)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Utf8DecodeError {
    /// The first offending byte.
    pub byte: u8,
    /// The offending bytes are `start..end` of the input.
    pub start: usize,
    pub end: usize,
    /// `invalid start byte`, `invalid continuation byte` or `unexpected end of data`.
    pub reason: &'static str,
}

impl fmt::Display for Utf8DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (byte, start, reason) = (self.byte, self.start, self.reason);
        if self.end - start > 1 {
            let last = self.end - 1;
            write!(
                f,
                "'utf-8' codec can't decode bytes in position {start}-{last}: {reason}"
            )
        } else {
            write!(
                f,
                "'utf-8' codec can't decode byte 0x{byte:02x} in position {start}: {reason}"
            )
        }
    }
}

impl std::error::Error for Utf8DecodeError {}

/// `bytes.decode('utf-8')`.
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, Utf8DecodeError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let start = e.valid_up_to();
        let byte = bytes.get(start).copied().unwrap_or(0);
        let (len, reason) = match e.error_len() {
            _ if matches!(byte, 0x80..=0xc1 | 0xf5..=0xff) => (1, "invalid start byte"),
            None => (bytes.len() - start, "unexpected end of data"),
            Some(n) => (n, "invalid continuation byte"),
        };
        Utf8DecodeError {
            byte,
            start,
            end: start + len,
            reason,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected strings are CPython 3.11's `str(UnicodeDecodeError)` for `body.decode('utf-8')`.
    #[test]
    fn errors_match_python() {
        let cases: [(&[u8], &str); 10] = [
            (b"\xff", "byte 0xff in position 0: invalid start byte"),
            (
                b"ab\xe2\x82",
                "bytes in position 2-3: unexpected end of data",
            ),
            (b"ab\xe2", "byte 0xe2 in position 2: unexpected end of data"),
            (
                b"\xed\xa0\x80",
                "byte 0xed in position 0: invalid continuation byte",
            ),
            (b"\xc0\xaf", "byte 0xc0 in position 0: invalid start byte"),
            (
                b"a\xf0\x9f\x98",
                "bytes in position 1-3: unexpected end of data",
            ),
            (
                b"\xe2\x82A",
                "bytes in position 0-1: invalid continuation byte",
            ),
            (
                b"\xf0\x9f\x98A",
                "bytes in position 0-2: invalid continuation byte",
            ),
            (
                b"\xe2A",
                "byte 0xe2 in position 0: invalid continuation byte",
            ),
            (
                b"\xf0\x9fA",
                "bytes in position 0-1: invalid continuation byte",
            ),
        ];
        for (body, want) in cases {
            let got = decode_utf8(body).err().map(|e| e.to_string());
            assert_eq!(got, Some(format!("'utf-8' codec can't decode {want}")));
        }
        assert_eq!(decode_utf8("é".as_bytes()), Ok("é"));
    }
}
