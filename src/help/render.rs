//! Shows a help page: roff through groff (or mandoc), then through the pager, as `awscli/help.py`'s
//! `PosixHelpRenderer` does.
//!
//! - The formatter is `groff -m man -T ascii` when `groff` is on `PATH`, else `mandoc -T ascii`; with
//!   neither the reference raises `ExecutableNotFoundError`, which the driver reports as
//!   `\nCould not find executable named "groff or mandoc"\n` on stderr with exit code 255
//!   ([`HelpError`]'s `Display` is the message itself). The formatter's stderr is discarded and its exit
//!   status ignored.
//! - The pager is `$MANPAGER`, else `$PAGER`, else `less -R`, split like Python's `shlex.split`. When
//!   its program is not on `PATH` (checked as `os.path.exists(dir/name)` for each `PATH` entry, so a
//!   name with a slash is looked up relative to each entry) the page is printed raw with one extra
//!   newline. Otherwise the pager gets the page on stdin while SIGINT is ignored; the pager's exit
//!   status does not matter.
//! - Help then exits 0.

use std::ffi::OsString;
use std::fmt;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Why a help page could not be shown.
#[derive(Debug)]
pub enum HelpError {
    /// Neither `groff` nor `mandoc` is on `PATH`. The reference exits 255 after printing
    /// `\n` + this message on stderr.
    FormatterNotFound,
    /// The pager setting cannot be used: empty (Python's `IndexError`, "list index out of range") or
    /// not splittable by `shlex.split` ("No closing quotation", "No escaped character"). The reference
    /// exits 255 after printing `\n` + the message on stderr.
    PagerCommand(&'static str),
    /// Running the formatter or the pager, or writing the page, failed.
    Io(std::io::Error),
}

impl fmt::Display for HelpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HelpError::FormatterNotFound => {
                f.write_str("Could not find executable named \"groff or mandoc\"")
            }
            HelpError::PagerCommand(message) => f.write_str(message),
            HelpError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for HelpError {}

impl From<std::io::Error> for HelpError {
    fn from(e: std::io::Error) -> Self {
        HelpError::Io(e)
    }
}

/// `os.path.exists(os.path.join(p, name))` for some entry `p` of `PATH`.
fn exists_on_path(name: &str) -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let path = path.to_string_lossy().into_owned();
    path.split(':').any(|dir| {
        let candidate = if name.starts_with('/') || dir.is_empty() {
            Path::new(name).to_path_buf()
        } else {
            Path::new(dir).join(name)
        };
        candidate.exists()
    })
}

/// Formats `roff` with groff or mandoc; returns the formatter's stdout.
pub fn format_roff(roff: &str) -> Result<Vec<u8>, HelpError> {
    let cmdline: &[&str] = if exists_on_path("groff") {
        &["groff", "-m", "man", "-T", "ascii"]
    } else if exists_on_path("mandoc") {
        &["mandoc", "-T", "ascii"]
    } else {
        return Err(HelpError::FormatterNotFound);
    };
    let mut child = Command::new(cmdline[0])
        .args(&cmdline[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // Feed stdin from a thread so a large page cannot deadlock against a full stdout pipe.
    let mut stdin = child.stdin.take();
    let input = roff.as_bytes().to_vec();
    let feeder = std::thread::spawn(move || {
        if let Some(stdin) = stdin.as_mut() {
            // A formatter that exits early closes the pipe; the reference ignores that too.
            let _ = stdin.write_all(&input);
        }
    });
    let output = child.wait_with_output()?;
    let _ = feeder.join();
    Ok(output.stdout)
}

/// The pager command line: `$MANPAGER`, else `$PAGER`, else `less -R`, split like `shlex.split`
/// (an empty variable still counts as set).
fn pager_cmdline() -> Result<Vec<String>, HelpError> {
    let pager = std::env::var_os("MANPAGER")
        .or_else(|| std::env::var_os("PAGER"))
        .map(|v| v.to_string_lossy().into_owned())
        .unwrap_or_else(|| "less -R".to_string());
    crate::python::shlex::split(&pager).map_err(|e| HelpError::PagerCommand(e.message()))
}

/// Runs the formatter and the pager for one page; returns the exit code (0).
pub fn show_help(roff: &str) -> Result<i32, HelpError> {
    let page = format_roff(roff)?;
    let cmdline = pager_cmdline()?;
    let Some(program) = cmdline.first() else {
        // shlex.split('') is [], and the reference fails on `cmdline[0]`.
        return Err(HelpError::PagerCommand("list index out of range"));
    };
    if !exists_on_path(program) {
        return print_raw(&page);
    }
    let _ignore_sigint = IgnoreSigint::new();
    let mut child = Command::new(OsString::from(program))
        .args(&cmdline[1..])
        .stdin(Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        // A pager quit early (`q` in less) closes the pipe; that is not an error.
        let _ = stdin.write_all(&page);
    }
    child.wait()?;
    Ok(0)
}

/// Prints the page raw, as the reference does when the pager is not on `PATH`.
fn print_raw(page: &[u8]) -> Result<i32, HelpError> {
    let mut out = std::io::stdout().lock();
    out.write_all(&raw_output(page))?;
    out.flush()?;
    Ok(0)
}

/// The page as text plus a newline (`output.decode('utf-8') + "\n"`).
pub fn raw_output(page: &[u8]) -> Vec<u8> {
    let mut out = String::from_utf8_lossy(page).into_owned().into_bytes();
    out.push(b'\n');
    out
}

/// Ignores SIGINT while the pager runs (the reference's `ignore_ctrl_c`), restoring it afterwards.
struct IgnoreSigint {
    previous: libc_sigint::Handler,
}

impl IgnoreSigint {
    fn new() -> Self {
        IgnoreSigint {
            previous: libc_sigint::ignore(),
        }
    }
}

impl Drop for IgnoreSigint {
    fn drop(&mut self) {
        libc_sigint::restore(self.previous);
    }
}

/// The two `signal(2)` calls needed, declared directly to avoid a dependency for them.
mod libc_sigint {
    pub type Handler = usize;
    const SIGINT: i32 = 2;
    const SIG_IGN: Handler = 1;

    extern "C" {
        fn signal(signum: i32, handler: Handler) -> Handler;
    }

    pub fn ignore() -> Handler {
        // SAFETY: installing SIG_IGN for SIGINT has no memory-safety requirements.
        unsafe { signal(SIGINT, SIG_IGN) }
    }

    pub fn restore(previous: Handler) {
        // SAFETY: `previous` is the disposition `signal` returned for SIGINT.
        unsafe {
            signal(SIGINT, previous);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_output_is_the_page_and_a_newline() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/help");
        for name in ["create-instance-snapshot", "lightsail", "aws"] {
            let page = std::fs::read(dir.join(format!("{name}.txt"))).expect("recorded page");
            let raw =
                std::fs::read(dir.join(format!("{name}.nopager.txt"))).expect("recorded raw page");
            assert_eq!(raw_output(&page), raw, "{name}");
        }
    }
}
