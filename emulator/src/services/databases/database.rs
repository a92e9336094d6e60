//! Databases: create (new or restored), get and list, update, reboot, stop, start, delete, and the
//! master user password.
//!
//! The wire form follows `src/help/examples/get-relational-database.rst` member for member: support
//! code and endpoint share one `ls-` + 40-hex identifier, the endpoint lives under the account's and
//! region's RDS name (`ls-….<12 characters>.us-west-2.rds.amazonaws.com`), ports are the engines'
//! (3306, 5432). Automated backups are on by default (the service's default, which Terraform's
//! provider documents), so a database older than five minutes has a `latestRestorableTime` (the last
//! five-minute mark, computed when it is read). `caCertificateIdentifier` is `rds-ca-rsa2048-g1`
//! (ours: RDS's current default). A database with a high-availability bundle gets the next zone of the
//! region as `secondaryAvailabilityZone`.
//!
//! The master password is either the caller's or 32 random printable characters (the example's
//! style); its versions live in the private value with the moment each becomes current, so
//! CURRENT, PREVIOUS and PENDING follow the clock. A version that does not exist answers an empty
//! result (ours). State rules (OperationFailureException, our wording): update, reboot, stop and
//! snapshot need `available`, start needs `stopped`.

use serde_json::{json, Map, Value};

use crate::engine::metrics::hash;
use crate::engine::{input, Ctx, NewOperation, Record, Transition};
use crate::error::ApiError;
use crate::services::databases::catalog::{self, Blueprint, Bundle};
use crate::services::databases::{invalid, push_event, snapshots, windows, KIND, SNAPSHOT_KIND};

/// The CA certificates a database may use (RDS's current ones).
pub const CA_CERTIFICATES: &[&str] =
    &["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"];
const DEFAULT_CA_CERTIFICATE: &str = "rds-ca-rsa2048-g1";

/// Printable ASCII less space, `/`, `"` and `@` (the model's rule for master passwords).
const PASSWORD_ALPHABET: &str =
    "!#$%&'()*+,-.0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/// Password versions kept in the private value.
const PASSWORD_VERSIONS: usize = 4;

/// A database stopped this long starts again by itself (the model's documentation: seven days).
const AUTOMATIC_START_AFTER: f64 = 7.0 * 86_400.0;

/// `ls-` and 40 hex digits: the service's identifier behind a database or snapshot.
pub fn ls_identifier(ctx: &mut Ctx<'_>) -> String {
    format!("ls-{}", ctx.ids.resource_hex(40))
}

/// The 12-character label of the account's databases in a region (`czowadgeezqi` in the examples).
fn endpoint_label(account: &str, region: &str) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut h = hash(&[account.as_bytes(), region.as_bytes(), b"rds"]);
    (0..12)
        .map(|_| {
            let c = ALPHABET[(h % 36) as usize] as char;
            h /= 36;
            c
        })
        .collect()
}

fn operation_failure(message: String) -> ApiError {
    ApiError::operation_failure(message)
}

/// OperationFailure unless the database is in one of the states an action needs.
pub fn require_state(body: &Value, needed: &str, action: &str) -> Result<(), ApiError> {
    let state = body["state"].as_str().unwrap_or("");
    if state == needed {
        return Ok(());
    }
    Err(operation_failure(format!(
        "The relational database {} must be {needed} to {action}; it is {state}.",
        body["name"].as_str().unwrap_or("")
    )))
}

fn is_identifier(text: &str, max: usize) -> bool {
    (1..=max).contains(&text.len())
        && text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn check_master_database_name(blueprint: &Blueprint, name: &str) -> Result<(), ApiError> {
    let max = if blueprint.is_mysql() { 64 } else { 63 };
    if is_identifier(name, max) {
        return Ok(());
    }
    Err(invalid(format!(
        "The master database name must start with a letter and contain 1 to {max} letters, numbers \
         or underscores: {name}"
    )))
}

fn check_master_username(blueprint: &Blueprint, name: &str) -> Result<(), ApiError> {
    let max = if blueprint.is_mysql() { 16 } else { 63 };
    if is_identifier(name, max) {
        return Ok(());
    }
    Err(invalid(format!(
        "The master username must start with a letter and contain 1 to {max} letters, numbers or \
         underscores: {name}"
    )))
}

/// The password rules; the message never shows the password.
fn check_password(blueprint: &Blueprint, password: &str) -> Result<(), ApiError> {
    let max = if blueprint.is_mysql() { 41 } else { 128 };
    if (8..=max).contains(&password.len())
        && password.chars().all(|c| PASSWORD_ALPHABET.contains(c))
    {
        return Ok(());
    }
    Err(invalid(format!(
        "The master user password must contain 8 to {max} printable ASCII characters other than \
         space, \"/\", '\"' and \"@\""
    )))
}

fn generate_password(ctx: &mut Ctx<'_>) -> String {
    ctx.ids.string_from(PASSWORD_ALPHABET, 32)
}

/// A zone where databases may live in the caller's region (the first one when none is named).
fn database_zone(ctx: &Ctx<'_>, zone: Option<&str>) -> Result<String, ApiError> {
    match zone {
        None => Ok(ctx
            .region
            .database_zone_names()
            .next()
            .unwrap_or_else(|| ctx.region.default_zone())),
        Some(zone) if ctx.region.database_zone_names().any(|z| z == zone) => Ok(zone.to_string()),
        Some(zone) => Err(invalid(format!(
            "The Availability Zone is not valid for a database in {}: {zone}",
            ctx.region.name
        ))),
    }
}

/// The zone after `zone` among the region's database zones (a standby's).
fn secondary_zone(ctx: &Ctx<'_>, zone: &str) -> String {
    let zones: Vec<String> = ctx.region.database_zone_names().collect();
    let index = zones.iter().position(|z| z == zone).unwrap_or(0);
    zones
        .get((index + 1) % zones.len().max(1))
        .cloned()
        .unwrap_or_else(|| zone.to_string())
}

/// The caller's windows (checked), with random ones for what the caller left out.
fn windows_for(ctx: &mut Ctx<'_>, input: &Value) -> Result<(String, String), ApiError> {
    let backup = input::optional_string(input, "preferredBackupWindow")
        .map(windows::parse_backup)
        .transpose()?;
    let maintenance = input::optional_string(input, "preferredMaintenanceWindow")
        .map(windows::parse_maintenance)
        .transpose()?;
    let (random_backup, mut random_maintenance) = windows::generate(ctx);
    let backup_given = backup.is_some();
    let backup = backup.unwrap_or(random_backup);
    let maintenance = match maintenance {
        Some(maintenance) => maintenance,
        None => {
            // Move the random maintenance window away from the caller's backup window.
            for _ in 0..48 {
                if !windows::overlap(backup, random_maintenance) {
                    break;
                }
                random_maintenance.start += 60;
            }
            random_maintenance
        }
    };
    let backup = if !backup_given && windows::overlap(backup, maintenance) {
        windows::Daily {
            start: (maintenance.start + maintenance.length + 60).rem_euclid(1440),
            length: backup.length,
        }
    } else {
        backup
    };
    let (backup, maintenance) = (
        windows::backup_text(backup),
        windows::maintenance_text(maintenance),
    );
    windows::check_apart(&backup, &maintenance)?;
    Ok((backup, maintenance))
}

/// What a new database is made of.
struct NewDatabase<'a> {
    name: &'a str,
    zone: String,
    blueprint: &'static Blueprint,
    engine_version: String,
    bundle: &'static Bundle,
    master_database_name: String,
    master_username: String,
    publicly_accessible: bool,
    backup_window: String,
    maintenance_window: String,
    tags: Vec<Value>,
}

fn wire_form(ctx: &mut Ctx<'_>, new: NewDatabase<'_>) -> Value {
    let arn = ctx.new_arn(KIND);
    let identifier = ls_identifier(ctx);
    let address = format!(
        "{identifier}.{}.{}.rds.amazonaws.com",
        endpoint_label(ctx.account, ctx.region.name),
        ctx.region.name
    );
    let mut body = json!({
        "name": new.name,
        "arn": arn,
        "supportCode": format!("{}/{identifier}", ctx.account),
        "createdAt": ctx.now(),
        "location": ctx.location(&new.zone),
        "resourceType": KIND,
        "tags": new.tags,
        "relationalDatabaseBlueprintId": new.blueprint.id,
        "relationalDatabaseBundleId": new.bundle.id,
        "masterDatabaseName": new.master_database_name,
        "hardware": new.bundle.hardware(),
        "state": "creating",
        "backupRetentionEnabled": true,
        "pendingModifiedValues": {},
        "engine": new.blueprint.engine,
        "engineVersion": new.engine_version,
        "masterUsername": new.master_username,
        "parameterApplyStatus": "in-sync",
        "preferredBackupWindow": new.backup_window,
        "preferredMaintenanceWindow": new.maintenance_window,
        "publiclyAccessible": new.publicly_accessible,
        "masterEndpoint": {"port": new.blueprint.port(), "address": address},
        "pendingMaintenanceActions": [],
        "caCertificateIdentifier": DEFAULT_CA_CERTIFICATE,
    });
    if new.bundle.is_high_availability() {
        body["secondaryAvailabilityZone"] = json!(secondary_zone(ctx, &new.zone));
    }
    body
}

/// Stores a new database (`creating`), its private value and its way to `available`; returns the
/// operation.
fn launch(
    ctx: &mut Ctx<'_>,
    body: Value,
    password: String,
    restored_from: Option<&str>,
) -> Result<Value, ApiError> {
    let name = body["name"].as_str().unwrap_or("").to_string();
    let operation = ctx.record(NewOperation::started(KIND, &name, body["location"].clone()))?;
    let now = ctx.now();
    let due = now + ctx.delay(KIND);
    let mut private = json!({
        "passwords": [{"password": password, "createdAt": now, "effectiveAt": now}],
        "events": [],
        "parameters": {},
        "backupSince": due,
    });
    push_event(
        &mut private,
        due,
        "Relational Database created",
        &["creation"],
    );
    if let Some(snapshot) = restored_from {
        push_event(
            &mut private,
            due,
            &format!("Restored from snapshot {snapshot}"),
            &["restoration"],
        );
    }
    ctx.db().insert_with_private(KIND, &name, &body, &private)?;
    ctx.schedule_at(
        due,
        Transition::of(KIND, &name)
            .only_if("/state", "creating")
            .set("/state", "available")
            .finishing(std::slice::from_ref(&operation)),
    )?;
    Ok(operation)
}

pub fn create(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "relationalDatabaseName");
    let blueprint =
        catalog::blueprint_for_new(input::string(input, "relationalDatabaseBlueprintId"))?;
    let bundle = catalog::bundle_for_new(input::string(input, "relationalDatabaseBundleId"))?;
    let zone = database_zone(ctx, input::optional_string(input, "availabilityZone"))?;
    let master_database_name = input::string(input, "masterDatabaseName");
    check_master_database_name(blueprint, master_database_name)?;
    let master_username = input::string(input, "masterUsername");
    check_master_username(blueprint, master_username)?;
    let password = input::optional_string(input, "masterUserPassword");
    if let Some(password) = password {
        check_password(blueprint, password)?;
    }
    if ctx.db().exists(KIND, name)? {
        return Err(ApiError::name_in_use(name));
    }
    let (backup_window, maintenance_window) = windows_for(ctx, input)?;
    let body = wire_form(
        ctx,
        NewDatabase {
            name,
            zone,
            blueprint,
            engine_version: blueprint.engine_version.to_string(),
            bundle,
            master_database_name: master_database_name.to_string(),
            master_username: master_username.to_string(),
            publicly_accessible: input::flag(input, "publiclyAccessible"),
            backup_window,
            maintenance_window,
            tags: input::tags(input),
        },
    );
    let password = match password {
        Some(password) => password.to_string(),
        None => generate_password(ctx),
    };
    let operation = launch(ctx, body, password, None)?;
    Ok(json!({ "operations": [operation] }))
}

/// Where a restored database comes from: its snapshot or its source database at a point in time.
struct Origin {
    blueprint_id: String,
    engine_version: String,
    bundle_id: String,
    master_database_name: String,
    master_username: String,
    password: String,
    snapshot: Option<String>,
}

fn origin_of_snapshot(ctx: &Ctx<'_>, name: &str) -> Result<Origin, ApiError> {
    let Record { body, private, .. } = ctx
        .db()
        .record(SNAPSHOT_KIND, name)?
        .ok_or_else(|| ApiError::not_found(SNAPSHOT_KIND, name))?;
    if body["state"] != "available" {
        return Err(operation_failure(format!(
            "The relational database snapshot {name} must be available to restore from; it is {}.",
            body["state"].as_str().unwrap_or("")
        )));
    }
    let text = |value: &Value| value.as_str().unwrap_or("").to_string();
    Ok(Origin {
        blueprint_id: text(&body["fromRelationalDatabaseBlueprintId"]),
        engine_version: text(&body["engineVersion"]),
        bundle_id: text(&body["fromRelationalDatabaseBundleId"]),
        master_database_name: text(&private["masterDatabaseName"]),
        master_username: text(&private["masterUsername"]),
        password: text(&private["password"]),
        snapshot: Some(name.to_string()),
    })
}

fn origin_of_database(ctx: &Ctx<'_>, name: &str, input: &Value) -> Result<Origin, ApiError> {
    let Record { body, private, .. } = require_record(ctx, name)?;
    let restore_time = input.get("restoreTime").and_then(Value::as_f64);
    let use_latest = input::flag(input, "useLatestRestorableTime");
    let now = ctx.now();
    match (restore_time, use_latest) {
        (Some(_), true) => {
            return Err(invalid(
                "Specify either restoreTime or useLatestRestorableTime, not both.".to_string(),
            ))
        }
        (None, false) => {
            return Err(invalid(
                "Specify restoreTime or useLatestRestorableTime to restore from \
                 sourceRelationalDatabaseName."
                    .to_string(),
            ))
        }
        _ => {}
    }
    let Some(latest) = latest_restorable_time(&body, now) else {
        return Err(operation_failure(format!(
            "The relational database {name} has no restorable time yet (automated backups are off \
             or have not run)."
        )));
    };
    if let Some(time) = restore_time {
        let created = body["createdAt"].as_f64().unwrap_or(0.0);
        if time < created || time > latest {
            return Err(invalid(format!(
                "The restore time must lie between the database's creation ({created}) and its \
                 latest restorable time ({latest}): {time}"
            )));
        }
    }
    let text = |value: &Value| value.as_str().unwrap_or("").to_string();
    Ok(Origin {
        blueprint_id: text(&body["relationalDatabaseBlueprintId"]),
        engine_version: text(&body["engineVersion"]),
        bundle_id: text(&body["relationalDatabaseBundleId"]),
        master_database_name: text(&body["masterDatabaseName"]),
        master_username: text(&body["masterUsername"]),
        password: current_password(&private, now).unwrap_or_default(),
        snapshot: None,
    })
}

pub fn create_from_snapshot(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "relationalDatabaseName");
    let snapshot = input::optional_string(input, "relationalDatabaseSnapshotName");
    let source = input::optional_string(input, "sourceRelationalDatabaseName");
    let origin = match (snapshot, source) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                "Specify either relationalDatabaseSnapshotName or sourceRelationalDatabaseName, \
                 not both."
                    .to_string(),
            ))
        }
        (None, None) => {
            return Err(invalid(
                "Specify relationalDatabaseSnapshotName or sourceRelationalDatabaseName."
                    .to_string(),
            ))
        }
        (Some(snapshot), None) => {
            if input.get("restoreTime").is_some() || input::flag(input, "useLatestRestorableTime") {
                return Err(invalid(
                    "restoreTime and useLatestRestorableTime apply only to a restore from \
                     sourceRelationalDatabaseName."
                        .to_string(),
                ));
            }
            origin_of_snapshot(ctx, snapshot)?
        }
        (None, Some(source)) => origin_of_database(ctx, source, input)?,
    };
    let blueprint = catalog::find_blueprint(&origin.blueprint_id)
        .ok_or_else(|| invalid(format!("Unknown blueprint: {}", origin.blueprint_id)))?;
    let source_bundle = catalog::find_bundle(&origin.bundle_id)
        .ok_or_else(|| invalid(format!("Unknown bundle: {}", origin.bundle_id)))?;
    let bundle = match input::optional_string(input, "relationalDatabaseBundleId") {
        Some(id) => {
            let bundle = catalog::bundle_for_new(id)?;
            if !source_bundle.fits_in(bundle) {
                return Err(invalid(format!(
                    "The bundle must be at least as large as the source database's bundle ({}): {id}",
                    source_bundle.id
                )));
            }
            bundle
        }
        None => source_bundle,
    };
    let zone = database_zone(ctx, input::optional_string(input, "availabilityZone"))?;
    if ctx.db().exists(KIND, name)? {
        return Err(ApiError::name_in_use(name));
    }
    let (backup_window, maintenance_window) = windows_for(ctx, &json!({}))?;
    let body = wire_form(
        ctx,
        NewDatabase {
            name,
            zone,
            blueprint,
            engine_version: origin.engine_version,
            bundle,
            master_database_name: origin.master_database_name,
            master_username: origin.master_username,
            publicly_accessible: input::flag(input, "publiclyAccessible"),
            backup_window,
            maintenance_window,
            tags: input::tags(input),
        },
    );
    let operation = launch(ctx, body, origin.password, origin.snapshot.as_deref())?;
    Ok(json!({ "operations": [operation] }))
}

/// The database's wire form and private value, or NotFoundException.
pub fn require_record(ctx: &Ctx<'_>, name: &str) -> Result<Record, ApiError> {
    ctx.db()
        .record(KIND, name)?
        .ok_or_else(|| ApiError::not_found(KIND, name))
}

/// The last five-minute mark, once backups are on and the database has lived past one.
pub fn latest_restorable_time(body: &Value, now: f64) -> Option<f64> {
    if body["backupRetentionEnabled"] != true || body["state"] == "creating" {
        return None;
    }
    let mark = ((now.floor() as i64).div_euclid(300) * 300) as f64;
    (mark > body["createdAt"].as_f64().unwrap_or(f64::MAX)).then_some(mark)
}

/// The wire form as a Get answers it at `now`.
fn view(mut body: Value, now: f64) -> Value {
    if let Some(time) = latest_restorable_time(&body, now) {
        body["latestRestorableTime"] = json!(time);
    }
    body
}

pub fn get(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let body = ctx
        .db()
        .require(KIND, input::string(input, "relationalDatabaseName"))?;
    Ok(json!({ "relationalDatabase": view(body, ctx.now()) }))
}

pub fn list(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let now = ctx.now();
    let mut page = ctx.page(KIND, input)?;
    page.items = page.items.into_iter().map(|b| view(b, now)).collect();
    Ok(page.into_output("relationalDatabases"))
}

/// The master password current at `now`.
pub fn current_password(private: &Value, now: f64) -> Option<String> {
    password_versions(private, now)
        .0
        .last()
        .and_then(|v| v["password"].as_str())
        .map(str::to_string)
}

/// (versions in effect at `now`, oldest first; the newest version not yet in effect).
fn password_versions(private: &Value, now: f64) -> (Vec<&Value>, Option<&Value>) {
    let all: Vec<&Value> = private["passwords"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let effective = |v: &Value| v["effectiveAt"].as_f64().unwrap_or(0.0) <= now;
    let pending = all.iter().rev().find(|v| !effective(v)).copied();
    (all.into_iter().filter(|v| effective(v)).collect(), pending)
}

pub fn master_user_password(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "relationalDatabaseName");
    let Record { private, .. } = require_record(ctx, name)?;
    let (effective, pending) = password_versions(&private, ctx.now());
    let version = match input::optional_string(input, "passwordVersion").unwrap_or("CURRENT") {
        "PENDING" => pending,
        "PREVIOUS" => effective.len().checked_sub(2).map(|i| effective[i]),
        _ => effective.last().copied(),
    };
    Ok(match version {
        Some(version) => json!({
            "masterUserPassword": version["password"],
            "createdAt": version["createdAt"],
        }),
        None => json!({}),
    })
}

/// Adds a password version that becomes current at `effective_at`.
fn push_password(private: &mut Value, password: String, created_at: f64, effective_at: f64) {
    if let Some(versions) = private["passwords"].as_array_mut() {
        versions.push(json!({
            "password": password,
            "createdAt": created_at,
            "effectiveAt": effective_at,
        }));
        let excess = versions.len().saturating_sub(PASSWORD_VERSIONS);
        versions.drain(..excess);
    }
}

/// The changes an update makes: applied when the update completes, or at the maintenance window.
#[derive(Default)]
struct Changes {
    now: Vec<(&'static str, Value)>,
    later: Vec<(&'static str, Value)>,
}

pub fn update(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "relationalDatabaseName");
    let Record {
        mut body,
        mut private,
        ..
    } = require_record(ctx, name)?;
    require_state(&body, "available", "be updated")?;
    let blueprint =
        catalog::find_blueprint(body["relationalDatabaseBlueprintId"].as_str().unwrap_or(""))
            .unwrap_or(&catalog::BLUEPRINTS[0]);
    let apply_immediately = input::flag(input, "applyImmediately");
    let enable_backups = input::flag(input, "enableBackupRetention");
    let disable_backups = input::flag(input, "disableBackupRetention");
    if enable_backups && disable_backups {
        return Err(invalid(
            "enableBackupRetention and disableBackupRetention cannot both be true.".to_string(),
        ));
    }
    let new_password = input::optional_string(input, "masterUserPassword");
    let rotate = input::flag(input, "rotateMasterUserPassword");
    if new_password.is_some() && rotate {
        return Err(invalid(
            "Specify either masterUserPassword or rotateMasterUserPassword, not both.".to_string(),
        ));
    }
    if let Some(password) = new_password {
        check_password(blueprint, password)?;
    }
    let backup_window = input::optional_string(input, "preferredBackupWindow")
        .map(|w| windows::parse_backup(w).map(windows::backup_text))
        .transpose()?;
    let maintenance_window = input::optional_string(input, "preferredMaintenanceWindow")
        .map(|w| windows::parse_maintenance(w).map(windows::maintenance_text))
        .transpose()?;
    let text = |pointer: &str| body[pointer].as_str().unwrap_or("").to_string();
    let effective_backup = backup_window
        .clone()
        .unwrap_or_else(|| text("preferredBackupWindow"));
    let effective_maintenance = maintenance_window
        .clone()
        .unwrap_or_else(|| text("preferredMaintenanceWindow"));
    windows::check_apart(&effective_backup, &effective_maintenance)?;
    let certificate = input::optional_string(input, "caCertificateIdentifier");
    if let Some(certificate) = certificate {
        if !CA_CERTIFICATES.contains(&certificate) {
            return Err(invalid(format!(
                "The CA certificate identifier must be one of {}: {certificate}",
                CA_CERTIFICATES.join(", ")
            )));
        }
    }
    let upgrade = match input::optional_string(input, "relationalDatabaseBlueprintId") {
        None => None,
        Some(id) => {
            let target = catalog::blueprint_for_new(id)?;
            let current_version: Vec<u32> = text("engineVersion")
                .split('.')
                .filter_map(|p| p.parse().ok())
                .collect();
            if target.engine != blueprint.engine || target.version_numbers() <= current_version {
                return Err(invalid(format!(
                    "The blueprint must be a later major version of the database's engine ({} {}): {id}",
                    blueprint.engine,
                    text("engineVersion")
                )));
            }
            Some(target)
        }
    };

    let now = ctx.now();
    let due = now + ctx.delay("RelationalDatabase.update");
    let mut changes = Changes::default();
    let mut shown: Map<String, Value> = body["pendingModifiedValues"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut pending_after = shown.clone();
    if let Some(window) = backup_window {
        changes.now.push(("/preferredBackupWindow", json!(window)));
    }
    if let Some(window) = maintenance_window {
        changes
            .now
            .push(("/preferredMaintenanceWindow", json!(window)));
    }
    if let Some(public) = input.get("publiclyAccessible").and_then(Value::as_bool) {
        changes.now.push(("/publiclyAccessible", json!(public)));
    }
    let deferred_at = windows::next_start(windows::parse_maintenance(&effective_maintenance)?, due);
    if enable_backups || disable_backups {
        let at = if apply_immediately { due } else { deferred_at };
        let change = ("/backupRetentionEnabled", json!(enable_backups));
        shown.insert("backupRetentionEnabled".into(), json!(enable_backups));
        if apply_immediately {
            changes.now.push(change);
        } else {
            pending_after.insert("backupRetentionEnabled".into(), json!(enable_backups));
            changes.later.push(change);
        }
        if enable_backups {
            private["backupSince"] = json!(at);
            private["backupUntil"] = Value::Null;
        } else {
            private["backupUntil"] = json!(at);
        }
    }
    if let Some(target) = upgrade {
        shown.insert("engineVersion".into(), json!(target.engine_version));
        let version = [
            ("/relationalDatabaseBlueprintId", json!(target.id)),
            ("/engineVersion", json!(target.engine_version)),
        ];
        if apply_immediately {
            changes.now.extend(version);
        } else {
            pending_after.insert("engineVersion".into(), json!(target.engine_version));
            changes.later.extend(version);
        }
    }
    if let Some(certificate) = certificate {
        let change = ("/caCertificateIdentifier", json!(certificate));
        if apply_immediately {
            changes.now.push(change);
        } else {
            changes.later.push(change);
        }
    }
    if new_password.is_some() || rotate {
        shown.insert("masterUserPassword".into(), json!("****"));
        let password = match new_password {
            Some(password) => password.to_string(),
            None => generate_password(ctx),
        };
        push_password(&mut private, password, now, due);
        push_event(
            &mut private,
            due,
            "Reset master credentials",
            &["configuration change"],
        );
    }
    if !changes.now.is_empty() {
        push_event(
            &mut private,
            due,
            "Applied change to Relational Database",
            &["configuration change"],
        );
    }
    if !changes.later.is_empty() {
        push_event(
            &mut private,
            deferred_at,
            "Applied change to Relational Database during the maintenance window",
            &["maintenance"],
        );
    }

    body["state"] = json!("modifying");
    body["pendingModifiedValues"] = Value::Object(shown);
    ctx.db().put(KIND, name, &body)?;
    ctx.db().put_private(KIND, name, &private)?;
    let operation = ctx.record(NewOperation::started(KIND, name, body["location"].clone()))?;
    let mut done = Transition::of(KIND, name)
        .only_if("/state", "modifying")
        .set("/state", "available")
        .set("/pendingModifiedValues", Value::Object(pending_after))
        .finishing(std::slice::from_ref(&operation));
    for (pointer, value) in changes.now {
        done = done.set(pointer, value);
    }
    ctx.schedule_at(due, done)?;
    if !changes.later.is_empty() {
        let mut window = Transition::of(KIND, name).set("/pendingModifiedValues", json!({}));
        for (pointer, value) in changes.later {
            window = window.set(pointer, value);
        }
        ctx.schedule_at(deferred_at, window)?;
    }
    Ok(json!({ "operations": [operation] }))
}

/// One step through a transient state: checks the state, moves the database to `during`, schedules
/// `after`, records the event; returns the operation (unrecorded changes are the caller's).
struct Step<'a> {
    needs: &'a str,
    action: &'a str,
    during: &'a str,
    after: &'a str,
    delay_key: &'a str,
    event: (&'a str, &'a [&'a str]),
    details: Option<&'a str>,
}

fn step(ctx: &mut Ctx<'_>, name: &str, step: Step<'_>) -> Result<(Value, Value, f64), ApiError> {
    let Record {
        mut body,
        mut private,
        ..
    } = require_record(ctx, name)?;
    require_state(&body, step.needs, step.action)?;
    let due = ctx.now() + ctx.delay(step.delay_key);
    body["state"] = json!(step.during);
    push_event(&mut private, due, step.event.0, step.event.1);
    ctx.db().put(KIND, name, &body)?;
    ctx.db().put_private(KIND, name, &private)?;
    let mut operation = NewOperation::started(KIND, name, body["location"].clone());
    if let Some(details) = step.details {
        operation = operation.details(details);
    }
    let operation = ctx.record(operation)?;
    let mut transition = Transition::of(KIND, name)
        .only_if("/state", step.during)
        .set("/state", step.after)
        .finishing(std::slice::from_ref(&operation));
    if step.during == "rebooting" {
        transition = transition.set("/parameterApplyStatus", "in-sync");
    }
    ctx.schedule_at(due, transition)?;
    Ok((operation, body, due))
}

pub fn reboot(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "relationalDatabaseName");
    let (operation, ..) = step(
        ctx,
        name,
        Step {
            needs: "available",
            action: "reboot",
            during: "rebooting",
            after: "available",
            delay_key: "RelationalDatabase.reboot",
            event: ("Relational Database restarted", &["availability"]),
            details: Some(""),
        },
    )?;
    Ok(json!({ "operations": [operation] }))
}

pub fn start(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "relationalDatabaseName");
    let (operation, ..) = step(
        ctx,
        name,
        Step {
            needs: "stopped",
            action: "start",
            during: "starting",
            after: "available",
            delay_key: "RelationalDatabase.start",
            event: ("Relational Database started", &["notification"]),
            details: None,
        },
    )?;
    Ok(json!({ "operations": [operation] }))
}

pub fn stop(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "relationalDatabaseName");
    let snapshot_name = input::optional_string(input, "relationalDatabaseSnapshotName");
    if let Some(snapshot_name) = snapshot_name {
        if ctx.db().exists(SNAPSHOT_KIND, snapshot_name)? {
            return Err(ApiError::name_in_use(snapshot_name));
        }
    }
    let Record { private, .. } = require_record(ctx, name)?;
    let (operation, body, due) = step(
        ctx,
        name,
        Step {
            needs: "available",
            action: "stop",
            during: "stopping",
            after: "stopped",
            delay_key: "RelationalDatabase.stop",
            event: ("Relational Database stopped", &["notification"]),
            details: None,
        },
    )?;
    // Seven days stopped: the service starts it again.
    ctx.schedule_at(
        due + AUTOMATIC_START_AFTER,
        Transition::of(KIND, name)
            .only_if("/state", "stopped")
            .set("/state", "available"),
    )?;
    let mut operations = vec![operation];
    if let Some(snapshot_name) = snapshot_name {
        operations.extend(snapshots::take(
            ctx,
            &body,
            &private,
            snapshot_name,
            vec![],
        )?);
    }
    Ok(json!({ "operations": operations }))
}

pub fn delete(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "relationalDatabaseName");
    let Record { body, private, .. } = require_record(ctx, name)?;
    let skip = input::flag(input, "skipFinalSnapshot");
    let final_name = input::optional_string(input, "finalRelationalDatabaseSnapshotName");
    if skip && final_name.is_some() {
        return Err(invalid(
            "finalRelationalDatabaseSnapshotName cannot be specified when skipFinalSnapshot is \
             true."
                .to_string(),
        ));
    }
    let snapshot_name = (!skip).then(|| match final_name {
        Some(name) => name.to_string(),
        None => format!(
            "{name}-FinalSnapshot-{}",
            (ctx.now() * 1000.0).round() as i64
        ),
    });
    if let Some(snapshot_name) = &snapshot_name {
        if ctx.db().exists(SNAPSHOT_KIND, snapshot_name)? {
            return Err(ApiError::name_in_use(snapshot_name));
        }
    }
    let operation = ctx.record(NewOperation::started(KIND, name, body["location"].clone()))?;
    let mut operations = vec![operation.clone()];
    if let Some(snapshot_name) = &snapshot_name {
        let mut taken = snapshots::take(ctx, &body, &private, snapshot_name, vec![])?;
        // The example lists the database's snapshot operation before the snapshot's own.
        taken.reverse();
        operations.extend(taken);
    }
    ctx.db().delete(KIND, name)?;
    ctx.schedule(
        "RelationalDatabase.delete",
        Transition::of(KIND, name).finishing(std::slice::from_ref(&operation)),
    )?;
    Ok(json!({ "operations": operations }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_rules() {
        let label = endpoint_label("111122223333", "us-west-2");
        assert_eq!(label.len(), 12);
        assert_eq!(label, endpoint_label("111122223333", "us-west-2"));
        assert_ne!(label, endpoint_label("111122223333", "us-east-1"));
        let mysql = catalog::find_blueprint("mysql_8_0").unwrap();
        let postgres = catalog::find_blueprint("postgres_11").unwrap();
        assert!(check_master_username(mysql, "dbmasteruser").is_ok());
        assert!(check_master_username(mysql, "a_very_long_user_name").is_err());
        assert!(check_master_username(postgres, "a_very_long_user_name").is_ok());
        assert!(check_master_username(mysql, "1user").is_err());
        assert!(check_master_database_name(mysql, "dbmaster").is_ok());
        assert!(check_password(mysql, "short").is_err());
        assert!(check_password(mysql, "has space in it").is_err());
        assert!(check_password(mysql, "no@allowed").is_err());
        assert!(check_password(mysql, "VEXAMPLEec.9qvx,_t<)Wkf)kwboM,>2").is_ok());
        let error = check_password(mysql, "secret secret").unwrap_err();
        assert!(!error.message().unwrap().contains("secret secret"));
    }

    #[test]
    fn password_versions_follow_the_clock() {
        let mut private =
            json!({"passwords": [{"password": "a", "createdAt": 1.0, "effectiveAt": 1.0}]});
        push_password(&mut private, "b".into(), 5.0, 10.0);
        assert_eq!(current_password(&private, 5.0).as_deref(), Some("a"));
        assert_eq!(current_password(&private, 10.0).as_deref(), Some("b"));
        let (effective, pending) = password_versions(&private, 5.0);
        assert_eq!(
            (effective.len(), pending.unwrap()["password"].clone()),
            (1, json!("b"))
        );
        for n in 0..10 {
            push_password(&mut private, format!("p{n}"), 20.0, 20.0);
        }
        assert_eq!(
            private["passwords"].as_array().unwrap().len(),
            PASSWORD_VERSIONS
        );
    }

    #[test]
    fn restorable_time() {
        let body =
            json!({"backupRetentionEnabled": true, "state": "available", "createdAt": 1000.0});
        assert_eq!(latest_restorable_time(&body, 1100.0), None);
        assert_eq!(latest_restorable_time(&body, 1650.5), Some(1500.0));
        let off = json!({"backupRetentionEnabled": false, "state": "available", "createdAt": 0.0});
        assert_eq!(latest_restorable_time(&off, 1650.5), None);
    }
}
