//! `--output text` (awscli/text.py), rule for rule.
//!
//! An object prints its scalar values on one tab-separated row, sorted by key, prefixed by the
//! upper-cased name it was found under; its lists and objects follow as their own rows. A list of
//! objects shares one column set: every key that holds a scalar in any element, sorted, with empty
//! cells where an element lacks one. A list of scalars prints one `NAME\tvalue` row per element when
//! it has a name, else all elements on one row. Cells are Python's `str()` (`True`, `None`,
//! `1569866438.48`). A bare scalar prints alone on its line. The reference writes as it goes, so a
//! failure part-way (a list mixing objects and strings) keeps the rows already written.

use super::cell::{is_scalar, py_str};
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
    scalar_keys: Option<&[String]>,
) -> Result<(), FormatError> {
    match item {
        Value::Object(map) => write_dict(out, map, identifier, scalar_keys),
        Value::Array(items) => write_list(out, items, identifier),
        scalar => {
            out.push_str(&py_str(scalar));
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

fn write_scalar_list(out: &mut String, elements: &[&Value], identifier: Option<&str>) {
    match identifier {
        Some(name) => {
            let name = name.to_uppercase();
            for element in elements {
                out.push_str(&name);
                out.push('\t');
                out.push_str(&py_str(element));
                out.push('\n');
            }
        }
        None => {
            let cells: Vec<String> = elements.iter().map(|el| py_str(el)).collect();
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
    }
}

fn write_dict(
    out: &mut String,
    map: &Map,
    identifier: Option<&str>,
    scalar_keys: Option<&[String]>,
) -> Result<(), FormatError> {
    let (mut scalars, non_scalars) = partition_dict(map, scalar_keys);
    if !scalars.is_empty() {
        if let Some(name) = identifier {
            scalars.insert(0, name.to_uppercase());
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (name, value) in non_scalars {
        write_item(out, value, Some(name), None)?;
    }
    Ok(())
}

/// `_all_scalar_keys`: calls `.items()` on every element, which fails for anything but a dict.
fn all_scalar_keys(items: &[Value]) -> Result<Vec<String>, FormatError> {
    let mut keys: Vec<String> = Vec::new();
    for item in items {
        let Value::Object(map) = item else {
            return Err(FormatError::NoAttribute {
                type_name: type_name(item),
                attribute: "items",
            });
        };
        for (key, value) in map {
            if is_scalar(value) && !keys.contains(key) {
                keys.push(key.clone());
            }
        }
    }
    keys.sort();
    Ok(keys)
}

/// `_partition_dict`: the row of scalar cells and the (name, value) pairs printed after it.
fn partition_dict<'a>(
    map: &'a Map,
    scalar_keys: Option<&[String]>,
) -> (Vec<String>, Vec<(&'a str, &'a Value)>) {
    let mut scalars = Vec::new();
    let mut non_scalars = Vec::new();
    match scalar_keys {
        None => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            for (key, value) in entries {
                if is_scalar(value) {
                    scalars.push(py_str(value));
                } else {
                    non_scalars.push((key.as_str(), value));
                }
            }
        }
        Some(keys) => {
            for key in keys {
                scalars.push(map.get(key).map(py_str).unwrap_or_default());
            }
            let mut remaining: Vec<&String> = map.keys().filter(|k| !keys.contains(k)).collect();
            remaining.sort();
            for key in remaining {
                if let Some(value) = map.get(key) {
                    non_scalars.push((key.as_str(), value));
                }
            }
        }
    }
    (scalars, non_scalars)
}
