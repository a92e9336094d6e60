//! JMESPath, as the reference AWS CLI runs `--query`: a faithful port of Python jmespath 1.1.0.
//!
//! Everything observable matches the reference: which expressions parse (including its leniencies),
//! every error message byte for byte (the caret lines of parse errors, the `In function ...` type
//! errors, Python's own TypeError/ValueError texts), Python number semantics (ints of any size, exact
//! int/float comparison, `sum` staying an int, `avg` a true division, `ceil`/`floor` giving ints) and
//! object key order (multi-select hashes keep the written order, objects keep the input's). The Rust
//! `jmespath` crate sorts object keys (BTreeMap) and `jmespath_community` accepts syntax the reference
//! rejects, so neither can be used. The lexer (`lexer`), parser (`parser`, producing `ast::Node`),
//! tree-walking interpreter (`interpreter`) and built-ins (`functions`) mirror jmespath's modules.

mod arithmetic;
mod ast;
mod bigint;
mod error;
mod functions;
mod interpreter;
mod lexer;
mod parser;
mod pyrepr;
mod runtime;

pub use error::{JmespathError, ParseError, PythonExceptionKind};

use crate::python::value::Value;
use runtime::Val;

/// A compiled expression (`jmespath.compile(expression)`).
#[derive(Debug, Clone)]
pub struct Expression {
    root: ast::Node,
}

/// Compiles an expression as `jmespath.compile` does.
pub fn compile(expression: &str) -> Result<Expression, ParseError> {
    parser::parse(expression).map(|root| Expression { root })
}

impl Expression {
    /// Evaluates the expression against `data` (`ParsedResult.search`).
    pub fn search(&self, data: &Value) -> Result<Value, JmespathError> {
        let input = Val::from_value(data);
        interpreter::reset_frames();
        let result = interpreter::visit(&self.root, &input)?;
        result
            .to_value()
            .ok_or(JmespathError::ExpressionReferenceInResult)
    }
}
