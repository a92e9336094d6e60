//! `--generate-cli-skeleton`: sample input and output documents built from the model.
//!
//! Mirrors botocore's `ArgumentGenerator` and awscli's `generatecliskeleton.py`. The input skeleton
//! (`--generate-cli-skeleton`, `--generate-cli-skeleton input`) fills every member with a
//! placeholder: `""` for strings, `0` for integers and longs, `0.0` for floats and doubles, `true`,
//! `"1970-01-01T00:00:00"` for timestamps, one element per list and one `"KeyName"` entry per map.
//! A structure already being generated further up (a recursive shape) becomes `{}`. For enum strings
//! the reference picks a *random* allowed value; this picks the first one, so output is stable.
//! The reference prints it with `json.dumps(indent=4)` plus `"\n"` regardless of `--output` and
//! `--query`, and exits 0 without calling the service.
//!
//! The output skeleton (`--generate-cli-skeleton output`) uses member names as string values (list
//! items take their shape's name, map values `""`), is checked against the output shape first (a
//! failing check is a [`ValidationError`], exit 255, even before the input is validated), and then
//! goes through `--query` and the `--output` formatter exactly like a real response. Its timestamps
//! are Python `datetime`s, which print as `1970-01-01T00:00:00` in JSON and `1970-01-01 00:00:00`
//! in text and table output: [`TimestampStyle`] picks the spelling.

use crate::model::{Kind, Operation, Shape};
use crate::params::validate::{validate_value, ValidationError};
use crate::python::json_encode::{dumps, DumpOptions};
use crate::python::value::{Map, Number, Value};

/// How the output skeleton spells its timestamps (a `datetime` in the reference).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampStyle {
    /// `json.dumps` with awscli's encoder: `datetime.isoformat()`.
    Json,
    /// The text and table formatters: `str(datetime)`.
    Text,
}

/// Which skeleton `--generate-cli-skeleton VALUE` asks for. The reference's argparse accepts only
/// `input` and `output` (no value means `input`); anything else is a usage error (exit 2):
/// `argument --generate-cli-skeleton: Invalid choice, valid choices are:` followed by the choice
/// table (see `tests/data/validate/cli/skel_bad_value.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkeletonKind {
    Input,
    Output,
}

impl SkeletonKind {
    /// Parses the option's value; `None` (the option given without a value) means `input`.
    pub fn from_arg(value: Option<&str>) -> Option<SkeletonKind> {
        match value {
            None | Some("input") => Some(SkeletonKind::Input),
            Some("output") => Some(SkeletonKind::Output),
            Some(_) => None,
        }
    }
}

/// Whether `--generate-cli-skeleton` makes the operation's required options optional: when the
/// exact token `--generate-cli-skeleton` is among the operation's arguments and the token right
/// after its first occurrence is not `output`. (`--generate-cli-skeleton=input` does not relax
/// them: the reference looks for the bare token.)
pub fn relaxes_required_args<S: AsRef<str>>(args: &[S]) -> bool {
    match args
        .iter()
        .position(|a| a.as_ref() == "--generate-cli-skeleton")
    {
        Some(i) => args.get(i + 1).map(AsRef::as_ref) != Some("output"),
        None => false,
    }
}

/// The input skeleton of an operation (`{}` when it has no input).
pub fn input_skeleton(op: &'static Operation) -> Value {
    match op.input_shape() {
        Some(shape) => Generator {
            member_names: false,
            style: TimestampStyle::Json,
            stack: Vec::new(),
        }
        .shape(shape, ""),
        None => Value::Object(Map::new()),
    }
}

/// The output skeleton of an operation (`{}` when it has no output).
pub fn output_skeleton(op: &'static Operation, style: TimestampStyle) -> Value {
    match op.output_shape() {
        Some(shape) => Generator {
            member_names: true,
            style,
            stack: Vec::new(),
        }
        .shape(shape, ""),
        None => Value::Object(Map::new()),
    }
}

/// The check the reference's stubbed client makes of the output skeleton before the call (botocore's
/// `Stubber.add_response`): eight Lightsail operations fail it (an `int` of 0 below a `min`, a member
/// name shorter than a `min` length). Runs whatever `parameter_validation` says; exit 255.
pub fn check_output_skeleton(
    op: &'static Operation,
    skeleton: &Value,
) -> Result<(), ValidationError> {
    match op.output_shape() {
        Some(shape) => validate_value(shape, skeleton),
        None => Ok(()),
    }
}

/// Exactly what the reference writes to stdout for the input skeleton: `json.dumps(skeleton,
/// indent=4)` and a newline.
pub fn render_input_skeleton(op: &'static Operation) -> String {
    let mut out = render_skeleton_json(&input_skeleton(op));
    out.push('\n');
    out
}

struct Generator {
    member_names: bool,
    style: TimestampStyle,
    /// Names of the shapes being generated, outermost first (botocore's `stack`).
    stack: Vec<&'static str>,
}

impl Generator {
    fn shape(&mut self, shape: &'static Shape, name: &str) -> Value {
        self.stack.push(shape.name);
        let value = match shape.kind {
            Kind::Structure => self.structure(shape),
            Kind::List => {
                let member = shape.list_member();
                let item_name = if self.member_names {
                    member.map_or("", |m| m.name)
                } else {
                    ""
                };
                Value::Array(
                    member
                        .map(|m| self.shape(m, item_name))
                        .into_iter()
                        .collect(),
                )
            }
            Kind::Map => {
                let mut map = Map::new();
                if let Some(value_shape) = shape.map_value() {
                    map.insert("KeyName".to_string(), self.shape(value_shape, ""));
                }
                Value::Object(map)
            }
            Kind::String if self.member_names => Value::String(name.to_string().into()),
            Kind::String => Value::String(
                shape
                    .enum_values
                    .first()
                    .copied()
                    .unwrap_or("")
                    .to_string()
                    .into(),
            ),
            Kind::Integer | Kind::Long => Value::Number(Number::Int(0)),
            Kind::Float | Kind::Double => Value::Number(Number::Float(0.0)),
            Kind::Boolean => Value::Bool(true),
            Kind::Timestamp => Value::String(
                (match self.style {
                    TimestampStyle::Json => "1970-01-01T00:00:00",
                    TimestampStyle::Text => "1970-01-01 00:00:00",
                }
                .to_string())
                .into(),
            ),
            // botocore's generator has no branch for blobs: the member is `None`.
            Kind::Blob => Value::Null,
        };
        self.stack.pop();
        value
    }

    fn structure(&mut self, shape: &'static Shape) -> Value {
        // The structure's own name is already on the stack: a second occurrence is recursion.
        if self.stack.iter().filter(|n| **n == shape.name).count() > 1 {
            return Value::Object(Map::new());
        }
        let mut map = Map::new();
        for member in shape.members {
            let value = self.shape(member.shape(), member.name);
            map.insert(member.name.to_string(), value);
        }
        Value::Object(map)
    }
}

/// `json.dumps(value, indent=4)`: ASCII only, `","` at line ends and `": "` after keys.
pub fn render_skeleton_json(value: &Value) -> String {
    let options = DumpOptions {
        indent: Some(4),
        ..DumpOptions::python_default()
    };
    dumps(value, &options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model;
    use crate::params::validate::test_json::read_data;

    /// Every operation's skeletons against `tests/data/validate/skeletons.json` (botocore's
    /// generator with `random.choice` fixed to the first enum value).
    #[test]
    fn skeletons_match_the_reference_for_every_operation() {
        let corpus = read_data("tests/data/validate/skeletons.json");
        let corpus = corpus.as_object().expect("an object");
        assert_eq!(corpus.len(), 161);
        for (cli_name, expected) in corpus {
            let op = model::operation_by_cli_name(cli_name).expect("operation in model");
            assert_eq!(
                render_input_skeleton(op),
                expected["input"].as_str().expect("input"),
                "{cli_name} input"
            );
            let output = output_skeleton(op, TimestampStyle::Json);
            assert_eq!(
                render_skeleton_json(&output),
                expected["output"].as_str().expect("output"),
                "{cli_name}"
            );
            let check = check_output_skeleton(op, &output)
                .err()
                .map(|e| e.to_string());
            let expected_check = expected["output_error"]
                .as_str()
                .map(|r| format!("Parameter validation failed:\n{r}"));
            assert_eq!(check, expected_check, "{cli_name} output check");
            let text = output_skeleton(op, TimestampStyle::Text);
            assert_eq!(
                check_output_skeleton(op, &text).is_ok(),
                expected_check.is_none(),
                "{cli_name} text style"
            );
        }
    }

    /// The recorded `aws` runs whose stdout is the input skeleton.
    #[test]
    fn input_skeleton_runs_match_the_recorded_cli() {
        for case in crate::params::validate::test_json::cli_cases() {
            if case["kind"] != "skeleton-input" {
                continue;
            }
            let argv: Vec<&str> = case["argv"]
                .as_array()
                .expect("argv")
                .iter()
                .filter_map(|a| a.as_str())
                .collect();
            let op = model::operation_by_cli_name(argv[1]).expect("operation");
            assert_eq!(
                render_input_skeleton(op),
                case["stdout"].as_str().expect("stdout"),
                "{argv:?}"
            );
            assert_eq!(case["stderr"], "");
            assert_eq!(case["exit_code"], 0);
        }
    }

    /// Blanks a line's string value: the reference's enum values are random.
    fn without_string_value(line: &str) -> String {
        let comma = if line.ends_with(',') { "," } else { "" };
        let body = line.trim_end_matches(',');
        if !body.ends_with('"') {
            return line.to_string();
        }
        match body.rfind("\": \"") {
            Some(i) => format!("{}\": \"*\"{comma}", &body[..i]),
            None => format!(
                "{}\"*\"{comma}",
                &body[..body.len() - body.trim_start().len()]
            ),
        }
    }

    /// The recorded runs for operations with enum members match but for the chosen values.
    #[test]
    fn random_enum_skeleton_runs_match_but_for_the_values() {
        for case in crate::params::validate::test_json::cli_cases() {
            if case["kind"] != "skeleton-input-random" {
                continue;
            }
            let op = model::operation_by_cli_name(case["argv"][1].as_str().expect("op"))
                .expect("operation");
            let ours: Vec<String> = render_input_skeleton(op)
                .lines()
                .map(without_string_value)
                .collect();
            let theirs: Vec<String> = case["stdout"]
                .as_str()
                .expect("stdout")
                .lines()
                .map(without_string_value)
                .collect();
            assert_eq!(ours, theirs, "{}", op.cli_name);
        }
    }

    #[test]
    fn required_options_are_relaxed_like_the_reference() {
        assert!(relaxes_required_args(&["--generate-cli-skeleton"]));
        assert!(relaxes_required_args(&["--generate-cli-skeleton", "input"]));
        assert!(relaxes_required_args(&["--generate-cli-skeleton", "foo"]));
        assert!(!relaxes_required_args(&[
            "--generate-cli-skeleton",
            "output"
        ]));
        assert!(!relaxes_required_args(&["--generate-cli-skeleton=input"]));
        assert!(!relaxes_required_args(&["--instance-name", "x"]));
        assert_eq!(SkeletonKind::from_arg(None), Some(SkeletonKind::Input));
        assert_eq!(
            SkeletonKind::from_arg(Some("output")),
            Some(SkeletonKind::Output)
        );
        assert_eq!(SkeletonKind::from_arg(Some("Output")), None);
    }
}
