//! Replays the corpus recorded from Python jmespath 1.1.0 by `tests/record/jmespath_corpus.py`:
//! results must serialize byte for byte like Python's `json.dumps(result)` (key order included), and
//! every error must print exactly Python's `str(error)`; for expressions that do not compile, the
//! reference CLI's whole stderr for `--query EXPRESSION` must match too.

#[path = "support/json_reader.rs"]
mod json_reader;

use lightsail_cli::cli::errors::CliError;
use lightsail_cli::python::json_encode::{dumps, DumpOptions};
use lightsail_cli::python::value::Value;
use lightsail_cli::response::jmespath::{self, JmespathError, PythonExceptionKind};
use lightsail_cli::response::query;

const CORPUS: &str = include_str!("data/jmespath/corpus.json");

/// The Python exception class behind one of our runtime errors.
fn python_class(error: &JmespathError) -> &'static str {
    match error {
        JmespathError::InvalidType { .. } => "JMESPathTypeError",
        JmespathError::Arity {
            variadic: false, ..
        } => "ArityError",
        JmespathError::Arity { variadic: true, .. } => "VariadictArityError",
        JmespathError::UnknownFunction(_) => "UnknownFunctionError",
        JmespathError::Python { kind, .. } => match kind {
            PythonExceptionKind::TypeError => "TypeError",
            PythonExceptionKind::ValueError => "ValueError",
            PythonExceptionKind::OverflowError => "OverflowError",
            PythonExceptionKind::RecursionError => "RecursionError",
        },
        JmespathError::ExpressionReferenceInResult => "TypeError",
    }
}

fn text<'v>(case: &'v lightsail_cli::python::value::Map, key: &str) -> Option<&'v str> {
    case.get(key).and_then(Value::as_str)
}

#[test]
fn recorded_corpus_replays_byte_for_byte() {
    let corpus = json_reader::parse(CORPUS);
    let corpus = corpus.as_object().expect("corpus object");
    let documents = corpus
        .get("documents")
        .and_then(Value::as_object)
        .expect("documents");
    let cases = corpus
        .get("cases")
        .and_then(Value::as_array)
        .expect("cases");
    let mut failures = Vec::new();
    for case in cases {
        let case = case.as_object().expect("case object");
        let expression = text(case, "expression").expect("expression");
        let document = documents
            .get(text(case, "document").expect("document name"))
            .expect("known document");
        let problem = match jmespath::compile(expression) {
            Err(error) => {
                let expected = text(case, "parse_error");
                let query_error = query::compile_query_option(expression).expect_err("fails");
                let stderr = CliError::from(query_error).render().1;
                if expected != Some(error.to_string().as_str()) {
                    Some(format!(
                        "parse error {:?}, expected {expected:?}",
                        error.to_string()
                    ))
                } else if text(case, "cli_stderr") != Some(stderr.as_str()) {
                    Some(format!(
                        "CLI stderr {stderr:?}, expected {:?}",
                        text(case, "cli_stderr")
                    ))
                } else {
                    None
                }
            }
            Ok(compiled) => match compiled.search(document) {
                Err(error) => {
                    let expected = text(case, "search_error");
                    let class = text(case, "error_class");
                    if expected != Some(error.to_string().as_str())
                        || class != Some(python_class(&error))
                    {
                        Some(format!(
                            "search error {error:?} ({}), expected {class:?}: {expected:?}",
                            error
                        ))
                    } else {
                        None
                    }
                }
                Ok(result) => {
                    let actual = dumps(&result, &DumpOptions::python_default());
                    let expected = text(case, "result");
                    (expected != Some(actual.as_str()))
                        .then(|| format!("result {actual}, expected {expected:?}"))
                }
            },
        };
        if let Some(problem) = problem {
            failures.push(format!("{expression:?}: {problem}"));
        }
    }
    for failure in &failures {
        println!("FAIL {failure}");
    }
    println!(
        "jmespath corpus: {}/{} passed",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} corpus cases differ",
        failures.len()
    );
}
