//! The Unicode properties the reference's Python consults where our output depends on them:
//! `str.isspace()`, decimal digit values (`int('١٢')` is 12), `str.isprintable()` (what `repr()`
//! escapes) and East Asian width (how wide awscli's tables think a character is).
//!
//! Rust's `char` methods follow another Unicode version and other definitions, so every answer comes
//! from tables generated from the reference interpreter (`unicode_tables.rs`, written by
//! `tests/record/python_unicode_tables.py`).

use super::unicode_tables::{DECIMAL_ZEROS, DOUBLE_WIDTH, NON_PRINTABLE, SPACES};

/// Python's `str.isspace()` for one character (also what `\s` matches in a `str` pattern).
pub fn is_space(c: char) -> bool {
    SPACES.binary_search(&u32::from(c)).is_ok()
}

/// `c in string.whitespace`: C's `isspace` in the ASCII range, what `int()`/`float()` strip after
/// mapping Unicode spaces to `' '`, and all that shorthand's `_consume_whitespace` skips.
pub fn is_ascii_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}' | '\u{c}')
}

/// The value of a decimal digit of any script (category Nd), as Python's `int()` reads it.
pub fn decimal_value(c: char) -> Option<u8> {
    let code = u32::from(c);
    let index = DECIMAL_ZEROS.partition_point(|zero| *zero <= code);
    let zero = DECIMAL_ZEROS.get(index.checked_sub(1)?)?;
    u8::try_from(code - zero).ok().filter(|d| *d < 10)
}

/// Python's `str.isprintable()` for one character.
pub fn is_printable(c: char) -> bool {
    (' '..='~').contains(&c) || !in_ranges(&NON_PRINTABLE, c)
}

/// Whether awscli/table.py `get_text_length` counts the character as two columns: East Asian Wide,
/// Fullwidth and Ambiguous (even zero-width ones such as U+0301, which is Ambiguous). The
/// `unicode-width` crate counts Ambiguous as one column and zero-width characters as zero.
pub fn is_double_width(c: char) -> bool {
    in_ranges(&DOUBLE_WIDTH, c)
}

/// Whether `c` lies in one of the sorted, disjoint inclusive ranges.
fn in_ranges(table: &[(u32, u32)], c: char) -> bool {
    let code = u32::from(c);
    let index = table.partition_point(|(first, _)| *first <= code);
    index > 0 && table[index - 1].1 >= code
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected answers are CPython 3.11's for the same characters.
    #[test]
    fn properties_match_python() {
        assert!(is_space('\u{3000}') && is_space('\x1f') && is_space('\u{85}'));
        assert!(!is_space('\u{200b}') && !is_space('a'));
        assert_eq!(decimal_value('٣'), Some(3));
        assert_eq!(decimal_value('7'), Some(7));
        assert_eq!(decimal_value('a'), None);
        assert_eq!(decimal_value('\u{1fbf9}'), Some(9));
        assert!(is_printable('é') && is_printable(' ') && is_printable('😀'));
        assert!(!is_printable('\u{a0}') && !is_printable('\n') && !is_printable('\u{e000}'));
        assert!(!is_printable('\u{10ffff}') && !is_printable('\0'));
        assert!(is_double_width('漢') && is_double_width('\u{301}') && !is_double_width('a'));
    }
}
