//! STS over the query protocol: `AssumeRole` (SigV4-signed for `sts`, by a configured key or one the
//! emulator issued; with `SerialNumber`, the `TokenCode` must be the configured MFA code) and
//! `AssumeRoleWithWebIdentity` (unsigned; the token must be a JWT, whose `sub`, `aud` and `iss` claims
//! the answer reports and whose `exp` must not have passed; its signature is not checked: the emulator
//! trusts every identity provider). Other actions answer `InvalidAction`. Errors are the service's XML
//! (`ErrorResponse`), with the service's codes; the messages follow the service's documentation and
//! what clients are known to print.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{issue, journal, response};
use crate::engine::clock;
use crate::protocol::http::{Request, Response};
use crate::protocol::server::Shared;
use crate::protocol::sigv4;

const NAMESPACE: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

/// An STS error: HTTP status, `Sender`/`Receiver`, code, message.
struct StsError {
    status: u16,
    kind: &'static str,
    code: String,
    message: String,
}

impl StsError {
    fn sender(status: u16, code: &str, message: impl Into<String>) -> StsError {
        StsError {
            status,
            kind: "Sender",
            code: code.to_string(),
            message: message.into(),
        }
    }

    fn validation(message: impl Into<String>) -> StsError {
        StsError::sender(400, "ValidationError", message)
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// `application/x-www-form-urlencoded` pairs, in order.
fn parse_form(body: &[u8]) -> Vec<(String, String)> {
    let decode = |text: &str| -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                    match u8::from_str_radix(hex, 16) {
                        Ok(b) => {
                            out.push(b);
                            i += 2;
                        }
                        Err(_) => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    String::from_utf8_lossy(body)
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

/// A request's form parameters.
struct Params(Vec<(String, String)>);

impl Params {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Serves one STS request.
pub fn serve(shared: &Shared, request: &Request) -> Response {
    let params = Params(parse_form(&request.body));
    let get = &params;
    let action = get.get("Action").unwrap_or("").to_string();
    let body = json!(String::from_utf8_lossy(&request.body).into_owned());
    let request_id = journal(shared, request, &format!("sts:{action}"), body);
    let result = match action.as_str() {
        "AssumeRole" => assume_role(shared, request, get),
        "AssumeRoleWithWebIdentity" => assume_role_with_web_identity(shared, get),
        other => Err(StsError::sender(
            400,
            "InvalidAction",
            format!("Could not find operation {other} for version 2011-06-15"),
        )),
    };
    match result {
        Ok(result) => {
            let xml = format!(
                "<{action}Response xmlns=\"{NAMESPACE}\">\n  <{action}Result>\n{result}  </{action}Result>\n  \
                 <ResponseMetadata>\n    <RequestId>{request_id}</RequestId>\n  </ResponseMetadata>\n</{action}Response>\n"
            );
            response(shared, 200, "text/xml", &request_id, xml.into_bytes())
        }
        Err(error) => {
            let xml = format!(
                "<ErrorResponse xmlns=\"{NAMESPACE}\">\n  <Error>\n    <Type>{}</Type>\n    <Code>{}</Code>\n    \
                 <Message>{}</Message>\n  </Error>\n  <RequestId>{request_id}</RequestId>\n</ErrorResponse>\n",
                error.kind,
                escape(&error.code),
                escape(&error.message)
            );
            response(
                shared,
                error.status,
                "text/xml",
                &request_id,
                xml.into_bytes(),
            )
        }
    }
}

/// `arn:aws:iam::ACCOUNT:role/[PATH/]NAME` -> (account, role name).
fn parse_role_arn(arn: &str) -> Result<(String, String), StsError> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let valid = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit())
        && parts[5].starts_with("role/")
        && parts[5].len() > 5;
    if !valid {
        return Err(StsError::validation(format!("{arn} is invalid")));
    }
    let name = parts[5].rsplit('/').next().unwrap_or_default();
    Ok((parts[4].to_string(), name.to_string()))
}

/// The checks every assume call makes on its common parameters: (role arn, session name, duration).
fn common(params: &Params) -> Result<(String, String, Option<i64>), StsError> {
    let required = |name: &str, member: &str| {
        params
            .get(name).map(str::to_string).ok_or_else(|| {
            StsError::validation(format!(
                "1 validation error detected: Value null at '{member}' failed to satisfy constraint: \
                 Member must not be null"
            ))
        })
    };
    let role_arn = required("RoleArn", "roleArn")?;
    let session = required("RoleSessionName", "roleSessionName")?;
    let valid_session = (2..=64).contains(&session.chars().count())
        && session
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
    if !valid_session {
        return Err(StsError::validation(format!(
            "1 validation error detected: Value '{session}' at 'roleSessionName' failed to satisfy \
             constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"
        )));
    }
    let duration = match params.get("DurationSeconds") {
        None => None,
        Some(text) => {
            let seconds: i64 = text.parse().map_err(|_| {
                StsError::validation(format!(
                    "Value '{text}' at 'durationSeconds' is not a number"
                ))
            })?;
            if !(900..=43_200).contains(&seconds) {
                let bound = if seconds < 900 {
                    "greater than or equal to 900"
                } else {
                    "less than or equal to 43200"
                };
                return Err(StsError::validation(format!(
                    "1 validation error detected: Value '{seconds}' at 'durationSeconds' failed to \
                     satisfy constraint: Member must have value {bound}"
                )));
            }
            Some(seconds)
        }
    };
    Ok((role_arn, session, duration))
}

/// The `Credentials` and `AssumedRoleUser` elements for a role and session.
fn issued_elements(
    shared: &Shared,
    seed: &str,
    role_arn: &str,
    session: &str,
    duration: Option<i64>,
) -> Result<String, StsError> {
    let (account, role_name) = parse_role_arn(role_arn)?;
    let lifetime = shared
        .config
        .identity
        .sts_lifetime
        .unwrap_or(duration.unwrap_or(3600));
    let issued = issue(seed, lifetime);
    let role_id: String = Sha256::digest(role_arn.as_bytes())
        .iter()
        .map(|b| char::from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[usize::from(b % 32)]))
        .take(17)
        .collect();
    Ok(format!(
        "    <Credentials>\n      <AccessKeyId>{}</AccessKeyId>\n      <SecretAccessKey>{}</SecretAccessKey>\n      \
         <SessionToken>{}</SessionToken>\n      <Expiration>{}</Expiration>\n    </Credentials>\n    \
         <AssumedRoleUser>\n      <AssumedRoleId>AROA{role_id}:{}</AssumedRoleId>\n      \
         <Arn>arn:aws:sts::{account}:assumed-role/{}/{}</Arn>\n    </AssumedRoleUser>\n",
        issued.access_key_id,
        issued.secret_access_key,
        issued.session_token,
        clock::iso8601(issued.expiration),
        escape(session),
        escape(&role_name),
        escape(session)
    ))
}

fn assume_role(shared: &Shared, request: &Request, params: &Params) -> Result<String, StsError> {
    let keys: Vec<(String, String)> = shared.keys.clone();
    sigv4::verify_service(
        request,
        &keys,
        |_| true,
        clock::real_now() as i64,
        None,
        "sts",
    )
    .map_err(|e| {
        // STS names (and numbers) the signature failures its own way.
        let (status, code) = match e.type_name.rsplit('#').next().unwrap_or_default() {
            "UnrecognizedClientException" => (403, "InvalidClientTokenId"),
            "InvalidSignatureException" => (403, "SignatureDoesNotMatch"),
            "IncompleteSignatureException" => (400, "IncompleteSignature"),
            "MissingAuthenticationTokenException" => (403, "MissingAuthenticationToken"),
            _ => (e.status, "InvalidRequest"),
        };
        StsError {
            status,
            kind: "Sender",
            code: code.to_string(),
            message: e.message().unwrap_or_default().to_string(),
        }
    })?;
    let (role_arn, session, duration) = common(params)?;
    if let Some(serial) = params.get("SerialNumber") {
        let code = params.get("TokenCode").unwrap_or("");
        if code != shared.config.identity.mfa_code || serial.is_empty() {
            return Err(StsError::sender(
                403,
                "AccessDenied",
                "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
            ));
        }
    }
    issued_elements(
        shared,
        &format!("role:{role_arn}"),
        &role_arn,
        &session,
        duration,
    )
}

/// base64url (padding optional) to bytes.
fn base64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The claims of a JWT, or `None` when the token is not one.
fn jwt_claims(token: &str) -> Option<serde_json::Map<String, Value>> {
    let parts: Vec<&str> = token.trim().split('.').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let header: Value = serde_json::from_slice(&base64url(parts[0])?).ok()?;
    header.as_object()?;
    let claims: Value = serde_json::from_slice(&base64url(parts[1])?).ok()?;
    claims.as_object().cloned()
}

fn assume_role_with_web_identity(shared: &Shared, params: &Params) -> Result<String, StsError> {
    let (role_arn, session, duration) = common(params)?;
    let token = params.get("WebIdentityToken").ok_or_else(|| {
        StsError::validation(
            "1 validation error detected: Value null at 'webIdentityToken' failed to satisfy \
             constraint: Member must not be null",
        )
    })?;
    let Some(claims) = jwt_claims(token) else {
        return Err(StsError::sender(
            400,
            "InvalidIdentityToken",
            "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)",
        ));
    };
    let now = clock::real_now() as i64;
    if let Some(exp) = claims.get("exp").and_then(Value::as_i64) {
        if exp <= now {
            return Err(StsError::sender(
                400,
                "ExpiredTokenException",
                format!(
                    "Token expired: current date/time {now} must be before the expiration date/time{exp}"
                ),
            ));
        }
    }
    let mut elements = issued_elements(
        shared,
        &format!("web:{role_arn}"),
        &role_arn,
        &session,
        duration,
    )?;
    if let Some(sub) = claims.get("sub").and_then(Value::as_str) {
        elements.push_str(&format!(
            "    <SubjectFromWebIdentityToken>{}</SubjectFromWebIdentityToken>\n",
            escape(sub)
        ));
    }
    let audience = match claims.get("aud") {
        Some(Value::String(aud)) => Some(aud.clone()),
        Some(Value::Array(list)) => list.first().and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    if let Some(aud) = audience {
        elements.push_str(&format!("    <Audience>{}</Audience>\n", escape(&aud)));
    }
    if let Some(iss) = claims.get("iss").and_then(Value::as_str) {
        let account = parse_role_arn(&role_arn)?.0;
        let host = iss
            .strip_prefix("https://")
            .or_else(|| iss.strip_prefix("http://"))
            .unwrap_or(iss);
        elements.push_str(&format!(
            "    <Provider>arn:aws:iam::{account}:oidc-provider/{}</Provider>\n",
            escape(host)
        ));
    }
    Ok(elements)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_and_tokens() {
        assert_eq!(
            parse_form(b"Action=AssumeRole&RoleArn=arn%3Aaws&TokenCode=+12+&Empty="),
            vec![
                ("Action".to_string(), "AssumeRole".to_string()),
                ("RoleArn".to_string(), "arn:aws".to_string()),
                ("TokenCode".to_string(), " 12 ".to_string()),
                ("Empty".to_string(), String::new()),
            ]
        );
        // {"alg":"none"}.{"sub":"app","aud":["sts.amazonaws.com"]}.sig
        let claims = jwt_claims(
            "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhcHAiLCJhdWQiOlsic3RzLmFtYXpvbmF3cy5jb20iXX0.c2ln",
        )
        .unwrap();
        assert_eq!(claims["sub"], "app");
        assert!(jwt_claims("not-a-jwt").is_none());
        assert_eq!(
            parse_role_arn("arn:aws:iam::123456789012:role/path/Demo")
                .ok()
                .map(|r| r.1),
            Some("Demo".to_string())
        );
        assert!(parse_role_arn("arn:aws:iam::1:role/x").is_err());
    }
}
