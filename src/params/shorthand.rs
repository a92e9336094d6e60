//! The shorthand syntax (`--tags key=a,value=b`), as `awscli/shorthand.py` parses it.
//!
//! [`parse`] is `ShorthandParser.parse`: a purely syntactic pass that yields objects, lists and strings
//! (`a=b,c` is `{"a": ["b", "c"]}`), including its quoting and escaping rules, its character classes
//! (taken from the reference's regular expressions: characters beyond U+FFFF never match them) and
//! its backtracking on `a=b,c=d`. `key@=file://x` loads a file in place of the value. [`back_compat`]
//! is `BackCompatVisitor`: it walks the parsed value along the model and turns strings into the
//! integers, floats, booleans and one-element lists the model asks for.
//!
//! The reference's syntax-error message has a bug this module keeps: the second half of its format
//! string is not an f-string, so it ends in the literal text `{self._error_location()}`.

use crate::model::{Kind, Shape};
use crate::params::paramfile::{self, Loaded, ResourceLoadingError};
use crate::python::types::type_name;
use crate::python::unicode::{is_ascii_space, is_space};
use crate::python::value::{Map, Value};
use std::fmt;

/// Why shorthand parsing failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ShorthandError {
    /// `ShorthandParseSyntaxError`; the caller wraps it as `Error parsing parameter '--x': ...`.
    Syntax { expected: String, actual: String },
    /// `DuplicateKeyInObjectError`; wrapped like `Syntax`.
    DuplicateKey {
        key: String,
        input: String,
        index: usize,
    },
    /// A `key@=file://...` that could not be loaded. The reference does not catch it, so `main()`
    /// prints the bare message (exit 255).
    Paramfile(ResourceLoadingError),
    /// `key@=fileb://...` loads bytes, which this port's [`Value`] cannot hold inside a structure.
    NestedBinary,
    /// A Python exception raised by `BackCompatVisitor` (`ValueError`, `TypeError`,
    /// `AttributeError`); not caught either, so `main()` prints the bare message (exit 255).
    Conversion(String),
    /// `RecursionError`: `[`/`{` nested deeper than the reference's Python stack allows (see
    /// [`MAX_CONTAINER_DEPTH`]). Not caught: `main()` prints the bare message, exit 255. `calling`
    /// is whether the frame that overflowed was a C call (`... while calling a Python object`).
    Recursion { calling: bool },
}

impl ShorthandError {
    /// Whether the reference reports it wrapped in `Error parsing parameter '--x': ...`.
    pub fn is_parse_error(&self) -> bool {
        matches!(
            self,
            ShorthandError::Syntax { .. } | ShorthandError::DuplicateKey { .. }
        )
    }
}

impl fmt::Display for ShorthandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShorthandError::Syntax { expected, actual } => {
                write!(f, "Expected: '{expected}', received: '{actual}' for input:\n{{self._error_location()}}")
            }
            ShorthandError::DuplicateKey { key, input, index } => write!(
                f,
                "Second instance of key \"{key}\" encountered for input:\n{}\nThis is often because there \
                 is a preceding \",\" instead of a space.",
                error_location(input, *index)
            ),
            ShorthandError::Paramfile(e) => e.fmt(f),
            ShorthandError::NestedBinary => {
                f.write_str("fileb:// values inside shorthand syntax are not supported")
            }
            ShorthandError::Conversion(message) => f.write_str(message),
            ShorthandError::Recursion { calling: false } => {
                f.write_str("maximum recursion depth exceeded")
            }
            ShorthandError::Recursion { calling: true } => {
                f.write_str("maximum recursion depth exceeded while calling a Python object")
            }
        }
    }
}

impl std::error::Error for ShorthandError {}

/// `ShorthandParseError._error_location`: the input with a caret under code point `index`.
fn error_location(input: &str, index: usize) -> String {
    let chars: Vec<char> = input.chars().collect();
    let index = index.min(chars.len());
    let (before, after) = chars.split_at(index);
    let num_spaces = match before.iter().rposition(|c| *c == '\n') {
        Some(newline) => index - newline - 1,
        None => index,
    };
    let (consumed, remaining): (String, String) = match after.iter().position(|c| *c == '\n') {
        Some(offset) => (
            chars[..index + offset].iter().collect(),
            chars[index + offset..].iter().collect(),
        ),
        None => (input.to_string(), String::new()),
    };
    format!("{consumed}\n{}^{remaining}", " ".repeat(num_spaces))
}

/// `_START_WORD`: what an unquoted value may start with.
fn is_start_word(c: char) -> bool {
    matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='Z' | '\\'..='z' | '|'..='\u{ffff}')
}

/// `_FIRST_FOLLOW_CHARS`: the rest of a value in `a=VALUE` or inside `[...]` / `{...}`.
fn is_first_follow(c: char) -> bool {
    is_space(c)
        || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='\\' | '^'..='|' | '~'..='\u{ffff}')
}

/// `_SECOND_FOLLOW_CHARS`: the rest of the second and later values of `a=b,c,d`.
fn is_second_follow(c: char) -> bool {
    is_space(c) || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='\u{ffff}')
}

/// `str.rstrip()`.
fn rstrip_python(s: &str) -> &str {
    s.trim_end_matches(is_space)
}

/// The reference's parser recurses twice per `[` or `{` and raises `RecursionError` when Python's
/// stack runs out: the first container nested this deep fails (measured against the reference by
/// `tests/record/hostile_input.py`, the same for every parameter and for `file://` values). This
/// parser recurses too, so the limit also keeps hostile input from overflowing the Rust stack.
pub const MAX_CONTAINER_DEPTH: usize = 488;

/// A scalar inside this many containers fails the same way (its parse goes a few frames deeper
/// than an empty container's); a quoted one already one container earlier.
const MAX_SCALAR_DEPTH: usize = MAX_CONTAINER_DEPTH - 1;
const MAX_QUOTED_DEPTH: usize = MAX_CONTAINER_DEPTH - 2;

/// Where the reference's `ShorthandParser.parse` was called from. The two call paths are one Python
/// frame apart, which decides whether a too-deep scalar overflows in a Python frame or in a C call,
/// and so which of the two `RecursionError` messages it prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// One word of a list parameter given on the command line (`--tags key=a key=b`).
    ListWord,
    /// A whole value: a structure parameter, or any parameter read from `file://`.
    WholeValue,
}

/// Parses one shorthand string into objects, lists and strings (`ShorthandParser.parse`), as one
/// word of a list parameter.
pub fn parse(input: &str) -> Result<Value, ShorthandError> {
    parse_from(input, Caller::ListWord)
}

/// [`parse`] for a value that reached the parser by `caller`'s path.
pub fn parse_from(input: &str, caller: Caller) -> Result<Value, ShorthandError> {
    let mut parser = Parser {
        chars: input.chars().collect(),
        input,
        index: 0,
        resolve_paramfiles: false,
        depth: 0,
        caller,
    };
    parser.parameter()
}

struct Parser<'a> {
    chars: Vec<char>,
    input: &'a str,
    index: usize,
    resolve_paramfiles: bool,
    /// How many `[` / `{` enclose the current position.
    depth: usize,
    caller: Caller,
}

impl Parser<'_> {
    fn current(&self) -> Option<char> {
        self.chars.get(self.index).copied()
    }

    fn at_eof(&self) -> bool {
        self.index >= self.chars.len()
    }

    fn syntax_error(&self, expected: &str, actual: impl Into<String>) -> ShorthandError {
        ShorthandError::Syntax {
            expected: expected.to_string(),
            actual: actual.into(),
        }
    }

    fn consume_whitespace(&mut self) {
        while self.current().is_some_and(is_ascii_space) {
            self.index += 1;
        }
    }

    fn expect(&mut self, wanted: char, consume_whitespace: bool) -> Result<(), ShorthandError> {
        if consume_whitespace {
            self.consume_whitespace();
        }
        match self.current() {
            None => return Err(self.syntax_error(&wanted.to_string(), "EOF")),
            Some(actual) if actual != wanted => {
                return Err(self.syntax_error(&wanted.to_string(), actual.to_string()))
            }
            Some(_) => self.index += 1,
        }
        if consume_whitespace {
            self.consume_whitespace();
        }
        Ok(())
    }

    /// `parameter = keyval *("," keyval)`
    fn parameter(&mut self) -> Result<Value, ShorthandError> {
        let mut params = Map::new();
        let (key, value) = self.keyval()?;
        params.insert(key, value);
        let mut last_index = self.index;
        while self.index < self.chars.len() {
            self.expect(',', true)?;
            let (key, value) = self.keyval()?;
            if params.contains_key(&key) {
                return Err(ShorthandError::DuplicateKey {
                    key,
                    input: self.input.to_string(),
                    index: last_index + 1,
                });
            }
            params.insert(key, value);
            last_index = self.index;
        }
        Ok(Value::Object(params))
    }

    /// `keyval = key "=" [values] / key "@=" [file-optional-values]`
    fn keyval(&mut self) -> Result<(String, Value), ShorthandError> {
        let key = self.key();
        self.at_sign_or_not();
        self.expect('=', true)?;
        let values = self.values()?;
        Ok((key, values))
    }

    /// The optional `@` of `key@=`, which turns on paramfile loading for the values that follow.
    fn at_sign_or_not(&mut self) {
        self.resolve_paramfiles = false;
        if self.expect('@', true).is_ok() {
            self.resolve_paramfiles = true;
        }
    }

    fn key(&mut self) -> String {
        let start = self.index;
        while let Some(c) = self.current() {
            if !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '#' | '/' | ':')) {
                break;
            }
            self.index += 1;
        }
        self.chars[start..self.index].iter().collect()
    }

    fn values(&mut self) -> Result<Value, ShorthandError> {
        match self.current() {
            None => Ok(Value::String(Default::default())),
            Some('[') => self.nested(Self::explicit_list),
            Some('{') => self.nested(Self::hash_literal),
            Some(_) => self.csv_value(),
        }
    }

    /// Parses one container one level deeper, failing as the reference does when that is too deep.
    fn nested(
        &mut self,
        container: fn(&mut Self) -> Result<Value, ShorthandError>,
    ) -> Result<Value, ShorthandError> {
        if self.depth + 1 >= MAX_CONTAINER_DEPTH {
            return Err(ShorthandError::Recursion { calling: false });
        }
        self.depth += 1;
        let result = container(self);
        self.depth -= 1;
        result
    }

    fn csv_value(&mut self) -> Result<Value, ShorthandError> {
        let first_value = self.first_value()?;
        self.consume_whitespace();
        if self.current() != Some(',') {
            return Ok(first_value);
        }
        self.expect(',', true)?;
        let mut csv_list = vec![first_value];
        loop {
            let attempt = self.second_value().and_then(|current| {
                self.consume_whitespace();
                if self.at_eof() {
                    return Ok((current, true));
                }
                self.expect(',', true)?;
                Ok((current, false))
            });
            match attempt {
                Ok((current, done)) => {
                    csv_list.push(current);
                    if done {
                        break;
                    }
                }
                Err(ShorthandError::Syntax { .. }) if !self.at_eof() => {
                    self.backtrack_to(',');
                    break;
                }
                Err(e) => return Err(e),
            }
        }
        if csv_list.len() == 1 {
            return Ok(csv_list.swap_remove(0));
        }
        Ok(Value::Array(csv_list))
    }

    fn backtrack_to(&mut self, wanted: char) {
        // A `,` was consumed before any backtracking, so one is always found.
        while self.index > 0 && self.chars.get(self.index) != Some(&wanted) {
            self.index -= 1;
        }
    }

    /// Length of the match of `(\\,|[START])(\\,|[FOLLOW])*` at the current index, if any.
    fn match_word(&self, follow: fn(char) -> bool) -> Option<usize> {
        let rest = &self.chars[self.index..];
        let step = |i: usize, class: fn(char) -> bool| -> Option<usize> {
            match rest.get(i) {
                Some('\\') if rest.get(i + 1) == Some(&',') => Some(2),
                Some(c) if class(*c) => Some(1),
                _ => None,
            }
        };
        let mut len = step(0, is_start_word)?;
        while let Some(n) = step(len, follow) {
            len += n;
        }
        Some(len)
    }

    fn take(&mut self, len: usize) -> String {
        let s: String = self.chars[self.index..self.index + len].iter().collect();
        self.index += len;
        s
    }

    fn unquoted(&mut self, len: usize) -> Result<Value, ShorthandError> {
        let consumed = self.take(len).replace("\\,", ",");
        self.maybe_resolve(rstrip_python(&consumed).to_string())
    }

    fn value(&mut self) -> Result<Value, ShorthandError> {
        match self.match_word(is_first_follow) {
            Some(len) => self.unquoted(len),
            None => Ok(Value::String(Default::default())),
        }
    }

    fn second_value(&mut self) -> Result<Value, ShorthandError> {
        match self.current() {
            Some('\'') => self.quoted('\''),
            Some('"') => self.quoted('"'),
            _ => match self.match_word(is_second_follow) {
                Some(len) => self.unquoted(len),
                None => Err(self.syntax_error("<second>", "<none>")),
            },
        }
    }

    fn first_value(&mut self) -> Result<Value, ShorthandError> {
        match self.current() {
            Some('\'') => self.quoted('\''),
            Some('"') => self.quoted('"'),
            _ => self.value(),
        }
    }

    /// `'(?:\\'|[^'])*'` (or with `"`), then unescaping `\'` and `\\`.
    fn quoted(&mut self, quote: char) -> Result<Value, ShorthandError> {
        let rest = &self.chars[self.index..];
        // Greedy pass over the body, remembering where the last `\'` pair sat; when the input ends
        // without a closing quote, the regex backtracks and closes on that pair's quote instead.
        let mut i = 1;
        let mut last_escape = None;
        let end = loop {
            match rest.get(i) {
                Some('\\') if rest.get(i + 1) == Some(&quote) => {
                    last_escape = Some(i + 1);
                    i += 2;
                }
                Some(c) if *c != quote => i += 1,
                Some(_) => break Some(i),
                None => break last_escape,
            }
        };
        let Some(end) = end else {
            let name = if quote == '\'' {
                "<singled quoted>"
            } else {
                "<double quoted>"
            };
            return Err(self.syntax_error(name, "<none>"));
        };
        let body: String = rest[1..end].iter().collect();
        self.index += end + 1;
        let unescaped = body
            .replace(&format!("\\{quote}"), &quote.to_string())
            .replace("\\\\", "\\");
        self.maybe_resolve(unescaped)
    }

    fn maybe_resolve(&self, text: String) -> Result<Value, ShorthandError> {
        if !self.resolve_paramfiles {
            return Ok(Value::String(text.into()));
        }
        match paramfile::get_paramfile(&text, false) {
            Ok(None) => Ok(Value::String(text.into())),
            Ok(Some(Loaded::Text(contents))) => Ok(Value::String(contents.into())),
            Ok(Some(Loaded::Bytes(_))) => Err(ShorthandError::NestedBinary),
            Err(e) => Err(ShorthandError::Paramfile(e)),
        }
    }

    /// `explicit-list = "[" [value *("," value)] "]"`
    fn explicit_list(&mut self) -> Result<Value, ShorthandError> {
        self.expect('[', true)?;
        let mut values = Vec::new();
        while self.current() != Some(']') {
            values.push(self.explicit_values()?);
            self.consume_whitespace();
            if self.current() != Some(']') {
                self.expect(',', false)?;
                self.consume_whitespace();
            }
        }
        self.expect(']', false)?;
        Ok(Value::Array(values))
    }

    fn explicit_values(&mut self) -> Result<Value, ShorthandError> {
        match self.current() {
            Some('[') => self.nested(Self::explicit_list),
            Some('{') => self.nested(Self::hash_literal),
            Some('\'' | '"') if self.depth >= MAX_QUOTED_DEPTH => {
                Err(self.scalar_too_deep(MAX_QUOTED_DEPTH))
            }
            _ if self.depth >= MAX_SCALAR_DEPTH => Err(self.scalar_too_deep(MAX_SCALAR_DEPTH)),
            _ => self.first_value(),
        }
    }

    /// Only at the first depth that fails, and only on the whole-value path, does the reference run
    /// out of stack inside a C call; deeper (or one frame off) it runs out in a Python frame.
    fn scalar_too_deep(&self, first_failing_depth: usize) -> ShorthandError {
        ShorthandError::Recursion {
            calling: self.caller == Caller::WholeValue && self.depth == first_failing_depth,
        }
    }

    fn hash_literal(&mut self) -> Result<Value, ShorthandError> {
        self.expect('{', true)?;
        let mut keyvals = Map::new();
        while self.current() != Some('}') {
            let key = self.key();
            self.at_sign_or_not();
            self.expect('=', true)?;
            let value = self.explicit_values()?;
            self.consume_whitespace();
            if self.current() != Some('}') {
                self.expect(',', false)?;
                self.consume_whitespace();
            }
            keyvals.insert(key, value);
        }
        self.expect('}', false)?;
        Ok(Value::Object(keyvals))
    }
}

/// `BackCompatVisitor().visit(parsed, model)`: converts scalars to the model's types in place.
/// At the top level a list shape does not wrap a non-list value (the reference wraps it into a
/// throw-away parent).
pub fn back_compat(value: &mut Value, shape: &'static Shape) -> Result<(), ShorthandError> {
    match shape.kind {
        Kind::List => visit_list_items(value, shape),
        _ => visit(value, shape),
    }
}

fn visit_list_items(value: &mut Value, shape: &'static Shape) -> Result<(), ShorthandError> {
    if let (Value::Array(items), Some(member)) = (value, shape.list_member()) {
        for item in items {
            visit(item, member)?;
        }
    }
    Ok(())
}

fn visit(value: &mut Value, shape: &'static Shape) -> Result<(), ShorthandError> {
    match shape.kind {
        Kind::Structure => {
            if let Value::Object(map) = value {
                for member in shape.members {
                    if let Some(v) = map.get_mut(member.name) {
                        visit(v, member.shape())?;
                    }
                }
            }
            Ok(())
        }
        Kind::List => {
            if !matches!(value, Value::Array(_)) {
                let single = std::mem::replace(value, Value::Null);
                *value = Value::Array(vec![single]);
                return Ok(());
            }
            visit_list_items(value, shape)
        }
        Kind::Map => {
            if let (Value::Object(map), Some(value_shape)) = (value, shape.map_value()) {
                for v in map.values_mut() {
                    visit(v, value_shape)?;
                }
            }
            Ok(())
        }
        Kind::Integer | Kind::Long => {
            let converted = match value {
                Value::String(s) => crate::python::number::parse_int(s).map_err(ShorthandError::Conversion)?,
                other => {
                    return Err(ShorthandError::Conversion(format!(
                        "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                        type_name(other)
                    )))
                }
            };
            *value = Value::Number(converted);
            Ok(())
        }
        Kind::Double | Kind::Float => {
            let converted = match value {
                Value::String(s) => {
                    crate::python::number::parse_float(s).map_err(ShorthandError::Conversion)?
                }
                other => {
                    return Err(ShorthandError::Conversion(format!(
                        "float() argument must be a string or a real number, not '{}'",
                        type_name(other)
                    )))
                }
            };
            *value = Value::Number(crate::python::value::Number::Float(converted));
            Ok(())
        }
        Kind::Boolean => {
            match value {
                Value::String(s) if s.to_lowercase() == "true" => *value = Value::Bool(true),
                Value::String(s) if s.to_lowercase() == "false" => *value = Value::Bool(false),
                Value::String(_) => {}
                other => {
                    return Err(ShorthandError::Conversion(format!(
                        "'{}' object has no attribute 'lower'",
                        type_name(other)
                    )))
                }
            }
            Ok(())
        }
        Kind::String | Kind::Timestamp | Kind::Blob => Ok(()),
    }
}
