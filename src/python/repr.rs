//! Python's `repr()` and `str()` of a `str` and of a [`Value`], byte for byte.
//!
//! Error messages embed values with `str()`/`repr()` (`Invalid type for parameter X, value: {...}`,
//! `invalid literal for int() with base 10: '1x'`) and the text and table formatters print every cell
//! with `str()`. A bare string prints as itself under `str()`; under `repr()` it takes CPython's
//! quoting (single quotes unless the text has a `'` and no `"`) and escapes `\\`, `\n`, `\r`, `\t`,
//! the quote and whatever `str.isprintable()` rejects (`\xNN`, `\uNNNN`, `\UNNNNNNNN`). Containers
//! print their items with `repr()`: `{'a': [1, 2.5, None, True, "x'y"]}`. Objects the CLI decoded
//! from JSON given to an option are `collections.OrderedDict`s, which print as
//! `OrderedDict([('a', 1)])`; [`DictFlavor`] says which class a value's objects are. Undecodable
//! parameter files show up as `repr(bytes)`: `b'\xff'`.

use super::unicode::is_printable;
use crate::python::value::Value;
use std::fmt::Write as _;

/// Which Python class the JSON objects inside a value are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DictFlavor {
    /// `dict`: from `--cli-input-json`, shorthand syntax, or a response.
    Dict,
    /// `collections.OrderedDict`: from JSON given to an option (`json.loads(object_pairs_hook=OrderedDict)`).
    OrderedDict,
}

/// Python's `str(value)`: a string prints bare, everything else as its `repr()`.
pub fn str_of(value: &Value, flavor: DictFlavor) -> String {
    match value {
        Value::String(s) => s.to_string(),
        other => repr_of(other, flavor),
    }
}

/// [`str_of`] appended to `out`.
pub fn push_str_of(out: &mut String, value: &Value, flavor: DictFlavor) {
    match value {
        Value::String(s) => out.push_str(s),
        other => push_repr(out, other, flavor),
    }
}

/// Python's `repr(value)`.
pub fn repr_of(value: &Value, flavor: DictFlavor) -> String {
    let mut out = String::new();
    push_repr(&mut out, value, flavor);
    out
}

/// Python's `repr()` of a `str`.
pub fn repr_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_repr_str(&mut out, s);
    out
}

/// Python's `repr()` of a `bytes` object.
pub fn repr_bytes(bytes: &[u8]) -> String {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from("b");
    out.push(quote);
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b if b as char == quote => {
                out.push('\\');
                out.push(quote);
            }
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push(quote);
    out
}

fn push_repr(out: &mut String, value: &Value, flavor: DictFlavor) {
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(n) => out.push_str(&n.python_repr()),
        Value::String(s) => push_repr_str(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_repr(out, item, flavor);
            }
            out.push(']');
        }
        Value::Object(map) => match flavor {
            DictFlavor::Dict => {
                out.push('{');
                for (i, (key, item)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    push_repr_str(out, key);
                    out.push_str(": ");
                    push_repr(out, item, flavor);
                }
                out.push('}');
            }
            DictFlavor::OrderedDict if map.is_empty() => out.push_str("OrderedDict()"),
            DictFlavor::OrderedDict => {
                out.push_str("OrderedDict([");
                for (i, (key, item)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push('(');
                    push_repr_str(out, key);
                    out.push_str(", ");
                    push_repr(out, item, flavor);
                    out.push(')');
                }
                out.push_str("])");
            }
        },
    }
}

/// CPython's `unicode_repr`, appended to `out`.
pub fn push_repr_str(out: &mut String, s: &str) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c => {
                let code = u32::from(c);
                // Writing to a String cannot fail.
                let _ = if code < 0x100 {
                    write!(out, "\\x{code:02x}")
                } else if code < 0x10000 {
                    write!(out, "\\u{code:04x}")
                } else {
                    write!(out, "\\U{code:08x}")
                };
            }
        }
    }
    out.push(quote);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::value::{Map, Number};

    /// Expected strings are CPython 3.11's `repr()` of the same text.
    #[test]
    fn strings_repr_like_python() {
        let cases = [
            ("a'b", "\"a'b\""),
            ("a\"b", "'a\"b'"),
            ("a'b\"c", "'a\\'b\"c'"),
            ("back\\slash", "'back\\\\slash'"),
            ("\u{a0}", "'\\xa0'"),
            ("\u{2028}", "'\\u2028'"),
            ("\u{7f}", "'\\x7f'"),
            ("\u{1F600}", "'\u{1F600}'"),
            ("\u{E0001}", "'\\U000e0001'"),
            ("été", "'été'"),
        ];
        for (text, expected) in cases {
            assert_eq!(repr_str(text), expected);
        }
        assert_eq!(repr_bytes(b"a'\xff\n"), "b\"a'\\xff\\n\"");
    }

    /// Expected strings are CPython 3.11's `str()`/`repr()` of the same objects.
    #[test]
    fn containers_and_flavors() {
        let mut inner = Map::new();
        inner.insert("c", Value::Object(Map::new()));
        let mut map = Map::new();
        map.insert("a", Value::Number(Number::Int(1)));
        map.insert(
            "b",
            Value::Array(vec![Value::Object(inner), Value::Null, Value::Bool(true)]),
        );
        let v = Value::Object(map);
        assert_eq!(
            str_of(&v, DictFlavor::Dict),
            "{'a': 1, 'b': [{'c': {}}, None, True]}"
        );
        assert_eq!(
            str_of(&v, DictFlavor::OrderedDict),
            "OrderedDict([('a', 1), ('b', [OrderedDict([('c', OrderedDict())]), None, True])])"
        );
        assert_eq!(
            str_of(&Value::String("x'y".into()), DictFlavor::Dict),
            "x'y"
        );

        let mut m = Map::new();
        m.insert("it's", Value::Array(vec![Value::Bool(true), Value::Null]));
        m.insert(
            "b",
            Value::String("a\"b'\t\u{7f}\u{a0}\u{e9}\u{3000}\u{1f600}\u{e000}".into()),
        );
        m.insert("n", Value::Number(Number::Float(1e-7)));
        assert_eq!(
            repr_of(&Value::Object(m), DictFlavor::Dict),
            "{\"it's\": [True, None], 'b': 'a\"b\\'\\t\\x7f\\xa0é\\u3000😀\\ue000', 'n': 1e-07}"
        );
    }
}
