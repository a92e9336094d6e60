//! The `aws` binary: a byte-faithful re-implementation of `aws lightsail` from AWS CLI v1.45.11.
//!
//! `main` installs the panic hook, hands argv to the driver with the real stdout, stderr and
//! environment, and exits with the code the driver returns.

use lightsail_cli::cli::driver::run;
use lightsail_cli::process::Context;
use lightsail_cli::process::{interrupt, panic_report};
use std::io::Write;

fn main() {
    panic_report::install();
    interrupt::install();
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
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = std::io::BufWriter::new(stdout.lock());
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
    let _ = out.flush();
    drop(out);
    std::process::exit(code);
}
