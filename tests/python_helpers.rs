//! Replays what CPython 3.11 answers for `shlex.split` and `difflib.get_close_matches` (recorded by
//! `tests/record/python_helpers.py` into `tests/data/python/helpers.json`) through our versions in
//! `src/python/`: the same words or the same `ValueError` text, the same suggestions in the same order.

#[path = "support/json_reader.rs"]
mod json_reader;

use lightsail_cli::python::value::Value;
use lightsail_cli::python::{difflib, shlex};

fn recorded() -> Value {
    json_reader::parse(include_str!("data/python/helpers.json"))
}

fn field<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value.as_object().and_then(|map| map.get(key))
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .expect("a list")
        .iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect()
}

#[test]
fn shlex_split_matches_cpython() {
    let data = recorded();
    let cases = field(&data, "shlex")
        .and_then(Value::as_array)
        .expect("cases");
    assert!(cases.len() >= 30, "recorded cases");
    for case in cases {
        let input = field(case, "input").and_then(Value::as_str).expect("input");
        let ours = shlex::split(input).map_err(|e| e.to_string());
        let expected = match field(case, "error").and_then(Value::as_str) {
            Some(message) => Err(message.to_string()),
            None => Ok(strings(field(case, "words"))),
        };
        assert_eq!(ours, expected, "shlex.split({input:?})");
    }
}

#[test]
fn close_matches_match_cpython() {
    let data = recorded();
    let operations = strings(field(&data, "operations"));
    let choices: Vec<&str> = operations.iter().map(String::as_str).collect();
    let cases = field(&data, "difflib")
        .and_then(Value::as_array)
        .expect("cases");
    assert!(cases.len() >= 20, "recorded cases");
    for case in cases {
        let word = field(case, "word").and_then(Value::as_str).expect("word");
        assert_eq!(
            difflib::get_close_matches(word, &choices, 3, 0.8),
            strings(field(case, "matches")),
            "get_close_matches({word:?})"
        );
    }
}
