//! The tree walker, a transcription of jmespath's `TreeInterpreter`.
//!
//! Semantics are Python's, not the spec's where they differ: a subexpression keeps evaluating on null
//! (`missing.to_string(@)` is `"null"`), `0 == false` is false only at the top of a comparison (`[0] ==
//! [false]` is true, as Python's list equality says), ordering comparisons between a number and a
//! string raise Python's TypeError, and a zero slice step raises ValueError.

use super::arithmetic;
use super::ast::{Comparator, Node};
use super::error::{JmespathError, PythonExceptionKind};
use super::functions;
use super::runtime::{python_equals, Val, ValMap};
use crate::python::value::{Number, Value};
use std::cell::Cell;
use std::cmp::Ordering;
use std::rc::Rc;

pub(crate) type Evaluated<'a> = Result<Val<'a>, JmespathError>;

/// Python's recursion limit minus the frames on the reference CLI's stack when its JSON (or table)
/// formatter calls `search`; the interpreter counts the Python frames its calls stand for and fails
/// like RecursionError past this budget. Calibrated against the reference: 486 nested `!` evaluate,
/// 487 do not, with every output format; only the message differs (`--output text` prints it without
/// " while calling a Python object"). Other nesting shapes and data may hit Python's limit a few
/// levels earlier or later, since CPython also counts some C-level calls.
const PYTHON_FRAME_BUDGET: usize = 1000 - 25;

thread_local! {
    static PYTHON_FRAMES: Cell<usize> = const { Cell::new(0) };
}

/// Starts a search with an empty (modelled) Python stack.
pub(crate) fn reset_frames() {
    PYTHON_FRAMES.with(|frames| frames.set(0));
}

/// Runs `body` inside `count` more modelled Python frames.
pub(crate) fn framed<'a>(count: usize, body: impl FnOnce() -> Evaluated<'a>) -> Evaluated<'a> {
    let depth = PYTHON_FRAMES.with(|frames| frames.get()) + count;
    if depth > PYTHON_FRAME_BUDGET {
        return Err(JmespathError::Python {
            kind: PythonExceptionKind::RecursionError,
            message: "maximum recursion depth exceeded while calling a Python object".into(),
        });
    }
    PYTHON_FRAMES.with(|frames| frames.set(depth));
    let result = body();
    PYTHON_FRAMES.with(|frames| frames.set(depth - count));
    result
}

/// Evaluates `node` against `value` (`TreeInterpreter.visit` plus its `visit_*` method: two frames).
pub(crate) fn visit<'a>(node: &'a Node, value: &Val<'a>) -> Evaluated<'a> {
    framed(2, || visit_node(node, value))
}

fn visit_node<'a>(node: &'a Node, value: &Val<'a>) -> Evaluated<'a> {
    match node {
        Node::Identity | Node::Current => Ok(value.clone()),
        Node::Field(name) => Ok(match value {
            Val::Object(map) => map.get(name.as_str()).cloned().unwrap_or(Val::Null),
            Val::Doc(Value::Object(map)) => map.get(name.as_str()).map_or(Val::Null, Val::of),
            _ => Val::Null,
        }),
        Node::Subexpression(children) | Node::IndexExpression(children) => {
            let mut result = value.clone();
            for child in children {
                result = visit(child, &result)?;
            }
            Ok(result)
        }
        Node::Pipe(left, right) => {
            let left = visit(left, value)?;
            visit(right, &left)
        }
        Node::Index(index) => {
            let Some(len) = list_len(value) else {
                return Ok(Val::Null);
            };
            let len = len as i128;
            let at = if *index < 0 {
                i128::from(*index) + len
            } else {
                i128::from(*index)
            };
            Ok(if (0..len).contains(&at) {
                list_item(value, at as usize)
            } else {
                Val::Null
            })
        }
        Node::Slice(start, stop, step) => match list_len(value) {
            Some(len) => {
                let picked = slice_indices(len, *start, *stop, *step)?;
                Ok(Val::array(
                    picked.into_iter().map(|i| list_item(value, i)).collect(),
                ))
            }
            None => Ok(Val::Null),
        },
        Node::Literal(literal) => Ok(literal.0.clone()),
        Node::Comparator(comparator, left, right) => {
            let left = visit(left, value)?;
            let right = visit(right, value)?;
            compare(*comparator, &left, &right)
        }
        Node::Expref(child) => Ok(Val::Expref(Rc::new(child))),
        Node::Function(name, args) => {
            let mut resolved = Vec::with_capacity(args.len());
            for arg in args {
                resolved.push(visit(arg, value)?);
            }
            functions::call(name, resolved)
        }
        Node::FilterProjection(left, right, condition) => {
            let base = visit(left, value)?;
            let Some(items) = list_items(&base) else {
                return Ok(Val::Null);
            };
            let mut collected = Vec::new();
            for item in items {
                if !visit(condition, &item)?.is_false() {
                    let current = visit(right, &item)?;
                    if !matches!(current, Val::Null) {
                        collected.push(current);
                    }
                }
            }
            Ok(Val::array(collected))
        }
        Node::Flatten(child) => {
            let base = visit(child, value)?;
            let Some(items) = list_items(&base) else {
                return Ok(Val::Null);
            };
            let mut merged = Vec::new();
            for item in items {
                if list_len(&item).is_some() {
                    merged.extend(list_items(&item).into_iter().flatten());
                } else {
                    merged.push(item);
                }
            }
            Ok(Val::array(merged))
        }
        Node::MultiSelectDict(pairs) => {
            if matches!(value, Val::Null) {
                return Ok(Val::Null);
            }
            let mut collected = ValMap::with_capacity(pairs.len());
            for (key, child) in pairs {
                let item = visit(child, value)?;
                collected.insert(key.clone(), item);
            }
            Ok(Val::Object(Rc::new(collected)))
        }
        Node::MultiSelectList(children) => {
            if matches!(value, Val::Null) {
                return Ok(Val::Null);
            }
            let mut collected = Vec::with_capacity(children.len());
            for child in children {
                collected.push(visit(child, value)?);
            }
            Ok(Val::array(collected))
        }
        Node::Or(left, right) => {
            let matched = visit(left, value)?;
            if matched.is_false() {
                visit(right, value)
            } else {
                Ok(matched)
            }
        }
        Node::And(left, right) => {
            let matched = visit(left, value)?;
            if matched.is_false() {
                Ok(matched)
            } else {
                visit(right, value)
            }
        }
        Node::Not(child) => {
            // Python: `False` for any number (0 is special-cased, others are truthy), else `not x`.
            Ok(Val::Bool(visit(child, value)?.is_false()))
        }
        Node::Projection(left, right) => {
            let base = visit(left, value)?;
            let Some(items) = list_items(&base) else {
                return Ok(Val::Null);
            };
            project(items, right)
        }
        Node::ValueProjection(left, right) => {
            let base = visit(left, value)?;
            match &base {
                Val::Object(map) => project(map.values().cloned(), right),
                Val::Doc(Value::Object(map)) => project(map.values().map(Val::of), right),
                _ => Ok(Val::Null),
            }
        }
    }
}

/// The length of a list, converted or in the document; `None` for anything else.
fn list_len(value: &Val<'_>) -> Option<usize> {
    match value {
        Val::Array(items) => Some(items.len()),
        Val::Doc(Value::Array(items)) => Some(items.len()),
        _ => None,
    }
}

/// Element `i` (< [`list_len`]) of a list.
fn list_item<'a>(value: &Val<'a>, i: usize) -> Val<'a> {
    match value {
        Val::Array(items) => items[i].clone(),
        Val::Doc(Value::Array(items)) => Val::of(&items[i]),
        _ => Val::Null,
    }
}

/// The elements of a list, converted or read in place from the document; `None` for anything else.
fn list_items<'v, 'a>(value: &'v Val<'a>) -> Option<Box<dyn Iterator<Item = Val<'a>> + 'v>> {
    match value {
        Val::Array(items) => Some(Box::new(items.iter().cloned())),
        Val::Doc(Value::Array(items)) => Some(Box::new(items.iter().map(Val::of))),
        _ => None,
    }
}

fn project<'a>(items: impl Iterator<Item = Val<'a>>, right: &'a Node) -> Evaluated<'a> {
    let mut collected = Vec::new();
    for item in items {
        let current = visit(right, &item)?;
        if !matches!(current, Val::Null) {
            collected.push(current);
        }
    }
    Ok(Val::array(collected))
}

/// The positions Python's `list[start:stop:step]` takes from a list of `len` elements.
fn slice_indices(
    len: usize,
    start: Option<i64>,
    stop: Option<i64>,
    step: Option<i64>,
) -> Result<Vec<usize>, JmespathError> {
    let step = i128::from(step.unwrap_or(1));
    if step == 0 {
        return Err(JmespathError::value_error("slice step cannot be zero"));
    }
    let len = len as i128;
    let adjust = |bound: Option<i64>, default: i128| -> i128 {
        match bound {
            None => default,
            Some(b) => {
                let b = i128::from(b);
                if b < 0 {
                    let shifted = b + len;
                    if shifted < 0 {
                        if step < 0 {
                            -1
                        } else {
                            0
                        }
                    } else {
                        shifted
                    }
                } else if b >= len {
                    if step < 0 {
                        len - 1
                    } else {
                        len
                    }
                } else {
                    b
                }
            }
        }
    };
    let (start, stop) = if step > 0 {
        (adjust(start, 0), adjust(stop, len))
    } else {
        (adjust(start, len - 1), adjust(stop, -1))
    };
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        out.push(i as usize);
        i += step;
    }
    Ok(out)
}

/// jmespath's `_equals`: Python `==`, except that 0 and 1 never equal a boolean at the top level.
pub(crate) fn jmespath_equals(x: &Val<'_>, y: &Val<'_>) -> bool {
    let is_zero_or_one = |n: &Number| {
        arithmetic::equals(n, &Number::Int(0)) || arithmetic::equals(n, &Number::Int(1))
    };
    let special = match (x, y) {
        (Val::Number(n), _) if is_zero_or_one(n) => matches!(y, Val::Bool(_)),
        (_, Val::Number(n)) if is_zero_or_one(n) => matches!(x, Val::Bool(_)),
        _ => false,
    };
    !special && python_equals(x, y)
}

/// Python's `<`/`<=`/`>`/`>=` between two numbers or two strings.
pub(crate) fn python_order(
    comparator: Comparator,
    left: &Val<'_>,
    right: &Val<'_>,
) -> Result<bool, JmespathError> {
    let ordering = match (left, right) {
        (Val::Number(a), Val::Number(b)) => arithmetic::compare(a, b),
        (Val::String(a), Val::String(b)) => Some(a.cmp(b)),
        _ => {
            return Err(JmespathError::type_error(format!(
                "'{}' not supported between instances of '{}' and '{}'",
                comparator.symbol(),
                left.python_type_name(),
                right.python_type_name()
            )))
        }
    };
    Ok(match ordering {
        None => false,
        Some(o) => match comparator {
            Comparator::Lt => o == Ordering::Less,
            Comparator::Lte => o != Ordering::Greater,
            Comparator::Gt => o == Ordering::Greater,
            Comparator::Gte => o != Ordering::Less,
            Comparator::Eq => o == Ordering::Equal,
            Comparator::Ne => o != Ordering::Equal,
        },
    })
}

fn compare<'a>(comparator: Comparator, left: &Val<'a>, right: &Val<'a>) -> Evaluated<'a> {
    match comparator {
        Comparator::Eq => Ok(Val::Bool(jmespath_equals(left, right))),
        Comparator::Ne => Ok(Val::Bool(!jmespath_equals(left, right))),
        _ => {
            let comparable = |v: &Val<'_>| matches!(v, Val::Number(_) | Val::String(_));
            if !(comparable(left) && comparable(right)) {
                return Ok(Val::Null);
            }
            python_order(comparator, left, right).map(Val::Bool)
        }
    }
}
