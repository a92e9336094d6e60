//! botocore's `JSONFileCache`, the on-disk caches the credential providers share with every other AWS CLI
//! process: `~/.aws/cli/cache/<key>.json` (assume-role and web-identity responses, injected by awscli) and
//! `~/.aws/sso/cache/<key>.json` (SSO tokens). A key is present when its file is a regular file; reading a
//! present file that is not JSON is a `KeyError` (the reference then stops with `'<key>'`); writing creates
//! the directory, writes a `mkstemp` file (mode 0600) in it, fsyncs it and renames it over the key's file,
//! so a reader never sees half a file. Python's subscript errors on what a file holds are here too, since
//! the providers index cached values as botocore does.

use crate::python::repr::repr_str;
use crate::python::types::type_name;
use crate::python::value::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A cache directory.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonFileCache {
    dir: PathBuf,
}

impl JsonFileCache {
    /// `~/.aws/cli/cache` (awscli's `CACHE_DIR`), or `None` without a home.
    pub fn cli(home: Option<&str>) -> Option<JsonFileCache> {
        home.map(|h| JsonFileCache {
            dir: Path::new(h).join(".aws").join("cli").join("cache"),
        })
    }

    /// `~/.aws/sso/cache` (botocore's `_SSO_TOKEN_CACHE_DIR`), or `None` without a home.
    pub fn sso(home: Option<&str>) -> Option<JsonFileCache> {
        home.map(|h| JsonFileCache {
            dir: Path::new(h).join(".aws").join("sso").join("cache"),
        })
    }

    pub fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    /// `key in cache`: the file exists and is a regular file.
    pub fn contains(&self, key: &str) -> bool {
        self.path(key).is_file()
    }

    /// `cache[key]`: the file's JSON, or the `KeyError` text (`'<key>'`) when it cannot be read or parsed.
    pub fn get(&self, key: &str) -> Result<Value, String> {
        let missing = || repr_str(key);
        let bytes = std::fs::read(self.path(key)).map_err(|_| missing())?;
        let text = String::from_utf8(bytes).map_err(|_| missing())?;
        crate::python::json_decode::loads(&text).map_err(|_| missing())
    }

    /// `cache[key] = value` with `text` the serialised value; the error is Python's `OSError` text.
    pub fn set(&self, key: &str, text: &str) -> Result<(), String> {
        if !self.dir.is_dir() {
            std::fs::create_dir_all(&self.dir)
                .map_err(|e| os_error(&e, &self.dir.to_string_lossy()))?;
        }
        let (mut file, temp) = mkstemp(&self.dir)?;
        let written = file
            .write_all(text.as_bytes())
            .and_then(|()| file.flush())
            .and_then(|()| file.sync_all());
        drop(file);
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(os_error(&e, &temp.to_string_lossy()));
        }
        std::fs::rename(&temp, self.path(key)).map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            os_error(&e, &temp.to_string_lossy())
        })
    }
}

/// `tempfile.mkstemp(dir=dir, suffix='.tmp')`: a new file `tmpXXXXXXXX.tmp`, created exclusively, mode 0600.
fn mkstemp(dir: &Path) -> Result<(std::fs::File, PathBuf), String> {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789_";
    let mut last = None;
    for _ in 0..100 {
        let mut bytes = [0u8; 8];
        crate::process::host::random_bytes(&mut bytes);
        let name: String = bytes
            .iter()
            .map(|b| LETTERS[*b as usize % LETTERS.len()] as char)
            .collect();
        let path = dir.join(format!("tmp{name}.tmp"));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(&path) {
            Ok(file) => return Ok((file, path)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(path),
            Err(e) => return Err(os_error(&e, &path.to_string_lossy())),
        }
    }
    let path = last.unwrap_or_else(|| dir.to_path_buf());
    Err(format!(
        "[Errno 17] No usable temporary file name found: '{}'",
        path.display()
    ))
}

/// Python's `OSError` text: `[Errno 2] No such file or directory: 'path'`.
pub fn os_error(e: &std::io::Error, path: &str) -> String {
    let text = e.to_string();
    let message = text.split(" (os error").next().unwrap_or(&text);
    match e.raw_os_error() {
        Some(code) => format!("[Errno {code}] {message}: {}", repr_str(path)),
        None => message.to_owned(),
    }
}

/// `value[key]` with Python's errors: a dict without the key is a `KeyError` (`'key'`), other types a
/// `TypeError`.
pub fn index<'a>(value: &'a Value, key: &str) -> Result<&'a Value, String> {
    match value {
        Value::Object(map) => map.get(key).ok_or_else(|| repr_str(key)),
        Value::Array(_) => Err("list indices must be integers or slices, not str".into()),
        Value::String(_) => Err("string indices must be integers, not 'str'".into()),
        other => Err(format!(
            "'{}' object is not subscriptable",
            type_name(other)
        )),
    }
}

/// `key in value` with Python's semantics: dict keys, list items, substrings; other types a `TypeError`.
pub fn contains_key(value: &Value, key: &str) -> Result<bool, String> {
    match value {
        Value::Object(map) => Ok(map.contains_key(key)),
        Value::Array(items) => Ok(items.iter().any(|v| v.as_str() == Some(key))),
        Value::String(s) => Ok(s.contains(key)),
        other => Err(format!(
            "argument of type '{}' is not iterable",
            type_name(other)
        )),
    }
}

/// Python's `str()` of a value read from a cache or a credential source (what botocore then uses).
pub fn python_str(value: &Value) -> String {
    match value {
        Value::String(s) => s.to_string(),
        other => crate::python::repr::str_of(other, crate::python::repr::DictFlavor::Dict),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_round_trip_with_mode_0600_and_keyerrors() {
        let home = std::env::temp_dir().join(format!("ls-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        let cache = JsonFileCache::cli(home.to_str()).expect("home");
        assert!(!cache.contains("k"));
        cache.set("k", "{\"a\": 1}").expect("written");
        assert!(cache.contains("k"));
        assert_eq!(
            index(&cache.get("k").expect("read"), "b"),
            Err("'b'".into())
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(cache.path("k"))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(cache.path("bad"), "{nope").expect("write");
        assert_eq!(cache.get("bad"), Err("'bad'".into()));
        let leftovers = std::fs::read_dir(home.join(".aws/cli/cache"))
            .expect("dir")
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "tmp"))
            })
            .count();
        assert_eq!(leftovers, 0);
        let _ = std::fs::remove_dir_all(&home);
        assert_eq!(
            index(&Value::Array(vec![]), "x"),
            Err("list indices must be integers or slices, not str".into())
        );
        assert_eq!(
            index(&Value::Null, "x"),
            Err("'NoneType' object is not subscriptable".into())
        );
    }
}
