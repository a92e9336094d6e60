//! `aws_completer`: the program bash (`complete -C aws_completer aws`), zsh (through `bashcompinit`) and
//! tcsh run on every Tab press, answering like AWS CLI v1.45.11's `bin/aws_completer` and
//! `awscli/completer.py`.
//!
//! It reads the line and the cursor from the environment ([`line`]), walks the command tree
//! ([`commands`], [`complete`]) and prints the candidates joined by `" \n"` with a final newline (an empty
//! line when there are none), exit 0. It starts nothing it does not need: the tree is static data, and the
//! config files are read only to check that they parse (the reference fails on every Tab press when they
//! do not: a traceback, exit 1) and for `--profile`'s candidates.

pub mod commands;
pub mod complete;
pub mod line;

use crate::configure::session::Session;
use std::io::Write;

/// The profiles of an already loaded [`Session`].
struct SessionValues<'a>(&'a Session);

impl complete::Values for SessionValues<'_> {
    fn profiles(&mut self) -> Vec<String> {
        self.0.available_profiles().map(str::to_owned).collect()
    }
}

/// Runs the completer with the process's environment and returns the exit code.
pub fn run(
    env: &dyn Fn(&str) -> Option<String>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let traceback = |stderr: &mut dyn Write, err: line::LineError| {
        let _ = writeln!(stderr, "Traceback (most recent call last):\n{err}");
        1
    };
    // The script converts COMP_POINT first; then the reference builds its driver, reading both config
    // files; only then does it split the line.
    let line = match line::Line::from_env(
        env("COMP_LINE").as_deref(),
        env("COMMAND_LINE").as_deref(),
        env("COMP_POINT").as_deref(),
    ) {
        Ok(line) => line,
        Err(err) => return traceback(stderr, err),
    };
    let session = match Session::load(None, env) {
        Ok(session) => session,
        Err(err) => {
            let _ = writeln!(stderr, "botocore.exceptions.ConfigParseError: {err}");
            return 1;
        }
    };
    let words = match line.words() {
        Ok(words) => words,
        Err(err) => return traceback(stderr, err),
    };
    let candidates = complete::candidates(&words, &mut SessionValues(&session));
    let _ = writeln!(stdout, "{}", candidates.join(" \n"));
    let _ = stdout.flush();
    0
}

/// An environment variable as Python's `os.environ` decodes it: UTF-8, each byte that is not part of
/// valid UTF-8 one character of its own (surrogate escapes; U+FFFD here, which no candidate contains).
pub fn env_text(value: &std::ffi::OsStr) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut bytes = value.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    while !bytes.is_empty() {
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                out.push_str(text);
                break;
            }
            Err(e) => {
                let (valid, rest) = bytes.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                let bad = e.error_len().unwrap_or(rest.len());
                out.extend(std::iter::repeat_n('\u{fffd}', bad));
                bytes = &rest[bad..];
            }
        }
    }
    out
}
