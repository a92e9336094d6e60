//! `--debug` logging in the reference's format: `2026-11-27 20:48:44,606 - MainThread - botocore.auth -
//! DEBUG - message` on stderr. Times are UTC (the reference uses local time; tests run with TZ unset).
//! Lines follow the reference's main steps, not byte for byte; secrets, tokens and signatures are never
//! written.

use std::io::Write;
use std::rc::Rc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Where stderr text goes (the process's stderr, or a test's buffer).
pub type Sink = Rc<dyn Fn(&str)>;

/// The process's stderr.
pub fn process_stderr() -> Sink {
    Rc::new(|text: &str| {
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    })
}

/// A logger that writes only when `--debug` was given.
#[derive(Clone)]
pub struct Log {
    pub enabled: bool,
    pub sink: Sink,
}

impl Log {
    pub fn new(enabled: bool) -> Log {
        Log {
            enabled,
            sink: process_stderr(),
        }
    }

    pub fn debug(&self, logger: &str, message: &str) {
        self.write(logger, "DEBUG", message);
    }

    pub fn info(&self, logger: &str, message: &str) {
        self.write(logger, "INFO", message);
    }

    pub fn write(&self, logger: &str, level: &str, message: &str) {
        if !self.enabled {
            return;
        }
        let line = format!(
            "{} - MainThread - {logger} - {level} - {message}\n",
            log_timestamp(SystemTime::now())
        );
        (self.sink)(&line);
    }
}

/// (year, month, day, hour, minute, second, millisecond) in UTC.
pub fn utc_parts(t: SystemTime) -> (i64, u32, u32, u32, u32, u32, u32) {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs() as i64;
    let (y, mo, da) = crate::python::calendar::civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400) as u32;
    (
        y,
        mo,
        da,
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        d.subsec_millis(),
    )
}

/// `YYYYMMDDTHHMMSSZ`, the `X-Amz-Date` format.
pub fn amz_date(t: SystemTime) -> String {
    let (y, mo, d, h, mi, s, _) = utc_parts(t);
    format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
}

fn log_timestamp(t: SystemTime) -> String {
    let (y, mo, d, h, mi, s, ms) = utc_parts(t);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02},{ms:03}")
}

/// Python's `repr()` of a dict of str headers (`{'Name': 'value', ...}`).
pub fn headers_repr(headers: &[(String, String)]) -> String {
    let items: Vec<String> = headers
        .iter()
        .map(|(n, v)| {
            format!(
                "{}: {}",
                crate::python::repr::repr_str(n),
                crate::python::repr::repr_str(v)
            )
        })
        .collect();
    format!("{{{}}}", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates() {
        let t = UNIX_EPOCH + Duration::from_secs(1_440_938_160); // 2015-08-30T12:36:00Z
        assert_eq!(amz_date(t), "20150830T123600Z");
        assert_eq!(
            crate::python::repr::repr_bytes(b"{\"a\": 'x'}\n\xff"),
            "b'{\"a\": \\'x\\'}\\n\\xff'"
        );
    }
}
