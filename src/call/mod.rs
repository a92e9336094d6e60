//! The signed Lightsail call: endpoint, request, SigV4, transport, retries and error mapping, shaped after
//! botocore 1.43.11 as AWS CLI v1.45.11 drives it.
//!
//! Design (decided for the `aws` binary's ~1 ms / < 10 MiB budget): no AWS SDK, no async runtime. The
//! request body is `json.dumps(params)` (Python's default separators), the headers are botocore's
//! (`Host`, `Accept-Encoding: identity`, `X-Amz-Target`, `Content-Type: application/x-amz-json-1.1`,
//! `User-Agent`, `X-Amz-Date`, `X-Amz-Security-Token`, `Authorization`, `amz-sdk-invocation-id`,
//! `amz-sdk-request`, `Content-Length`), signed by the hand-written signer in [`sigv4`] and sent by the
//! one-request client in [`http`] (see each module for why no crate does it). The response body comes back
//! decoded but unshaped; shaping is `response::shape`'s job.
//!
//! Order of checks, as in the reference: [`Client::new`] is botocore's `create_client` (credential chain
//! errors, invalid region, missing region, retry settings, invalid endpoint); the driver then validates
//! parameters; [`Client::call`] reports missing credentials (when signing), transport failures and
//! service errors, retrying per [`retry`].

pub mod debug;
pub mod endpoint;
pub mod error;
pub mod json;
mod refresh;
pub mod retry;
pub mod sigv4;
mod sso;
mod sts;

pub use error::{CallError, ServiceError};

use crate::config::credentials::{self, Credentials};
use crate::config::ResolvedConfig;
use crate::http::proxy::ProxyEnv;
use crate::http::{self, TransportError, TransportOptions, Url};
use crate::model::Operation;
use crate::python::value::Value;
use debug::Log;
use retry::{Outcome, RetryPolicy};
use std::time::{Duration, SystemTime};

/// botocore's target prefix for Lightsail (`metadata.targetPrefix` of the model).
const TARGET_PREFIX: &str = "Lightsail_20161128";
const SIGNING_NAME: &str = "lightsail";

/// A successful response as it came off the wire.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub body: Vec<u8>,
    /// Whether an `x-amzn-RequestId` header came with it (it decides how a `null` body fails).
    pub has_request_id: bool,
}

/// A configured client: what `session.create_client('lightsail', ...)` gives the reference.
pub struct Client {
    cfg: ResolvedConfig,
    region: String,
    /// The endpoint as resolved (`--endpoint-url`, configured, or `https://lightsail.REGION.amazonaws.com`).
    endpoint: String,
    endpoint_overridden: bool,
    /// The chain's credentials; fetched or refreshed before each signature (`refresh`).
    credentials: Option<std::cell::RefCell<refresh::Holder>>,
    /// Reads an MFA code (`getpass.getpass`); the sink receives what it writes to stderr.
    prompter: Box<Prompter>,
    retry: RetryPolicy,
    log: Log,
    sleep: Box<dyn Fn(Duration)>,
    random: Box<dyn Fn() -> f64>,
    now: Box<dyn Fn() -> SystemTime>,
    warned_insecure: std::cell::Cell<bool>,
    /// Connections kept open between requests (urllib3's pools).
    pool: std::cell::RefCell<http::Pool>,
    /// The proxies of the environment (none unless [`Client::with_proxies`]).
    proxies: ProxyEnv,
    /// FIPS, dual-stack and `sts_regional_endpoints` (see [`Client::with_endpoint_settings`]).
    endpoint_settings: EndpointSettings,
    /// The rule set's error for this client's endpoint, raised when a request is made (as botocore does).
    endpoint_error: Option<String>,
}

/// The settings that steer endpoint resolution besides the region.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EndpointSettings {
    /// `AWS_USE_FIPS_ENDPOINT` / `use_fips_endpoint` is `true` (any case).
    pub use_fips: bool,
    /// `AWS_USE_DUALSTACK_ENDPOINT` / `use_dualstack_endpoint` is `true` (any case).
    pub use_dual_stack: bool,
    /// `AWS_STS_REGIONAL_ENDPOINTS` / `sts_regional_endpoints` as set (unset: `regional`).
    pub sts_regional_endpoints: Option<String>,
}

/// How the client asks for an MFA code: prompt text and a stderr sink in, the line typed out.
pub type Prompter =
    dyn Fn(&str, &dyn Fn(&str)) -> Result<String, crate::process::getpass::PromptError>;

/// One-shot convenience: `Client::new(cfg)?.call(op, params)`.
pub fn call(
    cfg: &ResolvedConfig,
    op: &'static Operation,
    params: &Value,
) -> Result<Value, CallError> {
    Client::new(cfg)?.call(op, params)
}

impl Client {
    /// Resolves credentials, region, retry settings and endpoint, in the reference's order.
    pub fn new(cfg: &ResolvedConfig) -> Result<Client, CallError> {
        Client::with_stderr_sink(cfg, debug::process_stderr())
    }

    /// Like [`Client::new`], with everything the call writes to stderr (`--debug` lines, urllib3's TLS
    /// warning) sent to `sink` instead.
    pub fn with_stderr_sink(cfg: &ResolvedConfig, sink: debug::Sink) -> Result<Client, CallError> {
        let log = Log {
            enabled: cfg.debug,
            sink,
        };
        // With --no-sign-request botocore does not look for credentials at all.
        let mut trace = Vec::new();
        let creds = if cfg.sign_request {
            credentials::resolve(cfg, &mut trace)
        } else {
            Ok(None)
        };
        for (level, line) in &trace {
            log.write("botocore.credentials", level, line);
        }
        let credentials = creds.map_err(CallError::Credentials)?;
        if let Some(region) = &cfg.region {
            if !valid_region_name(region) {
                return Err(CallError::InvalidRegion(region.clone()));
            }
        }
        let Some(region) = cfg.region.clone() else {
            return Err(CallError::NoRegion);
        };
        let retry =
            RetryPolicy::from_settings(cfg.retry_mode.as_deref(), cfg.max_attempts.as_deref())?;
        let (endpoint, endpoint_overridden) = match &cfg.endpoint_url {
            Some(url) => (url.clone(), true),
            None => (default_endpoint(&region), false),
        };
        if unbalanced_brackets(&endpoint) {
            return Err(CallError::Message("Invalid IPv6 URL".into()));
        }
        if !valid_endpoint_url(&endpoint) {
            return Err(CallError::InvalidEndpoint(endpoint));
        }
        let fmt_timeout = |t: Option<Duration>| {
            t.map(|d| d.as_secs().to_string())
                .unwrap_or_else(|| "None".into())
        };
        log.debug(
            "botocore.endpoint",
            &format!(
                "Setting lightsail timeout as ({}, {})",
                fmt_timeout(cfg.connect_timeout),
                fmt_timeout(cfg.read_timeout)
            ),
        );
        log.debug(
            "botocore.client",
            "Registering retry handlers for service: lightsail",
        );
        log.debug(
            "botocore.regions",
            &format!(
                "Calling endpoint provider with parameters: {{'Region': '{region}', 'UseDualStack': False, 'UseFIPS': False{}}}",
                if endpoint_overridden { format!(", 'Endpoint': '{endpoint}'") } else { String::new() }
            ),
        );
        log.debug(
            "botocore.regions",
            &format!("Endpoint provider result: {endpoint}"),
        );
        Ok(Client {
            cfg: cfg.clone(),
            region,
            endpoint,
            endpoint_overridden,
            credentials: credentials
                .as_ref()
                .map(|c| std::cell::RefCell::new(refresh::Holder::new(c))),
            prompter: Box::new(crate::process::getpass::getpass),
            retry,
            log,
            sleep: Box::new(std::thread::sleep),
            random: Box::new(random_unit),
            now: Box::new(SystemTime::now),
            warned_insecure: std::cell::Cell::new(false),
            pool: Default::default(),
            proxies: ProxyEnv::default(),
            endpoint_settings: EndpointSettings::default(),
            endpoint_error: None,
        })
    }

    /// Resolves the endpoint as botocore does from these settings: a `fips-` pseudo region becomes the
    /// region with FIPS on (and signs for it), and without a configured endpoint the rule set decides.
    pub fn with_endpoint_settings(mut self, settings: EndpointSettings) -> Client {
        let (region, pseudo) = endpoint::normalize_fips_region(&self.region);
        self.region = region;
        self.endpoint_settings = EndpointSettings {
            use_fips: settings.use_fips || pseudo,
            ..settings
        };
        if !self.endpoint_overridden {
            let params = endpoint::EndpointParams {
                region: Some(self.region.clone()),
                use_fips: self.endpoint_settings.use_fips,
                use_dual_stack: self.endpoint_settings.use_dual_stack,
                endpoint: None,
                use_global_endpoint: false,
            };
            match endpoint::resolve(endpoint::Service::Lightsail, &params) {
                Ok(url) => self.endpoint = url,
                Err(message) => self.endpoint_error = Some(message),
            }
        }
        self
    }

    /// The STS endpoint of an assume-role profile: the configured one, else the STS rule set's with
    /// `sts_regional_endpoints` (`legacy` sends the regions botocore lists to `sts.amazonaws.com`).
    fn sts_endpoint(&self) -> Result<String, CallError> {
        if let Some(url) = &self.cfg.sts_endpoint_url {
            return Ok(url.clone());
        }
        let mode = self
            .endpoint_settings
            .sts_regional_endpoints
            .clone()
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| "regional".into());
        if mode != "legacy" && mode != "regional" {
            return Err(CallError::Message(format!(
                "STS regional endpoints option {mode} is invalid. Valid options are: \"legacy\", \"regional\""
            )));
        }
        let params = endpoint::EndpointParams {
            region: Some(self.region.clone()),
            use_fips: self.endpoint_settings.use_fips,
            use_dual_stack: self.endpoint_settings.use_dual_stack,
            endpoint: None,
            use_global_endpoint: mode == "legacy"
                && endpoint::LEGACY_GLOBAL_STS_REGIONS.contains(&self.region.as_str()),
        };
        endpoint::resolve(endpoint::Service::Sts, &params).map_err(CallError::Message)
    }

    /// Sends requests through the environment's proxies (botocore's `get_environ_proxies`).
    pub fn with_proxies(mut self, proxies: ProxyEnv) -> Client {
        self.proxies = proxies;
        self
    }

    /// Replaces the sleep between retries (tests use a no-op).
    pub fn with_sleep(mut self, sleep: impl Fn(Duration) + 'static) -> Client {
        self.sleep = Box::new(sleep);
        self
    }

    /// Sends what the call writes to stderr (`--debug` lines, urllib3's TLS warning) to `sink`.
    pub fn with_stderr(mut self, sink: impl Fn(&str) + 'static) -> Client {
        self.log.sink = std::rc::Rc::new(sink);
        self
    }

    /// Replaces how an MFA code is read (tests answer without a terminal).
    pub fn with_prompter(
        mut self,
        prompter: impl Fn(&str, &dyn Fn(&str)) -> Result<String, crate::process::getpass::PromptError>
            + 'static,
    ) -> Client {
        self.prompter = Box::new(prompter);
        self
    }

    /// Replaces the clock used for `X-Amz-Date` (tests sign at a fixed time).
    pub fn with_clock(mut self, now: impl Fn() -> SystemTime + 'static) -> Client {
        self.now = Box::new(now);
        self
    }

    /// The credentials a request would be signed with now, fetched first when they are deferred
    /// (assume-role, web identity, SSO) or about to expire: what botocore's `credentials.access_key`
    /// gives `aws configure list`. `None` when there are no credentials.
    pub fn current_credentials(&self) -> Result<Option<Credentials>, CallError> {
        match &self.credentials {
            None => Ok(None),
            Some(holder) => holder.borrow_mut().frozen(self).map(Some),
        }
    }

    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The request URL: the endpoint joined with the operation's path `/` (botocore's `_urljoin`).
    pub fn request_url(&self) -> String {
        request_url(&self.endpoint)
    }

    /// Sends the operation with `params` as its JSON body; returns the decoded response body.
    pub fn call(&self, op: &'static Operation, params: &Value) -> Result<Value, CallError> {
        self.call_raw(op, params)
            .map(|raw| decode_success(&raw.body))
    }

    /// Sends the operation with `params` as its JSON body; returns the successful response's raw body,
    /// which the driver shapes by the model (`crate::response::shape`) as botocore's parser does.
    pub fn call_raw(
        &self,
        op: &'static Operation,
        params: &Value,
    ) -> Result<RawResponse, CallError> {
        if let Some(message) = &self.endpoint_error {
            return Err(CallError::Message(message.clone()));
        }
        let body = json::encode(params);
        let url_text = self.request_url();
        // Signing needs credentials; botocore fetches deferred ones (assume-role, web identity, SSO) when it
        // signs the first attempt, and refreshes expiring ones before every later signature.
        let credentials = || match (self.cfg.sign_request, &self.credentials) {
            (false, _) => Ok(None),
            (true, None) => Err(CallError::NoCredentials),
            (true, Some(holder)) => holder.borrow_mut().frozen(self).map(Some),
        };
        let mut creds = credentials()?;
        if creds.is_some() {
            // The signer reads the URL's port (`urlsplit(url).port`).
            check_port(&url_text)?;
        }
        let url = Url::parse(&url_text).ok_or_else(|| {
            let scheme = url_text.split("://").next().unwrap_or_default();
            if scheme == "http" || scheme == "https" {
                CallError::Connect(url_text.clone())
            } else {
                CallError::HttpClient(format!("Not supported URL scheme {scheme}"))
            }
        })?;
        let invocation_id = uuid4();
        let mut attempt = 1u32;
        loop {
            if attempt > 1 {
                creds = credentials()?;
            }
            let headers = self.build_headers(
                op,
                &url,
                body.as_bytes(),
                attempt,
                &invocation_id,
                creds.as_ref(),
            );
            let outcome = self.send_once(&url, &headers, body.as_bytes());
            // A success hands its body over (moved: a page can be megabytes).
            let outcome = match outcome {
                Ok(response) if response.status < 301 => {
                    self.log.debug("botocore.retryhandler", "No retry needed.");
                    let has_request_id = response
                        .headers
                        .iter()
                        .any(|(name, _)| name.eq_ignore_ascii_case("x-amzn-requestid"));
                    return Ok(RawResponse {
                        body: response.body,
                        has_request_id,
                    });
                }
                other => other,
            };
            let retryable = match &outcome {
                Ok(response) => {
                    let error = error::parse_service_error(
                        response.status,
                        &response.headers,
                        &response.body,
                    );
                    self.retry.is_retryable(&Outcome::Response {
                        status: response.status,
                        code: &error.code,
                    })
                }
                Err(_) => self.retry.is_retryable(&Outcome::Transport),
            };
            if !retryable || attempt >= self.retry.max_attempts {
                return Err(match outcome {
                    Ok(response) => CallError::Service {
                        error: error::parse_service_error(
                            response.status,
                            &response.headers,
                            &response.body,
                        ),
                        operation: op.name,
                        retries: retryable.then_some(attempt - 1),
                    },
                    Err(e) => transport_error(e, &url_text),
                });
            }
            let delay = self.retry.delay_seconds(attempt, (self.random)());
            self.log.debug(
                "botocore.retryhandler",
                &format!("Retry needed, action of: {delay}"),
            );
            self.log.debug(
                "botocore.endpoint",
                &format!("Response received to retry, sleeping for {delay} seconds"),
            );
            (self.sleep)(Duration::from_secs_f64(delay.max(0.0)));
            attempt += 1;
        }
    }

    /// botocore's user agent, naming this project where botocore names its Python (`lang/python#...
    /// md/pyimpl#CPython`), as `--version` does; `extra` are the credential source's feature ids
    /// (`m/...`).
    fn user_agent_with(&self, extra: &[&str]) -> String {
        let mut features = vec![self.retry.mode.feature_id(), "Z", "b"];
        if self.endpoint_overridden {
            features.push("N");
        }
        features.extend(extra.iter().filter(|f| !f.is_empty()));
        format!(
            "aws-cli/1.45.11 lightsail-cli/{} md/Botocore#1.43.11 ua/2.1 os/{}#{} md/arch#{} lang/rust m/{} cfg/retry-mode#{} botocore/1.43.11",
            env!("CARGO_PKG_VERSION"),
            std::env::consts::OS,
            crate::process::host::os_release(),
            std::env::consts::ARCH,
            features.join(","),
            self.retry.mode.name()
        )
    }

    /// The headers of one attempt, in the order the reference sends them, signed unless `--no-sign-request`.
    fn build_headers(
        &self,
        op: &Operation,
        url: &Url,
        body: &[u8],
        attempt: u32,
        invocation_id: &str,
        creds: Option<&Credentials>,
    ) -> Vec<(String, String)> {
        let features: Vec<&str> = creds
            .map(|c| c.feature_id().split(',').collect())
            .unwrap_or_default();
        let mut headers: Vec<(String, String)> = vec![
            ("Host".into(), url.host_header()),
            ("Accept-Encoding".into(), "identity".into()),
            (
                "X-Amz-Target".into(),
                format!("{TARGET_PREFIX}.{}", op.name),
            ),
            ("Content-Type".into(), "application/x-amz-json-1.1".into()),
            ("User-Agent".into(), self.user_agent_with(&features)),
        ];
        if let Some(creds) = creds {
            let amz_date = debug::amz_date((self.now)());
            headers.push(("X-Amz-Date".into(), amz_date.clone()));
            if let Some(token) = &creds.token {
                headers.push(("X-Amz-Security-Token".into(), token.clone()));
            }
            let signed: Vec<(String, String)> = headers
                .iter()
                .filter(|(n, _)| !matches!(n.as_str(), "Accept-Encoding" | "User-Agent"))
                .cloned()
                .collect();
            self.log
                .debug("botocore.auth", "Calculating signature using v4 auth.");
            let signature = sigv4::sign(
                &sigv4::SigningInput {
                    method: "POST",
                    path: &url.path,
                    query: &url.query,
                    headers: &signed,
                    body,
                    amz_date: &amz_date,
                    region: &self.region,
                    service: SIGNING_NAME,
                },
                &sigv4::SigningKeys {
                    access_key: &creds.access_key,
                    secret_key: &creds.secret_key,
                },
            );
            self.log.debug(
                "botocore.auth",
                &format!(
                    "CanonicalRequest:\n{}",
                    redact_token(&signature.canonical_request, creds)
                ),
            );
            self.log.debug(
                "botocore.auth",
                &format!("StringToSign:\n{}", signature.string_to_sign),
            );
            headers.push(("Authorization".into(), signature.authorization));
        }
        headers.push(("amz-sdk-invocation-id".into(), invocation_id.to_owned()));
        let request = if attempt == 1 {
            "attempt=1".to_owned()
        } else {
            format!("attempt={attempt}; max={}", self.retry.max_attempts)
        };
        headers.push(("amz-sdk-request".into(), request));
        headers.push(("Content-Length".into(), body.len().to_string()));
        headers
    }

    fn send_once(
        &self,
        url: &Url,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<http::Response, TransportError> {
        self.send_request("POST", url, headers, body, true)
    }

    /// urllib3's line for the connection a request goes over (nothing when it reuses an idle one).
    fn log_connection(&self, url: &Url, next: http::NextConnection) {
        let line = match next {
            http::NextConnection::Reuse => return,
            http::NextConnection::Reset => format!("Resetting dropped connection: {}", url.host),
            http::NextConnection::New(n) => format!(
                "Starting new HTTP{} connection ({n}): {}:{}",
                if url.https { "S" } else { "" },
                url.host,
                url.port
            ),
        };
        self.log.debug("urllib3.connectionpool", &line);
    }

    /// One HTTP request with the reference's `--debug` lines around it. The credential providers' calls
    /// (GET as well as POST) pass `log_body: false`: their responses hold secrets, which we never log.
    fn send_request(
        &self,
        method: &str,
        url: &Url,
        headers: &[(String, String)],
        body: &[u8],
        log_body: bool,
    ) -> Result<http::Response, TransportError> {
        if self.log.enabled {
            let shown: Vec<(String, String)> = headers
                .iter()
                .filter(|(n, _)| n != "Host" && n != "Accept-Encoding" && n != "Content-Length")
                .map(|(n, v)| match n.as_str() {
                    "Authorization" => (n.clone(), redact_signature(v)),
                    "X-Amz-Security-Token" | "x-amz-sso_bearer_token" => {
                        (n.clone(), "<redacted>".into())
                    }
                    _ => (n.clone(), v.clone()),
                })
                .collect();
            self.log.debug(
                "botocore.endpoint",
                &format!(
                    "Sending http request: <AWSPreparedRequest stream_output=False, method={method}, url={}, headers={}>",
                    url.full,
                    debug::headers_repr(&shown)
                ),
            );
        }
        let opts = TransportOptions {
            connect_timeout: self.cfg.connect_timeout,
            read_timeout: self.cfg.read_timeout,
            verify: &self.cfg.verify,
        };
        let result = match self.proxies.proxy_for(&url.full) {
            Ok(None) => {
                // Direct: over the pool's connection to this host, as urllib3 does.
                let mut pool = self.pool.borrow_mut();
                let next = pool.next_for(url);
                if self.log.enabled {
                    self.log_connection(url, next);
                }
                http::send_pooled(url, method, headers, body, &opts, &mut pool)
            }
            Ok(Some(proxy)) => {
                if self.log.enabled {
                    self.log_connection(url, http::NextConnection::New(1));
                }
                http::send_via(url, method, headers, body, &opts, &proxy)
            }
            Err(message) => Err(TransportError::ProxyUrl(message)),
        };
        // urllib3 warns once the unverified TLS connection is up, so not after a failed handshake.
        let connected = !matches!(
            result,
            Err(TransportError::Ssl(_) | TransportError::Connect | TransportError::ConnectTimeout)
        );
        if url.https && self.cfg.verify == crate::http::Verify::Disabled && connected {
            warn_insecure_once(&url.host, &self.log, &self.warned_insecure);
        }
        match &result {
            // The `--debug` lines repr the whole body: built only when they are written.
            Ok(_) if !self.log.enabled => {}
            Ok(response) => {
                self.log.debug(
                    "urllib3.connectionpool",
                    &format!(
                        "{}://{}:{} \"{method} {} HTTP/1.1\" {} {}",
                        if url.https { "https" } else { "http" },
                        url.host,
                        url.port,
                        url.target(),
                        response.status,
                        response.header("content-length").unwrap_or("None")
                    ),
                );
                self.log.debug(
                    "botocore.parsers",
                    &format!(
                        "Response headers: {}",
                        debug::headers_repr(&response.headers)
                    ),
                );
                let shown = if log_body {
                    crate::python::repr::repr_bytes(&response.body)
                } else {
                    "<redacted: credentials>".to_owned()
                };
                self.log
                    .debug("botocore.parsers", &format!("Response body:\n{shown}"));
            }
            Err(e) => self.log.debug(
                "botocore.endpoint",
                &format!("Exception received when sending HTTP request: {e:?}"),
            ),
        }
        result
    }
}

/// urllib3's `InsecureRequestWarning`, printed once (Python's `default` warning filter shows it once per
/// location; the binary makes one client per process).
fn warn_insecure_once(host: &str, log: &Log, warned: &std::cell::Cell<bool>) {
    if warned.replace(true) {
        return;
    }
    (log.sink)(&format!(
        "/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/urllib3/connectionpool.py:1110: \
         InsecureRequestWarning: Unverified HTTPS request is being made to host '{host}'. Adding certificate \
         verification is strongly advised. See: https://urllib3.readthedocs.io/en/latest/advanced-usage.html#tls-warnings\n  warnings.warn(\n"
    ));
}

/// The canonical request with the session token's value hidden (the reference logs it; we never do).
fn redact_token(canonical_request: &str, creds: &Credentials) -> String {
    match &creds.token {
        Some(token) if !token.is_empty() => canonical_request.replace(token.as_str(), "<redacted>"),
        _ => canonical_request.to_owned(),
    }
}

fn redact_signature(authorization: &str) -> String {
    match authorization.find("Signature=") {
        Some(pos) => format!("{}Signature=<redacted>", &authorization[..pos]),
        None => authorization.to_owned(),
    }
}

fn transport_error(e: TransportError, url: &str) -> CallError {
    let url = url.to_owned();
    match e {
        TransportError::Connect => CallError::Connect(url),
        TransportError::ConnectTimeout => CallError::ConnectTimeout(url),
        TransportError::ReadTimeout => CallError::ReadTimeout(url),
        TransportError::Closed => CallError::ConnectionClosed(url),
        TransportError::Ssl(message) => CallError::Ssl { url, message },
        TransportError::Proxy(proxy) => CallError::ProxyConnection(proxy),
        TransportError::ProxyUrl(message) => CallError::HttpClient(message),
    }
}

/// A 2xx body as botocore's JSON parser reads it: empty is `{}`, non-JSON is `{"message": body}`.
fn decode_success(body: &[u8]) -> Value {
    if body.is_empty() {
        return Value::Object(Default::default());
    }
    let text = String::from_utf8_lossy(body);
    json::decode(&text).unwrap_or_else(|_| {
        let mut map = crate::python::value::Map::new();
        map.insert("message", Value::String(text.into()));
        Value::Object(map)
    })
}

/// The public endpoint of the partition the region belongs to.
fn default_endpoint(region: &str) -> String {
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    format!("https://lightsail.{region}.{suffix}")
}

/// `urlsplit`'s `Invalid IPv6 URL`: a netloc with one of `[` and `]` but not the other.
fn unbalanced_brackets(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let netloc = rest.split(['/', '?', '#']).next().unwrap_or_default();
    netloc.contains('[') != netloc.contains(']')
}

/// Python's `urlsplit(url).port`: a port that is not ASCII digits, or beyond 65535, is a `ValueError`.
fn check_port(url: &str) -> Result<(), CallError> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let netloc = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let hostport = netloc.rsplit('@').next().unwrap_or(netloc);
    let port = match hostport.rsplit_once(']') {
        Some((_, tail)) => tail.strip_prefix(':'),
        None => hostport.split_once(':').map(|(_, p)| p),
    };
    let Some(port) = port.filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    if !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CallError::Message(format!(
            "Port could not be cast to integer value as {}",
            crate::python::repr::repr_str(port)
        )));
    }
    if port.trim_start_matches('0').len() > 5 || port.parse::<u32>().is_ok_and(|p| p > 65_535) {
        return Err(CallError::Message("Port out of range 0-65535".into()));
    }
    Ok(())
}

/// botocore's `_urljoin(endpoint, '/')`: keeps the endpoint's path (or `/`), query and fragment; the
/// scheme comes out lower-cased, as `urlsplit` leaves it.
pub fn request_url(endpoint: &str) -> String {
    let lowered;
    let endpoint = match endpoint.split_once("://") {
        Some((scheme, rest)) if scheme.bytes().any(|b| b.is_ascii_uppercase()) => {
            lowered = format!("{}://{rest}", scheme.to_ascii_lowercase());
            lowered.as_str()
        }
        _ => endpoint,
    };
    let (scheme, rest) = endpoint.split_once("://").unwrap_or(("", endpoint));
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (netloc, tail) = rest.split_at(end);
    if tail.starts_with('/') {
        return endpoint.to_owned();
    }
    format!("{scheme}://{netloc}/{tail}")
}

/// botocore's `validate_region_name`: a host label that is not all digits.
fn valid_region_name(region: &str) -> bool {
    let all_digits = !region.is_empty() && region.bytes().all(|b| b.is_ascii_digit());
    let label_chars = region
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    region.len() <= 63
        && label_chars
        && !region.starts_with('-')
        && !region.ends_with('-')
        && !all_digits
}

/// botocore's `is_valid_endpoint_url` or `is_valid_ipv6_endpoint_url`.
fn valid_endpoint_url(url: &str) -> bool {
    if url.contains(['\t', '\r', '\n']) {
        return false;
    }
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let netloc = &rest[..end];
    let hostport = netloc.rsplit('@').next().unwrap_or(netloc);
    if let Some(v6) = hostport.strip_prefix('[') {
        return v6
            .split_once(']')
            .is_some_and(|(h, _)| h.parse::<std::net::Ipv6Addr>().is_ok());
    }
    let host = hostport.split(':').next().unwrap_or("");
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.is_empty() || host.len() > 255 {
        return false;
    }
    host.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// A uniform random number in [0, 1) for backoff jitter (from the OS; jitter needs no crypto strength).
fn random_unit() -> f64 {
    let mut bytes = [0u8; 8];
    crate::process::host::random_bytes(&mut bytes);
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

/// A random (version 4) UUID for `amz-sdk-invocation-id`.
fn uuid4() -> String {
    let mut b = [0u8; 16];
    crate::process::host::random_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = sigv4::hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_names() {
        assert_eq!(request_url("http://127.0.0.1:9"), "http://127.0.0.1:9/");
        assert_eq!(
            request_url("http://127.0.0.1:9/x/y?z=1"),
            "http://127.0.0.1:9/x/y?z=1"
        );
        assert_eq!(request_url("http://h?q=1"), "http://h/?q=1");
        assert!(valid_endpoint_url("http://127.0.0.1:9/"));
        assert!(valid_endpoint_url("http://[::1]:9/"));
        assert!(!valid_endpoint_url("http://exa mple.com"));
        assert!(valid_region_name("us-west-2"));
        assert!(
            !valid_region_name("not a region")
                && !valid_region_name("123")
                && !valid_region_name("bad_region")
        );
        assert_eq!(
            default_endpoint("us-west-2"),
            "https://lightsail.us-west-2.amazonaws.com"
        );
        let id = uuid4();
        assert_eq!((id.len(), &id[14..15]), (36, "4"));
        assert!(
            redact_signature("AWS4 Credential=x, Signature=abc").ends_with("Signature=<redacted>")
        );
    }
}
