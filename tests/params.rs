//! Replays what the reference recorded in `tests/data/params/` (see `tests/record/params_corpus.py`):
//! Python's `json.loads` over ~500 texts, ~200 parameter values typed on the command line, and the
//! nesting depths at which the reference gives up.

use lightsail_cli::cli::errors::CliError;
use lightsail_cli::model::{self, Kind};
use lightsail_cli::params::argprocess::{parse_parameter, ParsedParam, RawArg};
use lightsail_cli::python::json_decode::{self, loads};
use lightsail_cli::python::json_encode::{self, DumpOptions};
use lightsail_cli::python::value::{Number, Value};
use std::path::Path;

const FIXTURES: &str = "/tmp/lightsail-cli-params-fixtures";

/// Python's `json.dumps(value)` with its defaults (ASCII only, `", "` and `": "` separators).
fn dumps(value: &Value) -> String {
    json_encode::dumps(value, &DumpOptions::python_default())
}

fn rows(name: &str) -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/params")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("recorded data exists");
    text.lines()
        .map(|line| loads(line).expect("recorded rows are JSON"))
        .collect()
}

fn field<'a>(row: &'a Value, key: &str) -> Option<&'a Value> {
    row.as_object().and_then(|m| m.get(key))
}

fn text<'a>(row: &'a Value, key: &str) -> &'a str {
    field(row, key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("row has {key}"))
}

/// Whether Python's output holds a lone surrogate, which a Rust `String` cannot (this port decodes it
/// as U+FFFD).
fn has_lone_surrogate(python_json: &str) -> bool {
    let units: Vec<u16> = python_json
        .match_indices("\\u")
        .filter_map(|(i, _)| u16::from_str_radix(python_json.get(i + 2..i + 6)?, 16).ok())
        .collect();
    let mut i = 0;
    while i < units.len() {
        let u = units[i];
        if (0xd800..0xdc00).contains(&u)
            && units
                .get(i + 1)
                .is_some_and(|l| (0xdc00..0xe000).contains(l))
        {
            i += 2;
            continue;
        }
        if (0xd800..0xe000).contains(&u) {
            return true;
        }
        i += 1;
    }
    false
}

#[test]
fn json_loads_matches_python() {
    let mut checked = 0;
    for row in rows("json_decode.jsonl") {
        let input = text(&row, "input");
        let got = loads(input);
        if let Some(expected) = field(&row, "ok").and_then(Value::as_str) {
            if has_lone_surrogate(expected) {
                continue;
            }
            let value =
                got.unwrap_or_else(|e| panic!("{input:?}: expected {expected}, got error {e}"));
            assert_eq!(dumps(&value), expected, "input {input:?}");
        } else {
            let expected = text(&row, "error");
            let err = got
                .err()
                .unwrap_or_else(|| panic!("{input:?}: expected error {expected}"));
            assert_eq!(err.to_string(), expected, "input {input:?}");
            assert!(err.is_value_error());
        }
        checked += 1;
    }
    assert!(checked > 480, "only {checked} cases checked");
}

fn make_fixtures() {
    // Rewritten in place, never removed, so concurrent test runs sharing the directory agree.
    std::fs::create_dir_all(format!("{FIXTURES}/adir")).expect("fixture dir");
    let files: [(&str, &[u8]); 13] = [
        (
            "tags.json",
            b"[{\"key\": \"k1\", \"value\": \"v1\"}, {\"key\": \"k2\"}]\n",
        ),
        (
            "tags_crlf.json",
            b"[{\"key\": \"a\\r\\nb\",\r\n \"value\": \"x\"}]\r\n",
        ),
        ("tags_short.txt", b"key=fromfile,value=yes"),
        ("text.txt", b"hello\r\nworld\rend\n"),
        ("unicode.txt", "h\u{e9}llo \u{2603} \u{1F600}\n".as_bytes()),
        ("bad.bin", b"\xff\xfe\x00abc"),
        ("empty.txt", b""),
        ("chars.txt", b"ab c"),
        ("int.txt", b" 42\n"),
        ("bom.json", "\u{feff}[{\"key\": \"a\"}]".as_bytes()),
        ("bad.json", b"[{\"key\": \"a\",}]"),
        (
            "entry.json",
            b"{\"name\": \"n\", \"isAlias\": true, \"options\": {\"a\": \"b\"}}",
        ),
        ("quote.txt", b"it's"),
    ];
    for (name, data) in files {
        std::fs::write(format!("{FIXTURES}/{name}"), data).expect("fixture file");
    }
}

fn member_for(op: &str, cli_name: &str) -> &'static model::Member {
    let op = model::operation_by_cli_name(op).expect("operation");
    let input = op.input_shape().expect("input shape");
    let bare = cli_name.trim_start_matches('-');
    input
        .members
        .iter()
        .find(|m| m.cli_name == bare)
        .expect("member")
}

fn words(row: &Value) -> Vec<String> {
    field(row, "words")
        .and_then(Value::as_array)
        .expect("words")
        .iter()
        .map(|w| w.as_str().expect("word").to_string())
        .collect()
}

fn parse_row(row: &Value) -> Result<ParsedParam, lightsail_cli::params::argprocess::ParamError> {
    let member = member_for(text(row, "op"), text(row, "param"));
    let words = words(row);
    let raw = if member.shape().kind == Kind::List {
        RawArg::Many(&words)
    } else {
        RawArg::One(words.first().map(String::as_str).unwrap_or(""))
    };
    parse_parameter(member, text(row, "param"), raw)
}

#[test]
fn parameters_parse_like_the_reference() {
    make_fixtures();
    std::env::set_var("LSPARAMS_DIR", FIXTURES);
    std::env::remove_var("NO_SUCH_VAR_XYZ");
    replay_cases("cases.jsonl", 190);
}

#[test]
fn random_shorthand_parses_like_the_reference() {
    replay_cases("shorthand_fuzz.jsonl", 390);
}

#[test]
fn int_and_float_conversions_match_python() {
    use lightsail_cli::python::number::{parse_float, parse_int};
    for row in rows("numbers.jsonl") {
        let input = text(&row, "input");
        match field(&row, "int").and_then(Value::as_str) {
            Some(expected) => assert_eq!(
                parse_int(input).map(|n| n.python_repr()).as_deref(),
                Ok(expected),
                "{input:?}"
            ),
            None => assert_eq!(
                parse_int(input).map(|n| n.python_repr()),
                Err(text(&row, "int_error").to_string()),
                "{input:?}"
            ),
        }
        let float = parse_float(input).map(lightsail_cli::python::value::float_repr);
        match field(&row, "float").and_then(Value::as_str) {
            Some(expected) => assert_eq!(float.as_deref(), Ok(expected), "{input:?}"),
            None => assert_eq!(
                float,
                Err(text(&row, "float_error").to_string()),
                "{input:?}"
            ),
        }
    }
}

fn replay_cases(file: &str, at_least: usize) {
    let mut checked = 0;
    let mut failures = Vec::new();
    for row in rows(file) {
        let got = std::panic::catch_unwind(|| check_case(&row));
        if let Err(e) = got {
            failures.push(e.downcast_ref::<String>().cloned().unwrap_or_default());
        }
        checked += 1;
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > at_least, "only {checked} cases checked");
}

fn check_case(row: &Value) {
    let row = row.clone();
    {
        let label = format!(
            "{} {} {:?}",
            text(&row, "op"),
            text(&row, "param"),
            words(&row)
        );
        let got = parse_row(&row);
        if let Some(expected) = field(&row, "ok").and_then(Value::as_str) {
            match got {
                Ok(ParsedParam::Value(v)) => assert_eq!(dumps(&v), expected, "{label}"),
                other => panic!("{label}: expected {expected}, got {other:?}"),
            }
        } else if let Some(bytes) = field(&row, "bytes").and_then(Value::as_array) {
            let expected: Vec<u8> = bytes
                .iter()
                .map(|b| match b {
                    Value::Number(Number::Int(i)) => *i as u8,
                    _ => panic!("byte"),
                })
                .collect();
            assert_eq!(got, Ok(ParsedParam::Bytes(expected)), "{label}");
        } else {
            let rc = match field(&row, "rc") {
                Some(Value::Number(Number::Int(i))) => *i as i32,
                _ => panic!("{label}: rc"),
            };
            let stderr = text(&row, "stderr");
            let err = got
                .err()
                .unwrap_or_else(|| panic!("{label}: expected failure {stderr:?}"));
            // Framed by the driver's one error-reporting place, as `aws` prints it.
            let (stdout, printed, code) = CliError::from(err).render();
            assert_eq!(
                (stdout.as_str(), printed.as_str(), code),
                ("", stderr, rc),
                "{label}"
            );
        }
    }
}

#[test]
fn nesting_depth_limits_match_the_reference() {
    for row in rows("depth.jsonl") {
        let got = parse_row(&row);
        let recursion = matches!(field(&row, "recursion"), Some(Value::Bool(true)));
        if recursion {
            let err = got.expect_err("recursion error");
            let (_, printed, code) = CliError::from(err).render();
            assert_eq!((printed.as_str(), code), (text(&row, "stderr"), 255));
        } else if let Err(e) = got {
            assert!(!e.to_string().contains("recursion"), "{e}");
        }
    }
}

#[test]
fn deep_nesting_never_overflows() {
    let deep = "[".repeat(200_000);
    assert!(loads(&deep).is_err());
    let ok = format!("{}{}", "[".repeat(50), "]".repeat(50));
    assert!(json_decode::loads_with_depth_limit(&ok, 50).is_ok());
    assert!(json_decode::loads_with_depth_limit(&ok, 49).is_err());
}

/// Serves the routes `tests/record/params_corpus.py` served when recording `http.jsonl`.
fn serve_http_fixture() {
    use std::io::{BufRead, BufReader, Write};
    let listener =
        std::net::TcpListener::bind("127.0.0.1:47831").expect("loopback port 47831 is free");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).map_or(true, |n| n == 0) || line == "\r\n" {
                    break;
                }
            }
            let path = request_line.split_whitespace().nth(1).unwrap_or("/");
            let (status, ctype, body): (u16, Option<&str>, Vec<u8>) = match path {
                "/tags.json" => (
                    200,
                    Some("application/json"),
                    br#"[{"key": "h", "value": "v"}]"#.to_vec(),
                ),
                "/short" => (200, Some("text/plain"), b"key=\xe9".to_vec()),
                "/utf8" => (
                    200,
                    Some("text/plain; charset=utf-8"),
                    "key=\u{e9}\u{2603}".as_bytes().to_vec(),
                ),
                "/plain" => (200, None, b"key=x,value=y".to_vec()),
                "/missing" => (404, Some("text/plain"), b"nope".to_vec()),
                "/moved" => (302, Some("text/plain"), Vec::new()),
                "/badutf8" => (200, Some("application/octet-stream"), b"\xff".to_vec()),
                "/empty" => (200, Some("application/json"), Vec::new()),
                "/badcont" => (200, None, b"ab\xe9cd".to_vec()),
                "/truncated" => (200, None, b"\xe2\x82".to_vec()),
                "/badthird" => (200, None, b"\xe2\x82x".to_vec()),
                _ => (404, None, Vec::new()),
            };
            let mut head = format!("HTTP/1.0 {status} X\r\nServer: fixture\r\n");
            if let Some(ctype) = ctype {
                head.push_str(&format!("Content-Type: {ctype}\r\n"));
            }
            head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
            let mut stream = reader.into_inner();
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
}

#[test]
fn url_parameters_are_fetched_like_the_reference() {
    serve_http_fixture();
    replay_cases("http.jsonl", 20);
}
