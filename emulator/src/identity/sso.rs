//! IAM Identity Center's two calls behind SSO profiles, both REST-JSON and unsigned:
//! `GetRoleCredentials` (`GET /federation/credentials?role_name=..&account_id=..`, the access token in
//! `x-amz-sso_bearer_token`) and SSO OIDC `CreateToken` (`POST /token`; the `refresh_token` grant only,
//! the one AWS CLI v1 uses). An access token is valid when `--identity` lists it or `CreateToken` issued
//! it; a refresh token likewise; a client when `--identity` lists it (or lists none). Errors carry
//! `x-amzn-ErrorType` and the bodies the services send (`{"message": ...}` for the portal, OAuth's
//! `{"error", "error_description"}` for OIDC).

use serde_json::{json, Value};

use super::{is_issued_token, issue, issue_token, journal, json_or_text, response};
use crate::protocol::http::{Request, Response};
use crate::protocol::server::Shared;

const PORTAL_NAMESPACE: &str = "http://internal.amazon.com/coral/com.amazon.switchboard.portal/";
const OIDC_NAMESPACE: &str = "http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/";
const ACCESS_TOKEN: &str = "aoa";
const REFRESH_TOKEN: &str = "aor";

fn error(
    shared: &Shared,
    request_id: &str,
    status: u16,
    name: &str,
    namespace: &str,
    body: Value,
) -> Response {
    response(
        shared,
        status,
        "application/json",
        request_id,
        body.to_string().into_bytes(),
    )
    .with_header("x-amzn-ErrorType", &format!("{name}:{namespace}"))
}

fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then(|| percent_decode(v))
    })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `GetRoleCredentials`.
pub fn get_role_credentials(shared: &Shared, request: &Request) -> Response {
    let token = request.header("x-amz-sso_bearer_token").map(str::to_string);
    let query = request.query().to_string();
    let body = json!({"query": query, "x-amz-sso_bearer_token": token});
    let request_id = journal(shared, request, "sso:GetRoleCredentials", body);
    let identity = &shared.config.identity;
    let valid = token.as_deref().is_some_and(|t| {
        identity.sso_access_tokens.iter().any(|known| known == t)
            || is_issued_token(ACCESS_TOKEN, t)
    });
    if !valid {
        return error(
            shared,
            &request_id,
            401,
            "UnauthorizedException",
            PORTAL_NAMESPACE,
            json!({"message": "Session token not found or invalid"}),
        );
    }
    let (Some(role), Some(account)) = (
        query_param(&query, "role_name"),
        query_param(&query, "account_id"),
    ) else {
        return error(
            shared,
            &request_id,
            400,
            "InvalidRequestException",
            PORTAL_NAMESPACE,
            json!({"message": "Missing required parameter: role_name or account_id"}),
        );
    };
    let pair = format!("{account}/{role}");
    if !identity.sso_roles.is_empty() && !identity.sso_roles.contains(&pair) {
        return error(
            shared,
            &request_id,
            403,
            "ForbiddenException",
            PORTAL_NAMESPACE,
            json!({"message": "No access"}),
        );
    }
    let issued = issue(&format!("sso:{pair}"), identity.sso_lifetime);
    let body = json!({"roleCredentials": {
        "accessKeyId": issued.access_key_id,
        "secretAccessKey": issued.secret_access_key,
        "sessionToken": issued.session_token,
        "expiration": issued.expiration * 1000,
    }});
    response(
        shared,
        200,
        "application/json",
        &request_id,
        body.to_string().into_bytes(),
    )
}

/// SSO OIDC `CreateToken` with the `refresh_token` grant.
pub fn create_token(shared: &Shared, request: &Request) -> Response {
    let input = json_or_text(&request.body);
    let request_id = journal(shared, request, "sso-oidc:CreateToken", input.clone());
    let identity = &shared.config.identity;
    let text = |name: &str| input.get(name).and_then(Value::as_str).unwrap_or("");
    let oauth = |status: u16, name: &str, code: &str, description: &str| {
        error(
            shared,
            &request_id,
            status,
            name,
            OIDC_NAMESPACE,
            json!({"error": code, "error_description": description}),
        )
    };
    if text("grantType") != "refresh_token" {
        return oauth(
            400,
            "UnsupportedGrantTypeException",
            "unsupported_grant_type",
            "Unsupported grant type",
        );
    }
    let (client_id, client_secret) = (text("clientId"), text("clientSecret"));
    let known_client = identity.sso_clients.is_empty()
        || identity
            .sso_clients
            .iter()
            .any(|(id, secret)| id == client_id && secret == client_secret);
    if client_id.is_empty() || !known_client {
        return oauth(
            401,
            "InvalidClientException",
            "invalid_client",
            "Invalid client provided",
        );
    }
    let refresh = text("refreshToken");
    let valid_refresh = identity.sso_refresh_tokens.iter().any(|t| t == refresh)
        || is_issued_token(REFRESH_TOKEN, refresh);
    if !valid_refresh {
        return oauth(
            400,
            "InvalidGrantException",
            "invalid_grant",
            "Invalid refresh token provided",
        );
    }
    let body = json!({
        "accessToken": issue_token(ACCESS_TOKEN, refresh),
        "tokenType": "Bearer",
        "expiresIn": identity.token_lifetime,
        "refreshToken": issue_token(REFRESH_TOKEN, refresh),
    });
    response(
        shared,
        200,
        "application/json",
        &request_id,
        body.to_string().into_bytes(),
    )
}
