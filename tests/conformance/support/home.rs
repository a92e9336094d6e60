//! Case features beyond stdout and stderr, the replay's half of `tests/conformance/home_and_terminal.py`
//! (the module doc there states the rules): `~/` files under HOME, the `{now±N}` time placeholders and
//! their normalisation, the files compared after the run (`compare_files`), and runs with a pseudo-terminal
//! as the controlling terminal (`terminal`). Every run starts a new session with umask 022, so nothing can
//! prompt on the terminal of whoever runs the tests.

use serde_json::{json, Map, Value};
use std::fs;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

const TIME_WINDOW: i64 = 400 * 86_400;
const SESSION_WINDOW: i64 = 3600;

/// Seconds since the epoch, now (the case's start).
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `YYYY-MM-DDTHH:MM:SSZ` for an epoch second.
pub fn iso(epoch: i64) -> String {
    let (y, m, d) = civil_from_days(epoch.div_euclid(86_400));
    let s = epoch.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// `{now}`, `{now+N}`, `{now-N}` as ISO 8601 UTC times relative to `start`.
pub fn now_placeholders(text: &str, start: i64) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("{now") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 4..];
        let offset = if tail.starts_with('}') {
            Some((0, 1))
        } else {
            let sign = match tail.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => 0,
            };
            let digits = tail[1.min(tail.len())..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            let closed = tail.as_bytes().get(1 + digits) == Some(&b'}');
            match (sign, digits > 0 && closed) {
                (0, _) | (_, false) => None,
                (sign, true) => tail[1..1 + digits]
                    .parse::<i64>()
                    .ok()
                    .map(|n| (sign * n, digits + 2)),
            }
        };
        match offset {
            Some((seconds, used)) => {
                out.push_str(&iso(start + seconds));
                rest = &tail[used..];
            }
            None => {
                out.push_str("{now");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

fn parse_iso(b: &[u8]) -> Option<i64> {
    let digit = |i: usize| -> Option<i64> {
        b.get(i)
            .filter(|c| c.is_ascii_digit())
            .map(|c| i64::from(c - b'0'))
    };
    let num = |from: usize, len: usize| -> Option<i64> {
        (from..from + len).try_fold(0, |acc, i| Some(acc * 10 + digit(i)?))
    };
    let shape = [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'Z'),
    ];
    if !shape.iter().all(|(i, c)| b.get(*i) == Some(c)) {
        return None;
    }
    let (y, mo, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (h, mi, s) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s)
}

/// Times near `start` back into placeholder form: ISO stamps as `{now±K}` (K in whole minutes) and
/// `botocore-session-<epoch>` as `botocore-session-{epoch}`, as `normalise_times` in the recorder.
pub fn normalise_times(text: &str, start: i64) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    const SESSION: &str = "botocore-session-";
    while i < b.len() {
        let boundary = i == 0 || !b[i - 1].is_ascii_alphanumeric() && b[i - 1] != b'_';
        if boundary && b.len() - i >= 20 && b[i].is_ascii_digit() {
            if let Some(t) = parse_iso(&b[i..i + 20]) {
                let offset = t - start;
                if offset.abs() <= TIME_WINDOW {
                    let minutes = (offset + 30).div_euclid(60);
                    out.push_str(&text[copied..i]);
                    out.push_str(&match minutes {
                        0 => "{now}".to_string(),
                        m => format!("{{now{:+}}}", m * 60),
                    });
                    i += 20;
                    copied = i;
                    continue;
                }
            }
        }
        if text[i..].starts_with(SESSION) {
            let digits_at = i + SESSION.len();
            let n = b[digits_at..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            let end = digits_at + n;
            let word_end = b
                .get(end)
                .is_none_or(|c| !c.is_ascii_alphanumeric() && *c != b'_');
            if (9..=11).contains(&n) && word_end {
                let epoch: i64 = text[digits_at..end].parse().unwrap_or(0);
                if (epoch - start).abs() <= SESSION_WINDOW {
                    out.push_str(&text[copied..digits_at]);
                    out.push_str("{epoch}");
                    i = end;
                    copied = i;
                    continue;
                }
            }
        }
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    out.push_str(&text[copied..]);
    out
}

/// Normalises the times inside a JSON value (the emulator's request log).
pub fn normalise_json_times(value: &Value, start: i64) -> Value {
    match value {
        Value::String(s) => Value::String(normalise_times(s, start)),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| normalise_json_times(v, start))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (normalise_times(k, start), normalise_json_times(v, start)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Where a `files` entry goes: `~/x` under HOME, anything else under the working directory.
pub fn file_path(rel: &str, cwd: &Path, home: &Path) -> (PathBuf, bool) {
    match rel.strip_prefix("~/") {
        Some(under_home) => (home.join(under_home), true),
        None => (cwd.join(rel), false),
    }
}

/// Makes a file created under HOME readable as the recorder leaves it (0644, whatever the umask).
pub fn set_home_file_mode(path: &Path) -> std::io::Result<()> {
    fs::set_permissions(path, fs::Permissions::from_mode(0o644))
}

/// Every file under the HOME-relative paths in `wanted`, as `{"~/path": {"mode", "content"}}`, sorted.
pub fn collect_files(home: &Path, wanted: &[String], normalise: &dyn Fn(&str) -> String) -> Value {
    fn walk(dir: &Path, into: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            if fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
                walk(&path, into);
            } else {
                into.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    for entry in wanted {
        let base = home.join(entry.strip_prefix("~/").unwrap_or(entry));
        match fs::symlink_metadata(&base) {
            Ok(meta) if meta.is_dir() => walk(&base, &mut paths),
            Ok(_) => paths.push(base),
            Err(_) => {}
        }
    }
    let mut found: Vec<(String, Value)> = Vec::new();
    for path in paths {
        let rel = path.strip_prefix(home).unwrap_or(&path);
        let mode = fs::symlink_metadata(&path)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0);
        let content = fs::read(&path).unwrap_or_default();
        found.push((
            format!("~/{}", rel.display()),
            json!({"mode": format!("{mode:04o}"), "content": normalise(&String::from_utf8_lossy(&content))}),
        ));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.dedup_by(|a, b| a.0 == b.0);
    Value::Object(found.into_iter().collect::<Map<String, Value>>())
}

/// A new session (no controlling terminal) and umask 022 for the program, as the recorder runs it.
pub fn detach(command: &mut Command) {
    // SAFETY: setsid and umask are async-signal-safe and touch no memory of the parent.
    unsafe {
        command.pre_exec(|| {
            libc::setsid();
            libc::umask(0o022);
            Ok(())
        });
    }
}

/// A pseudo-terminal pair: the parent keeps the master (and the slave, so reads never see a hangup while
/// the program has not opened it yet).
pub struct Terminal {
    master: fs::File,
    slave: OwnedFd,
}

impl Terminal {
    pub fn open() -> std::io::Result<Terminal> {
        // SAFETY: plain libc calls on descriptors this function owns; every result is checked.
        unsafe {
            let master = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC);
            if master < 0 {
                return Err(std::io::Error::last_os_error());
            }
            let master_file = fs::File::from_raw_fd(master);
            if libc::grantpt(master) != 0 || libc::unlockpt(master) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            let mut name = [0 as libc::c_char; 128];
            if libc::ptsname_r(master, name.as_mut_ptr(), name.len()) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            let slave = libc::open(name.as_ptr(), libc::O_RDWR | libc::O_NOCTTY);
            if slave < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(Terminal {
                master: master_file,
                slave: OwnedFd::from_raw_fd(slave),
            })
        }
    }

    /// Makes the terminal the program's controlling terminal in a new session (umask 022).
    pub fn attach(&self, command: &mut Command) {
        let slave = self.slave.as_raw_fd();
        // SAFETY: setsid, ioctl(TIOCSCTTY) and umask are async-signal-safe; `slave` stays open in the
        // parent until the child has exited, so it is valid in the child.
        unsafe {
            command.pre_exec(move || {
                libc::setsid();
                if libc::ioctl(slave, libc::TIOCSCTTY, 0) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                libc::umask(0o022);
                Ok(())
            });
        }
    }

    /// Watches the terminal until the child exits: types `typed` once the output ends in ": ", returns
    /// everything the program wrote to the terminal. Kills the child at `deadline`.
    pub fn converse(
        &mut self,
        child: &mut Child,
        typed: &[u8],
        deadline: Instant,
    ) -> Result<(Vec<u8>, std::process::ExitStatus), String> {
        let fd = self.master.as_raw_fd();
        let mut shown = Vec::new();
        let mut sent = false;
        let mut buf = [0u8; 65536];
        let readable = |ms: i32| {
            let mut pfd = libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd for the duration of the call.
            unsafe { libc::poll(&mut pfd, 1, ms) > 0 && pfd.revents & libc::POLLIN != 0 }
        };
        let status = loop {
            if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return Err("timed out".into());
            }
            if readable(50) {
                let n = self.master.read(&mut buf).unwrap_or(0);
                shown.extend_from_slice(&buf[..n]);
                if !sent && shown.ends_with(b": ") {
                    self.master.write_all(typed).map_err(|e| e.to_string())?;
                    sent = true;
                }
            }
        };
        while readable(100) {
            match self.master.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => shown.extend_from_slice(&buf[..n]),
            }
        }
        Ok((shown, status))
    }
}
