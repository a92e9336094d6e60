//! Python's `str(OSError)` for a failed file operation: `[Errno 2] No such file or directory: 'path'`
//! (the `strerror` text is the C library's, which Rust's `io::Error` also prints, before its own
//! ` (os error N)` suffix).

use super::repr::repr_str;

/// `str(OSError(errno, strerror, filename))`; an error without an OS code is shown as Rust words it.
pub fn message(e: &std::io::Error, path: &str) -> String {
    match e.raw_os_error() {
        Some(code) => {
            let text = std::io::Error::from_raw_os_error(code).to_string();
            let strerror = text.split(" (os error").next().unwrap_or(&text);
            format!("[Errno {code}] {strerror}: {}", repr_str(path))
        }
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_it_like_python() {
        let e = std::io::Error::from_raw_os_error(2);
        assert_eq!(
            super::message(&e, "/x/it's"),
            "[Errno 2] No such file or directory: \"/x/it's\""
        );
    }
}
