//! Bucket access keys: CreateBucketAccessKey, GetBucketAccessKeys and DeleteBucketAccessKey.
//!
//! Keys live in the bucket's private value. As the model documents, a bucket has at most two keys and
//! the secret access key is returned only by CreateBucketAccessKey: GetBucketAccessKeys lists ids,
//! status and creation time, with `lastUsed` "N/A" for a key never used (the emulator serves no S3
//! requests, so no key is ever used), and nothing else ever shows the secret (not the journal, which
//! holds requests, nor `GET /_emulator/state`, which leaves private values out). Key ids are `AKIA` and
//! 16 characters of IAM's alphabet (`A-Z`, `2-7`), secrets 40 characters of base64's: IAM's formats.
//! Deleting a key it does not have is NotFoundException (our wording: "The AccessKey does not
//! exist: ID"). Each call answers one `Succeeded` operation on the bucket.

use serde_json::{json, Value};

use crate::engine::{input, Ctx, NewOperation, Record};
use crate::error::ApiError;
use crate::services::object_storage::buckets::require_record;
use crate::services::object_storage::KIND;

/// The most access keys a bucket may have.
const MAX_KEYS: usize = 2;
const ID_ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const SECRET_ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A key as GetBucketAccessKeys shows it: no secret.
fn public_view(key: &Value) -> Value {
    json!({
        "accessKeyId": key["accessKeyId"],
        "status": key["status"],
        "createdAt": key["createdAt"],
        "lastUsed": {"region": "N/A", "serviceName": "N/A"},
    })
}

pub fn create(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let bucket = input::string(input, "bucketName");
    let Record { mut private, .. } = require_record(ctx, bucket)?;
    let count = private["accessKeys"].as_array().map_or(0, Vec::len);
    if count >= MAX_KEYS {
        return Err(ApiError::invalid_input(
            "InvalidInput",
            format!("The bucket {bucket} already has the most access keys a bucket may have ({MAX_KEYS})."),
        ));
    }
    let id = format!("AKIA{}", ctx.ids.string_from(ID_ALPHABET, 16));
    let secret = ctx.ids.string_from(SECRET_ALPHABET, 40);
    let key = json!({
        "accessKeyId": id,
        "secretAccessKey": secret,
        "status": "Active",
        "createdAt": ctx.now(),
    });
    match private["accessKeys"].as_array_mut() {
        Some(keys) => keys.push(key.clone()),
        None => private["accessKeys"] = json!([key.clone()]),
    }
    ctx.db().put_private(KIND, bucket, &private)?;
    let operation = ctx.record(NewOperation::succeeded(
        KIND,
        bucket,
        ctx.regional_location(),
    ))?;
    Ok(json!({
        "accessKey": {
            "accessKeyId": key["accessKeyId"],
            "secretAccessKey": key["secretAccessKey"],
            "status": key["status"],
            "createdAt": key["createdAt"],
            "lastUsed": {},
        },
        "operations": [operation],
    }))
}

pub fn list(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let bucket = input::string(input, "bucketName");
    let Record { private, .. } = require_record(ctx, bucket)?;
    let keys: Vec<Value> = private["accessKeys"]
        .as_array()
        .map(|keys| keys.iter().map(public_view).collect())
        .unwrap_or_default();
    Ok(json!({ "accessKeys": keys }))
}

pub fn delete(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let bucket = input::string(input, "bucketName");
    let id = input::string(input, "accessKeyId");
    let Record { mut private, .. } = require_record(ctx, bucket)?;
    let Some(keys) = private["accessKeys"].as_array_mut() else {
        return Err(ApiError::not_found("AccessKey", id));
    };
    let before = keys.len();
    keys.retain(|key| key["accessKeyId"] != id);
    if keys.len() == before {
        return Err(ApiError::not_found("AccessKey", id));
    }
    ctx.db().put_private(KIND, bucket, &private)?;
    let operation =
        ctx.record(NewOperation::succeeded(KIND, bucket, ctx.regional_location()).details(id))?;
    Ok(json!({ "operations": [operation] }))
}
