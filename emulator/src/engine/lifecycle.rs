//! Lifecycles on the emulator clock: "this resource's state becomes Y, and these operations
//! succeed, N seconds from now".
//!
//! A family schedules a [`Transition`] when a call starts something that takes time on the service
//! (a snapshot is `pending` until it is `available`, an instance `stopping` until `stopped`, a
//! certificate `PENDING_VALIDATION` until `ISSUED`). Transitions are rows of the store; before every
//! request, in the request's own transaction, [`apply_due`] applies those whose due time has come,
//! oldest first, via an index on the due time, so the cost is proportional to what falls due, never to
//! the state. Nothing runs in the background: a state file holds pending transitions like any other
//! row, and a frozen (deterministic) clock applies them only when `POST /_emulator/clock` moves it.
//!
//! Each change is a JSON pointer into the resource's wire form and the value to put there (missing
//! objects on the way are created), or a pointer whose member is removed (a container service's
//! `nextDeployment` once it is active). `only_if` guards against a stale step: "stopping -> stopped" is
//! skipped if the instance was started again meanwhile. The listed operations become `Succeeded`
//! (`isTerminal: true`, `statusChangedAt` = the due time) whether or not the resource still exists.

use rusqlite::{params, Connection};
use serde_json::{json, Map, Value};

use crate::engine::clock::round_millis;
use crate::engine::store::update_operation;
use crate::error::ApiError;

/// One scheduled step of a resource's lifecycle.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub kind: String,
    pub name: String,
    /// `(JSON pointer, value)` pairs applied to the wire form, in order.
    pub changes: Vec<(String, Value)>,
    /// JSON pointers whose members are removed, after the changes.
    pub removals: Vec<String>,
    /// Apply the changes only if the value at this pointer is this one.
    pub only_if: Option<(String, Value)>,
    /// Operation ids that succeed at the same moment.
    pub operations: Vec<String>,
}

impl Transition {
    /// A step for the resource `kind`/`name` of the caller's account and region.
    pub fn of(kind: &str, name: &str) -> Transition {
        Transition {
            kind: kind.to_string(),
            name: name.to_string(),
            changes: Vec::new(),
            removals: Vec::new(),
            only_if: None,
            operations: Vec::new(),
        }
    }

    /// Sets the value at `pointer` (`/state`, `/state/name`, ...).
    pub fn set(mut self, pointer: &str, value: impl Into<Value>) -> Transition {
        self.changes.push((pointer.to_string(), value.into()));
        self
    }

    /// Removes the member at `pointer` (nothing happens if it is absent).
    pub fn remove(mut self, pointer: &str) -> Transition {
        self.removals.push(pointer.to_string());
        self
    }

    /// Applies the changes only while the value at `pointer` is `value`.
    pub fn only_if(mut self, pointer: &str, value: impl Into<Value>) -> Transition {
        self.only_if = Some((pointer.to_string(), value.into()));
        self
    }

    /// Finishes these operations (their wire forms, as [`crate::engine::Ctx::record`] returned them).
    pub fn finishing(mut self, operations: &[Value]) -> Transition {
        self.operations.extend(
            operations
                .iter()
                .filter_map(|op| op.get("id").and_then(Value::as_str))
                .map(str::to_string),
        );
        self
    }

    fn spec(&self) -> Value {
        json!({
            "changes": self.changes.iter().map(|(p, v)| json!([p, v])).collect::<Vec<_>>(),
            "removals": self.removals,
            "onlyIf": self.only_if.as_ref().map(|(p, v)| json!([p, v])),
            "operations": self.operations,
        })
    }

    fn from_spec(kind: String, name: String, spec: &Value) -> Transition {
        let pair = |v: &Value| -> Option<(String, Value)> {
            Some((v.get(0)?.as_str()?.to_string(), v.get(1)?.clone()))
        };
        Transition {
            kind,
            name,
            changes: spec["changes"]
                .as_array()
                .map(|c| c.iter().filter_map(pair).collect())
                .unwrap_or_default(),
            removals: spec["removals"]
                .as_array()
                .map(|r| {
                    r.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            only_if: pair(&spec["onlyIf"]),
            operations: spec["operations"]
                .as_array()
                .map(|o| {
                    o.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

/// Stores a transition due at `due` (emulator-clock epoch seconds).
pub(crate) fn schedule(
    conn: &Connection,
    account: &str,
    region: &str,
    due: f64,
    transition: &Transition,
) -> Result<(), ApiError> {
    conn.prepare_cached(
        "INSERT INTO transitions (due, account, region, kind, name, spec) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        due,
        account,
        region,
        transition.kind,
        transition.name,
        transition.spec().to_string()
    ])?;
    Ok(())
}

/// Sets the value at a JSON pointer, creating missing objects on the way.
pub fn set_pointer(target: &mut Value, pointer: &str, value: Value) {
    if pointer.is_empty() {
        *target = value;
        return;
    }
    let mut current = target;
    let parts: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .collect();
    for (index, part) in parts.iter().enumerate() {
        let last = index + 1 == parts.len();
        if let Value::Array(items) = current {
            match part.parse::<usize>().ok().filter(|&i| i < items.len()) {
                Some(i) if last => {
                    items[i] = value;
                    return;
                }
                Some(i) => {
                    current = &mut items[i];
                    continue;
                }
                None => return,
            }
        }
        if !current.is_object() {
            *current = Value::Object(Map::new());
        }
        let Value::Object(object) = current else {
            return;
        };
        if last {
            object.insert(part.clone(), value);
            return;
        }
        current = object
            .entry(part.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}

/// Removes the member at a JSON pointer (an object member or an array item), if it is there.
pub fn remove_pointer(target: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let last = last.replace("~1", "/").replace("~0", "~");
    match target.pointer_mut(parent) {
        Some(Value::Object(object)) => {
            object.remove(&last);
        }
        Some(Value::Array(items)) => {
            if let Some(index) = last.parse::<usize>().ok().filter(|&i| i < items.len()) {
                items.remove(index);
            }
        }
        _ => {}
    }
}

/// Applies every transition due at `now`, oldest first; returns how many were applied.
pub(crate) fn apply_due(conn: &Connection, now: f64) -> Result<usize, ApiError> {
    type Row = (i64, f64, String, String, String, String, String);
    let due: Vec<Row> = {
        let mut statement = conn.prepare_cached(
            "SELECT id, due, account, region, kind, name, spec FROM transitions \
             WHERE due <= ?1 ORDER BY due, id",
        )?;
        let rows = statement.query_map([now], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
                row.get(6)?,
            ))
        })?;
        rows.collect::<Result<_, _>>()?
    };
    for (id, due, account, region, kind, name, spec) in &due {
        let spec: Value = serde_json::from_str(spec)?;
        let transition = Transition::from_spec(kind.clone(), name.clone(), &spec);
        let db = crate::engine::store::Db::new(conn, account, region);
        if let Some(mut body) = db.get(kind, name)? {
            let applies = match &transition.only_if {
                None => true,
                Some((pointer, expected)) => body.pointer(pointer) == Some(expected),
            };
            if applies {
                for (pointer, value) in transition.changes {
                    set_pointer(&mut body, &pointer, value);
                }
                for pointer in &transition.removals {
                    remove_pointer(&mut body, pointer);
                }
                db.put(kind, name, &body)?;
            }
        }
        let stamp = round_millis(*due);
        for operation in &transition.operations {
            update_operation(conn, operation, |op| {
                set_pointer(op, "/isTerminal", json!(true));
                set_pointer(op, "/status", json!("Succeeded"));
                set_pointer(op, "/statusChangedAt", json!(stamp));
            })?;
        }
        conn.prepare_cached("DELETE FROM transitions WHERE id = ?1")?
            .execute([id])?;
    }
    Ok(due.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::store::{Db, Store};

    #[test]
    fn pointers() {
        let mut value = json!({"state": {"code": 0, "name": "pending"}, "list": [1, 2]});
        set_pointer(&mut value, "/state/name", json!("running"));
        set_pointer(&mut value, "/new/inner", json!(1));
        set_pointer(&mut value, "/list/1", json!(3));
        assert_eq!(
            value,
            json!({"state": {"code": 0, "name": "running"}, "list": [1, 3], "new": {"inner": 1}})
        );
        remove_pointer(&mut value, "/new/inner");
        remove_pointer(&mut value, "/list/0");
        remove_pointer(&mut value, "/absent/member");
        remove_pointer(&mut value, "/state/absent");
        assert_eq!(
            value,
            json!({"state": {"code": 0, "name": "running"}, "list": [3], "new": {}})
        );
    }

    #[test]
    fn due_transitions_apply_in_order_and_finish_operations() {
        let store = Store::memory().unwrap();
        let conn = &store.conn;
        let db = Db::new(conn, "a", "r");
        db.insert("Disk", "d", &json!({"name": "d", "state": "pending"}))
            .unwrap();
        let op =
            json!({"id": "op-1", "resourceName": "d", "status": "Started", "isTerminal": false});
        db.add_operation(&op).unwrap();
        let available = Transition::of("Disk", "d")
            .set("/state", "available")
            .finishing(std::slice::from_ref(&op));
        schedule(conn, "a", "r", 10.0, &available).unwrap();
        let stale = Transition::of("Disk", "d")
            .set("/state", "wrong")
            .only_if("/state", "pending");
        schedule(conn, "a", "r", 20.0, &stale).unwrap();
        assert_eq!(apply_due(conn, 9.0).unwrap(), 0);
        assert_eq!(db.get("Disk", "d").unwrap().unwrap()["state"], "pending");
        assert_eq!(apply_due(conn, 25.0).unwrap(), 2);
        assert_eq!(db.get("Disk", "d").unwrap().unwrap()["state"], "available");
        let finished = db.operation("op-1").unwrap().unwrap();
        assert_eq!(finished["status"], "Succeeded");
        assert_eq!(finished["statusChangedAt"], 10.0);
        assert_eq!(apply_due(conn, 30.0).unwrap(), 0);
    }
}
