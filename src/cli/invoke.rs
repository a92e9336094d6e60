//! Runs a parsed operation, in the reference's order: unpack each parameter (model order), load and
//! merge `--cli-input-json`, answer `--generate-cli-skeleton`, resolve the configuration, validate the
//! parameters, make the signed call, shape the response by the model, apply `--query`, render.
//!
//! This is `ServiceOperation.__call__` plus `CLIOperationCaller` of the reference; each step is another
//! module's job and this file only fixes their order and maps their errors to [`CliError`].

use super::argparse::ArgValue;
use super::errors::CliError;
use super::global_options::Globals;
use super::operation_parser::OperationArgs;
use super::settings::Settings;
use crate::call::{Client, EndpointSettings};
use crate::http::proxy::ProxyEnv;
use crate::model::Paginator;
use crate::params::argprocess::{self, ParamOptions, ParsedParam, RawArg};
use crate::params::skeleton::{self, SkeletonKind, TimestampStyle};
use crate::params::{cli_input_json, paramfile, timestamp, validate};
use crate::process::{python_stdout, Context};
use crate::python::json_decode;
use crate::python::timestamp::SystemLocal;
use crate::python::value::{Map, Value};
use crate::response::formatter::{self, paginated, OutputFormat};
use crate::response::json_listing::JsonListing;
use crate::response::paginate::{self, PageLoop, PagingConfig};
use crate::response::shape::{ResponseShaper, TimestampFormat};
use std::cell::Cell;
use std::io::ErrorKind;

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
    // `operation-args-parsed`: pagination turned off together with paging arguments.
    let paginator = args.operation.paginator.as_ref();
    let paginate = match paginator {
        Some(p) => globals.paginate && !manual_page_token(args, p),
        None => false,
    };
    if paginator.is_some() && !paginate {
        paginate::check_not_set(args.starting_token.as_deref(), args.max_items.as_ref())?;
    }
    let settings = Settings::resolve(globals, cx)?;
    let timestamp_format = match &settings.config.cli_timestamp_format {
        Some(name) => TimestampFormat::parse(name)?,
        None => TimestampFormat::Wire,
    };
    let mut call = build_parameters(args, &settings, globals, cx)?;
    if paginator.is_some() {
        add_pagination_config(args, &mut call.params, cx);
    }
    detect_binary_migration(args, globals, &settings, cx)?;
    if let Some(text) = &args.cli_input_json {
        let from_json = load_cli_input_json(text)?;
        if let Some(p) = paginator {
            if from_json.contains_key(p.input_token)
                && super::top_level::v2_debug_enabled(globals, cx)
            {
                let _ = cx
                    .stderr
                    .write_all(paginate::V2_CLI_INPUT_JSON_WARNING.as_bytes());
            }
        }
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
    // botocore's create_client: credential chain, region and endpoint problems surface here.
    super::top_level::timeouts(globals)?.check()?;
    let client = Client::new(&settings.config)?
        .with_endpoint_settings(endpoint_settings(&settings, cx))
        .with_proxies(environment_proxies(cx));
    if skeleton_kind == Some(SkeletonKind::Output) {
        let style = if settings.config.output == "json" {
            TimestampStyle::Json
        } else {
            TimestampStyle::Text
        };
        let response = skeleton::output_skeleton(args.operation, style);
        skeleton::check_output_skeleton(args.operation, &response)?;
        validate_parameters(args, &call, &settings, cx)?;
        return render(args, &response, globals, &settings, cx);
    }
    if let (Some(p), true) = (paginator, paginate) {
        return run_paginated(
            args,
            p,
            call,
            &client,
            timestamp_format,
            globals,
            &settings,
            cx,
        );
    }
    validate_parameters(args, &call, &settings, cx)?;
    let params = serialize_parameters(args, call.params, cx)?;
    let raw = client.call_raw(args.operation, &Value::Object(params))?;
    let shaper = ResponseShaper::new(timestamp_format);
    let shaped =
        shaper.shape_json_body(args.operation.output_shape(), &raw.body, raw.has_request_id);
    if shaper.saw_timestamp()
        && settings.config.cli_timestamp_format.is_none()
        && super::top_level::v2_debug_enabled(globals, cx)
    {
        let _ = cx
            .stderr
            .write_all(crate::response::shape::V2_TIMESTAMP_WARNING.as_bytes());
    }
    let response = shaped?;
    render(args, &response, globals, &settings, cx)
}

/// `_detect_binary_file_migration_change` under `--v2-debug`: it looks up the model type of every
/// given argument, and `--generate-cli-skeleton` (an `nargs='?'` argument) has none, so the reference
/// fails with an `AttributeError` (exit 255) unless `cli_binary_format = raw-in-base64-out`.
/// Lightsail has no blob parameters, so the blob warning itself never shows.
fn detect_binary_migration(
    args: &OperationArgs,
    globals: &Globals,
    settings: &Settings,
    cx: &Context<'_>,
) -> Result<(), CliError> {
    if settings.config.profile_value("cli_binary_format") == Some("raw-in-base64-out")
        || !super::top_level::v2_debug_enabled(globals, cx)
    {
        return Ok(());
    }
    match args.generate_cli_skeleton.as_deref() {
        Some(value) if !value.is_empty() => Err(CliError::Exception(
            "'NoneType' object has no attribute 'type_name'".into(),
        )),
        _ => Ok(()),
    }
}

/// Whether the input token's own option (`--page-token`) was given: the reference then turns
/// pagination off (`check_should_enable_pagination`).
fn manual_page_token(args: &OperationArgs, paginator: &Paginator) -> bool {
    args.params
        .iter()
        .any(|(member, _)| member.name == paginator.input_token)
}

/// `PageArgument.add_to_params`: `--starting-token` and `--max-items` become `PaginationConfig`
/// (after the model's parameters), with the reference's warning for a non-positive `--max-items`.
fn add_pagination_config(args: &OperationArgs, params: &mut Map, cx: &mut Context<'_>) {
    let mut config = Map::new();
    if let Some(token) = &args.starting_token {
        config.insert("StartingToken", Value::String(token.as_str().into()));
    }
    if let Some(max_items) = &args.max_items {
        if paginate::is_non_positive(max_items) {
            let _ = cx
                .stderr
                .write_all(paginate::NON_POSITIVE_MAX_ITEMS_WARNING.as_bytes());
        }
        config.insert("MaxItems", Value::Number(max_items.clone()));
    }
    if !config.is_empty() {
        params.insert("PaginationConfig", Value::Object(config));
    }
}

/// The paginated call (`paginator.paginate(**parameters)` handed to the formatter): requests follow
/// the page tokens; text prints each page as it arrives, json and table print the merged result.
#[allow(clippy::too_many_arguments)]
fn run_paginated(
    args: &OperationArgs,
    paginator: &'static Paginator,
    mut call: CallParameters,
    client: &Client,
    timestamp_format: TimestampFormat,
    globals: &Globals,
    settings: &Settings,
    cx: &mut Context<'_>,
) -> Result<i32, CliError> {
    let config = match call.params.shift_remove("PaginationConfig") {
        Some(value) => PagingConfig::from_value(&value, paginator)?,
        None => PagingConfig::default(),
    };
    let format = settings.output_format()?;
    let color = match globals.color.as_str() {
        "on" => true,
        "off" => false,
        _ => stdout_is_terminal(),
    };
    let mut pages = PageLoop::new(paginator, call.params.clone(), config)?;
    let shaper = ResponseShaper::new(timestamp_format);
    let mut warned = false;
    let mut full = paginated::FullResult::new(paginator.result_key);
    // json without --query is written straight from the response bytes (response::json_listing);
    // the v2 timestamp warning and iso8601 timestamps need the shaper.
    let mut listing = (format == OutputFormat::Json
        && globals.compiled_query.is_none()
        && timestamp_format == TimestampFormat::Wire
        && !super::top_level::v2_debug_enabled(globals, cx))
    .then(|| JsonListing::new(paginator.result_key));
    while let Some(params) = pages.next_request() {
        call.params = params.clone();
        validate_parameters(args, &call, settings, cx)?;
        let params = serialize_parameters(args, call.params.clone(), cx)?;
        let raw = client.call_raw(args.operation, &Value::Object(params))?;
        if let (Some(listing), Some(output)) = (&mut listing, args.operation.output_shape()) {
            if let Some(mut page) =
                listing.transcode_page(output, paginator.output_token, &raw.body)
            {
                pages.accept(&mut page)?;
                continue;
            }
        }
        let shaped =
            shaper.shape_json_body(args.operation.output_shape(), &raw.body, raw.has_request_id);
        if !warned
            && shaper.saw_timestamp()
            && settings.config.cli_timestamp_format.is_none()
            && super::top_level::v2_debug_enabled(globals, cx)
        {
            warned = true;
            let _ = cx
                .stderr
                .write_all(crate::response::shape::V2_TIMESTAMP_WARNING.as_bytes());
        }
        let mut page = shaped?;
        pages.accept(&mut page)?;
        if format == OutputFormat::Text {
            let document = paginated::text_page_document(page, paginator.result_key);
            print_document(args, &document, format, globals, color, cx)?;
        } else if let Some(merged) = &mut listing {
            // A first result that is not a list: only the merged value reproduces what follows.
            if let Err(page) = merged.add_shaped_page(page) {
                full.add_page(page);
                listing = None;
            }
        } else {
            full.add_page(page);
        }
    }
    let resume_token = pages.resume_token();
    if let Some(listing) = listing {
        // Write errors are ignored, as the reference ignores a closed stdout.
        let _ = listing.write(resume_token, cx.stdout);
        formatter_done(cx);
        crate::process::teardown::release(listing);
        return Ok(0);
    }
    if format == OutputFormat::Text {
        if let Some(token) = resume_token {
            let document = paginated::text_resume_document(token);
            print_document(args, &document, format, globals, color, cx)?;
        }
        formatter_done(cx);
        return Ok(0);
    }
    let full = full.finish(resume_token);
    let printed = print_document(args, &full, format, globals, color, cx);
    formatter_done(cx);
    printed?;
    crate::process::teardown::release(full);
    Ok(0)
}

/// `--query` and one formatter call, written to stdout as it is drawn.
fn print_document(
    args: &OperationArgs,
    document: &Value,
    format: OutputFormat,
    globals: &Globals,
    color: bool,
    cx: &mut Context<'_>,
) -> Result<(), CliError> {
    let queried;
    let result = match &globals.compiled_query {
        Some(query) => {
            queried = crate::response::query::apply(query, document)?;
            &queried
        }
        None => document,
    };
    // Pages already printed stay printed; a failing page's partial output went out before the error.
    formatter::write_output(format, args.operation.name, result, color, cx.stdout)
        .map_err(CliError::from)
}

/// `_build_call_parameters`: each given parameter unpacked, in the model's member order.
/// `--cli-input-json` comes last in the argument table: its value is unpacked like the others (a
/// `file://` read, a URL fetched) and the result thrown away, as its `add_to_params` does nothing; the
/// document itself is loaded again later ([`load_cli_input_json`]). Under `--v2-debug` each URL
/// fetched warns as it returns.
fn build_parameters(
    args: &OperationArgs,
    settings: &Settings,
    globals: &Globals,
    cx: &mut Context<'_>,
) -> Result<CallParameters, CliError> {
    let fetched = Cell::new(0);
    let warn = super::top_level::v2_debug_enabled(globals, cx);
    let result = unpack_parameters(args, settings, &fetched);
    if warn {
        for _ in 0..fetched.get() {
            let _ = cx.stderr.write_all(paramfile::V2_URL_WARNING.as_bytes());
        }
    }
    let call = result?;
    if let Some(text) = &args.cli_input_json {
        let first = paramfile::get_paramfile(text, settings.follow_urls()).map_err(|e| {
            CliError::Exception(format!("Error parsing parameter '--cli-input-json': {e}"))
        })?;
        if warn && first.is_some() && paramfile::is_url(text) {
            let _ = cx.stderr.write_all(paramfile::V2_URL_WARNING.as_bytes());
        }
    }
    Ok(call)
}

/// `_build_call_parameters` for the operation's own members; `fetched` counts the URLs fetched.
fn unpack_parameters(
    args: &OperationArgs,
    settings: &Settings,
    fetched: &Cell<usize>,
) -> Result<CallParameters, CliError> {
    let options = ParamOptions {
        follow_urls: settings.follow_urls(),
        fetched_urls: Some(fetched),
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
            argprocess::parse_parameter_tracked(member, &cli_name, raw, options)?;
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

/// `--cli-input-json` at `calling-command`: the option's text is loaded again, this time with the
/// local prefixes only (`file://`, `fileb://`: a pipe such as `/dev/stdin` is read a second time and
/// is empty by now; a URL is not fetched but decoded as the JSON text itself), then decoded as a JSON
/// object. A failure of this second read is not wrapped: it escapes to `main()`.
fn load_cli_input_json(text: &str) -> Result<Map, CliError> {
    let loaded =
        paramfile::get_paramfile(text, false).map_err(|e| CliError::Exception(e.to_string()))?;
    // `received` is what the error message shows: the text, or the `repr` of the bytes `json.loads`
    // was given for `fileb://`.
    let (text, received) = match loaded {
        Some(paramfile::Loaded::Text(t)) => (t.clone(), t),
        Some(paramfile::Loaded::Bytes(b)) => (
            String::from_utf8_lossy(&b).into_owned(),
            crate::python::repr::repr_bytes(&b),
        ),
        None => (text.to_string(), text.to_string()),
    };
    let decoded = match json_decode::loads_with_depth_limit(&text, 982) {
        // A RecursionError is not the ValueError the reference wraps as `Invalid JSON`: it escapes
        // to `main()`, which prints it bare.
        Err(e) if !e.is_value_error() => return Err(CliError::Exception(e.to_string())),
        other => other.map_err(|e| e.to_string()),
    };
    Ok(cli_input_json::input_members(&received, decoded)?)
}

/// botocore's client-side validation (unless `parameter_validation = false`). Reading a timestamp may
/// warn (an unknown zone name) or abort validation (an epoch the platform cannot convert).
fn validate_parameters(
    args: &OperationArgs,
    call: &CallParameters,
    settings: &Settings,
    cx: &mut Context<'_>,
) -> Result<(), CliError> {
    let Some(input) = args.operation.input_shape() else {
        return Ok(());
    };
    let enabled = settings.parameter_validation();
    if enabled {
        let mut unknown = Vec::new();
        let checked = timestamp::check(input, &call.params, &SystemLocal, &mut unknown);
        warn_unknown_zones(&unknown, cx);
        checked.map_err(|e| CliError::Exception(e.to_string()))?;
    }
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
            crate::python::repr::repr_bytes(bytes)
        )));
    }
    Ok(validate::validate(
        input,
        &call.params,
        &call.json_members,
        enabled,
    )?)
}

/// FIPS, dual-stack and STS endpoint settings: the environment, else the profile.
pub(super) fn endpoint_settings(settings: &Settings, cx: &Context<'_>) -> EndpointSettings {
    let setting = |env: &str, key: &str| {
        (cx.env)(env).or_else(|| settings.config.profile_value(key).map(String::from))
    };
    let flag =
        |env: &str, key: &str| setting(env, key).is_some_and(|v| v.eq_ignore_ascii_case("true"));
    EndpointSettings {
        use_fips: flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"),
        use_dual_stack: flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"),
        sts_regional_endpoints: setting("AWS_STS_REGIONAL_ENDPOINTS", "sts_regional_endpoints"),
    }
}

/// The proxies of the environment. urllib reads every `*_proxy` variable in the environment's order;
/// the names come from the process (the context's lookup decides their values), with the usual spellings
/// added for a context that is not the process's.
pub(super) fn environment_proxies(cx: &Context<'_>) -> ProxyEnv {
    let mut names: Vec<String> = std::env::vars_os()
        .filter_map(|(name, _)| name.into_string().ok())
        .filter(|name| name.to_lowercase().ends_with("_proxy"))
        .collect();
    for name in [
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "no_proxy",
        "NO_PROXY",
    ] {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    ProxyEnv::from_env(&names, cx.env)
}

/// botocore's serializer: timestamp members become whole epoch seconds.
fn serialize_parameters(
    args: &OperationArgs,
    mut params: Map,
    cx: &mut Context<'_>,
) -> Result<Map, CliError> {
    if let Some(input) = args.operation.input_shape() {
        let mut unknown = Vec::new();
        let serialized = timestamp::serialize(input, &mut params, &SystemLocal, &mut unknown);
        warn_unknown_zones(&unknown, cx);
        serialized.map_err(|e| CliError::Exception(e.to_string()))?;
    }
    Ok(params)
}

thread_local! {
    /// Zone names already warned about: Python shows a warning once per message.
    static WARNED_ZONES: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// dateutil's `UnknownTimezoneWarning`, once per zone name per run.
fn warn_unknown_zones(names: &[String], cx: &mut Context<'_>) {
    for name in names {
        let first = WARNED_ZONES.with(|warned| {
            let mut warned = warned.borrow_mut();
            let first = !warned.contains(name);
            if first {
                warned.push(name.clone());
            }
            first
        });
        if first {
            let text = crate::python::timestamp::unknown_zone_warning(name);
            let _ = cx.stderr.write_all(text.as_bytes());
        }
    }
}

/// `--query`, then the formatter; a formatter exception keeps what was already printed.
fn render(
    args: &OperationArgs,
    response: &Value,
    globals: &Globals,
    settings: &Settings,
    cx: &mut Context<'_>,
) -> Result<i32, CliError> {
    let queried;
    let result = match &globals.compiled_query {
        Some(query) => {
            queried = crate::response::query::apply(query, response)?;
            &queried
        }
        None => response,
    };
    let color = match globals.color.as_str() {
        "on" => true,
        "off" => false,
        _ => stdout_is_terminal(),
    };
    let format = settings.output_format()?;
    match formatter::format_output(format, args.operation.name, result, color) {
        Ok(text) => {
            let written = cx.stdout.write_all(text.as_bytes());
            formatter_done(cx);
            match written {
                // The text formatter lets a closed pipe's error through to `main()`; the others
                // swallow it.
                Err(e) if format == OutputFormat::Text && e.kind() == ErrorKind::BrokenPipe => {
                    Err(CliError::Exception(python_stdout::BROKEN_PIPE.into()))
                }
                _ => Ok(0),
            }
        }
        Err(failure) => Err(failure.into()),
    }
}

/// The formatter's closing `flush()`, whose error (a closed pipe) it ignores.
fn formatter_done(cx: &mut Context<'_>) {
    let _ = cx.stdout.flush();
}

fn stdout_is_terminal() -> bool {
    // SAFETY: isatty only inspects the descriptor.
    unsafe { libc::isatty(1) == 1 }
}

fn write(cx: &mut Context<'_>, text: &str) {
    // A closed stdout (`| head`) is ignored, as the reference's formatter ignores it.
    let _ = cx.stdout.write_all(text.as_bytes());
}
