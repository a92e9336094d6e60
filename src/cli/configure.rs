//! `aws configure ...` from the driver's side: the arguments parsed as awscli's `BasicCommand` parses
//! them (an `ArgTableArgParser` per level, `help` alone asking for the page, leftovers refused as
//! `Unknown options: a,b`), parameter files loaded for the arguments that allow them, and each
//! subcommand handed to `crate::configure` with what it needs from the layers below (the resolved
//! credentials for `list`).

use super::argparse::{Action, ArgValue, Namespace, Nargs, Parser};
use super::errors::CliError;
use super::global_options::Globals;
use super::invoke;
use super::settings::Settings;
use crate::call::Client;
use crate::config::credentials::{self, SourceCredentials};
use crate::configure::session::{self, Session};
use crate::configure::Subcommand;
use crate::configure::{add_model, get, list, prompt, set, SUBCOMMANDS};
use crate::help::command_page::{ArgDoc, CommandDoc};
use crate::help::entry::{self, Page};
use crate::params::argprocess::ParamError;
use crate::params::paramfile::{self, Loaded};
use crate::process::Context;
use std::io::BufRead;

/// Runs `aws configure` with the arguments the main parser left over.
pub fn run(
    args: &[String],
    globals: &Globals,
    stdin: &mut dyn BufRead,
    cx: &mut Context<'_>,
) -> Result<i32, CliError> {
    // The reference reads both files while it builds its driver, before any argument is parsed.
    let session = Session::load(globals.profile.as_deref(), cx.env)?;
    if args.len() == 1 && args[0] == "help" {
        return Ok(entry::show(Page::Command(command_doc(None)), cx)?);
    }
    let names: Vec<&'static str> = SUBCOMMANDS.iter().map(|s| s.name).collect();
    let parser = Parser::new(vec![
        Action::positional("subcommand", Nargs::Optional).with_choices(names)
    ]);
    let prog = cx.prog.clone();
    let (namespace, remaining) = parser
        .parse_known_args(args)
        .map_err(|e| CliError::from_parse_exit(e, &prog))?;
    let Some(ArgValue::Str(name)) = namespace.get("subcommand") else {
        unknown_options(&remaining)?;
        prompt::run(&session, stdin, cx.stdout, cx.env)?;
        return Ok(0);
    };
    // The parser accepts only these names, so the lookup succeeds.
    let Some(subcommand) = SUBCOMMANDS.iter().find(|s| s.name == name) else {
        return Err(CliError::NotImplemented(format!("configure {name}")));
    };
    if remaining.len() == 1 && remaining[0] == "help" {
        return Ok(entry::show(
            Page::Command(command_doc(Some(subcommand))),
            cx,
        )?);
    }
    let parser = Parser::new(
        subcommand
            .args
            .iter()
            .map(|arg| {
                let dest = arg.name.replace('-', "_");
                if arg.positional {
                    Action::positional(&dest, Nargs::One)
                } else {
                    let mut action = Action::option(&format!("--{}", arg.name), &dest);
                    action.required = arg.required;
                    action
                }
            })
            .collect(),
    );
    let (namespace, remaining) = parser
        .parse_known_args(&remaining)
        .map_err(|e| CliError::from_parse_exit(e, &prog))?;
    let follow_urls = session
        .scoped_config()
        .ok()
        .and_then(|s| session::get(&s, "cli_follow_urlparam").cloned())
        .is_none_or(|v| v.as_text() == Some("true"));
    let value = |name: &str| -> Result<Option<String>, CliError> {
        load_argument(&namespace, name, follow_urls)
    };
    match subcommand.name {
        "list" => {
            unknown_options(&remaining)?;
            configure_list(globals, &session, cx)
        }
        "get" => {
            let varname = value("varname")?.unwrap_or_default();
            unknown_options(&remaining)?;
            let (out, err, code) = get::run(&varname, &session)?;
            let _ = cx.stdout.write_all(out.as_bytes());
            let _ = cx.stderr.write_all(err.as_bytes());
            Ok(code)
        }
        "set" => {
            let varname = value("varname")?.unwrap_or_default();
            // `value` is never read from a file (`no_paramfile`).
            let new_value = match namespace.get("value") {
                Some(ArgValue::Str(v)) => v.clone(),
                _ => String::new(),
            };
            unknown_options(&remaining)?;
            set::run(&varname, &new_value, &session, cx.env)?;
            Ok(0)
        }
        "add-model" => {
            let model = value("service_model")?.unwrap_or_default();
            let service_name = value("service_name")?;
            unknown_options(&remaining)?;
            add_model::run(&model, service_name.as_deref(), cx.env)?;
            Ok(0)
        }
        other => Err(CliError::NotImplemented(format!("configure {other}"))),
    }
}

/// An argument's value after `file://` (and friends) are loaded, as `unpack_argument` does it.
fn load_argument(
    namespace: &Namespace,
    dest: &str,
    follow_urls: bool,
) -> Result<Option<String>, CliError> {
    let Some(ArgValue::Str(text)) = namespace.get(dest) else {
        return Ok(None);
    };
    let cli_name = configure_cli_name(dest);
    match paramfile::get_paramfile(text, follow_urls) {
        Ok(None) => Ok(Some(text.clone())),
        Ok(Some(Loaded::Text(loaded))) => Ok(Some(loaded)),
        Ok(Some(Loaded::Bytes(bytes))) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) => Err(ParamError::Parse {
            cli_name,
            message: e.to_string(),
        }
        .into()),
    }
}

/// How an argument is named in errors: positionals by name, options with their dashes.
fn configure_cli_name(dest: &str) -> String {
    let name = dest.replace('_', "-");
    let positional = SUBCOMMANDS
        .iter()
        .flat_map(|s| s.args)
        .any(|a| a.name == name && a.positional);
    if positional {
        name
    } else {
        format!("--{name}")
    }
}

/// `BasicCommand` refuses leftovers after parsing: `Unknown options: a,b` (exit 255, no usage banner).
fn unknown_options(remaining: &[String]) -> Result<(), CliError> {
    if remaining.is_empty() {
        return Ok(());
    }
    Err(CliError::Exception(format!(
        "Unknown options: {}",
        remaining.join(",")
    )))
}

/// `aws configure list`: each row printed as soon as it is known.
fn configure_list(
    globals: &Globals,
    session: &Session,
    cx: &mut Context<'_>,
) -> Result<i32, CliError> {
    let mut text = list::header();
    text.push_str(&list::format_row(
        "profile",
        &list::profile_row(globals.profile.as_deref(), cx.env),
    ));
    let _ = cx.stdout.write_all(text.as_bytes());
    let _ = cx.stdout.flush();
    let settings = Settings::resolve(globals, cx)?;
    let mut trace = Vec::new();
    let found = credentials::resolve(&settings.config, &mut trace)
        .map_err(|e| CliError::Exception(e.to_string()))?;
    let (access, secret) = match &found {
        None => list::credential_rows(None),
        Some(SourceCredentials::Ready(creds) | SourceCredentials::Expiring { creds, .. }) => {
            list::credential_rows(Some((&creds.access_key, &creds.secret_key, creds.method)))
        }
        Some(
            SourceCredentials::Role(_)
            | SourceCredentials::WebIdentity(_)
            | SourceCredentials::Sso(_),
        ) => {
            // The reference reads `credentials.access_key`, which fetches deferred credentials: the
            // STS or SSO call (and its cache file) happen here as they would before a request.
            if settings.config.region.is_none() {
                // Without a region the reference still reaches STS (its global endpoint); our
                // client is built for a regional Lightsail endpoint.
                return Err(CliError::NotImplemented(
                    "`configure list` with no region for a profile whose credentials come from STS or SSO"
                        .into(),
                ));
            }
            let client = Client::new(&settings.config)?
                .with_endpoint_settings(invoke::endpoint_settings(&settings, cx))
                .with_proxies(invoke::environment_proxies(cx));
            match client.current_credentials()? {
                Some(creds) => list::credential_rows(Some((
                    &creds.access_key,
                    &creds.secret_key,
                    creds.method,
                ))),
                None => list::credential_rows(None),
            }
        }
    };
    let region = list::region_row(
        cx.env,
        settings.config.profile_value("region"),
        &session.config_file,
    );
    let rows = list::format_row("access_key", &access)
        + &list::format_row("secret_key", &secret)
        + &list::format_row("region", &region);
    let _ = cx.stdout.write_all(rows.as_bytes());
    Ok(0)
}

/// What the help page of `aws configure [subcommand]` documents.
pub fn command_doc(subcommand: Option<&'static Subcommand>) -> CommandDoc {
    match subcommand {
        None => CommandDoc {
            lineage: vec!["configure"],
            args: Vec::new(),
            subcommands: SUBCOMMANDS.iter().map(|s| s.name).collect(),
        },
        Some(sub) => CommandDoc {
            lineage: vec!["configure", sub.name],
            args: sub
                .args
                .iter()
                .map(|a| ArgDoc {
                    name: a.name,
                    help: a.help,
                    positional: a.positional,
                    required: a.required,
                })
                .collect(),
            subcommands: Vec::new(),
        },
    }
}
