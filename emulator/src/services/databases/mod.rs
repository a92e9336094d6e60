//! Managed databases: the 22 RelationalDatabase operations (databases, their snapshots, catalogue,
//! parameters, passwords, events, logs and metrics).
//!
//! A database is stored in its wire form (`GetRelationalDatabase`'s `relationalDatabase`) plus a
//! private value holding what the service keeps but never shows there: the master password's
//! versions (returned only by GetRelationalDatabaseMasterUserPassword), the parameters changed from
//! the engine's defaults, the events recorded by its lifecycle, and when automated backups ran.
//! A snapshot keeps the password of its database in its own private value, so a database restored
//! from it has the same password, as on the service.
//!
//! Lifecycles (delay keys, all 0 by default: the next request sees the new state):
//! `RelationalDatabase` creating -> available; `RelationalDatabase.update` modifying -> available;
//! `RelationalDatabase.reboot` rebooting -> available; `RelationalDatabase.stop` stopping -> stopped;
//! `RelationalDatabase.start` starting -> available; `RelationalDatabase.parameters` (parameter apply
//! status applying -> in-sync or pending-reboot); `RelationalDatabase.delete` (the delete operation
//! finishes; the database is gone at once); `RelationalDatabaseSnapshot` creating -> available (the
//! database is `backing-up` meanwhile). Changes that the service defers to the maintenance window
//! (backup retention, major version, CA certificate, unless `applyImmediately`) wait on the clock for
//! the window's next start; a database stopped for seven days starts again by itself.

pub mod catalog;
pub mod database;
pub mod events;
pub mod metrics;
pub mod parameters;
pub mod snapshots;
pub mod windows;

use serde_json::{json, Map, Value};

use crate::engine::store::PAGE_TOKEN_PREFIX;
use crate::engine::{Page, Registry};
use crate::error::ApiError;

/// The `resourceType` (and store kind) of databases.
pub const KIND: &str = "RelationalDatabase";
/// The `resourceType` (and store kind) of database snapshots.
pub const SNAPSHOT_KIND: &str = "RelationalDatabaseSnapshot";

pub fn register(registry: &mut Registry) {
    registry
        .add("CreateRelationalDatabase", database::create)
        .add(
            "CreateRelationalDatabaseFromSnapshot",
            database::create_from_snapshot,
        )
        .add("GetRelationalDatabase", database::get)
        .add("GetRelationalDatabases", database::list)
        .add("UpdateRelationalDatabase", database::update)
        .add("RebootRelationalDatabase", database::reboot)
        .add("StartRelationalDatabase", database::start)
        .add("StopRelationalDatabase", database::stop)
        .add("DeleteRelationalDatabase", database::delete)
        .add(
            "GetRelationalDatabaseMasterUserPassword",
            database::master_user_password,
        )
        .add("GetRelationalDatabaseBlueprints", catalog::get_blueprints)
        .add("GetRelationalDatabaseBundles", catalog::get_bundles)
        .add("GetRelationalDatabaseEvents", events::get_events)
        .add("GetRelationalDatabaseLogStreams", events::get_log_streams)
        .add("GetRelationalDatabaseLogEvents", events::get_log_events)
        .add(
            "GetRelationalDatabaseParameters",
            parameters::get_parameters,
        )
        .add(
            "UpdateRelationalDatabaseParameters",
            parameters::update_parameters,
        )
        .add("GetRelationalDatabaseMetricData", metrics::get_metric_data)
        .add("CreateRelationalDatabaseSnapshot", snapshots::create)
        .add("GetRelationalDatabaseSnapshot", snapshots::get)
        .add("GetRelationalDatabaseSnapshots", snapshots::list)
        .add("DeleteRelationalDatabaseSnapshot", snapshots::delete);
}

pub(crate) fn invalid(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

/// One page of a list the service computes rather than stores (catalogues, parameters, events):
/// `page_size` items (0: all) from the offset a `pageToken` names, in the store's token format.
pub fn page_of(items: Vec<Value>, input: &Value, page_size: usize) -> Result<Page, ApiError> {
    let token = input.get("pageToken").and_then(Value::as_str);
    let start = match token {
        None | Some("") => 0,
        Some(text) => text
            .strip_prefix(PAGE_TOKEN_PREFIX)
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= items.len())
            .ok_or_else(|| invalid(format!("The page token is not valid: {text}")))?,
    };
    if page_size == 0 {
        return Ok(Page {
            items: items.into_iter().skip(start).collect(),
            next_token: None,
        });
    }
    let end = start.saturating_add(page_size).min(items.len());
    let next_token = (end < items.len()).then(|| format!("{PAGE_TOKEN_PREFIX}{end}"));
    Ok(Page {
        items: items.into_iter().skip(start).take(end - start).collect(),
        next_token,
    })
}

/// Appends an event to a database's private value (`createdAt` may lie ahead: an event of a lifecycle
/// step shows once the clock reaches it).
pub fn push_event(private: &mut Value, at: f64, message: &str, categories: &[&str]) {
    if !private.is_object() {
        *private = Value::Object(Map::new());
    }
    let events = private
        .as_object_mut()
        .map(|p| p.entry("events").or_insert_with(|| json!([])));
    if let Some(Value::Array(events)) = events {
        events.push(json!({
            "createdAt": at,
            "message": message,
            "eventCategories": categories,
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_pages() {
        let items: Vec<Value> = (0..5).map(|n| json!(n)).collect();
        let first = page_of(items.clone(), &json!({}), 2).unwrap();
        assert_eq!(first.items, [json!(0), json!(1)]);
        let token = first.next_token.unwrap();
        let second = page_of(items.clone(), &json!({ "pageToken": token }), 2).unwrap();
        assert_eq!(second.items, [json!(2), json!(3)]);
        let last = page_of(
            items.clone(),
            &json!({ "pageToken": second.next_token.unwrap() }),
            2,
        )
        .unwrap();
        assert_eq!((last.items.len(), last.next_token), (1, None));
        assert_eq!(
            page_of(items.clone(), &json!({}), 0).unwrap().items.len(),
            5
        );
        assert!(page_of(items, &json!({"pageToken": "x"}), 2).is_err());
        let mut private = Value::Null;
        push_event(&mut private, 1.0, "m", &["backup"]);
        assert_eq!(private["events"][0]["eventCategories"], json!(["backup"]));
    }
}
