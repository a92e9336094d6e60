//! Whether the process ends as soon as the command has run, and what that lets the last steps skip.
//!
//! Freeing a merged listing of thousands of resources, one allocation at a time, costs about as much
//! as decoding it did; when the process exits right after printing it, the operating system takes the
//! whole heap back at once anyway. The `aws` binary declares that it exits after the command
//! ([`exits_after_run`], from `main`), and the output stage hands its large values to [`release`],
//! which then forgets them instead of freeing them. Callers that keep running (the tests, which call
//! the driver in-process) never declare it, so for them every value is dropped as usual.

use std::sync::atomic::{AtomicBool, Ordering};

static EXITS_AFTER_RUN: AtomicBool = AtomicBool::new(false);

/// Declares that the process exits as soon as the command has run (called by the binary's `main`).
pub fn exits_after_run() {
    EXITS_AFTER_RUN.store(true, Ordering::Relaxed);
}

/// Drops `value`, unless the process exits right after the command: then its memory is left for the
/// operating system to reclaim at exit.
pub fn release<T>(value: T) {
    if EXITS_AFTER_RUN.load(Ordering::Relaxed) {
        std::mem::forget(value);
    } else {
        drop(value);
    }
}
