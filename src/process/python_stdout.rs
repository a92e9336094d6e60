//! Standard output buffered as the reference's is, so that a closed pipe (`aws ... | head -1` after
//! `head` has gone) fails where and how it fails for the reference.
//!
//! The reference writes to Python's `sys.stdout`: a `TextIOWrapper` that gathers text until 8 KiB are
//! pending (`_CHUNK_SIZE`), over a `BufferedWriter` the size of the pipe's `st_blksize` (4 KiB), over
//! file descriptor 1. A chunk handed down that does not fit the buffer is written straight to the
//! descriptor; one that fits waits there until a flush. When the reader has gone, each write to the
//! descriptor fails with `EPIPE`, and what happens next depends on which layer held the bytes:
//!
//! - a failed direct write loses the chunk and raises `BrokenPipeError` to the writer (the text
//!   formatter lets it through: `[Errno 32] Broken pipe`, exit 255; the JSON and table formatters
//!   swallow it);
//! - a failed flush of the buffer keeps the bytes there, so the interpreter's own flush at exit fails
//!   again: `Exception ignored in: <_io.TextIOWrapper ...>` / `BrokenPipeError: [Errno 32] Broken
//!   pipe`, exit status 120.
//!
//! [`PythonStdout`] reproduces those two layers for output written as many small pieces (what the
//! reference's formatters do: `json.dump` chunks, one text row at a time), so the outcome depends only
//! on how many bytes were written and where the formatter flushed. After a failed write it drops
//! further writes, as the reference's formatters stop at the exception. On a pipe that is read, the
//! bytes go out in 8 KiB writes, as `BufWriter` would send them.

use std::io::{self, Write};

/// `TextIOWrapper._CHUNK_SIZE`.
const CHUNK_SIZE: usize = 8192;
/// The `BufferedWriter`'s size: a pipe's `st_blksize`.
const BUFFER_SIZE: usize = 4096;

/// What the interpreter prints at exit when flushing `sys.stdout` fails (then exits with 120).
pub const EXIT_FLUSH_FAILED: &str = "Exception ignored in: <_io.TextIOWrapper name='<stdout>' mode='w' encoding='utf-8'>\nBrokenPipeError: [Errno 32] Broken pipe\n";

/// The exit status of an interpreter whose final flush of stdout failed.
pub const EXIT_FLUSH_FAILED_STATUS: i32 = 120;

/// `str(BrokenPipeError)`, as the reference's `main()` prints a write that failed.
pub const BROKEN_PIPE: &str = "[Errno 32] Broken pipe";

/// Python's two stdout buffers over `raw` (see the module doc).
pub struct PythonStdout<W: Write> {
    raw: W,
    /// The `TextIOWrapper`'s pending bytes (never more than `CHUNK_SIZE`).
    pending: Vec<u8>,
    /// The `BufferedWriter`'s buffer (never more than `BUFFER_SIZE`).
    buffer: Vec<u8>,
    /// A write failed: the writer that got the error has stopped, so later writes are dropped.
    failed: bool,
}

impl<W: Write> PythonStdout<W> {
    pub fn new(raw: W) -> Self {
        PythonStdout {
            raw,
            pending: Vec::with_capacity(CHUNK_SIZE),
            buffer: Vec::new(),
            failed: false,
        }
    }

    fn raw_write(&mut self, data: &[u8]) -> io::Result<()> {
        self.raw.write_all(data)?;
        self.raw.flush()
    }

    /// `_textiowrapper_writeflush`: the pending bytes go down to the buffered layer (and are gone
    /// from here whatever happens there).
    fn write_pending(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.pending, Vec::with_capacity(CHUNK_SIZE));
        self.buffered_write(&chunk)
    }

    /// `BufferedWriter.write`: into the buffer when it fits; otherwise the buffer is flushed first
    /// (kept on failure), then a chunk larger than the buffer goes straight to the descriptor.
    fn buffered_write(&mut self, chunk: &[u8]) -> io::Result<()> {
        if chunk.len() <= BUFFER_SIZE - self.buffer.len() {
            self.buffer.extend_from_slice(chunk);
            return Ok(());
        }
        self.flush_buffer()?;
        if chunk.len() > BUFFER_SIZE {
            self.raw_write(chunk)
        } else {
            self.buffer.extend_from_slice(chunk);
            Ok(())
        }
    }

    /// Writes the buffer to the descriptor; on failure it keeps its bytes.
    fn flush_buffer(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let buffer = std::mem::take(&mut self.buffer);
        let result = self.raw_write(&buffer);
        if result.is_err() {
            self.buffer = buffer;
        }
        result
    }

    fn fail(&mut self, e: io::Error) -> io::Error {
        self.failed = true;
        e
    }
}

impl<W: Write> Write for PythonStdout<W> {
    /// Takes all of `data` or fails (a write never reports a partial count).
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.failed {
            return Err(io::Error::from(io::ErrorKind::BrokenPipe));
        }
        let mut rest = data;
        // Whole chunks with nothing held anywhere go straight out, as each would alone.
        if self.pending.is_empty() && self.buffer.is_empty() && rest.len() >= CHUNK_SIZE {
            let whole = rest.len() - rest.len() % CHUNK_SIZE;
            self.raw_write(&rest[..whole]).map_err(|e| self.fail(e))?;
            rest = &rest[whole..];
        }
        while !rest.is_empty() {
            let room = CHUNK_SIZE - self.pending.len();
            let take = room.min(rest.len());
            self.pending.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.pending.len() >= CHUNK_SIZE {
                self.write_pending().map_err(|e| self.fail(e))?;
            }
        }
        Ok(data.len())
    }

    /// `TextIOWrapper.flush`: pending bytes down, then the buffer out.
    fn flush(&mut self) -> io::Result<()> {
        self.write_pending()?;
        self.flush_buffer()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A descriptor whose reader has gone: every write fails; `written` counts the attempts.
    #[derive(Default)]
    struct ClosedPipe {
        attempts: usize,
    }

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            self.attempts += 1;
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Writes `total` bytes in 21-byte pieces, flushes (errors ignored, as the formatters do), and
    /// tells whether a write failed and whether the exit flush fails: CPython 3.11's answers for the
    /// same writes to a closed pipe, measured with `sys.stdout.write('x' * 20 + '\n')` in a loop.
    fn run(pieces: usize) -> (bool, bool) {
        let mut out = PythonStdout::new(ClosedPipe::default());
        let line = [b'x'; 21];
        let mut write_failed = false;
        for _ in 0..pieces {
            if out.write_all(&line).is_err() {
                write_failed = true;
                break;
            }
        }
        let _ = out.flush();
        (write_failed, out.flush().is_err())
    }

    #[test]
    fn fails_where_python_fails() {
        // 30 and 195 lines stay in the buffer: the exit flush fails (status 120).
        assert_eq!(run(30), (false, true));
        assert_eq!(run(195), (false, true));
        // 196..=390 lines: the formatter's flush writes past the buffer and loses them: exit 0.
        assert_eq!(run(196), (false, false));
        assert_eq!(run(390), (false, false));
        // More than a chunk: the write itself fails, nothing is left: exit 0 (or 255 for text).
        assert_eq!(run(400), (true, false));
        assert_eq!(run(3000), (true, false));
    }

    #[test]
    fn passes_everything_through_an_open_pipe() {
        let mut out = PythonStdout::new(Vec::new());
        let text: Vec<u8> = (0..50_000u32).map(|i| (i % 251) as u8).collect();
        out.write_all(&text[..10]).expect("in memory");
        out.write_all(&text[10..20_000]).expect("in memory");
        out.write_all(&text[20_000..]).expect("in memory");
        out.flush().expect("in memory");
        assert_eq!(out.raw, text);
    }
}
