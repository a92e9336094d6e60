//! SSH key pairs: CreateKeyPair, ImportKeyPair, GetKeyPair, GetKeyPairs, DeleteKeyPair,
//! DownloadDefaultKeyPair, and DeleteKnownHostKeys.
//!
//! CreateKeyPair answers the private key once (`src/help/examples/create-key-pair.rst`); the store
//! keeps it as the key pair's private value and no later call returns it. Its `publicKeyBase64` has
//! the example's shape: `ssh-rsa ` before the OpenSSH line and a space after it. The support code is
//! `ACCOUNT/NAME` (the examples). The regional default key pair, `LightsailDefaultKeyPair`, is created
//! by the first DownloadDefaultKeyPair (the model's documentation), which answers its private key
//! every time; GetKeyPairs lists it only with `includeDefaultKeyPair`, and deleting it needs its
//! fingerprint in `expectedFingerprint`. Every mutating call is over at once (`Succeeded`).
//! DeleteKnownHostKeys answers one operation on the instance and changes nothing the API shows.

use serde_json::{json, Value};

use super::ssh_keys;
use crate::engine::{input, Ctx, NewOperation, Registry};
use crate::error::ApiError;
use crate::services::instances;

/// The `resourceType` (and store kind) of key pairs.
pub const KIND: &str = "KeyPair";

/// The name of the regional default key pair (what instances show as `sshKeyName`).
pub const DEFAULT_KEY_PAIR: &str = "LightsailDefaultKeyPair";

pub fn register(registry: &mut Registry) {
    registry
        .add("CreateKeyPair", create)
        .add("ImportKeyPair", import)
        .add("GetKeyPair", get)
        .add("GetKeyPairs", list)
        .add("DeleteKeyPair", delete)
        .add("DownloadDefaultKeyPair", download_default)
        .add("DeleteKnownHostKeys", delete_known_host_keys);
}

/// The stored wire form of a new key pair.
fn key_pair(ctx: &mut Ctx<'_>, name: &str, tags: Vec<Value>, fingerprint: &str) -> Value {
    let arn = ctx.new_arn(KIND);
    json!({
        "name": name,
        "arn": arn,
        "supportCode": format!("{}/{name}", ctx.account),
        "createdAt": ctx.now(),
        "location": ctx.regional_location(),
        "resourceType": KIND,
        "tags": tags,
        "fingerprint": fingerprint,
    })
}

/// The private value: what only CreateKeyPair and DownloadDefaultKeyPair hand out.
fn private(material: &ssh_keys::KeyMaterial) -> Value {
    json!({"publicKey": material.public_key, "privateKey": material.private_key})
}

/// `publicKeyBase64` as the create-key-pair example shows it.
fn public_key_output(public_key: &str) -> String {
    format!("ssh-rsa {public_key} ")
}

fn create(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "keyPairName");
    if ctx.db().exists(KIND, name)? {
        return Err(ApiError::name_in_use(name));
    }
    let operation = ctx.record(NewOperation::succeeded(KIND, name, ctx.regional_location()))?;
    let material = ssh_keys::generate(ctx.ids);
    let body = key_pair(ctx, name, input::tags(input), &material.fingerprint);
    ctx.db()
        .insert_with_private(KIND, name, &body, &private(&material))?;
    // The create answer shows the key pair without its tags and fingerprint (the example).
    let mut shown = body;
    if let Some(fields) = shown.as_object_mut() {
        fields.remove("tags");
        fields.remove("fingerprint");
    }
    Ok(json!({
        "keyPair": shown,
        "publicKeyBase64": public_key_output(&material.public_key),
        "privateKeyBase64": material.private_key,
        "operation": operation,
    }))
}

fn import(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "keyPairName");
    let public_key = input::string(input, "publicKeyBase64").trim();
    if !ssh_keys::is_public_key(public_key) {
        return Err(ApiError::invalid_input(
            "InvalidInput",
            format!("The public key is not a valid SSH public key: {name}"),
        ));
    }
    if ctx.db().exists(KIND, name)? {
        return Err(ApiError::name_in_use(name));
    }
    let operation = ctx.record(NewOperation::succeeded(KIND, name, ctx.regional_location()))?;
    let fingerprint = ssh_keys::fingerprint(public_key.as_bytes(), 16);
    let body = key_pair(ctx, name, Vec::new(), &fingerprint);
    ctx.db()
        .insert_with_private(KIND, name, &body, &json!({ "publicKey": public_key }))?;
    Ok(json!({ "operation": operation }))
}

fn get(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let key_pair = ctx
        .db()
        .require(KIND, input::string(input, "keyPairName"))?;
    Ok(json!({ "keyPair": key_pair }))
}

fn list(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let mut page = ctx.page(KIND, input)?;
    if !input::flag(input, "includeDefaultKeyPair") {
        page.items
            .retain(|pair| pair.get("name").and_then(Value::as_str) != Some(DEFAULT_KEY_PAIR));
    }
    Ok(page.into_output("keyPairs"))
}

fn delete(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "keyPairName");
    let key_pair = ctx.db().require(KIND, name)?;
    if name == DEFAULT_KEY_PAIR {
        let expected = input::optional_string(input, "expectedFingerprint");
        if expected != key_pair.get("fingerprint").and_then(Value::as_str) {
            return Err(ApiError::invalid_input(
                "InvalidInput",
                format!(
                    "The expected fingerprint does not match the default key pair's fingerprint: {}",
                    expected.unwrap_or("(none given)")
                ),
            ));
        }
    }
    ctx.db().delete(KIND, name)?;
    let operation = ctx.record(NewOperation::succeeded(KIND, name, ctx.regional_location()))?;
    Ok(json!({ "operation": operation }))
}

fn download_default(ctx: &mut Ctx<'_>, _input: &Value) -> Result<Value, ApiError> {
    let record = match ctx.db().record(KIND, DEFAULT_KEY_PAIR)? {
        Some(record) => record,
        None => {
            let material = ssh_keys::generate(ctx.ids);
            let body = key_pair(ctx, DEFAULT_KEY_PAIR, Vec::new(), &material.fingerprint);
            ctx.db()
                .insert_with_private(KIND, DEFAULT_KEY_PAIR, &body, &private(&material))?;
            ctx.db()
                .record(KIND, DEFAULT_KEY_PAIR)?
                .ok_or_else(|| ApiError::not_found(KIND, DEFAULT_KEY_PAIR))?
        }
    };
    let text = |member: &str| record.private[member].as_str().unwrap_or("").to_string();
    Ok(json!({
        "publicKeyBase64": public_key_output(&text("publicKey")),
        "privateKeyBase64": text("privateKey"),
        "createdAt": record.body["createdAt"],
    }))
}

fn delete_known_host_keys(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "instanceName");
    let instance = ctx.db().require(instances::KIND, name)?;
    let operation = ctx.record(NewOperation::succeeded(
        instances::KIND,
        name,
        instance["location"].clone(),
    ))?;
    Ok(json!({ "operations": [operation] }))
}
