//! Contact methods: CreateContactMethod, GetContactMethods, DeleteContactMethod,
//! SendContactMethodVerification.
//!
//! One contact method per protocol and region, SMS only in the six regions the model's documentation
//! lists, phone numbers in E.164 (`+` and up to 15 digits). An SMS contact method is `Valid` at once
//! (SMS needs no verification); an email one is `PendingVerification` until the owner follows the
//! link, which the emulator plays after the `ContactMethod` delay (our invention). Sending the
//! verification again to an unverified (or `Invalid`) email restarts that wait; to a verified one it
//! changes nothing. The name, `Email-REGION` or `SMS-REGION`, is ours. Every call is over at once
//! (`Succeeded`).

use serde_json::{json, Value};

use crate::engine::{input, Ctx, NewOperation, Registry, Transition};
use crate::error::ApiError;

/// The `resourceType` (and store kind) of contact methods.
pub const KIND: &str = "ContactMethod";

/// Where SMS notifications can be configured (the model's documentation of CreateContactMethod).
const SMS_REGIONS: &[&str] = &[
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "ap-northeast-1",
    "ap-southeast-1",
    "ap-southeast-2",
];

pub fn register(registry: &mut Registry) {
    registry
        .add("CreateContactMethod", create)
        .add("GetContactMethods", list)
        .add("DeleteContactMethod", delete)
        .add("SendContactMethodVerification", send_verification);
}

/// The contact method of a protocol in the caller's region.
fn name(ctx: &Ctx<'_>, protocol: &str) -> String {
    format!("{protocol}-{}", ctx.region.name)
}

fn invalid(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

fn is_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

fn is_e164(text: &str) -> bool {
    text.strip_prefix('+').is_some_and(|digits| {
        (2..=15).contains(&digits.len())
            && !digits.starts_with('0')
            && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

fn verify_later(ctx: &mut Ctx<'_>, name: &str) -> Result<(), ApiError> {
    ctx.schedule(
        KIND,
        Transition::of(KIND, name)
            .set("/status", "Valid")
            .only_if("/status", "PendingVerification"),
    )
}

fn create(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let protocol = input::string(input, "protocol");
    let endpoint = input::string(input, "contactEndpoint");
    let region = ctx.region.name;
    match protocol {
        "SMS" if !SMS_REGIONS.contains(&region) => {
            return Err(invalid(format!(
                "SMS text messaging is not supported in this Region: {region}"
            )))
        }
        "SMS" if !is_e164(endpoint) => {
            return Err(invalid(format!(
                "The phone number must be in E.164 format (for example, +1XXX5550100): {endpoint}"
            )))
        }
        "Email" if !is_email(endpoint) => {
            return Err(invalid(format!(
                "The email address is not valid: {endpoint}"
            )))
        }
        _ => {}
    }
    let name = name(ctx, protocol);
    if ctx.db().exists(KIND, &name)? {
        return Err(ApiError::operation_failure(format!(
            "A contact method of this protocol already exists in this Region: {protocol}"
        )));
    }
    let operation = ctx.record(NewOperation::succeeded(
        KIND,
        &name,
        ctx.regional_location(),
    ))?;
    let arn = ctx.new_arn(KIND);
    let support_code = ctx.support_code("");
    let status = if protocol == "SMS" {
        "Valid"
    } else {
        "PendingVerification"
    };
    let contact_method = json!({
        "contactEndpoint": endpoint,
        "status": status,
        "protocol": protocol,
        "name": name,
        "arn": arn,
        "createdAt": ctx.now(),
        "location": ctx.regional_location(),
        "resourceType": KIND,
        "supportCode": support_code,
        "tags": input::tags(input),
    });
    ctx.db().insert(KIND, &name, &contact_method)?;
    if status == "PendingVerification" {
        verify_later(ctx, &name)?;
    }
    Ok(json!({ "operations": [operation] }))
}

fn list(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let protocols = input::strings(input, "protocols");
    // At most one per protocol: the whole kind is two items.
    let contact_methods: Vec<Value> = ctx
        .db()
        .list(KIND)?
        .into_iter()
        .filter(|method| {
            protocols.is_empty()
                || method["protocol"]
                    .as_str()
                    .is_some_and(|p| protocols.contains(&p))
        })
        .collect();
    Ok(json!({ "contactMethods": contact_methods }))
}

fn delete(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let protocol = input::string(input, "protocol");
    let name = name(ctx, protocol);
    if !ctx.db().delete(KIND, &name)? {
        return Err(ApiError::not_found(KIND, protocol));
    }
    let operation = ctx.record(NewOperation::succeeded(
        KIND,
        &name,
        ctx.regional_location(),
    ))?;
    Ok(json!({ "operations": [operation] }))
}

fn send_verification(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let protocol = input::string(input, "protocol");
    let name = name(ctx, protocol);
    let method = ctx
        .db()
        .get(KIND, &name)?
        .ok_or_else(|| ApiError::not_found(KIND, protocol))?;
    let operation = ctx.record(NewOperation::succeeded(
        KIND,
        &name,
        ctx.regional_location(),
    ))?;
    if method["status"] != "Valid" {
        ctx.db().update(KIND, &name, |body| {
            body["status"] = json!("PendingVerification");
        })?;
        verify_later(ctx, &name)?;
    }
    Ok(json!({ "operations": [operation] }))
}
