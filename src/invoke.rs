//! Runs a parsed operation, in the reference's order: unpack each parameter (model order), load and
//! merge `--cli-input-json`, answer `--generate-cli-skeleton`, resolve the configuration, validate the
//! parameters, make the signed call, shape the response by the model, apply `--query`, render.
//!
//! This is `ServiceOperation.__call__` plus `CLIOperationCaller` of the reference; each step is another
//! module's job and this file only fixes their order and maps their errors to [`CliError`].

use crate::argparse::ArgValue;
use crate::argprocess::{self, ParamOptions, ParsedParam, RawArg};
use crate::clidriver::{Context, Globals, OperationArgs};
use crate::errors::CliError;
use crate::formatter::{self, OutputFormat};
use crate::skeleton::{self, SkeletonKind, TimestampStyle};
use crate::value::{Map, Value};
use crate::{cli_input_json, json_decode, paramfile, validate};

/// The parameters of a call, as built from the command line.
struct CallParameters {
    params: Map,
    /// Top-level members whose value was decoded from JSON (printed as `OrderedDict` in errors).
    json_members: Vec<&'static str>,
    /// A member given `fileb://` bytes where text was expected: the reference's validation rejects it.
    bytes_member: Option<(&'static str, Vec<u8>)>,
}

/// Runs the operation and returns the exit code.
pub fn run_operation(
    args: &OperationArgs,
    globals: &Globals,
    cx: &mut Context<'_>,
) -> Result<i32, CliError> {
    let settings = crate::settings::Settings::resolve(globals, cx)?;
    let mut call = build_parameters(args, &settings)?;
    if let Some(text) = &args.cli_input_json {
        let from_json = load_cli_input_json(text, &settings)?;
        call.params = cli_input_json::merge(call.params, from_json);
    }
    let skeleton_kind = args
        .generate_cli_skeleton
        .as_deref()
        .and_then(|v| SkeletonKind::from_arg(Some(v)));
    if skeleton_kind == Some(SkeletonKind::Input) {
        write(cx, &skeleton::render_input_skeleton(args.operation));
        return Ok(0);
    }
    // Creating the client: the region must be known (even with --endpoint-url).
    settings.require_region()?;
    let format = settings.output_format()?;
    if skeleton_kind == Some(SkeletonKind::Output) {
        let style = if format == OutputFormat::Json {
            TimestampStyle::Json
        } else {
            TimestampStyle::Text
        };
        let response = skeleton::output_skeleton(args.operation, style);
        skeleton::check_output_skeleton(args.operation, &response)
            .map_err(|e| CliError::Exception(e.to_string()))?;
        validate_parameters(args, &call, &settings)?;
        return render(args, &response, format, globals, &settings, cx);
    }
    validate_parameters(args, &call, &settings)?;
    let body = crate::call_glue::call(args.operation, &call.params, &settings, cx)?;
    let response = crate::call_glue::shape(args.operation, &body, &settings)?;
    render(args, &response, format, globals, &settings, cx)
}

/// `_build_call_parameters`: each given parameter unpacked, in the model's member order.
fn build_parameters(
    args: &OperationArgs,
    settings: &crate::settings::Settings,
) -> Result<CallParameters, CliError> {
    let options = ParamOptions {
        follow_urls: settings.follow_urls(),
    };
    let mut call = CallParameters {
        params: Map::new(),
        json_members: Vec::new(),
        bytes_member: None,
    };
    for (member, raw) in &args.params {
        let cli_name = format!("--{}", member.cli_name);
        let raw = match raw {
            ArgValue::Str(text) => RawArg::One(text),
            ArgValue::List(words) => RawArg::Many(words),
            ArgValue::Bool(flag) => {
                call.params
                    .insert(member.name.to_string(), Value::Bool(*flag));
                continue;
            }
        };
        let (parsed, from_json) =
            argprocess::parse_parameter_tracked(member, &cli_name, raw, options).map_err(|e| {
                match e.exit_code() {
                    2 => CliError::Usage {
                        prog: "aws".into(),
                        message: e.to_string(),
                    },
                    _ => CliError::Exception(e.to_string()),
                }
            })?;
        match parsed {
            ParsedParam::Value(value) => {
                if from_json {
                    call.json_members.push(member.name);
                }
                call.params.insert(member.name.to_string(), value);
            }
            ParsedParam::Bytes(bytes) => {
                if call.bytes_member.is_none() {
                    call.bytes_member = Some((member.name, bytes));
                }
            }
        }
    }
    Ok(call)
}

/// `--cli-input-json`: loaded like any parameter (`file://`, URLs), then decoded as a JSON object.
fn load_cli_input_json(text: &str, settings: &crate::settings::Settings) -> Result<Map, CliError> {
    let loaded = paramfile::get_paramfile(text, settings.follow_urls()).map_err(|e| {
        CliError::Exception(format!("Error parsing parameter '--cli-input-json': {e}"))
    })?;
    let received = match loaded {
        Some(paramfile::Loaded::Text(t)) => t,
        Some(paramfile::Loaded::Bytes(b)) => String::from_utf8_lossy(&b).into_owned(),
        None => text.to_string(),
    };
    let decoded = match json_decode::loads_with_depth_limit(&received, 982) {
        // A RecursionError is not the ValueError the reference wraps as `Invalid JSON`: it escapes
        // to `main()`, which prints it bare.
        Err(e) if !e.is_value_error() => return Err(CliError::Exception(e.to_string())),
        other => other.map_err(|e| e.to_string()),
    };
    cli_input_json::input_members(&received, decoded)
        .map_err(|e| CliError::Exception(e.to_string()))
}

/// botocore's client-side validation (unless `parameter_validation = false`).
fn validate_parameters(
    args: &OperationArgs,
    call: &CallParameters,
    settings: &crate::settings::Settings,
) -> Result<(), CliError> {
    let Some(input) = args.operation.input_shape() else {
        return Ok(());
    };
    let enabled = settings.parameter_validation();
    if let (true, Some((name, bytes))) = (enabled, &call.bytes_member) {
        let shape = input
            .member_named(name)
            .map(|m| m.shape().kind.type_name())
            .unwrap_or("string");
        let valid = if shape == "timestamp" {
            "<class 'datetime.datetime'>, timestamp-string"
        } else {
            "<class 'str'>"
        };
        return Err(CliError::Exception(format!(
            "Parameter validation failed:\nInvalid type for parameter {name}, value: {}, type: <class 'bytes'>, \
             valid types: {valid}",
            argprocess::python_bytes_repr(bytes)
        )));
    }
    validate::validate(input, &call.params, &call.json_members, enabled)
        .map_err(|e| CliError::Exception(e.to_string()))
}

/// `--query`, then the formatter; a formatter exception keeps what was already printed.
fn render(
    args: &OperationArgs,
    response: &Value,
    format: OutputFormat,
    globals: &Globals,
    _settings: &crate::settings::Settings,
    cx: &mut Context<'_>,
) -> Result<i32, CliError> {
    let result = match &globals.compiled_query {
        Some(query) => crate::query::apply(query, response)?,
        None => response.clone(),
    };
    let color = match globals.color.as_str() {
        "on" => true,
        "off" => false,
        _ => stdout_is_terminal(),
    };
    match formatter::format_output(format, args.operation.name, &result, color) {
        Ok(text) => {
            write(cx, &text);
            Ok(0)
        }
        Err(failure) => Err(CliError::Raw {
            stdout: failure.stdout.clone(),
            stderr: failure.stderr(),
            code: 255,
        }),
    }
}

fn stdout_is_terminal() -> bool {
    // SAFETY: isatty only inspects the descriptor.
    unsafe { libc::isatty(1) == 1 }
}

fn write(cx: &mut Context<'_>, text: &str) {
    // A closed stdout (`| head`) is ignored, as the reference's formatter ignores it.
    let _ = cx.stdout.write_all(text.as_bytes());
}
