//! What the `aws` binary does if a bug panics: one line on stderr, exit status 255.
//!
//! Bad input never panics (every layer returns typed errors), so a panic is a bug in this program.
//! The reference reports unexpected exceptions as a blank line plus the message with exit code 255;
//! this keeps the exit code, prints a single line naming the bug's location so it can be reported,
//! and never lets Rust's default multi-line message (or an abort) through. `install` is called first
//! thing in `main`.

use std::any::Any;
use std::io::Write;
use std::panic::Location;

/// The exit status after a panic (the reference's status for an unexpected exception).
pub const PANIC_EXIT_CODE: i32 = 255;

/// The single line (without its newline) reported for a panic with `payload` at `location`.
pub fn panic_line(payload: &(dyn Any + Send), location: Option<&Location<'_>>) -> String {
    let message = if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.as_str()
    } else {
        "unknown panic"
    };
    let message: String = message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    match location {
        Some(at) => format!(
            "aws: internal error: {message} (at {}:{}:{})",
            at.file(),
            at.line(),
            at.column()
        ),
        None => format!("aws: internal error: {message}"),
    }
}

/// Replaces the default panic hook: print [`panic_line`] and exit with [`PANIC_EXIT_CODE`].
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let line = panic_line(info.payload(), info.location());
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "{line}");
        let _ = stderr.flush();
        std::process::exit(PANIC_EXIT_CODE);
    }));
}

/// In debug builds only, `LIGHTSAIL_CLI_FORCE_PANIC=1` makes `main` panic on purpose so that tests
/// can check the hook end to end. Release builds ignore the variable.
pub fn forced_panic_requested() -> bool {
    cfg!(debug_assertions)
        && std::env::var_os("LIGHTSAIL_CLI_FORCE_PANIC").is_some_and(|v| v == "1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_with_the_message_and_location() {
        let at = Location::caller();
        let line = panic_line(&"index out of bounds:\nthe len is 0", Some(at));
        assert!(!line.contains('\n'));
        assert!(line.starts_with("aws: internal error: index out of bounds: the len is 0 (at "));
        assert!(line.ends_with(&format!("{}:{}:{})", at.file(), at.line(), at.column())));
    }

    #[test]
    fn formatted_and_opaque_payloads() {
        let owned: Box<dyn Any + Send> = Box::new(String::from("boom 7"));
        assert_eq!(
            panic_line(owned.as_ref(), None),
            "aws: internal error: boom 7"
        );
        let opaque: Box<dyn Any + Send> = Box::new(42u8);
        assert_eq!(
            panic_line(opaque.as_ref(), None),
            "aws: internal error: unknown panic"
        );
    }

    #[test]
    fn the_payload_of_a_real_panic() {
        let caught = std::panic::catch_unwind(|| {
            let v: Vec<u8> = Vec::new();
            v[usize::from(v.is_empty())]
        })
        .unwrap_err();
        assert_eq!(
            panic_line(caught.as_ref(), None),
            "aws: internal error: index out of bounds: the len is 0 but the index is 1"
        );
    }
}
