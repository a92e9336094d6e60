//! Add-ons and the automatic snapshots they take: EnableAddOn, DisableAddOn, GetAutoSnapshots,
//! DeleteAutoSnapshot (for instances and block storage disks).
//!
//! The `AutoSnapshot` add-on shows in the resource's `addOns` (`status: Enabled`,
//! `snapshotTimeOfDay`, `nextSnapshotTimeOfDay`); `StopInstanceOnIdle` (Lightsail for Research
//! instances only) shows its `threshold` and `duration`. Enabling an enabled add-on changes its
//! parameters; disabling removes it from `addOns`. Each call answers one `Succeeded` operation.
//!
//! Automatic snapshots are not stored one by one: they follow from when the add-on was enabled, at
//! which time of day, and which dates were deleted (the resource's private value, key
//! `autoSnapshot`). Every day at the chosen hour while the add-on is enabled, a snapshot is taken 17
//! minutes 52 seconds past the hour (the CLI's example's `createdAt`), and the seven most recent are
//! kept (Lightsail's documentation); dates deleted with DeleteAutoSnapshot are gone. So advancing
//! the emulator clock by days makes snapshots appear, and the answers are deterministic. Snapshots
//! taken before the add-on was disabled stay until they age out. The time of day defaults to 06:00
//! (our choice; the service picks one per region) and must be on the hour (the model's
//! documentation: "in HH:00 format, and in an hourly increment").

use serde_json::{json, Value};

use super::{wire, KIND};
use crate::engine::clock::civil;
use crate::engine::{input, Ctx, NewOperation, Record, Registry};
use crate::error::ApiError;
use crate::services::catalog::blueprints;

pub fn register(registry: &mut Registry) {
    registry
        .add("EnableAddOn", enable_add_on)
        .add("DisableAddOn", disable_add_on)
        .add("GetAutoSnapshots", get_auto_snapshots)
        .add("DeleteAutoSnapshot", delete_auto_snapshot);
}

const DEFAULT_TIME_OF_DAY: &str = "06:00";
/// Seconds past the hour at which an automatic snapshot is recorded as created.
const TAKEN_AFTER: f64 = 17.0 * 60.0 + 52.0;
const KEPT: usize = 7;
const DAY: f64 = 86_400.0;

fn bad_input(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

/// The add-ons a create call or EnableAddOn asks for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Requested {
    /// The time of day of the automatic snapshots.
    pub auto_snapshot: Option<String>,
    /// `(threshold, duration)`.
    pub stop_on_idle: Option<(String, String)>,
}

fn time_of_day(request: &Value) -> Result<String, ApiError> {
    let time = request
        .pointer("/autoSnapshotAddOnRequest/snapshotTimeOfDay")
        .and_then(Value::as_str)
        .unwrap_or(DEFAULT_TIME_OF_DAY);
    if !time.ends_with(":00") {
        return Err(bad_input(format!(
            "snapshotTimeOfDay must be in HH:00 format, in an hourly increment: {time}"
        )));
    }
    Ok(time.to_string())
}

impl Requested {
    /// Adds one `AddOnRequest`.
    fn add(&mut self, request: &Value) -> Result<(), ApiError> {
        match request["addOnType"].as_str().unwrap_or("") {
            "AutoSnapshot" => self.auto_snapshot = Some(time_of_day(request)?),
            _ => {
                let part = |key: &str| {
                    request
                        .pointer(&format!("/stopInstanceOnIdleRequest/{key}"))
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string()
                };
                let (threshold, duration) = (part("threshold"), part("duration"));
                let threshold = if threshold.is_empty() {
                    "5".to_string()
                } else {
                    threshold
                };
                let duration = if duration.is_empty() {
                    "30".to_string()
                } else {
                    duration
                };
                self.stop_on_idle = Some((threshold, duration));
            }
        }
        Ok(())
    }

    /// The `addOns` of a create call.
    pub fn from_input(input: &Value) -> Result<Requested, ApiError> {
        let mut requested = Requested::default();
        for request in input["addOns"].as_array().into_iter().flatten() {
            requested.add(request)?;
        }
        Ok(requested)
    }

    /// Refuses the idle-stop add-on for an image that is not a Lightsail for Research one.
    pub fn check_blueprint(&self, blueprint: &blueprints::Blueprint) -> Result<(), ApiError> {
        if self.stop_on_idle.is_some() && !blueprint.research {
            return Err(bad_input(format!(
                "The StopInstanceOnIdle add-on is only for Lightsail for Research instances, not \
                 for the blueprint {}",
                blueprint.id
            )));
        }
        Ok(())
    }

    /// The new resource's `addOns`.
    pub fn wire_forms(&self) -> Vec<Value> {
        let mut out = Vec::new();
        if let Some(time) = &self.auto_snapshot {
            out.push(wire::auto_snapshot_add_on(time));
        }
        if let Some((threshold, duration)) = &self.stop_on_idle {
            out.push(wire::stop_on_idle_add_on(threshold, duration));
        }
        out
    }

    /// The new resource's private value (`Null` when no automatic snapshots).
    pub fn private_state(&self, now: f64) -> Value {
        match &self.auto_snapshot {
            Some(time) => json!({"autoSnapshot": {"periods": [[now, null, time]], "deleted": []}}),
            None => Value::Null,
        }
    }
}

/// The resource an add-on or automatic-snapshot call names: an instance, else a disk.
fn target(ctx: &Ctx<'_>, name: &str) -> Result<Record, ApiError> {
    if let Some(record) = ctx.db().record(KIND, name)? {
        return Ok(record);
    }
    ctx.db()
        .record("Disk", name)?
        .ok_or_else(|| ApiError::not_found("Resource", name))
}

fn auto_state(private: &Value) -> Value {
    private
        .get("autoSnapshot")
        .cloned()
        .unwrap_or_else(|| json!({"periods": [], "deleted": []}))
}

fn set_auto_state(private: &mut Value, state: Value) {
    if !private.is_object() {
        *private = json!({});
    }
    private["autoSnapshot"] = state;
}

/// Closes the open period (if any) at `now`.
fn close_period(state: &mut Value, now: f64) {
    if let Some(last) = state["periods"].as_array_mut().and_then(|p| p.last_mut()) {
        if last[1].is_null() {
            last[1] = json!(now);
        }
    }
}

fn date_of(seconds: f64) -> String {
    let (year, month, day, ..) = civil(seconds.floor() as i64);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The automatic snapshots a resource has now (`AutoSnapshotDetails`), newest first.
pub fn auto_snapshots(body: &Value, private: &Value, now: f64) -> Vec<Value> {
    let state = auto_state(private);
    let mut taken: Vec<f64> = Vec::new();
    for period in state["periods"].as_array().into_iter().flatten() {
        let from = period[0].as_f64().unwrap_or(now);
        let to = period[1].as_f64().unwrap_or(now).min(now);
        let hour: f64 = period[2]
            .as_str()
            .and_then(|t| t.get(..2))
            .and_then(|h| h.parse().ok())
            .unwrap_or(6.0);
        // Only the last KEPT + 1 days can matter.
        let mut day = (from.max(to - (KEPT as f64 + 1.0) * DAY) / DAY).floor() * DAY;
        while day <= to {
            let scheduled = day + hour * 3600.0;
            if scheduled >= from && scheduled + TAKEN_AFTER <= to {
                taken.push(scheduled + TAKEN_AFTER);
            }
            day += DAY;
        }
    }
    taken.sort_by(|a, b| b.total_cmp(a));
    taken.dedup_by(|a, b| date_of(*a) == date_of(*b));
    taken.truncate(KEPT);
    let deleted: Vec<&str> = state["deleted"]
        .as_array()
        .map(|d| d.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let disks: Vec<Value> = body
        .pointer("/hardware/disks")
        .and_then(Value::as_array)
        .map(|disks| {
            disks
                .iter()
                .filter(|d| d["isSystemDisk"] != json!(true))
                .map(|d| json!({"path": d["path"], "sizeInGb": d["sizeInGb"]}))
                .collect()
        })
        .unwrap_or_default();
    taken
        .into_iter()
        .filter(|t| !deleted.contains(&date_of(*t).as_str()))
        .map(|t| {
            json!({
                "date": date_of(t),
                "createdAt": t,
                "status": "Success",
                "fromAttachedDisks": disks,
            })
        })
        .collect()
}

/// The automatic snapshot a restore or copy names: `restoreDate`, or the latest with
/// `useLatestRestorableAutoSnapshot` (exactly one of them).
pub fn chosen_auto_snapshot(
    ctx: &Ctx<'_>,
    body: &Value,
    private: &Value,
    input: &Value,
) -> Result<Value, ApiError> {
    let date = input::optional_string(input, "restoreDate");
    let latest = input::flag(input, "useLatestRestorableAutoSnapshot");
    let name = body["name"].as_str().unwrap_or("");
    let snapshots = auto_snapshots(body, private, ctx.now());
    match (date, latest) {
        (Some(_), true) => Err(bad_input(
            "restoreDate and useLatestRestorableAutoSnapshot cannot be used together".to_string(),
        )),
        (None, false) => Err(bad_input(
            "Specify restoreDate or useLatestRestorableAutoSnapshot to use an automatic snapshot"
                .to_string(),
        )),
        (Some(date), false) => snapshots
            .into_iter()
            .find(|s| s["date"] == date)
            .ok_or_else(|| ApiError::not_found("automatic snapshot", &format!("{name} {date}"))),
        (None, true) => snapshots
            .into_iter()
            .next()
            .ok_or_else(|| ApiError::not_found("automatic snapshot", &format!("{name} (latest)"))),
    }
}

fn record_operation(ctx: &mut Ctx<'_>, record: &Record, details: &str) -> Result<Value, ApiError> {
    let location = record
        .body
        .get("location")
        .cloned()
        .unwrap_or_else(|| ctx.regional_location());
    let operation =
        ctx.record(NewOperation::succeeded(&record.kind, &record.name, location).details(details))?;
    Ok(json!({ "operations": [operation] }))
}

fn enable_add_on(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "resourceName");
    let request = &input["addOnRequest"];
    let add_on_type = request["addOnType"].as_str().unwrap_or("");
    let mut record = target(ctx, name)?;
    if add_on_type == "StopInstanceOnIdle" {
        let research = record.kind == KIND
            && record.body["blueprintId"]
                .as_str()
                .and_then(blueprints::find)
                .is_some_and(|b| b.research);
        if !research {
            return Err(bad_input(format!(
                "The StopInstanceOnIdle add-on is only for Lightsail for Research instances: {name}"
            )));
        }
    }
    let mut requested = Requested::default();
    requested.add(request)?;
    let new = requested.wire_forms().remove(0);
    let mut add_ons = record.body["addOns"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    match add_ons.iter_mut().find(|a| a["name"] == add_on_type) {
        Some(existing) => *existing = new,
        None => add_ons.push(new),
    }
    record.body["addOns"] = Value::Array(add_ons);
    if let Some(time) = &requested.auto_snapshot {
        let now = ctx.now();
        let mut state = auto_state(&record.private);
        close_period(&mut state, now);
        if let Some(periods) = state["periods"].as_array_mut() {
            periods.push(json!([now, null, time]));
        }
        set_auto_state(&mut record.private, state);
        ctx.db().put_private(&record.kind, name, &record.private)?;
    }
    ctx.db().put(&record.kind, name, &record.body)?;
    record_operation(ctx, &record, add_on_type)
}

fn disable_add_on(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "resourceName");
    let add_on_type = input::string(input, "addOnType");
    let mut record = target(ctx, name)?;
    let mut add_ons = record.body["addOns"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let before = add_ons.len();
    add_ons.retain(|a| a["name"] != add_on_type);
    if add_ons.len() == before {
        return Err(bad_input(format!(
            "The {add_on_type} add-on is not enabled on {name}"
        )));
    }
    record.body["addOns"] = Value::Array(add_ons);
    ctx.db().put(&record.kind, name, &record.body)?;
    if add_on_type == "AutoSnapshot" {
        let mut state = auto_state(&record.private);
        close_period(&mut state, ctx.now());
        set_auto_state(&mut record.private, state);
        ctx.db().put_private(&record.kind, name, &record.private)?;
    }
    record_operation(ctx, &record, add_on_type)
}

fn get_auto_snapshots(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "resourceName");
    let record = target(ctx, name)?;
    Ok(json!({
        "resourceName": name,
        "resourceType": record.kind,
        "autoSnapshots": auto_snapshots(&record.body, &record.private, ctx.now()),
    }))
}

fn delete_auto_snapshot(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "resourceName");
    let date = input::string(input, "date");
    let mut record = target(ctx, name)?;
    let exists = auto_snapshots(&record.body, &record.private, ctx.now())
        .iter()
        .any(|s| s["date"] == date);
    if !exists {
        return Err(ApiError::not_found(
            "automatic snapshot",
            &format!("{name} {date}"),
        ));
    }
    let mut state = auto_state(&record.private);
    if let Some(deleted) = state["deleted"].as_array_mut() {
        deleted.push(json!(date));
    }
    set_auto_state(&mut record.private, state);
    ctx.db().put_private(&record.kind, name, &record.private)?;
    // As the CLI's example shows it: the region's name in `availabilityZone`.
    let location = ctx.location(ctx.region.name);
    let operation = ctx.record(
        NewOperation::succeeded(&record.kind, name, location)
            .details(&format!("DeleteAutoSnapshot-{date}")),
    )?;
    Ok(json!({ "operations": [operation] }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_a_day_seven_kept_deleted_dates_gone() {
        let day = 1_571_011_200.0; // 2019-10-14T00:00:00Z
        let private = json!({"autoSnapshot": {"periods": [[day - 10.0 * DAY, null, "06:00"]], "deleted": ["2019-10-12"]}});
        let body = json!({"name": "i"});
        let snapshots = auto_snapshots(&body, &private, day + 7.0 * 3600.0);
        let dates: Vec<&str> = snapshots
            .iter()
            .map(|s| s["date"].as_str().unwrap())
            .collect();
        assert_eq!(
            dates,
            [
                "2019-10-14",
                "2019-10-13",
                "2019-10-11",
                "2019-10-10",
                "2019-10-09",
                "2019-10-08"
            ]
        );
        assert_eq!(snapshots[0]["createdAt"], 1_571_033_872.0);
        // Before 06:17:52 today's is not taken yet.
        let early = auto_snapshots(&body, &private, day + 6.0 * 3600.0);
        assert_eq!(early[0]["date"], "2019-10-13");
        assert!(auto_snapshots(&body, &Value::Null, day).is_empty());
    }
}
