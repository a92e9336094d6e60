//! How the text and table formatters see one value: the cell text, its width, whether it is a scalar.
//!
//! Every cell prints with Python's `str(value)`: strings as they are, `True`, `False`, `None`, numbers
//! with `repr`, and, when a cell that is usually a scalar holds a list or an object, Python's container
//! repr (`{'a': 1, 'b': [True, None]}`), see [`crate::python::repr`].

use crate::python::repr::{str_of, DictFlavor};
use crate::python::unicode::is_double_width;
use crate::python::value::Value;

/// `str(value)` of a response value, whose objects are plain dicts: how every cell prints.
pub fn py_str(value: &Value) -> String {
    str_of(value, DictFlavor::Dict)
}

/// awscli/table.py `get_text_length`: two columns for East Asian Wide, Fullwidth and Ambiguous
/// characters (even zero-width ones such as U+0301, which is Ambiguous), one for everything else,
/// control characters included. The `unicode-width` crate counts Ambiguous as one column and
/// zero-width characters as zero, so it cannot be used.
pub fn text_length(s: &str) -> usize {
    s.chars()
        .map(|c| if is_double_width(c) { 2 } else { 1 })
        .sum()
}

/// A scalar in the formatters' sense: anything but a list or a dict.
pub fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// U+0301 (a combining accent) is East Asian Ambiguous, so awscli counts it as two columns.
    #[test]
    fn text_length_counts_wide_and_ambiguous_as_two() {
        assert_eq!(text_length("aé漢😀\u{301}"), 1 + 2 + 2 + 2 + 2);
    }
}
