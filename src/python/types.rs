//! Python's `type()` of a [`Value`] and its truthiness, as the reference's error messages and
//! formatters see them.
//!
//! `TypeError`/`AttributeError` texts name the bare type (`'str' object has no attribute 'get'`),
//! botocore's validation prints the class (`type: <class 'collections.OrderedDict'>`), and awscli's
//! table formatter tests `if not current:`, where `0`, `0.0` and `False` are false (unlike JMESPath).

use super::repr::DictFlavor;
use crate::python::value::{Number, Value};

/// `type(value).__name__`: `NoneType`, `bool`, `float`, `int`, `str`, `list` or `dict`.
pub fn type_name(value: &Value) -> &'static str {
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

/// `str(type(value))`: `<class 'int'>`, `<class 'collections.OrderedDict'>`.
pub fn class_str(value: &Value, flavor: DictFlavor) -> &'static str {
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

/// Python's `bool(value)`: empty containers and strings, `None`, `False`, `0` and `0.0` are false.
pub fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != 0.0,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::value::Map;

    #[test]
    fn names_and_truthiness_match_python() {
        let dict = Value::Object(Map::new());
        assert_eq!(
            class_str(&dict, DictFlavor::OrderedDict),
            "<class 'collections.OrderedDict'>"
        );
        assert_eq!(class_str(&dict, DictFlavor::Dict), "<class 'dict'>");
        assert_eq!(type_name(&Value::Number(Number::Float(1.0))), "float");
        assert_eq!(type_name(&Value::Null), "NoneType");
        assert!(!is_truthy(&Value::Number(Number::Float(0.0))) && !is_truthy(&dict));
        assert!(is_truthy(&Value::Number(Number::Float(f64::NAN))));
    }
}
