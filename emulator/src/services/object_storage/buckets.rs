//! Buckets: CreateBucket, GetBuckets, UpdateBucket, UpdateBucketBundle, DeleteBucket and
//! SetResourceAccessForBucket.
//!
//! The wire form carries every member of the model's `Bucket` (there is no AWS CLI example): the URL is
//! S3's virtual-hosted form (`https://NAME.s3.REGION.amazonaws.com/`), the location the region (`all`),
//! access private with no public overrides, versioning `NeverEnabled` unless asked for, access logging
//! off. The support code (`ACCOUNT/NAME`) is ours. `cors` appears only in UpdateBucket's answer when it
//! sets CORS and in GetBuckets with `includeCors` (which needs `bucketName`), as the model documents.
//! `resourcesReceivingAccess` lists the instances given access (SetResourceAccessForBucket; only
//! running or stopped instances, as documented) when GetBuckets is asked to include connected
//! resources, and always in the answers of CreateBucket and UpdateBucket; an instance deleted since is
//! no longer listed.
//!
//! GetBuckets' `accountLevelBpaSync`: `NeverSynced` before the account's first bucket, `NeverSynced`
//! with `SYNC_ON_HOLD` for the hour after it ("approximately 1 hour", the model says), then `InSync`,
//! synchronised hourly since (`lastSyncedAt`), not affecting Lightsail. Deleting a bucket with access
//! keys or instances given access needs `forceDelete` (the documented conditions that apply here).
//! Messages are ours.

use serde_json::{json, Map, Value};

use crate::engine::clock::{civil, days_from_civil, round_millis};
use crate::engine::regions::REGIONS;
use crate::engine::{input, Ctx, NewOperation, Record, Transition};
use crate::error::ApiError;
use crate::services::instances;
use crate::services::object_storage::{bundles, KIND};

/// Where the account's object-storage facts live (a name no resource can have).
const ACCOUNT_KIND: &str = "ObjectStorageAccount";
const ACCOUNT_NAME: &str = "object-storage.account";
/// How long after the first bucket the account-level BPA configuration is first synchronised.
const BPA_SYNC_AFTER: f64 = 3600.0;

const CORS_METHODS: &[&str] = &["GET", "PUT", "POST", "DELETE", "HEAD"];

fn invalid(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

/// The bucket's wire form and private value, or NotFoundException.
pub fn require_record(ctx: &Ctx<'_>, name: &str) -> Result<Record, ApiError> {
    ctx.db()
        .record(KIND, name)?
        .ok_or_else(|| ApiError::not_found(KIND, name))
}

/// The instances given access that still exist.
fn connected(ctx: &Ctx<'_>, body: &Value) -> Result<Vec<Value>, ApiError> {
    let mut out = Vec::new();
    for receiver in body["resourcesReceivingAccess"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        if ctx
            .db()
            .exists(instances::KIND, receiver["name"].as_str().unwrap_or(""))?
        {
            out.push(receiver.clone());
        }
    }
    Ok(out)
}

/// The wire form as an answer shows it.
fn view(
    ctx: &Ctx<'_>,
    mut body: Value,
    with_connected: bool,
    cors: Option<&Value>,
) -> Result<Value, ApiError> {
    body["resourcesReceivingAccess"] = if with_connected {
        Value::Array(connected(ctx, &body)?)
    } else {
        json!([])
    };
    if let Some(cors) = cors.filter(|c| c.is_object()) {
        body["cors"] = cors.clone();
    }
    Ok(body)
}

/// The account-level block-public-access synchronisation status at `now`.
fn bpa_sync(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let Some(account) = ctx.db().get(ACCOUNT_KIND, ACCOUNT_NAME)? else {
        return Ok(json!({"status": "NeverSynced", "bpaImpactsLightsail": false}));
    };
    let first_sync = account["firstBucketAt"].as_f64().unwrap_or(0.0) + BPA_SYNC_AFTER;
    let now = ctx.now();
    if now < first_sync {
        return Ok(json!({
            "status": "NeverSynced",
            "message": "SYNC_ON_HOLD",
            "bpaImpactsLightsail": false,
        }));
    }
    let last = first_sync + ((now - first_sync) / 3600.0).floor() * 3600.0;
    Ok(json!({
        "status": "InSync",
        "lastSyncedAt": round_millis(last),
        "bpaImpactsLightsail": false,
    }))
}

/// 00:00 UTC on the first day of the month after `now`.
fn next_billing_cycle(now: f64) -> f64 {
    let (year, month, ..) = civil(now.floor() as i64);
    let (year, month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    (days_from_civil(year, month, 1) * 86_400) as f64
}

pub fn create(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "bucketName");
    let bundle = bundles::active(input::string(input, "bundleId"))?;
    let here = ctx.region.name;
    for region in REGIONS.iter().map(|r| r.name).chain([here]) {
        if ctx.db_in(region).exists(KIND, name)? {
            return Err(ApiError::name_in_use(name));
        }
    }
    let now = ctx.now();
    let arn = ctx.new_arn(KIND);
    let body = json!({
        "resourceType": KIND,
        "accessRules": {"getObject": "private", "allowPublicOverrides": false},
        "arn": arn,
        "bundleId": bundle.id,
        "createdAt": now,
        "url": format!("https://{name}.s3.{here}.amazonaws.com/"),
        "location": ctx.regional_location(),
        "name": name,
        "supportCode": format!("{}/{name}", ctx.account),
        "tags": input::tags(input),
        "objectVersioning": if input::flag(input, "enableObjectVersioning") {
            "Enabled"
        } else {
            "NeverEnabled"
        },
        "ableToUpdateBundle": true,
        "readonlyAccessAccounts": [],
        "resourcesReceivingAccess": [],
        "state": {"code": "OK"},
        "accessLogConfig": {"enabled": false},
    });
    let private = json!({"accessKeys": [], "cors": null});
    ctx.db().insert_with_private(KIND, name, &body, &private)?;
    if !ctx.db().exists(ACCOUNT_KIND, ACCOUNT_NAME)? {
        ctx.db()
            .insert(ACCOUNT_KIND, ACCOUNT_NAME, &json!({"firstBucketAt": now}))?;
    }
    let operation = ctx.record(NewOperation::started(KIND, name, ctx.regional_location()))?;
    ctx.schedule(
        KIND,
        Transition::of(KIND, name).finishing(std::slice::from_ref(&operation)),
    )?;
    Ok(json!({
        "bucket": view(ctx, body, true, None)?,
        "operations": [operation],
    }))
}

pub fn get(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let with_connected = input::flag(input, "includeConnectedResources");
    let with_cors = input::flag(input, "includeCors");
    let mut output = match input::optional_string(input, "bucketName") {
        Some(name) => {
            let Record { body, private, .. } = require_record(ctx, name)?;
            let cors = with_cors.then_some(&private["cors"]);
            json!({ "buckets": [view(ctx, body, with_connected, cors)?] })
        }
        None if with_cors => {
            return Err(invalid(
                "includeCors is supported only when getting a single bucket with bucketName."
                    .to_string(),
            ))
        }
        None => {
            let mut page = ctx.page(KIND, input)?;
            page.items = page
                .items
                .into_iter()
                .map(|body| view(ctx, body, with_connected, None))
                .collect::<Result<_, _>>()?;
            page.into_output("buckets")
        }
    };
    output["accountLevelBpaSync"] = bpa_sync(ctx)?;
    Ok(output)
}

fn check_cors(cors: &Value) -> Result<(), ApiError> {
    for rule in cors["rules"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let methods = rule["allowedMethods"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let origins = rule["allowedOrigins"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        if methods.is_empty() || origins.is_empty() {
            return Err(invalid(
                "Each CORS rule must allow at least one method and one origin.".to_string(),
            ));
        }
        if let Some(method) = methods
            .iter()
            .filter_map(Value::as_str)
            .find(|m| !CORS_METHODS.contains(m))
        {
            return Err(invalid(format!(
                "A CORS rule's allowed methods must be among {}: {method}",
                CORS_METHODS.join(", ")
            )));
        }
    }
    Ok(())
}

fn access_log_config(ctx: &Ctx<'_>, config: &Value) -> Result<Value, ApiError> {
    let enabled = config["enabled"].as_bool().unwrap_or(false);
    let destination = config["destination"].as_str();
    let prefix = config["prefix"].as_str();
    if !enabled {
        if destination.is_some() || prefix.is_some() {
            return Err(invalid(
                "Omit the destination and prefix when disabling the access log.".to_string(),
            ));
        }
        return Ok(json!({"enabled": false}));
    }
    let Some(destination) = destination else {
        return Err(invalid(
            "A destination bucket is required to enable the access log.".to_string(),
        ));
    };
    if !ctx.db().exists(KIND, destination)? {
        return Err(ApiError::not_found(KIND, destination));
    }
    let mut out = json!({"enabled": true, "destination": destination});
    if let Some(prefix) = prefix {
        out["prefix"] = json!(prefix);
    }
    Ok(out)
}

pub fn update(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "bucketName");
    let Record {
        mut body,
        mut private,
        ..
    } = require_record(ctx, name)?;
    if let Some(rules) = input.get("accessRules").and_then(Value::as_object) {
        let mut current: Map<String, Value> =
            body["accessRules"].as_object().cloned().unwrap_or_default();
        for (key, value) in rules {
            current.insert(key.clone(), value.clone());
        }
        body["accessRules"] = Value::Object(current);
    }
    if let Some(versioning) = input::optional_string(input, "versioning") {
        body["objectVersioning"] = match (versioning, body["objectVersioning"].as_str()) {
            ("Enabled", _) => json!("Enabled"),
            // "Suspended" means "was enabled": a bucket never versioned stays so.
            ("Suspended", Some("NeverEnabled")) => json!("NeverEnabled"),
            ("Suspended", _) => json!("Suspended"),
            (other, _) => {
                return Err(invalid(format!(
                    "versioning must be Enabled or Suspended: {other}"
                )))
            }
        };
    }
    if input.get("readonlyAccessAccounts").is_some() {
        let accounts = input::strings(input, "readonlyAccessAccounts");
        if let Some(bad) = accounts
            .iter()
            .find(|a| a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(invalid(format!(
                "readonlyAccessAccounts must be 12-digit AWS account IDs: {bad}"
            )));
        }
        body["readonlyAccessAccounts"] = json!(accounts);
    }
    if let Some(config) = input.get("accessLogConfig") {
        body["accessLogConfig"] = access_log_config(ctx, config)?;
    }
    let cors = input.get("cors");
    if let Some(cors) = cors {
        check_cors(cors)?;
        let empty = cors["rules"].as_array().is_none_or(Vec::is_empty);
        private["cors"] = if empty { Value::Null } else { cors.clone() };
    }
    ctx.db().put(KIND, name, &body)?;
    ctx.db().put_private(KIND, name, &private)?;
    let operation = ctx.record(NewOperation::succeeded(KIND, name, ctx.regional_location()))?;
    let shown_cors = cors.map(|_| &private["cors"]);
    Ok(json!({
        "bucket": view(ctx, body, true, shown_cors)?,
        "operations": [operation],
    }))
}

pub fn update_bundle(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "bucketName");
    let bundle = bundles::active(input::string(input, "bundleId"))?;
    let mut body = ctx.db().require(KIND, name)?;
    if body["bundleId"] == bundle.id {
        return Err(invalid(format!(
            "The bucket {name} already has the bundle {}.",
            bundle.id
        )));
    }
    if body["ableToUpdateBundle"] != true {
        return Err(invalid(format!(
            "The bundle of the bucket {name} can be changed only once per monthly billing cycle."
        )));
    }
    body["bundleId"] = json!(bundle.id);
    body["ableToUpdateBundle"] = json!(false);
    ctx.db().put(KIND, name, &body)?;
    ctx.schedule_at(
        next_billing_cycle(ctx.now()),
        Transition::of(KIND, name).set("/ableToUpdateBundle", true),
    )?;
    let operation = ctx.record(NewOperation::succeeded(KIND, name, ctx.regional_location()))?;
    Ok(json!({ "operations": [operation] }))
}

pub fn delete(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "bucketName");
    let Record { body, private, .. } = require_record(ctx, name)?;
    let has_keys = private["accessKeys"]
        .as_array()
        .is_some_and(|keys| !keys.is_empty());
    let has_instances = !connected(ctx, &body)?.is_empty();
    if (has_keys || has_instances) && !input::flag(input, "forceDelete") {
        return Err(invalid(format!(
            "The bucket {name} has access keys or instances with access to it; delete them first, \
             or delete the bucket with forceDelete."
        )));
    }
    ctx.db().delete(KIND, name)?;
    let operation = ctx.record(NewOperation::succeeded(KIND, name, ctx.regional_location()))?;
    Ok(json!({ "operations": [operation] }))
}

pub fn set_resource_access(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let instance_name = input::string(input, "resourceName");
    let bucket_name = input::string(input, "bucketName");
    let allow = input::string(input, "access") == "allow";
    let instance = ctx.db().require(instances::KIND, instance_name)?;
    let state = instance["state"]["name"].as_str().unwrap_or("");
    if state != "running" && state != "stopped" {
        return Err(invalid(format!(
            "The instance {instance_name} must be running or stopped to get access to a bucket; it \
             is {state}."
        )));
    }
    let mut body = ctx.db().require(KIND, bucket_name)?;
    let mut receivers: Vec<Value> = body["resourcesReceivingAccess"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    receivers.retain(|r| r["name"] != instance_name);
    if allow {
        receivers.push(json!({"name": instance_name, "resourceType": instances::KIND}));
    }
    body["resourcesReceivingAccess"] = Value::Array(receivers);
    ctx.db().put(KIND, bucket_name, &body)?;
    let operations = vec![
        ctx.record(
            NewOperation::succeeded(KIND, bucket_name, ctx.regional_location())
                .details(instance_name),
        )?,
        ctx.record(
            NewOperation::succeeded(instances::KIND, instance_name, instance["location"].clone())
                .details(bucket_name),
        )?,
    ];
    Ok(json!({ "operations": operations }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn billing_cycles() {
        // 2019-09-30 18:00:38 -> 2019-10-01; December rolls over the year.
        assert_eq!(next_billing_cycle(1_569_866_438.48), 1_569_888_000.0);
        assert_eq!(next_billing_cycle(1_577_000_000.0), 1_577_836_800.0);
    }

    #[test]
    fn cors_rules() {
        assert!(check_cors(
            &json!({"rules": [{"allowedMethods": ["GET"], "allowedOrigins": ["*"]}]})
        )
        .is_ok());
        assert!(check_cors(
            &json!({"rules": [{"allowedMethods": ["PATCH"], "allowedOrigins": ["*"]}]})
        )
        .is_err());
        assert!(
            check_cors(&json!({"rules": [{"allowedMethods": [], "allowedOrigins": ["*"]}]}))
                .is_err()
        );
    }
}
