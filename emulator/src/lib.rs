//! `lightsail-emulator`: a local Amazon Lightsail endpoint for tests, CI and demos.
//!
//! Three layers, data flowing one way:
//!
//! ```text
//! protocol (HTTP, TLS, SigV4, JSON 1.1, faults, journal, admin endpoints)
//!   -> model (input validation before, output conformance after)
//!   -> engine (SQLite store, clock, ids, regions, lifecycles, registry, per-call context)
//!   -> services (one module per resource family, registered by operation name)
//! ```
//!
//! State is keyed by account (each access key belongs to one) and region (the SigV4 credential
//! scope), kept in SQLite in memory or in a state file, changed in one transaction per call. Tests
//! start it in-process with [`start`]; the `lightsail-emulator` binary wraps the same call.
//! `emulator/README.md` documents the behaviour, `emulator/docs/adding-a-family.md` the family API.

pub mod cli;
pub mod engine;
pub mod error;
pub mod model;
pub mod protocol;
pub mod services;

// The paths the integration tests and the CLI's tests have always used.
pub use engine::clock;
pub use protocol::{faults, http, server, sigv4, tls};

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread::{self, JoinHandle};

pub use engine::{Delays, Durability, DEFAULT_ACCOUNT_ID};
pub use faults::{Count, Fault, FaultKind};

/// The example credentials every test and demo uses.
pub const EXAMPLE_ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
pub const EXAMPLE_SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// An access key that may sign requests, and the account it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessKey {
    pub id: String,
    pub secret: String,
    /// 12 digits; [`DEFAULT_ACCOUNT_ID`] unless configured.
    pub account: String,
}

impl AccessKey {
    pub fn new(id: &str, secret: &str) -> AccessKey {
        AccessKey {
            id: id.to_string(),
            secret: secret.to_string(),
            account: DEFAULT_ACCOUNT_ID.to_string(),
        }
    }

    /// `ID:SECRET` or `ID:SECRET:ACCOUNT` (the account is the last part when it is 12 digits, so a
    /// secret may itself contain colons).
    pub fn parse(text: &str) -> Result<AccessKey, String> {
        let (id, rest) = text
            .split_once(':')
            .filter(|(id, secret)| !id.is_empty() && !secret.is_empty())
            .ok_or_else(|| format!("expected ID:SECRET[:ACCOUNT], got {text:?}"))?;
        match rest.rsplit_once(':') {
            Some((secret, account))
                if !secret.is_empty()
                    && account.len() == 12
                    && account.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Ok(AccessKey {
                    id: id.to_string(),
                    secret: secret.to_string(),
                    account: account.to_string(),
                })
            }
            _ => Ok(AccessKey::new(id, rest)),
        }
    }
}

/// How to run the emulator.
#[derive(Debug, Clone)]
pub struct Config {
    /// HTTP port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Frozen clock (1569866438.48, moved only by `POST /_emulator/clock`), the seed example's
    /// operation ids, seeded ids after them.
    pub deterministic: bool,
    /// Names of the instances that exist at start (and after a reset). Default: `WordPress-1`.
    pub instances: Vec<String>,
    /// `(instance name, snapshot name)`: instance snapshots created, in order, at start (and after a
    /// reset), as `CreateInstanceSnapshot` would (with their operations). Default: none.
    pub snapshots: Vec<(String, String)>,
    /// The keys that may sign requests; the first one's account is the default account.
    pub access_keys: Vec<AccessKey>,
    /// Accept requests without an `Authorization` header (`aws --no-sign-request`), as the default
    /// account and region.
    pub allow_unsigned: bool,
    /// Seconds a new instance snapshot stays `pending` (the `InstanceSnapshot` delay; 0: until the
    /// next request). Kept for the `--snapshot-delay` flag; `delays` covers every lifecycle.
    pub snapshot_delay_secs: f64,
    /// Lifecycle delays (see `--delay`).
    pub delays: Delays,
    /// Keep the state in this SQLite file (created if missing) instead of memory.
    pub state_file: Option<PathBuf>,
    /// How hard the state file holds on to a commit.
    pub durability: Durability,
    /// Faults queued at start (and after a reset).
    pub faults: Vec<Fault>,
    /// Also listen for HTTPS (self-signed, CA written to `cert_out`).
    pub https: bool,
    /// HTTPS port on 127.0.0.1; 0 picks a free one.
    pub https_port: u16,
    /// Where to write the HTTPS listener's CA certificate (PEM).
    pub cert_out: Option<PathBuf>,
    /// The default region: where seeded resources live, and what unsigned and admin calls use.
    /// Served even when Lightsail does not serve it.
    pub region: String,
    /// Items per page of list operations (with `nextPageToken`); 0 puts everything on one page.
    pub page_size: usize,
    /// Also journal each request's SigV4 `Signature=` value (`"signature"` in `/_emulator/requests`), so
    /// tests can check that no signature ever reaches the client's output. Off by default: the
    /// conformance corpus compares journals with the reference's.
    pub journal_signatures: bool,
    /// Send `x-amzn-ErrorType` with errors. Lightsail does not, so the Smithy-generated SDKs (Rust,
    /// Go, JavaScript) report its errors by the body's `code` (`DoesNotExist`); with this they report
    /// the modeled exception (`NotFoundException`). Off by default, as on the service.
    pub error_type_header: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            port: 0,
            deterministic: false,
            instances: vec!["WordPress-1".to_string()],
            snapshots: Vec::new(),
            access_keys: vec![AccessKey::new(
                EXAMPLE_ACCESS_KEY_ID,
                EXAMPLE_SECRET_ACCESS_KEY,
            )],
            allow_unsigned: false,
            snapshot_delay_secs: 0.0,
            delays: Delays::default(),
            state_file: None,
            durability: Durability::default(),
            faults: Vec::new(),
            https: false,
            https_port: 0,
            cert_out: None,
            region: "us-west-2".to_string(),
            page_size: 0,
            journal_signatures: false,
            error_type_header: false,
        }
    }
}

impl Config {
    /// The account of unsigned and admin calls and of seeded resources.
    pub fn default_account(&self) -> &str {
        self.access_keys
            .first()
            .map(|key| key.account.as_str())
            .unwrap_or(DEFAULT_ACCOUNT_ID)
    }

    /// The engine's view of the configuration.
    pub fn settings(&self) -> engine::Settings {
        let mut delays = self.delays.clone();
        if self.snapshot_delay_secs != 0.0 {
            delays
                .by_key
                .insert("InstanceSnapshot".to_string(), self.snapshot_delay_secs);
        }
        engine::Settings {
            deterministic: self.deterministic,
            default_account: self.default_account().to_string(),
            default_region: engine::regions::find(&self.region)
                .copied()
                .unwrap_or_else(|| engine::regions::configured(&self.region)),
            page_size: self.page_size,
            delays,
        }
    }

    fn seed(&self) -> services::Seed {
        services::Seed {
            instances: self.instances.clone(),
            snapshots: self.snapshots.clone(),
        }
    }
}

/// Empties the state and creates the seed state (start with a fresh store, and every reset).
pub(crate) fn initialize(engine: &mut engine::Engine, config: &Config) -> Result<(), String> {
    let seed = config.seed();
    engine
        .initialize(|ctx| services::seed(ctx, &seed))
        .map_err(|error| error.message().unwrap_or(&error.type_name).to_string())
}

/// A running emulator; stops on [`Handle::shutdown`] or when dropped.
pub struct Handle {
    port: u16,
    https_port: Option<u16>,
    shared: Arc<server::Shared>,
    listeners: Vec<(SocketAddr, JoinHandle<()>)>,
}

impl Handle {
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `https://127.0.0.1:PORT` when HTTPS is on.
    pub fn https_url(&self) -> Option<String> {
        self.https_port.map(|p| format!("https://127.0.0.1:{p}"))
    }

    /// Stops listening, closes every connection and waits for the threads.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if self.shared.stopping.swap(true, Ordering::SeqCst) {
            return;
        }
        for (address, thread) in self.listeners.drain(..) {
            // Wake the blocking accept so the loop sees the flag.
            let _ = TcpStream::connect(address);
            let _ = thread.join();
        }
        self.shared.close_connections();
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.stop();
    }
}

fn bind(port: u16) -> io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    let address = listener.local_addr()?;
    Ok((listener, address))
}

/// Opens the state (seeding it when new) the way [`start`] does, without listening: for tools and
/// tests that drive the engine directly.
pub fn open_engine(config: &Config) -> io::Result<engine::Engine> {
    let model =
        model::Model::shared().map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    let mut engine = engine::Engine::open(
        config.settings(),
        services::registry(),
        model,
        config.state_file.as_deref(),
        config.durability,
    )
    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    if engine
        .is_fresh()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?
    {
        initialize(&mut engine, config)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    }
    Ok(engine)
}

/// Starts the emulator in background threads.
pub fn start(config: Config) -> io::Result<Handle> {
    let model =
        model::Model::shared().map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    let engine = open_engine(&config)?;
    let (http_listener, http_address) = bind(config.port)?;
    let https = if config.https {
        let tls = tls::server_config(config.cert_out.as_deref())?;
        Some((bind(config.https_port)?, tls))
    } else {
        None
    };
    let shared = Arc::new(server::Shared::new(config, model, engine));
    let mut listeners = Vec::new();
    let worker = Arc::clone(&shared);
    listeners.push((
        http_address,
        thread::spawn(move || server::accept_loop(http_listener, worker, None)),
    ));
    let mut https_port = None;
    if let Some(((listener, address), tls)) = https {
        https_port = Some(address.port());
        let worker = Arc::clone(&shared);
        listeners.push((
            address,
            thread::spawn(move || server::accept_loop(listener, worker, Some(tls))),
        ));
    }
    Ok(Handle {
        port: http_address.port(),
        https_port,
        shared,
        listeners,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_keys_parse() {
        assert_eq!(
            AccessKey::parse("ID:SECRET").unwrap(),
            AccessKey::new("ID", "SECRET")
        );
        assert_eq!(
            AccessKey::parse("ID:SE:CRET").unwrap(),
            AccessKey::new("ID", "SE:CRET")
        );
        let key = AccessKey::parse("ID:SECRET:444455556666").unwrap();
        assert_eq!(
            (key.secret.as_str(), key.account.as_str()),
            ("SECRET", "444455556666")
        );
        assert!(AccessKey::parse("no-colon").is_err());
        assert!(AccessKey::parse(":secret").is_err());
    }
}
