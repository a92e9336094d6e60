//! Parameter values read from files and URLs (`awscli/paramfile.py`).
//!
//! A value starting with `file://` is replaced by that file's text (decoded as UTF-8, the locale's
//! encoding under the C/UTF-8 locales the CLI runs in, with Python's universal-newline translation),
//! `fileb://` by its bytes, and — since `cli_follow_urlparam` defaults to `true` in v1.45.11 —
//! `http://` / `https://` by the body a GET returns. The path goes through Python's `expanduser`
//! then `expandvars`. Failures carry the reference's messages (`Unable to load paramfile file://x:
//! [Errno 2] No such file or directory: 'x'`); the caller wraps them in `Error parsing parameter`.
//! URLs are fetched through [`crate::http`] and its failures reported in botocore's words.

use crate::http;
use crate::python::repr::repr_str;
use crate::python::utf8::decode_utf8;
use std::fmt;
use std::io::Read;
use std::time::Duration;

/// What a prefix loaded.
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded {
    /// `file://`, `http://`, `https://`: text.
    Text(String),
    /// `fileb://`: raw bytes.
    Bytes(Vec<u8>),
}

/// `ResourceLoadingError`; `Display` is its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceLoadingError(pub String);

impl fmt::Display for ResourceLoadingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ResourceLoadingError {}

/// `get_paramfile(path, prefixes)`: `Ok(None)` when `path` has none of the prefixes. `follow_urls`
/// adds `http://` and `https://` (the reference's default, `cli_follow_urlparam = true`; shorthand's
/// `key@=` never follows URLs).
pub fn get_paramfile(
    path: &str,
    follow_urls: bool,
) -> Result<Option<Loaded>, ResourceLoadingError> {
    if let Some(rest) = path.strip_prefix("file://") {
        return read_file(path, rest, false).map(Some);
    }
    if let Some(rest) = path.strip_prefix("fileb://") {
        return read_file(path, rest, true).map(Some);
    }
    if follow_urls && is_url(path) {
        return get_uri(path).map(|text| Some(Loaded::Text(text)));
    }
    Ok(None)
}

/// `--v2-debug`'s warning for each parameter whose URL was fetched (printed with `print`, so it ends in
/// a blank line).
pub const V2_URL_WARNING: &str = "\nAWS CLI v2 UPGRADE WARNING: For input parameters that have a prefix of `http://` or `https://`, AWS CLI v2 will not automatically request the content of the URL for the parameter, and the `cli_follow_urlparam` option has been removed. For guidance on how to adapt this command to AWS CLI v2 usage, see https://docs.aws.amazon.com/cli/latest/userguide/cliv2-migration-changes.html#cliv2-migration-paramfile.\n\n";

/// Whether `path` names a URL (`http://` / `https://`, case-sensitive as the reference's prefixes).
pub fn is_url(path: &str) -> bool {
    path.starts_with("http://") || path.starts_with("https://")
}

fn read_file(uri: &str, rest: &str, binary: bool) -> Result<Loaded, ResourceLoadingError> {
    let file_path = expandvars(&expanduser(rest));
    let os_error = |e: std::io::Error| {
        ResourceLoadingError(format!(
            "Unable to load paramfile {uri}: {}",
            python_os_error(&e, &file_path)
        ))
    };
    if std::path::Path::new(&file_path).is_dir() {
        let e = std::io::Error::from_raw_os_error(21);
        return Err(os_error(e));
    }
    let mut bytes = Vec::new();
    open_without_waiting_for_a_writer(&file_path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(os_error)?;
    if binary {
        return Ok(Loaded::Bytes(bytes));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        ResourceLoadingError(format!(
            "Unable to load paramfile ({file_path}), text contents could not be decoded.  If this is a binary \
             file, please use the fileb:// prefix instead of the file:// prefix."
        ))
    })?;
    Ok(Loaded::Text(universal_newlines(text)))
}

/// Opens `path` for reading. A FIFO that no process has open for writing would block `open(2)`
/// forever (the reference hangs there), so the file is opened non-blocking and then switched back to
/// blocking reads: a pipe with a writer (`file:///dev/fd/63` from `<(...)`) is read to its end as
/// usual, one without a writer reads as empty.
fn open_without_waiting_for_a_writer(path: &str) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::io::AsRawFd;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let fd = file.as_raw_fd();
    // SAFETY: `fd` is the open descriptor owned by `file`, alive for both calls; F_GETFL/F_SETFL
    // only read and change its status flags.
    let cleared = unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        flags >= 0 && libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) >= 0
    };
    if !cleared {
        return Err(std::io::Error::last_os_error());
    }
    Ok(file)
}

/// Python's text-mode newline translation: `\r\n` and a lone `\r` become `\n`.
fn universal_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// `str(OSError)` for a failed `open(path)`: `[Errno 2] No such file or directory: 'path'`.
fn python_os_error(e: &std::io::Error, path: &str) -> String {
    match e.raw_os_error() {
        Some(code) => {
            let text = std::io::Error::from_raw_os_error(code).to_string();
            let strerror = text.split(" (os error").next().unwrap_or(&text);
            format!("[Errno {code}] {strerror}: {}", repr_str(path))
        }
        None => e.to_string(),
    }
}

/// `os.path.expanduser`: `~` is `$HOME`; `~name` is that user's home from `/etc/passwd`.
fn expanduser(path: &str) -> String {
    if !path.starts_with('~') {
        return path.to_string();
    }
    let split = path[1..].find('/').map(|i| i + 1).unwrap_or(path.len());
    let home = if split == 1 {
        std::env::var("HOME").ok().or_else(|| passwd_home(None))
    } else {
        passwd_home(Some(&path[1..split]))
    };
    let Some(home) = home else {
        return path.to_string();
    };
    let joined = format!("{}{}", home.trim_end_matches('/'), &path[split..]);
    if joined.is_empty() {
        "/".to_string()
    } else {
        joined
    }
}

/// The home directory of `user` (or of the current user when `None`) in `/etc/passwd`.
fn passwd_home(user: Option<&str>) -> Option<String> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    let uid = std::fs::metadata("/proc/self")
        .ok()
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m).to_string());
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        let matches = match user {
            Some(name) => fields.first() == Some(&name),
            None => uid.as_deref().is_some_and(|u| fields.get(2) == Some(&u)),
        };
        if matches {
            fields.get(5).map(|s| s.to_string())
        } else {
            None
        }
    })
}

/// `os.path.expandvars`: `$NAME` and `${NAME}` are replaced when `NAME` is set, else left alone.
fn expandvars(path: &str) -> String {
    if !path.contains('$') {
        return path.to_string();
    }
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        let (name, len) = if let Some(braced) = after.strip_prefix('{') {
            match braced.find('}') {
                Some(close) => (&braced[..close], close + 2),
                None => ("", 0),
            }
        } else {
            let n = after
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            (&after[..n], n)
        };
        let value = if len > 0 {
            std::env::var(name).ok()
        } else {
            None
        };
        match value {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[dollar..dollar + 1 + len]),
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

/// `get_uri`: a GET whose 200 body is the value, sent as botocore's bare `URLLib3Session()` sends it:
/// no proxy (the environment's are not read), the default trust store (not `--ca-bundle`), 60-second
/// timeouts, no retries and no redirects. Its headers are urllib3's defaults (`Host`,
/// `Accept-Encoding: identity`, `User-Agent`), the User-Agent naming this project where urllib3 names
/// itself.
fn get_uri(uri: &str) -> Result<String, ResourceLoadingError> {
    let fail = |why: String| ResourceLoadingError(format!("Unable to retrieve {uri}: {why}"));
    let url =
        http::Url::parse(uri).ok_or_else(|| fail(http::TransportError::Connect.describe(uri)))?;
    let headers = [
        ("Host".to_string(), url.host_header()),
        ("Accept-Encoding".to_string(), "identity".to_string()),
        ("User-Agent".to_string(), FETCH_USER_AGENT.to_string()),
    ];
    let timeout = Some(Duration::from_secs(60));
    let options = http::TransportOptions {
        connect_timeout: timeout,
        read_timeout: timeout,
        verify: &http::Verify::Default,
    };
    let response =
        http::send(&url, "GET", &headers, &[], &options).map_err(|e| fail(e.describe(uri)))?;
    if response.status != 200 {
        return Err(fail(format!(
            "received non 200 status code of {}",
            response.status
        )));
    }
    let content_type = response.header("content-type").map(str::to_owned);
    decode_body(response.body, content_type.as_deref()).map_err(fail)
}

/// The User-Agent of a parameter fetch (urllib3's default names urllib3; ours names this project).
const FETCH_USER_AGENT: &str = concat!("lightsail-cli/", env!("CARGO_PKG_VERSION"));

/// `AWSResponse.text`: the content-type's charset, ISO-8859-1 for a `text` type without one, else UTF-8.
fn decode_body(body: Vec<u8>, content_type: Option<&str>) -> Result<String, String> {
    let charset = content_type.and_then(|ct| {
        ct.split(';').skip(1).find_map(|p| {
            let (k, v) = p.split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case("charset")
                .then(|| v.trim().trim_matches('"').to_ascii_lowercase())
        })
    });
    let latin1 = match (&charset, content_type) {
        (Some(c), _) => matches!(c.as_str(), "iso-8859-1" | "latin-1" | "latin1"),
        (None, Some(ct)) => ct.contains("text"),
        (None, None) => false,
    };
    if latin1 {
        return Ok(body.iter().map(|b| *b as char).collect());
    }
    decode_utf8(&body)
        .map(str::to_string)
        .map_err(|e| e.to_string())
}
