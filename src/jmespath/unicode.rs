//! The three Unicode properties Python consults where JMESPath output depends on them:
//! `str.isspace()` (the literal lexer's `lstrip`, `int()`/`float()` parsing), decimal digit values
//! (`int('١٢')` is 12) and `str.isprintable()` (which characters `repr()` escapes in error messages).
//! Rust's `char` methods follow a different Unicode version and different definitions, so the tables are
//! generated from the reference's own Python (see `unicode_tables.rs`).

use super::unicode_tables::{DECIMAL_ZEROS, NOT_PRINTABLE, SPACES};

/// Python's `str.isspace()` for one character.
pub(crate) fn is_space(c: char) -> bool {
    SPACES.binary_search(&u32::from(c)).is_ok()
}

/// The value of a Unicode decimal digit (category Nd), as Python's `int()` reads it.
pub(crate) fn decimal_value(c: char) -> Option<u8> {
    let code = u32::from(c);
    let index = match DECIMAL_ZEROS.binary_search(&code) {
        Ok(i) => i,
        Err(0) => return None,
        Err(i) => i - 1,
    };
    let offset = code - DECIMAL_ZEROS[index];
    (offset < 10).then_some(offset as u8)
}

/// Python's `str.isprintable()` for one character.
pub(crate) fn is_printable(c: char) -> bool {
    let code = u32::from(c);
    let index = NOT_PRINTABLE.partition_point(|(start, _)| *start <= code);
    index == 0 || NOT_PRINTABLE[index - 1].1 < code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_match_python() {
        assert!(is_space('\u{3000}') && is_space('\x1f') && !is_space('\u{200b}'));
        assert_eq!(decimal_value('٣'), Some(3));
        assert_eq!(decimal_value('7'), Some(7));
        assert_eq!(decimal_value('a'), None);
        assert!(
            is_printable('é')
                && is_printable(' ')
                && !is_printable('\u{a0}')
                && !is_printable('\n')
        );
        assert!(!is_printable('\u{e000}') && is_printable('😀'));
    }
}
