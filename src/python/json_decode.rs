//! Python's `json.loads`, as the reference calls it, over text into a [`Value`].
//!
//! The reference decodes every JSON parameter (`json.loads(value, object_pairs_hook=OrderedDict)` in
//! `awscli/argprocess.py`), `--cli-input-json` and response bodies with CPython 3.11's C scanner
//! (`Modules/_json.c`). This module re-implements that scanner step for step so that what is accepted
//! (`NaN`, `Infinity`, `-Infinity`, big integers, a repeated key keeping its first position and last
//! value) and every error message — down to the character offset, counted in code points, and the
//! line/column — are the reference's. No crate reproduces those messages, which is why it is written
//! by hand. Deep nesting never overflows the stack: CPython stops with a `RecursionError` once the
//! interpreter's recursion budget is spent, and [`loads_with_depth_limit`] lets each caller give the
//! depth at which the reference does so on its own code path.

use crate::python::number::{too_many_digits, MAX_INT_DIGITS};
use crate::python::value::{Map, Number, Str, Value};
use std::collections::HashMap;
use std::fmt;

/// The container being entered when the recursion budget ran out (it names it in its message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Object,
    Array,
}

/// Why `json.loads` failed. `Display` is Python's `str(exc)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonDecodeError {
    /// `json.JSONDecodeError` (a `ValueError`): `Expecting value: line 1 column 1 (char 0)`.
    Syntax {
        /// The message before the location, e.g. `Expecting ',' delimiter`.
        message: &'static str,
        /// Offset of the error in code points (`char N`).
        pos: usize,
        /// 1-based line number.
        lineno: usize,
        /// 1-based column, in code points.
        colno: usize,
    },
    /// The `ValueError` `int()` raises for an integer literal of more than 4300 digits.
    IntegerTooLong {
        /// How many digits the literal has (its sign excluded).
        digits: usize,
    },
    /// `RecursionError` (not a `ValueError`): the nesting went deeper than the reference can follow.
    Recursion { container: Container },
}

impl JsonDecodeError {
    /// True when Python raises a `ValueError` subclass, which `except ValueError` handlers (such as
    /// the reference's `Invalid JSON:` wrapping of parameters) catch; a `RecursionError` escapes them.
    pub fn is_value_error(&self) -> bool {
        !matches!(self, JsonDecodeError::Recursion { .. })
    }
}

impl fmt::Display for JsonDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonDecodeError::Syntax {
                message,
                pos,
                lineno,
                colno,
            } => {
                write!(f, "{message}: line {lineno} column {colno} (char {pos})")
            }
            JsonDecodeError::IntegerTooLong { digits } => f.write_str(&too_many_digits(*digits)),
            JsonDecodeError::Recursion { container } => {
                let what = match container {
                    Container::Object => "object",
                    Container::Array => "array",
                };
                write!(f, "maximum recursion depth exceeded while decoding a JSON {what} from a unicode string")
            }
        }
    }
}

impl std::error::Error for JsonDecodeError {}

/// The nesting depth at which [`loads`] gives up, as the reference does when it decodes a command-line
/// parameter (measured against the reference: `tests/record/params_corpus.py`).
pub const PARAMETER_DEPTH_LIMIT: usize = 981;

/// `json.loads(text)` with the parameter path's recursion limit ([`PARAMETER_DEPTH_LIMIT`]).
pub fn loads(text: &str) -> Result<Value, JsonDecodeError> {
    loads_with_depth_limit(text, PARAMETER_DEPTH_LIMIT)
}

/// `json.loads(text)`, failing with [`JsonDecodeError::Recursion`] when containers nest more than
/// `max_depth` deep (the depth of `[[1]]` is 2).
pub fn loads_with_depth_limit(text: &str, max_depth: usize) -> Result<Value, JsonDecodeError> {
    loads_with(text, max_depth, LoneSurrogate::Replace)
}

/// How a `\uXXXX` escape of a lone surrogate decodes: it is a valid Python `str` but cannot live in
/// a Rust `String`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoneSurrogate {
    /// U+FFFD, the replacement character.
    Replace,
    /// The six characters `\ud800`: what the reference shows when such a string reaches its stderr
    /// (Python writes stderr with `backslashreplace`).
    Escape,
}

/// [`loads_with_depth_limit`], with the lone surrogates decoded as `lone_surrogate` says.
pub fn loads_with(
    text: &str,
    max_depth: usize,
    lone_surrogate: LoneSurrogate,
) -> Result<Value, JsonDecodeError> {
    let scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        max_depth,
        lone_surrogate,
    };
    if text.starts_with('\u{feff}') {
        return Err(scanner.error("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0));
    }
    let start = scanner.skip_whitespace(0);
    let (value, end) = scanner.scan_once(start)?;
    let end = scanner.skip_whitespace(end);
    if end != scanner.bytes.len() {
        return Err(scanner.error("Extra data", end));
    }
    Ok(value)
}

/// One JSON term of `text` starting exactly at byte `pos`, as [`loads`] would decode it, and the
/// offset just past it; `None` where `loads` would fail. For callers that walk a document themselves
/// and hand the parts they do not handle to the real scanner.
pub(crate) fn term_at(text: &str, pos: usize) -> Option<(Value, usize)> {
    scanner(text).scan_once(pos).ok()
}

/// The string whose opening quote is at byte `quote` of `text`, decoded, and the offset past its
/// closing quote; `None` where `loads` would fail.
pub(crate) fn string_at(text: &str, quote: usize) -> Option<(String, usize)> {
    scanner(text)
        .scan_string(quote + 1)
        .ok()
        .map(|(s, end)| (s.into_string(), end))
}

fn scanner(text: &str) -> Scanner<'_> {
    Scanner {
        text,
        bytes: text.as_bytes(),
        max_depth: PARAMETER_DEPTH_LIMIT,
        lone_surrogate: LoneSurrogate::Replace,
    }
}

/// A container whose closing bracket has not been reached yet. Its elements so far sit at the end of
/// the scanner's shared `items` (or `entries`) stack, from `start` on; when it closes they move into a
/// vector of exactly their number, so a decoded document carries no spare capacity.
enum Open {
    Array {
        start: usize,
    },
    /// `key` is the key whose value is being scanned; `index` finds keys by hash once the object has
    /// more than [`LINEAR_KEYS`] members.
    Object {
        start: usize,
        key: Str,
        index: Option<HashMap<Box<str>, usize>>,
    },
}

/// Up to this many members, a repeated key is found by comparing with each.
const LINEAR_KEYS: usize = 16;

/// Adds a member to the open object whose members are `entries[start..]`: a repeated key keeps its
/// first position and takes the new value, like a Python dict. `prints[i]` is the [`key_print`] of
/// `entries[i]`'s key, so that the linear search compares a word per member, not the keys' bytes.
fn add_member(
    entries: &mut Vec<(Str, Value)>,
    prints: &mut Vec<u64>,
    start: usize,
    index: &mut Option<HashMap<Box<str>, usize>>,
    key: Str,
    value: Value,
) {
    let print = key_print(&key);
    let found = match index {
        Some(index) => index.get(key.as_str()).copied(),
        None => prints[start..]
            .iter()
            .zip(&entries[start..])
            .position(|(p, (k, _))| *p == print && *k == key),
    };
    if let Some(position) = found {
        entries[start + position].1 = value;
        return;
    }
    if let Some(index) = index {
        index.insert(key.as_str().into(), entries.len() - start);
    }
    entries.push((key, value));
    prints.push(print);
    if index.is_none() && entries.len() - start > LINEAR_KEYS {
        *index = Some(
            entries[start..]
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (k.as_str().into(), i))
                .collect(),
        );
    }
}

/// A word that equal keys share: the key's length with its first and last eight bytes.
fn key_print(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let n = bytes.len().min(8);
    let (mut head, mut tail) = ([0u8; 8], [0u8; 8]);
    head[..n].copy_from_slice(&bytes[..n]);
    tail[..n].copy_from_slice(&bytes[bytes.len() - n..]);
    u64::from_le_bytes(head)
        ^ u64::from_le_bytes(tail).rotate_left(29)
        ^ (bytes.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The offset of the first byte of `bytes` that ends a run of plain string text — `"`, `\\`, a control
/// character, and with `high` any byte above `~` — or `bytes.len()`. Eight bytes are tested at a time
/// (the classic SWAR tests for a zero byte and a byte below a bound; the lowest flagged byte is exact).
pub(crate) fn plain_run(bytes: &[u8], high: bool) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let special = |b: u8| b < 0x20 || b == b'"' || b == b'\\' || (high && b > 0x7e);
    let chunks = bytes.chunks_exact(8);
    let tail = chunks.remainder().len();
    for (n, chunk) in chunks.enumerate() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let quote = x ^ (ONES * u64::from(b'"'));
        let backslash = x ^ (ONES * u64::from(b'\\'));
        let mut mask = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (x.wrapping_sub(ONES * 0x20) & !x);
        if high {
            mask |= x.wrapping_add(ONES) | x;
        }
        mask &= HIGHS;
        if mask != 0 {
            return n * 8 + (mask.trailing_zeros() / 8) as usize;
        }
    }
    let done = bytes.len() - tail;
    bytes[done..]
        .iter()
        .position(|b| special(*b))
        .map_or(bytes.len(), |i| done + i)
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    max_depth: usize,
    lone_surrogate: LoneSurrogate,
}

impl Scanner<'_> {
    fn error(&self, message: &'static str, byte_pos: usize) -> JsonDecodeError {
        let before = &self.bytes[..byte_pos.min(self.bytes.len())];
        // Code points are the bytes that do not continue a UTF-8 sequence.
        let count_chars = |bytes: &[u8]| bytes.iter().filter(|b| (**b & 0xc0) != 0x80).count();
        let pos = count_chars(before);
        let lineno = before.iter().filter(|b| **b == b'\n').count() + 1;
        let colno = match before.iter().rposition(|b| *b == b'\n') {
            Some(newline) => count_chars(&before[newline + 1..]) + 1,
            None => pos + 1,
        };
        JsonDecodeError::Syntax {
            message,
            pos,
            lineno,
            colno,
        }
    }

    /// `StopIteration(idx)` from the scanner, which `raw_decode` turns into `Expecting value`.
    fn expecting_value(&self, byte_pos: usize) -> JsonDecodeError {
        self.error("Expecting value", byte_pos)
    }

    fn at(&self, pos: usize) -> Option<u8> {
        self.bytes.get(pos).copied()
    }

    fn skip_whitespace(&self, mut pos: usize) -> usize {
        while matches!(self.at(pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            pos += 1;
        }
        pos
    }

    /// `scan_once_unicode`: one JSON term starting exactly at `pos`; returns it and the end offset.
    ///
    /// The C scanner recurses into `_parse_object_unicode` / `_parse_array_unicode`; this keeps the
    /// open containers on an explicit stack instead, so nesting depth costs heap, not call stack, while
    /// every check happens in the same order and reports the same offset.
    fn scan_once(&self, pos: usize) -> Result<(Value, usize), JsonDecodeError> {
        let mut stack: Vec<Open> = Vec::new();
        let mut items: Vec<Value> = Vec::new();
        let mut entries: Vec<(Str, Value)> = Vec::new();
        let mut prints: Vec<u64> = Vec::new();
        let mut idx = pos;
        'value: loop {
            // Scan one term at `idx`, or open a container and scan its first term.
            let (mut value, mut end) = match self.at(idx) {
                Some(b'{') => {
                    if stack.len() >= self.max_depth {
                        return Err(JsonDecodeError::Recursion {
                            container: Container::Object,
                        });
                    }
                    idx = self.skip_whitespace(idx + 1);
                    if self.at(idx) == Some(b'}') {
                        (Value::Object(Map::new()), idx + 1)
                    } else {
                        let (key, next) = self.object_key(idx)?;
                        stack.push(Open::Object {
                            start: entries.len(),
                            key,
                            index: None,
                        });
                        idx = next;
                        continue 'value;
                    }
                }
                Some(b'[') => {
                    if stack.len() >= self.max_depth {
                        return Err(JsonDecodeError::Recursion {
                            container: Container::Array,
                        });
                    }
                    idx = self.skip_whitespace(idx + 1);
                    if self.at(idx) == Some(b']') {
                        (Value::Array(Vec::new()), idx + 1)
                    } else {
                        stack.push(Open::Array { start: items.len() });
                        continue 'value;
                    }
                }
                _ => self.scan_scalar(idx)?,
            };
            // Hand the finished term to the innermost open container, closing containers as they end.
            loop {
                let Some(top) = stack.last_mut() else {
                    return Ok((value, end));
                };
                idx = self.skip_whitespace(end);
                match top {
                    Open::Array { .. } => {
                        items.push(value);
                        match self.at(idx) {
                            Some(b']') => {}
                            Some(b',') => {
                                idx = self.skip_whitespace(idx + 1);
                                continue 'value;
                            }
                            _ => return Err(self.error("Expecting ',' delimiter", idx)),
                        }
                    }
                    Open::Object { start, key, index } => {
                        add_member(
                            &mut entries,
                            &mut prints,
                            *start,
                            index,
                            std::mem::take(key),
                            value,
                        );
                        match self.at(idx) {
                            Some(b'}') => {}
                            Some(b',') => {
                                let (next_key, next) =
                                    self.object_key(self.skip_whitespace(idx + 1))?;
                                *key = next_key;
                                idx = next;
                                continue 'value;
                            }
                            _ => return Err(self.error("Expecting ',' delimiter", idx)),
                        }
                    }
                }
                // The container at the top just closed at `idx`.
                value = match stack.pop() {
                    Some(Open::Array { start }) => Value::Array(items.drain(start..).collect()),
                    Some(Open::Object { start, .. }) => {
                        prints.truncate(start);
                        Value::Object(Map::from_unique_entries(entries.drain(start..).collect()))
                    }
                    None => Value::Null,
                };
                end = idx + 1;
            }
        }
    }

    /// A property name, its `:` and the whitespace after it; returns the key and where its value starts.
    fn object_key(&self, idx: usize) -> Result<(Str, usize), JsonDecodeError> {
        if self.at(idx) != Some(b'"') {
            return Err(self.error("Expecting property name enclosed in double quotes", idx));
        }
        let (key, after_key) = self.scan_string(idx + 1)?;
        let idx = self.skip_whitespace(after_key);
        if self.at(idx) != Some(b':') {
            return Err(self.error("Expecting ':' delimiter", idx));
        }
        Ok((key, self.skip_whitespace(idx + 1)))
    }

    /// A string, a named constant or a number at `pos`.
    fn scan_scalar(&self, pos: usize) -> Result<(Value, usize), JsonDecodeError> {
        let rest = &self.bytes[pos.min(self.bytes.len())..];
        match rest.first() {
            None => return Err(self.expecting_value(pos)),
            Some(b'"') => {
                let (s, end) = self.scan_string(pos + 1)?;
                return Ok((Value::String(s), end));
            }
            _ => {}
        }
        // The named constants, by their first byte (a number starts with a digit or `-`); `rest` is
        // not empty (checked above).
        let (word, value): (&[u8], Value) = match rest[0] {
            b'n' => (b"null", Value::Null),
            b't' => (b"true", Value::Bool(true)),
            b'f' => (b"false", Value::Bool(false)),
            b'N' => (b"NaN", Value::Number(Number::Float(f64::NAN))),
            b'I' => (b"Infinity", Value::Number(Number::Float(f64::INFINITY))),
            b'-' if rest.get(1) == Some(&b'I') => (
                b"-Infinity",
                Value::Number(Number::Float(f64::NEG_INFINITY)),
            ),
            _ => return self.match_number(pos),
        };
        if rest.starts_with(word) {
            return Ok((value, pos + word.len()));
        }
        self.match_number(pos)
    }

    /// `_match_number_unicode`.
    fn match_number(&self, start: usize) -> Result<(Value, usize), JsonDecodeError> {
        let is_digit = |p: usize| matches!(self.at(p), Some(b'0'..=b'9'));
        let mut idx = start;
        if self.at(idx) == Some(b'-') {
            idx += 1;
        }
        match self.at(idx) {
            Some(b'1'..=b'9') => {
                idx += 1;
                while is_digit(idx) {
                    idx += 1;
                }
            }
            Some(b'0') => idx += 1,
            _ => return Err(self.expecting_value(start)),
        }
        let mut is_float = false;
        if self.at(idx) == Some(b'.') && is_digit(idx + 1) {
            is_float = true;
            idx += 2;
            while is_digit(idx) {
                idx += 1;
            }
        }
        // C: `idx < end_idx` — an `e` must have at least one character after it.
        if matches!(self.at(idx), Some(b'e' | b'E')) && idx + 1 < self.bytes.len() {
            let e_start = idx;
            idx += 1;
            if matches!(self.at(idx), Some(b'-' | b'+')) && idx + 1 < self.bytes.len() {
                idx += 1;
            }
            while is_digit(idx) {
                idx += 1;
            }
            if is_digit(idx - 1) {
                is_float = true;
            } else {
                idx = e_start;
            }
        }
        let literal = &self.text[start..idx];
        if !is_float {
            let digits = literal.len() - usize::from(literal.starts_with('-'));
            if digits > MAX_INT_DIGITS {
                return Err(JsonDecodeError::IntegerTooLong { digits });
            }
        }
        Ok((Value::Number(Number::from_json_literal(literal)), idx))
    }

    /// `scanstring_unicode`, strict mode: `begin` is just past the opening quote.
    fn scan_string(&self, begin: usize) -> Result<(Str, usize), JsonDecodeError> {
        let quote = begin - 1;
        let len = self.bytes.len();
        let mut out = Str::default();
        let mut end = begin;
        loop {
            let mut next = end + plain_run(&self.bytes[end..], false);
            let Some(c) = self.at(next) else {
                return Err(self.error("Unterminated string starting at", quote));
            };
            if c <= 0x1f {
                return Err(self.error("Invalid control character at", next));
            }
            if c == b'"' && out.is_empty() {
                // No escape: the text as it stands (inline when short, else of its exact size).
                return Ok((Str::from(&self.text[end..next]), next + 1));
            }
            out.push_str(&self.text[end..next]);
            next += 1;
            if c == b'"' {
                return Ok((out, next));
            }
            if next == len {
                return Err(self.error("Unterminated string starting at", quote));
            }
            let escape = self.bytes[next];
            if escape != b'u' {
                end = next + 1;
                let decoded = match escape {
                    b'"' => '"',
                    b'\\' => '\\',
                    b'/' => '/',
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    b'n' => '\n',
                    b'r' => '\r',
                    b't' => '\t',
                    _ => return Err(self.error("Invalid \\escape", end - 2)),
                };
                out.push(decoded);
                continue;
            }
            // `\uXXXX`: C requires four hex digits *and* at least one more character after them.
            next += 1;
            if !self.has_chars(next, 5) {
                return Err(self.error("Invalid \\uXXXX escape", next - 1));
            }
            let unit = self
                .hex4(next)
                .ok_or_else(|| self.error("Invalid \\uXXXX escape", next - 1))?;
            next += 4;
            end = next;
            let mut code = unit;
            if (0xd800..0xdc00).contains(&unit)
                && self.has_chars(end, 7)
                && self.bytes[end] == b'\\'
                && self.bytes[end + 1] == b'u'
            {
                let low = self
                    .hex4(end + 2)
                    .ok_or_else(|| self.error("Invalid \\uXXXX escape", end + 1))?;
                if (0xdc00..0xe000).contains(&low) {
                    code = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
                    end += 6;
                }
            }
            match (char::from_u32(code), self.lone_surrogate) {
                (Some(c), _) => out.push(c),
                (None, LoneSurrogate::Replace) => out.push('\u{fffd}'),
                (None, LoneSurrogate::Escape) => out.push_str(&format!("\\u{code:04x}")),
            }
        }
    }

    /// Whether at least `count` characters follow byte offset `pos`.
    fn has_chars(&self, pos: usize, count: usize) -> bool {
        self.text
            .get(pos..)
            .is_some_and(|rest| rest.chars().nth(count - 1).is_some())
    }

    fn hex4(&self, pos: usize) -> Option<u32> {
        let digits = self.bytes.get(pos..pos + 4)?;
        digits
            .iter()
            .try_fold(0u32, |acc, b| Some(acc << 4 | (*b as char).to_digit(16)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repeated key keeps its first position and takes the last value, as a Python dict does, for
    /// keys that share a length, a start or an end, and past the linear search's limit.
    #[test]
    fn a_repeated_key_keeps_its_place_and_takes_the_last_value() {
        let text = r#"{"fromInstanceName":1,"fromInstanceArn":2,"a":3,"fromXnstanceName":4,"fromInstanceName":5,"a":6}"#;
        let Ok(Value::Object(map)) = loads(text) else {
            panic!("an object");
        };
        let pairs: Vec<(String, Value)> = map
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        let int = |i| Value::Number(Number::Int(i));
        assert_eq!(
            pairs,
            vec![
                ("fromInstanceName".to_string(), int(5)),
                ("fromInstanceArn".to_string(), int(2)),
                ("a".to_string(), int(6)),
                ("fromXnstanceName".to_string(), int(4)),
            ]
        );
        // Twenty distinct keys, then each again: the hash index takes over at seventeen.
        let keys: Vec<String> = (0..20).map(|i| format!("key-{i:02}")).collect();
        let first: Vec<String> = keys.iter().map(|k| format!("\"{k}\":0")).collect();
        let again: Vec<String> = keys.iter().map(|k| format!("\"{k}\":1")).collect();
        let text = format!("{{{},{}}}", first.join(","), again.join(","));
        let Ok(Value::Object(map)) = loads(&text) else {
            panic!("an object");
        };
        let got: Vec<(String, Value)> = map
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        let want: Vec<(String, Value)> = keys.iter().map(|k| (k.clone(), int(1))).collect();
        assert_eq!(got, want);
    }
}
