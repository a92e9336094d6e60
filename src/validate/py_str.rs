//! Python's `str()` and `type()` of a parameter value, as botocore's validation messages print them.
//!
//! `Invalid type for parameter X, value: {param}, type: {type(param)}` formats the offending value
//! with `str()`: a bare string prints as itself, containers print their items with `repr()`
//! (`{'a': [1, 2.5, None, True, "x'y"]}`). Objects decoded by the CLI from JSON given to an option
//! (`--tags '[...]'`) are `collections.OrderedDict`s, which print as `OrderedDict([('a', 1)])`; those
//! from `--cli-input-json` and shorthand are plain dicts. [`DictFlavor`] says which one a value is.
//! `repr(str)` escapes exactly the characters `str.isprintable()` rejects, read from a table generated
//! from CPython 3.11 (Unicode 14.0), so the escapes match byte for byte.

use crate::python::unicode::is_printable;
use crate::value::{Number, Value};
use std::fmt::Write as _;

/// Which Python class the JSON objects inside a value are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DictFlavor {
    /// `dict`: from `--cli-input-json`, shorthand syntax, or a response.
    Dict,
    /// `collections.OrderedDict`: from JSON given to an option (`json.loads(object_pairs_hook=OrderedDict)`).
    OrderedDict,
}

/// `str(value)`.
pub fn py_str(value: &Value, flavor: DictFlavor) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => {
            let mut out = String::new();
            write_repr(&mut out, other, flavor);
            out
        }
    }
}

/// `str(type(value))`: `<class 'int'>`.
pub fn py_type(value: &Value, flavor: DictFlavor) -> &'static str {
    match value {
        Value::Null => "<class 'NoneType'>",
        Value::Bool(_) => "<class 'bool'>",
        Value::Number(Number::Float(_)) => "<class 'float'>",
        Value::Number(_) => "<class 'int'>",
        Value::String(_) => "<class 'str'>",
        Value::Array(_) => "<class 'list'>",
        Value::Object(_) => match flavor {
            DictFlavor::Dict => "<class 'dict'>",
            DictFlavor::OrderedDict => "<class 'collections.OrderedDict'>",
        },
    }
}

/// The bare Python type name (`list`, `NoneType`), as `AttributeError` messages print it.
pub fn py_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(Number::Float(_)) => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

fn write_repr(out: &mut String, value: &Value, flavor: DictFlavor) {
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(n) => out.push_str(&n.python_repr()),
        Value::String(s) => write_str_repr(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(out, item, flavor);
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
                    write_str_repr(out, key);
                    out.push_str(": ");
                    write_repr(out, item, flavor);
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
                    write_str_repr(out, key);
                    out.push_str(", ");
                    write_repr(out, item, flavor);
                    out.push(')');
                }
                out.push_str("])");
            }
        },
    }
}

/// `repr(str)`: single quotes unless the text has a `'` and no `"`.
fn write_str_repr(out: &mut String, s: &str) {
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
                let cp = c as u32;
                let _ = if cp < 0x100 {
                    write!(out, "\\x{cp:02x}")
                } else if cp < 0x10000 {
                    write!(out, "\\u{cp:04x}")
                } else {
                    write!(out, "\\U{cp:08x}")
                };
            }
        }
    }
    out.push(quote);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Map;

    fn s(text: &str) -> Value {
        Value::String(text.into())
    }

    #[test]
    fn strings_repr_like_python() {
        // Expected strings are CPython 3.11's repr() of the same text.
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
            assert_eq!(
                py_str(&Value::Array(vec![s(text)]), DictFlavor::Dict),
                format!("[{expected}]")
            );
        }
    }

    #[test]
    fn containers_and_flavors() {
        let mut inner = Map::new();
        inner.insert("c".into(), Value::Object(Map::new()));
        let mut map = Map::new();
        map.insert("a".into(), Value::Number(Number::Int(1)));
        map.insert(
            "b".into(),
            Value::Array(vec![Value::Object(inner), Value::Null, Value::Bool(true)]),
        );
        let v = Value::Object(map);
        assert_eq!(
            py_str(&v, DictFlavor::Dict),
            "{'a': 1, 'b': [{'c': {}}, None, True]}"
        );
        assert_eq!(
            py_str(&v, DictFlavor::OrderedDict),
            "OrderedDict([('a', 1), ('b', [OrderedDict([('c', OrderedDict())]), None, True])])"
        );
        assert_eq!(
            py_type(&v, DictFlavor::OrderedDict),
            "<class 'collections.OrderedDict'>"
        );
        assert_eq!(py_str(&s("x'y"), DictFlavor::Dict), "x'y");
    }
}
