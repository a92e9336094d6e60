//! What the official-SDK tests (`sdk.rs`, `compute_sdk.rs`) share: a client made the way a user makes
//! one (aws-config's loader with the emulator's URL, a region and the emulator's example keys), and the
//! emulator's clock moved through its admin endpoint.
#![allow(dead_code)]

use aws_sdk_lightsail::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_lightsail::Client;
use lightsail_emulator::{EXAMPLE_ACCESS_KEY_ID, EXAMPLE_SECRET_ACCESS_KEY};

/// What a user writes: aws-config's loader with the emulator's URL, a region and static test keys.
pub async fn client(url: &str, region: &str) -> Client {
    let config = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(url)
        .region(Region::new(region.to_string()))
        .credentials_provider(Credentials::new(
            EXAMPLE_ACCESS_KEY_ID,
            EXAMPLE_SECRET_ACCESS_KEY,
            None,
            None,
            "lightsail-emulator-test",
        ))
        .load()
        .await;
    Client::new(&config)
}

/// `POST /_emulator/clock` (std only: the emulator's admin endpoints need no SDK).
pub fn advance(url: &str, seconds: f64) {
    use std::io::{Read, Write};
    let address = url.strip_prefix("http://").expect("an http:// URL");
    let mut stream = std::net::TcpStream::connect(address).expect("the emulator accepts");
    let body = format!("{{\"advance\": {seconds}}}");
    write!(
        stream,
        "POST /_emulator/clock HTTP/1.1\r\nHost: {address}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("the request is written");
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .expect("the answer is read");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
