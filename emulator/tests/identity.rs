//! The identity services end to end over HTTP: web identity and SSO hand out credentials that then sign
//! Lightsail calls, the STS errors (unknown action, wrong signing scope, expired web identity token),
//! the SSO token refresh chain (a refreshed token is accepted, an unknown one is not), the lifetimes
//! `--identity` sets, and the journal entries the conformance corpus compares.

mod common;

use common::*;
use lightsail_emulator::http::Request;
use lightsail_emulator::identity::IdentityConfig;
use lightsail_emulator::{clock, sigv4, Config};
use serde_json::Value;

fn b64url(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

fn jwt(claims: &str) -> String {
    format!("{}.{}.sig", b64url(r#"{"alg":"RS256"}"#), b64url(claims))
}

fn form(port: u16, body: &str) -> Request {
    Request {
        method: "POST".into(),
        target: "/".into(),
        version: "HTTP/1.1".into(),
        headers: vec![
            ("Host".into(), format!("127.0.0.1:{port}")),
            (
                "Content-Type".into(),
                "application/x-www-form-urlencoded; charset=utf-8".into(),
            ),
        ],
        body: body.as_bytes().to_vec(),
    }
}

fn element<'a>(xml: &'a str, tag: &str) -> &'a str {
    let start = xml.find(&format!("<{tag}>")).expect(tag) + tag.len() + 2;
    let end = xml[start..].find(&format!("</{tag}>")).expect(tag) + start;
    &xml[start..end]
}

fn web_identity(port: u16, token: &str) -> Raw {
    let body = format!(
        "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FWeb&RoleSessionName=s1&WebIdentityToken={token}"
    );
    send(port, &form(port, &body))
}

#[test]
fn web_identity_credentials_sign_lightsail_calls() {
    let emulator = start(deterministic());
    let port = emulator.port();
    let token =
        jwt(r#"{"iss":"https://oidc.example.com","sub":"app","aud":["sts.amazonaws.com"]}"#);
    let answer = web_identity(port, &token);
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.header("Content-Type"), Some("text/xml"));
    let xml = answer.text();
    assert_eq!(element(&xml, "SubjectFromWebIdentityToken"), "app");
    assert_eq!(element(&xml, "Audience"), "sts.amazonaws.com");
    assert_eq!(
        element(&xml, "Provider"),
        "arn:aws:iam::123456789012:oidc-provider/oidc.example.com"
    );
    assert_eq!(
        element(&xml, "Arn"),
        "arn:aws:sts::123456789012:assumed-role/Web/s1"
    );
    let (id, secret, session) = (
        element(&xml, "AccessKeyId").to_string(),
        element(&xml, "SecretAccessKey").to_string(),
        element(&xml, "SessionToken").to_string(),
    );
    // The same role gives the same key.
    assert!(web_identity(port, &token).text().contains(&id));
    let mut request = lightsail_request(port, "GetOperations", "{}");
    request
        .headers
        .push(("X-Amz-Security-Token".into(), session.clone()));
    sigv4::sign(
        &mut request,
        &id,
        &secret,
        "us-west-2",
        &clock::amz_date(clock::real_now() as i64),
    );
    assert_eq!(send(port, &request).status, 200);
    // A made-up key of the issued shape is no issued key.
    let mut forged = lightsail_request(port, "GetOperations", "{}");
    sigv4::sign(
        &mut forged,
        "ASIA0000000000000000",
        &secret,
        "us-west-2",
        &clock::amz_date(clock::real_now() as i64),
    );
    assert_eq!(
        send(port, &forged).error_code(),
        "UnrecognizedClientException"
    );
    let journal = admin(port, "GET", "/_emulator/requests", "").json();
    let targets: Vec<&str> = journal
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            "sts:AssumeRoleWithWebIdentity",
            "sts:AssumeRoleWithWebIdentity",
            "Lightsail_20161128.GetOperations",
            "Lightsail_20161128.GetOperations"
        ]
    );
    assert!(journal[0]["body"]
        .as_str()
        .unwrap()
        .starts_with("Action=AssumeRoleWithWebIdentity&"));
}

#[test]
fn sts_errors_are_the_services_xml() {
    let emulator = start(deterministic());
    let port = emulator.port();
    let unknown = send(
        port,
        &form(port, "Action=GetFederationToken&Version=2011-06-15"),
    );
    assert_eq!(unknown.status, 400);
    assert_eq!(element(&unknown.text(), "Code"), "InvalidAction");
    let not_jwt = web_identity(port, "abcd");
    assert_eq!(element(&not_jwt.text(), "Code"), "InvalidIdentityToken");
    let expired = web_identity(port, &jwt(r#"{"sub":"app","exp":1000}"#));
    assert_eq!(element(&expired.text(), "Code"), "ExpiredTokenException");
    assert!(element(&expired.text(), "Message").ends_with("before the expiration date/time1000"));
    // AssumeRole signed for lightsail rather than sts.
    let mut role = form(
        port,
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FR&RoleSessionName=s1",
    );
    sign(&mut role);
    let refused = send(port, &role);
    assert_eq!(refused.status, 403, "{}", refused.text());
    assert_eq!(element(&refused.text(), "Code"), "SignatureDoesNotMatch");
    // Unsigned AssumeRole.
    let unsigned = send(
        port,
        &form(
            port,
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FR&RoleSessionName=s1",
        ),
    );
    assert_eq!(
        element(&unsigned.text(), "Code"),
        "MissingAuthenticationToken"
    );
}

fn get_role_credentials(port: u16, token: &str) -> Raw {
    let request = format!(
        "GET /federation/credentials?role_name=ReadOnly&account_id=123456789012 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         x-amz-sso_bearer_token: {token}\r\nConnection: close\r\n\r\n"
    );
    parse_raw(send_raw(port, request.as_bytes()).expect("sent"))
}

fn create_token(port: u16, refresh: &str) -> Raw {
    let body = format!(
        r#"{{"grantType": "refresh_token", "clientId": "c", "clientSecret": "s", "refreshToken": "{refresh}"}}"#
    );
    let request = format!(
        "POST /token HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    parse_raw(send_raw(port, request.as_bytes()).expect("sent"))
}

#[test]
fn sso_tokens_refresh_and_sign() {
    let identity = IdentityConfig::parse(
        r#"{"sso_refresh_tokens": ["r0"], "sso_clients": [{"id": "c", "secret": "s"}], "lifetimes": {"sso": 120, "token": 600}}"#,
    )
    .unwrap();
    let emulator = start(Config {
        identity,
        ..deterministic()
    });
    let port = emulator.port();
    let unknown = get_role_credentials(port, "made-up");
    assert_eq!(unknown.status, 401);
    assert_eq!(
        unknown
            .header("x-amzn-ErrorType")
            .map(|v| v.split(':').next().unwrap_or_default()),
        Some("UnauthorizedException")
    );
    let refused = create_token(port, "unknown");
    assert_eq!(refused.status, 400);
    assert!(refused
        .header("x-amzn-ErrorType")
        .is_some_and(|v| v.starts_with("InvalidGrantException:")));
    assert_eq!(refused.json()["error"], "invalid_grant");
    let first = create_token(port, "r0").json();
    assert_eq!(first["expiresIn"], 600);
    assert_eq!(first["tokenType"], "Bearer");
    // The refresh token a refresh hands out refreshes again.
    let second = create_token(port, first["refreshToken"].as_str().unwrap()).json();
    let token = second["accessToken"].as_str().unwrap();
    let answer = get_role_credentials(port, token);
    assert_eq!(answer.status, 200, "{}", answer.text());
    let creds: Value = answer.json()["roleCredentials"].clone();
    let left = creds["expiration"].as_i64().unwrap() / 1000 - clock::real_now() as i64;
    assert!((100..=121).contains(&left), "{left}");
    let mut request = lightsail_request(port, "GetOperations", "{}");
    request.headers.push((
        "X-Amz-Security-Token".into(),
        creds["sessionToken"].as_str().unwrap().into(),
    ));
    sigv4::sign(
        &mut request,
        creds["accessKeyId"].as_str().unwrap(),
        creds["secretAccessKey"].as_str().unwrap(),
        "us-west-2",
        &clock::amz_date(clock::real_now() as i64),
    );
    assert_eq!(send(port, &request).status, 200);
}

#[test]
fn metadata_credentials_follow_the_configured_lifetime() {
    let identity = IdentityConfig::parse(r#"{"lifetimes": {"metadata": -60}}"#).unwrap();
    let emulator = start(Config {
        identity,
        ..deterministic()
    });
    let creds = admin(
        emulator.port(),
        "GET",
        "/_emulator/container-credentials",
        "",
    )
    .json();
    let expiration = creds["Expiration"].as_str().unwrap();
    assert!(
        expiration < clock::iso8601(clock::real_now() as i64).as_str(),
        "{expiration} is not in the past"
    );
}
