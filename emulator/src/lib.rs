//! `lightsail-emulator`: a local Amazon Lightsail endpoint for tests and demos.
//!
//! It speaks Lightsail's JSON 1.1 protocol on 127.0.0.1 (optionally HTTPS too), verifies SigV4
//! signatures against configured keys, keeps instances, instance snapshots and operations (optionally
//! persisted to a state file), can replay the service's documented example byte for byte
//! (`deterministic`), and injects faults (throttling, 5xx, delays, dropped or truncated responses) on
//! demand. Tests start it in-process with [`start`]; the `lightsail-emulator` binary wraps the same
//! call. Admin endpoints live under `/_emulator/` (reset, faults, the journal of received requests).

pub mod clock;
pub mod error;
pub mod faults;
pub mod http;
pub mod model;
pub mod ops;
pub mod server;
pub mod sigv4;
pub mod state;
pub mod tls;

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread::{self, JoinHandle};

pub use faults::{Count, Fault, FaultKind};

/// The example credentials every test and demo uses.
pub const EXAMPLE_ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
pub const EXAMPLE_SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// How to run the emulator.
#[derive(Debug, Clone)]
pub struct Config {
    /// HTTP port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Frozen clock (1569866438.48), the seed example's operation ids, seeded ids after them.
    pub deterministic: bool,
    /// Names of the instances that exist at start (and after a reset). Default: `WordPress-1`.
    pub instances: Vec<String>,
    /// `(instance name, snapshot name)`: instance snapshots created, in order, at start (and after a
    /// reset), as `CreateInstanceSnapshot` would (with their operations). Default: none.
    pub snapshots: Vec<(String, String)>,
    /// `(access key id, secret)` pairs that may sign requests.
    pub access_keys: Vec<(String, String)>,
    /// Accept requests without an `Authorization` header (`aws --no-sign-request`).
    pub allow_unsigned: bool,
    /// Real seconds a new snapshot stays `pending` (0: available at the next look).
    pub snapshot_delay_secs: f64,
    /// Persist the state here (atomically, before answering) and load it at start.
    pub state_file: Option<PathBuf>,
    /// Faults queued at start (and after a reset).
    pub faults: Vec<Fault>,
    /// Also listen for HTTPS (self-signed, CA written to `cert_out`).
    pub https: bool,
    /// HTTPS port on 127.0.0.1; 0 picks a free one.
    pub https_port: u16,
    /// Where to write the HTTPS listener's CA certificate (PEM).
    pub cert_out: Option<PathBuf>,
    /// The region the endpoint serves (credential scope and resource locations).
    pub region: String,
    /// Items per page of GetInstances, GetInstanceSnapshots, GetOperations and
    /// GetOperationsForResource (with `nextPageToken`); 0 puts everything on one page.
    pub page_size: usize,
    /// Also journal each request's SigV4 `Signature=` value (`"signature"` in `/_emulator/requests`), so
    /// tests can check that no signature ever reaches the client's output. Off by default: the
    /// conformance corpus compares journals with the reference's.
    pub journal_signatures: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            port: 0,
            deterministic: false,
            instances: vec!["WordPress-1".to_string()],
            snapshots: Vec::new(),
            access_keys: vec![(
                EXAMPLE_ACCESS_KEY_ID.to_string(),
                EXAMPLE_SECRET_ACCESS_KEY.to_string(),
            )],
            allow_unsigned: false,
            snapshot_delay_secs: 0.0,
            state_file: None,
            faults: Vec::new(),
            https: false,
            https_port: 0,
            cert_out: None,
            region: "us-west-2".to_string(),
            page_size: 0,
            journal_signatures: false,
        }
    }
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

/// Starts the emulator in background threads.
pub fn start(config: Config) -> io::Result<Handle> {
    let model =
        model::Model::shared().map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    let loaded = match &config.state_file {
        Some(path) => state::State::load(path, config.deterministic)?,
        None => None,
    };
    let state = match loaded {
        Some(state) => state,
        None => {
            let seeded = ops::seed_state(&config)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
            if let Some(path) = &config.state_file {
                seeded.save(path)?;
            }
            seeded
        }
    };
    let (http_listener, http_address) = bind(config.port)?;
    let https = if config.https {
        let tls = tls::server_config(config.cert_out.as_deref())?;
        Some((bind(config.https_port)?, tls))
    } else {
        None
    };
    let shared = Arc::new(server::Shared::new(config, model, state));
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
