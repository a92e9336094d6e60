//! The CLI side of `--query`: compiling the expression when the global options are processed (as
//! awscli's `resolve_types` does), and applying it to a shaped response. The engine is
//! [`crate::response::jmespath`]; this module owns only the reference's error framing.

use crate::cli::errors::CliError;
use crate::python::value::Value;
use crate::response::jmespath::{self, Expression};

/// Compiles `--query`; a bad expression is `\nBad value for --query ...\n` on stderr, exit 255.
pub fn compile_query_option(query: &str) -> Result<Expression, CliError> {
    jmespath::compile(query).map_err(|err| CliError::Raw {
        stdout: String::new(),
        stderr: jmespath::cli_query_error_message(query, &err),
        code: 255,
    })
}

/// Applies the compiled `--query` to the shaped response; a search-time error is printed as the
/// reference's `main()` prints exceptions.
pub fn apply(query: &Expression, response: &Value) -> Result<Value, CliError> {
    query
        .search(response)
        .map_err(|err| CliError::Exception(err.to_string()))
}
