//! Python's `json.dumps` over [`Value`], byte for byte.
//!
//! The reference prints JSON through `json.dump(..., indent=4, ensure_ascii=False)` (the `json` output)
//! and JMESPath's `to_string` uses `json.dumps(..., separators=(',', ':'))`, so every option those calls
//! use is reproduced here: `indent` (newline plus `indent * depth` spaces, even for `indent=0`; `[]` and
//! `{}` stay on one line when empty), `separators` (Python's defaults: `(', ', ': ')` without an indent,
//! `(',', ': ')` with one), `ensure_ascii` (`\uXXXX` in lower-case hex, astral characters as surrogate
//! pairs), `sort_keys` (code-point order) and Python's string escapes (`\"`, `\\`, `\n`, `\r`, `\t`,
//! `\b`, `\f`, other control characters as `\u00XX`; DEL and everything above stay literal unless
//! `ensure_ascii`). Numbers print with [`Number::json_repr`] (`1e-07`, `NaN`, `Infinity`). `serde_json`
//! cannot be used: it prints floats differently (`1e-7`), has no `ensure_ascii` and escapes differently.

use crate::python::json_decode::plain_run;
use crate::python::value::{Number, Str, Value};
use std::io::{self, Write};

/// The keyword arguments of `json.dumps` the CLI uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DumpOptions {
    /// `indent=`: `None` keeps everything on one line.
    pub indent: Option<usize>,
    /// `ensure_ascii=` (Python's default is `True`).
    pub ensure_ascii: bool,
    /// `separators=(item, key)`; `None` picks Python's default for the `indent` in use.
    pub separators: Option<(&'static str, &'static str)>,
    /// `sort_keys=`.
    pub sort_keys: bool,
}

impl DumpOptions {
    /// `json.dumps(v)` with every keyword left at Python's default.
    pub fn python_default() -> DumpOptions {
        DumpOptions {
            indent: None,
            ensure_ascii: true,
            separators: None,
            sort_keys: false,
        }
    }

    /// What the CLI's `--output json` uses: `indent=4, ensure_ascii=False`.
    pub fn cli_output() -> DumpOptions {
        DumpOptions {
            indent: Some(4),
            ensure_ascii: false,
            separators: None,
            sort_keys: false,
        }
    }
}

/// `json.dumps(v, **opts)`.
pub fn dumps(v: &Value, opts: &DumpOptions) -> String {
    let mut encoder = Encoder::new(opts, None);
    encoder.value(v, 0);
    encoder.out
}

/// `json.dump(v, stream, **opts)`: the text goes to `sink` in chunks as it is produced, so a large
/// document is never held twice. Returns the first write error (writing stops there).
pub fn dump_to(v: &Value, opts: &DumpOptions, sink: &mut dyn Write) -> io::Result<()> {
    let mut encoder = Encoder::new(opts, Some(sink));
    encoder.value(v, 0);
    encoder.flush();
    match encoder.error {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// [`dumps`] of a value that sits `depth` levels deep in a larger document (its lines indented as
/// there), appended to `out`.
pub fn dump_nested(out: &mut String, v: &Value, opts: &DumpOptions, depth: usize) {
    let mut encoder = Encoder::new(opts, None);
    encoder.out = std::mem::take(out);
    encoder.value(v, depth);
    *out = encoder.out;
}

/// [`encode_string`] appended to `out`.
pub fn push_encoded_string(out: &mut String, s: &str, ensure_ascii: bool) {
    push_string(out, s, ensure_ascii);
}

/// Python's `json.encoder.py_encode_basestring` (or `_ascii` when `ensure_ascii`), quotes included.
pub fn encode_string(s: &str, ensure_ascii: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_string(&mut out, s, ensure_ascii);
    out
}

/// How much text [`dump_to`] gathers before it writes.
const CHUNK: usize = 64 * 1024;

struct Encoder<'a> {
    opts: &'a DumpOptions,
    item_separator: &'a str,
    key_separator: &'a str,
    out: String,
    sink: Option<&'a mut dyn Write>,
    error: Option<io::Error>,
}

impl<'a> Encoder<'a> {
    fn new(opts: &'a DumpOptions, sink: Option<&'a mut dyn Write>) -> Encoder<'a> {
        let (item_separator, key_separator) = opts.separators.unwrap_or(match opts.indent {
            Some(_) => (",", ": "),
            None => (", ", ": "),
        });
        Encoder {
            opts,
            item_separator,
            key_separator,
            out: String::new(),
            sink,
            error: None,
        }
    }

    /// Hands the text so far to the sink, if there is one.
    fn flush(&mut self) {
        if let Some(sink) = &mut self.sink {
            if self.error.is_none() {
                if let Err(error) = sink.write_all(self.out.as_bytes()) {
                    self.error = Some(error);
                }
            }
            self.out.clear();
        }
    }

    fn value(&mut self, v: &Value, depth: usize) {
        match v {
            Value::Null => self.out.push_str("null"),
            Value::Bool(true) => self.out.push_str("true"),
            Value::Bool(false) => self.out.push_str("false"),
            Value::Number(n) => self.number(n),
            Value::String(s) => push_string(&mut self.out, s, self.opts.ensure_ascii),
            Value::Array(items) => {
                if items.is_empty() {
                    self.out.push_str("[]");
                    return;
                }
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(self.item_separator);
                    }
                    self.newline(depth + 1);
                    self.value(item, depth + 1);
                    if self.out.len() >= CHUNK {
                        self.flush();
                    }
                }
                self.newline(depth);
                self.out.push(']');
            }
            Value::Object(map) => {
                if map.is_empty() {
                    self.out.push_str("{}");
                    return;
                }
                self.out.push('{');
                if self.opts.sort_keys {
                    let mut entries: Vec<(&Str, &Value)> = map.iter().collect();
                    // Rust orders `str` by UTF-8 bytes, which is the same as Python's code-point order.
                    entries.sort_by(|a, b| a.0.cmp(b.0));
                    for (i, (key, item)) in entries.into_iter().enumerate() {
                        self.member(i, key, item, depth);
                    }
                } else {
                    for (i, (key, item)) in map.iter().enumerate() {
                        self.member(i, key, item, depth);
                    }
                }
                self.newline(depth);
                self.out.push('}');
            }
        }
    }

    fn member(&mut self, i: usize, key: &str, item: &Value, depth: usize) {
        if i > 0 {
            self.out.push_str(self.item_separator);
        }
        self.newline(depth + 1);
        push_string(&mut self.out, key, self.opts.ensure_ascii);
        self.out.push_str(self.key_separator);
        self.value(item, depth + 1);
    }

    fn number(&mut self, n: &Number) {
        n.push_json_repr(&mut self.out);
    }

    fn newline(&mut self, depth: usize) {
        if let Some(indent) = self.opts.indent {
            const SPACES: &str = "                                                                ";
            self.out.push('\n');
            let mut width = indent * depth;
            while width > 0 {
                let run = width.min(SPACES.len());
                self.out.push_str(&SPACES[..run]);
                width -= run;
            }
        }
    }
}

fn push_string(out: &mut String, s: &str, ensure_ascii: bool) {
    out.reserve(s.len() + 2);
    out.push('"');
    // The text up to the first character that needs an escape is copied as it is.
    let clean = plain_run(s.as_bytes(), ensure_ascii);
    out.push_str(&s[..clean]);
    if clean == s.len() {
        out.push('"');
        return;
    }
    for c in s[clean..].chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => push_u_escape(out, c as u32),
            c if ensure_ascii && (c as u32) > 0x7e => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    push_u_escape(out, u32::from(*unit));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn push_u_escape(out: &mut String, unit: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(char::from(HEX[((unit >> shift) & 0xf) as usize]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::value::Map;

    fn obj(pairs: &[(&str, Value)]) -> Value {
        let mut m = Map::new();
        for (k, v) in pairs {
            m.insert((*k).to_string(), v.clone());
        }
        Value::Object(m)
    }

    /// Expected strings are what CPython 3.11's `json.dumps` prints for the same arguments.
    #[test]
    fn matches_python_json_dumps() {
        let v = obj(&[
            (
                "b",
                Value::Array(vec![
                    Value::Number(Number::Int(1)),
                    Value::Null,
                    Value::Array(vec![]),
                ]),
            ),
            ("a", Value::String("é\u{1f600}\"\\\n\u{1f}\u{7f}".into())),
            ("c", Value::Object(Map::new())),
        ]);
        assert_eq!(
            dumps(&v, &DumpOptions::python_default()),
            r#"{"b": [1, null, []], "a": "\u00e9\ud83d\ude00\"\\\n\u001f\u007f", "c": {}}"#
        );
        let sorted = DumpOptions {
            sort_keys: true,
            separators: Some((",", ":")),
            ..DumpOptions::python_default()
        };
        assert_eq!(
            dumps(&v, &sorted),
            r#"{"a":"\u00e9\ud83d\ude00\"\\\n\u001f\u007f","b":[1,null,[]],"c":{}}"#
        );
        assert_eq!(
            dumps(&v, &DumpOptions::cli_output()),
            "{\n    \"b\": [\n        1,\n        null,\n        []\n    ],\n    \"a\": \"é\u{1f600}\\\"\\\\\\n\\u001f\u{7f}\",\n    \"c\": {}\n}"
        );
        let zero = DumpOptions {
            indent: Some(0),
            ..DumpOptions::python_default()
        };
        assert_eq!(
            dumps(&Value::Array(vec![Value::Bool(true)]), &zero),
            "[\ntrue\n]"
        );
    }
}
