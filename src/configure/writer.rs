//! awscli's `ConfigFileWriter`: sets keys in one section of a config or credentials file, keeping every
//! other byte of the file as the reference does.
//!
//! - A missing file is created with mode 0600 (its directories with the default mode), holding only the
//!   new section.
//! - A file without the section gets it appended (after a newline if the file does not end with one);
//!   the rest of the file is not rewritten.
//! - Otherwise the file is read as Python reads text (universal newlines: `\r\n` and `\r` become `\n`),
//!   the section's lines are edited — an existing `key = value` line replaced by `key = new`, new keys
//!   inserted after the section's last `key = value`-looking line, nested `key =` blocks edited one
//!   indented line at a time — and the whole file written back (its mode unchanged).
//!
//! The line rules are the reference's regular expressions, quirks included: a header only matches when
//! the line starts with it (`  [default]` does not), a commented-out `# key = value` line counts as the
//! section's last setting, and a nested block ending the file fails with Python's `UnboundLocalError`.
//! Hand-written: no INI crate edits files in place with these rules.

use crate::python::repr::repr_str;
use crate::python::unicode::is_space;
use std::fmt;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// A value to write: `key = value`, or a nested block (`key =` then indented `sub = value` lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewValue {
    Text(String),
    Nested(Vec<(String, String)>),
}

/// Why the file was not written; `Display` is the reference's message (`main()` prints it framed by
/// newlines, exit 255).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteError {
    /// A section name, key or value holding `\n` or `\r` (`ValueError`).
    Newline(String),
    /// Python's `UnboundLocalError` when a nested block has no indented line after it.
    Unbound,
    /// An `OSError`, as Python words it (`[Errno 13] Permission denied: 'path'`).
    Os(String),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Newline(message) | WriteError::Os(message) => f.write_str(message),
            WriteError::Unbound => f.write_str(
                "cannot access local variable 'current_indent' where it is not associated with a value",
            ),
        }
    }
}

impl std::error::Error for WriteError {}

/// `update_config({'__section__': section, **values}, path)`.
pub fn update_config(
    section: &str,
    values: &[(String, NewValue)],
    path: &str,
) -> Result<(), WriteError> {
    validate(section, values)?;
    let file = Path::new(path);
    if !file.is_file() {
        create_file(path)?;
        return write_new_section(section, values, path);
    }
    let text = std::fs::read(file).map_err(|e| os_error(&e, path))?;
    let mut lines = read_lines(&String::from_utf8_lossy(&text));
    match find_section_start(&lines, section) {
        None => write_new_section(section, values, path),
        Some(start) => {
            update_section_contents(&mut lines, start, values.to_vec())?;
            std::fs::write(file, lines.concat()).map_err(|e| os_error(&e, path))
        }
    }
}

fn validate(section: &str, values: &[(String, NewValue)]) -> Result<(), WriteError> {
    let has_newline = |s: &str| s.contains(['\n', '\r']);
    let check_key = |label: &str, s: &str| {
        if has_newline(s) {
            return Err(WriteError::Newline(format!(
                "Invalid {label}: newline characters and carriage returns are not allowed: {}",
                repr_str(s)
            )));
        }
        Ok(())
    };
    check_key("section name", section)?;
    for (key, value) in values {
        check_key("key", key)?;
        // The value's own text is never shown: it may be a secret.
        let value_error = || {
            WriteError::Newline(format!(
                "Invalid value for key {key}: newline characters and carriage returns are not allowed."
            ))
        };
        match value {
            NewValue::Text(text) if has_newline(text) => return Err(value_error()),
            NewValue::Text(_) => {}
            NewValue::Nested(pairs) => {
                for (sub_key, sub_value) in pairs {
                    check_key("key", sub_key)?;
                    if has_newline(sub_value) {
                        return Err(value_error());
                    }
                }
            }
        }
    }
    Ok(())
}

/// `_create_file`: the parent directories if needed, then an empty file with mode 0600.
fn create_file(path: &str) -> Result<(), WriteError> {
    let dir = super::dirname(path);
    if !Path::new(dir).is_dir() {
        if dir.is_empty() {
            // os.makedirs('') fails before touching anything.
            return Err(WriteError::Os(
                "[Errno 2] No such file or directory: ''".into(),
            ));
        }
        std::fs::create_dir_all(dir).map_err(|e| os_error(&e, dir))?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
        .map(drop)
        .map_err(|e| os_error(&e, path))
}

/// `_write_new_section`: appended, after a newline when the file's last byte is not one.
fn write_new_section(
    section: &str,
    values: &[(String, NewValue)],
    path: &str,
) -> Result<(), WriteError> {
    let needs_newline = std::fs::read(path)
        .map(|bytes| bytes.last().is_some_and(|b| *b != b'\n'))
        .map_err(|e| os_error(&e, path))?;
    let mut text = String::new();
    if needs_newline {
        text.push('\n');
    }
    text.push_str(&format!("[{section}]\n"));
    text.push_str(&render_values(values, ""));
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| os_error(&e, path))
}

/// Python's `readlines()` of a text file: universal newlines, each line keeping its `\n`.
fn read_lines(text: &str) -> Vec<String> {
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    normalised
        .split_inclusive('\n')
        .map(str::to_owned)
        .collect()
}

/// `SECTION_REGEX.search(line)`: `^\s*\[[^]]+\]`, the whole match.
fn section_header(line: &str) -> Option<&str> {
    let start = line.len() - line.trim_start_matches(is_space).len();
    let rest = line[start..].strip_prefix('[')?;
    let end = rest.find(']')?;
    (end > 0).then(|| &line[..start + 1 + end + 1])
}

/// `OPTION_REGEX.search(line).group('option')`: from the first character that is not `:`/`=` to the
/// next `:`/`=`, when there is one.
fn option_name(line: &str) -> Option<&str> {
    let start = line.find(|c: char| c != ':' && c != '=')?;
    let end = start + line[start..].find([':', '='])?;
    Some(&line[start..end])
}

fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// The indentation of an option name (`len(name) - len(name.lstrip())`, in characters).
fn indent_of(name: &str) -> usize {
    name.chars().count() - name.trim_start_matches(is_space).chars().count()
}

/// `_matches_section`: `[name]`, or `[first "rest"]` for a name with spaces.
fn matches_section(header: &str, section: &str) -> bool {
    if header == format!("[{section}]") {
        return true;
    }
    match section.split_once(' ') {
        Some((first, rest)) => header == format!("[{first} \"{rest}\"]"),
        None => false,
    }
}

/// `_find_section_start`: the first header line (comments skipped) naming the section.
fn find_section_start(lines: &[String], section: &str) -> Option<usize> {
    lines.iter().position(|line| {
        let stripped = strip(line);
        !stripped.starts_with(['#', ';'])
            && section_header(line).is_some_and(|h| matches_section(h, section))
    })
}

/// `_update_section_contents`.
fn update_section_contents(
    lines: &mut Vec<String>,
    start: usize,
    mut values: Vec<(String, NewValue)>,
) -> Result<(), WriteError> {
    let mut last_matching_line = start;
    let mut j = start + 1;
    while j < lines.len() {
        if section_header(&lines[j]).is_some() {
            insert_values(lines, last_matching_line, &mut values, "");
            return Ok(());
        }
        if let Some(name) = option_name(&lines[j]) {
            last_matching_line = j;
            let key = strip(name).to_owned();
            let indent = indent_of(name);
            if let Some(at) = values.iter().position(|(k, _)| *k == key) {
                match values[at].1.clone() {
                    NewValue::Text(value) => {
                        lines[j] = format!("{key} = {value}\n");
                        values.remove(at);
                    }
                    NewValue::Nested(pairs) => {
                        update_subattributes(lines, j, pairs, indent)?;
                        return Ok(());
                    }
                }
            }
        }
        j += 1;
    }
    if !values.is_empty() {
        if lines.last().is_some_and(|l| !l.ends_with('\n')) {
            lines.push("\n".into());
        }
        insert_values(lines, last_matching_line + 1, &mut values, "");
    }
    Ok(())
}

/// `_update_subattributes`: edits the indented lines after a nested `key =` line, then inserts the
/// sub-keys it did not find before the block ends (a line back at the key's indentation, or a header).
fn update_subattributes(
    lines: &mut Vec<String>,
    key_line: usize,
    pairs: Vec<(String, String)>,
    starting_indent: usize,
) -> Result<(), WriteError> {
    let mut values: Vec<(String, NewValue)> = pairs
        .into_iter()
        .map(|(k, v)| (k, NewValue::Text(v)))
        .collect();
    let mut current_indent: Option<usize> = None;
    let mut last = None;
    for i in key_line + 1..lines.len() {
        last = Some(i);
        // The header test below looks at the line as it was read.
        let is_header = section_header(&lines[i]).is_some();
        if let Some(name) = option_name(&lines[i]) {
            let indent = indent_of(name);
            current_indent = Some(indent);
            let key = strip(name).to_owned();
            if let Some(at) = values.iter().position(|(k, _)| *k == key) {
                if let NewValue::Text(value) = &values[at].1 {
                    lines[i] = format!("{}{key} = {value}\n", " ".repeat(indent));
                }
                values.remove(at);
            }
        }
        let current = current_indent.ok_or(WriteError::Unbound)?;
        if starting_indent == current || is_header {
            // Python's `contents.insert(i - 1 + 1, ...)`.
            insert_values(lines, i - 1, &mut values, "    ");
            return Ok(());
        }
    }
    let current = current_indent.ok_or(WriteError::Unbound)?;
    if starting_indent != current {
        if let Some(i) = last {
            insert_values(lines, i, &mut values, "    ");
        }
    }
    Ok(())
}

/// `_insert_new_values`: the values as lines, inserted as one string after `line_number` (appended when
/// that is past the end, as `list.insert` does).
fn insert_values(
    lines: &mut Vec<String>,
    line_number: usize,
    values: &mut Vec<(String, NewValue)>,
    indent: &str,
) {
    let text = render_values(values, indent);
    values.clear();
    let at = (line_number + 1).min(lines.len());
    lines.insert(at, text);
}

fn render_values(values: &[(String, NewValue)], indent: &str) -> String {
    let mut text = String::new();
    for (key, value) in values {
        match value {
            NewValue::Text(value) => text.push_str(&format!("{indent}{key} = {value}\n")),
            NewValue::Nested(pairs) => {
                text.push_str(&format!("{indent}{key} =\n"));
                for (sub_key, sub_value) in pairs {
                    text.push_str(&format!("{indent}    {sub_key} = {sub_value}\n"));
                }
            }
        }
    }
    text
}

fn os_error(e: &std::io::Error, path: &str) -> WriteError {
    WriteError::Os(crate::python::oserror::message(e, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_lines_like_the_regular_expressions() {
        assert_eq!(section_header("[default] ; c\n"), Some("[default]"));
        assert_eq!(section_header("  [a b]\n"), Some("  [a b]"));
        assert_eq!(section_header("[]\n"), None);
        assert_eq!(section_header("x [a]\n"), None);
        assert_eq!(option_name("region = x\n"), Some("region "));
        assert_eq!(option_name("# region = x\n"), Some("# region "));
        assert_eq!(option_name("==a: b\n"), Some("a"));
        assert_eq!(option_name("no separator\n"), None);
        assert_eq!(option_name("\n"), None);
        assert!(matches_section("[profile \"my dev\"]", "profile my dev"));
        assert!(!matches_section("  [default]", "default"));
    }
}
