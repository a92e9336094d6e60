//! Runs AWS's Signature Version 4 test suite (vendored in `tests/data/sigv4/aws4_testsuite/` from
//! botocore 1.43.11, Apache-2.0, provenance in its README) through our signer, `call::sigv4::sign`:
//! every case's `Authorization` header must be the published one, and on a mismatch the canonical
//! request is compared first so the failure says where. The harness prepares each request as botocore's
//! own `tests/unit/auth/test_sigv4.py` does (the raw request parsed, the session token taken from the
//! expected canonical request and added as `X-Amz-Security-Token`).

use lightsail_cli::call::sigv4::{sign, SigningInput, SigningKeys};
use std::path::{Path, PathBuf};

const SUITE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/sigv4/aws4_testsuite"
);
const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const AMZ_DATE: &str = "20150830T123600Z";
/// Every `.req` file of the suite: a change in the vendored data must be deliberate.
const EXPECTED_CASES: usize = 34;

fn cases(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("suite dir is readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            cases(&path, out);
        } else if path.extension().is_some_and(|e| e == "req") {
            out.push(path.with_extension(""));
        }
    }
}

/// A raw request of the suite: `METHOD TARGET HTTP/1.1`, `Name:value` headers (continuation lines
/// start with whitespace), a blank line, the body.
struct RawRequest {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn parse_request(text: &str) -> RawRequest {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let request_line = lines.next().expect("request line");
    let (method, rest) = request_line.split_once(' ').expect("method");
    let target = rest.strip_suffix(" HTTP/1.1").expect("HTTP/1.1");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().expect("a continuation follows a header");
            last.1.push('\n');
            last.1.push_str(line);
        } else {
            let (name, value) = line.split_once(':').expect("Name:value");
            headers.push((name.to_string(), value.to_string()));
        }
    }
    RawRequest {
        method: method.to_string(),
        path: path.to_string(),
        query: query.to_string(),
        headers,
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn aws_sigv4_test_suite_signatures_match() {
    let mut all = Vec::new();
    cases(Path::new(SUITE), &mut all);
    all.sort();
    assert_eq!(all.len(), EXPECTED_CASES, "cases in the vendored suite");
    let mut failures = Vec::new();
    for case in &all {
        let read = |ext: &str| {
            std::fs::read_to_string(case.with_extension(ext))
                .unwrap_or_else(|e| panic!("{}.{ext}: {e}", case.display()))
                .replace('\r', "")
        };
        let expected_creq = read("creq");
        let expected_authz = read("authz");
        let mut request = parse_request(&read("req"));
        let token = expected_creq
            .lines()
            .find_map(|l| l.strip_prefix("x-amz-security-token:"));
        if let Some(token) = token {
            request
                .headers
                .retain(|(n, _)| !n.eq_ignore_ascii_case("x-amz-security-token"));
            request
                .headers
                .push(("X-Amz-Security-Token".into(), token.to_string()));
        }
        let signature = sign(
            &SigningInput {
                method: &request.method,
                path: &request.path,
                query: &request.query,
                headers: &request.headers,
                body: &request.body,
                amz_date: AMZ_DATE,
                region: "us-east-1",
                service: "service",
            },
            &SigningKeys {
                access_key: ACCESS_KEY,
                secret_key: SECRET_KEY,
            },
        );
        let name = case
            .strip_prefix(SUITE)
            .unwrap_or(case)
            .display()
            .to_string();
        if signature.authorization != expected_authz {
            failures.push(if signature.canonical_request != expected_creq {
                format!(
                    "{name}: canonical request\n  ours:     {:?}\n  expected: {expected_creq:?}",
                    signature.canonical_request
                )
            } else {
                format!(
                    "{name}: authorization\n  ours:     {:?}\n  expected: {expected_authz:?}",
                    signature.authorization
                )
            });
        }
    }
    println!(
        "sigv4 test suite: {}/{} signatures match",
        all.len() - failures.len(),
        all.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
