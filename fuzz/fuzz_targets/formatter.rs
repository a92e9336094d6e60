//! The json, text and table formatters: any value renders or fails with a typed FormatError.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lightsail_cli::response::formatter::{format_output_for_terminal, OutputFormat};

#[path = "common.rs"]
mod common;

fuzz_target!(|input: &[u8]| {
    let mut bytes = common::Bytes(input);
    let color = bytes.byte() & 1 == 1;
    let width = bytes.byte() as usize;
    let value = bytes.value(0);
    for format in [OutputFormat::Json, OutputFormat::Text, OutputFormat::Table] {
        if let Err(failure) =
            format_output_for_terminal(format, "GetInstances", &value, color, width)
        {
            let _ = failure.stderr();
        }
    }
});
