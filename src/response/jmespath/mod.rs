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
        let input = Val::of(data);
        interpreter::reset_frames();
        let result = interpreter::visit(&self.root, &input)?;
        result
            .to_value()
            .ok_or(JmespathError::ExpressionReferenceInResult)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::json_decode;

    /// The document read in place gives what the fully converted document gives, for every kind of
    /// expression that walks lists and objects, compares them or hands them to functions.
    #[test]
    fn reading_the_document_in_place_changes_no_result() {
        let document = json_decode::loads(
            r#"{"items": [{"name": "a", "n": 3, "tags": [{"k": "x"}, {"k": "y"}], "m": {"p": [1, 2]}},
                          {"name": "b", "n": 1, "tags": [], "m": {}},
                          {"name": "c", "n": 2, "tags": [[{"k": "z"}]], "m": {"p": []}},
                          [1, [2, [3]]], null, "s", 4.5],
                "empty": [], "obj": {"x": {"y": 1}, "z": [1]}, "none": null}"#,
        )
        .expect("json");
        let expressions = [
            "items",
            "items[0]",
            "items[-1]",
            "items[7]",
            "items[1:3]",
            "items[::-1]",
            "items[::2].name",
            "items[-2:0:-1]",
            "items[].name",
            "items[].tags[].k",
            "items[].tags[][].k",
            "items[][]",
            "items[][][]",
            "items[?n > `1`].name",
            "items[?tags].name",
            "items[?m == `{}`].name",
            "items[?m.p == `[1, 2]`].n",
            "items[?tags == `[]`]",
            "obj.*",
            "obj.*.y",
            "obj.x",
            "obj.x.y",
            "obj.z[0]",
            "{a: items[0].m, b: obj}",
            "[obj, empty, none]",
            "empty || obj",
            "obj && empty",
            "!empty",
            "!obj",
            "length(items)",
            "length(obj)",
            "keys(obj)",
            "values(obj)",
            "sort_by(items[:3], &n)[].name",
            "max_by(items[:3], &n).name",
            "to_string(obj)",
            "contains(items[0].tags, `{\"k\": \"x\"}`)",
            "merge(obj, items[0].m)",
            "type(obj)",
            "type(items)",
            "not_null(none, obj)",
            "reverse(items[:2])",
            "items | [0].m | p",
            "obj == obj",
            "obj != items",
            "items[0].tags[0] == `{\"k\": \"x\"}`",
            "obj < items",
            "to_array(obj)",
            "map(&name, items[:3])",
            "items[:3][?n < `3`] | length(@)",
        ];
        for text in expressions {
            let expression = compile(text).expect(text);
            let in_place = expression.search(&document);
            let converted = {
                let input = Val::from_value(&document);
                interpreter::reset_frames();
                interpreter::visit(&expression.root, &input).map(|v| v.to_value())
            };
            match (in_place, converted) {
                (Ok(a), Ok(b)) => assert_eq!(Some(a), b, "{text}"),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{text}"),
                (a, b) => panic!("{text}: {a:?} vs {b:?}"),
            }
        }
    }
}
