//! Property tests: every parser, evaluator and formatter on arbitrary input never panics and never
//! hangs, plus cheap invariants (json.loads of json.dumps round-trips, `--cli-input-json` merging keeps
//! the explicit options, a formatter either renders or fails with a typed error).
//!
//! `cargo test` runs a bounded number of cases per property (a few thousand in all, seconds in a debug
//! build); set `PROPTEST_CASES=N` for a long run (`docs/robustness.md` records the long runs). Inputs
//! that once failed are pinned as plain `#[test]`s at the bottom.

use lightsail_cli::cli::driver::run;
use lightsail_cli::model;
use lightsail_cli::params::{cli_input_json, shorthand};
use lightsail_cli::process::Context;
use lightsail_cli::python::json_decode;
use lightsail_cli::python::json_encode::{dumps, DumpOptions};
use lightsail_cli::python::value::{Map, Number, Value};
use lightsail_cli::response::formatter::{format_output_for_terminal, OutputFormat};
use lightsail_cli::response::jmespath;
use lightsail_cli::response::shape::{ResponseShaper, TimestampFormat};
use proptest::prelude::*;

/// `PROPTEST_CASES` when set, else `default` (small enough for `cargo test` on two cores).
fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Strings made mostly of the characters a grammar cares about, with some arbitrary unicode.
fn text_from(alphabet: &'static [&'static str], max_len: usize) -> impl Strategy<Value = String> {
    let token = prop_oneof![
        8 => proptest::sample::select(alphabet).prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    proptest::collection::vec(token, 0..max_len).prop_map(|parts| parts.concat())
}

const SHORTHAND_ALPHABET: &[&str] = &[
    "a", "key", "value", "=", "@=", ",", "[", "]", "{", "}", "'", "\"", "\\", "\\,", " ", "\n",
    "\t", "file://", "x y", "é", "😀", "\u{a0}", "\u{2028}", "\0", ":", "/", "#", ".",
];

const JSON_ALPHABET: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    " ",
    "\n",
    "1",
    "0",
    "-",
    ".",
    "e",
    "E",
    "+",
    "a",
    "\\",
    "u",
    "d800",
    "dc00",
    "00e9",
    "true",
    "false",
    "null",
    "NaN",
    "Infinity",
    "-Infinity",
    "\"k\":",
    "\u{feff}",
    "é",
    "😀",
    "\0",
    "\u{1f}",
    "12345678901234567890",
    "1e400",
];

const JMESPATH_ALPHABET: &[&str] = &[
    "a",
    "b",
    "foo",
    "@",
    "$",
    ".",
    "[",
    "]",
    "{",
    "}",
    "(",
    ")",
    "*",
    "[]",
    "[?",
    "?",
    "|",
    "||",
    "&&",
    "&",
    "!",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    ":",
    ",",
    "-1",
    "0",
    "2",
    "`",
    "`1`",
    "`\"x\"`",
    "`[1,{\"a\":2}]`",
    "'",
    "'lit'",
    "\"",
    "\"q\"",
    "\\",
    " ",
    "length(",
    "sort_by(",
    "max_by(",
    "to_number(",
    "to_string(",
    "abs(",
    "avg(",
    "contains(",
    "join(",
    "keys(",
    "map(",
    "merge(",
    "not_null(",
    "reverse(",
    "starts_with(",
    "sum(",
    "type(",
    "values(",
    "ceil(",
    "floor(",
    "min(",
    "sort(",
    "to_array(",
    "ends_with(",
    "min_by(",
    "max(",
    "é",
    "😀",
    "\u{0}",
];

/// Arbitrary values, numbers and strings included at their edges (NaN, infinities, -0.0, big ints).
fn any_value() -> impl Strategy<Value = Value> {
    value_with(any_number(), any::<String>())
}

/// Values that survive `json.dumps` then `json.loads` unchanged (NaN is never equal to itself).
fn round_trip_value() -> impl Strategy<Value = Value> {
    let number = any_number().prop_filter("NaN", |n| !matches!(n, Number::Float(f) if f.is_nan()));
    value_with(number, any::<String>())
}

fn any_number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::Int),
        any::<f64>().prop_map(Number::Float),
        proptest::sample::select(
            &[
                0.0,
                -0.0,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NAN,
                1e16,
                1e-7
            ][..]
        )
        .prop_map(Number::Float),
        ("[1-9][0-9]{19,60}", any::<bool>()).prop_map(|(digits, negative)| {
            Number::BigInt(if negative {
                format!("-{digits}")
            } else {
                digits
            })
        }),
    ]
}

fn value_with(
    number: impl Strategy<Value = Number> + 'static,
    string: impl Strategy<Value = String> + Clone + 'static,
) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number.prop_map(Value::Number),
        string.clone().prop_map(|s| Value::String(s.into())),
        proptest::sample::select(&["a", "foo", "2024-01-02T03:04:05Z", "1700000000", ""][..])
            .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        let key = prop_oneof![
            3 => proptest::sample::select(&["a", "b", "foo", "name", "tags", "key", "value", "createdAt"][..])
                .prop_map(str::to_string),
            1 => string.clone(),
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key, inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map>())),
        ]
    })
}

/// A response as a service might send it: mostly the model's member names, sometimes other shapes.
fn response_value() -> impl Strategy<Value = Value> {
    value_with(any_number(), "[a-zA-Z0-9 .:-]{0,12}")
}

proptest! {
    #![proptest_config(config(600))]

    #[test]
    fn shorthand_never_panics(input in text_from(SHORTHAND_ALPHABET, 40)) {
        let _ = shorthand::parse(&input);
        let _ = shorthand::parse_from(&input, shorthand::Caller::WholeValue);
    }

    #[test]
    fn json_loads_never_panics(input in text_from(JSON_ALPHABET, 40)) {
        let _ = json_decode::loads(&input);
        let _ = json_decode::loads_with_depth_limit(&input, 3);
    }

    #[test]
    fn json_loads_of_dumps_round_trips(value in round_trip_value(), ascii in any::<bool>(), indent in proptest::option::of(0usize..5)) {
        let options = DumpOptions { indent, ensure_ascii: ascii, separators: None, sort_keys: false };
        let text = dumps(&value, &options);
        let decoded = json_decode::loads(&text);
        prop_assert_eq!(decoded.as_ref().ok(), Some(&value), "text: {}", text);
    }

    #[test]
    fn cli_input_json_merge_keeps_explicit_options(
        document in prop_oneof![text_from(JSON_ALPHABET, 30), any_value().prop_map(|v| dumps(&v, &DumpOptions::python_default()))],
        explicit in proptest::collection::vec(("[a-d]", round_trip_value()), 0..4),
    ) {
        let explicit: Map = explicit.into_iter().collect();
        let decoded = json_decode::loads(&document).map_err(|e| e.to_string());
        let Ok(members) = cli_input_json::input_members(&document, decoded) else { return Ok(()) };
        let merged = cli_input_json::merge(explicit.clone(), members.clone());
        for (key, value) in &explicit {
            prop_assert_eq!(merged.get(key), Some(value));
        }
        for key in members.keys() {
            prop_assert!(merged.contains_key(key));
        }
        prop_assert_eq!(merged.keys().take(explicit.len()).collect::<Vec<_>>(), explicit.keys().collect::<Vec<_>>());
    }

    #[test]
    fn jmespath_compile_never_panics(expression in text_from(JMESPATH_ALPHABET, 24)) {
        if let Err(e) = jmespath::compile(&expression) {
            let _ = e.to_string();
        }
    }

    #[test]
    fn jmespath_search_never_panics(expression in text_from(JMESPATH_ALPHABET, 16), data in any_value()) {
        if let Ok(compiled) = jmespath::compile(&expression) {
            if let Ok(result) = compiled.search(&data) {
                let _ = lightsail_cli::python::json_encode::dumps(&result, &lightsail_cli::python::json_encode::DumpOptions::python_default());
            }
        }
    }

    #[test]
    fn response_shaping_never_panics(operation in 0..model::OPERATIONS.len(), body in response_value(), iso in any::<bool>()) {
        let Some(output) = model::OPERATIONS[operation].output_shape() else { return Ok(()) };
        let format = if iso { TimestampFormat::Iso8601 } else { TimestampFormat::Wire };
        let shaper = ResponseShaper::in_zone(format, &lightsail_cli::python::timestamp::FixedLocal(3600));
        let _ = shaper.shape(output, &body);
        if let Value::Object(map) = &body {
            // The model's own member names, so that nested shapes are reached.
            let mut named = Map::new();
            if let Some(member) = output.members.first() {
                named.insert(member.name.to_string(), Value::Object(map.clone()));
            }
            let _ = shaper.shape(output, &Value::Object(named));
        }
        let text = dumps(&body, &DumpOptions::python_default());
        let _ = shaper.shape_body(Some(output), text.as_bytes(), |t| json_decode::loads(t).ok(), iso);
    }

    #[test]
    fn response_body_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..64)) {
        let output = model::operation_by_cli_name("create-instance-snapshot").and_then(|op| op.output_shape());
        let shaper = ResponseShaper::in_zone(TimestampFormat::Iso8601, &lightsail_cli::python::timestamp::FixedLocal(0));
        let _ = shaper.shape_body(output, &body, |t| json_decode::loads(t).ok(), false);
    }

    #[test]
    fn formatters_render_or_fail_typed(value in any_value(), color in any::<bool>(), width in 0usize..200) {
        for format in [OutputFormat::Json, OutputFormat::Text, OutputFormat::Table] {
            match format_output_for_terminal(format, "CreateInstanceSnapshot", &value, color, width) {
                Ok(_) => {}
                Err(failure) => { let _ = failure.stderr(); }
            }
        }
    }

    #[test]
    fn driver_never_panics(args in argv()) {
        let (code, _, _) = run_in_memory(&args);
        prop_assert!([0, 1, 2, 130, 252, 253, 254, 255].contains(&code), "exit code {}", code);
    }
}

/// Words the driver's parsers react to, odd values, and arbitrary text.
const ARGV_WORDS: &[&str] = &[
    "lightsail",
    "create-instance-snapshot",
    "get-instances",
    "ec2",
    "--instance-name",
    "--instance-snapshot-name",
    "--tags",
    "--cli-input-json",
    "--generate-cli-skeleton",
    "input",
    "output",
    "--output",
    "json",
    "text",
    "table",
    "--query",
    "--region",
    "--profile",
    "--debug",
    "--no-paginate",
    "--no-verify-ssl",
    "--color",
    "on",
    "off",
    "--version",
    "--no-sign-request",
    "--cli-read-timeout",
    "--cli-connect-timeout",
    "--ca-bundle",
    "--",
    "-",
    "=",
    "--=",
    "--instance-name=",
    "--tags=key=a",
    "--inst",
    "--instance",
    "--no-tags",
    "key=a,value=b",
    "key=[a,b]",
    "{\"instanceName\": \"x\"}",
    "[{\"key\": \"k\"}]",
    "[",
    "{",
    "a",
    "é",
    "😀",
    "\u{0}",
    "a\u{0}b",
    "\u{fffd}",
    "file:///dev/null",
    "file:///nonexistent/x",
    "fileb:///dev/null",
    "0",
    "-1",
    "1e400",
    "nan",
    "--cli-input-json={}",
    "--tags=",
    "--v2-debug",
    "--output=table",
    "--query=a",
    "--query=[",
    "-h",
    "--help",
    "--ver",
];

fn argv() -> impl Strategy<Value = Vec<String>> {
    let word = prop_oneof![
        6 => proptest::sample::select(ARGV_WORDS).prop_map(str::to_string),
        1 => any::<String>(),
        1 => text_from(SHORTHAND_ALPHABET, 8),
    ];
    (any::<bool>(), proptest::collection::vec(word, 0..10)).prop_map(|(lightsail, words)| {
        let mut args: Vec<String> = Vec::new();
        if lightsail {
            args.extend([
                "lightsail".to_string(),
                "create-instance-snapshot".to_string(),
            ]);
        }
        args.extend(words.into_iter().filter(|w| safe_word(w)));
        args
    })
}

/// Keeps the run in-process and on this machine: no endpoint or profile of the fuzzer's choosing
/// (argparse accepts any unique prefix, so `--e` is enough to name `--endpoint-url`), no URL or
/// file but the listed ones (parameter values load `http://` URLs and `file://` paths), and no help
/// page (it starts `groff` and a pager).
fn safe_word(word: &str) -> bool {
    let named_file = ARGV_WORDS.contains(&word) && word.contains("://");
    !(word.starts_with("--e")
        || word.starts_with("-e")
        || word == "help"
        || word.starts_with("--prof")
        || (word.contains("://") && !named_file))
}

/// Runs the driver with an in-memory stdout/stderr and a fixed, loopback-only environment.
fn run_in_memory(args: &[String]) -> (i32, Vec<u8>, Vec<u8>) {
    let mut argv = vec![
        "--endpoint-url".to_string(),
        "http://127.0.0.1:9".to_string(),
    ];
    argv.extend(args.iter().cloned());
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let env = |name: &str| -> Option<String> {
        match name {
            "AWS_ACCESS_KEY_ID" => Some("AKIDEXAMPLE".into()),
            "AWS_SECRET_ACCESS_KEY" => Some("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into()),
            "AWS_DEFAULT_REGION" => Some("us-west-2".into()),
            "AWS_EC2_METADATA_DISABLED" => Some("true".into()),
            "AWS_MAX_ATTEMPTS" => Some("1".into()),
            "AWS_CONFIG_FILE" | "AWS_SHARED_CREDENTIALS_FILE" => {
                Some("/nonexistent/lightsail-cli".into())
            }
            _ => None,
        }
    };
    let code = run(
        &argv,
        &mut Context {
            stdout: &mut stdout,
            stderr: &mut stderr,
            env: &env,
            prog: "aws".into(),
        },
    );
    (code, stdout, stderr)
}

// --- Inputs that once failed ---------------------------------------------------------------------

/// The shorthand parser recursed once per `[`/`{` and overflowed the stack on deeply nested input
/// (`--tags file://...` with a million `[`); it now stops where the reference's RecursionError does.
#[test]
fn deeply_nested_shorthand_is_a_recursion_error_not_a_stack_overflow() {
    let deep = format!("key={}{}", "[".repeat(1_000_000), "]".repeat(1_000_000));
    let err = shorthand::parse(&deep).unwrap_err();
    assert_eq!(err.to_string(), "maximum recursion depth exceeded");
    let deep = format!("key={}x{}", "{a=".repeat(1_000_000), "}".repeat(1_000_000));
    assert!(shorthand::parse_from(&deep, shorthand::Caller::WholeValue).is_err());
}

/// A 10 MB argument (more than Linux passes in one argv word, so only in-process) parses and fails
/// promptly.
#[test]
fn ten_megabyte_arguments_are_handled() {
    let big = "x".repeat(10 * 1024 * 1024);
    for args in [
        vec![
            "lightsail",
            "create-instance-snapshot",
            "--instance-name",
            "a",
            "--instance-snapshot-name",
            "b",
            "--tags",
            &big,
        ],
        vec![
            "lightsail",
            "create-instance-snapshot",
            "--cli-input-json",
            &big,
        ],
        vec![
            "lightsail",
            "create-instance-snapshot",
            "--instance-name",
            "a",
            "--instance-snapshot-name",
            "b",
            "--query",
            &big,
        ],
        vec!["lightsail", &big],
        vec![&big],
    ] {
        let args: Vec<String> = args.into_iter().map(str::to_string).collect();
        let (code, _, stderr) = run_in_memory(&args);
        assert_ne!(code, 0);
        assert!(!String::from_utf8_lossy(&stderr).contains("panicked"));
    }
}
