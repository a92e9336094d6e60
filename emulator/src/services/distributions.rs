//! Content delivery (CDN) distributions: CreateDistribution, GetDistributions, UpdateDistribution,
//! UpdateDistributionBundle, DeleteDistribution, GetDistributionBundles, ResetDistributionCache,
//! GetDistributionLatestCacheReset, GetDistributionMetricData, AttachCertificateToDistribution,
//! DetachCertificateFromDistribution.
//!
//! As on the service, distributions live in us-east-1 ("all distributions are located in the
//! us-east-1 Region", the model says) and their calls answer `UnsupportedOperation` elsewhere (the
//! Terraform AWS provider quotes the message). An origin is an instance, bucket, load balancer or
//! container service of any region (`origin.regionName`, default us-east-1), read from its family's
//! store; a missing one is `NotFoundException`. A new or changed distribution is `InProgress` and,
//! after the `Distribution` delay, `Deployed`, its operation `Succeeded` then; changes are refused
//! while it is `InProgress` (`OperationFailureException`, our message). Certificates must be
//! `ISSUED` and of us-east-1 (the distribution's region); attaching one sets the distribution's
//! alternative domain names to the certificate's domains and counts the distribution in the
//! certificate's `inUseResourceCount`. The bundle may be changed once (`ableToUpdateBundle`, as
//! documented; the billing cycle is not modelled). A cache reset is `InProgress` until the
//! `Distribution.cacheReset` delay has passed, then `Completed` (CloudFront's invalidation states).
//!
//! Our choices, listed in the README: the defaults of the cache settings and of the origin, the
//! CloudFront-style domain name and support code, the origin's public DNS per origin kind, the
//! bundle catalogue's values, and the metric samples (requests, bytes and error rates per minute).

use serde_json::{json, Value};

use crate::engine::clock::round_millis;
use crate::engine::regions::DOMAIN_REGION;
use crate::engine::{input, Ctx, NewOperation, Registry, Transition};
use crate::error::ApiError;
use crate::services::certificates;
use crate::services::metric_series::{round, seed_of, SampleRandom, Window};

/// The `resourceType` (and store kind) of distributions.
pub const KIND: &str = "Distribution";
/// Where distributions live.
pub const REGION: &str = DOMAIN_REGION;

/// The bundles: id, name, monthly price (USD), monthly transfer (GB).
pub const BUNDLES: [(&str, &str, f64, i64); 3] = [
    ("small_1_0", "Small", 2.5, 50),
    ("medium_1_0", "Medium", 10.0, 200),
    ("large_1_0", "Large", 35.0, 500),
];

/// The kinds an origin can be, in the order a name is looked up.
const ORIGIN_KINDS: [&str; 4] = ["Instance", "Bucket", "LoadBalancer", "ContainerService"];

pub fn register(registry: &mut Registry) {
    registry
        .add("CreateDistribution", create)
        .add("GetDistributions", list)
        .add("UpdateDistribution", update)
        .add("UpdateDistributionBundle", update_bundle)
        .add("DeleteDistribution", delete)
        .add("GetDistributionBundles", bundles)
        .add("ResetDistributionCache", reset_cache)
        .add("GetDistributionLatestCacheReset", latest_cache_reset)
        .add("GetDistributionMetricData", metric_data)
        .add("AttachCertificateToDistribution", attach_certificate)
        .add("DetachCertificateFromDistribution", detach_certificate);
}

fn check_region(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    if ctx.region.name == REGION {
        Ok(())
    } else {
        Err(ApiError::distribution_region())
    }
}

fn invalid(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

/// The distribution a call names; its name is optional in the model for some calls, but required.
fn named(input: &Value) -> Result<&str, ApiError> {
    input::optional_string(input, "distributionName").ok_or_else(|| {
        invalid("Missing required parameter in input: \"distributionName\"".to_string())
    })
}

fn require(ctx: &Ctx<'_>, name: &str) -> Result<Value, ApiError> {
    ctx.db().require(KIND, name)
}

/// Refuses to change a distribution that is still deploying.
fn require_deployed(distribution: &Value, name: &str) -> Result<(), ApiError> {
    let status = distribution["status"].as_str().unwrap_or("");
    if status == "Deployed" {
        return Ok(());
    }
    Err(ApiError::operation_failure(format!(
        "The distribution is {status}; try again when it is Deployed: {name}"
    )))
}

fn check_bundle(bundle: &str) -> Result<(), ApiError> {
    if BUNDLES.iter().any(|(id, ..)| *id == bundle) {
        return Ok(());
    }
    let known: Vec<&str> = BUNDLES.iter().map(|(id, ..)| *id).collect();
    Err(invalid(format!(
        "The bundle ID must be one of {}: {bundle}",
        known.join(", ")
    )))
}

/// The public DNS name (or address) a distribution pulls from, per origin kind.
fn origin_public_dns(kind: &str, origin: &Value, name: &str, region: &str) -> String {
    let host_of_url = |url: &str| {
        url.trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string()
    };
    match kind {
        "Instance" => origin["publicIpAddress"].as_str().unwrap_or("").to_string(),
        "LoadBalancer" => origin["dnsName"].as_str().unwrap_or("").to_string(),
        "ContainerService" => host_of_url(origin["url"].as_str().unwrap_or("")),
        _ => match origin["url"].as_str() {
            Some(url) => host_of_url(url),
            None => format!("{name}.s3.{region}.amazonaws.com"),
        },
    }
}

/// The origin a request names, found in its region: `(origin, originPublicDNS)`.
fn resolve_origin(ctx: &Ctx<'_>, requested: &Value) -> Result<(Value, String), ApiError> {
    let name = requested["name"].as_str().unwrap_or("");
    if name.is_empty() {
        return Err(invalid(
            "Missing required parameter in input: \"origin.name\"".to_string(),
        ));
    }
    let region = requested["regionName"].as_str().unwrap_or(REGION);
    let store = ctx.db_in(region);
    for kind in ORIGIN_KINDS {
        if let Some(resource) = store.get(kind, name)? {
            let origin = json!({
                "name": name,
                "resourceType": kind,
                "regionName": region,
                "protocolPolicy": requested["protocolPolicy"].as_str().unwrap_or("http-only"),
                "responseTimeout": requested["responseTimeout"].as_i64().unwrap_or(30),
                "ipAddressType": requested["ipAddressType"].as_str().unwrap_or("ipv4"),
            });
            let timeout = origin["responseTimeout"].as_i64().unwrap_or(30);
            if !(1..=60).contains(&timeout) {
                return Err(invalid(format!(
                    "The origin's responseTimeout must be between 1 and 60 seconds: {timeout}"
                )));
            }
            let dns = origin_public_dns(kind, &resource, name, region);
            return Ok((origin, dns));
        }
    }
    Err(ApiError::not_found("Resource", name))
}

/// The cache settings: the request's members over the defaults.
fn cache_settings(requested: Option<&Value>) -> Value {
    let mut settings = json!({
        "defaultTTL": 86400,
        "minimumTTL": 0,
        "maximumTTL": 31536000,
        "allowedHTTPMethods": "GET,HEAD,OPTIONS,PUT,PATCH,POST,DELETE",
        "cachedHTTPMethods": "GET,HEAD",
        "forwardedCookies": {"option": "none", "cookiesAllowList": []},
        "forwardedHeaders": {"option": "none", "headersAllowList": []},
        "forwardedQueryStrings": {"option": false, "queryStringsAllowList": []},
    });
    if let Some(Value::Object(members)) = requested {
        for (key, value) in members {
            match (settings.get_mut(key), value) {
                (Some(Value::Object(default)), Value::Object(given)) => {
                    for (inner, v) in given {
                        default.insert(inner.clone(), v.clone());
                    }
                }
                _ => settings[key] = value.clone(),
            }
        }
    }
    settings
}

/// Starts a change: `InProgress` now, `Deployed` after the delay, finishing `operation`.
fn deploy(ctx: &mut Ctx<'_>, name: &str, operation: &Value) -> Result<(), ApiError> {
    ctx.schedule(
        KIND,
        Transition::of(KIND, name)
            .only_if("/status", "InProgress")
            .set("/status", "Deployed")
            .finishing(std::slice::from_ref(operation)),
    )
}

fn started(ctx: &mut Ctx<'_>, name: &str, details: Option<&str>) -> Result<Value, ApiError> {
    let mut operation = NewOperation::started(KIND, name, ctx.regional_location());
    if let Some(details) = details {
        operation = operation.details(details);
    }
    ctx.record(operation)
}

/// Puts a certificate on a distribution (replacing any other).
fn attach(ctx: &Ctx<'_>, distribution: &mut Value, certificate_name: &str) -> Result<(), ApiError> {
    let certificate = certificates::require_issued(ctx, certificate_name)?;
    let previous = distribution["certificateName"].as_str().map(str::to_string);
    if previous.as_deref() == Some(certificate_name) {
        return Ok(());
    }
    if let Some(previous) = previous {
        certificates::adjust_use(ctx, &previous, -1)?;
    }
    certificates::adjust_use(ctx, certificate_name, 1)?;
    distribution["certificateName"] = json!(certificate_name);
    distribution["alternativeDomainNames"] = json!(certificates::domains(&certificate));
    Ok(())
}

/// Takes the certificate off a distribution; false when it had none.
fn detach(ctx: &Ctx<'_>, distribution: &mut Value) -> Result<bool, ApiError> {
    let Some(object) = distribution.as_object_mut() else {
        return Ok(false);
    };
    let Some(previous) = object.remove("certificateName") else {
        return Ok(false);
    };
    object.insert("alternativeDomainNames".into(), json!([]));
    certificates::adjust_use(ctx, previous.as_str().unwrap_or(""), -1)?;
    Ok(true)
}

fn create(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    check_region(ctx)?;
    let name = input::string(input, "distributionName");
    let bundle = input::string(input, "bundleId");
    check_bundle(bundle)?;
    if ctx.db().exists(KIND, name)? {
        return Err(ApiError::name_in_use(name));
    }
    let (origin, origin_dns) = resolve_origin(ctx, &input["origin"])?;
    let domain = format!(
        "d{}.cloudfront.net",
        ctx.ids
            .string_from("abcdefghijklmnopqrstuvwxyz0123456789", 13)
    );
    let support = format!(
        "{}/E{}",
        ctx.account,
        ctx.ids
            .string_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 13)
    );
    let mut distribution = json!({
        "name": name,
        "arn": ctx.new_arn(KIND),
        "supportCode": support,
        "createdAt": ctx.now(),
        "location": ctx.regional_location(),
        "resourceType": KIND,
        "alternativeDomainNames": [],
        "status": "InProgress",
        "isEnabled": true,
        "domainName": domain,
        "bundleId": bundle,
        "origin": origin,
        "originPublicDNS": origin_dns,
        "defaultCacheBehavior": input["defaultCacheBehavior"],
        "cacheBehaviorSettings": cache_settings(input.get("cacheBehaviorSettings")),
        "cacheBehaviors": input.get("cacheBehaviors").cloned().unwrap_or_else(|| json!([])),
        "ableToUpdateBundle": true,
        "ipAddressType": input::optional_string(input, "ipAddressType").unwrap_or("dualstack"),
        "tags": input::tags(input),
        "viewerMinimumTlsProtocolVersion":
            input::optional_string(input, "viewerMinimumTlsProtocolVersion").unwrap_or("TLSv1.2_2021"),
    });
    if let Some(certificate) = input::optional_string(input, "certificateName") {
        attach(ctx, &mut distribution, certificate)?;
    }
    ctx.db().insert(KIND, name, &distribution)?;
    let operation = started(ctx, name, None)?;
    deploy(ctx, name, &operation)?;
    Ok(json!({ "distribution": distribution, "operation": operation }))
}

fn list(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    check_region(ctx)?;
    if let Some(name) = input::optional_string(input, "distributionName") {
        return Ok(json!({ "distributions": [require(ctx, name)?] }));
    }
    Ok(ctx.page(KIND, input)?.into_output("distributions"))
}

fn update(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    check_region(ctx)?;
    let name = input::string(input, "distributionName");
    let mut distribution = require(ctx, name)?;
    require_deployed(&distribution, name)?;
    if let Some(requested) = input.get("origin") {
        let (origin, dns) = resolve_origin(ctx, requested)?;
        distribution["origin"] = origin;
        distribution["originPublicDNS"] = json!(dns);
    }
    if let Some(behavior) = input.get("defaultCacheBehavior") {
        distribution["defaultCacheBehavior"] = behavior.clone();
    }
    if let Some(settings) = input.get("cacheBehaviorSettings") {
        distribution["cacheBehaviorSettings"] = cache_settings(Some(settings));
    }
    if let Some(behaviors) = input.get("cacheBehaviors") {
        distribution["cacheBehaviors"] = behaviors.clone();
    }
    if let Some(enabled) = input.get("isEnabled") {
        distribution["isEnabled"] = enabled.clone();
    }
    if let Some(version) = input.get("viewerMinimumTlsProtocolVersion") {
        distribution["viewerMinimumTlsProtocolVersion"] = version.clone();
    }
    match (
        input::optional_string(input, "certificateName"),
        input.get("useDefaultCertificate").and_then(Value::as_bool),
    ) {
        (Some(_), Some(true)) => {
            return Err(invalid(
                "Specify either certificateName or useDefaultCertificate, not both".to_string(),
            ))
        }
        (Some(certificate), _) => attach(ctx, &mut distribution, certificate)?,
        (None, Some(true)) => {
            detach(ctx, &mut distribution)?;
        }
        _ => {}
    }
    distribution["status"] = json!("InProgress");
    ctx.db().put(KIND, name, &distribution)?;
    let operation = started(ctx, name, None)?;
    deploy(ctx, name, &operation)?;
    Ok(json!({ "operation": operation }))
}

fn update_bundle(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    check_region(ctx)?;
    let name = named(input)?;
    let bundle = input::optional_string(input, "bundleId")
        .ok_or_else(|| invalid("Missing required parameter in input: \"bundleId\"".to_string()))?;
    check_bundle(bundle)?;
    let mut distribution = require(ctx, name)?;
    require_deployed(&distribution, name)?;
    if !distribution["ableToUpdateBundle"]
        .as_bool()
        .unwrap_or(false)
    {
        return Err(ApiError::operation_failure(format!(
            "The bundle of a distribution can be changed once per billing cycle: {name}"
        )));
    }
    distribution["bundleId"] = json!(bundle);
    distribution["ableToUpdateBundle"] = json!(false);
    distribution["status"] = json!("InProgress");
    ctx.db().put(KIND, name, &distribution)?;
    let operation = started(ctx, name, Some(bundle))?;
    deploy(ctx, name, &operation)?;
    Ok(json!({ "operation": operation }))
}

fn delete(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    check_region(ctx)?;
    let name = named(input)?;
    let mut distribution = require(ctx, name)?;
    detach(ctx, &mut distribution)?;
    ctx.db().delete(KIND, name)?;
    let operation = ctx.record(NewOperation::succeeded(KIND, name, ctx.regional_location()))?;
    Ok(json!({ "operation": operation }))
}

fn bundles(ctx: &mut Ctx<'_>, _input: &Value) -> Result<Value, ApiError> {
    check_region(ctx)?;
    let bundles: Vec<Value> = BUNDLES
        .iter()
        .map(|(id, name, price, transfer)| {
            json!({
                "bundleId": id,
                "name": name,
                "price": price,
                "transferPerMonthInGb": transfer,
                "isActive": true,
            })
        })
        .collect();
    Ok(json!({ "bundles": bundles }))
}

/// The cache reset kept for a distribution (in its private value): `(createTime, completedAt)`.
fn stored_reset(ctx: &Ctx<'_>, name: &str) -> Result<Option<(f64, f64)>, ApiError> {
    let record = ctx
        .db()
        .record(KIND, name)?
        .ok_or_else(|| ApiError::not_found(KIND, name))?;
    let reset = &record.private["latestCacheReset"];
    Ok(reset["createTime"]
        .as_f64()
        .map(|created| (created, reset["completedAt"].as_f64().unwrap_or(created))))
}

fn reset_view(now: f64, (created, completed): (f64, f64)) -> Value {
    let status = if now >= completed {
        "Completed"
    } else {
        "InProgress"
    };
    json!({"status": status, "createTime": created})
}

fn reset_cache(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    check_region(ctx)?;
    let name = named(input)?;
    require(ctx, name)?;
    let now = ctx.now();
    let completed = round_millis(now + ctx.delay("Distribution.cacheReset"));
    ctx.db().put_private(
        KIND,
        name,
        &json!({"latestCacheReset": {"createTime": now, "completedAt": completed}}),
    )?;
    let operation = started(ctx, name, None)?;
    ctx.schedule_at(
        completed,
        Transition::of(KIND, name).finishing(std::slice::from_ref(&operation)),
    )?;
    let mut output = json!({"status": "InProgress", "createTime": now});
    output["operation"] = operation;
    Ok(output)
}

fn latest_cache_reset(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    check_region(ctx)?;
    let now = ctx.now();
    let latest = match input::optional_string(input, "distributionName") {
        Some(name) => stored_reset(ctx, name)?,
        None => {
            let mut latest: Option<(f64, f64)> = None;
            for distribution in ctx.db().list(KIND)? {
                let name = distribution["name"].as_str().unwrap_or("");
                if let Some(reset) = stored_reset(ctx, name)? {
                    if latest.is_none_or(|(created, _)| reset.0 > created) {
                        latest = Some(reset);
                    }
                }
            }
            latest
        }
    };
    Ok(latest.map_or_else(|| json!({}), |reset| reset_view(now, reset)))
}

/// The published unit of a distribution metric.
fn metric_unit(metric: &str) -> &'static str {
    match metric {
        "TotalErrorRate" | "Http4xxErrorRate" | "Http5xxErrorRate" => "Percent",
        _ => "None",
    }
}

/// One minute of a distribution's traffic: requests, bytes down and up, error rates.
fn traffic(seed: u64, metric: &str, at: f64) -> f64 {
    let mut random = SampleRandom::new(seed, at);
    let requests = (5.0 + 120.0 * random.uniform()).round();
    let errors_4xx = round(3.0 * random.uniform());
    let errors_5xx = round(0.5 * random.uniform() * random.uniform());
    match metric {
        "Requests" => requests,
        "BytesDownloaded" => (requests * (8_000.0 + 40_000.0 * random.uniform())).round(),
        "BytesUploaded" => (requests * 200.0 * random.uniform()).round(),
        "Http4xxErrorRate" => errors_4xx,
        "Http5xxErrorRate" => errors_5xx,
        _ => round(errors_4xx + errors_5xx),
    }
}

fn metric_data(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    check_region(ctx)?;
    let name = input::string(input, "distributionName");
    let metric = input::string(input, "metricName");
    let unit = input::string(input, "unit");
    let distribution = require(ctx, name)?;
    let window = Window::from_input(input)?;
    let now = ctx.now();
    let created = distribution["createdAt"].as_f64().unwrap_or(now);
    let seed = seed_of(distribution["arn"].as_str().unwrap_or(name));
    let data = if unit == metric_unit(metric) {
        window.datapoints(now, created, 60.0, unit, |at| traffic(seed, metric, at))
    } else {
        Vec::new()
    };
    Ok(json!({ "metricName": metric, "metricData": data }))
}

fn attach_certificate(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    check_region(ctx)?;
    let name = input::string(input, "distributionName");
    let certificate = input::string(input, "certificateName");
    let mut distribution = require(ctx, name)?;
    require_deployed(&distribution, name)?;
    attach(ctx, &mut distribution, certificate)?;
    distribution["status"] = json!("InProgress");
    ctx.db().put(KIND, name, &distribution)?;
    let operation = started(ctx, name, Some(certificate))?;
    deploy(ctx, name, &operation)?;
    Ok(json!({ "operation": operation }))
}

fn detach_certificate(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    check_region(ctx)?;
    let name = input::string(input, "distributionName");
    let mut distribution = require(ctx, name)?;
    require_deployed(&distribution, name)?;
    let certificate = distribution["certificateName"]
        .as_str()
        .unwrap_or("")
        .to_string();
    if !detach(ctx, &mut distribution)? {
        return Err(ApiError::operation_failure(format!(
            "The distribution has no certificate attached: {name}"
        )));
    }
    distribution["status"] = json!("InProgress");
    ctx.db().put(KIND, name, &distribution)?;
    let operation = started(ctx, name, Some(&certificate))?;
    deploy(ctx, name, &operation)?;
    Ok(json!({ "operation": operation }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_settings_merge_over_defaults() {
        let settings = cache_settings(Some(&json!({
            "defaultTTL": 60,
            "forwardedCookies": {"option": "allow-list", "cookiesAllowList": ["session"]},
            "forwardedQueryStrings": {"option": true}
        })));
        assert_eq!(settings["defaultTTL"], 60);
        assert_eq!(settings["maximumTTL"], 31536000);
        assert_eq!(
            settings["forwardedCookies"]["cookiesAllowList"],
            json!(["session"])
        );
        assert_eq!(settings["forwardedQueryStrings"]["option"], true);
        assert_eq!(
            settings["forwardedQueryStrings"]["queryStringsAllowList"],
            json!([])
        );
    }

    #[test]
    fn error_rates_add_up() {
        let seed = seed_of("arn:aws:lightsail:us-east-1:111122223333:Distribution/x");
        for at in [60.0, 120.0, 1_569_866_400.0] {
            let total = traffic(seed, "TotalErrorRate", at);
            let parts =
                traffic(seed, "Http4xxErrorRate", at) + traffic(seed, "Http5xxErrorRate", at);
            assert!((total - parts).abs() < 1e-5, "{total} vs {parts}");
            assert!(traffic(seed, "Requests", at) >= 5.0);
        }
    }
}
