//! The `lightsail-emulator` binary: parses flags into a [`Config`], starts the emulator, prints
//! `listening on http://127.0.0.1:PORT` (and the HTTPS URL on a second line when enabled), then serves
//! until SIGTERM or SIGINT, after which it closes its connections and exits 0. Bad flags exit 2.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use lightsail_emulator::{Config, Fault};
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

const USAGE: &str = "usage: lightsail-emulator [--port N] [--deterministic] [--instance NAME]... \
[--snapshot INSTANCE:NAME]... [--access-key ID:SECRET]... [--allow-unsigned] [--snapshot-delay SECS] [--state-file PATH] \
[--fault SPEC]... [--https-port N --cert-out PATH] [--region R] [--page-size N] [--journal-signatures]";

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Config, String> {
    let mut config = Config::default();
    let mut instances = Vec::new();
    let mut keys = Vec::new();
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let (flag, inline) = match flag.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (flag, None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--port" => config.port = value("--port")?.parse().map_err(|_| "bad --port")?,
            "--deterministic" => config.deterministic = true,
            "--instance" => instances.push(value("--instance")?),
            "--snapshot" => {
                let pair = value("--snapshot")?;
                let (instance, name) = pair
                    .split_once(':')
                    .ok_or("--snapshot takes INSTANCE:NAME")?;
                config
                    .snapshots
                    .push((instance.to_string(), name.to_string()));
            }
            "--access-key" => {
                let pair = value("--access-key")?;
                let (id, secret) = pair.split_once(':').ok_or("--access-key takes ID:SECRET")?;
                keys.push((id.to_string(), secret.to_string()));
            }
            "--allow-unsigned" => config.allow_unsigned = true,
            "--snapshot-delay" => {
                config.snapshot_delay_secs = value("--snapshot-delay")?
                    .parse()
                    .ok()
                    .filter(|s: &f64| s.is_finite() && *s >= 0.0)
                    .ok_or("bad --snapshot-delay")?
            }
            "--state-file" => config.state_file = Some(PathBuf::from(value("--state-file")?)),
            "--fault" => config.faults.push(value("--fault")?.parse::<Fault>()?),
            "--https-port" => {
                config.https = true;
                config.https_port = value("--https-port")?
                    .parse()
                    .map_err(|_| "bad --https-port")?;
            }
            "--cert-out" => config.cert_out = Some(PathBuf::from(value("--cert-out")?)),
            "--region" => config.region = value("--region")?,
            "--page-size" => {
                config.page_size = value("--page-size")?
                    .parse()
                    .map_err(|_| "bad --page-size")?
            }
            "--journal-signatures" => config.journal_signatures = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if !instances.is_empty() {
        config.instances = instances;
    }
    if !keys.is_empty() {
        config.access_keys = keys;
    }
    if config.cert_out.is_some() && !config.https {
        return Err("--cert-out needs --https-port".to_string());
    }
    Ok(config)
}

fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(config) => config,
        Err(message) => {
            if message.is_empty() {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            eprintln!("lightsail-emulator: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut signals = match Signals::new([SIGTERM, SIGINT]) {
        Ok(signals) => signals,
        Err(error) => {
            eprintln!("lightsail-emulator: cannot install signal handlers: {error}");
            return ExitCode::FAILURE;
        }
    };
    let handle = match lightsail_emulator::start(config) {
        Ok(handle) => handle,
        Err(error) => {
            eprintln!("lightsail-emulator: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    let mut banner = format!("listening on {}\n", handle.url());
    if let Some(https) = handle.https_url() {
        banner.push_str(&format!("listening on {https}\n"));
    }
    if stdout
        .write_all(banner.as_bytes())
        .and_then(|_| stdout.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    // Block until a termination signal arrives.
    let _ = signals.forever().next();
    handle.shutdown();
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, String> {
        parse_args(args.iter().map(|s| s.to_string()))
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
            "--fault",
            "throttle*2",
            "--snapshot-delay",
            "1.5",
        ])
        .unwrap();
        assert!(config.deterministic);
        assert_eq!(config.instances, ["A-1", "B-2"]);
        assert_eq!(
            config.access_keys,
            [("ID".to_string(), "SE:CRET".to_string())]
        );
        assert_eq!(config.faults.len(), 1);
        assert_eq!(config.snapshot_delay_secs, 1.5);
        let config = parse(&["--snapshot", "A-1:Snap-1", "--snapshot=A-1:Snap-2"]).unwrap();
        assert_eq!(
            config.snapshots,
            [
                ("A-1".to_string(), "Snap-1".to_string()),
                ("A-1".to_string(), "Snap-2".to_string())
            ]
        );
        assert!(parse(&["--snapshot", "no-colon"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--cert-out", "x"]).is_err());
    }
}
