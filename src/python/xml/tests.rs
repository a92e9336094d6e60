//! Replays `tests/data/python/expat.json` (CPython's ElementTree over expat, recorded by
//! `tests/record/expat_corpus.py`) through [`super::parse`]: every tree and every error text.

use super::*;
use crate::python::json_decode;
use crate::python::value::Value;

fn tree(element: &Element) -> Value {
    Value::Array(vec![
        Value::String(element.tag.as_str().into()),
        element
            .text
            .clone()
            .map(|s| Value::String(s.into()))
            .unwrap_or(Value::Null),
        Value::Array(element.children.iter().map(tree).collect()),
    ])
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("the corpus writes hex pairs"))
        .collect()
}

#[test]
fn matches_cpython_expat() {
    let corpus = json_decode::loads(include_str!("../../../tests/data/python/expat.json"))
        .expect("the corpus is JSON");
    let Value::Array(cases) = corpus else {
        panic!("the corpus is a list")
    };
    assert!(cases.len() > 150, "the corpus holds every recorded body");
    let mut failures = Vec::new();
    for case in &cases {
        let Value::Object(case) = case else {
            panic!("each case is an object")
        };
        let Some(Value::String(hex)) = case.get("input_hex") else {
            panic!("each case has input_hex")
        };
        let input = unhex(hex);
        let ours = match parse(&input) {
            Ok(root) => ("tree", tree(&root)),
            Err(e) => ("error", Value::String(e.to_string().into())),
        };
        let expected = case
            .get("tree")
            .map(|t| ("tree", t.clone()))
            .or_else(|| case.get("error").map(|e| ("error", e.clone())))
            .expect("each case has a tree or an error");
        if ours != expected {
            failures.push(format!(
                "{:?}: expected {expected:?}, ours {ours:?}",
                String::from_utf8_lossy(&input)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
