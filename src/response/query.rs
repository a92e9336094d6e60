//! The CLI side of `--query`: compiling the expression when the global options are processed (as
//! awscli's `resolve_types` does), and applying it to a shaped response. The engine is
//! [`super::jmespath`]; a failure is a [`QueryError`], which the driver frames.

use super::jmespath::{self, Expression, JmespathError};
use crate::python::value::Value;
use std::fmt;

/// Why `--query` failed.
#[derive(Debug)]
pub enum QueryError {
    /// The expression does not compile: awscli's `ParamError`, `Bad value for --query EXPR: REASON`.
    BadOption(String),
    /// The search raised: the exception's `str()` (exit 255).
    Search(JmespathError),
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::BadOption(message) => f.write_str(message),
            QueryError::Search(err) => write!(f, "{err}"),
        }
    }
}

impl std::error::Error for QueryError {}

/// Compiles `--query`. awscli's `top-level-args-parsed` handler (`globalargs._resolve_query`) wraps any
/// compile error as `ValueError("Bad value for --query %s: %s")`, which `main()` prints as an exception
/// (exit 255, nothing on stdout, no usage banner). It runs after argparse has accepted the global options
/// and before the operation's arguments are parsed or a request is made, so it wins over both.
pub fn compile_query_option(query: &str) -> Result<Expression, QueryError> {
    jmespath::compile(query)
        .map_err(|error| QueryError::BadOption(format!("Bad value for --query {query}: {error}")))
}

/// Applies the compiled `--query` to the shaped response.
pub fn apply(query: &Expression, response: &Value) -> Result<Value, QueryError> {
    query.search(response).map_err(QueryError::Search)
}
