//! The values the interpreter works on: Python objects as jmespath sees them.
//!
//! Python shares objects by reference and lets an expression reference (`&foo`, an `_Expression`
//! object) travel anywhere a value can: into lists, through `to_array`, into `type()`. `Val` mirrors
//! that: containers are reference counted so projections share instead of copy, and `Expref` is a value
//! with identity. The input document is read in place: its lists and objects stay [`Val::Doc`]
//! references, which field access, indexing, slicing and projections walk without converting (a query
//! over a listing of thousands of items copies only what it selects); comparisons and functions get
//! converted values ([`Val::materialized`]). The result converts back to a [`Value`] at the end.

use super::arithmetic;
use super::ast::Node;
use crate::python::value::{Map, Number, Value};
use indexmap::IndexMap;
use std::rc::Rc;

/// An object of the interpreter (a dict keeps insertion order).
pub(crate) type ValMap<'a> = IndexMap<String, Val<'a>>;

/// A Python object as jmespath's interpreter sees it.
#[derive(Debug, Clone)]
pub(crate) enum Val<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Rc<str>),
    Array(Rc<Vec<Val<'a>>>),
    Object(Rc<ValMap<'a>>),
    /// An `_Expression` object: compares equal only to itself, so it needs an identity of its own
    /// (the allocation), not just the node it evaluates.
    #[allow(clippy::redundant_allocation)]
    Expref(Rc<&'a Node>),
    /// A list or an object of the input document, read in place (never a scalar: see [`Val::of`]).
    Doc(&'a Value),
}

impl<'a> Val<'a> {
    /// A value of the input document as the interpreter holds it: scalars converted, lists and objects
    /// borrowed.
    pub(crate) fn of(value: &'a Value) -> Val<'a> {
        match value {
            Value::Array(_) | Value::Object(_) => Val::Doc(value),
            scalar => Val::from_value(scalar),
        }
    }

    /// The same value with every [`Val::Doc`] inside converted: what comparisons, functions and
    /// error messages look into.
    pub(crate) fn materialized(&self) -> Val<'a> {
        match self {
            Val::Doc(value) => Val::from_value(value),
            Val::Array(items) if items.iter().any(Val::holds_doc) => {
                Val::array(items.iter().map(Val::materialized).collect())
            }
            Val::Object(map) if map.values().any(Val::holds_doc) => Val::Object(Rc::new(
                map.iter()
                    .map(|(k, v)| (k.clone(), v.materialized()))
                    .collect(),
            )),
            other => other.clone(),
        }
    }

    fn holds_doc(&self) -> bool {
        match self {
            Val::Doc(_) => true,
            Val::Array(items) => items.iter().any(Val::holds_doc),
            Val::Object(map) => map.values().any(Val::holds_doc),
            _ => false,
        }
    }

    pub(crate) fn from_value(value: &Value) -> Val<'a> {
        match value {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => Val::Number(n.clone()),
            Value::String(s) => Val::String(Rc::from(s.as_str())),
            Value::Array(items) => Val::Array(Rc::new(items.iter().map(Val::from_value).collect())),
            Value::Object(map) => Val::Object(Rc::new(
                map.iter()
                    .map(|(k, v)| (k.to_string(), Val::from_value(v)))
                    .collect(),
            )),
        }
    }

    /// The plain value, or `None` when an expression reference is inside.
    pub(crate) fn to_value(&self) -> Option<Value> {
        Some(match self {
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Number(n) => Value::Number(n.clone()),
            Val::String(s) => Value::String(s.as_ref().into()),
            Val::Array(items) => Value::Array(
                items
                    .iter()
                    .map(Val::to_value)
                    .collect::<Option<Vec<_>>>()?,
            ),
            Val::Object(map) => {
                let mut out = Map::with_capacity(map.len());
                for (k, v) in map.iter() {
                    out.insert(k.clone(), v.to_value()?);
                }
                Value::Object(out)
            }
            Val::Expref(_) => return None,
            Val::Doc(value) => (*value).clone(),
        })
    }

    pub(crate) fn string(s: &str) -> Val<'a> {
        Val::String(Rc::from(s))
    }

    pub(crate) fn array(items: Vec<Val<'a>>) -> Val<'a> {
        Val::Array(Rc::new(items))
    }

    /// `type(x).__name__` in Python.
    pub(crate) fn python_type_name(&self) -> &'static str {
        match self {
            Val::Null => "NoneType",
            Val::Bool(_) => "bool",
            Val::Number(Number::Float(_)) => "float",
            Val::Number(_) => "int",
            Val::String(_) => "str",
            Val::Array(_) => "list",
            Val::Object(_) => "dict",
            Val::Expref(_) => "_Expression",
            Val::Doc(Value::Array(_)) => "list",
            Val::Doc(_) => "dict",
        }
    }

    /// The JMESPath type name (jmespath's `TYPES_MAP` applied to the Python type name).
    pub(crate) fn jmespath_type_name(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "boolean",
            Val::Number(_) => "number",
            Val::String(_) => "string",
            Val::Array(_) => "array",
            Val::Object(_) => "object",
            Val::Expref(_) => "expref",
            Val::Doc(Value::Array(_)) => "array",
            Val::Doc(_) => "object",
        }
    }

    /// jmespath's `_is_false`: `''`, `[]`, `{}`, `None` and `False` are false; numbers never are.
    pub(crate) fn is_false(&self) -> bool {
        match self {
            Val::Null => true,
            Val::Bool(b) => !b,
            Val::String(s) => s.is_empty(),
            Val::Array(a) => a.is_empty(),
            Val::Object(m) => m.is_empty(),
            Val::Doc(Value::Array(items)) => items.is_empty(),
            Val::Doc(Value::Object(map)) => map.is_empty(),
            Val::Doc(_) => false,
            Val::Number(_) | Val::Expref(_) => false,
        }
    }

    /// A number that is not a bool (jmespath's `_is_actual_number`).
    pub(crate) fn as_number(&self) -> Option<&Number> {
        match self {
            Val::Number(n) => Some(n),
            _ => None,
        }
    }
}

/// Python's `==` between two objects (bools are the ints 0 and 1; containers compare deeply).
pub(crate) fn python_equals(a: &Val<'_>, b: &Val<'_>) -> bool {
    if matches!(a, Val::Doc(_)) || matches!(b, Val::Doc(_)) {
        return python_equals(&a.materialized(), &b.materialized());
    }
    match (a, b) {
        (Val::Null, Val::Null) => true,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Bool(x), Val::Number(n)) | (Val::Number(n), Val::Bool(x)) => {
            arithmetic::equals(n, &Number::Int(i64::from(*x)))
        }
        (Val::Number(x), Val::Number(y)) => arithmetic::equals(x, y),
        (Val::String(x), Val::String(y)) => x == y,
        (Val::Array(x), Val::Array(y)) => {
            Rc::ptr_eq(x, y)
                || (x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| python_equals(p, q)))
        }
        (Val::Object(x), Val::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| python_equals(v, w)))
        }
        (Val::Expref(x), Val::Expref(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}
