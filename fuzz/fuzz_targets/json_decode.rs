//! `json.loads` on arbitrary UTF-8; whatever decodes re-encodes and decodes to the same value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lightsail_cli::python::json_decode::loads;
use lightsail_cli::python::json_encode::{dumps, DumpOptions};
use lightsail_cli::python::value::{Number, Value};

fn has_nan(v: &Value) -> bool {
    match v {
        Value::Number(Number::Float(f)) => f.is_nan(),
        Value::Array(items) => items.iter().any(has_nan),
        Value::Object(map) => map.values().any(has_nan),
        _ => false,
    }
}

fuzz_target!(|input: &str| {
    if let Ok(value) = loads(input) {
        if !has_nan(&value) {
            for options in [DumpOptions::python_default(), DumpOptions::cli_output()] {
                let text = dumps(&value, &options);
                assert_eq!(loads(&text).ok(), Some(value.clone()), "{text}");
            }
        }
    }
});
