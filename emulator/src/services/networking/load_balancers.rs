//! Load balancers: CreateLoadBalancer, GetLoadBalancer, GetLoadBalancers, DeleteLoadBalancer,
//! AttachInstancesToLoadBalancer, DetachInstancesFromLoadBalancer, UpdateLoadBalancerAttribute.
//!
//! A new load balancer is `provisioning` with a `Started` operation and becomes `active` after the
//! `LoadBalancer` delay. Its DNS name and support code follow `src/help/examples/get-load-balancer.rst`
//! (an ELB application load balancer's `<32 hex>-<10 digits>.<region>.elb.amazonaws.com` and ARN);
//! it serves HTTP on port 80 until a TLS certificate is attached (`load_balancer_certificates`), then
//! `HTTP_HTTPS` on 80 and 443. At most 10 per region (the model's documentation). Naming a
//! certificate at creation creates it too, with the operations of `create-load-balancer.rst` (whose
//! certificate operation carries the load balancer's name, as the example shows).
//!
//! Attached instances must be running (the model's documentation). Each enters
//! `instanceHealthSummary` as `initial` (`Lb.RegistrationInProgress`) with two `Started` operations,
//! one on the load balancer and one on the instance (both located in zone `all`, as
//! `attach-instances-to-load-balancer.rst` shows), and is `healthy` after the `LoadBalancer.attach`
//! delay. Detaching removes it at once; its operations succeed after `LoadBalancer.detach`. Detaching
//! also ends any registration still in progress (a simplification: a lifecycle step addresses its
//! entry by position). Attribute updates are over at once.

use serde_json::{json, Map, Value};

use super::load_balancer_certificates::{self as certificates, check_policy, DEFAULT_TLS_POLICY};
use crate::engine::{input, Ctx, NewOperation, Registry, Transition};
use crate::error::ApiError;
use crate::services::instances;

/// The `resourceType` (and store kind) of load balancers.
pub const KIND: &str = "LoadBalancer";

/// The model's documentation: "You can create up to 10 load balancers per AWS Region".
const MAX_PER_REGION: u64 = 10;

/// The account that owns the ELB load balancers behind Lightsail's (the example's placeholder).
const ELB_ACCOUNT: &str = "333322221111";

/// ELB's limit on the stickiness cookie's duration (seven days).
const MAX_COOKIE_SECONDS: i64 = 604_800;

pub fn register(registry: &mut Registry) {
    registry
        .add("CreateLoadBalancer", create)
        .add("GetLoadBalancer", get)
        .add("GetLoadBalancers", list)
        .add("DeleteLoadBalancer", delete)
        .add("AttachInstancesToLoadBalancer", attach_instances)
        .add("DetachInstancesFromLoadBalancer", detach_instances)
        .add("UpdateLoadBalancerAttribute", update_attribute);
}

fn invalid(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

fn create(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "loadBalancerName");
    let certificate = match (
        input::optional_string(input, "certificateName"),
        input::optional_string(input, "certificateDomainName"),
    ) {
        (Some(certificate), Some(domain)) => Some((certificate, domain)),
        (None, None) => None,
        _ => {
            return Err(invalid(
                "If you specify certificateName, then certificateDomainName is required (and vice-versa)"
                    .to_string(),
            ))
        }
    };
    let alternatives = input::strings(input, "certificateAlternativeNames");
    if let Some(policy) = input::optional_string(input, "tlsPolicyName") {
        check_policy(policy)?;
    }
    if ctx.db().exists(KIND, name)? {
        return Err(ApiError::name_in_use(name));
    }
    if ctx.db().count(KIND)? >= MAX_PER_REGION {
        return Err(ApiError::operation_failure(format!(
            "You have reached the maximum number of load balancers in this Region ({MAX_PER_REGION})"
        )));
    }
    if let Some((certificate, domain)) = certificate {
        certificates::check_new(ctx, certificate, domain, &alternatives)?;
    }
    let mut operations =
        vec![ctx.record(NewOperation::started(KIND, name, ctx.regional_location()))?];
    let arn = ctx.new_arn(KIND);
    let elb_id = ctx.ids.resource_hex(32);
    let elb_suffix = ctx.ids.resource_hex(16);
    let dns_number = 1_000_000_000 + ctx.ids.below(9_000_000_000);
    let region = ctx.region.name;
    let mut load_balancer = json!({
        "name": name,
        "arn": arn,
        "supportCode": format!(
            "{}/arn:aws:elasticloadbalancing:{region}:{ELB_ACCOUNT}:loadbalancer/app/{elb_id}/{elb_suffix}",
            ctx.account
        ),
        "createdAt": ctx.now(),
        "location": ctx.regional_location(),
        "resourceType": KIND,
        "tags": input::tags(input),
        "dnsName": format!("{elb_id}-{dns_number}.{region}.elb.amazonaws.com"),
        "state": "provisioning",
        "protocol": "HTTP",
        "publicPorts": [80],
        "healthCheckPath": input::optional_string(input, "healthCheckPath").unwrap_or("/"),
        "instancePort": input::integer(input, "instancePort"),
        "instanceHealthSummary": [],
        "tlsCertificateSummaries": [],
        "configurationOptions": {
            "SessionStickinessEnabled": "false",
            "SessionStickiness_LB_CookieDurationSeconds": "86400",
        },
        "ipAddressType": input::optional_string(input, "ipAddressType").unwrap_or("dualstack"),
        "httpsRedirectionEnabled": false,
    });
    if let Some(policy) = input::optional_string(input, "tlsPolicyName") {
        load_balancer["tlsPolicyName"] = json!(policy);
        load_balancer["configurationOptions"]["TlsPolicyName"] = json!(policy);
    }
    if let Some((certificate, domain)) = certificate {
        operations.push(
            ctx.record(
                NewOperation::succeeded(certificates::KIND, name, ctx.regional_location())
                    .details(name)
                    .operation_type("CreateLoadBalancerTlsCertificate"),
            )?,
        );
        operations.push(
            ctx.record(
                NewOperation::succeeded(KIND, name, ctx.regional_location())
                    .details(certificate)
                    .operation_type("CreateLoadBalancerTlsCertificate"),
            )?,
        );
        certificates::create_for(
            ctx,
            &mut load_balancer,
            certificate,
            domain,
            &alternatives,
            Vec::new(),
        )?;
    }
    ctx.db().insert(KIND, name, &load_balancer)?;
    ctx.schedule(
        KIND,
        Transition::of(KIND, name)
            .set("/state", "active")
            .only_if("/state", "provisioning")
            .finishing(&operations[..1]),
    )?;
    Ok(json!({ "operations": operations }))
}

fn get(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let load_balancer = ctx
        .db()
        .require(KIND, input::string(input, "loadBalancerName"))?;
    Ok(json!({ "loadBalancer": load_balancer }))
}

fn list(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    Ok(ctx.page(KIND, input)?.into_output("loadBalancers"))
}

/// The names in a load balancer's `tlsCertificateSummaries`.
pub fn certificate_names(load_balancer: &Value) -> Vec<String> {
    load_balancer["tlsCertificateSummaries"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.get("name").and_then(Value::as_str))
        .map(str::to_string)
        .collect()
}

fn delete(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "loadBalancerName");
    let load_balancer = ctx.db().require(KIND, name)?;
    let mut operations =
        vec![ctx.record(NewOperation::succeeded(KIND, name, ctx.regional_location()))?];
    let mut certificate_operations = Vec::new();
    for certificate in certificate_names(&load_balancer) {
        let pair = [
            ctx.record(
                NewOperation::started(certificates::KIND, &certificate, ctx.regional_location())
                    .operation_type("DeleteLoadBalancerTlsCertificate"),
            )?,
            ctx.record(
                NewOperation::started(KIND, name, ctx.regional_location())
                    .operation_type("DeleteLoadBalancerTlsCertificate"),
            )?,
        ];
        ctx.db().delete(certificates::KIND, &certificate)?;
        certificate_operations.push((certificate, pair.clone()));
        operations.extend(pair);
    }
    ctx.db().delete(KIND, name)?;
    for (certificate, pair) in certificate_operations {
        ctx.schedule(
            "LoadBalancerTlsCertificate.delete",
            Transition::of(certificates::KIND, &certificate).finishing(&pair),
        )?;
    }
    Ok(json!({ "operations": operations }))
}

fn health_summary(load_balancer: &mut Value) -> &mut Vec<Value> {
    if !load_balancer["instanceHealthSummary"].is_array() {
        load_balancer["instanceHealthSummary"] = Value::Array(Vec::new());
    }
    match &mut load_balancer["instanceHealthSummary"] {
        Value::Array(items) => items,
        // Made an array just above.
        _ => unreachable!("instanceHealthSummary is an array"),
    }
}

fn is_attached(load_balancer: &Value, instance: &str) -> bool {
    load_balancer["instanceHealthSummary"]
        .as_array()
        .is_some_and(|items| items.iter().any(|i| i["instanceName"] == instance))
}

/// The request's instance names, each once, in order.
fn instance_names(input: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for name in input::strings(input, "instanceNames") {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

fn attach_instances(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "loadBalancerName");
    let mut load_balancer = ctx.db().require(KIND, name)?;
    let names = instance_names(input);
    for instance_name in &names {
        let instance = ctx.db().require(instances::KIND, instance_name)?;
        let state = instance
            .pointer("/state/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        if state != "running" {
            return Err(ApiError::operation_failure(format!(
                "An instance must be running before you can attach it to a load balancer: {instance_name} is {state}"
            )));
        }
        if is_attached(&load_balancer, instance_name) {
            return Err(invalid(format!(
                "The instance is already attached to the load balancer: {instance_name}"
            )));
        }
    }
    let mut operations = Vec::new();
    let mut steps = Vec::new();
    for instance_name in names {
        let pair = [
            ctx.record(
                NewOperation::started(KIND, name, ctx.regional_location()).details(instance_name),
            )?,
            ctx.record(
                NewOperation::started(instances::KIND, instance_name, ctx.regional_location())
                    .details(name),
            )?,
        ];
        let summary = health_summary(&mut load_balancer);
        summary.push(json!({
            "instanceName": instance_name,
            "instanceHealth": "initial",
            "instanceHealthReason": "Lb.RegistrationInProgress",
        }));
        let index = summary.len() - 1;
        steps.push(
            Transition::of(KIND, name)
                .set(
                    &format!("/instanceHealthSummary/{index}"),
                    json!({"instanceName": instance_name, "instanceHealth": "healthy"}),
                )
                .only_if(
                    &format!("/instanceHealthSummary/{index}/instanceName"),
                    instance_name,
                )
                .finishing(&pair),
        );
        operations.extend(pair);
    }
    ctx.db().put(KIND, name, &load_balancer)?;
    for step in steps {
        ctx.schedule("LoadBalancer.attach", step)?;
    }
    Ok(json!({ "operations": operations }))
}

fn detach_instances(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "loadBalancerName");
    let mut load_balancer = ctx.db().require(KIND, name)?;
    let names = instance_names(input);
    if let Some(missing) = names.iter().find(|n| !is_attached(&load_balancer, n)) {
        return Err(invalid(format!(
            "The instance is not attached to the load balancer: {missing}"
        )));
    }
    let mut operations = Vec::new();
    for instance_name in &names {
        operations.push(ctx.record(
            NewOperation::started(KIND, name, ctx.regional_location()).details(instance_name),
        )?);
        if ctx.db().exists(instances::KIND, instance_name)? {
            operations.push(
                ctx.record(
                    NewOperation::started(instances::KIND, instance_name, ctx.regional_location())
                        .details(name),
                )?,
            );
        }
    }
    let summary = health_summary(&mut load_balancer);
    summary.retain(|entry| {
        !names
            .iter()
            .any(|n| entry["instanceName"].as_str() == Some(n))
    });
    for entry in summary.iter_mut() {
        if entry["instanceHealth"] == "initial" {
            *entry = json!({"instanceName": entry["instanceName"], "instanceHealth": "healthy"});
        }
    }
    ctx.db().put(KIND, name, &load_balancer)?;
    ctx.schedule(
        "LoadBalancer.detach",
        Transition::of(KIND, name).finishing(&operations),
    )?;
    Ok(json!({ "operations": operations }))
}

fn boolean_value(attribute: &str, value: &str) -> Result<bool, ApiError> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(invalid(format!(
            "The value of {attribute} must be true or false: {value}"
        ))),
    }
}

fn update_attribute(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "loadBalancerName");
    let attribute = input::string(input, "attributeName");
    let value = input::string(input, "attributeValue");
    let mut load_balancer = ctx.db().require(KIND, name)?;
    let mut options: Map<String, Value> = load_balancer["configurationOptions"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    match attribute {
        "HealthCheckPath" => {
            if !value.starts_with('/') {
                return Err(invalid(format!(
                    "The health check path must start with /: {value}"
                )));
            }
            load_balancer["healthCheckPath"] = json!(value);
        }
        "SessionStickinessEnabled" => {
            boolean_value(attribute, value)?;
        }
        "SessionStickiness_LB_CookieDurationSeconds" => {
            let seconds = value
                .parse::<i64>()
                .ok()
                .filter(|s| (1..=MAX_COOKIE_SECONDS).contains(s));
            if seconds.is_none() {
                return Err(invalid(format!(
                    "The cookie duration must be a number of seconds from 1 to {MAX_COOKIE_SECONDS}: {value}"
                )));
            }
        }
        "HttpsRedirectionEnabled" => {
            let enabled = boolean_value(attribute, value)?;
            if enabled && load_balancer["protocol"] != "HTTP_HTTPS" {
                return Err(invalid(format!(
                    "HTTPS redirection needs a TLS certificate attached to the load balancer: {name}"
                )));
            }
            load_balancer["httpsRedirectionEnabled"] = json!(enabled);
        }
        "TlsPolicyName" => {
            check_policy(value)?;
            load_balancer["tlsPolicyName"] = json!(value);
        }
        // The model's enum: validation refused anything else already.
        _ => return Err(invalid(format!("Unknown attribute: {attribute}"))),
    }
    options.insert(attribute.to_string(), json!(value));
    load_balancer["configurationOptions"] = Value::Object(options);
    ctx.db().put(KIND, name, &load_balancer)?;
    let operation = ctx
        .record(NewOperation::succeeded(KIND, name, ctx.regional_location()).details(attribute))?;
    Ok(json!({ "operations": [operation] }))
}

/// HTTPS on: `HTTP_HTTPS` on ports 80 and 443, with the default TLS policy unless one is set.
pub fn enable_https(load_balancer: &mut Value) {
    load_balancer["protocol"] = json!("HTTP_HTTPS");
    load_balancer["publicPorts"] = json!([80, 443]);
    if load_balancer.get("tlsPolicyName").is_none() {
        load_balancer["tlsPolicyName"] = json!(DEFAULT_TLS_POLICY);
    }
}

/// HTTPS off (its attached certificate is gone): HTTP on port 80, no redirection.
pub fn disable_https(load_balancer: &mut Value) {
    load_balancer["protocol"] = json!("HTTP");
    load_balancer["publicPorts"] = json!([80]);
    load_balancer["httpsRedirectionEnabled"] = json!(false);
    if let Some(options) = load_balancer["configurationOptions"].as_object_mut() {
        if options.contains_key("HttpsRedirectionEnabled") {
            options.insert("HttpsRedirectionEnabled".into(), json!("false"));
        }
    }
}
