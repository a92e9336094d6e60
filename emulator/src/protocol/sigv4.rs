//! Verification of AWS Signature Version 4 (`Authorization: AWS4-HMAC-SHA256 ...`) requests.
//!
//! The canonical request is rebuilt from the request exactly as botocore builds it: the path
//! normalized and URI-encoded once more (non-S3 services double-encode), the query pairs sorted as sent,
//! the headers named in `SignedHeaders` with runs of whitespace collapsed, and the SHA-256 of the body.
//! Errors are the ones AWS's front end answers with, in the order it checks: missing or malformed
//! authorization, unknown access key or session token, the 15-minute clock-skew window (always against
//! the real clock), the credential scope, then the signature itself.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::engine::clock;
use crate::error::ApiError;
use crate::protocol::http::Request;

type HmacSha256 = Hmac<Sha256>;

/// The signing name of the service.
pub const SERVICE: &str = "lightsail";
/// How far `X-Amz-Date` may be from the real clock.
pub const MAX_SKEW_SECONDS: i64 = 15 * 60;

/// A verified request's identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub access_key_id: String,
    /// The credential scope's region: where the caller's state lives.
    pub region: String,
}

/// The parts of an `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    pub access_key_id: String,
    pub scope_date: String,
    pub scope_region: String,
    pub scope_service: String,
    pub scope_terminator: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

/// The session token the emulator's credential endpoints hand out with a key.
pub fn session_token_for(access_key_id: &str) -> String {
    let digest = Sha256::digest(format!("lightsail-emulator-session:{access_key_id}").as_bytes());
    format!("EMULATORSESSION{}", hex(&digest))
}

/// The signed-header names of a request (empty when it is unsigned or unparsable).
pub fn signed_header_names(request: &Request) -> Vec<String> {
    request
        .header("authorization")
        .and_then(|value| parse_authorization(value).ok())
        .map(|auth| auth.signed_headers)
        .unwrap_or_default()
}

/// The `Signature=` value of a request's `Authorization` header, as sent (`None` when there is none).
pub fn signature_of(request: &Request) -> Option<String> {
    let value = request.header("authorization")?;
    value
        .split([',', ' '])
        .find_map(|part| part.trim().strip_prefix("Signature="))
        .map(str::to_string)
}

/// Parses `AWS4-HMAC-SHA256 Credential=.../.../.../.../aws4_request, SignedHeaders=a;b, Signature=hex`.
pub fn parse_authorization(value: &str) -> Result<Authorization, ApiError> {
    let (algorithm, rest) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
    if algorithm != "AWS4-HMAC-SHA256" {
        return Err(ApiError::incomplete_signature(format!(
            "Unsupported AWS 'algorithm': '{algorithm}'"
        )));
    }
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        let Some((key, val)) = part.trim().split_once('=') else {
            continue;
        };
        match key.trim() {
            "Credential" => credential = Some(val.trim().to_string()),
            "SignedHeaders" => signed_headers = Some(val.trim().to_string()),
            "Signature" => signature = Some(val.trim().to_string()),
            _ => {}
        }
    }
    let mut missing = String::new();
    for (name, present) in [
        ("Credential", credential.is_some()),
        ("Signature", signature.is_some()),
        ("SignedHeaders", signed_headers.is_some()),
    ] {
        if !present {
            missing.push_str(&format!(
                "Authorization header requires '{name}' parameter. "
            ));
        }
    }
    let (Some(credential), Some(signed_headers), Some(signature)) =
        (credential, signed_headers, signature)
    else {
        return Err(ApiError::incomplete_signature(format!(
            "{missing}Authorization={value}"
        )));
    };
    let pieces: Vec<&str> = credential.split('/').collect();
    let [key, date, region, service, terminator] = pieces[..] else {
        return Err(ApiError::incomplete_signature(format!(
            "Credential should be scoped to a valid region. Authorization={value}"
        )));
    };
    Ok(Authorization {
        access_key_id: key.to_string(),
        scope_date: date.to_string(),
        scope_region: region.to_string(),
        scope_service: service.to_string(),
        scope_terminator: terminator.to_string(),
        signed_headers: signed_headers
            .split(';')
            .map(|h| h.to_ascii_lowercase())
            .collect(),
        signature: signature.to_ascii_lowercase(),
    })
}

/// Verifies a signed request against the configured `(id, secret)` pairs, for one region.
pub fn verify(
    request: &Request,
    keys: &[(String, String)],
    region: &str,
    real_now: i64,
) -> Result<Verified, ApiError> {
    verify_with(request, keys, |scope| scope == region, real_now, None)
}

/// Verifies a signed request against the configured `(id, secret)` pairs; `serves` says which
/// credential-scope regions are accepted (any other is refused as AWS's front end refuses it).
/// `advertised_now` is the time the emulator's `Date` header claims when it is not the real time
/// (deterministic mode): SDKs that correct clock skew from `Date` (the AWS SDK for Rust does) sign
/// with it, so a signature dated within 15 minutes of either clock is current.
pub fn verify_with(
    request: &Request,
    keys: &[(String, String)],
    serves: impl Fn(&str) -> bool,
    real_now: i64,
    advertised_now: Option<i64>,
) -> Result<Verified, ApiError> {
    verify_service(request, keys, serves, real_now, advertised_now, SERVICE)
}

/// [`verify_with`] for requests signed for another service (STS's `sts`, for the identity services).
/// Keys the identity services issued verify as well as the configured ones.
pub fn verify_service(
    request: &Request,
    keys: &[(String, String)],
    serves: impl Fn(&str) -> bool,
    real_now: i64,
    advertised_now: Option<i64>,
    service: &str,
) -> Result<Verified, ApiError> {
    let Some(header) = request.header("authorization") else {
        return Err(ApiError::missing_authentication_token());
    };
    let auth = parse_authorization(header)?;
    let issued;
    let secret = match keys.iter().find(|(id, _)| *id == auth.access_key_id) {
        Some((_, secret)) => secret,
        None => match crate::identity::issued_secret(&auth.access_key_id) {
            Some(secret) => {
                issued = secret;
                &issued
            }
            None => return Err(ApiError::unrecognized_client()),
        },
    };
    if let Some(token) = request.header("x-amz-security-token") {
        if token != session_token_for(&auth.access_key_id) {
            return Err(ApiError::unrecognized_client());
        }
    }
    let Some(amz_date) = request.header("x-amz-date") else {
        return Err(ApiError::incomplete_signature(format!(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. \
             Authorization={header}"
        )));
    };
    let Some(signed_at) = clock::parse_amz_date(amz_date) else {
        return Err(ApiError::incomplete_signature(format!(
            "Date must be in ISO-8601 'basic format'. Got '{amz_date}'. See \
             http://en.wikipedia.org/wiki/ISO_8601"
        )));
    };
    let near_advertised =
        advertised_now.is_some_and(|now| (signed_at - now).abs() <= MAX_SKEW_SECONDS);
    if signed_at < real_now - MAX_SKEW_SECONDS && !near_advertised {
        return Err(ApiError::invalid_signature(format!(
            "Signature expired: {amz_date} is now earlier than {} ({} - 15 min.)",
            clock::amz_date(real_now - MAX_SKEW_SECONDS),
            clock::amz_date(real_now)
        )));
    }
    if signed_at > real_now + MAX_SKEW_SECONDS && !near_advertised {
        return Err(ApiError::invalid_signature(format!(
            "Signature not yet current: {amz_date} is still later than {} ({} + 15 min.)",
            clock::amz_date(real_now + MAX_SKEW_SECONDS),
            clock::amz_date(real_now)
        )));
    }
    if auth.scope_date != amz_date[..8] {
        return Err(ApiError::invalid_signature(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: \
             '{}' != '{}', from '{amz_date}'.",
            auth.scope_date,
            &amz_date[..8]
        )));
    }
    if !serves(&auth.scope_region) {
        return Err(ApiError::invalid_signature(format!(
            "Credential should be scoped to a valid region, not '{}'. ",
            auth.scope_region
        )));
    }
    if auth.scope_service != service {
        return Err(ApiError::invalid_signature(format!(
            "Credential should be scoped to correct service: '{service}'. "
        )));
    }
    if auth.scope_terminator != "aws4_request" {
        return Err(ApiError::invalid_signature(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{}'. ",
            auth.scope_terminator
        )));
    }
    if !auth.signed_headers.iter().any(|h| h == "host") {
        return Err(ApiError::invalid_signature(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.".to_string(),
        ));
    }
    let body_hash = hex(&Sha256::digest(&request.body));
    if let Some(claimed) = request.header("x-amz-content-sha256") {
        if claimed != "UNSIGNED-PAYLOAD" && claimed != body_hash {
            return Err(ApiError::invalid_signature(
                "The provided 'x-amz-content-sha256' header does not match what was computed."
                    .to_string(),
            ));
        }
    }
    let canonical = canonical_request(request, &auth.signed_headers, &body_hash);
    let scope = format!(
        "{}/{}/{}/{}",
        auth.scope_date, auth.scope_region, auth.scope_service, auth.scope_terminator
    );
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let key = signing_key(
        secret,
        &auth.scope_date,
        &auth.scope_region,
        &auth.scope_service,
    );
    let Ok(expected) = decode_hex(&auth.signature) else {
        return Err(ApiError::signature_mismatch());
    };
    let mut mac = new_mac(&key);
    mac.update(string_to_sign.as_bytes());
    mac.verify_slice(&expected)
        .map_err(|_| ApiError::signature_mismatch())?;
    Ok(Verified {
        access_key_id: auth.access_key_id,
        region: auth.scope_region,
    })
}

fn new_mac(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this never fails; the fallback keeps it panic-free.
    HmacSha256::new_from_slice(key).unwrap_or_else(|_| HmacSha256::new(&Default::default()))
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = new_mac(key);
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The SigV4 signing key for a secret and scope.
pub fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> Vec<u8> {
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date);
    let k_region = hmac(&k_date, region);
    let k_service = hmac(&k_region, service);
    hmac(&k_service, "aws4_request")
}

/// The canonical request for the given signed headers and payload hash.
pub fn canonical_request(
    request: &Request,
    signed_headers: &[String],
    payload_hash: &str,
) -> String {
    let mut canonical_headers = String::new();
    for name in signed_headers {
        let values: Vec<String> = request
            .header_values(name)
            .iter()
            .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method,
        canonical_uri(request.path()),
        canonical_query(request.query()),
        canonical_headers,
        signed_headers.join(";"),
        payload_hash
    )
}

fn canonical_uri(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut normalized = format!("/{}", segments.join("/"));
    if path.ends_with('/') && normalized != "/" {
        normalized.push('/');
    }
    uri_encode(&normalized, "/~")
}

fn canonical_query(query: &str) -> String {
    if query.is_empty() {
        return String::new();
    }
    let mut pairs: Vec<(&str, &str)> = query
        .split('&')
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes everything but unreserved characters and `safe`, as Python's `quote` does.
fn uri_encode(text: &str, safe: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.".contains(&byte) || safe.as_bytes().contains(&byte)
        {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_hex(text: &str) -> Result<Vec<u8>, ()> {
    if !text.len().is_multiple_of(2) {
        return Err(());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2).ok_or(())?, 16).map_err(|_| ()))
        .collect()
}

/// Signs a request in place (tests and tools use this to talk to the emulator).
pub fn sign(
    request: &mut Request,
    access_key_id: &str,
    secret: &str,
    region: &str,
    amz_date: &str,
) {
    request.headers.retain(|(k, _)| {
        !k.eq_ignore_ascii_case("authorization") && !k.eq_ignore_ascii_case("x-amz-date")
    });
    request
        .headers
        .push(("X-Amz-Date".to_string(), amz_date.to_string()));
    let mut signed: Vec<String> = request
        .headers
        .iter()
        .map(|(k, _)| k.to_ascii_lowercase())
        .filter(|k| k != "user-agent" && k != "content-length")
        .collect();
    signed.sort();
    signed.dedup();
    let payload_hash = hex(&Sha256::digest(&request.body));
    let canonical = canonical_request(request, &signed, &payload_hash);
    let date = amz_date.get(..8).unwrap_or(amz_date);
    let scope = format!("{date}/{region}/{SERVICE}/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let signature = hex(&hmac(
        &signing_key(secret, date, region, SERVICE),
        &string_to_sign,
    ));
    request.headers.push((
        "Authorization".to_string(),
        format!(
            "AWS4-HMAC-SHA256 Credential={access_key_id}/{scope}, SignedHeaders={}, Signature={signature}",
            signed.join(";")
        ),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Request {
        Request {
            method: "POST".into(),
            target: "/".into(),
            version: "HTTP/1.1".into(),
            headers: vec![
                ("Host".into(), "127.0.0.1:9".into()),
                ("Content-Type".into(), "application/x-amz-json-1.1".into()),
                (
                    "X-Amz-Target".into(),
                    "Lightsail_20161128.GetInstances".into(),
                ),
            ],
            body: b"{}".to_vec(),
        }
    }

    const KEYS: &[(&str, &str)] = &[("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")];

    fn keys() -> Vec<(String, String)> {
        KEYS.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn the_aws_test_suite_signing_key() {
        // From the published SigV4 example: secret, 20150830, us-east-1, iam.
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20150830",
            "us-east-1",
            "iam",
        );
        assert_eq!(
            hex(&key),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
        );
    }

    #[test]
    fn signed_requests_verify_and_tampering_fails() {
        let now = 1_569_866_438;
        let mut signed = request();
        sign(
            &mut signed,
            "AKIDEXAMPLE",
            KEYS[0].1,
            "us-west-2",
            &clock::amz_date(now),
        );
        assert!(verify(&signed, &keys(), "us-west-2", now).is_ok());

        let mut body = signed.clone();
        body.body = b"{ }".to_vec();
        assert_eq!(
            verify(&body, &keys(), "us-west-2", now),
            Err(ApiError::signature_mismatch())
        );

        let mut header = signed.clone();
        header.headers[2].1 = "Lightsail_20161128.GetInstance".into();
        assert_eq!(
            verify(&header, &keys(), "us-west-2", now),
            Err(ApiError::signature_mismatch())
        );

        let late = verify(&signed, &keys(), "us-west-2", now + 16 * 60).unwrap_err();
        assert!(late.fields[0]
            .1
            .starts_with("Signature expired: 20190930T180038Z is now earlier than"));
        let early = verify(&signed, &keys(), "us-west-2", now - 16 * 60).unwrap_err();
        assert!(early.fields[0].1.starts_with("Signature not yet current:"));

        let other_key = vec![("AKIDOTHER".to_string(), "x".to_string())];
        assert_eq!(
            verify(&signed, &other_key, "us-west-2", now),
            Err(ApiError::unrecognized_client())
        );
        assert_eq!(
            verify(&request(), &keys(), "us-west-2", now),
            Err(ApiError::missing_authentication_token())
        );
    }
}
