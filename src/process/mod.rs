//! The process the CLI runs in: the bottom layer every other module may use. It holds the panic hook
//! that turns a panic into the reference's exit 255 ([`panic_report`]).

pub mod panic_report;
