//! Instances: CreateInstances, CreateInstancesFromSnapshot, GetInstance(s), GetInstanceState,
//! StartInstance, StopInstance, RebootInstance, DeleteInstance here; access details and GUI
//! sessions in [`access`], the firewall in [`ports`], metadata options, IP address type and HTTPS
//! set-up in [`settings`], add-ons and automatic snapshots in [`add_ons`], GetInstanceMetricData in
//! [`metrics`].
//!
//! # The wire form (other families rely on it)
//!
//! An instance is stored as the `Instance` object GetInstance returns, built once at creation
//! ([`wire::NewInstance`]) with every member: `name`, `arn`, `supportCode` (`ACCOUNT/i-` + 17 hex),
//! `createdAt`, `location` (its zone), `resourceType`, `tags`, `blueprintId`, `blueprintName`,
//! `bundleId`, `addOns`, `isStaticIp`, `privateIpAddress`, `publicIpAddress` (absent while stopped and
//! on IPv6-only instances), `ipv6Addresses`, `ipAddressType`, `hardware` (`cpuCount`, `ramSizeInGb`,
//! `disks`), `networking` (`monthlyTransfer`, `ports`), `state` (`{"code", "name"}`), `username`,
//! `sshKeyName`, `metadataOptions`. Families that relate to instances change it in place with
//! `ctx.db().update(instances::KIND, name, ...)`:
//!
//! - `hardware.disks`: the system disk first (no `name`; `isSystemDisk: true`, `path`, `sizeInGb`,
//!   `iops`, `attachedTo`, `attachmentState`), then one full `Disk` wire form per attached block
//!   storage disk (`name`, `arn`, ..., `path`, `state: in-use`, `attachedTo`, `isAttached: true`,
//!   `attachmentState: attached`): AttachDisk appends it, DetachDisk removes the entry with that
//!   `name`. DeleteInstance reads this list to detach the disks (see below).
//! - `publicIpAddress` and `isStaticIp`: AttachStaticIp sets the static address and `true`;
//!   DetachStaticIp sets `false` and a fresh address (`ctx.ids.public_ipv4()`). Start and stop keep
//!   a static address and replace (start) or drop (stop) any other.
//! - `state.name`: `pending` (code 0), `running` (16), `stopping` (64), `stopped` (80): EC2's codes,
//!   as Lightsail reports them. Use [`wire::state_name`] to read it.
//! - `ipAddressType` (`ipv4`, `dualstack`, `ipv6`) and `ipv6Addresses`: SetIpAddressType.
//!
//! # Lifecycles (delay keys)
//!
//! CreateInstances and CreateInstancesFromSnapshot: `pending` -> `running` after `Instance.create`;
//! StartInstance: `stopped` -> `pending` -> `running` after `Instance.start`; StopInstance:
//! `running` -> `stopping` -> `stopped` after `Instance.stop` (`force` on a `stopping` instance stops
//! it at once). Each call answers `Started` operations that the step finishes. RebootInstance answers
//! one `Succeeded` operation (the CLI's example) and needs a running instance. Illegal transitions
//! (start a running instance, stop a stopped one, reboot a stopped one) are
//! `OperationFailureException`s.
//!
//! DeleteInstance answers what the CLI's example shows: for each attached block storage disk a
//! `DetachDisk` operation on the disk and one on the instance (`Started`, finished after
//! `Disk.detach`), then a `Succeeded` `DeleteInstance`. The disk's own wire form becomes `available`
//! and detached; a static IP attached to the instance is detached (it stays allocated); load
//! balancers stop listing the instance.
//!
//! Seeded instances (`--instance NAME`) are the WordPress instance of the CLI's `get-instance`
//! example: running, `micro_3_0`, IPv4 only, created a day before the deterministic epoch.

pub mod access;
pub mod add_ons;
pub mod metrics;
pub mod ports;
pub mod settings;
pub mod wire;

use serde_json::{json, Value};

use crate::engine::{input, Ctx, NewOperation, Registry, Transition};
use crate::error::ApiError;
use crate::services::catalog::blueprints::{self, Blueprint};
use crate::services::catalog::bundles::{self, Bundle};
use crate::services::instance_snapshots;
use wire::{state, state_name, NewInstance, PENDING, RUNNING, STOPPED, STOPPING};

/// The `resourceType` (and store kind) of instances.
pub const KIND: &str = "Instance";

/// The key pair an instance uses when CreateInstances names none.
pub const DEFAULT_KEY_PAIR: &str = "LightsailDefaultKeyPair";

pub fn register(registry: &mut Registry) {
    registry
        .add("CreateInstances", create_instances)
        .add(
            "CreateInstancesFromSnapshot",
            create_instances_from_snapshot,
        )
        .add("GetInstance", get_instance)
        .add("GetInstances", get_instances)
        .add("GetInstanceState", get_instance_state)
        .add("StartInstance", start_instance)
        .add("StopInstance", stop_instance)
        .add("RebootInstance", reboot_instance)
        .add("DeleteInstance", delete_instance);
    access::register(registry);
    add_ons::register(registry);
    metrics::register(registry);
    ports::register(registry);
    settings::register(registry);
}

fn get_instance(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "instanceName");
    let instance = ctx.db().require(KIND, name)?;
    Ok(json!({ "instance": instance }))
}

fn get_instances(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    Ok(ctx.page(KIND, input)?.into_output("instances"))
}

fn get_instance_state(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "instanceName");
    let instance = ctx.db().require(KIND, name)?;
    Ok(json!({ "state": instance["state"] }))
}

/// The names of the block storage disks attached to an instance (its `hardware.disks` less the
/// system disk).
pub fn attached_disk_names(instance: &Value) -> Vec<String> {
    instance
        .pointer("/hardware/disks")
        .and_then(Value::as_array)
        .map(|disks| {
            disks
                .iter()
                .filter(|d| d["isSystemDisk"] != json!(true))
                .filter_map(|d| d["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// An `OperationFailureException` for a call the instance's state does not allow.
pub fn wrong_state(name: &str, state: &str, needs: &str) -> ApiError {
    ApiError::operation_failure(format!(
        "The instance {name} is {state}; this operation needs it {needs}"
    ))
}

/// The same refusal as an `InvalidInputException`, for the operations whose model declares no
/// `OperationFailureException` (SetupInstanceHttps, the GUI session calls).
pub fn wrong_state_input(name: &str, state: &str, needs: &str) -> ApiError {
    ApiError::invalid_input(
        "InvalidInput",
        format!("The instance {name} is {state}; this operation needs it {needs}"),
    )
}

fn bad_input(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

/// Whether a name is a valid resource name (the model's `ResourceName` pattern, `\w[\w\-]*\w`).
fn valid_name(name: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut chars = name.chars();
    let (Some(first), Some(last)) = (chars.next(), name.chars().last()) else {
        return false;
    };
    name.chars().count() >= 2
        && word(first)
        && word(last)
        && name.chars().all(|c| word(c) || c == '-')
}

/// The new instances' names: valid, distinct, not in use.
fn new_names<'v>(ctx: &Ctx<'_>, input: &'v Value) -> Result<Vec<&'v str>, ApiError> {
    let names = input::strings(input, "instanceNames");
    if names.is_empty() {
        return Err(bad_input(
            "instanceNames must name at least one instance".to_string(),
        ));
    }
    if let Some(bad) = names.iter().find(|n| !valid_name(n)) {
        return Err(bad_input(format!(
            "instanceNames must start and end with a letter or number and contain only letters, \
             numbers, underscores and hyphens: {bad}"
        )));
    }
    let mut taken = Vec::new();
    for (index, name) in names.iter().enumerate() {
        let repeated = names[..index].contains(name);
        if (repeated || ctx.db().exists(KIND, name)?) && !taken.contains(name) {
            taken.push(*name);
        }
    }
    if !taken.is_empty() {
        return Err(ApiError::name_in_use(&taken.join(", ")));
    }
    Ok(names)
}

/// The zone a create call names, checked against the region.
fn zone<'v>(ctx: &Ctx<'_>, input: &'v Value) -> Result<&'v str, ApiError> {
    let zone = input::string(input, "availabilityZone");
    if ctx.region.has_zone(zone) {
        Ok(zone)
    } else {
        Err(bad_input(format!(
            "The Availability Zone is not valid in {}: {zone}",
            ctx.region.name
        )))
    }
}

/// The plan a create call names: known, active, and able to run the image with the IP address
/// type asked for.
fn plan_for(
    bundle_id: &str,
    blueprint: &Blueprint,
    ip_address_type: &str,
) -> Result<&'static Bundle, ApiError> {
    let bundle = bundles::find(bundle_id)
        .filter(|b| b.is_active)
        .ok_or_else(|| bad_input(format!("The bundle ID is not valid: {bundle_id}")))?;
    if bundle.platform != blueprint.platform {
        return Err(bad_input(format!(
            "The bundle {bundle_id} supports {} and the blueprint {} needs {}",
            bundle.platform, blueprint.id, blueprint.platform
        )));
    }
    if bundle.research != blueprint.research {
        return Err(bad_input(format!(
            "The bundle {bundle_id} cannot run the blueprint {}: Lightsail for Research blueprints \
             need Lightsail for Research bundles",
            blueprint.id
        )));
    }
    if bundle.power < blueprint.min_power {
        return Err(bad_input(format!(
            "The bundle {bundle_id} (power {}) is too small for the blueprint {} (minimum power {})",
            bundle.power, blueprint.id, blueprint.min_power
        )));
    }
    let ipv6_only = ip_address_type == "ipv6";
    if ipv6_only != (bundle.public_ipv4_address_count == 0) {
        return Err(bad_input(if ipv6_only {
            format!("IPv6-only instances need an IPv6-only bundle (such as nano_ipv6_3_0), not {bundle_id}")
        } else {
            format!("The IPv6-only bundle {bundle_id} needs the ipv6 IP address type")
        }));
    }
    Ok(bundle)
}

/// The key pair a create call names (the default one when none): it must exist.
fn key_pair<'v>(ctx: &Ctx<'_>, input: &'v Value) -> Result<&'v str, ApiError> {
    match input::optional_string(input, "keyPairName") {
        None | Some(DEFAULT_KEY_PAIR) => Ok(DEFAULT_KEY_PAIR),
        Some(name) if ctx.db().exists("KeyPair", name)? => Ok(name),
        Some(name) => Err(ApiError::not_found("KeyPair", name)),
    }
}

/// What both create calls share, after their own checks.
struct Creation<'a> {
    names: Vec<&'a str>,
    zone: &'a str,
    blueprint: &'static Blueprint,
    bundle: &'static Bundle,
    ip_address_type: &'a str,
    key_pair: &'a str,
    add_ons: add_ons::Requested,
    disk_size_in_gb: u32,
    operation_type: &'static str,
    /// Disks to create and attach to each new instance: `(path, size, new name)`.
    disks: Vec<(String, u32, String)>,
}

fn create(ctx: &mut Ctx<'_>, input: &Value, creation: Creation<'_>) -> Result<Value, ApiError> {
    let location = ctx.location(creation.zone);
    let mut operations = Vec::new();
    for name in &creation.names {
        let operation = ctx.record(
            NewOperation::started(KIND, name, location.clone())
                .operation_type(creation.operation_type),
        )?;
        let with_ipv4 = creation.ip_address_type != "ipv6";
        let with_ipv6 = creation.ip_address_type != "ipv4";
        let new = NewInstance {
            name,
            arn: ctx.new_arn(KIND),
            support_code: ctx.support_code("i-"),
            created_at: ctx.now(),
            location: location.clone(),
            blueprint: creation.blueprint,
            bundle: creation.bundle,
            tags: input::tags(input),
            add_ons: creation.add_ons.wire_forms(),
            ip_address_type: creation.ip_address_type,
            private_ip: ctx.ids.private_ipv4(),
            public_ip: with_ipv4.then(|| ctx.ids.public_ipv4()),
            ipv6: with_ipv6.then(|| ctx.ids.ipv6()),
            key_pair_name: creation.key_pair,
            disk_size_in_gb: creation.disk_size_in_gb,
        };
        let mut instance = new.wire_form();
        for (path, size, disk_name) in &creation.disks {
            let disk = new_attached_disk(ctx, disk_name, name, path, *size, &location)?;
            if let Some(disks) = instance
                .pointer_mut("/hardware/disks")
                .and_then(Value::as_array_mut)
            {
                disks.push(disk);
            }
        }
        let private = creation.add_ons.private_state(ctx.now());
        ctx.db()
            .insert_with_private(KIND, name, &instance, &private)?;
        ctx.schedule(
            "Instance.create",
            Transition::of(KIND, name)
                .set("/state", state(RUNNING))
                .only_if("/state/name", PENDING.1)
                .finishing(std::slice::from_ref(&operation)),
        )?;
        operations.push(operation);
    }
    Ok(json!({ "operations": operations }))
}

/// A block storage disk made for a new instance from a snapshot's disk (`attachedDiskMapping`):
/// stored as a `Disk` of its own and returned as the instance's `hardware.disks` entry.
fn new_attached_disk(
    ctx: &mut Ctx<'_>,
    disk_name: &str,
    instance_name: &str,
    path: &str,
    size: u32,
    location: &Value,
) -> Result<Value, ApiError> {
    let disk = json!({
        "name": disk_name,
        "arn": ctx.new_arn("Disk"),
        "supportCode": ctx.support_code("vol-"),
        "createdAt": ctx.now(),
        "location": location,
        "resourceType": "Disk",
        "tags": [],
        "addOns": [],
        "sizeInGb": size,
        "isSystemDisk": false,
        "iops": wire::iops(size),
        "path": path,
        "state": "in-use",
        "attachedTo": instance_name,
        "isAttached": true,
        "attachmentState": "attached",
    });
    ctx.db().insert("Disk", disk_name, &disk)?;
    Ok(disk)
}

fn create_instances(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let names = new_names(ctx, input)?;
    let zone = zone(ctx, input)?;
    let blueprint_id = input::string(input, "blueprintId");
    let blueprint = blueprints::find(blueprint_id)
        .filter(|b| b.is_active)
        .ok_or_else(|| bad_input(format!("The blueprint ID is not valid: {blueprint_id}")))?;
    let ip_address_type = input::optional_string(input, "ipAddressType").unwrap_or("dualstack");
    let bundle = plan_for(input::string(input, "bundleId"), blueprint, ip_address_type)?;
    let key_pair = key_pair(ctx, input)?;
    let add_ons = add_ons::Requested::from_input(input)?;
    add_ons.check_blueprint(blueprint)?;
    let creation = Creation {
        names,
        zone,
        blueprint,
        bundle,
        ip_address_type,
        key_pair,
        add_ons,
        disk_size_in_gb: bundle.disk_size_in_gb,
        operation_type: "CreateInstance",
        disks: Vec::new(),
    };
    create(ctx, input, creation)
}

/// The snapshot a CreateInstancesFromSnapshot call starts from: `(blueprint id, bundle id, size,
/// attached disks)`, from a manual snapshot or from an automatic one.
fn snapshot_source(
    ctx: &Ctx<'_>,
    input: &Value,
) -> Result<(String, String, u32, Vec<Value>), ApiError> {
    let snapshot_name = input::optional_string(input, "instanceSnapshotName");
    let source_instance = input::optional_string(input, "sourceInstanceName");
    match (snapshot_name, source_instance) {
        (Some(_), Some(_)) => Err(bad_input(
            "instanceSnapshotName and sourceInstanceName cannot be used together".to_string(),
        )),
        (None, None) => Err(bad_input(
            "Specify instanceSnapshotName, or sourceInstanceName with restoreDate or \
             useLatestRestorableAutoSnapshot"
                .to_string(),
        )),
        (Some(name), None) => {
            let snapshot = ctx.db().require(instance_snapshots::KIND, name)?;
            if snapshot["state"] != "available" {
                return Err(ApiError::operation_failure(format!(
                    "The instance snapshot {name} is not available yet"
                )));
            }
            Ok((
                snapshot["fromBlueprintId"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
                snapshot["fromBundleId"].as_str().unwrap_or("").to_string(),
                snapshot["sizeInGb"].as_u64().unwrap_or(0) as u32,
                snapshot["fromAttachedDisks"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default(),
            ))
        }
        (None, Some(source)) => {
            let record = ctx
                .db()
                .record(KIND, source)?
                .ok_or_else(|| ApiError::not_found(KIND, source))?;
            let auto = add_ons::chosen_auto_snapshot(ctx, &record.body, &record.private, input)?;
            let size = record
                .body
                .pointer("/hardware/disks/0/sizeInGb")
                .and_then(Value::as_u64)
                .unwrap_or(0) as u32;
            let disks = auto["fromAttachedDisks"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            Ok((
                record.body["blueprintId"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
                record.body["bundleId"].as_str().unwrap_or("").to_string(),
                size,
                disks,
            ))
        }
    }
}

/// `attachedDiskMapping`: each entry maps one of the snapshot's disks (by its original path) to the
/// name of a new disk.
fn mapped_disks(
    input: &Value,
    snapshot_disks: &[Value],
) -> Result<Vec<(String, u32, String)>, ApiError> {
    let mut out = Vec::new();
    let Some(mapping) = input.get("attachedDiskMapping").and_then(Value::as_object) else {
        return Ok(out);
    };
    for entries in mapping.values() {
        for entry in entries.as_array().into_iter().flatten() {
            let path = entry["originalDiskPath"].as_str().unwrap_or("");
            let new_name = entry["newDiskName"].as_str().unwrap_or("");
            let source = snapshot_disks
                .iter()
                .find(|d| d["path"] == path)
                .ok_or_else(|| bad_input(format!("The snapshot has no disk at {path}")))?;
            if new_name.is_empty() || !valid_name(new_name) {
                return Err(bad_input(format!(
                    "The new disk name is not valid: {new_name}"
                )));
            }
            let size = source["sizeInGb"].as_u64().unwrap_or(8) as u32;
            out.push((path.to_string(), size, new_name.to_string()));
        }
    }
    Ok(out)
}

fn create_instances_from_snapshot(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let names = new_names(ctx, input)?;
    let zone = zone(ctx, input)?;
    let (blueprint_id, from_bundle_id, size, snapshot_disks) = snapshot_source(ctx, input)?;
    let blueprint = blueprints::find(&blueprint_id).ok_or_else(|| {
        bad_input(format!(
            "The snapshot's blueprint is not available: {blueprint_id}"
        ))
    })?;
    let ip_address_type = input::optional_string(input, "ipAddressType").unwrap_or("dualstack");
    let bundle_id = input::string(input, "bundleId");
    let bundle = plan_for(bundle_id, blueprint, ip_address_type)?;
    let from_disk = bundles::find(&from_bundle_id).map_or(size, |b| b.disk_size_in_gb);
    if bundle.disk_size_in_gb < size.max(from_disk) {
        return Err(bad_input(format!(
            "The bundle {bundle_id} is smaller than the snapshot's bundle {from_bundle_id}; choose \
             a bundle equal to or greater in specifications"
        )));
    }
    let disks = mapped_disks(input, &snapshot_disks)?;
    if names.len() > 1 && !disks.is_empty() {
        return Err(bad_input(
            "attachedDiskMapping can only be used when creating one instance".to_string(),
        ));
    }
    for (_, _, disk_name) in &disks {
        if ctx.db().exists("Disk", disk_name)? {
            return Err(ApiError::name_in_use(disk_name));
        }
    }
    let key_pair = key_pair(ctx, input)?;
    let add_ons = add_ons::Requested::from_input(input)?;
    add_ons.check_blueprint(blueprint)?;
    let creation = Creation {
        names,
        zone,
        blueprint,
        bundle,
        ip_address_type,
        key_pair,
        add_ons,
        disk_size_in_gb: bundle.disk_size_in_gb,
        operation_type: "CreateInstancesFromSnapshot",
        disks,
    };
    create(ctx, input, creation)
}

fn location_of(instance: &Value) -> Value {
    instance.get("location").cloned().unwrap_or(Value::Null)
}

fn start_instance(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "instanceName");
    let instance = ctx.db().require(KIND, name)?;
    let current = state_name(&instance);
    if current != STOPPED.1 {
        return Err(wrong_state(name, current, "stopped"));
    }
    let fresh_ip = (instance["isStaticIp"] != json!(true) && instance["ipAddressType"] != "ipv6")
        .then(|| ctx.ids.public_ipv4());
    ctx.db().update(KIND, name, |instance| {
        instance["state"] = state(PENDING);
        if let Some(ip) = &fresh_ip {
            instance["publicIpAddress"] = json!(ip);
        }
    })?;
    let operation = ctx.record(NewOperation::started(KIND, name, location_of(&instance)))?;
    ctx.schedule(
        "Instance.start",
        Transition::of(KIND, name)
            .set("/state", state(RUNNING))
            .only_if("/state/name", PENDING.1)
            .finishing(std::slice::from_ref(&operation)),
    )?;
    Ok(json!({ "operations": [operation] }))
}

fn stop_instance(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "instanceName");
    let instance = ctx.db().require(KIND, name)?;
    let current = state_name(&instance);
    let forced = input::flag(input, "force") && current == STOPPING.1;
    if current != RUNNING.1 && !forced {
        return Err(wrong_state(name, current, "running"));
    }
    let keeps_ip = instance["isStaticIp"] == json!(true);
    ctx.db().update(KIND, name, |instance| {
        instance["state"] = state(if forced { STOPPED } else { STOPPING });
        if !keeps_ip {
            if let Some(object) = instance.as_object_mut() {
                object.remove("publicIpAddress");
            }
        }
    })?;
    let location = location_of(&instance);
    if forced {
        let operation = ctx.record(NewOperation::succeeded(KIND, name, location))?;
        return Ok(json!({ "operations": [operation] }));
    }
    let operation = ctx.record(NewOperation::started(KIND, name, location))?;
    ctx.schedule(
        "Instance.stop",
        Transition::of(KIND, name)
            .set("/state", state(STOPPED))
            .only_if("/state/name", STOPPING.1)
            .finishing(std::slice::from_ref(&operation)),
    )?;
    Ok(json!({ "operations": [operation] }))
}

fn reboot_instance(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "instanceName");
    let instance = ctx.db().require(KIND, name)?;
    let current = state_name(&instance);
    if current != RUNNING.1 {
        return Err(wrong_state(name, current, "running"));
    }
    let operation =
        ctx.record(NewOperation::succeeded(KIND, name, location_of(&instance)).details(""))?;
    Ok(json!({ "operations": [operation] }))
}

fn delete_instance(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "instanceName");
    let instance = ctx.db().require(KIND, name)?;
    let location = location_of(&instance);
    let mut operations = Vec::new();
    for disk_name in attached_disk_names(&instance) {
        let disk_location = ctx
            .db()
            .get("Disk", &disk_name)?
            .and_then(|d| d.get("location").cloned())
            .unwrap_or_else(|| location.clone());
        let pair = [
            ctx.record(
                NewOperation::started("Disk", &disk_name, disk_location)
                    .operation_type("DetachDisk")
                    .details(name),
            )?,
            ctx.record(
                NewOperation::started(KIND, name, location.clone())
                    .operation_type("DetachDisk")
                    .details(&disk_name),
            )?,
        ];
        if ctx.db().exists("Disk", &disk_name)? {
            ctx.db().update("Disk", &disk_name, detach_disk)?;
        }
        ctx.schedule(
            "Disk.detach",
            Transition::of("Disk", &disk_name).finishing(&pair),
        )?;
        operations.extend(pair);
    }
    if instance["isStaticIp"] == json!(true) {
        for static_ip in ctx.db().list("StaticIp")? {
            if static_ip["attachedTo"] == name {
                let ip_name = static_ip["name"].as_str().unwrap_or("").to_string();
                ctx.db().update("StaticIp", &ip_name, |ip| {
                    if let Some(object) = ip.as_object_mut() {
                        object.remove("attachedTo");
                    }
                    ip["isAttached"] = json!(false);
                })?;
            }
        }
    }
    for balancer in ctx.db().list("LoadBalancer")? {
        let listed = balancer["instanceHealthSummary"]
            .as_array()
            .is_some_and(|list| list.iter().any(|h| h["instanceName"] == name));
        if listed {
            let balancer_name = balancer["name"].as_str().unwrap_or("").to_string();
            ctx.db().update("LoadBalancer", &balancer_name, |lb| {
                if let Some(list) = lb["instanceHealthSummary"].as_array_mut() {
                    list.retain(|h| h["instanceName"] != name);
                }
            })?;
        }
    }
    ctx.db().delete(KIND, name)?;
    operations.push(ctx.record(NewOperation::succeeded(KIND, name, location))?);
    Ok(json!({ "operations": operations }))
}

/// A disk's wire form once detached (the CLI's `get-disks` example: no `path`, no `attachedTo`).
fn detach_disk(disk: &mut Value) {
    if let Some(object) = disk.as_object_mut() {
        for member in ["attachedTo", "path", "autoMountStatus"] {
            object.remove(member);
        }
    }
    disk["state"] = json!("available");
    disk["isAttached"] = json!(false);
    disk["attachmentState"] = json!("detached");
}

/// Creates the seeded instances (created a day before the deterministic epoch).
pub fn seed(ctx: &mut Ctx<'_>, names: &[String]) -> Result<(), ApiError> {
    let created_at = if ctx.settings.deterministic {
        crate::engine::clock::SEED_EPOCH - 86_400.0
    } else {
        ctx.now()
    };
    for (index, name) in names.iter().enumerate() {
        let instance = seeded_instance(ctx, name, index, created_at);
        ctx.db().insert(KIND, name, &instance)?;
    }
    Ok(())
}

fn seeded_instance(ctx: &mut Ctx<'_>, name: &str, index: usize, created_at: f64) -> Value {
    let arn = ctx.new_arn(KIND);
    let support_code = ctx.support_code("i-");
    let octet = 10 + index % 200;
    let zone = ctx.region.default_zone();
    json!({
        "name": name,
        "arn": arn,
        "supportCode": support_code,
        "createdAt": created_at,
        "location": ctx.location(&zone),
        "resourceType": KIND,
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
            "ports": [seed_port(80), seed_port(22), seed_port(443)]
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

/// A seeded instance's firewall entry (as the seed has always shown it).
fn seed_port(number: u16) -> Value {
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
