//! The `aws` binary: a byte-faithful re-implementation of `aws lightsail` from AWS CLI v1.45.11.
//!
//! `main` installs the panic hook, hands argv to the driver with the real stdout (buffered as
//! Python buffers the reference's, [`python_stdout`]), stderr and environment, and exits with the
//! code the driver returns; or with 120 when the last flush of stdout fails, as the interpreter does.

use lightsail_cli::cli::driver::run;
use lightsail_cli::process::python_stdout::{self, PythonStdout};
use lightsail_cli::process::Context;
use lightsail_cli::process::{interrupt, panic_report, teardown};
use std::io::Write;
use std::os::fd::FromRawFd;

fn main() {
    panic_report::install();
    interrupt::install();
    teardown::exits_after_run();
    if panic_report::forced_panic_requested() {
        panic!("forced by LIGHTSAIL_CLI_FORCE_PANIC");
    }
    let mut argv = std::env::args_os();
    let prog = argv
        .next()
        .and_then(|p| {
            std::path::Path::new(&p)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "aws".into());
    // argparse receives str (surrogate-escaped on POSIX); lossy conversion keeps us panic-free.
    let args: Vec<String> = argv.map(|a| a.to_string_lossy().into_owned()).collect();
    // SAFETY: descriptor 1 is open for the whole process (or writes to it fail with EBADF, which
    // is an error like any other); `ManuallyDrop` keeps it from being closed when `main` returns.
    let fd1 = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(1) });
    let stderr = std::io::stderr();
    let mut out = PythonStdout::new(&*fd1);
    let mut err = stderr.lock();
    let env = |name: &str| std::env::var(name).ok();
    let code = run(
        &args,
        &mut Context {
            stdout: &mut out,
            stderr: &mut err,
            env: &env,
            prog,
        },
    );
    let code = match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            let _ = err.write_all(python_stdout::EXIT_FLUSH_FAILED.as_bytes());
            python_stdout::EXIT_FLUSH_FAILED_STATUS
        }
        _ => code,
    };
    std::process::exit(code);
}
