//! The process the CLI runs in, the bottom layer every other module may use: the [`Context`] that
//! carries stdout, stderr, the environment and the program name (injectable, so tests and fuzzers run
//! the whole CLI in-process), and the panic hook that turns a panic into the reference's exit 255
//! ([`panic_report`]).

pub mod interrupt;
pub mod panic_report;

use std::io::Write;

/// Where the CLI writes, and the environment it reads.
pub struct Context<'a> {
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// `basename(argv[0])`: the `prog` of argparse's sub-parsers.
    pub prog: String,
}
