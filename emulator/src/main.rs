//! The `lightsail-emulator` binary: parses flags ([`lightsail_emulator::cli`]) into a `Config`, starts
//! the emulator, prints `listening on http://127.0.0.1:PORT` (and the HTTPS URL on a second line when
//! enabled), then serves until SIGTERM or SIGINT, after which it closes its connections and exits 0.
//! Bad flags exit 2 (clap's usage errors); a start-up failure (a refused state file, a busy port)
//! exits 1 with the reason.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use lightsail_emulator::cli::Args;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

fn main() -> ExitCode {
    let config = Args::parse().into_config();
    let mut signals = match Signals::new([SIGTERM, SIGINT]) {
        Ok(signals) => signals,
        Err(error) => {
            eprintln!("lightsail-emulator: cannot install signal handlers: {error}");
            return ExitCode::FAILURE;
        }
    };
    let handle = match lightsail_emulator::start(config) {
        Ok(handle) => handle,
        Err(error) => {
            eprintln!("lightsail-emulator: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    let mut banner = format!("listening on {}\n", handle.url());
    if let Some(https) = handle.https_url() {
        banner.push_str(&format!("listening on {https}\n"));
    }
    if stdout
        .write_all(banner.as_bytes())
        .and_then(|_| stdout.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    // Block until a termination signal arrives.
    let _ = signals.forever().next();
    handle.shutdown();
    ExitCode::SUCCESS
}
