//! Getting into an instance: GetInstanceAccessDetails, and the Amazon DCV sessions of Lightsail for
//! Research virtual computers (CreateGUISessionAccessDetails, StartGUISession, StopGUISession).
//!
//! - SSH access details (the default protocol) are a fresh temporary key pair per call: an RSA
//!   private key in PEM form and an OpenSSH certificate (`certKey`), valid for 12 hours (our choice),
//!   with the instance's address, user and SSH host keys (the CLI's example shows the shape). RDP
//!   access details (Windows instances only) carry the Administrator password when the instance uses
//!   the default key pair, or the encrypted password (`passwordData`) otherwise (the model's
//!   documentation), and the instance's RDP certificate. The password is derived from the instance's
//!   ARN, so it never changes (documented: "Lightsail will continue to return the original password
//!   value"). The instance must be running (our rule: a stopped instance has no address).
//! - GUI sessions exist for Lightsail for Research instances only. StartGUISession and
//!   StopGUISession answer a `Started` operation that the `Instance.gui` step finishes; meanwhile
//!   CreateGUISessionAccessDetails reports `starting`/`stopping`, then `started`/`stopped`
//!   (`notStarted` before the first start). The session URLs point at the instance's own address on
//!   DCV's port 8443 with a fresh token (our format); `primary` opens the application, the other the
//!   operating system's desktop.

use serde_json::{json, Value};

use super::{wire, wrong_state, wrong_state_input, DEFAULT_KEY_PAIR, KIND};
use crate::engine::ids::encode_base64;
use crate::engine::{input, Ctx, NewOperation, Record, Registry, Transition};
use crate::error::ApiError;
use crate::services::catalog::blueprints;

pub fn register(registry: &mut Registry) {
    registry
        .add("GetInstanceAccessDetails", get_access_details)
        .add(
            "CreateGUISessionAccessDetails",
            create_gui_session_access_details,
        )
        .add("StartGUISession", start_gui_session)
        .add("StopGUISession", stop_gui_session);
}

/// How long the temporary SSH key of GetInstanceAccessDetails is valid (our choice).
const SSH_KEY_LIFETIME: f64 = 12.0 * 3600.0;
/// When Lightsail first saw an instance's host keys, after its creation (our choice).
const HOST_KEYS_SEEN_AFTER: f64 = 60.0;

fn bad_input(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

fn is_windows(instance: &Value) -> bool {
    instance["blueprintId"]
        .as_str()
        .and_then(blueprints::find)
        .is_some_and(|b| b.is_windows())
}

/// A PEM block of `bytes` bytes of DER that starts with `header`.
fn pem(label: &str, header: &[u8], random: Vec<u8>) -> String {
    let mut der = header.to_vec();
    der.extend(random);
    let text = encode_base64(&der);
    let lines: Vec<&str> = text
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap_or(""))
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

fn get_access_details(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "instanceName");
    let protocol = input::optional_string(input, "protocol").unwrap_or("ssh");
    let instance = ctx.db().require(KIND, name)?;
    let current = wire::state_name(&instance);
    if current != wire::RUNNING.1 {
        return Err(wrong_state(name, current, "running"));
    }
    let arn = instance["arn"].as_str().unwrap_or("").to_string();
    let seen = instance["createdAt"].as_f64().unwrap_or(0.0) + HOST_KEYS_SEEN_AFTER;
    let mut details = json!({
        "protocol": protocol,
        "instanceName": name,
        "username": instance["username"],
        "ipv6Addresses": instance["ipv6Addresses"],
    });
    if let Some(ip) = instance.get("publicIpAddress") {
        details["ipAddress"] = ip.clone();
    }
    if protocol == "rdp" {
        if !is_windows(&instance) {
            return Err(bad_input(format!(
                "RDP access is only available for Windows instances: {name}"
            )));
        }
        let key_pair = instance["sshKeyName"].as_str().unwrap_or(DEFAULT_KEY_PAIR);
        let secret = wire::derived_secret(&arn, "administrator-password", 24);
        if key_pair == DEFAULT_KEY_PAIR {
            details["password"] = json!(password_from(&secret));
        } else {
            details["password"] = json!("");
            details["passwordData"] = json!({
                "ciphertext": encode_base64(&wire::derived_secret(&arn, "password-ciphertext", 256)),
                "keyPairName": key_pair,
            });
        }
        details["hostKeys"] = json!([wire::rdp_certificate(&arn, seen)]);
    } else {
        let mut cert = Vec::new();
        let cert_type = b"ssh-rsa-cert-v01@openssh.com";
        cert.extend_from_slice(&(cert_type.len() as u32).to_be_bytes());
        cert.extend_from_slice(cert_type);
        cert.extend(ctx.ids.bytes(1000));
        details["certKey"] = json!(format!(
            "ssh-rsa-cert-v01@openssh.com {}",
            encode_base64(&cert)
        ));
        details["expiresAt"] = json!(ctx.now() + SSH_KEY_LIFETIME);
        // The DER of an RSA-2048 private key starts with these 12 bytes (SEQUENCE, version 0,
        // the modulus' INTEGER header), so the PEM starts like every such key's: `MIIEpAIBAAKCAQEA`.
        let header = [
            0x30, 0x82, 0x04, 0xa4, 0x02, 0x01, 0x00, 0x02, 0x82, 0x01, 0x01, 0x00,
        ];
        details["privateKey"] = json!(pem("RSA PRIVATE KEY", &header, ctx.ids.bytes(1180)));
        details["hostKeys"] = json!(wire::ssh_host_keys(&arn, seen));
    }
    Ok(json!({ "accessDetails": details }))
}

/// A Windows-style password from secret bytes (letters, digits and a few symbols).
fn password_from(secret: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@$%&*()";
    secret
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// The Lightsail for Research instance a GUI call names.
fn research_instance(ctx: &Ctx<'_>, name: &str) -> Result<Record, ApiError> {
    let record = ctx
        .db()
        .record(KIND, name)?
        .ok_or_else(|| ApiError::not_found(KIND, name))?;
    let research = record.body["blueprintId"]
        .as_str()
        .and_then(blueprints::find)
        .is_some_and(|b| b.research);
    if !research {
        return Err(bad_input(format!(
            "GUI sessions are only available for Lightsail for Research virtual computers: {name}"
        )));
    }
    Ok(record)
}

/// The session's status as CreateGUISessionAccessDetails reports it.
fn session_status(ctx: &Ctx<'_>, private: &Value) -> Result<&'static str, ApiError> {
    let gui = &private["gui"];
    let done = match gui["operation"].as_str() {
        Some(id) => ctx
            .db()
            .operation(id)?
            .is_some_and(|op| op["status"] == "Succeeded"),
        None => return Ok("notStarted"),
    };
    Ok(match (gui["status"].as_str(), done) {
        (Some("started"), true) => "started",
        (Some("started"), false) => "starting",
        (_, true) => "stopped",
        (_, false) => "stopping",
    })
}

fn create_gui_session_access_details(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "resourceName");
    let record = research_instance(ctx, name)?;
    let status = session_status(ctx, &record.private)?;
    let host = record.body["publicIpAddress"]
        .as_str()
        .map(str::to_string)
        .or_else(|| {
            record.body["ipv6Addresses"][0]
                .as_str()
                .map(|ip| format!("[{ip}]"))
        })
        .unwrap_or_default();
    let mut sessions = Vec::new();
    if status == "started" {
        for (session, primary) in [("application", true), ("desktop", false)] {
            let token = ctx.ids.resource_hex(40);
            sessions.push(json!({
                "name": format!("{name}-{session}"),
                "url": format!("https://{host}:8443/?authToken={token}#{name}-{session}"),
                "isPrimary": primary,
            }));
        }
    }
    let percentage = match status {
        "started" | "stopped" => 100,
        "starting" | "stopping" => 50,
        _ => 0,
    };
    Ok(json!({
        "resourceName": name,
        "status": status,
        "percentageComplete": percentage,
        "sessions": sessions,
    }))
}

fn change_gui_session(ctx: &mut Ctx<'_>, input: &Value, start: bool) -> Result<Value, ApiError> {
    let name = input::string(input, "resourceName");
    let record = research_instance(ctx, name)?;
    let current = wire::state_name(&record.body);
    if current != wire::RUNNING.1 {
        return Err(wrong_state_input(name, current, "running"));
    }
    let status = session_status(ctx, &record.private)?;
    let busy = if start {
        matches!(status, "started" | "starting")
    } else {
        matches!(status, "notStarted" | "stopped" | "stopping")
    };
    if busy {
        return Err(bad_input(format!("The GUI session of {name} is {status}")));
    }
    let location = record.body.get("location").cloned().unwrap_or(Value::Null);
    let operation = ctx.record(NewOperation::started(KIND, name, location))?;
    ctx.schedule(
        "Instance.gui",
        Transition::of(KIND, name).finishing(std::slice::from_ref(&operation)),
    )?;
    let mut private = record.private;
    if !private.is_object() {
        private = json!({});
    }
    private["gui"] = json!({
        "status": if start { "started" } else { "stopped" },
        "operation": operation["id"],
    });
    ctx.db().put_private(KIND, name, &private)?;
    Ok(json!({ "operations": [operation] }))
}

fn start_gui_session(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    change_gui_session(ctx, input, true)
}

fn stop_gui_session(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    change_gui_session(ctx, input, false)
}
