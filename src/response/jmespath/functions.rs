//! The built-in functions, with jmespath's `functions.py` signatures, type checks and error messages.
//!
//! Arity is checked at call time, after every argument has been evaluated (as the reference does), then
//! each declared argument's type; a variadic function only checks the declared ones, so
//! `merge({}, 'ab')` reaches Python's `dict.update` and its errors. Type errors print the offending
//! value with Python's `str()` and, for array elements, the Python type name (`received: "str"`), just
//! as jmespath does. Numbers follow Python: `sum` of ints stays an int, `avg` is a true division,
//! `ceil`/`floor` return ints, `to_number('1.0')` is a float.

use super::arithmetic;
use super::ast::Comparator;
use super::error::JmespathError;
use super::interpreter::{framed, python_order, visit, Evaluated};
use super::pyrepr::{python_repr, python_str, to_string_json};
use super::runtime::{python_equals, Val, ValMap};
use crate::python::value::Number;
use std::cmp::Ordering;
use std::rc::Rc;

/// A function's declared arguments: for each, the allowed JMESPath types (empty means any).
struct Signature {
    args: &'static [&'static [&'static str]],
    variadic: bool,
}

const NUMBER: &[&str] = &["number"];
const STRING: &[&str] = &["string"];
const OBJECT: &[&str] = &["object"];
const ARRAY: &[&str] = &["array"];
const EXPREF: &[&str] = &["expref"];
const ANY: &[&str] = &[];

fn signature(name: &str) -> Option<Signature> {
    let (args, variadic): (&'static [&'static [&'static str]], bool) = match name {
        "abs" | "ceil" | "floor" => (&[NUMBER], false),
        "avg" | "sum" => (&[&["array-number"]], false),
        "contains" => (&[&["array", "string"], ANY], false),
        "ends_with" | "starts_with" => (&[STRING, STRING], false),
        "join" => (&[STRING, &["array-string"]], false),
        "keys" | "values" => (&[OBJECT], false),
        "length" => (&[&["string", "array", "object"]], false),
        "map" => (&[EXPREF, ARRAY], false),
        "max" | "min" => (&[&["array-number", "array-string"]], false),
        "max_by" | "min_by" | "sort_by" => (&[ARRAY, EXPREF], false),
        "merge" => (&[OBJECT], true),
        "not_null" => (&[ANY], true),
        "reverse" => (&[&["array", "string"]], false),
        "sort" => (&[&["array-string", "array-number"]], false),
        "to_array" | "to_number" | "to_string" | "type" => (&[ANY], false),
        _ => return None,
    };
    Some(Signature { args, variadic })
}

/// Python type names for a JMESPath type name (jmespath's `REVERSE_TYPES_MAP`).
fn python_types(jmespath_type: &str) -> &'static [&'static str] {
    match jmespath_type {
        "boolean" => &["bool"],
        "array" => &["list", "_Projection"],
        "object" => &["dict", "OrderedDict"],
        "null" => &["NoneType"],
        "string" => &["unicode", "str"],
        "number" => &["float", "int", "long"],
        "expref" => &["_Expression"],
        _ => &[],
    }
}

/// Python `repr` of a list of type names: `['array', 'string']`.
fn types_repr(types: &[&str]) -> String {
    let quoted: Vec<String> = types.iter().map(|t| format!("'{t}'")).collect();
    format!("[{}]", quoted.join(", "))
}

fn type_error(function: &str, value: &Val<'_>, actual_type: &str, types: &[&str]) -> JmespathError {
    JmespathError::InvalidType {
        function: function.to_string(),
        value: python_str(value),
        actual_type: actual_type.to_string(),
        expected_types: types_repr(types),
    }
}

/// jmespath's `_type_check_single`.
fn check_type(function: &str, value: &Val<'_>, types: &[&str]) -> Result<(), JmespathError> {
    let mut allowed: Vec<&str> = Vec::new();
    let mut subtypes: Vec<&[&str]> = Vec::new();
    for t in types {
        match t.split_once('-') {
            Some((outer, inner)) => {
                subtypes.push(python_types(inner));
                allowed.extend(python_types(outer));
            }
            None => allowed.extend(python_types(t)),
        }
    }
    let actual = value.python_type_name();
    if !allowed.contains(&actual) {
        return Err(type_error(
            function,
            value,
            value.jmespath_type_name(),
            types,
        ));
    }
    let Val::Array(items) = value else {
        return Ok(());
    };
    let group: &[&str] = match subtypes.len() {
        0 => return Ok(()),
        1 => subtypes[0],
        _ => {
            let Some(first) = items.first() else {
                return Ok(());
            };
            let name = first.python_type_name();
            match subtypes.iter().find(|group| group.contains(&name)) {
                Some(group) => group,
                None => return Err(type_error(function, first, name, types)),
            }
        }
    };
    for item in items.iter() {
        let name = item.python_type_name();
        if !group.contains(&name) {
            return Err(type_error(function, item, name, types));
        }
    }
    Ok(())
}

/// Calls the function `name` with evaluated arguments.
///
/// Frames are modelled like the reference's: `call_function`, then the type check four frames deep,
/// then the `_func_*` method (and `_Expression.visit`, plus the key function for `*_by`).
pub(crate) fn call<'a>(name: &str, args: Vec<Val<'a>>) -> Evaluated<'a> {
    // Functions look into their arguments: the document's lists and objects, converted.
    let args = args.iter().map(Val::materialized).collect();
    framed(1, || call_function(name, args))
}

fn call_function<'a>(name: &str, args: Vec<Val<'a>>) -> Evaluated<'a> {
    let Some(signature) = signature(name) else {
        return Err(JmespathError::UnknownFunction(name.to_string()));
    };
    let expected = signature.args.len();
    if (signature.variadic && args.len() < expected)
        || (!signature.variadic && args.len() != expected)
    {
        return Err(JmespathError::Arity {
            expected,
            actual: args.len(),
            function: name.to_string(),
            variadic: signature.variadic,
        });
    }
    for (arg, types) in args.iter().zip(signature.args) {
        if !types.is_empty() {
            framed(4, || Ok(Val::Null))?;
            check_type(name, arg, types)?;
        }
    }
    framed(1, || dispatch(name, args))
}

/// The items of an array argument (the type check already guaranteed it is one).
fn items_of<'v, 'a>(value: &'v Val<'a>) -> &'v [Val<'a>] {
    match value {
        Val::Array(items) => items,
        _ => &[],
    }
}

fn sum<'a>(items: &[Val<'a>]) -> Result<Number, JmespathError> {
    let mut total = Number::Int(0);
    for item in items {
        if let Val::Number(n) = item {
            total = arithmetic::add(&total, n).map_err(JmespathError::overflow_error)?;
        }
    }
    Ok(total)
}

/// Python's `max()`/`min()` over already computed keys: the first extreme wins; `keys` yields in order.
fn extreme<'a>(
    items: &[Val<'a>],
    mut key: impl FnMut(&Val<'a>) -> Evaluated<'a>,
    comparator: Comparator,
) -> Evaluated<'a> {
    let mut best: Option<(usize, Val<'a>)> = None;
    for (i, item) in items.iter().enumerate() {
        let k = key(item)?;
        best = match best {
            None => Some((i, k)),
            Some((j, current)) => {
                if python_order(comparator, &k, &current)? {
                    Some((i, k))
                } else {
                    Some((j, current))
                }
            }
        };
    }
    Ok(best.map(|(i, _)| items[i].clone()).unwrap_or(Val::Null))
}

/// Python's `sorted()` ordering (only `<` is consulted; the sort is stable).
fn python_less(a: &Val<'_>, b: &Val<'_>) -> Ordering {
    if python_order(Comparator::Lt, a, b).unwrap_or(false) {
        Ordering::Less
    } else if python_order(Comparator::Lt, b, a).unwrap_or(false) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

/// The key function of `sort_by`/`min_by`/`max_by`: the expression's value, which must have one of
/// `allowed` JMESPath types.
fn key_of<'a>(expref: &Val<'a>, item: &Val<'a>, allowed: &[&str], function: &str) -> Evaluated<'a> {
    let Val::Expref(node) = expref else {
        return Ok(Val::Null);
    };
    let result = visit(node, item)?;
    let jmespath_type = result.jmespath_type_name();
    if !allowed.contains(&jmespath_type) {
        return Err(type_error(function, &result, jmespath_type, allowed));
    }
    Ok(result)
}

fn dispatch<'a>(name: &str, mut args: Vec<Val<'a>>) -> Evaluated<'a> {
    let first = args.first().cloned().unwrap_or(Val::Null);
    let second = args.get(1).cloned().unwrap_or(Val::Null);
    let number = |v: &Val<'_>| v.as_number().cloned().unwrap_or(Number::Int(0));
    let text = |v: &Val<'_>| match v {
        Val::String(s) => s.clone(),
        _ => Rc::from(""),
    };
    Ok(match name {
        "abs" => Val::Number(arithmetic::abs(&number(&first))),
        "avg" => {
            let items = items_of(&first);
            if items.is_empty() {
                Val::Null
            } else {
                let total = sum(items)?;
                let quotient = arithmetic::true_divide(&total, items.len()).map_err(JmespathError::overflow_error)?;
                Val::Number(Number::Float(quotient))
            }
        }
        "ceil" | "floor" => match arithmetic::round_to_int(&number(&first), name == "ceil") {
            Ok(n) => Val::Number(n),
            Err((true, message)) => return Err(JmespathError::overflow_error(message)),
            Err((false, message)) => return Err(JmespathError::value_error(message)),
        },
        "contains" => match &first {
            Val::Array(items) => Val::Bool(items.iter().any(|item| python_equals(item, &second))),
            _ => match &second {
                Val::String(needle) => Val::Bool(text(&first).contains(&**needle)),
                other => {
                    return Err(JmespathError::type_error(format!(
                        "'in <string>' requires string as left operand, not {}",
                        other.python_type_name()
                    )))
                }
            },
        },
        "ends_with" => Val::Bool(text(&first).ends_with(&*text(&second))),
        "starts_with" => Val::Bool(text(&first).starts_with(&*text(&second))),
        "join" => {
            let separator = text(&first);
            let parts: Vec<Rc<str>> = items_of(&second).iter().map(text).collect();
            Val::string(&parts.iter().map(|p| &**p).collect::<Vec<&str>>().join(&separator))
        }
        "keys" => match &first {
            Val::Object(map) => Val::array(map.keys().map(|k| Val::string(k)).collect()),
            _ => Val::Null,
        },
        "values" => match &first {
            Val::Object(map) => Val::array(map.values().cloned().collect()),
            _ => Val::Null,
        },
        "length" => {
            let len = match &first {
                Val::String(s) => s.chars().count(),
                Val::Array(items) => items.len(),
                Val::Object(map) => map.len(),
                _ => 0,
            };
            Val::Number(Number::Int(len as i64))
        }
        "map" => {
            let Val::Expref(node) = &first else { return Ok(Val::Null) };
            let mut out = Vec::new();
            for item in items_of(&second) {
                out.push(framed(1, || visit(node, item))?);
            }
            Val::array(out)
        }
        "max" => extreme(items_of(&first), |v| Ok(v.clone()), Comparator::Gt)?,
        "min" => extreme(items_of(&first), |v| Ok(v.clone()), Comparator::Lt)?,
        "max_by" => extreme(items_of(&first), |v| key_of(&second, v, &["number", "string"], name), Comparator::Gt)?,
        "min_by" => extreme(items_of(&first), |v| key_of(&second, v, &["number", "string"], name), Comparator::Lt)?,
        "merge" => {
            let mut merged = ValMap::new();
            for arg in &args {
                dict_update(&mut merged, arg)?;
            }
            Val::Object(Rc::new(merged))
        }
        "not_null" => args.drain(..).find(|v| !matches!(v, Val::Null)).unwrap_or(Val::Null),
        "reverse" => match &first {
            Val::String(s) => Val::string(&s.chars().rev().collect::<String>()),
            Val::Array(items) => Val::array(items.iter().rev().cloned().collect()),
            _ => Val::Null,
        },
        "sort" => {
            let mut items = items_of(&first).to_vec();
            items.sort_by(python_less);
            Val::array(items)
        }
        "sort_by" => {
            let items = items_of(&first);
            let Some(head) = items.first() else { return Ok(first.clone()) };
            let Val::Expref(node) = &second else { return Ok(Val::Null) };
            let required = framed(1, || visit(node, head))?.jmespath_type_name();
            if required != "number" && required != "string" {
                return Err(type_error("sort_by", head, required, &["string", "number"]));
            }
            let mut keyed = Vec::with_capacity(items.len());
            for item in items {
                keyed.push((key_of(&second, item, &[required], "sort_by")?, item.clone()));
            }
            keyed.sort_by(|a, b| python_less(&a.0, &b.0));
            Val::array(keyed.into_iter().map(|(_, item)| item).collect())
        }
        "sum" => Val::Number(sum(items_of(&first))?),
        "to_array" => match first {
            Val::Array(_) => first,
            other => Val::array(vec![other]),
        },
        "to_string" => match first {
            Val::String(_) => first,
            other => Val::string(&to_string_json(&other)),
        },
        "to_number" => match &first {
            Val::Number(_) => first,
            Val::String(s) => match crate::python::number::parse_int(s).ok() {
                Some(n) => Val::Number(n),
                None => crate::python::number::parse_float(s).ok().map(|f| Val::Number(Number::Float(f))).unwrap_or(Val::Null),
            },
            Val::Expref(_) => {
                return Err(JmespathError::type_error(
                    "int() argument must be a string, a bytes-like object or a real number, not '_Expression'",
                ))
            }
            _ => Val::Null,
        },
        "type" => match &first {
            Val::Expref(_) => Val::Null,
            other => Val::string(other.jmespath_type_name()),
        },
        _ => return Err(JmespathError::UnknownFunction(name.to_string())),
    })
}

/// A dict key as Python's `json.dumps` would write it (this engine's objects only have string keys).
fn key_string(key: &Val<'_>) -> Result<String, JmespathError> {
    Ok(match key {
        Val::String(s) => s.to_string(),
        Val::Null => "null".into(),
        Val::Bool(b) => b.to_string(),
        Val::Number(n) => n.json_repr(),
        Val::Array(_) | Val::Object(_) | Val::Doc(_) => {
            return Err(JmespathError::type_error(format!(
                "unhashable type: '{}'",
                key.python_type_name()
            )))
        }
        Val::Expref(_) => python_repr(key),
    })
}

/// Python's `dict.update(arg)`: a dict merges; any other iterable must yield key/value pairs.
fn dict_update<'a>(merged: &mut ValMap<'a>, arg: &Val<'a>) -> Result<(), JmespathError> {
    let elements: Vec<Val<'a>> = match arg {
        Val::Object(map) => {
            for (k, v) in map.iter() {
                merged.insert(k.clone(), v.clone());
            }
            return Ok(());
        }
        Val::Array(items) => items.to_vec(),
        Val::String(s) => s.chars().map(|c| Val::string(&c.to_string())).collect(),
        other => {
            return Err(JmespathError::type_error(format!(
                "'{}' object is not iterable",
                other.python_type_name()
            )))
        }
    };
    for (i, element) in elements.iter().enumerate() {
        let pair: Vec<Val<'a>> = match element {
            Val::Array(items) => items.to_vec(),
            Val::String(s) => s.chars().map(|c| Val::string(&c.to_string())).collect(),
            Val::Object(map) => map.keys().map(|k| Val::string(k)).collect(),
            _ => {
                return Err(JmespathError::type_error(format!(
                    "cannot convert dictionary update sequence element #{i} to a sequence"
                )))
            }
        };
        if pair.len() != 2 {
            return Err(JmespathError::value_error(format!(
                "dictionary update sequence element #{i} has length {}; 2 is required",
                pair.len()
            )));
        }
        merged.insert(key_string(&pair[0])?, pair[1].clone());
    }
    Ok(())
}
