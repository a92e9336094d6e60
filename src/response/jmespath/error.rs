//! The two error types of the engine, each printing exactly what Python jmespath 1.1.0's `str(error)` is.
//!
//! `ParseError` covers everything `jmespath.compile` raises (EmptyExpressionError, LexerError,
//! IncompleteExpressionError, ParseError, plus the ValueError Python's `int()` raises for a number token
//! past 4300 digits). The reference AWS CLI turns any of them into
//! `"\nBad value for --query EXPR: STR(ERROR)\n"` on stderr with exit code 255 (see
//! `response::query`). `JmespathError` covers what `ParsedResult.search` raises at run
//! time (JMESPathTypeError, ArityError, VariadictArityError, UnknownFunctionError, and the Python
//! builtin exceptions jmespath lets escape); the reference prints `"\n" + str(error) + "\n"` on stderr and
//! exits with 255, having printed nothing on stdout.

use std::fmt;

/// A compile-time error; `Display` is Python's `str()` of the exception jmespath raises.
#[derive(Debug, Clone, PartialEq)]
pub enum ParseError {
    /// `EmptyExpressionError`: the expression is the empty string.
    Empty,
    /// `LexerError`: a character the lexer cannot turn into a token (`position` counts characters).
    Lexer {
        position: usize,
        message: String,
        expression: String,
    },
    /// `IncompleteExpressionError`: the expression ended where more was required.
    Incomplete { expression: String },
    /// `ParseError`: an unexpected token.
    Syntax {
        message: String,
        position: usize,
        /// `str()` of the token's value.
        token_value: String,
        /// The token type in upper case (`UNQUOTED_IDENTIFIER`, `EOF`, ...).
        token_type: String,
        expression: String,
    },
    /// A Python builtin exception escaping the lexer (the message is its `str()`).
    Python(String),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Empty => f.write_str("Invalid JMESPath expression: cannot be empty."),
            ParseError::Lexer { position, message, expression } => {
                write!(f, "Bad jmespath expression: {message}:\n{expression}\n{}^", " ".repeat(*position))
            }
            ParseError::Incomplete { expression } => {
                let position = expression.chars().count();
                write!(
                    f,
                    "Invalid jmespath expression: Incomplete expression:\n\"{expression}\"\n{}^",
                    " ".repeat(position + 1)
                )
            }
            ParseError::Syntax { message, position, token_value, token_type, expression } => write!(
                f,
                "{message}: Parse error at column {position}, token \"{token_value}\" ({token_type}), \
                 for expression:\n\"{expression}\"\n{}^",
                " ".repeat(position + 1)
            ),
            ParseError::Python(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ParseError {}

/// Which Python builtin exception class escaped the interpreter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PythonExceptionKind {
    TypeError,
    ValueError,
    OverflowError,
    /// Nesting deeper than the reference's Python stack allows.
    RecursionError,
}

/// A search-time error; `Display` is Python's `str()` of the exception jmespath raises.
#[derive(Debug, Clone, PartialEq)]
pub enum JmespathError {
    /// `JMESPathTypeError`: a function argument of the wrong type.
    InvalidType {
        function: String,
        /// `str()` of the offending value.
        value: String,
        actual_type: String,
        /// Python `repr` of the list of allowed types, e.g. `['number']`.
        expected_types: String,
    },
    /// `ArityError` (`variadic == false`) or `VariadictArityError`.
    Arity {
        expected: usize,
        actual: usize,
        function: String,
        variadic: bool,
    },
    /// `UnknownFunctionError`.
    UnknownFunction(String),
    /// A Python builtin exception jmespath lets escape, such as `'<' not supported between instances
    /// of 'int' and 'str'` (TypeError) or `slice step cannot be zero` (ValueError).
    Python {
        kind: PythonExceptionKind,
        message: String,
    },
    /// The result holds an expression reference (`&foo`), which no output format can encode; the
    /// reference's JSON formatter dies with "Encountered unrecognized type in JSON encoder." (exit 255).
    ExpressionReferenceInResult,
}

impl JmespathError {
    pub(crate) fn type_error(message: impl Into<String>) -> JmespathError {
        JmespathError::Python {
            kind: PythonExceptionKind::TypeError,
            message: message.into(),
        }
    }

    pub(crate) fn value_error(message: impl Into<String>) -> JmespathError {
        JmespathError::Python {
            kind: PythonExceptionKind::ValueError,
            message: message.into(),
        }
    }

    pub(crate) fn overflow_error(message: impl Into<String>) -> JmespathError {
        JmespathError::Python {
            kind: PythonExceptionKind::OverflowError,
            message: message.into(),
        }
    }
}

fn pluralize(word: &str, count: usize) -> String {
    if count == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

impl fmt::Display for JmespathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JmespathError::InvalidType {
                function,
                value,
                actual_type,
                expected_types,
            } => write!(
                f,
                "In function {function}(), invalid type for value: {value}, expected one of: \
                 {expected_types}, received: \"{actual_type}\""
            ),
            JmespathError::Arity {
                expected,
                actual,
                function,
                variadic,
            } => write!(
                f,
                "Expected {}{expected} {} for function {function}(), received {actual}",
                if *variadic { "at least " } else { "" },
                pluralize("argument", *expected)
            ),
            JmespathError::UnknownFunction(name) => write!(f, "Unknown function: {name}()"),
            JmespathError::Python { message, .. } => f.write_str(message),
            JmespathError::ExpressionReferenceInResult => {
                f.write_str("Encountered unrecognized type in JSON encoder.")
            }
        }
    }
}

impl std::error::Error for JmespathError {}
