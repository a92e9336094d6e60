//! The credential chain in botocore 1.43.11's order: environment variables, assume-role (`role_arn` with
//! `source_profile` or `credential_source`), web identity (`web_identity.rs`), SSO (`sso.rs`), the shared
//! credentials file, `credential_process`, the config file, container credentials
//! (`AWS_CONTAINER_CREDENTIALS_FULL_URI` / `_RELATIVE_URI`) and instance metadata (IMDSv2, skipped when
//! `AWS_EC2_METADATA_DISABLED=true`). Like botocore, `--profile` disables the environment provider (and
//! the environment form of web identity), and "nothing found" is not an error here: the call reports
//! `Unable to locate credentials` only when it has to sign.
//!
//! The chain plans; the call layer fetches. Static keys are [`SourceCredentials::Ready`]; credentials
//! that carry an expiry are [`SourceCredentials::Expiring`] with the way to fetch them again (botocore's
//! `RefreshableCredentials`, see `expiry.rs`); assume-role, web identity and SSO are deferred to the first
//! signing (botocore's `DeferredRefreshableCredentials`), where `call::refresh` runs them.
//! [`CredentialError`]'s `Display` is the reference's text (exit code 255). Not implemented: `login`
//! profiles and the boto2 and `AWS_CREDENTIAL_FILE` providers.

mod assume_role;
pub mod cache;
pub mod expiry;
pub mod sso;
pub mod web_identity;

pub use assume_role::{default_session_name_now, AssumeRole, ParamValue};
pub use expiry::Expiry;
pub use sso::SsoRole;
pub use web_identity::WebIdentity;

use crate::config::{self, ResolvedConfig};
use crate::http::{self, TransportOptions, Url, Verify};
use crate::python::value::Value;
use std::fmt;
use std::time::Duration;

/// Resolved credentials. `Debug` never shows the secret or the token.
#[derive(Clone, PartialEq)]
pub struct Credentials {
    pub access_key: String,
    pub secret_key: String,
    pub token: Option<String>,
    /// botocore's method name (`env`, `shared-credentials-file`, `custom-process`, ...).
    pub method: &'static str,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key", &self.access_key)
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

impl Credentials {
    /// The user-agent feature id botocore registers for this source (`m/...`).
    pub fn feature_id(&self) -> &'static str {
        match self.method {
            "env" => "g",
            "shared-credentials-file" | "config-file" => "n",
            "custom-process" => "v,w",
            "assume-role" => "o,n,i",
            "assume-role-with-web-identity" => "k",
            "sso" => "s",
            "container-role" => "z",
            "iam-role" => "0",
            _ => "",
        }
    }
}

/// Where the credentials that sign come from, as the chain planned it.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceCredentials {
    /// Static keys.
    Ready(Credentials),
    /// Keys with an expiry, and how botocore fetches them again when it nears.
    Expiring {
        creds: Credentials,
        expiry: Expiry,
        refresh: Refresh,
    },
    /// `AssumeRole`, called at the first signing.
    Role(Box<AssumeRole>),
    /// `AssumeRoleWithWebIdentity`, called at the first signing.
    WebIdentity(Box<WebIdentity>),
    /// SSO `GetRoleCredentials`, called at the first signing.
    Sso(Box<SsoRole>),
}

/// How expiring credentials are fetched again (each provider's `refresh_using`).
#[derive(Debug, Clone, PartialEq)]
pub enum Refresh {
    /// The environment variables again (the same values, in one process).
    Environment,
    /// The `credential_process` command again.
    Process(String),
    /// The container credentials endpoint again.
    Container,
    /// The instance metadata service again.
    InstanceMetadata,
}

/// Failures of a provider. All go through awscli's generic handler: `\n{message}\n`, exit 255.
#[derive(Debug, Clone, PartialEq)]
pub enum CredentialError {
    /// `Partial credentials found in {provider}, missing: {var}`.
    Partial {
        provider: &'static str,
        missing: &'static str,
    },
    /// `Error when retrieving credentials from {provider}: {message}`.
    Retrieval {
        provider: &'static str,
        message: String,
    },
    /// An exception awscli prints as its bare `str()`: a `credential_process` whose output is not JSON
    /// (Python's `json.loads` message), a process that cannot start (`OSError`), a `KeyError` (`'Token'`),
    /// an unsupported container host, dateutil's and Python's time errors.
    Other(String),
    /// botocore's `InvalidConfigError`: the message alone.
    InvalidConfig(String),
    /// A refresh brought credentials that are already expired (botocore's `RuntimeError`).
    StillExpired,
    /// botocore's `SSOTokenLoadError`: `Error loading SSO Token: {message}`.
    SsoTokenLoad(String),
    /// botocore's `UnauthorizedSSOTokenError`.
    SsoUnauthorized,
    /// botocore's `TokenRetrievalError` for an expired SSO token that could not be refreshed.
    SsoTokenExpired,
    /// botocore's `RefreshWithMFAUnsupportedError`: an MFA role's credentials cannot be fetched twice.
    MfaRefresh,
}

impl fmt::Display for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialError::Partial { provider, missing } => {
                write!(
                    f,
                    "Partial credentials found in {provider}, missing: {missing}"
                )
            }
            CredentialError::Retrieval { provider, message } => {
                write!(
                    f,
                    "Error when retrieving credentials from {provider}: {message}"
                )
            }
            CredentialError::Other(m) => f.write_str(m),
            CredentialError::InvalidConfig(m) => f.write_str(m),
            CredentialError::StillExpired => f.write_str(expiry::STILL_EXPIRED),
            CredentialError::SsoTokenLoad(m) => write!(f, "Error loading SSO Token: {m}"),
            CredentialError::SsoUnauthorized => f.write_str(
                "The SSO session associated with this profile has expired or is otherwise invalid. \
                 To refresh this SSO session run aws sso login with the corresponding profile.",
            ),
            CredentialError::SsoTokenExpired => f.write_str(
                "Error when retrieving token from sso: Token has expired and refresh failed",
            ),
            CredentialError::MfaRefresh => {
                f.write_str("Cannot refresh credentials: MFA token required.")
            }
        }
    }
}

impl std::error::Error for CredentialError {}

/// One debug line per provider tried, plus where credentials were found (for `--debug`).
pub type Trace = Vec<(&'static str, String)>;

/// Runs the chain. `Ok(None)` means no provider had credentials.
pub fn resolve(
    cfg: &ResolvedConfig,
    trace: &mut Trace,
) -> Result<Option<SourceCredentials>, CredentialError> {
    let env = |name: &str| cfg.env.get(name).cloned();
    let look = |trace: &mut Trace, name: &str| {
        trace.push(("DEBUG", format!("Looking for credentials via: {name}")))
    };

    if !cfg.explicit_profile {
        look(trace, "env");
        if let Some(found) = from_env(&env)? {
            trace.push(("INFO", "Found credentials in environment variables.".into()));
            return Ok(Some(found));
        }
    }
    look(trace, "assume-role");
    if cfg.profile_value("role_arn").is_some()
        && cfg.profile_value("web_identity_token_file").is_none()
    {
        let role = assume_role::plan(cfg, &cfg.profile_name, &mut vec![cfg.profile_name.clone()])?;
        return Ok(Some(SourceCredentials::Role(Box::new(role))));
    }
    look(trace, "assume-role-with-web-identity");
    if let Some(web) = web_identity::plan(cfg, &cfg.profile_name, !cfg.explicit_profile, true)? {
        return Ok(Some(SourceCredentials::WebIdentity(Box::new(web))));
    }
    look(trace, "sso");
    if let Some(role) = sso::plan(cfg, &cfg.profile_name)? {
        return Ok(Some(SourceCredentials::Sso(Box::new(role))));
    }
    look(trace, "shared-credentials-file");
    let cred_section = cfg.full.credentials_file_profiles.get(&cfg.profile_name);
    if let Some(creds) = from_section(cred_section, "shared-credentials-file")? {
        let line = format!(
            "Found credentials in shared credentials file: {}",
            cfg.credentials_file
        );
        trace.push(("INFO", line));
        return Ok(Some(SourceCredentials::Ready(creds)));
    }
    look(trace, "login");
    look(trace, "custom-process");
    if let Some(command) = cfg.profile_value("credential_process") {
        return from_process(command).map(Some);
    }
    look(trace, "config-file");
    let config_section = cfg.full.config_file_profiles.get(&cfg.profile_name);
    if let Some(creds) = from_section(config_section, "config-file")? {
        trace.push((
            "INFO",
            format!("Found credentials in config file: {}", cfg.config_file),
        ));
        return Ok(Some(SourceCredentials::Ready(creds)));
    }
    look(trace, "ec2-credentials-file");
    look(trace, "boto-config");
    look(trace, "container-role");
    if let Some(found) = from_container(&env)? {
        trace.push(("INFO", "Found credentials from container metadata.".into()));
        return Ok(Some(found));
    }
    look(trace, "iam-role");
    if !cfg.ec2_metadata_disabled {
        if let Some((role, found)) = from_imds(cfg)? {
            trace.push(("INFO", format!("Found credentials from IAM Role: {role}")));
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// The providers botocore builds for one profile (web identity from the profile's keys, SSO, the shared
/// credentials file, `credential_process`, the config file), as used for an assume-role `source_profile`:
/// no environment variables, and no disk cache for web identity.
fn profile_chain(
    cfg: &ResolvedConfig,
    profile: &str,
) -> Result<Option<SourceCredentials>, CredentialError> {
    if let Some(web) = web_identity::plan(cfg, profile, false, false)? {
        return Ok(Some(SourceCredentials::WebIdentity(Box::new(web))));
    }
    if let Some(role) = sso::plan(cfg, profile)? {
        return Ok(Some(SourceCredentials::Sso(Box::new(role))));
    }
    let cred_section = cfg.full.credentials_file_profiles.get(profile);
    if let Some(creds) = from_section(cred_section, "shared-credentials-file")? {
        return Ok(Some(SourceCredentials::Ready(creds)));
    }
    let merged = cfg.full.profiles.get(profile);
    let process = merged
        .and_then(|p| p.iter().find(|(k, _)| k == "credential_process"))
        .and_then(|(_, v)| v.as_text());
    if let Some(command) = process {
        return from_process(command).map(Some);
    }
    Ok(
        from_section(cfg.full.config_file_profiles.get(profile), "config-file")?
            .map(SourceCredentials::Ready),
    )
}

/// Fetches expiring credentials again, as the provider's refresh function does.
pub fn refetch(
    cfg: &ResolvedConfig,
    refresh: &Refresh,
) -> Result<(Credentials, Expiry), CredentialError> {
    let env = |name: &str| cfg.env.get(name).cloned();
    // A source that answers without an expiry this time fails where botocore parses `None`.
    let expiring = |found: Option<SourceCredentials>| match found {
        Some(SourceCredentials::Expiring { creds, expiry, .. }) => Ok((creds, expiry)),
        _ => Err(CredentialError::Other(
            "Parser must be a string or character stream, not NoneType".into(),
        )),
    };
    match refresh {
        Refresh::Environment => {
            // botocore's fetcher requires the expiry this time.
            if env("AWS_CREDENTIAL_EXPIRATION").is_none_or(|v| v.is_empty()) {
                return Err(CredentialError::Partial {
                    provider: "env",
                    missing: "AWS_CREDENTIAL_EXPIRATION",
                });
            }
            expiring(from_env(&env)?)
        }
        Refresh::Process(command) => expiring(Some(from_process(command)?)),
        Refresh::Container => expiring(from_container(&env)?),
        Refresh::InstanceMetadata => match from_imds(cfg)? {
            Some((_, found)) => expiring(Some(found)),
            None => Err(CredentialError::Retrieval {
                provider: "iam-role",
                message: "Credential refresh failed, response did not contain: access_key, \
                          secret_key, token, expiry_time"
                    .into(),
            }),
        },
    }
}

/// botocore's `EnvProvider`: an empty `AWS_ACCESS_KEY_ID` counts as unset; `AWS_SECURITY_TOKEN` is read
/// before `AWS_SESSION_TOKEN`; `AWS_CREDENTIAL_EXPIRATION` makes the credentials expiring.
fn from_env(
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<SourceCredentials>, CredentialError> {
    let Some(access_key) = env("AWS_ACCESS_KEY_ID").filter(|k| !k.is_empty()) else {
        return Ok(None);
    };
    let secret_key = env("AWS_SECRET_ACCESS_KEY").filter(|s| !s.is_empty());
    let Some(secret_key) = secret_key else {
        return Err(CredentialError::Partial {
            provider: "env",
            missing: "AWS_SECRET_ACCESS_KEY",
        });
    };
    let token = env("AWS_SECURITY_TOKEN")
        .filter(|t| !t.is_empty())
        .or_else(|| env("AWS_SESSION_TOKEN").filter(|t| !t.is_empty()));
    let creds = Credentials {
        access_key,
        secret_key,
        token,
        method: "env",
    };
    match env("AWS_CREDENTIAL_EXPIRATION").filter(|e| !e.is_empty()) {
        None => Ok(Some(SourceCredentials::Ready(creds))),
        Some(text) => Ok(Some(SourceCredentials::Expiring {
            creds,
            expiry: expiry::parse(&text).map_err(CredentialError::Other)?,
            refresh: Refresh::Environment,
        })),
    }
}

fn from_section(
    section: Option<&config::Section>,
    provider: &'static str,
) -> Result<Option<Credentials>, CredentialError> {
    let Some(section) = section else {
        return Ok(None);
    };
    let get = |key: &str| {
        section
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.as_text())
            .map(str::to_owned)
    };
    let Some(access_key) = get("aws_access_key_id") else {
        return Ok(None);
    };
    let Some(secret_key) = get("aws_secret_access_key") else {
        return Err(CredentialError::Partial {
            provider,
            missing: "aws_secret_access_key",
        });
    };
    let token = get("aws_session_token").or_else(|| get("aws_security_token"));
    Ok(Some(Credentials {
        access_key,
        secret_key,
        token,
        method: provider,
    }))
}

/// Python's `str()` of a decoded JSON value, for the `Unsupported version` message.
fn python_str(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.python_repr(),
        Value::String(s) => s.to_string(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(python_repr).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!(
                    "{}: {}",
                    python_repr(&Value::String(k.clone())),
                    python_repr(v)
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn python_repr(value: &Value) -> String {
    match value {
        Value::String(s) if s.contains('\'') && !s.contains('"') => format!("\"{s}\""),
        Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        other => python_str(other),
    }
}

/// botocore's `ProcessProvider`: the command's JSON; an `Expiration` (anything but null) makes the
/// credentials expiring, parsed now.
fn from_process(command: &str) -> Result<SourceCredentials, CredentialError> {
    let (creds, expiration) = run_process(command)?;
    match expiration {
        None | Some(Value::Null) => Ok(SourceCredentials::Ready(creds)),
        Some(value) => Ok(SourceCredentials::Expiring {
            creds,
            expiry: expiry::parse_value(&value).map_err(CredentialError::Other)?,
            refresh: Refresh::Process(command.to_owned()),
        }),
    }
}

/// Runs the `credential_process` command: its credentials and its `Expiration` value.
fn run_process(command: &str) -> Result<(Credentials, Option<Value>), CredentialError> {
    const PROVIDER: &str = "custom-process";
    let argv =
        crate::python::shlex::split(command).map_err(|e| CredentialError::Other(e.to_string()))?;
    let Some((program, args)) = argv.split_first() else {
        return Err(CredentialError::Other("list index out of range".into()));
    };
    let output = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::inherit())
        .output()
        .map_err(|e| {
            let text = e.to_string();
            let message = text.split(" (os error").next().unwrap_or(&text).to_owned();
            CredentialError::Other(match e.raw_os_error() {
                Some(code) => format!("[Errno {code}] {message}: '{program}'"),
                None => message,
            })
        })?;
    if !output.status.success() {
        return Err(CredentialError::Retrieval {
            provider: PROVIDER,
            message: String::from_utf8_lossy(&output.stderr).into_owned(),
        });
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let parsed = crate::python::json_decode::loads(&text)
        .map_err(|e| CredentialError::Other(e.to_string()))?;
    let Value::Object(map) = parsed else {
        return Err(CredentialError::Other(format!(
            "'{}' object has no attribute 'get'",
            match parsed {
                Value::Array(_) => "list",
                Value::String(_) => "str",
                Value::Number(ref n) if n.is_float() => "float",
                Value::Number(_) => "int",
                Value::Bool(_) => "bool",
                _ => "NoneType",
            }
        )));
    };
    let version_ok = matches!(map.get("Version"), Some(Value::Number(n)) if n.as_f64() == 1.0)
        || matches!(map.get("Version"), Some(Value::Bool(true)));
    if !version_ok {
        let version = map
            .get("Version")
            .map(python_str)
            .unwrap_or_else(|| "<Version key not provided>".into());
        return Err(CredentialError::Retrieval {
            provider: PROVIDER,
            message: format!("Unsupported version '{version}' for credential process provider, supported versions: 1"),
        });
    }
    let required = |key: &'static str| {
        map.get(key)
            .map(python_str)
            .ok_or_else(|| CredentialError::Retrieval {
                provider: PROVIDER,
                message: format!("Missing required key in response: '{key}'"),
            })
    };
    let access_key = required("AccessKeyId")?;
    let secret_key = required("SecretAccessKey")?;
    let token = match map.get("SessionToken") {
        None | Some(Value::Null) => None,
        Some(v) => Some(python_str(v)),
    };
    let expiration = map.get("Expiration").cloned();
    Ok((
        Credentials {
            access_key,
            secret_key,
            token,
            method: PROVIDER,
        },
        expiration,
    ))
}

/// One GET or PUT to a metadata service; the response, or the transport failure as text.
fn metadata_request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    timeout: Duration,
) -> Result<http::Response, String> {
    let parsed = Url::parse(url).ok_or_else(|| format!("Invalid URL: {url}"))?;
    let mut all = vec![
        ("Host".to_owned(), parsed.host_header()),
        ("Accept-Encoding".to_owned(), "identity".to_owned()),
    ];
    all.extend(
        headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
    );
    if method == "PUT" {
        all.push(("Content-Length".to_owned(), "0".to_owned()));
    }
    let opts = TransportOptions {
        connect_timeout: Some(timeout),
        read_timeout: Some(timeout),
        verify: &Verify::Default,
    };
    http::send(&parsed, method, &all, b"", &opts).map_err(|e| match e {
        http::TransportError::ConnectTimeout | http::TransportError::ReadTimeout => {
            format!("Read timeout on endpoint URL: \"{url}\"")
        }
        _ => format!("Could not connect to the endpoint URL: \"{url}\""),
    })
}

/// Container credentials (botocore's `ContainerProvider` + `ContainerMetadataFetcher`): up to 3 GETs,
/// one second apart, loopback / allowed hosts / https only.
fn from_container(
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<SourceCredentials>, CredentialError> {
    const PROVIDER: &str = "container-role";
    const ALLOWED_HOSTS: [&str; 4] = [
        "169.254.170.2",
        "169.254.170.23",
        "fd00:ec2::23",
        "localhost",
    ];
    let (url, validate) = match (
        env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"),
        env("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
    ) {
        (Some(relative), _) => (format!("http://169.254.170.2{relative}"), false),
        (None, Some(full)) => (full, true),
        (None, None) => return Ok(None),
    };
    let token = match env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
        Some(path) => Some(
            std::fs::read_to_string(&path)
                .map_err(|e| CredentialError::Other(python_os_error(&e, &path)))?,
        ),
        None => env("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
    };
    if token.as_deref().is_some_and(|t| t.contains(['\r', '\n'])) {
        return Err(CredentialError::Other(
            "Auth token value is not a legal header value".into(),
        ));
    }
    if validate {
        let parsed = Url::parse(&url);
        let https = parsed.as_ref().is_some_and(|u| u.https);
        let host = parsed
            .as_ref()
            .map(|u| u.host.to_ascii_lowercase())
            .unwrap_or_default();
        let loopback = host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
        if !https && !loopback && !ALLOWED_HOSTS.contains(&host.as_str()) {
            let shown = if host.is_empty() {
                "None".to_owned()
            } else {
                host
            };
            return Err(CredentialError::Other(format!(
                "Unsupported host '{shown}'.  Can only retrieve metadata from a loopback address or one of these hosts: {}",
                ALLOWED_HOSTS.join(", ")
            )));
        }
    }
    let mut headers = vec![
        ("User-Agent", "python-urllib3/2.7.0"),
        ("Accept", "application/json"),
    ];
    if let Some(token) = &token {
        headers.push(("Authorization", token.as_str()));
    }
    let mut attempts = 0;
    let value = loop {
        let result =
            metadata_request("GET", &url, &headers, Duration::from_secs(2)).and_then(|response| {
                let text = String::from_utf8_lossy(&response.body).into_owned();
                if response.status != 200 {
                    return Err(format!(
                        "Received non 200 response {} from container metadata: {text}",
                        response.status
                    ));
                }
                crate::python::json_decode::loads(&text).map_err(|_| {
                    "Unable to parse JSON returned from container metadata services".to_owned()
                })
            });
        match result {
            Ok(value) => break value,
            Err(message) => {
                std::thread::sleep(Duration::from_secs(1));
                attempts += 1;
                if attempts >= 3 {
                    return Err(CredentialError::Retrieval {
                        provider: PROVIDER,
                        message: format!("Error retrieving metadata: {message}"),
                    });
                }
            }
        }
    };
    // botocore indexes the four keys in this order; a missing one is a bare KeyError.
    let mut fields = Vec::new();
    for key in ["AccessKeyId", "SecretAccessKey", "Token"] {
        match value.as_object().and_then(|m| m.get(key)) {
            Some(v) => fields.push(python_str(v)),
            None => return Err(CredentialError::Other(format!("'{key}'"))),
        }
    }
    let Some(expiration) = value.as_object().and_then(|m| m.get("Expiration")) else {
        return Err(CredentialError::Other("'Expiration'".into()));
    };
    let token = fields.swap_remove(2);
    let secret_key = fields.swap_remove(1);
    let access_key = fields.swap_remove(0);
    Ok(Some(SourceCredentials::Expiring {
        creds: Credentials {
            access_key,
            secret_key,
            token: Some(token),
            method: PROVIDER,
        },
        expiry: expiry::parse_value(expiration).map_err(CredentialError::Other)?,
        refresh: Refresh::Container,
    }))
}

/// Python's `OSError` text: `[Errno 2] No such file or directory: 'path'`.
fn python_os_error(e: &std::io::Error, path: &str) -> String {
    let text = e.to_string();
    let message = text.split(" (os error").next().unwrap_or(&text);
    match e.raw_os_error() {
        Some(code) => format!("[Errno {code}] {message}: '{path}'"),
        None => message.to_owned(),
    }
}

/// IMDS (botocore's `InstanceMetadataFetcher`): an IMDSv2 token (falling back to v1 when refused), the
/// role name, then the role's credentials. Any failure means "no credentials from here".
/// The expiry botocore gives IMDS credentials: `_evaluate_expiration` extends an `Expiration` in its exact
/// `%Y-%m-%dT%H:%M:%SZ` form past the refresh window whenever it nears (never refreshed in one run: `None`);
/// other forms are parsed as any expiry.
fn from_imds(cfg: &ResolvedConfig) -> Result<Option<(String, SourceCredentials)>, CredentialError> {
    let Some((role, creds, expiration)) = fetch_imds(cfg) else {
        return Ok(None);
    };
    let strict = expiration.len() == 20
        && expiration.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b'T',
            13 | 16 => b == b':',
            19 => b == b'Z',
            _ => b.is_ascii_digit(),
        });
    if strict {
        return Ok(Some((role, SourceCredentials::Ready(creds))));
    }
    let expiry = expiry::parse(&expiration).map_err(CredentialError::Other)?;
    Ok(Some((
        role,
        SourceCredentials::Expiring {
            creds,
            expiry,
            refresh: Refresh::InstanceMetadata,
        },
    )))
}

fn fetch_imds(cfg: &ResolvedConfig) -> Option<(String, Credentials, String)> {
    let base = cfg
        .ec2_metadata_service_endpoint
        .clone()
        .unwrap_or_else(|| "http://169.254.169.254/".into());
    let base = base.trim_end_matches('/').to_owned();
    let timeout = cfg
        .metadata_service_timeout
        .as_deref()
        .and_then(|t| t.trim().parse::<f64>().ok())
        .unwrap_or(1.0);
    let timeout = Duration::from_secs_f64(timeout.max(0.001));
    let user_agent = format!(
        "aws-cli/1.45.11 Python/3.11.7 Linux/{} botocore/1.43.11",
        crate::process::host::os_release()
    );
    let token = metadata_request(
        "PUT",
        &format!("{base}/latest/api/token"),
        &[
            ("x-aws-ec2-metadata-token-ttl-seconds", "21600"),
            ("User-Agent", &user_agent),
        ],
        timeout,
    )
    .ok()
    .filter(|r| r.status == 200)
    .map(|r| String::from_utf8_lossy(&r.body).into_owned());
    let mut headers: Vec<(&str, &str)> = Vec::new();
    if let Some(token) = &token {
        headers.push(("x-aws-ec2-metadata-token", token));
    }
    headers.push(("User-Agent", &user_agent));
    let roles_url = format!("{base}/latest/meta-data/iam/security-credentials/");
    let roles = metadata_request("GET", &roles_url, &headers, timeout)
        .ok()
        .filter(|r| r.status == 200)?;
    let role = String::from_utf8_lossy(&roles.body).trim().to_owned();
    if role.is_empty() {
        return None;
    }
    let response = metadata_request("GET", &format!("{roles_url}{role}"), &headers, timeout)
        .ok()
        .filter(|r| r.status == 200)?;
    let value = crate::python::json_decode::loads(&String::from_utf8_lossy(&response.body)).ok()?;
    let field = |key: &str| {
        value
            .as_object()
            .and_then(|m| m.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let (access_key, secret_key, token) = (
        field("AccessKeyId")?,
        field("SecretAccessKey")?,
        field("Token")?,
    );
    let expiration = field("Expiration")?;
    Some((
        role,
        Credentials {
            access_key,
            secret_key,
            token: Some(token),
            method: "iam-role",
        },
        expiration,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{resolve as resolve_config, GlobalArgs};
    use std::collections::HashMap;

    fn cfg_with(
        env: &[(&str, &str)],
        files: &[(&str, &str)],
        profile: Option<&str>,
    ) -> (ResolvedConfig, tempdir::Dir) {
        let dir = tempdir::Dir::new();
        for (name, text) in files {
            let path = dir.path.join(name);
            std::fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        let mut vars: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        vars.insert("HOME".into(), dir.path.display().to_string());
        let args = GlobalArgs {
            profile: profile.map(str::to_owned),
            ..Default::default()
        };
        let cfg = resolve_config(&args, &|n| vars.get(n).cloned()).expect("config resolves");
        (cfg, dir)
    }

    mod tempdir {
        pub struct Dir {
            pub path: std::path::PathBuf,
        }
        impl Dir {
            pub fn new() -> Dir {
                use std::sync::atomic::{AtomicUsize, Ordering};
                static N: AtomicUsize = AtomicUsize::new(0);
                let path = std::env::temp_dir().join(format!(
                    "ls-creds-{}-{}",
                    std::process::id(),
                    N.fetch_add(1, Ordering::SeqCst)
                ));
                let _ = std::fs::remove_dir_all(&path);
                std::fs::create_dir_all(&path).expect("mkdir");
                Dir { path }
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.path);
            }
        }
    }

    #[test]
    fn explicit_profile_skips_environment() {
        let files = [(
            ".aws/credentials",
            "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n",
        )];
        let env = [
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "x"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ];
        let (cfg, _d) = cfg_with(&env, &files, Some("dev"));
        let ready = |cfg: &ResolvedConfig| match resolve(cfg, &mut Vec::new()) {
            Ok(Some(SourceCredentials::Ready(creds))) => creds,
            other => panic!("expected static credentials, got {other:?}"),
        };
        let creds = ready(&cfg);
        assert_eq!(
            (creds.access_key.as_str(), creds.method),
            ("AKIDDEV", "shared-credentials-file")
        );
        let (cfg, _d) = cfg_with(&env, &files, None);
        assert_eq!(ready(&cfg).method, "env");
    }

    #[test]
    fn nothing_found_is_none_and_debug_hides_secret() {
        let (cfg, _d) = cfg_with(&[], &[], None);
        let mut cfg = cfg;
        cfg.ec2_metadata_disabled = true;
        assert_eq!(resolve(&cfg, &mut Vec::new()), Ok(None));
        let creds = Credentials {
            access_key: "A".into(),
            secret_key: "SECRET".into(),
            token: Some("TOK".into()),
            method: "env",
        };
        let shown = format!("{creds:?}");
        assert!(!shown.contains("SECRET") && !shown.contains("TOK"));
    }
}
