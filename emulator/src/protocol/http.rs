//! A minimal HTTP/1.1 request reader and response writer over any byte stream.
//!
//! Hand-written rather than built on a server crate because the fault injector needs raw control of
//! the wire: answering with a `Content-Length` larger than the body, closing without answering, or
//! sending a body that is not what the headers promise. It reads `Content-Length` bodies (no chunked
//! uploads: no AWS SDK sends them for JSON services), answers `Expect: 100-continue`, supports
//! keep-alive, and bounds both the header block and the body.

use std::io::{self, BufRead, BufReader, Read, Write};

/// Largest accepted header block (request line included).
pub const MAX_HEADER_BYTES: usize = 64 * 1024;
/// Largest accepted body.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// One parsed request.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    /// The request target as sent (`/path?query`).
    pub target: String,
    pub version: String,
    /// Header names as sent, in order; look-ups are case-insensitive.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Every value of a header, in order.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The path part of the target.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The raw query string (without `?`), empty when there is none.
    pub fn query(&self) -> &str {
        self.target.split_once('?').map(|(_, q)| q).unwrap_or("")
    }

    /// Whether the client wants the connection kept open after this exchange.
    pub fn keep_alive(&self) -> bool {
        match self.header("connection") {
            Some(value) if value.eq_ignore_ascii_case("close") => false,
            Some(value) if value.eq_ignore_ascii_case("keep-alive") => true,
            _ => self.version == "HTTP/1.1",
        }
    }
}

/// Why no request could be read.
#[derive(Debug)]
pub enum ReadError {
    /// The peer closed the connection before sending a request line.
    Closed,
    /// The header block exceeded [`MAX_HEADER_BYTES`] (answered with 431).
    HeadersTooLarge,
    /// The body exceeded [`MAX_BODY_BYTES`] (answered with 413).
    BodyTooLarge,
    /// The request is not HTTP/1.x we can read (answered with 400).
    Malformed(&'static str),
    /// A body framing we do not accept (answered with 411).
    LengthRequired,
    Io(io::Error),
}

impl From<io::Error> for ReadError {
    fn from(error: io::Error) -> Self {
        ReadError::Io(error)
    }
}

fn read_line<R: BufRead>(reader: &mut R, budget: &mut usize) -> Result<Vec<u8>, ReadError> {
    let mut line = Vec::new();
    let limit = (*budget as u64).saturating_add(1);
    let read = reader.by_ref().take(limit).read_until(b'\n', &mut line)?;
    if read > *budget {
        return Err(ReadError::HeadersTooLarge);
    }
    *budget -= read;
    if line.last() == Some(&b'\n') {
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
    } else if read > 0 {
        return Err(ReadError::Malformed("truncated header line"));
    }
    Ok(line)
}

/// Reads one request, answering `Expect: 100-continue` on the same stream.
pub fn read_request<S: Read + Write>(reader: &mut BufReader<S>) -> Result<Request, ReadError> {
    let mut budget = MAX_HEADER_BYTES;
    let mut request_line = read_line(reader, &mut budget)?;
    // Tolerate blank lines between pipelined requests, as RFC 9112 allows.
    while request_line.is_empty() {
        if budget == MAX_HEADER_BYTES {
            // Nothing at all was read: a clean close between requests.
            let peek = reader.fill_buf()?;
            if peek.is_empty() {
                return Err(ReadError::Closed);
            }
        }
        request_line = read_line(reader, &mut budget)?;
        if budget == 0 {
            return Err(ReadError::HeadersTooLarge);
        }
    }
    let request_line =
        String::from_utf8(request_line).map_err(|_| ReadError::Malformed("request line"))?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Malformed("request line"));
    };
    if !version.starts_with("HTTP/1.") || method.is_empty() || target.is_empty() {
        return Err(ReadError::Malformed("request line"));
    }
    let mut request = Request {
        method: method.to_string(),
        target: target.to_string(),
        version: version.to_string(),
        ..Request::default()
    };
    loop {
        let line = read_line(reader, &mut budget)?;
        if line.is_empty() {
            break;
        }
        let line = String::from_utf8(line).map_err(|_| ReadError::Malformed("header"))?;
        let Some((name, value)) = line.split_once(':') else {
            return Err(ReadError::Malformed("header"));
        };
        if name.is_empty() || name.contains(' ') {
            return Err(ReadError::Malformed("header"));
        }
        request
            .headers
            .push((name.to_string(), value.trim().to_string()));
    }
    if request.header("transfer-encoding").is_some() {
        return Err(ReadError::LengthRequired);
    }
    let length = match request.header("content-length") {
        None => 0,
        Some(text) => text
            .parse::<usize>()
            .map_err(|_| ReadError::Malformed("content-length"))?,
    };
    if length > MAX_BODY_BYTES {
        return Err(ReadError::BodyTooLarge);
    }
    if length > 0
        && request
            .header("expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
    {
        let stream = reader.get_mut();
        stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        stream.flush()?;
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body)?;
    request.body = body;
    Ok(request)
}

/// One response to write.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".to_string(), content_type.to_string())],
            body,
        }
    }

    pub fn text(status: u16, body: &str) -> Response {
        Response::new(status, "text/plain", body.as_bytes().to_vec())
    }

    pub fn json(status: u16, body: &serde_json::Value) -> Response {
        Response::new(status, "application/json", body.to_string().into_bytes())
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// The reason phrase for the statuses the emulator sends.
pub fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Payload Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

/// Writes the status line and headers, with `Content-Length: declared_length`.
pub fn write_head<W: Write>(
    writer: &mut W,
    response: &Response,
    declared_length: usize,
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {declared_length}\r\n"));
    if !keep_alive {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    writer.write_all(head.as_bytes())
}

/// Writes a complete response.
pub fn write_response<W: Write>(
    writer: &mut W,
    response: &Response,
    keep_alive: bool,
) -> io::Result<()> {
    write_head(writer, response, response.body.len(), keep_alive)?;
    writer.write_all(&response.body)?;
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn parse(raw: &[u8]) -> Result<Request, ReadError> {
        let mut reader = BufReader::new(Cursor::new(raw.to_vec()));
        read_request(&mut reader)
    }

    #[test]
    fn reads_a_post() {
        let request =
            parse(b"POST /?a=b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}").unwrap();
        assert_eq!(request.method, "POST");
        assert_eq!(request.path(), "/");
        assert_eq!(request.query(), "a=b");
        assert_eq!(request.header("HOST"), Some("x"));
        assert_eq!(request.body, b"{}");
    }

    #[test]
    fn bounds_sizes() {
        let big = format!(
            "GET / HTTP/1.1\r\nX: {}\r\n\r\n",
            "a".repeat(MAX_HEADER_BYTES)
        );
        assert!(matches!(
            parse(big.as_bytes()),
            Err(ReadError::HeadersTooLarge)
        ));
        let long = format!(
            "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY_BYTES + 1
        );
        assert!(matches!(
            parse(long.as_bytes()),
            Err(ReadError::BodyTooLarge)
        ));
        assert!(matches!(parse(b""), Err(ReadError::Closed)));
        assert!(matches!(
            parse(b"nonsense\r\n\r\n"),
            Err(ReadError::Malformed(_))
        ));
    }
}
