//! Ctrl-C as the reference answers it: `clidriver.main` catches `KeyboardInterrupt`, writes a newline to
//! stdout and returns 128 + SIGINT (130). The handler here does the same from the signal itself, with
//! only async-signal-safe calls (`write`, `_exit`), so a call blocked on the network ends at once.

extern "C" fn on_interrupt(_: libc::c_int) {
    // SAFETY: write(2) and _exit(2) are async-signal-safe; the buffer is a static byte.
    unsafe {
        let _ = libc::write(1, b"\n".as_ptr().cast(), 1);
        libc::_exit(130);
    }
}

/// Installs the SIGINT handler for the rest of the process.
pub fn install() {
    // SAFETY: `on_interrupt` has the signature signal(2) expects and only calls async-signal-safe code.
    unsafe {
        libc::signal(
            libc::SIGINT,
            on_interrupt as *const () as libc::sighandler_t,
        );
    }
}
