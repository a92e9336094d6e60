//! Python's `json.loads` as the lexer uses it: decoding `` `literal` `` tokens and quoted identifiers.
//!
//! The reference decodes these with the standard library, so its quirks are the grammar: `NaN`,
//! `Infinity` and `-Infinity` are accepted, ints of any size become ints (but more than 4300 digits is
//! a ValueError), a repeated key keeps its first position and last value, control characters inside
//! strings are rejected. Only the part of the error message before the first `:` is kept, which is all
//! jmespath ever shows. A lone surrogate escape (`"\ud800"`) cannot live in a Rust string; it decodes
//! to the six characters `\ud800`, which is what the reference prints when such a string reaches its
//! stderr (Python writes stderr with `backslashreplace`), e.g. in a parse error's token.

use super::runtime::{Val, ValMap};
use crate::python::number::MAX_INT_DIGITS;
use crate::value::Number;
use std::rc::Rc;

/// Nesting beyond this depth fails (Python would raise RecursionError near 1000 levels).
const MAX_DEPTH: usize = 900;

/// `json.loads(text)`; the error is the message's text before its first `:`.
pub(crate) fn loads(text: &[char]) -> Result<Val<'static>, &'static str> {
    let mut decoder = Decoder {
        chars: text,
        pos: 0,
        depth: 0,
    };
    decoder.skip_whitespace();
    let value = decoder.value()?;
    decoder.skip_whitespace();
    if decoder.pos != text.len() {
        return Err("Extra data");
    }
    Ok(value)
}

struct Decoder<'t> {
    chars: &'t [char],
    pos: usize,
    depth: usize,
}

impl Decoder<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
            self.pos += 1;
        }
    }

    fn starts_with(&self, word: &str) -> bool {
        let mut rest = self.chars.get(self.pos..).unwrap_or_default().iter();
        word.chars().all(|c| rest.next() == Some(&c))
    }

    fn value(&mut self) -> Result<Val<'static>, &'static str> {
        match self.peek() {
            Some('"') => {
                self.pos += 1;
                Ok(Val::String(Rc::from(self.string()?.as_str())))
            }
            Some('{') => {
                self.pos += 1;
                self.nested(Decoder::object)
            }
            Some('[') => {
                self.pos += 1;
                self.nested(Decoder::array)
            }
            _ => {
                for (word, value) in [
                    ("null", Val::Null),
                    ("true", Val::Bool(true)),
                    ("false", Val::Bool(false)),
                    ("NaN", Val::Number(Number::Float(f64::NAN))),
                    ("Infinity", Val::Number(Number::Float(f64::INFINITY))),
                    ("-Infinity", Val::Number(Number::Float(f64::NEG_INFINITY))),
                ] {
                    if self.starts_with(word) {
                        self.pos += word.chars().count();
                        return Ok(value);
                    }
                }
                self.number()
            }
        }
    }

    fn nested(
        &mut self,
        parse: fn(&mut Self) -> Result<Val<'static>, &'static str>,
    ) -> Result<Val<'static>, &'static str> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("maximum recursion depth exceeded");
        }
        let result = parse(self);
        self.depth -= 1;
        result
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Val<'static>, &'static str> {
        let start = self.pos;
        if self.peek() == Some('-') {
            self.pos += 1;
        }
        match self.peek() {
            Some('0') => self.pos += 1,
            Some('1'..='9') => {
                self.digits();
            }
            _ => return Err("Expecting value"),
        }
        let mut is_float = false;
        if self.peek() == Some('.')
            && self
                .chars
                .get(self.pos + 1)
                .is_some_and(|c| c.is_ascii_digit())
        {
            self.pos += 1;
            self.digits();
            is_float = true;
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let before_exponent = self.pos;
            self.pos += 1;
            if matches!(self.peek(), Some('+' | '-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                self.pos = before_exponent;
            } else {
                is_float = true;
            }
        }
        let literal: String = self.chars[start..self.pos].iter().collect();
        if !is_float && literal.trim_start_matches('-').len() > MAX_INT_DIGITS {
            return Err("Exceeds the limit (4300 digits) for integer string conversion");
        }
        Ok(Val::Number(Number::from_json_literal(&literal)))
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let mut value = 0;
        for i in 0..4 {
            value = value * 16 + self.chars.get(at + i)?.to_digit(16)?;
        }
        Some(value)
    }

    /// The rest of a string after its opening quote.
    fn string(&mut self) -> Result<String, &'static str> {
        let mut out = String::new();
        loop {
            let c = self.peek().ok_or("Unterminated string starting at")?;
            self.pos += 1;
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let escape = self.peek().ok_or("Unterminated string starting at")?;
                    self.pos += 1;
                    match escape {
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        '/' => out.push('/'),
                        'b' => out.push('\x08'),
                        'f' => out.push('\x0c'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => self.unicode_escape(&mut out)?,
                        _ => return Err("Invalid \\escape"),
                    }
                }
                c if (c as u32) < 0x20 => return Err("Invalid control character at"),
                c => out.push(c),
            }
        }
    }

    /// Appends the character of a `\uXXXX` escape (the `\u` already read), joining a surrogate pair.
    fn unicode_escape(&mut self, out: &mut String) -> Result<(), &'static str> {
        let first = self.hex4(self.pos).ok_or("Invalid \\uXXXX escape")?;
        self.pos += 4;
        if (0xd800..0xdc00).contains(&first) && self.starts_with("\\u") {
            let second = self.hex4(self.pos + 2).ok_or("Invalid \\uXXXX escape")?;
            if (0xdc00..0xe000).contains(&second) {
                self.pos += 6;
                let combined = 0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00);
                out.extend(char::from_u32(combined));
                return Ok(());
            }
        }
        match char::from_u32(first) {
            Some(c) => out.push(c),
            None => out.push_str(&format!("\\u{first:04x}")),
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Val<'static>, &'static str> {
        let mut map = ValMap::new();
        self.skip_whitespace();
        if self.peek() == Some('}') {
            self.pos += 1;
            return Ok(Val::Object(Rc::new(map)));
        }
        loop {
            if self.peek() != Some('"') {
                return Err("Expecting property name enclosed in double quotes");
            }
            self.pos += 1;
            let key = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(':') {
                return Err("Expecting ':' delimiter");
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value()?;
            map.insert(key, value);
            self.skip_whitespace();
            match self.peek() {
                Some('}') => {
                    self.pos += 1;
                    return Ok(Val::Object(Rc::new(map)));
                }
                Some(',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                }
                _ => return Err("Expecting ',' delimiter"),
            }
        }
    }

    fn array(&mut self) -> Result<Val<'static>, &'static str> {
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(']') {
            self.pos += 1;
            return Ok(Val::array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_whitespace();
            match self.peek() {
                Some(']') => {
                    self.pos += 1;
                    return Ok(Val::array(items));
                }
                Some(',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                }
                _ => return Err("Expecting ',' delimiter"),
            }
        }
    }
}
