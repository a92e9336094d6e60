//! SSL/TLS certificates for distributions and container services: CreateCertificate,
//! GetCertificates, DeleteCertificate.
//!
//! A new certificate is `PENDING_VALIDATION`, with one DNS (CNAME) validation record per domain in
//! ACM's form (`_<32 hex>.<domain>.` -> `_<32 hex>.<10 letters>.acm-validations.aws.`); after the
//! `Certificate` delay the emulator plays the certificate authority: the certificate is `ISSUED`
//! (serial number, `issuedAt`/`notBefore` at that moment, `notAfter` 395 days later, ACM's current
//! validity) and every record `SUCCESS`. Nobody has to add the records anywhere: that is our choice.
//!
//! The stored wire form is the model's `Certificate` (what `certificateDetail` shows, tags included,
//! so TagResource finds it by name or ARN); GetCertificates wraps it in a `CertificateSummary` and
//! shows the detail only with `includeCertificateDetails`. `inUseResourceCount` counts the
//! distributions and container services using the certificate (they call [`adjust_use`]); a
//! certificate in use cannot be deleted, as the service documents.

use serde_json::{json, Value};

use crate::engine::clock::round_millis;
use crate::engine::{input, Ctx, NewOperation, Registry, Transition};
use crate::error::ApiError;

/// The `resourceType` (and store kind) of certificates.
pub const KIND: &str = "Certificate";
/// The most alternative names a certificate may have besides its domain (the model's documentation).
pub const MAX_ALTERNATIVE_NAMES: usize = 9;
/// ACM's validity of a public certificate: 395 days.
pub const VALIDITY: f64 = 395.0 * 86_400.0;

pub fn register(registry: &mut Registry) {
    registry
        .add("CreateCertificate", create)
        .add("GetCertificates", list)
        .add("DeleteCertificate", delete);
}

/// Every domain a certificate covers: its domain name, then its alternative names.
pub fn domains(certificate: &Value) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(domain) = certificate["domainName"].as_str() {
        names.push(domain.to_string());
    }
    for name in certificate["subjectAlternativeNames"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    names
}

/// A certificate that may be attached to something: it exists and is `ISSUED`.
pub fn require_issued(ctx: &Ctx<'_>, name: &str) -> Result<Value, ApiError> {
    let certificate = ctx.db().require(KIND, name)?;
    let status = certificate["status"].as_str().unwrap_or("");
    if status != "ISSUED" {
        return Err(ApiError::invalid_input(
            "InvalidInput",
            format!("The certificate is not valid yet (status {status}); only certificates with a status of ISSUED can be used: {name}"),
        ));
    }
    Ok(certificate)
}

/// Counts one more (or one fewer) resource using the certificate; a certificate that is gone is
/// left alone.
pub fn adjust_use(ctx: &Ctx<'_>, name: &str, delta: i64) -> Result<(), ApiError> {
    if !ctx.db().exists(KIND, name)? {
        return Ok(());
    }
    ctx.db().update(KIND, name, |certificate| {
        let count = certificate["inUseResourceCount"].as_i64().unwrap_or(0) + delta;
        certificate["inUseResourceCount"] = json!(count.max(0));
    })?;
    Ok(())
}

fn invalid(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

/// A domain name a certificate can be issued for: dot-separated labels of letters, digits and
/// hyphens, at most 253 characters. Wildcards are refused, as the model's documentation says.
fn check_domain(name: &str) -> Result<(), ApiError> {
    if name.starts_with("*.") {
        return Err(invalid(format!(
            "Wildcard domain names are not supported: {name}"
        )));
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if name.len() > 253 || !name.contains('.') || !name.split('.').all(label_ok) {
        return Err(invalid(format!("The domain name is not valid: {name}")));
    }
    Ok(())
}

fn validation_record(ctx: &mut Ctx<'_>, domain: &str) -> Value {
    let name = format!("_{}.{domain}.", ctx.ids.resource_hex(32));
    let value = format!(
        "_{}.{}.acm-validations.aws.",
        ctx.ids.resource_hex(32),
        ctx.ids.string_from("abcdefghijklmnopqrstuvwxyz", 10)
    );
    json!({
        "domainName": domain,
        "resourceRecord": {"name": name, "type": "CNAME", "value": value},
        "validationStatus": "PENDING_VALIDATION",
    })
}

/// A certificate serial number as ACM prints one: 16 bytes, hex pairs joined by colons.
fn serial_number(ctx: &mut Ctx<'_>) -> String {
    let hex = ctx.ids.resource_hex(32);
    hex.as_bytes()
        .chunks(2)
        .map(|pair| String::from_utf8_lossy(pair).into_owned())
        .collect::<Vec<_>>()
        .join(":")
}

fn create(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "certificateName");
    let domain = input::string(input, "domainName");
    check_domain(domain)?;
    let mut alternatives: Vec<String> = vec![domain.to_string()];
    for alternative in input::strings(input, "subjectAlternativeNames") {
        check_domain(alternative)?;
        if !alternatives.iter().any(|a| a == alternative) {
            alternatives.push(alternative.to_string());
        }
    }
    if alternatives.len() > MAX_ALTERNATIVE_NAMES + 1 {
        return Err(invalid(format!(
            "A certificate can have at most {MAX_ALTERNATIVE_NAMES} alternative domain names besides its domain name: {}",
            alternatives.len() - 1
        )));
    }
    if ctx.db().exists(KIND, name)? {
        return Err(ApiError::name_in_use(name));
    }
    let records: Vec<Value> = alternatives
        .iter()
        .map(|domain| validation_record(ctx, domain))
        .collect();
    let now = ctx.now();
    let certificate = json!({
        "arn": ctx.new_arn(KIND),
        "name": name,
        "domainName": domain,
        "status": "PENDING_VALIDATION",
        "subjectAlternativeNames": alternatives,
        "domainValidationRecords": records,
        "inUseResourceCount": 0,
        "keyAlgorithm": "RSA-2048",
        "createdAt": now,
        "eligibleToRenew": "INELIGIBLE",
        "tags": input::tags(input),
        "supportCode": ctx.support_code("acm-"),
    });
    ctx.db().insert(KIND, name, &certificate)?;
    let operation =
        ctx.record(NewOperation::succeeded(KIND, name, ctx.regional_location()).details(domain))?;
    let issued = round_millis(now + ctx.delay(KIND));
    let mut issue = Transition::of(KIND, name)
        .only_if("/status", "PENDING_VALIDATION")
        .set("/status", "ISSUED")
        .set("/serialNumber", serial_number(ctx))
        .set("/issuedAt", issued)
        .set("/notBefore", issued)
        .set("/notAfter", round_millis(issued + VALIDITY))
        .set("/issuerCA", "Amazon");
    for index in 0..alternatives.len() {
        issue = issue.set(
            &format!("/domainValidationRecords/{index}/validationStatus"),
            "SUCCESS",
        );
    }
    ctx.schedule_at(issued, issue)?;
    Ok(json!({
        "certificate": summary(&certificate, true),
        "operations": [operation],
    }))
}

/// The `CertificateSummary` of a stored certificate, with or without its detail.
fn summary(certificate: &Value, with_detail: bool) -> Value {
    let mut summary = json!({
        "certificateArn": certificate["arn"],
        "certificateName": certificate["name"],
        "domainName": certificate["domainName"],
        "tags": certificate["tags"],
    });
    if with_detail {
        summary["certificateDetail"] = certificate.clone();
    }
    summary
}

fn list(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let with_detail = input::flag(input, "includeCertificateDetails");
    let statuses = input::strings(input, "certificateStatuses");
    let wanted = |certificate: &Value| {
        statuses.is_empty() || statuses.contains(&certificate["status"].as_str().unwrap_or(""))
    };
    if let Some(name) = input::optional_string(input, "certificateName") {
        let certificate = ctx.db().require(KIND, name)?;
        let certificates: Vec<Value> = std::iter::once(certificate)
            .filter(wanted)
            .map(|c| summary(&c, with_detail))
            .collect();
        return Ok(json!({ "certificates": certificates }));
    }
    let mut page = ctx.page(KIND, input)?;
    page.items = page
        .items
        .iter()
        .filter(|c| wanted(c))
        .map(|c| summary(c, with_detail))
        .collect();
    Ok(page.into_output("certificates"))
}

fn delete(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "certificateName");
    let certificate = ctx.db().require(KIND, name)?;
    let in_use = certificate["inUseResourceCount"].as_i64().unwrap_or(0);
    if in_use > 0 {
        return Err(invalid(format!(
            "The certificate is in use by {in_use} resource(s) and cannot be deleted; detach it first: {name}"
        )));
    }
    ctx.db().delete(KIND, name)?;
    let domain = certificate["domainName"].as_str().unwrap_or("");
    let operation =
        ctx.record(NewOperation::succeeded(KIND, name, ctx.regional_location()).details(domain))?;
    Ok(json!({ "operations": [operation] }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_names() {
        assert!(check_domain("example.com").is_ok());
        assert!(check_domain("www.example-1.co.uk").is_ok());
        assert!(check_domain("*.example.com").is_err());
        assert!(check_domain("localhost").is_err());
        assert!(check_domain("bad_label.example.com").is_err());
        assert!(check_domain("-bad.example.com").is_err());
    }

    #[test]
    fn covered_domains() {
        let certificate = json!({"domainName": "example.com",
            "subjectAlternativeNames": ["example.com", "www.example.com"]});
        assert_eq!(domains(&certificate), ["example.com", "www.example.com"]);
    }
}
