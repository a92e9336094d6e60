//! Helpers shared by the emulator's integration tests: a raw HTTP/1.1 client and a signed Lightsail call.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use lightsail_emulator::http::Request;
use lightsail_emulator::{clock, sigv4, Config, Handle};
use serde_json::Value;

pub const KEY_ID: &str = lightsail_emulator::EXAMPLE_ACCESS_KEY_ID;
pub const SECRET: &str = lightsail_emulator::EXAMPLE_SECRET_ACCESS_KEY;

/// A response as read off the wire.
#[derive(Debug, Clone, PartialEq)]
pub struct Raw {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Everything received, head included.
    pub bytes: Vec<u8>,
}

impl Raw {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// `__type` with any namespace prefix removed (as botocore reports it).
    pub fn error_code(&self) -> String {
        let json = self.json();
        let code = json["__type"].as_str().unwrap_or("").to_string();
        code.rsplit('#').next().unwrap_or("").to_string()
    }

    pub fn message(&self) -> String {
        self.json()["message"].as_str().unwrap_or("").to_string()
    }
}

pub fn start(config: Config) -> Handle {
    lightsail_emulator::start(config).expect("emulator starts")
}

pub fn deterministic() -> Config {
    Config {
        deterministic: true,
        ..Config::default()
    }
}

/// Sends raw bytes and reads until the server closes (requests carry `Connection: close`).
pub fn send_raw(port: u16, bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    stream.write_all(bytes)?;
    let mut out = Vec::new();
    stream.read_to_end(&mut out)?;
    Ok(out)
}

pub fn parse_raw(bytes: Vec<u8>) -> Raw {
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(&bytes)));
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap()[9..12].parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let body = bytes[split + 4..].to_vec();
    Raw {
        status,
        headers,
        body,
        bytes,
    }
}

/// Serializes a request with `Connection: close` and a correct Content-Length.
pub fn serialize(request: &Request) -> Vec<u8> {
    let mut out = format!("{} {} HTTP/1.1\r\n", request.method, request.target);
    for (k, v) in &request.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        request.body.len()
    ));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&request.body);
    bytes
}

/// An unsigned Lightsail request for `operation` with a JSON body.
pub fn lightsail_request(port: u16, operation: &str, body: &str) -> Request {
    Request {
        method: "POST".into(),
        target: "/".into(),
        version: "HTTP/1.1".into(),
        headers: vec![
            ("Host".into(), format!("127.0.0.1:{port}")),
            ("Content-Type".into(), "application/x-amz-json-1.1".into()),
            (
                "X-Amz-Target".into(),
                format!("Lightsail_20161128.{operation}"),
            ),
        ],
        body: body.as_bytes().to_vec(),
    }
}

/// Signs with the example key at the current real time.
pub fn sign(request: &mut Request) {
    sign_at(request, clock::real_now() as i64);
}

pub fn sign_at(request: &mut Request, when: i64) {
    sigv4::sign(request, KEY_ID, SECRET, "us-west-2", &clock::amz_date(when));
}

/// Signs with the example key at the current real time, scoped to `region`.
pub fn sign_in(request: &mut Request, region: &str) {
    let when = clock::real_now() as i64;
    sigv4::sign(request, KEY_ID, SECRET, region, &clock::amz_date(when));
}

pub fn send(port: u16, request: &Request) -> Raw {
    parse_raw(send_raw(port, &serialize(request)).expect("request sent"))
}

/// A signed Lightsail call.
pub fn call(port: u16, operation: &str, body: &str) -> Raw {
    let mut request = lightsail_request(port, operation, body);
    sign(&mut request);
    send(port, &request)
}

/// A signed Lightsail call in another region than the default us-west-2.
pub fn call_in(port: u16, region: &str, operation: &str, body: &str) -> Raw {
    let mut request = lightsail_request(port, operation, body);
    sign_in(&mut request, region);
    send(port, &request)
}

/// An admin (unsigned) request.
pub fn admin(port: u16, method: &str, path: &str, body: &str) -> Raw {
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    parse_raw(send_raw(port, request.as_bytes()).expect("admin request sent"))
}

pub const CREATE_SEED: &str =
    r#"{"instanceSnapshotName": "WordPress-Snapshot-1", "instanceName": "WordPress-1"}"#;

/// The repository root (the emulator crate lives in `emulator/`).
pub fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the emulator crate sits inside the repository")
        .to_path_buf()
}

/// The seed's example output (`aws lightsail create-instance-snapshot`, the JSON after `Output::`),
/// dedented, with a final newline, exactly as the reference CLI prints it. It is read from the example the
/// repository already vendors from AWS CLI v1.45.11 (`src/help/examples/create-instance-snapshot.rst`,
/// Apache-2.0, provenance in that folder's README), whose output is byte-identical to the EXAMPLES section
/// of the seed man page.
pub fn seed_example_output() -> String {
    let path = repo_root().join("src/help/examples/create-instance-snapshot.rst");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the vendored example {}: {e}", path.display()));
    let after = text.as_str();
    let output = after.find("Output:").expect("seed example has Output:");
    let mut lines = Vec::new();
    let mut depth = 0i32;
    let mut indent = None;
    for line in after[output..].lines().skip(1) {
        if indent.is_none() {
            if line.trim().is_empty() {
                continue;
            }
            indent = Some(line.len() - line.trim_start().len());
        }
        let cut = indent.unwrap_or(0).min(line.len());
        lines.push(line[cut..].to_string());
        depth += line.matches(['{', '[']).count() as i32 - line.matches(['}', ']']).count() as i32;
        if depth == 0 {
            break;
        }
    }
    lines.join("\n") + "\n"
}
