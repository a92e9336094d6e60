//! A blocking HTTP/1.1 client over `std::net::TcpStream`, with `rustls` for https, that keeps a connection
//! open between the requests of one process as urllib3's pool does.
//!
//! Why not `ureq`: the reference reports failures with urllib3's categories (could not connect, connect
//! timeout, read timeout, connection closed before a response, SSL validation failed) and a caller-chosen
//! timeout of "none"; ureq folds these into its own error kinds and always loads its TLS roots. A
//! hand-written client that sends a request and reads one response is a few hundred lines,
//! keeps http:// endpoints free of any certificate loading (rustls and the root store are touched only for
//! https), and lets each failure map onto the reference's message. Verification uses the webpki root
//! store, a PEM `--ca-bundle`, or nothing with `--no-verify-ssl`. [`Pool`] keeps idle connections per
//! scheme, host and port: a paginated listing sends all its pages over one connection, like the reference.

pub mod proxy;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

/// How TLS certificates are checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Verify {
    /// The default trust store (webpki roots).
    Default,
    /// `--no-verify-ssl`.
    Disabled,
    /// `--ca-bundle`, `AWS_CA_BUNDLE` or the profile's `ca_bundle`: a PEM file.
    Bundle(String),
}

/// A parsed `http(s)://host[:port]/path?query` URL.
#[derive(Debug, Clone, PartialEq)]
pub struct Url {
    pub https: bool,
    /// Host as written (IPv6 without brackets).
    pub host: String,
    pub port: u16,
    /// The `host[:port]` part as written (what goes in the `Host` header and the signature).
    pub netloc: String,
    /// Path (`/` when empty).
    pub path: String,
    /// Query without `?` (may be empty).
    pub query: String,
    /// The whole URL, as the reference prints it in error messages.
    pub full: String,
}

impl Url {
    /// Parses an absolute URL; `None` when the scheme is not http(s) or the authority is malformed.
    pub fn parse(url: &str) -> Option<Url> {
        let (scheme, rest) = url.split_once("://")?;
        let https = match scheme.to_ascii_lowercase().as_str() {
            "http" => false,
            "https" => true,
            _ => return None,
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let netloc = &rest[..end];
        let after = &rest[end..];
        let after = after.split('#').next().unwrap_or("");
        let (path, query) = match after.split_once('?') {
            Some((p, q)) => (p, q),
            None => (after, ""),
        };
        let hostport = netloc.rsplit('@').next().unwrap_or(netloc);
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let (h, tail) = v6.split_once(']')?;
            (h.to_owned(), tail.strip_prefix(':'))
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h.to_owned(), Some(p)),
                None => (hostport.to_owned(), None),
            }
        };
        let port = match port {
            Some("") | None => {
                if https {
                    443
                } else {
                    80
                }
            }
            Some(p) => p.parse().ok()?,
        };
        if host.is_empty() {
            return None;
        }
        Some(Url {
            https,
            host,
            port,
            netloc: netloc.to_owned(),
            path: if path.is_empty() {
                "/".into()
            } else {
                path.to_owned()
            },
            query: query.to_owned(),
            full: url.to_owned(),
        })
    }

    /// The request target: path plus `?query`.
    pub fn target(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }

    /// The `Host` header as urllib3 writes it (port omitted when it is the scheme's default).
    pub fn host_header(&self) -> String {
        let default = if self.https { 443 } else { 80 };
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        if self.port == default {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }
}

/// A received response.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub reason: String,
    /// Header names as received, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Transport failures, in urllib3's categories (the messages live in `call::CallError`).
#[derive(Debug, Clone, PartialEq)]
pub enum TransportError {
    /// Refused, unreachable, name not resolved.
    Connect,
    ConnectTimeout,
    ReadTimeout,
    /// The peer closed before a complete response (`ConnectionClosedError`).
    Closed,
    /// TLS failure; the text after `SSL validation failed for URL `.
    Ssl(String),
    /// The proxy failed (botocore's `ProxyConnectionError`): unreachable, refused the tunnel, or closed a
    /// request without a word; the masked proxy URL.
    Proxy(String),
    /// A proxy URL urllib3 cannot parse (botocore's `HTTPClientError`): `Failed to parse: URL`.
    ProxyUrl(String),
}

impl TransportError {
    /// botocore's message for this failure on a request to `url` (its `EndpointConnectionError`,
    /// `ConnectTimeoutError`, `ReadTimeoutError`, `ConnectionClosedError`, `SSLError`,
    /// `ProxyConnectionError` and `HTTPClientError` texts).
    pub fn describe(&self, url: &str) -> String {
        match self {
            TransportError::Connect => format!("Could not connect to the endpoint URL: \"{url}\""),
            TransportError::ConnectTimeout => format!("Connect timeout on endpoint URL: \"{url}\""),
            TransportError::ReadTimeout => format!("Read timeout on endpoint URL: \"{url}\""),
            TransportError::Closed => format!(
                "Connection was closed before we received a valid response from endpoint URL: \"{url}\"."
            ),
            TransportError::Ssl(message) => format!("SSL validation failed for {url} {message}"),
            TransportError::Proxy(proxy) => format!("Failed to connect to proxy URL: \"{proxy}\""),
            TransportError::ProxyUrl(message) => {
                format!("An HTTP Client raised an unhandled exception: {message}")
            }
        }
    }
}

/// How to connect.
pub struct TransportOptions<'a> {
    pub connect_timeout: Option<Duration>,
    pub read_timeout: Option<Duration>,
    pub verify: &'a Verify,
}

/// Sends one request through `proxy` (forwarded for `http://`, tunnelled with `CONNECT` for `https://`), on
/// a connection of its own (a direct request goes through [`send_pooled`]). Failures map as urllib3's do through a proxy: a proxy that cannot be
/// reached, refuses the tunnel, or closes a forwarded request unanswered is [`TransportError::Proxy`];
/// a proxy that answers with something that is not HTTP closed the connection ([`TransportError::Closed`]).
pub fn send_via(
    url: &Url,
    method: &str,
    headers: &[(String, String)],
    body: &[u8],
    opts: &TransportOptions<'_>,
    proxy: &proxy::Proxy,
) -> Result<Response, TransportError> {
    let failed = || TransportError::Proxy(proxy.masked.clone());
    let proxy_url = Url {
        https: proxy.https,
        host: proxy.host.clone(),
        port: proxy.port,
        netloc: String::new(),
        path: "/".into(),
        query: String::new(),
        full: proxy.url.clone(),
    };
    let tcp = connect(&proxy_url, opts.connect_timeout).map_err(|_| failed())?;
    let _ = tcp.set_read_timeout(opts.read_timeout);
    let _ = tcp.set_write_timeout(opts.read_timeout);
    let mut stream: Box<dyn ReadWrite> = if proxy.https {
        // TLS to the proxy itself, verified by the default trust store (no proxy_ca_bundle here).
        let config = tls_config(&Verify::Default).map_err(|_| failed())?;
        let name =
            rustls_pki_types::ServerName::try_from(proxy.host.clone()).map_err(|_| failed())?;
        let mut conn = rustls::ClientConnection::new(config, name).map_err(|_| failed())?;
        let mut tcp = tcp;
        while conn.is_handshaking() {
            conn.complete_io(&mut tcp).map_err(|_| failed())?;
        }
        Box::new(rustls::StreamOwned::new(conn, tcp))
    } else {
        Box::new(tcp)
    };
    let mut extra = Vec::new();
    if let Some(auth) = &proxy.authorization {
        extra.push(("Proxy-Authorization".to_string(), auth.clone()));
    }
    if !url.https {
        // Forwarding: the absolute URL as the request target, the proxy's headers after the request's.
        let mut head = format!("{method} {} HTTP/1.1\r\n", url.full);
        for (name, value) in headers.iter().chain(&extra) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        return match exchange_detail(stream, head.as_bytes(), body) {
            Ok((response, _)) => Ok(response),
            Err(Exchange::NoResponse) => Err(failed()),
            Err(Exchange::Failed(e)) => Err(e),
        };
    }
    // A tunnel: `CONNECT host:port HTTP/1.0` (http.client's `_tunnel`), then TLS to the endpoint through it.
    let mut connect_head = format!("CONNECT {}:{} HTTP/1.0\r\n", url.host, url.port);
    for (name, value) in &extra {
        connect_head.push_str(&format!("{name}: {value}\r\n"));
    }
    connect_head.push_str("\r\n");
    stream
        .write_all(connect_head.as_bytes())
        .map_err(|e| classify(&e))?;
    let answer = read_head(&mut stream)?;
    let status_line = answer.lines().next().unwrap_or_default();
    let mut parts = status_line.split_whitespace();
    if !parts.next().is_some_and(|v| v.starts_with("HTTP/")) {
        return Err(TransportError::Closed);
    }
    match parts.next().and_then(|code| code.parse::<u16>().ok()) {
        Some(200) => {}
        Some(_) => return Err(failed()),
        None => return Err(TransportError::Closed),
    }
    let config = tls_config(opts.verify)?;
    let server_name = rustls_pki_types::ServerName::try_from(url.host.clone())
        .map_err(|_| TransportError::Ssl(format!("invalid server name {}", url.host)))?;
    let mut conn = rustls::ClientConnection::new(config, server_name)
        .map_err(|e| TransportError::Ssl(e.to_string()))?;
    // The handshake through the tunnel first: a tunnel that closes in the middle is OpenSSL's EOF.
    while conn.is_handshaking() {
        match conn.complete_io(&mut stream) {
            Ok((0, 0)) => return Err(TransportError::Ssl(UNEXPECTED_EOF.into())),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                return Err(TransportError::Ssl(UNEXPECTED_EOF.into()))
            }
            Err(e) => return Err(classify(&e)),
        }
    }
    let tls_stream = rustls::StreamOwned::new(conn, stream);
    let head = request_head(url, method, headers);
    match exchange_detail(tls_stream, head.as_bytes(), body) {
        Ok((response, _)) => Ok(response),
        // Inside a tunnel too, a connection closed unanswered is put down to the proxy.
        Err(Exchange::NoResponse) => Err(failed()),
        Err(Exchange::Failed(e)) => Err(e),
    }
}

/// OpenSSL's words for a peer that closes during the TLS handshake.
const UNEXPECTED_EOF: &str =
    "[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of protocol (_ssl.c:1006)";

/// A byte stream: a TCP socket, or TLS over one.
trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

/// The proxy's answer to `CONNECT`, up to its blank line, read byte by byte (nothing of the TLS that
/// follows is read ahead). A proxy that closes first has closed the connection.
fn read_head(stream: &mut dyn ReadWrite) -> Result<String, TransportError> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && !head.ends_with(b"\n\n") {
        match stream.read(&mut byte) {
            Ok(0) => {
                return if head.is_empty() || !head.ends_with(b"\n") {
                    Err(TransportError::Closed)
                } else {
                    Ok(String::from_utf8_lossy(&head).into_owned())
                }
            }
            Ok(_) => head.push(byte[0]),
            Err(e) => return Err(classify(&e)),
        }
        if head.len() > 65_536 {
            return Err(TransportError::Closed);
        }
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

fn request_head(url: &Url, method: &str, headers: &[(String, String)]) -> String {
    let mut head = format!("{method} {} HTTP/1.1\r\n", url.target());
    for (name, value) in headers {
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    head
}

/// Sends one request on a connection of its own and reads the whole response.
pub fn send(
    url: &Url,
    method: &str,
    headers: &[(String, String)],
    body: &[u8],
    opts: &TransportOptions<'_>,
) -> Result<Response, TransportError> {
    send_pooled(url, method, headers, body, opts, &mut Pool::default())
}

/// An open connection: plain TCP, or TLS over it.
enum Connection {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Connection {
    fn socket(&self) -> &TcpStream {
        match self {
            Connection::Plain(tcp) => tcp,
            Connection::Tls(tls) => &tls.sock,
        }
    }

    /// urllib3's `is_connection_dropped`: an idle connection that has something to read (the peer's close,
    /// or bytes nobody asked for) cannot carry another request.
    fn is_dropped(&self) -> bool {
        use std::os::fd::AsRawFd;
        let mut byte = 0u8;
        // One non-blocking peek (`MSG_DONTWAIT`), leaving the socket blocking for the request.
        // SAFETY: the descriptor is this connection's open socket and `byte` a writable byte.
        let n = unsafe {
            libc::recv(
                self.socket().as_raw_fd(),
                (&mut byte as *mut u8).cast(),
                1,
                libc::MSG_PEEK | libc::MSG_DONTWAIT,
            )
        };
        // Readable (the peer's close, or bytes nobody asked for) or failed: dropped. Only "would
        // block" means an idle, open connection.
        !(n < 0 && io::Error::last_os_error().kind() == io::ErrorKind::WouldBlock)
    }
}

/// The connections one client has opened, urllib3's connection pools: one per scheme, host and port,
/// each numbering the connections it opens and keeping the last one idle after a response that leaves it
/// usable (HTTP/1.1, no `Connection: close`, a body of known length read to its end).
#[derive(Default)]
pub struct Pool {
    pools: Vec<HostPool>,
}

struct HostPool {
    https: bool,
    host: String,
    port: u16,
    /// Connections opened so far (urllib3's `num_connections`).
    opened: u32,
    idle: Option<Connection>,
    /// The idle connection was found dropped: the next request reconnects it (urllib3 closes the
    /// connection object and reopens it, without counting a new connection).
    reconnecting: bool,
}

/// What the next request to a URL will go over; the call layer logs it as urllib3 does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextConnection {
    /// The idle connection, still open.
    Reuse,
    /// The idle connection was closed by the peer: `Resetting dropped connection: HOST`.
    Reset,
    /// A new connection, the pool's `n`th: `Starting new HTTP connection (n): HOST:PORT`.
    New(u32),
}

impl Pool {
    fn host_pool(&mut self, url: &Url) -> &mut HostPool {
        let found = self
            .pools
            .iter()
            .position(|p| p.https == url.https && p.port == url.port && p.host == url.host);
        let index = match found {
            Some(index) => index,
            None => {
                self.pools.push(HostPool {
                    https: url.https,
                    host: url.host.clone(),
                    port: url.port,
                    opened: 0,
                    idle: None,
                    reconnecting: false,
                });
                self.pools.len() - 1
            }
        };
        &mut self.pools[index]
    }

    /// Decides what the next request to `url` goes over (dropping an idle connection the peer closed).
    pub fn next_for(&mut self, url: &Url) -> NextConnection {
        let pool = self.host_pool(url);
        match pool.idle.take() {
            Some(connection) if !connection.is_dropped() => {
                pool.idle = Some(connection);
                NextConnection::Reuse
            }
            Some(_) => {
                pool.reconnecting = true;
                NextConnection::Reset
            }
            None => NextConnection::New(pool.opened + 1),
        }
    }
}

/// Sends one request over the pool's idle connection to `url`'s host, or a new one, and reads the whole
/// response; the connection goes back to the pool when the response leaves it usable.
pub fn send_pooled(
    url: &Url,
    method: &str,
    headers: &[(String, String)],
    body: &[u8],
    opts: &TransportOptions<'_>,
    pool: &mut Pool,
) -> Result<Response, TransportError> {
    let pool = pool.host_pool(url);
    let connection = match pool.idle.take() {
        Some(connection) => connection,
        None => {
            if !std::mem::take(&mut pool.reconnecting) {
                pool.opened += 1;
            }
            open(url, opts)?
        }
    };
    let head = request_head(url, method, headers);
    // Each kind of stream exchanged as itself: a plain socket reads the body into uninitialised
    // capacity, which only `TcpStream`'s own `read_buf` allows (not the enum's `read`).
    let result = match connection {
        Connection::Plain(tcp) => exchange_detail(tcp, head.as_bytes(), body)
            .map(|(response, back)| (response, back.map(Connection::Plain))),
        Connection::Tls(tls) => exchange_detail(tls, head.as_bytes(), body)
            .map(|(response, back)| (response, back.map(Connection::Tls))),
    };
    match result {
        Ok((response, reusable)) => {
            pool.idle = reusable;
            Ok(response)
        }
        Err(Exchange::NoResponse) => Err(TransportError::Closed),
        Err(Exchange::Failed(e)) => Err(e),
    }
}

/// Connects to `url`'s host, with TLS for https.
fn open(url: &Url, opts: &TransportOptions<'_>) -> Result<Connection, TransportError> {
    // Like urllib3, connect first and load the trust store when wrapping the socket: a refused https
    // connection reports "Could not connect" even when the CA bundle is unreadable.
    let stream = connect(url, opts.connect_timeout)?;
    // A zero Duration is rejected by set_read_timeout; `None` (no limit) is what `0` means here.
    let _ = stream.set_read_timeout(opts.read_timeout);
    let _ = stream.set_write_timeout(opts.read_timeout);
    if !url.https {
        return Ok(Connection::Plain(stream));
    }
    let config = tls_config(opts.verify)?;
    let server_name = rustls_pki_types::ServerName::try_from(url.host.clone())
        .map_err(|_| TransportError::Ssl(format!("invalid server name {}", url.host)))?;
    let conn = rustls::ClientConnection::new(config, server_name)
        .map_err(|e| TransportError::Ssl(e.to_string()))?;
    Ok(Connection::Tls(Box::new(rustls::StreamOwned::new(
        conn, stream,
    ))))
}

fn connect(url: &Url, timeout: Option<Duration>) -> Result<TcpStream, TransportError> {
    let addrs: Vec<SocketAddr> = (url.host.as_str(), url.port)
        .to_socket_addrs()
        .map_err(|_| TransportError::Connect)?
        .collect();
    let mut timed_out = false;
    for addr in addrs {
        let result = match timeout {
            Some(t) => TcpStream::connect_timeout(&addr, t),
            None => TcpStream::connect(addr),
        };
        match result {
            Ok(stream) => {
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                ) =>
            {
                timed_out = true
            }
            Err(_) => {}
        }
    }
    Err(if timed_out {
        TransportError::ConnectTimeout
    } else {
        TransportError::Connect
    })
}

fn classify(e: &io::Error) -> TransportError {
    match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => TransportError::ReadTimeout,
        io::ErrorKind::InvalidData => match e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            Some(tls) => TransportError::Ssl(ssl_message(tls)),
            None => TransportError::Closed,
        },
        _ => TransportError::Closed,
    }
}

/// How an exchange failed: no response at all (the peer closed or reset before a status line:
/// `RemoteDisconnected`), or any other transport failure.
enum Exchange {
    NoResponse,
    Failed(TransportError),
}

/// Writes the request and reads the response; hands the stream back when the response leaves it usable for
/// another request (http.client's `will_close` is false and nothing was read past the body).
fn exchange_detail<S: Read + Write>(
    mut stream: S,
    head: &[u8],
    body: &[u8],
) -> Result<(Response, Option<S>), Exchange> {
    let failed = |e: &io::Error| Exchange::Failed(classify(e));
    let mut request = Vec::with_capacity(head.len() + body.len());
    request.extend_from_slice(head);
    request.extend_from_slice(body);
    stream.write_all(&request).map_err(|e| failed(&e))?;
    stream.flush().map_err(|e| failed(&e))?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    match read_line(&mut reader, &mut line) {
        Ok(0) => return Err(Exchange::NoResponse),
        Err(TransportError::Closed) => return Err(Exchange::NoResponse),
        Err(e) => return Err(Exchange::Failed(e)),
        Ok(_) => {}
    }
    let status_line = line.trim_end().to_owned();
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    if !version.starts_with("HTTP/") {
        return Err(Exchange::Failed(TransportError::Closed));
    }
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or(Exchange::Failed(TransportError::Closed))?;
    let reason = parts.next().unwrap_or("").to_owned();
    let (response, framed) = read_rest(&mut reader, status, reason).map_err(Exchange::Failed)?;
    let reusable = framed && !will_close(version, &response) && reader.buffer().is_empty();
    Ok((response, reusable.then(|| reader.into_inner())))
}

/// http.client's `_check_close`: whether the server closes the connection after this response. An
/// HTTP/1.x (x >= 1) response keeps it unless its `Connection` header says `close`; an HTTP/1.0 one
/// closes it unless it says `keep-alive` (`Keep-Alive`, `Connection` or `Proxy-Connection`).
fn will_close(version: &str, response: &Response) -> bool {
    let says = |name: &str, word: &str| {
        response
            .header(name)
            .is_some_and(|value| value.to_ascii_lowercase().contains(word))
    };
    if version != "HTTP/1.0" {
        return says("connection", "close");
    }
    !(response.header("keep-alive").is_some_and(|v| !v.is_empty())
        || says("connection", "keep-alive")
        || says("proxy-connection", "keep-alive"))
}

/// One line (up to and including `\n`) into `line`, decoded leniently; 0 at end of stream.
fn read_line<R: BufRead>(reader: &mut R, line: &mut String) -> Result<usize, TransportError> {
    line.clear();
    let mut raw = Vec::new();
    let n = reader
        .read_until(b'\n', &mut raw)
        .map_err(|e| classify(&e))?;
    line.push_str(&String::from_utf8_lossy(&raw));
    Ok(n)
}

/// The headers and body after the status line, and whether the body's end was known from its framing
/// (no body, `Content-Length` or chunks) rather than from the peer closing.
fn read_rest<R: BufRead>(
    reader: &mut R,
    status: u16,
    reason: String,
) -> Result<(Response, bool), TransportError> {
    let mut line = String::new();
    let mut headers = Vec::new();
    loop {
        if read_line(reader, &mut line)? == 0 {
            return Err(TransportError::Closed);
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            break;
        }
        if let Some((name, value)) = l.split_once(':') {
            headers.push((name.to_owned(), value.trim().to_owned()));
        }
    }
    let find = |name: &str| {
        headers
            .iter()
            .find(|(n, _): &&(String, String)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let chunked =
        find("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let mut body = Vec::new();
    let mut framed = true;
    if status == 204 || status == 304 || (100..200).contains(&status) {
        // No body.
    } else if chunked {
        loop {
            if read_line(reader, &mut line)? == 0 {
                return Err(TransportError::Closed);
            }
            let size_text = line.trim().split(';').next().unwrap_or("").to_owned();
            let size = usize::from_str_radix(&size_text, 16).map_err(|_| TransportError::Closed)?;
            if size == 0 {
                // Trailers until the empty line (or EOF).
                loop {
                    if read_line(reader, &mut line)? == 0 {
                        framed = false;
                        break;
                    }
                    if line.trim().is_empty() {
                        break;
                    }
                }
                break;
            }
            let start = body.len();
            body.resize(start + size, 0);
            reader
                .read_exact(&mut body[start..])
                .map_err(|e| classify(&e))?;
            read_line(reader, &mut line)?;
        }
    } else if let Some(length) = find("content-length").and_then(|v| v.trim().parse::<usize>().ok())
    {
        // Read into spare capacity (no zero-filling first); a short body is a closed connection.
        body.reserve(length.min(64 << 20));
        reader
            .take(length as u64)
            .read_to_end(&mut body)
            .map_err(|e| classify(&e))?;
        if body.len() < length {
            return Err(TransportError::Closed);
        }
    } else {
        framed = false;
        match reader.read_to_end(&mut body) {
            Ok(_) => {}
            // A TLS peer that closes without close_notify still delivered the body.
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {}
            Err(e) => return Err(classify(&e)),
        }
    }
    let response = Response {
        status,
        reason,
        headers,
        body,
    };
    Ok((response, framed))
}

/// Python's OSError text for a CA bundle that cannot be read (`[Errno 2] No such file or directory`).
fn io_error_text(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(code) => {
            let text = io::Error::from_raw_os_error(code).to_string();
            // Rust prints "No such file or directory (os error 2)"; Python prints "[Errno 2] No such file or directory".
            let message = text.split(" (os error").next().unwrap_or(&text);
            format!("[Errno {code}] {message}")
        }
        None => e.to_string(),
    }
}

/// OpenSSL-style text for the common certificate failures (what the reference prints after the URL).
fn ssl_message(e: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    let reason = match e {
        rustls::Error::InvalidCertificate(C::UnknownIssuer) => {
            "unable to get local issuer certificate"
        }
        rustls::Error::InvalidCertificate(C::Expired) => "certificate has expired",
        rustls::Error::InvalidCertificate(C::NotValidForName)
        | rustls::Error::InvalidCertificate(C::NotValidForNameContext { .. }) => {
            "Hostname mismatch, certificate is not valid"
        }
        rustls::Error::InvalidCertificate(_) => "certificate verify failed",
        rustls::Error::General(reason) => reason.as_str(),
        // A plain-HTTP server answering a TLS client hello: OpenSSL's reading of it.
        rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType) => {
            return "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)".into();
        }
        other => return format!("[SSL] {other}"),
    };
    format!("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: {reason} (_ssl.c:1006)")
}

fn tls_config(verify: &Verify) -> Result<Arc<rustls::ClientConfig>, TransportError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| TransportError::Ssl(e.to_string()))?;
    let config = match verify {
        Verify::Disabled => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoVerification(provider)))
            .with_no_client_auth(),
        Verify::Default => {
            let roots = rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            with_openssl_messages(builder, roots, &provider, Vec::new())?
        }
        Verify::Bundle(path) => {
            use rustls_pki_types::pem::PemObject;
            let pem = std::fs::read(path).map_err(|e| TransportError::Ssl(io_error_text(&e)))?;
            // OpenSSL's `load_verify_locations`: a PEM block that is cut short, is not base64, or holds a
            // certificate that does not parse fails the whole bundle with "PEM lib"; a file with no
            // certificate block at all fails with "no certificate or crl found".
            let pem_lib = || TransportError::Ssl("[X509] PEM lib (_ssl.c:4154)".into());
            let mut roots = rustls::RootCertStore::empty();
            let certs = rustls_pki_types::CertificateDer::pem_slice_iter(&pem)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| pem_lib())?;
            for cert in &certs {
                roots.add(cert.clone()).map_err(|_| pem_lib())?;
            }
            if roots.is_empty() {
                return Err(TransportError::Ssl(
                    "[X509: NO_CERTIFICATE_OR_CRL_FOUND] no certificate or crl found (_ssl.c:4154)"
                        .into(),
                ));
            }
            with_openssl_messages(builder, roots, &provider, certs)?
        }
    };
    Ok(Arc::new(config))
}

type Builder = rustls::ConfigBuilder<rustls::ClientConfig, rustls::WantsVerifier>;

/// A webpki verifier that also trusts a certificate listed in the bundle itself (OpenSSL accepts a
/// self-signed server certificate found in `--ca-bundle`; webpki refuses a CA certificate as end entity),
/// and whose "unknown issuer" failures say what OpenSSL would (self-signed or not).
fn with_openssl_messages(
    builder: Builder,
    roots: rustls::RootCertStore,
    provider: &Arc<rustls::crypto::CryptoProvider>,
    pinned: Vec<rustls_pki_types::CertificateDer<'static>>,
) -> Result<rustls::ClientConfig, TransportError> {
    let inner = rustls::client::WebPkiServerVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .map_err(|e| TransportError::Ssl(e.to_string()))?;
    let verifier = OpenSslWording { inner, pinned };
    Ok(builder
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth())
}

#[derive(Debug)]
struct OpenSslWording {
    inner: Arc<rustls::client::WebPkiServerVerifier>,
    pinned: Vec<rustls_pki_types::CertificateDer<'static>>,
}

impl rustls::client::danger::ServerCertVerifier for OpenSslWording {
    fn verify_server_cert(
        &self,
        end_entity: &rustls_pki_types::CertificateDer<'_>,
        intermediates: &[rustls_pki_types::CertificateDer<'_>],
        server_name: &rustls_pki_types::ServerName<'_>,
        ocsp_response: &[u8],
        now: rustls_pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        let error = match self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Ok(verified) => return Ok(verified),
            Err(e) => e,
        };
        if self
            .pinned
            .iter()
            .any(|c| c.as_ref() == end_entity.as_ref())
        {
            let parsed = rustls::server::ParsedCertificate::try_from(end_entity)?;
            rustls::client::verify_server_name(&parsed, server_name)?;
            return Ok(rustls::client::danger::ServerCertVerified::assertion());
        }
        Err(match error {
            rustls::Error::InvalidCertificate(
                rustls::CertificateError::UnknownIssuer | rustls::CertificateError::Other(_),
            ) if is_self_issued(end_entity) => {
                rustls::Error::General("self-signed certificate".into())
            }
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer) => {
                let reason = if intermediates.iter().any(|c| is_self_issued(c)) {
                    "self-signed certificate in certificate chain"
                } else {
                    "unable to get local issuer certificate"
                };
                rustls::Error::General(reason.into())
            }
            other => other,
        })
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls_pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls_pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Reads one DER TLV at the start of `der`: (tag, contents, rest).
fn der_tlv(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        (
            rest[..n]
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | *b as usize),
            &rest[n..],
        )
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// True when the certificate's issuer name equals its subject name.
fn is_self_issued(cert: &[u8]) -> bool {
    let parse = || -> Option<bool> {
        let (_, certificate, _) = der_tlv(cert)?;
        let (_, tbs, _) = der_tlv(certificate)?;
        let (tag, _, mut rest) = der_tlv(tbs)?;
        if tag == 0xa0 {
            rest = der_tlv(rest)?.2; // the serial number follows the explicit version
        }
        let rest = der_tlv(rest)?.2; // signature algorithm
        let (_, issuer, rest) = der_tlv(rest)?;
        let rest = der_tlv(rest)?.2; // validity
        let (_, subject, _) = der_tlv(rest)?;
        Some(issuer == subject)
    };
    parse().unwrap_or(false)
}

/// `--no-verify-ssl`: accept any certificate (signatures are still checked for the handshake).
#[derive(Debug)]
struct NoVerification(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for NoVerification {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls_pki_types::CertificateDer<'_>,
        _intermediates: &[rustls_pki_types::CertificateDer<'_>],
        _server_name: &rustls_pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls_pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls_pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls_pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls_like_urlsplit() {
        let u = Url::parse("http://127.0.0.1:8123/some/path?z=1#frag").expect("valid");
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str(), u.query.as_str()),
            ("127.0.0.1", 8123, "/some/path", "z=1")
        );
        assert_eq!(u.host_header(), "127.0.0.1:8123");
        let u = Url::parse("https://lightsail.us-west-2.amazonaws.com").expect("valid");
        assert_eq!(
            (u.port, u.path.as_str(), u.host_header().as_str()),
            (443, "/", "lightsail.us-west-2.amazonaws.com")
        );
        let u = Url::parse("http://[::1]:99/").expect("valid");
        assert_eq!(
            (u.host.as_str(), u.host_header().as_str()),
            ("::1", "[::1]:99")
        );
        assert!(Url::parse("ftp://x/").is_none());
        assert_eq!(
            io_error_text(&io::Error::from_raw_os_error(2)),
            "[Errno 2] No such file or directory"
        );
    }

    /// A loopback server that answers every request of a connection with `answers[n]` for its nth
    /// connection (closing after the answer when it is the connection's last), and reports how many
    /// connections it accepted and the requests each carried.
    fn serve(answers: Vec<Vec<&'static str>>) -> (Url, std::thread::JoinHandle<Vec<usize>>) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("loopback");
        let url = Url::parse(&format!(
            "http://{}/",
            listener.local_addr().expect("bound")
        ))
        .expect("url");
        let handle = std::thread::spawn(move || {
            let mut counts = Vec::new();
            for script in answers {
                let (stream, _) = listener.accept().expect("accept");
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut writer = stream;
                let mut served = 0;
                for answer in script {
                    // Request head, then its Content-Length body.
                    let mut length = 0;
                    loop {
                        let mut line = String::new();
                        reader.read_line(&mut line).expect("request line");
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().expect("length");
                        }
                        if line == "\r\n" {
                            break;
                        }
                    }
                    let mut body = vec![0; length];
                    reader.read_exact(&mut body).expect("body");
                    writer.write_all(answer.as_bytes()).expect("answer");
                    served += 1;
                }
                counts.push(served);
            }
            counts
        });
        (url, handle)
    }

    fn post(url: &Url, pool: &mut Pool) -> Result<Response, TransportError> {
        let opts = TransportOptions {
            connect_timeout: Some(Duration::from_secs(5)),
            read_timeout: Some(Duration::from_secs(5)),
            verify: &Verify::Default,
        };
        let headers = vec![("Content-Length".to_string(), "2".to_string())];
        send_pooled(url, "POST", &headers, b"{}", &opts, pool)
    }

    const KEEP: &str = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
    const CLOSE: &str = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}";
    const OLD: &str = "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}";
    const OLD_KEPT: &str =
        "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\n{}";

    #[test]
    fn a_pool_sends_consecutive_requests_over_one_connection() {
        let (url, server) = serve(vec![vec![KEEP, KEEP, KEEP]]);
        let mut pool = Pool::default();
        assert_eq!(pool.next_for(&url), NextConnection::New(1));
        post(&url, &mut pool).expect("first");
        for _ in 0..2 {
            assert_eq!(pool.next_for(&url), NextConnection::Reuse);
            assert_eq!(post(&url, &mut pool).expect("again").body, b"{}");
        }
        drop(pool);
        assert_eq!(server.join().expect("server"), vec![3]);
    }

    #[test]
    fn a_connection_the_response_closes_is_not_reused() {
        // `Connection: close`, then HTTP/1.0 without keep-alive: a new connection after each.
        let (url, server) = serve(vec![vec![CLOSE], vec![OLD], vec![OLD_KEPT, KEEP]]);
        let mut pool = Pool::default();
        for n in 1..=3 {
            assert_eq!(pool.next_for(&url), NextConnection::New(n));
            post(&url, &mut pool).expect("answered");
        }
        // HTTP/1.0 with `Connection: Keep-Alive` keeps it, as http.client does.
        assert_eq!(pool.next_for(&url), NextConnection::Reuse);
        post(&url, &mut pool).expect("answered again");
        drop(pool);
        assert_eq!(server.join().expect("server"), vec![1, 1, 2]);
    }

    #[test]
    fn an_idle_connection_the_peer_closed_is_reset() {
        // The server closes after one answer without saying so: the idle connection is found dropped
        // and reconnected (urllib3's "Resetting dropped connection"), not counted as a new one.
        let (url, server) = serve(vec![vec![KEEP], vec![KEEP, KEEP]]);
        let mut pool = Pool::default();
        assert_eq!(pool.next_for(&url), NextConnection::New(1));
        post(&url, &mut pool).expect("first");
        // Wait for the server to have closed its end (it moves on to the next accept).
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        let mut next = pool.next_for(&url);
        while next == NextConnection::Reuse && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
            next = pool.next_for(&url);
        }
        assert_eq!(next, NextConnection::Reset);
        post(&url, &mut pool).expect("second, on a new socket");
        // The server waits for this connection's second request: it is still open.
        assert_eq!(pool.next_for(&url), NextConnection::Reuse);
        post(&url, &mut pool).expect("third, on the same socket");
        drop(pool);
        assert_eq!(server.join().expect("server"), vec![1, 2]);
    }
}
