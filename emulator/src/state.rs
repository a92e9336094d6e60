//! The emulated account: instances, instance snapshots and operations, and their persistence.
//!
//! Resources are kept in their wire form (the JSON objects Lightsail returns), so answering a read is
//! a copy. A snapshot also remembers when, by the real clock, it becomes `available`; that transition
//! (and its operations' `Started` -> `Succeeded`) is applied lazily whenever the state is looked at, so
//! it is a pure function of stored data and needs no timer. With a state file every change is written
//! atomically (temporary file, fsync, rename, fsync of the directory) before the response is sent.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

use serde_json::{json, Value};

use crate::clock::{self, IdSource};

/// The account id that appears in ARNs.
pub const ACCOUNT_ID: &str = "111122223333";

/// A snapshot and its bookkeeping.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The wire form (`InstanceSnapshot` shape).
    pub wire: Value,
    /// Real epoch seconds at which a pending snapshot becomes available.
    pub ready_at: f64,
    /// The operations that finish when it does.
    pub operation_ids: Vec<String>,
}

/// Everything the emulator remembers.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub instances: Vec<Value>,
    pub snapshots: Vec<Snapshot>,
    /// Every operation, oldest first.
    pub operations: Vec<Value>,
    pub ids: IdSource,
}

/// What a fresh emulator holds: the configured instances, nothing else.
pub fn seed(instance_names: &[String], region: &str, deterministic: bool) -> State {
    let mut ids = IdSource::new(deterministic);
    let created_at = if deterministic {
        clock::SEED_EPOCH - 86_400.0
    } else {
        clock::now(false)
    };
    let instances = instance_names
        .iter()
        .enumerate()
        .map(|(index, name)| seed_instance(name, index, region, created_at, &mut ids))
        .collect();
    State {
        instances,
        snapshots: Vec::new(),
        operations: Vec::new(),
        ids,
    }
}

/// The availability zone seeded instances live in.
pub fn instance_zone(region: &str) -> String {
    format!("{region}a")
}

fn seed_instance(
    name: &str,
    index: usize,
    region: &str,
    created_at: f64,
    ids: &mut IdSource,
) -> Value {
    let uuid = ids.resource_uuid();
    let support = ids.resource_hex(17);
    let octet = 10 + index % 200;
    json!({
        "name": name,
        "arn": format!("arn:aws:lightsail:{region}:{ACCOUNT_ID}:Instance/{uuid}"),
        "supportCode": format!("{}/i-{support}", &ACCOUNT_ID[..12]),
        "createdAt": created_at,
        "location": {"availabilityZone": instance_zone(region), "regionName": region},
        "resourceType": "Instance",
        "tags": [],
        "blueprintId": "wordpress",
        "blueprintName": "WordPress",
        "bundleId": "micro_3_0",
        "addOns": [],
        "isStaticIp": false,
        "privateIpAddress": format!("172.26.0.{octet}"),
        "publicIpAddress": format!("192.0.2.{octet}"),
        "ipv6Addresses": [],
        "ipAddressType": "ipv4",
        "hardware": {
            "cpuCount": 2,
            "disks": [{
                "createdAt": created_at,
                "sizeInGb": 40,
                "isSystemDisk": true,
                "iops": 120,
                "path": "/dev/xvda",
                "attachedTo": name,
                "attachmentState": "attached"
            }],
            "ramSizeInGb": 1.0
        },
        "networking": {
            "monthlyTransfer": {"gbPerMonthAllocated": 2048},
            "ports": [
                port(80), port(22), port(443)
            ]
        },
        "state": {"code": 16, "name": "running"},
        "username": "bitnami",
        "sshKeyName": "LightsailDefaultKeyPair",
        "metadataOptions": {
            "state": "applied",
            "httpTokens": "optional",
            "httpEndpoint": "enabled",
            "httpPutResponseHopLimit": 1,
            "httpProtocolIpv6": "disabled"
        }
    })
}

fn port(number: u16) -> Value {
    json!({
        "fromPort": number,
        "toPort": number,
        "protocol": "tcp",
        "accessFrom": "Anywhere (0.0.0.0/0)",
        "accessType": "public",
        "commonName": "",
        "accessDirection": "inbound",
        "cidrs": ["0.0.0.0/0"],
        "ipv6Cidrs": ["::/0"],
        "cidrListAliases": []
    })
}

fn name_of(value: &Value) -> Option<&str> {
    value.get("name").and_then(Value::as_str)
}

impl State {
    pub fn instance(&self, name: &str) -> Option<&Value> {
        self.instances.iter().find(|i| name_of(i) == Some(name))
    }

    pub fn snapshot(&self, name: &str) -> Option<&Snapshot> {
        self.snapshots
            .iter()
            .find(|s| name_of(&s.wire) == Some(name))
    }

    /// Marks snapshots whose time has come as available and finishes their operations.
    /// `stamp` is the `statusChangedAt` to record (None: the moment each became ready).
    pub fn advance(&mut self, real_now: f64, deterministic: bool) {
        let mut finished: Vec<(String, f64)> = Vec::new();
        for snapshot in &mut self.snapshots {
            let pending = snapshot.wire.get("state").and_then(Value::as_str) == Some("pending");
            if pending && real_now >= snapshot.ready_at {
                snapshot.wire["state"] = json!("available");
                let stamp = if deterministic {
                    clock::SEED_EPOCH
                } else {
                    clock::round_millis(snapshot.ready_at)
                };
                finished.extend(snapshot.operation_ids.iter().map(|id| (id.clone(), stamp)));
            }
        }
        for (id, stamp) in finished {
            if let Some(operation) = self
                .operations
                .iter_mut()
                .find(|o| o.get("id").and_then(Value::as_str) == Some(id.as_str()))
            {
                operation["status"] = json!("Succeeded");
                operation["isTerminal"] = json!(true);
                operation["statusChangedAt"] = json!(stamp);
            }
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "format": "lightsail-emulator-state/1",
            "instances": self.instances,
            "snapshots": self.snapshots.iter().map(|s| json!({
                "snapshot": s.wire,
                "readyAt": s.ready_at,
                "operationIds": s.operation_ids,
            })).collect::<Vec<_>>(),
            "operations": self.operations,
            "ids": self.ids.to_json(),
        })
    }

    pub fn from_json(value: &Value, deterministic: bool) -> Option<State> {
        if value.get("format")?.as_str()? != "lightsail-emulator-state/1" {
            return None;
        }
        let snapshots = value
            .get("snapshots")?
            .as_array()?
            .iter()
            .map(|s| {
                Some(Snapshot {
                    wire: s.get("snapshot")?.clone(),
                    ready_at: s.get("readyAt")?.as_f64()?,
                    operation_ids: s
                        .get("operationIds")?
                        .as_array()?
                        .iter()
                        .filter_map(|id| id.as_str().map(str::to_string))
                        .collect(),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(State {
            instances: value.get("instances")?.as_array()?.clone(),
            snapshots,
            operations: value.get("operations")?.as_array()?.clone(),
            ids: IdSource::from_json(value.get("ids")?, deterministic)?,
        })
    }

    /// Reads a state file; `Ok(None)` when there is none yet.
    pub fn load(path: &Path, deterministic: bool) -> io::Result<Option<State>> {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error),
        };
        let value: Value = serde_json::from_str(&text).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: {e}", path.display()),
            )
        })?;
        State::from_json(&value, deterministic)
            .map(Some)
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}: not a lightsail-emulator state file", path.display()),
                )
            })
    }

    /// Writes the state file atomically: readers see the old or the new file, never a partial one.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let directory = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "state".to_string());
        let temporary = directory.join(format!(".{file_name}.tmp-{}", std::process::id()));
        let mut bytes = serde_json::to_vec_pretty(&self.to_json())?;
        bytes.push(b'\n');
        {
            let mut file = File::create(&temporary)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
        }
        fs::rename(&temporary, path)?;
        // Make the rename itself durable; not every platform lets a directory be opened, so best effort.
        if let Ok(dir) = File::open(&directory) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}
