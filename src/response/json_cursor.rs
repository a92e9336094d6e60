//! A cursor over a JSON response body for the readers that turn a page straight into its output
//! ([`super::json_listing`]) or its shaped value ([`super::shaped_decode`]) without a decoded tree in
//! between: whitespace, punctuation, `null`, keys without escapes (the model's member names are matched
//! in place) and unknown values, each method answering `None` when the text is not the simple case the
//! readers cover, so that they can give the page up to the faithful path (decode, then shape).

use crate::model::Member;
use crate::python::json_decode;
use crate::python::map::same_name;

/// Nesting deeper than this (counted from the page) is left to the faithful path.
pub const MAX_DEPTH: usize = 64;

/// A position in a body that is valid UTF-8.
pub struct Cursor<'a> {
    pub text: &'a str,
    pub bytes: &'a [u8],
    pub pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(text: &'a str) -> Cursor<'a> {
        Cursor {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    pub fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    pub fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_whitespace();
        (self.peek() == Some(byte)).then(|| self.pos += 1)
    }

    /// Consumes `null` if it comes next.
    pub fn take_null(&mut self) -> bool {
        self.skip_whitespace();
        if self.bytes[self.pos..].starts_with(b"null") {
            self.pos += 4;
            true
        } else {
            false
        }
    }

    /// An object key without escapes (a key with one is left to the faithful path), and its `:`.
    pub fn key(&mut self) -> Option<&'a str> {
        self.skip_whitespace();
        if self.peek() != Some(b'"') {
            return None;
        }
        let start = self.pos + 1;
        let end = start + json_decode::plain_run(&self.bytes[start..], false);
        if self.bytes.get(end) != Some(&b'"') {
            return None;
        }
        self.pos = end + 1;
        self.expect(b':')?;
        Some(&self.text[start..end])
    }

    /// When the next key is the name of the first or second of `members` (written without escapes):
    /// its offset there, with the key and its `:` consumed. Otherwise nothing is consumed.
    pub fn expected_member(&mut self, members: &[Member]) -> Option<usize> {
        self.skip_whitespace();
        let rest = self.bytes.get(self.pos..)?;
        let name = rest.strip_prefix(b"\"")?;
        for (offset, member) in members.iter().take(2).enumerate() {
            let wanted = member.name.as_bytes();
            if name.len() > wanted.len()
                && name[wanted.len()] == b'"'
                && same_name(&name[..wanted.len()], wanted)
            {
                self.pos += wanted.len() + 2;
                if self.expect(b':').is_none() {
                    self.pos -= wanted.len() + 2;
                    return None;
                }
                return Some(offset);
            }
        }
        None
    }

    /// After a member or element: `true` for `,` (another follows), `false` for `close`.
    pub fn next_or_close(&mut self, close: u8) -> Option<bool> {
        self.skip_whitespace();
        match self.peek()? {
            b',' => {
                self.pos += 1;
                Some(true)
            }
            b if b == close => {
                self.pos += 1;
                Some(false)
            }
            _ => None,
        }
    }

    /// The output token: a string (any other type is left to the faithful path).
    pub fn token(&mut self) -> Option<String> {
        self.skip_whitespace();
        if self.peek() != Some(b'"') {
            return None;
        }
        let (token, end) = json_decode::string_at(self.text, self.pos)?;
        self.pos = end;
        Some(token)
    }

    /// A JSON value that the model does not describe (an unknown member): checked, then dropped.
    pub fn skip_value(&mut self) -> Option<()> {
        self.skip_whitespace();
        let (_, end) = json_decode::term_at(self.text, self.pos)?;
        self.pos = end;
        Some(())
    }

    /// The opening `open` of a list or object, and whether it is empty (its `close` then consumed too).
    pub fn open(&mut self, open: u8, close: u8) -> Option<bool> {
        self.expect(open)?;
        self.skip_whitespace();
        let empty = self.peek() == Some(close);
        if empty {
            self.pos += 1;
        }
        Some(empty)
    }

    /// The next key of a structure whose members `members[next..]` may still come: `Some(Some(i))` for
    /// `members[next + i]` (key and `:` consumed), `Some(None)` for a key the model does not name, and
    /// `None` for a member out of the model's order or repeated, or a key with an escape. Members come in
    /// the model's order, so the key is most often the next member's name, compared in place before the
    /// key is scanned.
    pub fn next_member(&mut self, members: &[Member], next: usize) -> Option<Option<usize>> {
        if let Some(offset) = self.expected_member(&members[next..]) {
            return Some(Some(offset));
        }
        let key = self.key()?;
        let named = |m: &Member| same_name(m.name.as_bytes(), key.as_bytes());
        match members[next..].iter().position(named) {
            None if members[..next].iter().any(named) => None,
            found => Some(found),
        }
    }
}
