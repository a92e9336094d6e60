//! Load balancer TLS certificates: CreateLoadBalancerTlsCertificate, GetLoadBalancerTlsCertificates,
//! AttachLoadBalancerTlsCertificate, DeleteLoadBalancerTlsCertificate; and the TLS security policies
//! (GetLoadBalancerTlsPolicies).
//!
//! A certificate belongs to one load balancer (at most 2 per load balancer and 10 per region, no
//! wildcards, at most 9 alternative names: the model's documentation). It starts
//! `PENDING_VALIDATION` with one CNAME validation record per domain name (`_<32 hex>.<domain>.` ->
//! `_<32 hex>.<10 letters>.acm-validations.aws.`, the shape of
//! `src/help/examples/get-load-balancer-tls-certificates.rst`) and is `ISSUED` after the
//! `LoadBalancerTlsCertificate` delay: the emulator plays the part of the DNS records being found.
//! An issued certificate has the example's issuer, algorithms, subject, a serial, and ACM's validity:
//! from midnight UTC of the issue day to noon UTC 397 days later. Attaching an issued certificate
//! makes it the load balancer's only attached one and turns on HTTPS (`HTTP_HTTPS`, ports 80 and
//! 443, policy `TLS-2016-08` unless one is set); deleting it turns HTTPS off again, and needs
//! `force` when the attached certificate serves attached instances. Create and attach are over at
//! once (`Succeeded`, as the examples show); delete answers `Started` operations that succeed after
//! the `LoadBalancerTlsCertificate.delete` delay.
//!
//! The policies are Lightsail's three (names and default from the Lightsail documentation on TLS
//! security policies), with the protocols and ciphers of the Elastic Load Balancing policies they
//! correspond to; their descriptions are ours.

use serde_json::{json, Value};

use super::load_balancers::{self, certificate_names, disable_https, enable_https};
use crate::engine::clock::round_millis;
use crate::engine::{input, Ctx, NewOperation, Registry, Transition};
use crate::error::ApiError;

/// The `resourceType` (and store kind) of load balancer TLS certificates.
pub const KIND: &str = "LoadBalancerTlsCertificate";

/// The policy an HTTPS load balancer uses unless told otherwise.
pub const DEFAULT_TLS_POLICY: &str = "TLS-2016-08";

const MAX_PER_LOAD_BALANCER: usize = 2;
const MAX_PER_REGION: u64 = 10;
const MAX_ALTERNATIVE_NAMES: usize = 9;

/// The account that owns the ACM certificates behind Lightsail's (a placeholder, like the example's).
const ACM_ACCOUNT: &str = "333322221111";

/// ACM's validity: notAfter is noon UTC, 397 days after the midnight that starts notBefore.
const VALIDITY_SECONDS: f64 = 397.0 * 86_400.0 + 43_200.0;

pub fn register(registry: &mut Registry) {
    registry
        .add("CreateLoadBalancerTlsCertificate", create)
        .add("GetLoadBalancerTlsCertificates", list)
        .add("AttachLoadBalancerTlsCertificate", attach)
        .add("DeleteLoadBalancerTlsCertificate", delete)
        .add("GetLoadBalancerTlsPolicies", policies);
}

const CIPHERS_2016_08: &[&str] = &[
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES128-SHA256",
    "ECDHE-RSA-AES128-SHA256",
    "ECDHE-ECDSA-AES128-SHA",
    "ECDHE-RSA-AES128-SHA",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-AES256-SHA384",
    "ECDHE-RSA-AES256-SHA384",
    "ECDHE-RSA-AES256-SHA",
    "ECDHE-ECDSA-AES256-SHA",
    "AES128-GCM-SHA256",
    "AES128-SHA256",
    "AES128-SHA",
    "AES256-GCM-SHA384",
    "AES256-SHA256",
    "AES256-SHA",
];

/// TLS-FS-1-1-2019-08's ciphers: the forward-secrecy ones of TLS-2016-08 (its first twelve).
const CIPHERS_FS_1_1: &[&str] = CIPHERS_2016_08.split_at(12).0;

const CIPHERS_FS_RES_1_2: &[&str] = &[
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES128-SHA256",
    "ECDHE-RSA-AES128-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-AES256-SHA384",
    "ECDHE-RSA-AES256-SHA384",
];

/// `(name, description, protocols, ciphers)`, the default first.
const POLICIES: &[(&str, &str, &[&str], &[&str])] = &[
    (
        DEFAULT_TLS_POLICY,
        "The default policy: TLS 1.0 to 1.2 with a broad set of ciphers, for the widest range of clients.",
        &["TLSv1", "TLSv1.1", "TLSv1.2"],
        CIPHERS_2016_08,
    ),
    (
        "TLS-FS-Res-1-2-2019-08",
        "TLS 1.2 only, with forward-secrecy GCM and SHA-2 ciphers.",
        &["TLSv1.2"],
        CIPHERS_FS_RES_1_2,
    ),
    (
        "TLS-FS-1-1-2019-08",
        "TLS 1.1 and 1.2, with forward-secrecy ciphers.",
        &["TLSv1.1", "TLSv1.2"],
        CIPHERS_FS_1_1,
    ),
];

/// A known TLS policy name, or `InvalidInputException`.
pub fn check_policy(name: &str) -> Result<(), ApiError> {
    if POLICIES.iter().any(|(policy, ..)| *policy == name) {
        Ok(())
    } else {
        Err(ApiError::invalid_input(
            "InvalidInput",
            format!("The TLS policy does not exist: {name}"),
        ))
    }
}

fn policies(_ctx: &mut Ctx<'_>, _input: &Value) -> Result<Value, ApiError> {
    let tls_policies: Vec<Value> = POLICIES
        .iter()
        .map(|(name, description, protocols, ciphers)| {
            json!({
                "name": name,
                "isDefault": *name == DEFAULT_TLS_POLICY,
                "description": description,
                "protocols": protocols,
                "ciphers": ciphers,
            })
        })
        .collect();
    Ok(json!({ "tlsPolicies": tls_policies }))
}

/// The certificate's names: the domain, then the alternatives, each once.
fn subject_names(domain: &str, alternatives: &[&str]) -> Vec<String> {
    let mut names = vec![domain.to_string()];
    for name in alternatives {
        if !names.iter().any(|n| n == name) {
            names.push((*name).to_string());
        }
    }
    names
}

/// Checks a new certificate against names in use and the service's limits.
pub fn check_new(
    ctx: &Ctx<'_>,
    name: &str,
    domain: &str,
    alternatives: &[&str],
) -> Result<(), ApiError> {
    if let Some(wildcard) = std::iter::once(&domain)
        .chain(alternatives)
        .find(|d| d.contains('*'))
    {
        return Err(ApiError::invalid_input(
            "InvalidInput",
            format!("Wildcard domain names are not supported: {wildcard}"),
        ));
    }
    if alternatives.len() > MAX_ALTERNATIVE_NAMES {
        return Err(ApiError::invalid_input(
            "InvalidInput",
            format!(
                "A certificate can have at most {MAX_ALTERNATIVE_NAMES} alternative names: {}",
                alternatives.len()
            ),
        ));
    }
    if ctx.db().exists(KIND, name)? {
        return Err(ApiError::name_in_use(name));
    }
    if ctx.db().count(KIND)? >= MAX_PER_REGION {
        return Err(ApiError::operation_failure(format!(
            "You have reached the maximum number of load balancer certificates in this Region ({MAX_PER_REGION})"
        )));
    }
    Ok(())
}

/// `n` random lowercase letters.
fn letters(ctx: &mut Ctx<'_>, n: usize) -> String {
    ctx.ids.string_from("abcdefghijklmnopqrstuvwxyz", n)
}

/// Stores a new certificate of `load_balancer` (whose summaries it joins; the caller stores the load
/// balancer) and schedules its issue.
pub fn create_for(
    ctx: &mut Ctx<'_>,
    load_balancer: &mut Value,
    name: &str,
    domain: &str,
    alternatives: &[&str],
    tags: Vec<Value>,
) -> Result<(), ApiError> {
    let names = subject_names(domain, alternatives);
    let arn = ctx.new_arn(KIND);
    let acm_id = ctx.ids.resource_uuid();
    let mut records = Vec::new();
    for domain_name in &names {
        let record_name = format!("_{}.{domain_name}.", ctx.ids.resource_hex(32));
        let record_value = format!(
            "_{}.{}.acm-validations.aws.",
            ctx.ids.resource_hex(32),
            letters(ctx, 10)
        );
        records.push(json!({
            "name": record_name,
            "type": "CNAME",
            "value": record_value,
            "validationStatus": "PENDING_VALIDATION",
            "domainName": domain_name,
        }));
    }
    let load_balancer_name = load_balancer["name"].as_str().unwrap_or("").to_string();
    let certificate = json!({
        "name": name,
        "arn": arn,
        "supportCode": format!(
            "{}/arn:aws:acm:{}:{ACM_ACCOUNT}:certificate/{acm_id}",
            ctx.account, ctx.region.name
        ),
        "createdAt": ctx.now(),
        "location": ctx.regional_location(),
        "resourceType": KIND,
        "tags": tags,
        "loadBalancerName": load_balancer_name,
        "isAttached": false,
        "status": "PENDING_VALIDATION",
        "domainName": domain,
        "domainValidationRecords": records,
        "keyAlgorithm": "RSA-2048",
        "subjectAlternativeNames": names,
    });
    ctx.db().insert(KIND, name, &certificate)?;
    if let Some(summaries) = load_balancer["tlsCertificateSummaries"].as_array_mut() {
        summaries.push(json!({"name": name, "isAttached": false}));
    } else {
        load_balancer["tlsCertificateSummaries"] = json!([{"name": name, "isAttached": false}]);
    }
    let issued_at = round_millis(ctx.now() + ctx.delay(KIND));
    let not_before = (issued_at / 86_400.0).floor() * 86_400.0;
    let serial = ctx
        .ids
        .resource_hex(32)
        .as_bytes()
        .chunks(2)
        .map(|pair| std::str::from_utf8(pair).unwrap_or("00"))
        .collect::<Vec<_>>()
        .join(":");
    let mut issue = Transition::of(KIND, name)
        .set("/status", "ISSUED")
        .set("/issuedAt", json!(issued_at))
        .set("/issuer", "Amazon")
        .set("/notAfter", json!(not_before + VALIDITY_SECONDS))
        .set("/notBefore", json!(not_before))
        .set("/serial", serial)
        .set("/signatureAlgorithm", "SHA256WITHRSA")
        .set("/subject", format!("CN={domain}"))
        .only_if("/status", "PENDING_VALIDATION");
    for index in 0..names.len() {
        issue = issue.set(
            &format!("/domainValidationRecords/{index}/validationStatus"),
            "SUCCESS",
        );
    }
    ctx.schedule_at(issued_at, issue)
}

fn create(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let load_balancer_name = input::string(input, "loadBalancerName");
    let name = input::string(input, "certificateName");
    let domain = input::string(input, "certificateDomainName");
    let alternatives = input::strings(input, "certificateAlternativeNames");
    let mut load_balancer = ctx.db().require(load_balancers::KIND, load_balancer_name)?;
    check_new(ctx, name, domain, &alternatives)?;
    if certificate_names(&load_balancer).len() >= MAX_PER_LOAD_BALANCER {
        return Err(ApiError::operation_failure(format!(
            "A load balancer can have at most {MAX_PER_LOAD_BALANCER} certificates: {load_balancer_name}"
        )));
    }
    let operations = vec![
        ctx.record(
            NewOperation::succeeded(KIND, name, ctx.regional_location())
                .details(load_balancer_name),
        )?,
        ctx.record(
            NewOperation::succeeded(
                load_balancers::KIND,
                load_balancer_name,
                ctx.regional_location(),
            )
            .details(name),
        )?,
    ];
    create_for(
        ctx,
        &mut load_balancer,
        name,
        domain,
        &alternatives,
        input::tags(input),
    )?;
    ctx.db()
        .put(load_balancers::KIND, load_balancer_name, &load_balancer)?;
    Ok(json!({ "operations": operations }))
}

/// The load balancer and its certificate named in the input (`NotFoundException` when the
/// certificate is not one of the load balancer's).
fn load_balancer_and_certificate(ctx: &Ctx<'_>, input: &Value) -> Result<(Value, Value), ApiError> {
    let load_balancer_name = input::string(input, "loadBalancerName");
    let name = input::string(input, "certificateName");
    let load_balancer = ctx.db().require(load_balancers::KIND, load_balancer_name)?;
    match ctx.db().get(KIND, name)? {
        Some(certificate) if certificate["loadBalancerName"] == load_balancer_name => {
            Ok((load_balancer, certificate))
        }
        _ => Err(ApiError::not_found(KIND, name)),
    }
}

fn list(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let load_balancer = ctx.db().require(
        load_balancers::KIND,
        input::string(input, "loadBalancerName"),
    )?;
    let mut certificates = Vec::new();
    for name in certificate_names(&load_balancer) {
        if let Some(certificate) = ctx.db().get(KIND, &name)? {
            certificates.push(certificate);
        }
    }
    Ok(json!({ "tlsCertificates": certificates }))
}

fn attach(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let (mut load_balancer, certificate) = load_balancer_and_certificate(ctx, input)?;
    let load_balancer_name = input::string(input, "loadBalancerName");
    let name = input::string(input, "certificateName");
    if certificate["status"] != "ISSUED" {
        return Err(ApiError::operation_failure(format!(
            "The certificate is not issued yet: {name} is {}",
            certificate["status"].as_str().unwrap_or("")
        )));
    }
    let operations = vec![
        ctx.record(
            NewOperation::succeeded(
                load_balancers::KIND,
                load_balancer_name,
                ctx.regional_location(),
            )
            .details(name),
        )?,
        ctx.record(
            NewOperation::succeeded(KIND, name, ctx.regional_location())
                .details(load_balancer_name),
        )?,
    ];
    for other in certificate_names(&load_balancer) {
        let attached = other == name;
        ctx.db().update(KIND, &other, |body| {
            body["isAttached"] = json!(attached);
        })?;
    }
    if let Some(summaries) = load_balancer["tlsCertificateSummaries"].as_array_mut() {
        for summary in summaries {
            let attached = summary["name"] == name;
            summary["isAttached"] = json!(attached);
        }
    }
    enable_https(&mut load_balancer);
    ctx.db()
        .put(load_balancers::KIND, load_balancer_name, &load_balancer)?;
    Ok(json!({ "operations": operations }))
}

fn delete(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let (mut load_balancer, certificate) = load_balancer_and_certificate(ctx, input)?;
    let load_balancer_name = input::string(input, "loadBalancerName");
    let name = input::string(input, "certificateName");
    let attached = certificate["isAttached"] == true;
    let serving = load_balancer["instanceHealthSummary"]
        .as_array()
        .is_some_and(|items| !items.is_empty());
    if attached && serving && !input::flag(input, "force") {
        return Err(ApiError::operation_failure(format!(
            "The certificate is attached to the load balancer and in use by its instances; delete it with force: {name}"
        )));
    }
    let operations = vec![
        ctx.record(NewOperation::started(KIND, name, ctx.regional_location()))?,
        ctx.record(NewOperation::started(
            load_balancers::KIND,
            load_balancer_name,
            ctx.regional_location(),
        ))?,
    ];
    ctx.db().delete(KIND, name)?;
    if let Some(summaries) = load_balancer["tlsCertificateSummaries"].as_array_mut() {
        summaries.retain(|summary| summary["name"] != name);
    }
    if attached {
        disable_https(&mut load_balancer);
    }
    ctx.db()
        .put(load_balancers::KIND, load_balancer_name, &load_balancer)?;
    ctx.schedule(
        "LoadBalancerTlsCertificate.delete",
        Transition::of(load_balancers::KIND, load_balancer_name).finishing(&operations),
    )?;
    Ok(json!({ "operations": operations }))
}
