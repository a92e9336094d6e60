//! Python 3.11's `getpass.getpass`, which botocore uses to ask for an MFA code: on the controlling
//! terminal when there is one (`/dev/tty`: echo off with `TCSAFLUSH`, the prompt, one line read, the
//! terminal restored, a newline written to it), otherwise on stdin with the prompt and the warning
//! `Warning: Password input may be echoed.` on stderr. The line loses its trailing newline only. End of
//! input before any character is Python's `EOFError`; Ctrl-C at the prompt is `KeyboardInterrupt`.
//!
//! Not reproduced: the two lines Python's `warnings` module adds on stderr before that warning
//! (`.../getpass.py:91: GetPassWarning: ...`), which name a file of the reference's interpreter
//! (docs/deviations.md). Written with `libc` (termios, sigaction) because no small crate reads a line
//! from `/dev/tty` with echo off and reports Ctrl-C as a value rather than a dead process.

use std::sync::atomic::{AtomicBool, Ordering};

/// Why no line was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptError {
    /// End of input before any character (Python's `EOFError`, whose text is empty).
    Eof,
    /// Ctrl-C (Python's `KeyboardInterrupt`).
    Interrupted,
}

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Catches SIGINT while the prompt waits: the signal is blocked except inside `ppoll`, so a Ctrl-C
/// typed at any moment interrupts the wait (Python checks for it between any two steps). Restores the
/// previous mask and handler on drop.
struct SigintGuard {
    previous: libc::sigaction,
    mask: libc::sigset_t,
}

impl SigintGuard {
    fn install() -> SigintGuard {
        INTERRUPTED.store(false, Ordering::SeqCst);
        // SAFETY: sigaction/sigprocmask with zeroed structs, an async-signal-safe handler (one atomic
        // store), and the previous disposition and mask saved for the drop.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigint as extern "C" fn(libc::c_int) as usize;
            libc::sigemptyset(&mut action.sa_mask);
            let mut previous: libc::sigaction = std::mem::zeroed();
            libc::sigaction(libc::SIGINT, &action, &mut previous);
            let mut block: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut block);
            libc::sigaddset(&mut block, libc::SIGINT);
            let mut mask: libc::sigset_t = std::mem::zeroed();
            libc::sigprocmask(libc::SIG_BLOCK, &block, &mut mask);
            SigintGuard { previous, mask }
        }
    }

    /// Waits until `fd` is readable; `Err` when Ctrl-C came first.
    fn wait_readable(&self, fd: libc::c_int) -> Result<(), PromptError> {
        let mut open = self.mask;
        // SAFETY: `open` is a valid signal set; ppoll waits on one valid pollfd with SIGINT unblocked.
        unsafe {
            libc::sigdelset(&mut open, libc::SIGINT);
            loop {
                if INTERRUPTED.load(Ordering::SeqCst) {
                    return Err(PromptError::Interrupted);
                }
                let mut pfd = libc::pollfd {
                    fd,
                    events: libc::POLLIN,
                    revents: 0,
                };
                let n = libc::ppoll(&mut pfd, 1, std::ptr::null(), &open);
                if n >= 0 {
                    return Ok(());
                }
                if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
                    return Ok(());
                }
            }
        }
    }
}

impl Drop for SigintGuard {
    fn drop(&mut self) {
        // SAFETY: restores the mask and the disposition saved by `install` (a Ctrl-C still pending
        // reaches our handler first, which only sets the flag).
        unsafe {
            libc::sigprocmask(libc::SIG_SETMASK, &self.mask, std::ptr::null_mut());
            libc::sigaction(libc::SIGINT, &self.previous, std::ptr::null_mut());
        }
    }
}

/// Reads one line from `fd` byte by byte (nothing after the newline is consumed).
fn read_line(fd: libc::c_int, guard: &SigintGuard) -> Result<String, PromptError> {
    let mut line = Vec::new();
    loop {
        guard.wait_readable(fd)?;
        let mut byte = 0u8;
        // SAFETY: reads at most one byte into a valid one-byte buffer.
        let n = unsafe { libc::read(fd, (&mut byte as *mut u8).cast(), 1) };
        if n < 0 {
            let error = std::io::Error::last_os_error();
            if error.kind() == std::io::ErrorKind::Interrupted {
                if INTERRUPTED.load(Ordering::SeqCst) {
                    return Err(PromptError::Interrupted);
                }
                continue;
            }
            break;
        }
        if n == 0 {
            break;
        }
        line.push(byte);
        if byte == b'\n' {
            break;
        }
    }
    if line.is_empty() {
        return Err(PromptError::Eof);
    }
    if line.last() == Some(&b'\n') {
        line.pop();
    }
    Ok(String::from_utf8_lossy(&line).into_owned())
}

fn write_all(fd: libc::c_int, text: &str) {
    let mut rest = text.as_bytes();
    while !rest.is_empty() {
        // SAFETY: writes from a valid slice.
        let n = unsafe { libc::write(fd, rest.as_ptr().cast(), rest.len()) };
        if n <= 0 {
            return;
        }
        rest = &rest[n as usize..];
    }
}

/// Turns echo off on `fd`, runs `read`, restores the terminal. `None` when `fd` is no terminal.
fn without_echo<T>(fd: libc::c_int, read: impl FnOnce() -> T) -> Option<T> {
    // SAFETY: termios calls on a descriptor we hold, with structs they fill.
    unsafe {
        let mut old: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(fd, &mut old) != 0 {
            return None;
        }
        let mut quiet = old;
        quiet.c_lflag &= !libc::ECHO;
        libc::tcsetattr(fd, libc::TCSAFLUSH, &quiet);
        let result = read();
        libc::tcsetattr(fd, libc::TCSAFLUSH, &old);
        Some(result)
    }
}

/// `getpass.getpass(prompt)`; `stderr` receives what Python writes to `sys.stderr` when there is no
/// terminal.
pub fn getpass(prompt: &str, stderr: &dyn Fn(&str)) -> Result<String, PromptError> {
    let guard = SigintGuard::install();
    // SAFETY: opens /dev/tty by a NUL-terminated path; the descriptor is closed below.
    let tty = unsafe { libc::open(c"/dev/tty".as_ptr(), libc::O_RDWR | libc::O_NOCTTY) };
    if tty >= 0 {
        let result = without_echo(tty, || {
            write_all(tty, prompt);
            read_line(tty, &guard)
        })
        .unwrap_or(Err(PromptError::Eof));
        if result.is_ok() {
            write_all(tty, "\n");
        }
        // SAFETY: closes the descriptor opened above.
        unsafe { libc::close(tty) };
        return result;
    }
    // No terminal: stdin, with the prompt on stderr (echo off if stdin is a terminal after all).
    let result = match without_echo(0, || {
        stderr(prompt);
        read_line(0, &guard)
    }) {
        Some(result) => result,
        None => {
            stderr("Warning: Password input may be echoed.\n");
            stderr(prompt);
            read_line(0, &guard)
        }
    };
    if result.is_ok() {
        stderr("\n");
    }
    result
}
