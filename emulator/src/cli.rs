//! The `lightsail-emulator` command line (clap, derive): flags, their checks, and the [`Config`] they
//! make. Every flag is documented in the emulator README; a bad flag or value is a usage error (exit 2).

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

use crate::{AccessKey, Config, Delays, Durability, Fault};

/// A local Amazon Lightsail endpoint (JSON 1.1 over HTTP on 127.0.0.1) for tests, CI and demos.
///
/// Prints `listening on http://127.0.0.1:PORT` (and the HTTPS URL on a second line with
/// --https-port), then serves until SIGTERM or SIGINT.
#[derive(Debug, Parser)]
#[command(name = "lightsail-emulator", version, about, long_about)]
pub struct Args {
    /// HTTP port on 127.0.0.1 (0 picks a free one).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub port: u16,

    /// Frozen clock (1569866438.48, moved only by POST /_emulator/clock), the seed example's
    /// operation ids, seeded ids and addresses: the same calls give the same bytes.
    #[arg(long)]
    pub deterministic: bool,

    /// An instance that exists at start and after a reset (repeatable; default WordPress-1).
    #[arg(long = "instance", value_name = "NAME")]
    pub instances: Vec<String>,

    /// An instance snapshot created at start, as CreateInstanceSnapshot would (repeatable).
    #[arg(long = "snapshot", value_name = "INSTANCE:NAME", value_parser = parse_snapshot)]
    pub snapshots: Vec<(String, String)>,

    /// A key that may sign requests, and its 12-digit account (repeatable; default the example
    /// key AKIDEXAMPLE in account 111122223333).
    #[arg(long = "access-key", value_name = "ID:SECRET[:ACCOUNT]", value_parser = AccessKey::parse)]
    pub access_keys: Vec<AccessKey>,

    /// Accept requests without an Authorization header, as the default account and region.
    #[arg(long)]
    pub allow_unsigned: bool,

    /// Seconds a new instance snapshot stays pending (same as --delay InstanceSnapshot=SECS).
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    pub snapshot_delay: Option<f64>,

    /// Lifecycle delay in seconds: KEY=SECS for one lifecycle (InstanceSnapshot, Instance.stop, ...;
    /// a KIND covers its steps), or SECS for every other one (repeatable; default 0: a step completes
    /// at the next request).
    #[arg(long = "delay", value_name = "[KEY=]SECS", value_parser = parse_delay)]
    pub delays: Vec<(Option<String>, f64)>,

    /// Keep the state in this SQLite file (created if missing) instead of memory.
    #[arg(long, value_name = "PATH")]
    pub state_file: Option<PathBuf>,

    /// What an acknowledged change survives with --state-file: `process` (the emulator being
    /// killed; no fsync per call) or `power` (power loss too; one fsync per mutating call).
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = DurabilityArg::Process)]
    pub durability: DurabilityArg,

    /// A fault for the next matching requests: [Target:]kind[*count] (repeatable); kinds throttle,
    /// status:500|502|503|504, delay:SECS, reset, truncate, malformed, html[:STATUS].
    #[arg(long = "fault", value_name = "SPEC", value_parser = parse_fault)]
    pub faults: Vec<Fault>,

    /// Also serve HTTPS on this port of 127.0.0.1 (0 picks a free one), with a fresh self-signed CA.
    #[arg(long, value_name = "N")]
    pub https_port: Option<u16>,

    /// Write the HTTPS listener's CA certificate (PEM) here.
    #[arg(long, value_name = "PATH", requires = "https_port")]
    pub cert_out: Option<PathBuf>,

    /// The default region: where seeded resources live, and what unsigned and admin calls use.
    #[arg(long, value_name = "REGION", default_value = "us-west-2", value_parser = parse_region)]
    pub region: String,

    /// Items per page of list operations (0: everything on one page).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub page_size: usize,

    /// Also journal each request's SigV4 signature (`signature` in /_emulator/requests).
    #[arg(long)]
    pub journal_signatures: bool,

    /// Send x-amzn-ErrorType with errors, so Smithy-generated SDKs (Rust, Go, JavaScript) report
    /// the modeled exception (NotFoundException) rather than the body's code (DoesNotExist), which
    /// is what they report against Lightsail itself.
    #[arg(long)]
    pub error_type_header: bool,
}

/// `--durability` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DurabilityArg {
    Process,
    Power,
}

fn parse_snapshot(text: &str) -> Result<(String, String), String> {
    match text.split_once(':') {
        Some((instance, name)) if !instance.is_empty() && !name.is_empty() => {
            Ok((instance.to_string(), name.to_string()))
        }
        _ => Err("expected INSTANCE:NAME".to_string()),
    }
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .ok_or_else(|| "expected a number of seconds, 0 or more".to_string())
}

fn parse_delay(text: &str) -> Result<(Option<String>, f64), String> {
    match text.split_once('=') {
        Some((key, seconds)) => {
            let valid_key = !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
            if !valid_key {
                return Err(format!(
                    "{key:?} is not a lifecycle key (KIND or KIND.step)"
                ));
            }
            Ok((Some(key.to_string()), parse_seconds(seconds)?))
        }
        None => Ok((None, parse_seconds(text)?)),
    }
}

fn parse_fault(text: &str) -> Result<Fault, String> {
    text.parse()
}

fn parse_region(text: &str) -> Result<String, String> {
    let valid = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if valid {
        Ok(text.to_string())
    } else {
        Err("expected a region name such as us-west-2".to_string())
    }
}

impl Args {
    /// The configuration these flags describe.
    pub fn into_config(self) -> Config {
        let mut config = Config {
            port: self.port,
            deterministic: self.deterministic,
            snapshots: self.snapshots,
            allow_unsigned: self.allow_unsigned,
            state_file: self.state_file,
            durability: match self.durability {
                DurabilityArg::Process => Durability::Process,
                DurabilityArg::Power => Durability::Power,
            },
            faults: self.faults,
            https: self.https_port.is_some(),
            https_port: self.https_port.unwrap_or(0),
            cert_out: self.cert_out,
            region: self.region,
            page_size: self.page_size,
            journal_signatures: self.journal_signatures,
            error_type_header: self.error_type_header,
            ..Config::default()
        };
        if !self.instances.is_empty() {
            config.instances = self.instances;
        }
        if !self.access_keys.is_empty() {
            config.access_keys = self.access_keys;
        }
        let mut delays = Delays::default();
        for (key, seconds) in self.delays {
            match key {
                Some(key) => {
                    delays.by_key.insert(key, seconds);
                }
                None => delays.default = seconds,
            }
        }
        if let Some(seconds) = self.snapshot_delay {
            delays
                .by_key
                .insert("InstanceSnapshot".to_string(), seconds);
        }
        config.delays = delays;
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, clap::Error> {
        Args::try_parse_from(std::iter::once("lightsail-emulator").chain(args.iter().copied()))
            .map(Args::into_config)
    }

    #[test]
    fn flags() {
        let config = parse(&[
            "--port",
            "0",
            "--deterministic",
            "--instance",
            "A-1",
            "--instance=B-2",
            "--access-key",
            "ID:SE:CRET",
            "--access-key",
            "ID2:SECRET:444455556666",
            "--fault",
            "throttle*2",
            "--snapshot-delay",
            "1.5",
            "--delay",
            "Instance=30",
            "--delay",
            "2",
        ])
        .unwrap();
        assert!(config.deterministic);
        assert_eq!(config.instances, ["A-1", "B-2"]);
        assert_eq!(config.access_keys[0], AccessKey::new("ID", "SE:CRET"));
        assert_eq!(config.access_keys[1].account, "444455556666");
        assert_eq!(config.default_account(), "111122223333");
        assert_eq!(config.faults.len(), 1);
        let settings = config.settings();
        assert_eq!(settings.delays.get("InstanceSnapshot"), 1.5);
        assert_eq!(settings.delays.get("Instance.stop"), 30.0);
        assert_eq!(settings.delays.get("Disk"), 2.0);
        let config = parse(&["--snapshot", "A-1:Snap-1", "--snapshot=A-1:Snap-2"]).unwrap();
        assert_eq!(
            config.snapshots,
            [
                ("A-1".to_string(), "Snap-1".to_string()),
                ("A-1".to_string(), "Snap-2".to_string())
            ]
        );
        let config = parse(&["--https-port", "0", "--cert-out", "ca.pem"]).unwrap();
        assert!(config.https);
    }

    #[test]
    fn bad_flags_are_usage_errors() {
        for bad in [
            &["--snapshot", "no-colon"][..],
            &["--bogus"],
            &["--port"],
            &["--port", "70000"],
            &["--cert-out", "x"],
            &["--snapshot-delay", "-1"],
            &["--delay", "bad key=1"],
            &["--access-key", "nocolon"],
            &["--region", "US WEST"],
            &["--durability", "forever"],
            &["--fault", "bogus"],
        ] {
            let error = parse(bad).unwrap_err();
            assert_eq!(error.exit_code(), 2, "{bad:?}: {error}");
        }
        assert_eq!(parse(&["--help"]).unwrap_err().exit_code(), 0);
    }
}
