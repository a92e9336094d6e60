//! Python's `shlex.split(s)` (POSIX mode, no comments), used for `credential_process` commands, profile
//! section names and the help pager command line, and `shlex.quote(s)`, used for the profile section
//! names `aws configure` writes.
//!
//! Words are separated by shlex's whitespace (space, tab, CR, LF); `'...'` quotes everything, `"..."`
//! lets a backslash escape only `"` and `\`, and a bare backslash escapes the next character. An
//! unclosed quote or a trailing backslash fails with Python's `ValueError` text.

use std::fmt;

/// Python's `shlex` errors; `Display` is the `ValueError` message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShlexError {
    NoClosingQuotation,
    NoEscapedCharacter,
}

impl ShlexError {
    pub fn message(self) -> &'static str {
        match self {
            ShlexError::NoClosingQuotation => "No closing quotation",
            ShlexError::NoEscapedCharacter => "No escaped character",
        }
    }
}

impl fmt::Display for ShlexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for ShlexError {}

/// `shlex.split(text)`.
pub fn split(text: &str) -> Result<Vec<String>, ShlexError> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(ShlexError::NoClosingQuotation),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(n @ ('"' | '\\')) => word.push(n),
                            Some(n) => {
                                word.push('\\');
                                word.push(n);
                            }
                            None => return Err(ShlexError::NoEscapedCharacter),
                        },
                        Some(c) => word.push(c),
                        None => return Err(ShlexError::NoClosingQuotation),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(n) => word.push(n),
                    None => return Err(ShlexError::NoEscapedCharacter),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// `shlex.quote(text)`: the text itself when it is non-empty and only holds ASCII letters, digits and
/// `@%+=:,./-_`; otherwise single-quoted, each `'` written as `'"'"'`.
pub fn quote(text: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./-_".contains(c);
    if !text.is_empty() && text.chars().all(safe) {
        return text.to_string();
    }
    format!("'{}'", text.replace('\'', "'\"'\"'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values are what CPython 3.11's `shlex.split` returns or raises for the same input.
    #[test]
    fn splits_like_python() {
        assert_eq!(
            split("less -R"),
            Ok(vec!["less".to_string(), "-R".to_string()])
        );
        assert_eq!(
            split("a 'b c' \"d\\\"e\\x\""),
            Ok(vec!["a".into(), "b c".into(), "d\"e\\x".into()])
        );
        assert_eq!(
            split("profile 'a b'"),
            Ok(vec!["profile".into(), "a b".into()])
        );
        assert_eq!(split("\"\\$x\""), Ok(vec!["\\$x".into()]));
        assert_eq!(split(""), Ok(vec![]));
        assert_eq!(split("less 'x"), Err(ShlexError::NoClosingQuotation));
        assert_eq!(split("less \\"), Err(ShlexError::NoEscapedCharacter));
    }

    /// Expected values are CPython 3.11's `shlex.quote`.
    #[test]
    fn quotes_like_python() {
        assert_eq!(quote("dev"), "dev");
        assert_eq!(quote("my dev"), "'my dev'");
        assert_eq!(quote("a'b c"), "'a'\"'\"'b c'");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("\u{e9}"), "'\u{e9}'");
        assert_eq!(quote("a\tb"), "'a\tb'");
    }
}
