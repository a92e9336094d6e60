//! The emulator's own cost per call and per page as the state grows: N instance snapshots (default
//! 100 and 20,000), in memory and with a state file. Run with
//! `cargo run --release -p lightsail-emulator --example scale [N]...`; the numbers are in
//! docs/robustness.md ("Emulator at scale").
//!
//! Requests are signed before the clock starts and sent over one keep-alive loopback connection, so
//! what is timed is the emulator (parse, SigV4, validation, transaction, response layer, write) plus a
//! loopback round trip. Each figure is the median of its repetitions.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use lightsail_emulator::http::Request;
use lightsail_emulator::{clock, sigv4, Config, Durability};

struct Client {
    reader: BufReader<TcpStream>,
    port: u16,
}

impl Client {
    fn connect(port: u16) -> Client {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.set_nodelay(true).unwrap();
        Client {
            reader: BufReader::new(stream),
            port,
        }
    }

    /// A signed request's bytes (keep-alive).
    fn prepare(&self, operation: &str, body: &str) -> Vec<u8> {
        let mut request = Request {
            method: "POST".into(),
            target: "/".into(),
            version: "HTTP/1.1".into(),
            headers: vec![
                ("Host".into(), format!("127.0.0.1:{}", self.port)),
                ("Content-Type".into(), "application/x-amz-json-1.1".into()),
                (
                    "X-Amz-Target".into(),
                    format!("Lightsail_20161128.{operation}"),
                ),
            ],
            body: body.as_bytes().to_vec(),
        };
        sigv4::sign(
            &mut request,
            lightsail_emulator::EXAMPLE_ACCESS_KEY_ID,
            lightsail_emulator::EXAMPLE_SECRET_ACCESS_KEY,
            "us-west-2",
            &clock::amz_date(clock::real_now() as i64),
        );
        let mut out = "POST / HTTP/1.1\r\n".to_string();
        for (k, v) in &request.headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str(&format!("Content-Length: {}\r\n\r\n", request.body.len()));
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(&request.body);
        bytes
    }

    /// Sends prepared bytes, reads the answer: (status, body, elapsed).
    fn send(&mut self, bytes: &[u8]) -> (u16, Vec<u8>, Duration) {
        let started = Instant::now();
        self.reader.get_mut().write_all(bytes).unwrap();
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        let status: u16 = line[9..12].parse().unwrap();
        let mut length = 0;
        loop {
            let mut header = String::new();
            self.reader.read_line(&mut header).unwrap();
            if header == "\r\n" {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap();
                }
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).unwrap();
        (status, body, started.elapsed())
    }

    fn call(&mut self, operation: &str, body: &str) -> (Vec<u8>, Duration) {
        let bytes = self.prepare(operation, body);
        let (status, body, elapsed) = self.send(&bytes);
        assert_eq!(
            status,
            200,
            "{operation}: {}",
            String::from_utf8_lossy(&body)
        );
        (body, elapsed)
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn micros(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1e6)
}

struct Row {
    n: usize,
    storage: &'static str,
    populate: Duration,
    create: Duration,
    get: Duration,
    first_page: Duration,
    last_page: Duration,
    operations_page: Duration,
    full_listing: Duration,
    pages: usize,
}

fn measure(n: usize, state_file: Option<std::path::PathBuf>) -> Row {
    let storage = if state_file.is_some() {
        "state file"
    } else {
        "memory"
    };
    let emulator = lightsail_emulator::start(Config {
        page_size: 100,
        state_file: state_file.clone(),
        durability: Durability::Process,
        ..Config::default()
    })
    .expect("emulator starts");
    let mut client = Client::connect(emulator.port());
    let started = Instant::now();
    for i in 0..n {
        let body =
            format!(r#"{{"instanceName": "WordPress-1", "instanceSnapshotName": "s-{i:06}"}}"#);
        client.call("CreateInstanceSnapshot", &body);
    }
    let populate = started.elapsed();
    let create = median(
        (0..200)
            .map(|i| {
                let body = format!(
                    r#"{{"instanceName": "WordPress-1", "instanceSnapshotName": "extra-{i:04}"}}"#
                );
                client.call("CreateInstanceSnapshot", &body).1
            })
            .collect(),
    );
    let total = n + 200;
    let get = median(
        (0..300)
            .map(|i| {
                let body = format!(r#"{{"instanceSnapshotName": "s-{:06}"}}"#, (i * 7919) % n);
                client.call("GetInstanceSnapshot", &body).1
            })
            .collect(),
    );
    let first_page = median(
        (0..100)
            .map(|_| client.call("GetInstanceSnapshots", "{}").1)
            .collect(),
    );
    let last_token = format!(
        r#"{{"pageToken": "lightsail-emulator-page-{}"}}"#,
        total - 100
    );
    let last_page = median(
        (0..100)
            .map(|_| client.call("GetInstanceSnapshots", &last_token).1)
            .collect(),
    );
    let operations_page = median(
        (0..100)
            .map(|_| client.call("GetOperations", "{}").1)
            .collect(),
    );
    // The whole listing, page by page, as a client pages through it.
    let started = Instant::now();
    let mut token: Option<String> = None;
    let mut pages = 0;
    let mut items = 0;
    loop {
        let body = match &token {
            Some(t) => format!(r#"{{"pageToken": "{t}"}}"#),
            None => "{}".to_string(),
        };
        let (answer, _) = client.call("GetInstanceSnapshots", &body);
        let json: serde_json::Value = serde_json::from_slice(&answer).unwrap();
        items += json["instanceSnapshots"].as_array().unwrap().len();
        pages += 1;
        match json["nextPageToken"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    let full_listing = started.elapsed();
    assert_eq!(items, total);
    drop(client);
    emulator.shutdown();
    if let Some(path) = state_file {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
    Row {
        n,
        storage,
        populate,
        create,
        get,
        first_page,
        last_page,
        operations_page,
        full_listing,
        pages,
    }
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![100, 20_000]
    } else {
        sizes
    };
    let dir = std::env::temp_dir().join(format!("emulator-scale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    println!("| snapshots | state | create (µs) | get one (µs) | first page of 100 (µs) | last page of 100 (µs) | GetOperations page (µs) | all pages (ms) | per page (µs) | populating (µs/create) |");
    println!("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for &n in &sizes {
        for file in [false, true] {
            let state = file.then(|| dir.join(format!("state-{n}.db")));
            let row = measure(n, state);
            println!(
                "| {} | {} | {} | {} | {} | {} | {} | {:.1} | {:.0} | {:.0} |",
                row.n,
                row.storage,
                micros(row.create),
                micros(row.get),
                micros(row.first_page),
                micros(row.last_page),
                micros(row.operations_page),
                row.full_listing.as_secs_f64() * 1e3,
                row.full_listing.as_secs_f64() * 1e6 / row.pages as f64,
                row.populate.as_secs_f64() * 1e6 / row.n as f64,
            );
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}
