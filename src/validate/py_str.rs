//! Python's `type()` of a parameter value, as botocore's validation messages print it
//! (`Invalid type for parameter X, value: {param}, type: {type(param)}`).

use crate::python::repr::DictFlavor;
use crate::value::{Number, Value};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Map;

    #[test]
    fn ordered_dict_type() {
        let v = Value::Object(Map::new());
        assert_eq!(
            py_type(&v, DictFlavor::OrderedDict),
            "<class 'collections.OrderedDict'>"
        );
        assert_eq!(py_type(&v, DictFlavor::Dict), "<class 'dict'>");
    }
}
