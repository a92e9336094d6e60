//! Settings resolution as botocore 1.43.11 does it: the shared config and credentials files, the
//! selected profile, and every setting's precedence (command-line flag > environment > profile > default).
//!
//! The files are read with the rules of Python's `configparser.RawConfigParser` (sections, `=`/`:`
//! delimiters, lower-cased keys, full-line `#`/`;` comments, indented continuation lines, `[DEFAULT]`
//! inherited by every section) followed by botocore's `raw_config_parse` (an option whose value starts
//! on the next line is a nested section such as `s3 =`) and `build_profile_map` (`[profile x]`,
//! `[default]`, `[services x]`). No INI crate reproduces configparser's continuation and comment rules,
//! so the parser is written here. Errors are [`ConfigError`] values whose `Display` is the reference's text.

pub mod credentials;

use crate::http::Verify;
use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

/// The global options that affect the call, as the driver parsed them from argv.
#[derive(Debug, Clone, Default)]
pub struct GlobalArgs {
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub profile: Option<String>,
    pub no_sign_request: bool,
    pub no_verify_ssl: bool,
    pub ca_bundle: Option<String>,
    pub cli_read_timeout: Option<u64>,
    pub cli_connect_timeout: Option<u64>,
    pub debug: bool,
    pub output: Option<String>,
}

/// A value in a profile: a plain string or a nested block (`s3 =` followed by indented `k = v` lines).
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigValue {
    Text(String),
    Nested(Vec<(String, String)>),
}

impl ConfigValue {
    pub fn as_text(&self) -> Option<&str> {
        match self {
            ConfigValue::Text(s) => Some(s),
            ConfigValue::Nested(_) => None,
        }
    }

    pub fn nested_get(&self, key: &str) -> Option<&str> {
        match self {
            ConfigValue::Nested(pairs) => pairs
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str()),
            ConfigValue::Text(_) => None,
        }
    }
}

/// One section's options, in file order (a later duplicate replaces the earlier value).
pub type Section = Vec<(String, ConfigValue)>;

fn section_get<'a>(section: &'a Section, key: &str) -> Option<&'a ConfigValue> {
    section.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn section_set(section: &mut Section, key: String, value: ConfigValue) {
    match section.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = value,
        None => section.push((key, value)),
    }
}

/// The merged view of both files (botocore's `session.full_config`).
#[derive(Debug, Clone, Default)]
pub struct FullConfig {
    /// Profiles of both files merged (credentials-file values win).
    pub profiles: HashMap<String, Section>,
    pub services: HashMap<String, Section>,
    /// `[sso-session NAME]` sections of the config file (botocore's `full_config['sso_sessions']`).
    pub sso_sessions: HashMap<String, Section>,
    /// Profiles as the config file alone has them (botocore's `config-file` provider).
    pub config_file_profiles: HashMap<String, Section>,
    /// Sections of the credentials file alone (the `shared-credentials-file` provider).
    pub credentials_file_profiles: HashMap<String, Section>,
}

/// Everything the call needs, resolved once from flags, environment and files.
#[derive(Debug, Clone)]
pub struct ResolvedConfig {
    pub profile_name: String,
    /// True when `--profile` was given (botocore then skips the environment credentials).
    pub explicit_profile: bool,
    /// The profile's settings (config file merged with the credentials file).
    pub scoped: Section,
    pub full: FullConfig,
    pub region: Option<String>,
    /// `--endpoint-url` or a configured endpoint (`AWS_ENDPOINT_URL_LIGHTSAIL`, ...).
    pub endpoint_url: Option<String>,
    /// The configured STS endpoint (`AWS_ENDPOINT_URL_STS`, ...), for assume-role and web-identity.
    pub sts_endpoint_url: Option<String>,
    /// The configured SSO portal endpoint (`AWS_ENDPOINT_URL_SSO`, ...), for `GetRoleCredentials`.
    pub sso_endpoint_url: Option<String>,
    /// The configured SSO OIDC endpoint (`AWS_ENDPOINT_URL_SSO_OIDC`, ...), for token refresh.
    pub sso_oidc_endpoint_url: Option<String>,
    pub output: String,
    pub cli_timestamp_format: Option<String>,
    pub parameter_validation: bool,
    pub verify: Verify,
    /// `None` means no limit (`--cli-connect-timeout 0`).
    pub connect_timeout: Option<Duration>,
    pub read_timeout: Option<Duration>,
    /// Raw `retry_mode` (validated when the client is created, as botocore does).
    pub retry_mode: Option<String>,
    /// Raw `max_attempts` (validated when the client is created).
    pub max_attempts: Option<String>,
    pub sign_request: bool,
    pub debug: bool,
    pub credentials_file: String,
    pub config_file: String,
    /// IMDS settings.
    pub ec2_metadata_disabled: bool,
    pub ec2_metadata_service_endpoint: Option<String>,
    pub metadata_service_timeout: Option<String>,
    pub metadata_service_num_attempts: Option<String>,
    /// The environment variables the credential chain reads (captured so `call` needs no `env` again).
    pub env: HashMap<String, String>,
}

impl ResolvedConfig {
    /// A setting of the selected profile as plain text.
    pub fn profile_value(&self, key: &str) -> Option<&str> {
        section_get(&self.scoped, key).and_then(ConfigValue::as_text)
    }
}

/// Failures while resolving settings; `Display` is the reference's message (the driver frames it).
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigError {
    /// `The config profile (x) could not be found` (botocore `ProfileNotFound`).
    ProfileNotFound(String),
    /// `Unable to parse config file: PATH` (botocore `ConfigParseError`; the reference shows a traceback, rc 1).
    ConfigParse(String),
    /// awscli's check of `--endpoint-url` (no scheme).
    EndpointSchemeMissing(String),
    /// `services = x` names a `[services x]` section that does not exist.
    MissingServicesSection(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::ProfileNotFound(p) => {
                write!(f, "The config profile ({p}) could not be found")
            }
            ConfigError::ConfigParse(path) => write!(f, "Unable to parse config file: {path}"),
            ConfigError::EndpointSchemeMissing(v) => write!(
                f,
                "Bad value for --endpoint-url \"{v}\": scheme is missing.  Must be of the form \
                 http://<hostname>/ or https://<hostname>/"
            ),
            ConfigError::MissingServicesSection(name) => write!(
                f,
                "The profile is configured to use the services section but the \"{name}\" services \
                 configuration does not exist."
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The environment variables botocore and awscli read for this command.
const ENV_NAMES: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "HOME",
];

/// Resolves every setting of the call (botocore's session variables plus awscli's global options).
pub fn resolve(
    args: &GlobalArgs,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<ResolvedConfig, ConfigError> {
    if let Some(url) = &args.endpoint_url {
        check_endpoint_url(url)?;
    }
    let home = env("HOME");
    let config_file = env("AWS_CONFIG_FILE").unwrap_or_else(|| "~/.aws/config".into());
    let credentials_file =
        env("AWS_SHARED_CREDENTIALS_FILE").unwrap_or_else(|| "~/.aws/credentials".into());
    let full = load_full_config(&config_file, &credentials_file, home.as_deref(), env)?;

    let explicit_profile = args.profile.is_some();
    let chosen = args
        .profile
        .clone()
        .or_else(|| env("AWS_DEFAULT_PROFILE"))
        .or_else(|| env("AWS_PROFILE"));
    let scoped = match &chosen {
        None => full.profiles.get("default").cloned().unwrap_or_default(),
        Some(name) => match full.profiles.get(name) {
            Some(section) => section.clone(),
            None => return Err(ConfigError::ProfileNotFound(name.clone())),
        },
    };
    let profile_name = chosen.unwrap_or_else(|| "default".into());
    let text = |key: &str| {
        section_get(&scoped, key)
            .and_then(ConfigValue::as_text)
            .map(str::to_owned)
    };
    // flag > environment variable > profile.
    let pick = |flag: Option<String>, var: &str, key: &str| {
        flag.or_else(|| env(var)).or_else(|| text(key))
    };

    let region = pick(args.region.clone(), "AWS_DEFAULT_REGION", "region");
    let output =
        pick(args.output.clone(), "AWS_DEFAULT_OUTPUT", "output").unwrap_or_else(|| "json".into());
    let ca_bundle = pick(args.ca_bundle.clone(), "AWS_CA_BUNDLE", "ca_bundle");
    let verify = if args.no_verify_ssl {
        Verify::Disabled
    } else {
        match ca_bundle {
            Some(path) => Verify::Bundle(path),
            None => Verify::Default,
        }
    };
    let timeout = |secs: Option<u64>| match secs {
        Some(0) => None,
        Some(n) => Some(Duration::from_secs(n)),
        None => Some(Duration::from_secs(60)),
    };
    let endpoint_url = match &args.endpoint_url {
        Some(url) => Some(url.clone()),
        None => configured_endpoint(&scoped, &full, env, "lightsail")?,
    };
    // The clients the credential providers create (STS, SSO, SSO OIDC) resolve their own configured
    // endpoints (never --endpoint-url); a missing services section already failed for lightsail above.
    let nested_endpoint = |service: &str| {
        configured_endpoint(&scoped, &full, env, service)
            .ok()
            .flatten()
    };
    let sts_endpoint_url = nested_endpoint("sts");
    let sso_endpoint_url = nested_endpoint("sso");
    let sso_oidc_endpoint_url = nested_endpoint("sso_oidc");
    let env_map = ENV_NAMES
        .iter()
        .filter_map(|n| env(n).map(|v| ((*n).to_owned(), v)))
        .collect();

    Ok(ResolvedConfig {
        profile_name,
        explicit_profile,
        region,
        endpoint_url,
        sts_endpoint_url,
        sso_endpoint_url,
        sso_oidc_endpoint_url,
        output,
        cli_timestamp_format: text("cli_timestamp_format"),
        parameter_validation: text("parameter_validation")
            .map(|v| ensure_boolean(&v))
            .unwrap_or(true),
        verify,
        connect_timeout: timeout(args.cli_connect_timeout),
        read_timeout: timeout(args.cli_read_timeout),
        retry_mode: pick(None, "AWS_RETRY_MODE", "retry_mode"),
        max_attempts: pick(None, "AWS_MAX_ATTEMPTS", "max_attempts"),
        sign_request: !args.no_sign_request,
        debug: args.debug,
        credentials_file,
        config_file,
        ec2_metadata_disabled: env("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|v| v.eq_ignore_ascii_case("true")),
        ec2_metadata_service_endpoint: pick(
            None,
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            "ec2_metadata_service_endpoint",
        ),
        metadata_service_timeout: pick(
            None,
            "AWS_METADATA_SERVICE_TIMEOUT",
            "metadata_service_timeout",
        ),
        metadata_service_num_attempts: pick(
            None,
            "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
            "metadata_service_num_attempts",
        ),
        env: env_map,
        scoped,
        full,
    })
}

/// awscli's check of `--endpoint-url`, made as soon as the global options are parsed (before the
/// operation's own arguments): the value needs a URL scheme.
pub fn check_endpoint_url(url: &str) -> Result<(), ConfigError> {
    if url_has_scheme(url) {
        Ok(())
    } else {
        Err(ConfigError::EndpointSchemeMissing(url.to_owned()))
    }
}

/// botocore's `ensure_boolean` for strings: only `true` (any case) is true.
pub fn ensure_boolean(value: &str) -> bool {
    value.eq_ignore_ascii_case("true")
}

/// `urlparse(value).scheme` is non-empty: letters first, then letters, digits, `+-.`, then `:`.
fn url_has_scheme(url: &str) -> bool {
    match url.split_once(':') {
        Some((scheme, _)) => {
            let mut chars = scheme.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// The configured endpoint, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` / `ignore_configured_endpoint_urls`
/// is true. Order: `AWS_ENDPOINT_URL_LIGHTSAIL`, `AWS_ENDPOINT_URL`, the profile's `services` section
/// (`lightsail = endpoint_url = ...`), the profile's `endpoint_url`.
fn configured_endpoint(
    scoped: &Section,
    full: &FullConfig,
    env: &dyn Fn(&str) -> Option<String>,
    service: &str,
) -> Result<Option<String>, ConfigError> {
    let ignore = env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").or_else(|| {
        section_get(scoped, "ignore_configured_endpoint_urls")
            .and_then(|v| v.as_text().map(str::to_owned))
    });
    if ignore.is_some_and(|v| ensure_boolean(&v)) {
        return Ok(None);
    }
    let non_empty = |v: Option<String>| v.filter(|s| !s.is_empty());
    if let Some(url) = non_empty(env(&format!(
        "AWS_ENDPOINT_URL_{}",
        service.to_ascii_uppercase()
    ))) {
        return Ok(Some(url));
    }
    if let Some(url) = non_empty(env("AWS_ENDPOINT_URL")) {
        return Ok(Some(url));
    }
    if let Some(ConfigValue::Text(name)) = section_get(scoped, "services") {
        let section = full.services.get(name).filter(|s| !s.is_empty());
        let Some(section) = section else {
            return Err(ConfigError::MissingServicesSection(name.clone()));
        };
        let url = section_get(section, service).and_then(|v| v.nested_get("endpoint_url"));
        if let Some(url) = url.filter(|u| !u.is_empty()) {
            return Ok(Some(url.to_owned()));
        }
    }
    Ok(section_get(scoped, "endpoint_url")
        .and_then(ConfigValue::as_text)
        .filter(|u| !u.is_empty())
        .map(str::to_owned))
}

/// Python's `os.path.expandvars` (for `$NAME` and `${NAME}` only) then `os.path.expanduser` (`~`).
pub fn expand_path(path: &str, home: Option<&str>, env: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let (name, tail, braced) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                Some(end) => (&inner[..end], &inner[end + 1..], true),
                None => ("", after, false),
            }
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], &after[end..], false)
        };
        match (name.is_empty(), env(name)) {
            (false, Some(value)) => out.push_str(&value),
            _ => {
                out.push('$');
                if braced {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                } else {
                    out.push_str(name);
                }
            }
        }
        rest = tail;
    }
    out.push_str(rest);
    if out == "~" || out.starts_with("~/") {
        if let Some(home) = home {
            return format!("{}{}", home.trim_end_matches('/'), &out[1..]);
        }
    }
    out
}

/// Reads the config file, then merges the credentials file's sections into the profiles
/// (credentials-file values win), as `session.full_config` does. A missing file counts as empty.
fn load_full_config(
    config_file: &str,
    credentials_file: &str,
    home: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<FullConfig, ConfigError> {
    let mut full = FullConfig::default();
    for (name, section) in read_ini_file(&expand_path(config_file, home, env))? {
        if name.starts_with("profile") {
            if let Some(profile) = section_suffix(&name) {
                full.profiles.insert(profile, section);
            }
        } else if name.starts_with("sso-session") {
            if let Some(session) = section_suffix(&name) {
                full.sso_sessions.insert(session, section);
            }
        } else if name.starts_with("services") {
            if let Some(services) = section_suffix(&name) {
                full.services.insert(services, section);
            }
        } else if name == "default" {
            full.profiles.insert(name, section);
        }
    }
    full.config_file_profiles = full.profiles.clone();
    for (name, section) in read_ini_file(&expand_path(credentials_file, home, env))? {
        let profile = full.profiles.entry(name.clone()).or_default();
        for (key, value) in &section {
            section_set(profile, key.clone(), value.clone());
        }
        full.credentials_file_profiles.insert(name, section);
    }
    Ok(full)
}

/// `[profile NAME]` -> `NAME`: botocore's `shlex.split` of the section name, which must give two words.
fn section_suffix(name: &str) -> Option<String> {
    let words = crate::python::shlex::split(name).ok()?;
    match <[String; 2]>::try_from(words) {
        Ok([_, second]) => Some(second),
        Err(_) => None,
    }
}

/// One file's sections in file order; a path that is not a regular file reads as no sections (botocore's
/// `ConfigNotFound`, which `full_config` treats as empty).
pub fn read_ini_file(path: &str) -> Result<Vec<(String, Section)>, ConfigError> {
    let is_file = std::fs::metadata(path)
        .map(|m| m.is_file())
        .unwrap_or(false);
    if !is_file {
        return Ok(Vec::new());
    }
    let bytes = std::fs::read(path).map_err(|_| ConfigError::ConfigParse(path.to_owned()))?;
    let text = String::from_utf8(bytes).map_err(|_| ConfigError::ConfigParse(path.to_owned()))?;
    parse_ini(&text).map_err(|IniError| ConfigError::ConfigParse(path.to_owned()))
}

/// Parses INI text with `RawConfigParser` rules, then turns values that start with a newline into nested
/// sections (botocore's `_parse_nested`). Returns the sections in file order.
pub fn parse_ini(text: &str) -> Result<Vec<(String, Section)>, IniError> {
    // Raw pass: each option's value is a list of lines, joined at the end.
    let mut sections: Vec<(String, RawOptions)> = Vec::new();
    let mut defaults: RawOptions = Vec::new();
    let mut current: Option<Option<usize>> = None; // Some(None) = [DEFAULT], Some(Some(i)) = sections[i]
    let mut option: Option<String> = None;
    let mut indent_level = 0usize;
    let mut seen_sections: Vec<String> = Vec::new();
    let mut seen_options: Vec<(String, String)> = Vec::new();
    let mut current_name = String::new();
    let mut failed = false;

    for raw_line in split_lines(text) {
        let stripped = raw_line.trim();
        let is_comment = stripped.starts_with('#') || stripped.starts_with(';');
        let value = if is_comment { "" } else { stripped };
        if value.is_empty() {
            // empty_lines_in_values: an empty line (not a comment) belongs to the current value.
            if !is_comment {
                if let (Some(target), Some(name)) = (current, &option) {
                    let opts = match target {
                        None => &mut defaults,
                        Some(i) => &mut sections[i].1,
                    };
                    if let Some((_, lines)) = opts.iter_mut().find(|(k, _)| k == name) {
                        lines.push(String::new());
                    }
                }
            }
            continue;
        }
        let cur_indent = raw_line.len() - raw_line.trim_start().len();
        if let (Some(target), Some(name)) = (current, &option) {
            if cur_indent > indent_level {
                let opts = match target {
                    None => &mut defaults,
                    Some(i) => &mut sections[i].1,
                };
                if let Some((_, lines)) = opts.iter_mut().find(|(k, _)| k == name) {
                    lines.push(value.to_owned());
                }
                continue;
            }
        }
        indent_level = cur_indent;
        if let Some(header) = section_header(value) {
            if seen_sections.iter().any(|s| s == header) {
                return Err(IniError); // DuplicateSectionError (strict)
            }
            seen_sections.push(header.to_owned());
            current_name = header.to_owned();
            if header == "DEFAULT" {
                current = Some(None);
            } else {
                sections.push((header.to_owned(), Vec::new()));
                current = Some(Some(sections.len() - 1));
            }
            option = None;
            continue;
        }
        let Some(target) = current else {
            return Err(IniError); // MissingSectionHeaderError
        };
        match split_option(value) {
            Some((name, val)) => {
                let name = name.to_lowercase();
                if name.is_empty() {
                    failed = true;
                    continue;
                }
                let key = (current_name.clone(), name.clone());
                if seen_options.contains(&key) {
                    return Err(IniError); // DuplicateOptionError (strict)
                }
                seen_options.push(key);
                let opts = match target {
                    None => &mut defaults,
                    Some(i) => &mut sections[i].1,
                };
                opts.push((name.clone(), vec![val.trim().to_owned()]));
                option = Some(name);
            }
            None => failed = true, // ParsingError, raised after the whole file is read
        }
    }
    if failed {
        return Err(IniError);
    }
    let finish = |lines: &[String]| lines.join("\n").trim_end().to_owned();
    let mut out = Vec::with_capacity(sections.len());
    for (name, options) in sections {
        let mut section: Section = Vec::new();
        let mut keys: Vec<(String, String)> = options
            .iter()
            .map(|(k, v)| (k.clone(), finish(v)))
            .collect();
        for (k, v) in &defaults {
            if !keys.iter().any(|(key, _)| key == k) {
                keys.push((k.clone(), finish(v)));
            }
        }
        for (key, value) in keys {
            let value = if value.starts_with('\n') {
                ConfigValue::Nested(parse_nested(&value)?)
            } else {
                ConfigValue::Text(value)
            };
            section.push((key, value));
        }
        out.push((name, section));
    }
    Ok(out)
}

/// An option's value lines before they are joined.
type RawOptions = Vec<(String, Vec<String>)>;

/// configparser or botocore rejected the file (`DuplicateSectionError`, `MissingSectionHeaderError`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IniError;

/// Python's `str.splitlines` for the line breaks a config file uses.
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// configparser's `SECTCRE`: `\[(?P<header>.+)\]` matched at the start (greedy to the last `]`).
fn section_header(value: &str) -> Option<&str> {
    let inner = value.strip_prefix('[')?;
    let end = inner.rfind(']')?;
    let header = &inner[..end];
    (!header.is_empty()).then_some(header)
}

/// configparser's `OPTCRE`: the name is everything before the first `=` or `:`.
fn split_option(value: &str) -> Option<(&str, &str)> {
    let pos = value.find(['=', ':'])?;
    Some((value[..pos].trim_end(), &value[pos + 1..]))
}

fn parse_nested(value: &str) -> Result<Vec<(String, String)>, IniError> {
    let mut pairs = Vec::new();
    for line in value.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (key, val) = line.split_once('=').ok_or(IniError)?;
        pairs.push((key.trim().to_owned(), val.trim().to_owned()));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(section: &Section, key: &str) -> Option<String> {
        section_get(section, key).and_then(|v| v.as_text().map(str::to_owned))
    }

    #[test]
    fn configparser_rules() {
        let ini = "# top comment\n[default]\nRegion = us-east-1\n; c\nlong = first\n  second\n\n  third\n\
                   s3 =\n  addressing_style = path\n  signature_version=s3v4\nk: v : w\n[profile dev]\nregion=eu\n\
                   [DEFAULT]\ninherited = yes\n";
        let sections = parse_ini(ini).expect("parses");
        let (name, default) = &sections[0];
        assert_eq!(name, "default");
        assert_eq!(text(default, "region").as_deref(), Some("us-east-1"));
        assert_eq!(
            text(default, "long").as_deref(),
            Some("first\nsecond\n\nthird")
        );
        assert_eq!(text(default, "k").as_deref(), Some("v : w"));
        assert_eq!(text(default, "inherited").as_deref(), Some("yes"));
        let s3 = section_get(default, "s3").expect("nested");
        assert_eq!(s3.nested_get("addressing_style"), Some("path"));
        assert_eq!(s3.nested_get("signature_version"), Some("s3v4"));
        assert_eq!(sections[1].0, "profile dev");
        assert!(parse_ini("no section\n").is_err());
        assert!(parse_ini("[a]\nx=1\n[a]\n").is_err());
        assert!(parse_ini("[a]\njunk line\n").is_err());
        assert!(parse_ini("[a]\nx=1\nx=2\n").is_err());
    }

    #[test]
    fn shlex_like_python() {
        assert_eq!(section_suffix("profile  dev "), Some("dev".into()));
        assert_eq!(section_suffix("profile"), None);
        assert_eq!(section_suffix("profile a b"), None);
    }

    #[test]
    fn expand_path_like_python() {
        let env = |n: &str| (n == "X").then(|| "/x".to_owned());
        assert_eq!(
            expand_path("~/.aws/config", Some("/h"), &env),
            "/h/.aws/config"
        );
        assert_eq!(expand_path("$X/a/${X}/$Y", None, &env), "/x/a//x/$Y");
    }
}
