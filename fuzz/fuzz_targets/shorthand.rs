//! The shorthand parser on arbitrary UTF-8: never panics, never overflows the stack.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lightsail_cli::params::shorthand::{parse, parse_from, Caller};

fuzz_target!(|input: &str| {
    let _ = parse(input);
    let _ = parse_from(input, Caller::WholeValue);
});
