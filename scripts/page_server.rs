//! The serving half of scripts/page_server.py: answers `GetInstanceSnapshots` on loopback from pages
//! encoded in advance, so that a page costs a header parse, a token look-up and one write whatever the
//! size of the listing. Written in Rust (std only, built by page_server.py with `rustc -O`) because a
//! Python server adds about a millisecond a page on a busy machine, more than our client spends on one.
//!
//! Arguments: one directory per listing, each holding `1.json`, `2.json`, ... (the bodies of pages 1, 2,
//! ...; page k > 1 is asked for with `{"pageToken": "page-k"}`). Prints `DIR http://127.0.0.1:PORT` per
//! directory, then `ready`, and serves until stdin closes. One thread per listening port, connections
//! served one after the other (both clients make their requests one at a time); a connection idle for
//! 10 s is dropped.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

const REQUEST_ID: &str = "4f1c7bd2-9c37-4e6b-8a0e-5a4c2b9d3e10";
const TARGET: &str = "Lightsail_20161128.GetInstanceSnapshots";

fn response(status: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nx-amzn-RequestId: {REQUEST_ID}\r\n\
         Content-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

fn bad_request(message: &str) -> Vec<u8> {
    let body = format!(
        "{{\"__type\": \"InvalidInputException\", \"message\": \"{}\"}}",
        message.replace(['"', '\\'], "'")
    );
    response("400 Bad Request", body.as_bytes())
}

/// The `pageToken` of a request body such as `{"pageToken": "page-3"}` (`None` for `{}`).
fn page_token(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let rest = &text[text.find("\"pageToken\"")? + "\"pageToken\"".len()..];
    let rest = &rest[rest.find('"')? + 1..];
    Some(rest[..rest.find('"')?].to_string())
}

fn serve(stream: TcpStream, pages: &HashMap<Option<String>, Vec<u8>>) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let (mut length, mut target) = (0usize, String::new());
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                } else if name.eq_ignore_ascii_case("x-amz-target") {
                    target = value.trim().to_string();
                }
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        let token = page_token(&body);
        let refused;
        let answer: &[u8] = match pages.get(&token) {
            Some(answer) if target == TARGET => answer,
            Some(_) => {
                refused = bad_request(&format!("page_server answers {TARGET} only, not {target}"));
                &refused
            }
            None => {
                refused = bad_request(&format!("unknown pageToken {token:?}"));
                &refused
            }
        };
        writer.write_all(answer)?;
    }
}

fn main() -> std::io::Result<()> {
    for dir in std::env::args().skip(1) {
        let mut pages = HashMap::new();
        for number in 1.. {
            let Ok(body) = std::fs::read(format!("{dir}/{number}.json")) else {
                break;
            };
            let token = (number > 1).then(|| format!("page-{number}"));
            pages.insert(token, response("200 OK", &body));
        }
        let pages = Arc::new(pages);
        let listener = TcpListener::bind("127.0.0.1:0")?;
        println!("{dir} http://127.0.0.1:{}", listener.local_addr()?.port());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = serve(stream, &pages);
            }
        });
    }
    println!("ready");
    std::io::stdout().flush()?;
    // Until the parent closes our stdin.
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    Ok(())
}
