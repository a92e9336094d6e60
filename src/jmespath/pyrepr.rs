//! How Python prints interpreter values: `str()`/`repr()` (error messages embed them) and `json.dumps`
//! (the `to_string` function, and [`super::to_python_json`] for tests and callers).
//!
//! `repr` of a str picks its quote like CPython (double quotes only when the text has a `'` and no
//! `"`) and escapes what `str.isprintable()` rejects; `json.dumps` escapes everything outside ASCII
//! printable as `\uXXXX` (`ensure_ascii=True`), writes NaN/Infinity bare, and keeps dict order.

use super::runtime::Val;
use crate::python::repr::push_repr_str;
use std::fmt::Write as _;

/// What `repr()` prints for an `_Expression` (CPython prints a memory address; this one is fixed).
pub(crate) const EXPREF_REPR: &str = "<jmespath.visitor._Expression object at 0x7f0000000000>";

/// Python's `str(x)`: a str prints bare, everything else as `repr(x)`.
pub(crate) fn python_str(value: &Val<'_>) -> String {
    match value {
        Val::String(s) => s.to_string(),
        other => python_repr(other),
    }
}

/// Python's `repr(x)`.
pub(crate) fn python_repr(value: &Val<'_>) -> String {
    let mut out = String::new();
    write_repr(&mut out, value);
    out
}

fn write_repr(out: &mut String, value: &Val<'_>) {
    match value {
        Val::Null => out.push_str("None"),
        Val::Bool(true) => out.push_str("True"),
        Val::Bool(false) => out.push_str("False"),
        Val::Number(n) => out.push_str(&n.python_repr()),
        Val::String(s) => push_repr_str(out, s),
        Val::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(out, item);
            }
            out.push(']');
        }
        Val::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_repr_str(out, key);
                out.push_str(": ");
                write_repr(out, item);
            }
            out.push('}');
        }
        Val::Expref(_) => out.push_str(EXPREF_REPR),
    }
}

/// The separators of `json.dumps`: item and key separators.
#[derive(Clone, Copy)]
pub(crate) struct Separators {
    pub(crate) item: &'static str,
    pub(crate) key: &'static str,
}

/// `json.dumps`' default separators: `(', ', ': ')`.
pub(crate) const DEFAULT_SEPARATORS: Separators = Separators {
    item: ", ",
    key: ": ",
};
/// The compact separators jmespath's `to_string` uses: `(',', ':')`.
pub(crate) const COMPACT_SEPARATORS: Separators = Separators {
    item: ",",
    key: ":",
};

/// Python's `json.dumps(value, separators=..., default=str)` with `ensure_ascii=True`.
pub(crate) fn json_dumps(value: &Val<'_>, separators: Separators) -> String {
    let mut out = String::new();
    write_json(&mut out, value, separators);
    out
}

fn write_json(out: &mut String, value: &Val<'_>, separators: Separators) {
    match value {
        Val::Null => out.push_str("null"),
        Val::Bool(true) => out.push_str("true"),
        Val::Bool(false) => out.push_str("false"),
        Val::Number(n) => out.push_str(&n.json_repr()),
        Val::String(s) => write_json_string(out, s),
        Val::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(separators.item);
                }
                write_json(out, item, separators);
            }
            out.push(']');
        }
        Val::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(separators.item);
                }
                write_json_string(out, key);
                out.push_str(separators.key);
                write_json(out, item, separators);
            }
            out.push('}');
        }
        // `default=str` turns the object into its str(), then encodes that string.
        Val::Expref(_) => write_json_string(out, EXPREF_REPR),
    }
}

/// A JSON string as Python's `json` writes it with `ensure_ascii=True`.
pub(crate) fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let v = c as u32 - 0x10000;
                let _ = write!(
                    out,
                    "\\u{:04x}\\u{:04x}",
                    0xd800 + (v >> 10),
                    0xdc00 + (v & 0x3ff)
                );
            }
        }
    }
    out.push('"');
}
