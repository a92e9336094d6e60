//! The "Shorthand Syntax" and "JSON Syntax" examples of a parameter, generated from its shape.
//!
//! Mirrors the reference's `ParamShorthandDocGen` (awscli/argprocess.py) and
//! `OperationDocumentEventHandler._json_example` (awscli/clidocs.py), including their recursion
//! guards (shape names on a stack) and the "too complex" cut-off of shorthand documentation.

use super::rest::RestDoc;
use crate::model::{Kind, Shape};

/// What the shorthand documentation generator decided for a parameter.
pub enum Shorthand {
    /// The reference documents nothing for this parameter (structures of a single `Value` string).
    DontDocument,
    /// The example text; empty when the shape is too deeply nested to document.
    Example(String),
}

struct TooComplex;

const MAX_STACK: usize = 3;

/// `ParamShorthandDocGen.generate_shorthand_example`.
pub fn shorthand_example(_cli_name: &str, shape: &'static Shape) -> Shorthand {
    if shape.kind == Kind::Structure
        && shape.members.len() == 1
        && shape.members[0].name == "Value"
        && shape.members[0].shape().kind == Kind::String
    {
        return Shorthand::DontDocument;
    }
    let mut stack = Vec::new();
    let result = match (shape.kind, shape.list_member()) {
        (Kind::List, Some(element)) => shorthand_docs(element, &mut stack).map(|s| s + " ..."),
        _ => shorthand_docs(shape, &mut stack),
    };
    Shorthand::Example(result.unwrap_or_default())
}

fn shorthand_docs(
    shape: &'static Shape,
    stack: &mut Vec<&'static str>,
) -> Result<String, TooComplex> {
    if stack.len() > MAX_STACK {
        return Err(TooComplex);
    }
    match shape.kind {
        Kind::Structure => {
            let mut parts = Vec::new();
            for member in shape.members {
                let member_shape = member.shape();
                if stack.contains(&member_shape.name) {
                    parts.push("( ... recursive ... )".to_string());
                    continue;
                }
                stack.push(member_shape.name);
                let value = shorthand_docs(member_shape, stack);
                stack.pop();
                parts.push(format!("{}={}", member.name, value?));
            }
            let inner = parts.join(",");
            Ok(if stack.is_empty() {
                inner
            } else {
                format!("{{{inner}}}")
            })
        }
        Kind::List => {
            let Some(element) = shape.list_member() else {
                return Ok(String::new());
            };
            stack.push(element.name);
            let docs = shorthand_docs(element, stack);
            stack.pop();
            let docs = docs?;
            if !element.kind.is_scalar() || stack.len() > 1 {
                Ok(format!("[{docs},{docs}]"))
            } else {
                Ok(format!("{docs},{docs}"))
            }
        }
        Kind::Map => {
            let (Some(key), Some(value)) = (shape.map_key(), shape.map_value()) else {
                return Ok(String::new());
            };
            stack.push(value.name);
            let docs = shorthand_docs(value, stack);
            stack.pop();
            let docs = docs?;
            let mut start = format!("KeyName1={docs},KeyName2={docs}");
            if !key.enum_values.is_empty() && stack.is_empty() {
                start.push_str("\n\nWhere valid key names are:\n");
                for value in key.enum_values {
                    start.push_str(&format!("  {value}\n"));
                }
            } else if !stack.is_empty() {
                start = format!("{{{start}}}");
            }
            Ok(start)
        }
        kind => Ok(kind.type_name().to_string()),
    }
}

/// `_json_example_value_name`: how a scalar appears in a JSON Syntax block.
pub fn json_value_name(shape: &Shape, include_enum_values: bool) -> String {
    match shape.kind {
        Kind::String if include_enum_values && !shape.enum_values.is_empty() => shape
            .enum_values
            .iter()
            .map(|v| format!("\"{v}\""))
            .collect::<Vec<_>>()
            .join("|"),
        Kind::String => "\"string\"".to_string(),
        Kind::Boolean => "true|false".to_string(),
        kind => kind.type_name().to_string(),
    }
}

/// `_json_example`: writes the JSON Syntax of `shape` into `doc`.
pub fn json_example(doc: &mut RestDoc, shape: &'static Shape, stack: &mut Vec<&'static str>) {
    if stack.iter().filter(|s| **s == shape.name).count() > 1 {
        if shape.kind == Kind::Structure {
            doc.write("{ ... recursive ... }");
        }
        return;
    }
    stack.push(shape.name);
    match shape.kind {
        Kind::List => {
            doc.write("[");
            if let Some(element) = shape.list_member() {
                if element.kind.is_scalar() {
                    doc.write(&format!("{}, ...", json_value_name(element, true)));
                } else {
                    doc.indent();
                    doc.new_line();
                    json_example(doc, element, stack);
                    doc.new_line();
                    doc.write("...");
                    doc.dedent();
                    doc.new_line();
                }
            }
            doc.write("]");
        }
        Kind::Map => {
            doc.write("{");
            doc.indent();
            if let (Some(key), Some(value)) = (shape.map_key(), shape.map_value()) {
                doc.write(&format!("{}: ", json_value_name(key, true)));
                if value.kind.is_scalar() {
                    doc.write(&json_value_name(value, true));
                } else {
                    doc.indent();
                    json_example(doc, value, stack);
                    doc.dedent();
                }
            }
            doc.new_line();
            doc.write("...");
            doc.dedent();
            doc.write("}");
        }
        Kind::Structure => {
            doc.write("{");
            doc.indent();
            doc.new_line();
            let count = shape.members.len();
            for (i, member) in shape.members.iter().enumerate() {
                let member_shape = member.shape();
                if member_shape.kind.is_scalar() {
                    doc.write(&format!(
                        "\"{}\": {}",
                        member.name,
                        json_value_name(member_shape, true)
                    ));
                } else {
                    doc.write(&format!("\"{}\": ", member.name));
                    json_example(doc, member_shape, stack);
                }
                if i + 1 < count {
                    doc.write(",");
                    doc.new_line();
                }
            }
            doc.dedent();
            doc.new_line();
            doc.write("}");
        }
        _ => {}
    }
    stack.pop();
}
