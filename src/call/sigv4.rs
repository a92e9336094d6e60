//! AWS Signature Version 4 for a JSON POST, as botocore's `SigV4Auth` computes it.
//!
//! Written here on `hmac` + `sha2` rather than with the `aws-sigv4` crate: that crate pulls in the
//! smithy runtime types, `http` (two versions), `time`, `tracing` and more, which costs start-up time and
//! binary size for what is ~100 lines of hashing. botocore signs `content-type`, `host`, `x-amz-date`,
//! `x-amz-target` (every header except `user-agent`, `expect`, `x-amzn-trace-id`, `amz-sdk-*`), plus
//! `x-amz-security-token` when there is a session token; the payload hash is the hex SHA-256 of the body.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// The secret parts of a signing key. `Debug` hides them.
pub struct SigningKeys<'a> {
    pub access_key: &'a str,
    pub secret_key: &'a str,
}

/// What the signer needs of the request.
pub struct SigningInput<'a> {
    pub method: &'a str,
    /// The URL path as sent (before normalization and quoting).
    pub path: &'a str,
    /// The raw query string without `?` (may be empty).
    pub query: &'a str,
    /// Headers to sign (names as sent); unsignable ones are filtered here.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    /// `YYYYMMDDTHHMMSSZ`.
    pub amz_date: &'a str,
    pub region: &'a str,
    pub service: &'a str,
}

/// The parts of a signature; `canonical_request` and `string_to_sign` are safe to log.
pub struct Signature {
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signed_headers: String,
    pub signature: String,
    pub authorization: String,
}

/// Headers botocore never signs (`SIGNED_HEADERS_BLACKLIST` plus the SDK's own).
fn is_signable(name: &str) -> bool {
    !matches!(
        name.to_ascii_lowercase().as_str(),
        "expect"
            | "user-agent"
            | "x-amzn-trace-id"
            | "amz-sdk-invocation-id"
            | "amz-sdk-request"
            | "transfer-encoding"
    )
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any size"),
    };
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Python's `urllib.parse.quote(s, safe=SAFE)`: unreserved characters and `safe` stay, the rest is %XX.
pub fn uri_quote(s: &str, safe: &str) -> String {
    quote_bytes(s.as_bytes(), safe)
}

fn quote_bytes(bytes: &[u8], safe: &str) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || safe.as_bytes().contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// botocore's `_normalize_url_path`: remove `.` and `..` segments, keep a trailing slash.
fn normalize_path(path: &str) -> String {
    if path.is_empty() {
        return "/".into();
    }
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if path.ends_with('/') && out != "/" {
        out.push('/');
    }
    out
}

/// `%XX` escapes decoded (anything else kept as is), as `urllib.parse.unquote_to_bytes` does.
fn percent_decode(s: &str) -> Vec<u8> {
    let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16)).map(|d| d as u8);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
            (b'%', Some(high), Some(low)) => {
                out.push(high * 16 + low);
                i += 3;
            }
            (b, ..) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// botocore's `_canonical_query_string_params`: `k=v` pairs of the (decoded) query, each side quoted
/// with `safe='-_.~'`, sorted by key and then value. (The CLI's Lightsail and STS requests have no query;
/// this follows the AWS SigV4 test suite, which `tests/sigv4_test_suite.rs` runs.)
fn canonical_query(query: &str) -> String {
    if query.is_empty() {
        return String::new();
    }
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (
                quote_bytes(&percent_decode(k), "-_.~"),
                quote_bytes(&percent_decode(v), "-_.~"),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Signs the request; returns the `Authorization` header value and the logged intermediate strings.
pub fn sign(input: &SigningInput<'_>, keys: &SigningKeys<'_>) -> Signature {
    let mut headers: Vec<(String, String)> = input
        .headers
        .iter()
        .filter(|(name, _)| is_signable(name))
        .map(|(name, value)| {
            (
                name.to_ascii_lowercase(),
                value.split_whitespace().collect::<Vec<_>>().join(" "),
            )
        })
        .collect();
    // A stable sort keeps repeated headers in the order sent; botocore joins their values with `,`.
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    headers.dedup_by(|later, first| {
        let same = later.0 == first.0;
        if same {
            first.1.push(',');
            first.1.push_str(&later.1);
        }
        same
    });
    let mut canonical_headers = String::new();
    for (name, value) in &headers {
        canonical_headers.push_str(name);
        canonical_headers.push(':');
        canonical_headers.push_str(value);
        canonical_headers.push('\n');
    }
    let signed_headers = headers
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        input.method,
        uri_quote(&normalize_path(input.path), "/~"),
        canonical_query(input.query),
        canonical_headers,
        signed_headers,
        sha256_hex(input.body)
    );
    let date = &input.amz_date[..8.min(input.amz_date.len())];
    let scope = format!("{date}/{}/{}/aws4_request", input.region, input.service);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{}\n{scope}\n{}",
        input.amz_date,
        sha256_hex(canonical_request.as_bytes())
    );
    let k_date = hmac(
        format!("AWS4{}", keys.secret_key).as_bytes(),
        date.as_bytes(),
    );
    let k_region = hmac(&k_date, input.region.as_bytes());
    let k_service = hmac(&k_region, input.service.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    let signature = hex(&hmac(&k_signing, string_to_sign.as_bytes()));
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        keys.access_key
    );
    Signature {
        canonical_request,
        string_to_sign,
        signed_headers,
        signature,
        authorization,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `get-vanilla` case of the AWS SigV4 test suite (published expected signature).
    #[test]
    fn aws_test_suite_get_vanilla() {
        let headers = vec![
            ("Host".to_owned(), "example.amazonaws.com".to_owned()),
            ("X-Amz-Date".to_owned(), "20150830T123600Z".to_owned()),
        ];
        let sig = sign(
            &SigningInput {
                method: "GET",
                path: "/",
                query: "",
                headers: &headers,
                body: b"",
                amz_date: "20150830T123600Z",
                region: "us-east-1",
                service: "service",
            },
            &SigningKeys {
                access_key: "AKIDEXAMPLE",
                secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            },
        );
        assert_eq!(
            sig.signature,
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
        assert_eq!(sig.signed_headers, "host;x-amz-date");
    }

    #[test]
    fn paths_and_queries_are_canonical() {
        assert_eq!(normalize_path("/a/./b/../c/"), "/a/c/");
        assert_eq!(normalize_path(""), "/");
        assert_eq!(canonical_query("z=1&a=b c&a=a"), "a=a&a=b%20c&z=1");
        assert_eq!(uri_quote("/a b/~x", "/~"), "/a%20b/~x");
    }
}
