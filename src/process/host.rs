//! What the process asks of the host and may ask more than once: the kernel release (named in the
//! User-Agent of every request and in `--version`), read once per process; and random bytes (request
//! ids, UUIDs, retry jitter, temporary file names) from the `getrandom` system call, one call instead of
//! opening `/dev/urandom` each time. A listing of fifty pages made five system calls per page for these.

use std::sync::OnceLock;

/// The contents of `/proc/sys/kernel/osrelease`, trimmed (`6.18.44-...`); empty when unreadable.
pub fn os_release() -> &'static str {
    static RELEASE: OnceLock<String> = OnceLock::new();
    RELEASE.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|text| text.trim().to_owned())
            .unwrap_or_default()
    })
}

/// Fills `buf` with random bytes from the kernel; when it has none to give (no `getrandom`, a
/// seccomp filter), with a xorshift stream seeded from the clock, the process id and the buffer's
/// address: the callers need unique values, not secrets.
pub fn random_bytes(buf: &mut [u8]) {
    let mut filled = 0;
    while filled < buf.len() {
        let rest = &mut buf[filled..];
        // SAFETY: `rest` is a valid, writable buffer of `rest.len()` bytes for the whole call.
        let n = unsafe { libc::getrandom(rest.as_mut_ptr().cast(), rest.len(), 0) };
        if n <= 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            break;
        }
        filled += n as usize;
    }
    if filled == buf.len() {
        return;
    }
    let mut x = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1)
        ^ u64::from(std::process::id()).rotate_left(32)
        ^ (buf.as_ptr() as u64).rotate_left(16)
        | 1;
    for b in buf.iter_mut() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_is_read_once_and_random_bytes_differ() {
        assert_eq!(os_release().as_ptr(), os_release().as_ptr());
        assert_eq!(os_release(), os_release().trim());
        let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
        random_bytes(&mut a);
        random_bytes(&mut b);
        assert_ne!(a, b);
    }
}
