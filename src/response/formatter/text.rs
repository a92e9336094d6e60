//! `--output text` (awscli/text.py), rule for rule.
//!
//! An object prints its scalar values on one tab-separated row, sorted by key, prefixed by the
//! upper-cased name it was found under; its lists and objects follow as their own rows. A list of
//! objects shares one column set: every key that holds a scalar in any element, sorted, with empty
//! cells where an element lacks one. A list of scalars prints one `NAME\tvalue` row per element when
//! it has a name, else all elements on one row. Cells are Python's `str()` (`True`, `None`,
//! `1569866438.48`). A bare scalar prints alone on its line. The reference writes as it goes, so a
//! failure part-way (a list mixing objects and strings) keeps the rows already written.

use super::cell::{is_scalar, push_py_str};
use super::{FormatError, FormatFailure};
use crate::python::types::type_name;
use crate::python::value::{Map, Value};

/// The stdout bytes of the text formatter.
pub fn format_text(value: &Value) -> Result<String, FormatFailure> {
    let mut out = String::new();
    match write_item(&mut out, value, None, None) {
        Ok(()) => Ok(out),
        Err(error) => Err(FormatFailure {
            stdout: out,
            error,
            colored_stderr: false,
        }),
    }
}

fn write_item(
    out: &mut String,
    item: &Value,
    identifier: Option<&str>,
    scalar_keys: Option<&[&str]>,
) -> Result<(), FormatError> {
    match item {
        Value::Object(map) => write_dict(out, map, identifier, scalar_keys),
        Value::Array(items) => write_list(out, items, identifier),
        scalar => {
            push_py_str(out, scalar);
            out.push('\n');
            Ok(())
        }
    }
}

fn write_list(
    out: &mut String,
    items: &[Value],
    identifier: Option<&str>,
) -> Result<(), FormatError> {
    if items.is_empty() {
        return Ok(());
    }
    if items.iter().any(|el| matches!(el, Value::Object(_))) {
        let all_keys = all_scalar_keys(items)?;
        for element in items {
            write_item(out, element, identifier, Some(&all_keys))?;
        }
    } else if items.iter().any(|el| matches!(el, Value::Array(_))) {
        let (scalars, non_scalars): (Vec<&Value>, Vec<&Value>) =
            items.iter().partition(|el| is_scalar(el));
        if !scalars.is_empty() {
            write_scalar_list(out, &scalars, identifier);
        }
        for non_scalar in non_scalars {
            write_item(out, non_scalar, identifier, None)?;
        }
    } else {
        let all: Vec<&Value> = items.iter().collect();
        write_scalar_list(out, &all, identifier);
    }
    Ok(())
}

/// `name.upper()` appended to `out` (`str::to_uppercase` maps character by character too).
fn push_upper(out: &mut String, name: &str) {
    if name.is_ascii() {
        out.extend(name.bytes().map(|b| char::from(b.to_ascii_uppercase())));
    } else {
        out.extend(name.chars().flat_map(char::to_uppercase));
    }
}

fn write_scalar_list(out: &mut String, elements: &[&Value], identifier: Option<&str>) {
    match identifier {
        Some(name) => {
            for element in elements {
                push_upper(out, name);
                out.push('\t');
                push_py_str(out, element);
                out.push('\n');
            }
        }
        None => {
            for (i, element) in elements.iter().enumerate() {
                if i > 0 {
                    out.push('\t');
                }
                push_py_str(out, element);
            }
            out.push('\n');
        }
    }
}

/// `_format_dict`: the row of scalar cells (after the upper-cased identifier), then each list or
/// object member under its own name, in key order.
fn write_dict(
    out: &mut String,
    map: &Map,
    identifier: Option<&str>,
    scalar_keys: Option<&[&str]>,
) -> Result<(), FormatError> {
    let mut non_scalars: Vec<(&str, &Value)> = Vec::new();
    match scalar_keys {
        None => {
            let mut entries: Vec<(&str, &Value)> =
                map.iter().map(|(k, v)| (k.as_str(), v)).collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let mut cells = entries.iter().filter(|(_, v)| is_scalar(v)).peekable();
            if cells.peek().is_some() {
                if let Some(name) = identifier {
                    push_upper(out, name);
                    out.push('\t');
                }
                for (i, (_, value)) in cells.enumerate() {
                    if i > 0 {
                        out.push('\t');
                    }
                    push_py_str(out, value);
                }
                out.push('\n');
            }
            non_scalars.extend(entries.into_iter().filter(|(_, v)| !is_scalar(v)));
        }
        Some(keys) => {
            if !keys.is_empty() {
                if let Some(name) = identifier {
                    push_upper(out, name);
                    out.push('\t');
                }
                for (i, key) in keys.iter().enumerate() {
                    if i > 0 {
                        out.push('\t');
                    }
                    if let Some(value) = map.get(key) {
                        push_py_str(out, value);
                    }
                }
                out.push('\n');
            }
            non_scalars.extend(
                map.iter()
                    .filter(|(k, _)| !keys.contains(&k.as_str()))
                    .map(|(k, v)| (k.as_str(), v)),
            );
            non_scalars.sort_unstable_by(|a, b| a.0.cmp(b.0));
        }
    }
    for (name, value) in non_scalars {
        write_item(out, value, Some(name), None)?;
    }
    Ok(())
}

/// `_all_scalar_keys`: calls `.items()` on every element, which fails for anything but a dict.
fn all_scalar_keys(items: &[Value]) -> Result<Vec<&str>, FormatError> {
    let mut keys: Vec<&str> = Vec::new();
    for item in items {
        let Value::Object(map) = item else {
            return Err(FormatError::NoAttribute {
                type_name: type_name(item),
                attribute: "items",
            });
        };
        for (key, value) in map {
            if is_scalar(value) && !keys.contains(&key.as_str()) {
                keys.push(key);
            }
        }
    }
    keys.sort_unstable();
    Ok(keys)
}
