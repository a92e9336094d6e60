//! JMESPath: any expression compiles or fails with a ParseError; a compiled one searches any value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lightsail_cli::python::json_encode::{dumps, DumpOptions};
use lightsail_cli::response::jmespath::compile;

#[path = "common.rs"]
mod common;

fuzz_target!(|input: &[u8]| {
    // The first line is the expression, the rest builds the data.
    let split = input
        .iter()
        .position(|b| *b == b'\n')
        .unwrap_or(input.len());
    let expression = String::from_utf8_lossy(&input[..split]);
    let data = common::Bytes(input.get(split + 1..).unwrap_or(&[])).value(0);
    match compile(&expression) {
        Ok(compiled) => {
            if let Ok(result) = compiled.search(&data) {
                let _ = dumps(&result, &DumpOptions::python_default());
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
