//! Replays how the reference `aws` CLI itself reports `--query` problems (recorded by
//! `tests/record/jmespath_cli.py` against a loopback fake endpoint): a query that does not compile
//! prints `Bad value for --query ...` (framed by the driver's `CliError`) on stderr and exits 255 with nothing on stdout; a search error
//! prints a blank line, the error and a newline, and exits 255; a working query prints its result.
//! The cases include the nesting depths where the reference's Python stack runs out.

#[path = "support/json_reader.rs"]
mod json_reader;

use lightsail_cli::cli::errors::CliError;
use lightsail_cli::python::json_encode::{dumps, DumpOptions};
use lightsail_cli::python::value::{Number, Value};
use lightsail_cli::response::{jmespath, query};

const RECORDED: &str = include_str!("data/jmespath/cli.json");

fn check_all_cases() {
    let recorded = json_reader::parse(RECORDED);
    let recorded = recorded.as_object().expect("recording object");
    let document = recorded.get("document").expect("document");
    let cases = recorded
        .get("cases")
        .and_then(Value::as_array)
        .expect("cases");
    for case in cases {
        let case = case.as_object().expect("case object");
        let field = |name: &str| case.get(name).and_then(Value::as_str).expect("text field");
        let expression = field("expression");
        let (stdout, stderr) = (field("stdout"), field("stderr"));
        let exit_code = case.get("exit_code").cloned();
        let short: String = expression.chars().take(40).collect();
        match jmespath::compile(expression) {
            Err(_) => {
                let error = query::compile_query_option(expression).expect_err("does not compile");
                let (printed_stdout, printed_stderr, code) = CliError::from(error).render();
                assert_eq!(printed_stderr, stderr, "{short}");
                assert_eq!((printed_stdout.as_str(), stdout), ("", ""), "{short}");
                assert_eq!(
                    exit_code,
                    Some(Value::Number(Number::Int(code as i64))),
                    "{short}"
                );
                assert_eq!(code, 255, "{short}");
            }
            Ok(compiled) => match compiled.search(document) {
                Err(error) => {
                    assert_eq!(format!("\n{error}\n"), stderr, "{short}");
                    assert_eq!(stdout, "", "{short}");
                    assert_eq!(exit_code, Some(Value::Number(Number::Int(255))), "{short}");
                }
                Ok(result) => {
                    assert_eq!(stderr, "", "{short}");
                    assert_eq!(exit_code, Some(Value::Number(Number::Int(0))), "{short}");
                    let printed = json_reader::parse(stdout);
                    assert_eq!(
                        dumps(&result, &DumpOptions::python_default()),
                        dumps(&printed, &DumpOptions::python_default()),
                        "{short}"
                    );
                }
            },
        }
    }
}

#[test]
fn cli_reports_query_problems_like_the_reference() {
    // The deepest recorded expressions recurse about a thousand (modelled Python) frames; give the
    // debug build the stack a real `aws` main thread has.
    let worker = std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(check_all_cases)
        .expect("spawn test thread");
    if let Err(panic) = worker.join() {
        std::panic::resume_unwind(panic);
    }
}
