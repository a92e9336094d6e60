//! The process the CLI runs in, the bottom layer every other module may use: the [`Context`] that
//! carries stdout, stderr, the environment and the program name (injectable, so tests and fuzzers run
//! the whole CLI in-process), the panic hook that turns a panic into the reference's exit 255
//! ([`panic_report`]), stdout buffered as Python's ([`python_stdout`]), and what the end of the process
//! lets the output stage skip ([`teardown`]), and the host facts and randomness it asks for ([`host`]).

pub mod getpass;
pub mod host;
pub mod interrupt;
pub mod panic_report;
pub mod python_stdout;
pub mod teardown;

use std::io::Write;

/// Where the CLI writes, and the environment it reads.
pub struct Context<'a> {
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// `basename(argv[0])`: the `prog` of argparse's sub-parsers.
    pub prog: String,
}
