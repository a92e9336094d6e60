//! `loopback-peer`: the other end of a conformance case's connection when it is not the emulator: a
//! recording HTTP proxy (forwarding for `http://`, a `CONNECT` tunnel for `https://`) or a server that gives
//! every request the same canned answer (or a broken one). It listens on 127.0.0.1 only, forwards and tunnels
//! only to loopback addresses, and answers any other target with `403 Forbidden`; so a case that routes the
//! reference's requests through it (`HTTPS_PROXY={peer}`) shows which host the client chose without a packet
//! leaving the machine.
//!
//! Every request it receives is logged (method, request target, a few headers: `Host`,
//! `Proxy-Authorization`, `X-Amz-Target`, and the sorted names of all headers); `GET /_peer/log` returns the log as JSON. Both the recorder
//! (`record.py`) and the replay (`tests/conformance.rs`) start it the same way and store or compare that log.
//!
//! ```text
//! loopback-peer [--mode proxy|reply|close|garbage|hang] [--status N] [--header 'Name: value']... [--body TEXT]
//! ```
//!
//! - `proxy` (default): forward absolute-form requests and tunnel `CONNECT`s to loopback targets.
//! - `reply`: answer every request with `--status` (default 200), the `--header`s and `--body`
//!   (`Content-Length` added unless given).
//! - `close`: read the request head, then close the connection without a word.
//! - `garbage`: answer with a line that is not HTTP, then close.
//! - `hang`: read the request and never answer (until the client goes away).
//!
//! It prints `listening on http://127.0.0.1:PORT` on stdout once it accepts connections. Standard library
//! only; one thread per connection.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// Headers copied into the log (lower-case names).
const LOGGED_HEADERS: &[&str] = &["host", "proxy-authorization", "x-amz-target"];
/// How long a connection may sit idle before the peer gives up on it.
const IDLE: Duration = Duration::from_secs(120);

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Proxy,
    Reply,
    Close,
    Garbage,
    Hang,
}

struct Config {
    mode: Mode,
    status: u16,
    headers: Vec<String>,
    body: String,
}

/// One received request: method, target and the logged headers, as a JSON object.
type Log = Arc<Mutex<Vec<String>>>;

struct Request {
    method: String,
    target: String,
    version: String,
    /// Header lines as received (name, value).
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn main() {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(config) => Arc::new(config),
        Err(why) => {
            eprintln!("loopback-peer: {why}");
            std::process::exit(2);
        }
    };
    let listener = match TcpListener::bind(("127.0.0.1", 0)) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("loopback-peer: cannot listen on 127.0.0.1: {e}");
            std::process::exit(1);
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    println!("listening on http://127.0.0.1:{port}");
    let _ = io::stdout().flush();
    let log: Log = Arc::default();
    for stream in listener.incoming().flatten() {
        let (config, log) = (Arc::clone(&config), Arc::clone(&log));
        thread::spawn(move || {
            let _ = stream.set_read_timeout(Some(IDLE));
            let _ = serve(stream, &config, &log);
        });
    }
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Config, String> {
    let mut config = Config {
        mode: Mode::Proxy,
        status: 200,
        headers: Vec::new(),
        body: String::new(),
    };
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--mode" => {
                config.mode = match value()?.as_str() {
                    "proxy" => Mode::Proxy,
                    "reply" => Mode::Reply,
                    "close" => Mode::Close,
                    "garbage" => Mode::Garbage,
                    "hang" => Mode::Hang,
                    other => return Err(format!("unknown mode {other:?}")),
                }
            }
            "--status" => {
                config.status = value()?
                    .parse()
                    .map_err(|_| "--status takes a number".to_string())?
            }
            "--header" => {
                let header = value()?;
                if !header.contains(':') {
                    return Err(format!("--header {header:?}: expected 'Name: value'"));
                }
                config.headers.push(header);
            }
            "--body" => config.body = value()?,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(config)
}

/// Serves one client connection: requests one after the other until it closes.
fn serve(stream: TcpStream, config: &Config, log: &Log) -> io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let Some(request) = read_request(&mut reader)? else {
            return Ok(());
        };
        // HTTP/1.0 or `Connection: close`: one request on this connection.
        let last = request.version == "HTTP/1.0"
            || request
                .header("connection")
                .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        if request.method == "GET" && request.target == "/_peer/log" {
            let body = format!("[{}]", log.lock().map(|l| l.join(",")).unwrap_or_default());
            write_response(
                &mut writer,
                200,
                &["Content-Type: application/json".into()],
                &body,
            )?;
            if last {
                return Ok(());
            }
            continue;
        }
        record(log, &request);
        match config.mode {
            Mode::Reply => {
                write_response(&mut writer, config.status, &config.headers, &config.body)?;
                if request.method == "CONNECT" {
                    // The tunnel "opens" and ends at once. Half-close first and drain what the client
                    // sends (its TLS hello), so it always sees a clean end of stream: closing with its
                    // bytes unread would make the kernel answer with a reset, depending on timing.
                    let _ = writer.shutdown(Shutdown::Write);
                    let _ = io::copy(&mut reader, &mut io::sink());
                    return Ok(());
                }
                if last {
                    return Ok(());
                }
            }
            Mode::Close => {
                let _ = writer.shutdown(Shutdown::Both);
                return Ok(());
            }
            Mode::Garbage => {
                writer.write_all(b"this is not HTTP\r\n")?;
                let _ = writer.shutdown(Shutdown::Both);
                return Ok(());
            }
            Mode::Hang => {
                let _ = io::copy(&mut reader, &mut io::sink());
                return Ok(());
            }
            Mode::Proxy => {
                if request.method == "CONNECT" {
                    return tunnel(&request, reader, writer);
                }
                if !forward(&request, &mut writer)? {
                    return Ok(());
                }
            }
        }
    }
}

fn record(log: &Log, request: &Request) {
    let mut entry = format!(
        "{{\"method\":{},\"target\":{},\"headers\":{{",
        json_string(&request.method),
        json_string(&request.target)
    );
    let mut first = true;
    for name in LOGGED_HEADERS {
        if let Some(value) = request.header(name) {
            if !first {
                entry.push(',');
            }
            first = false;
            entry.push_str(&format!("{}:{}", json_string(name), json_string(value)));
        }
    }
    entry.push_str("},\"names\":[");
    let mut names: Vec<String> = request
        .headers
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .collect();
    names.sort();
    let names: Vec<String> = names.iter().map(|n| json_string(n)).collect();
    entry.push_str(&names.join(","));
    entry.push_str("]}");
    if let Ok(mut log) = log.lock() {
        log.push(entry);
    }
}

fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Reads one request (head and a `Content-Length` body); `None` at a clean end of the connection.
fn read_request(reader: &mut impl BufRead) -> io::Result<Option<Request>> {
    let mut line = String::new();
    // Tolerate blank lines between requests, as servers do.
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        if !line.trim().is_empty() {
            break;
        }
    }
    let mut parts = line.split_whitespace();
    let (method, target, version) = (
        parts.next().unwrap_or_default().to_string(),
        parts.next().unwrap_or_default().to_string(),
        parts.next().unwrap_or("HTTP/1.0").to_string(),
    );
    let headers = read_headers(reader)?;
    let mut request = Request {
        method,
        target,
        version,
        headers,
        body: Vec::new(),
    };
    let length: usize = request
        .header("content-length")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    request.body = vec![0; length];
    reader.read_exact(&mut request.body)?;
    Ok(Some(request))
}

fn read_headers(reader: &mut impl BufRead) -> io::Result<Vec<(String, String)>> {
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(headers);
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            return Ok(headers);
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        407 => "Proxy Authentication Required",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn write_response(
    out: &mut impl Write,
    status: u16,
    headers: &[String],
    body: &str,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    let mut has_length = false;
    for header in headers {
        has_length |= header
            .split(':')
            .next()
            .is_some_and(|n| n.trim().eq_ignore_ascii_case("content-length"));
        head.push_str(header);
        head.push_str("\r\n");
    }
    if !has_length {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    out.write_all(body.as_bytes())?;
    out.flush()
}

/// `host:port` of a loopback target, or `None` for any other host.
fn loopback_addr(host: &str, port: u16) -> Option<(String, u16)> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = bare == "localhost"
        || bare == "::1"
        || bare
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    loopback.then(|| (bare.to_string(), port))
}

/// Splits `host:port` (IPv6 in brackets) with a default port.
fn split_host_port(authority: &str, default_port: u16) -> (String, u16) {
    if let Some(rest) = authority.strip_prefix('[') {
        if let Some((host, tail)) = rest.split_once(']') {
            let port = tail.strip_prefix(':').and_then(|p| p.parse().ok());
            return (format!("[{host}]"), port.unwrap_or(default_port));
        }
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => match port.parse() {
            Ok(port) => (host.to_string(), port),
            Err(_) => (authority.to_string(), default_port),
        },
        None => (authority.to_string(), default_port),
    }
}

fn connect(addr: &(String, u16)) -> io::Result<TcpStream> {
    let stream = TcpStream::connect((addr.0.as_str(), addr.1))?;
    stream.set_read_timeout(Some(IDLE))?;
    Ok(stream)
}

/// A `CONNECT host:port` tunnel to a loopback target; anything else gets `403 Forbidden`.
fn tunnel(
    request: &Request,
    reader: BufReader<TcpStream>,
    mut client: TcpStream,
) -> io::Result<()> {
    let (host, port) = split_host_port(&request.target, 443);
    let Some(addr) = loopback_addr(&host, port) else {
        return write_response(&mut client, 403, &[], "");
    };
    let upstream = match connect(&addr) {
        Ok(upstream) => upstream,
        Err(_) => return write_response(&mut client, 502, &[], ""),
    };
    client
        .write_all(format!("{} 200 Connection established\r\n\r\n", request.version).as_bytes())?;
    let mut up_writer = upstream.try_clone()?;
    let mut up_reader = upstream;
    // Bytes the client sent after the CONNECT head are already in the reader's buffer: pass them on first.
    let mut from_client = reader;
    let pump = thread::spawn(move || {
        let _ = io::copy(&mut from_client, &mut up_writer);
        let _ = up_writer.shutdown(Shutdown::Write);
    });
    let _ = io::copy(&mut up_reader, &mut client);
    let _ = client.shutdown(Shutdown::Both);
    let _ = pump.join();
    Ok(())
}

/// Forwards an absolute-form request to a loopback origin and relays its response. Returns whether the
/// client connection can carry another request.
fn forward(request: &Request, client: &mut TcpStream) -> io::Result<bool> {
    let Some(rest) = request.target.strip_prefix("http://") else {
        write_response(client, 400, &[], "")?;
        return Ok(false);
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = split_host_port(authority, 80);
    let Some(addr) = loopback_addr(&host, port) else {
        write_response(client, 403, &[], "")?;
        return Ok(true);
    };
    let mut upstream = match connect(&addr) {
        Ok(upstream) => upstream,
        Err(_) => {
            write_response(client, 502, &[], "")?;
            return Ok(true);
        }
    };
    let mut head = format!("{} {path} {}\r\n", request.method, request.version);
    for (name, value) in &request.headers {
        let hop = ["proxy-authorization", "proxy-connection", "connection"];
        if !hop.iter().any(|h| name.eq_ignore_ascii_case(h)) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str("Connection: close\r\n\r\n");
    upstream.write_all(head.as_bytes())?;
    upstream.write_all(&request.body)?;
    let mut response = Vec::new();
    upstream.read_to_end(&mut response)?;
    client.write_all(&response)?;
    client.flush()?;
    // The origin closed after its response; unless it framed the body, so must we.
    let head_end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(response.len());
    let head = String::from_utf8_lossy(&response[..head_end]).to_ascii_lowercase();
    Ok(head.contains("content-length:") || head.contains("transfer-encoding: chunked"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_targets() {
        assert!(loopback_addr("127.0.0.1", 80).is_some());
        assert!(loopback_addr("localhost", 80).is_some());
        assert!(loopback_addr("[::1]", 80).is_some());
        assert!(loopback_addr("lightsail.us-east-1.amazonaws.com", 443).is_none());
        assert!(loopback_addr("127.0.0.1.example.com", 443).is_none());
        assert!(loopback_addr("10.0.0.1", 443).is_none());
    }

    #[test]
    fn host_and_port() {
        assert_eq!(split_host_port("h:8080", 80), ("h".to_string(), 8080));
        assert_eq!(split_host_port("h", 443), ("h".to_string(), 443));
        assert_eq!(split_host_port("[::1]:9", 80), ("[::1]".to_string(), 9));
    }
}
