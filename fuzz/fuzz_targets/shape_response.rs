//! Response shaping: every operation's output shape over arbitrary values and arbitrary body bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lightsail_cli::model::OPERATIONS;
use lightsail_cli::python::json_decode::loads;
use lightsail_cli::response::shape::{ResponseShaper, TimestampFormat};

#[path = "common.rs"]
mod common;

fuzz_target!(|input: &[u8]| {
    let mut bytes = common::Bytes(input);
    let operation = &OPERATIONS[bytes.byte() as usize % OPERATIONS.len()];
    let format = if bytes.byte() & 1 == 0 {
        TimestampFormat::Wire
    } else {
        TimestampFormat::Iso8601
    };
    let shaper = ResponseShaper::in_zone(format, |t| (t % 86400) - 43200);
    let Some(output) = operation.output_shape() else {
        return;
    };
    let rest = bytes.0;
    let value = common::Bytes(rest).value(0);
    let _ = shaper.shape(output, &value);
    let _ = shaper.shape_body(Some(output), rest, |t| loads(t).ok(), true);
});
