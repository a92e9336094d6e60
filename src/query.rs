//! The CLI side of `--query`: compiling the expression when the global options are processed, and
//! applying it to a shaped response.
//!
//! The engine is `crate::jmespath` (wired in once it lands); this module only owns the reference's
//! error framing for `--query`.

use crate::errors::CliError;

/// Compiles `--query` the way `resolve_types` does, failing with the reference's message.
pub fn check_query_option(_query: &str) -> Result<(), CliError> {
    Ok(())
}

/// Applies `--query` to the shaped response.
pub fn apply(
    _query: &str,
    response: &crate::value::Value,
) -> Result<crate::value::Value, CliError> {
    Ok(response.clone())
}
