//! The instance wire form and its parts: states, firewall entries, add-ons, the system disk, and the
//! SSH host keys an instance presents.
//!
//! A new instance is built here once, with every member GetInstance returns (see the member list in
//! `super`'s documentation). Host keys are not stored: they are derived from the instance's ARN
//! (SHA-256 in counter mode), so they are stable for an instance's life, differ between instances,
//! draw nothing from the id streams, and their fingerprints are the real SHA-1/SHA-256 fingerprints
//! of the key blobs (as `ssh-keygen -l` prints them).

use serde_json::{json, Value};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use crate::engine::ids::encode_base64;
use crate::services::catalog::blueprints::Blueprint;
use crate::services::catalog::bundles::Bundle;

/// EC2's state codes, which Lightsail reports: `{"code", "name"}`.
pub const PENDING: (i64, &str) = (0, "pending");
pub const RUNNING: (i64, &str) = (16, "running");
pub const STOPPING: (i64, &str) = (64, "stopping");
pub const STOPPED: (i64, &str) = (80, "stopped");

pub fn state((code, name): (i64, &str)) -> Value {
    json!({"code": code, "name": name})
}

/// The state name of an instance's wire form (`running`, ...).
pub fn state_name(instance: &Value) -> &str {
    instance
        .pointer("/state/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// `accessFrom` as the console words it: `Anywhere (0.0.0.0/0)`, one address, or `Custom`.
pub fn access_from(cidrs: &[Value], ipv6_cidrs: &[Value], aliases: &[Value]) -> String {
    let only = |list: &[Value], value: &str| list.len() == 1 && list[0] == value;
    if only(cidrs, "0.0.0.0/0") || (cidrs.is_empty() && only(ipv6_cidrs, "::/0")) {
        "Anywhere (0.0.0.0/0)".to_string()
    } else if cidrs.is_empty() && ipv6_cidrs.is_empty() && !aliases.is_empty() {
        "Lightsail browser SSH/RDP".to_string()
    } else if cidrs.len() == 1 && ipv6_cidrs.is_empty() && aliases.is_empty() {
        cidrs[0].as_str().unwrap_or("Custom").to_string()
    } else {
        "Custom".to_string()
    }
}

/// One `networking.ports` entry (`InstancePortInfo`).
pub fn port_entry(
    from: i64,
    to: i64,
    protocol: &str,
    cidrs: Vec<Value>,
    ipv6_cidrs: Vec<Value>,
    aliases: Vec<Value>,
) -> Value {
    json!({
        "fromPort": from,
        "toPort": to,
        "protocol": protocol,
        "accessFrom": access_from(&cidrs, &ipv6_cidrs, &aliases),
        "accessType": "public",
        "commonName": "",
        "accessDirection": "inbound",
        "cidrs": cidrs,
        "ipv6Cidrs": ipv6_cidrs,
        "cidrListAliases": aliases,
    })
}

/// A default firewall entry: open to every IPv4 address, and every IPv6 address when the instance
/// has IPv6.
pub fn default_port(number: u16, ipv6: bool) -> Value {
    let ipv6_cidrs = if ipv6 { vec![json!("::/0")] } else { vec![] };
    port_entry(
        i64::from(number),
        i64::from(number),
        "tcp",
        vec![json!("0.0.0.0/0")],
        ipv6_cidrs,
        vec![],
    )
}

/// The automatic-snapshot add-on as GetInstance shows it.
pub fn auto_snapshot_add_on(time_of_day: &str) -> Value {
    json!({
        "name": "AutoSnapshot",
        "status": "Enabled",
        "snapshotTimeOfDay": time_of_day,
        "nextSnapshotTimeOfDay": time_of_day,
    })
}

/// The idle-stop add-on (Lightsail for Research) as GetInstance shows it.
pub fn stop_on_idle_add_on(threshold: &str, duration: &str) -> Value {
    json!({
        "name": "StopInstanceOnIdle",
        "status": "Enabled",
        "threshold": threshold,
        "duration": duration,
    })
}

/// A system disk's IOPS: 3 per GB, at least 100 (the CLI's examples: 40 GB -> 120, 80 GB -> 240).
pub fn iops(size_in_gb: u32) -> u32 {
    (size_in_gb * 3).max(100)
}

/// What a new instance is made of.
pub struct NewInstance<'a> {
    pub name: &'a str,
    pub arn: String,
    pub support_code: String,
    pub created_at: f64,
    pub location: Value,
    pub blueprint: &'a Blueprint,
    pub bundle: &'a Bundle,
    pub tags: Vec<Value>,
    pub add_ons: Vec<Value>,
    pub ip_address_type: &'a str,
    pub private_ip: String,
    /// None for IPv6-only instances.
    pub public_ip: Option<String>,
    pub ipv6: Option<String>,
    pub key_pair_name: &'a str,
    /// The system disk's size (a snapshot's size when it is larger than the plan's disk).
    pub disk_size_in_gb: u32,
}

impl NewInstance<'_> {
    /// The wire form, `pending`.
    pub fn wire_form(&self) -> Value {
        let with_ipv6 = self.ipv6.is_some();
        let ports: Vec<Value> = self
            .blueprint
            .default_ports()
            .iter()
            .map(|&number| default_port(number, with_ipv6))
            .collect();
        let mut instance = json!({
            "name": self.name,
            "arn": self.arn,
            "supportCode": self.support_code,
            "createdAt": self.created_at,
            "location": self.location,
            "resourceType": "Instance",
            "tags": self.tags,
            "blueprintId": self.blueprint.id,
            "blueprintName": self.blueprint.name,
            "bundleId": self.bundle.id,
            "addOns": self.add_ons,
            "isStaticIp": false,
            "privateIpAddress": self.private_ip,
            "ipv6Addresses": self.ipv6.iter().collect::<Vec<_>>(),
            "ipAddressType": self.ip_address_type,
            "hardware": {
                "cpuCount": self.bundle.cpu_count,
                "disks": [{
                    "createdAt": self.created_at,
                    "sizeInGb": self.disk_size_in_gb,
                    "isSystemDisk": true,
                    "iops": iops(self.disk_size_in_gb),
                    "path": self.blueprint.system_disk_path(),
                    "attachedTo": self.name,
                    "attachmentState": "attached",
                }],
                "ramSizeInGb": self.bundle.ram_size_in_gb,
            },
            "networking": {
                "monthlyTransfer": {"gbPerMonthAllocated": self.bundle.transfer_per_month_in_gb},
                "ports": ports,
            },
            "state": state(PENDING),
            "username": self.blueprint.username,
            "sshKeyName": self.key_pair_name,
            "metadataOptions": {
                "state": "applied",
                "httpTokens": "optional",
                "httpEndpoint": "enabled",
                "httpPutResponseHopLimit": 1,
                "httpProtocolIpv6": "disabled",
            },
        });
        if let Some(ip) = &self.public_ip {
            instance["publicIpAddress"] = json!(ip);
        }
        instance
    }
}

/// `count` bytes derived from `seed` and a label (SHA-256 in counter mode).
pub fn derived_secret(seed: &str, label: &str, count: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(count + 32);
    let mut counter = 0u32;
    while out.len() < count {
        let mut hasher = Sha256::new();
        hasher.update(seed.as_bytes());
        hasher.update(label.as_bytes());
        hasher.update(counter.to_be_bytes());
        out.extend_from_slice(&hasher.finalize());
        counter += 1;
    }
    out.truncate(count);
    out
}

/// Appends an SSH wire-format string (length-prefixed).
fn ssh_string(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// The public key blob of one host key algorithm, in SSH wire format.
fn host_key_blob(seed: &str, algorithm: &str) -> Vec<u8> {
    let mut blob = Vec::new();
    ssh_string(&mut blob, algorithm.as_bytes());
    match algorithm {
        "ssh-rsa" => {
            ssh_string(&mut blob, &[0x01, 0x00, 0x01]);
            let mut modulus = vec![0u8];
            modulus.extend(derived_secret(seed, algorithm, 256));
            modulus[1] |= 0x80;
            ssh_string(&mut blob, &modulus);
        }
        "ecdsa-sha2-nistp256" => {
            ssh_string(&mut blob, b"nistp256");
            let mut point = vec![0x04];
            point.extend(derived_secret(seed, algorithm, 64));
            ssh_string(&mut blob, &point);
        }
        _ => ssh_string(&mut blob, &derived_secret(seed, algorithm, 32)),
    }
    blob
}

fn unpadded(raw: &[u8]) -> String {
    encode_base64(raw).trim_end_matches('=').to_string()
}

/// The instance's SSH host keys (`HostKeyAttributes`), in the CLI example's order, recorded
/// `witnessed_at` (with the example's millisecond offsets).
pub fn ssh_host_keys(arn: &str, witnessed_at: f64) -> Vec<Value> {
    [
        ("ssh-rsa", 0.002),
        ("ssh-ed25519", 0.0),
        ("ecdsa-sha2-nistp256", 0.01),
    ]
    .iter()
    .map(|&(algorithm, offset)| {
        let blob = host_key_blob(arn, algorithm);
        json!({
            "algorithm": algorithm,
            "publicKey": encode_base64(&blob),
            "witnessedAt": crate::engine::clock::round_millis(witnessed_at + offset),
            "fingerprintSHA1": format!("SHA1:{}", unpadded(&Sha1::digest(&blob))),
            "fingerprintSHA256": format!("SHA256:{}", unpadded(&Sha256::digest(&blob))),
        })
    })
    .collect()
}

/// The RDP certificate a Windows instance presents (`algorithm: x509-cert`), valid for six months
/// from `witnessed_at` (our choice).
pub fn rdp_certificate(arn: &str, witnessed_at: f64) -> Value {
    let der = derived_secret(arn, "x509-cert", 720);
    let hex = |digest: &[u8]| {
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(":")
    };
    json!({
        "algorithm": "x509-cert",
        "publicKey": encode_base64(&der),
        "witnessedAt": witnessed_at,
        "fingerprintSHA1": hex(&Sha1::digest(&der)),
        "fingerprintSHA256": hex(&Sha256::digest(&der)),
        "notValidBefore": witnessed_at,
        "notValidAfter": witnessed_at + 182.0 * 86_400.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_keys_are_stable_per_instance_and_well_formed() {
        let a = ssh_host_keys("arn:a", 10.0);
        assert_eq!(a, ssh_host_keys("arn:a", 10.0));
        assert_ne!(
            a[0]["publicKey"],
            ssh_host_keys("arn:b", 10.0)[0]["publicKey"]
        );
        // The blob of an ed25519 key starts with its length-prefixed algorithm name.
        assert!(a[1]["publicKey"]
            .as_str()
            .unwrap()
            .starts_with("AAAAC3NzaC1lZDI1NTE5AAAAI"));
        assert!(a[0]["publicKey"]
            .as_str()
            .unwrap()
            .starts_with("AAAAB3NzaC1yc2EAAAADAQAB"));
        let sha256 = a[2]["fingerprintSHA256"].as_str().unwrap();
        assert!(sha256.starts_with("SHA256:") && sha256.len() == 7 + 43);
        let sha1 = a[2]["fingerprintSHA1"].as_str().unwrap();
        assert!(sha1.starts_with("SHA1:") && sha1.len() == 5 + 27);
    }

    #[test]
    fn access_from_reads_like_the_console() {
        assert_eq!(
            access_from(&[json!("0.0.0.0/0")], &[], &[]),
            "Anywhere (0.0.0.0/0)"
        );
        assert_eq!(
            access_from(&[json!("192.0.2.1/32")], &[], &[]),
            "192.0.2.1/32"
        );
        assert_eq!(
            access_from(&[json!("192.0.2.1/32"), json!("192.0.2.2/32")], &[], &[]),
            "Custom"
        );
        assert_eq!(iops(20), 100);
        assert_eq!(iops(80), 240);
    }
}
