//! The Python built-ins whose exact output the reference shows us, in one place.
//!
//! The reference CLI prints values through Python: `repr()`/`str()` in error messages and text
//! cells (`repr`), `int()`/`float()` on command-line text with their `ValueError` messages
//! (`number`), `type()` names in `TypeError`/`AttributeError` texts (`types`), the
//! `UnicodeDecodeError` of `bytes.decode('utf-8')` (`utf8`), and the Unicode properties behind them,
//! taken from the reference interpreter's own database (`unicode`). `json.dumps` and `json.loads` are
//! [`crate::python::json_encode`] and [`crate::python::json_decode`]; `repr(float)` is [`crate::python::value::Number`].

pub mod calendar;
pub mod dateutil;
pub mod difflib;
pub mod json_decode;
pub mod json_encode;
pub mod map;
pub mod number;
pub mod oserror;
pub mod repr;
pub mod shlex;
pub mod timestamp;
pub mod types;
pub mod unicode;
#[rustfmt::skip]
mod unicode_tables;
pub mod utf8;
pub mod value;
pub mod xml;
