//! What a handler gets: [`Ctx`], the request's context, with the helpers every family shares.
//!
//! - the store, scoped to the caller's account and region ([`Ctx::db`]), or another region's
//!   ([`Ctx::db_in`]: domains live in us-east-1, a copy reads its source region);
//! - the clock ([`Ctx::now`]) and lifecycles ([`Ctx::schedule`], with the configured delays);
//! - deterministic identifiers ([`Ctx::ids`]: uuids, hex, base64 keys, IPv4/IPv6 addresses);
//! - the names Lightsail derives from region, account and resource: [`Ctx::arn`],
//!   [`Ctx::support_code`], [`Ctx::location`] / [`Ctx::regional_location`];
//! - the operations journal: [`Ctx::record`] stores a `Started` or `Succeeded` operation and returns
//!   its wire form; a transition can finish it later;
//! - paging: [`Ctx::page`] / [`Ctx::operations_page`] read `pageToken` and answer `nextPageToken`.
//!
//! Handlers never commit or roll back: the engine commits when the handler returns `Ok` and rolls
//! everything back (state and id streams) when it returns `Err`.

use rusqlite::Connection;
use serde_json::{json, Map, Value};

use crate::engine::clock::Clock;
use crate::engine::ids::IdSource;
use crate::engine::lifecycle::{self, Transition};
use crate::engine::regions::Region;
use crate::engine::store::{Db, Page};
use crate::engine::Settings;
use crate::error::ApiError;
use crate::model::Model;

/// The context of one call.
pub struct Ctx<'a> {
    pub(crate) conn: &'a Connection,
    /// Where every generated identifier comes from.
    pub ids: &'a mut IdSource,
    pub(crate) clock: Clock,
    pub settings: &'a Settings,
    /// The caller's account id (12 digits).
    pub account: &'a str,
    /// The caller's region (the SigV4 credential scope).
    pub region: &'a Region,
    pub model: &'static Model,
    /// The operation being served (`CreateInstanceSnapshot`).
    pub operation: &'a str,
}

/// The status a new operation starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationStatus {
    /// Still running: `isTerminal: false`; a transition finishes it.
    Started,
    /// Done at once: `isTerminal: true`.
    Succeeded,
}

/// An operation to record (see [`Ctx::record`]).
#[derive(Debug, Clone)]
pub struct NewOperation {
    pub resource_name: String,
    pub resource_type: String,
    /// `{"availabilityZone", "regionName"}`: the resource's own location.
    pub location: Value,
    /// Defaults to the operation being served.
    pub operation_type: Option<String>,
    pub details: Option<String>,
    pub status: OperationStatus,
}

impl NewOperation {
    /// An operation that a transition will finish.
    pub fn started(resource_type: &str, resource_name: &str, location: Value) -> NewOperation {
        NewOperation {
            resource_name: resource_name.to_string(),
            resource_type: resource_type.to_string(),
            location,
            operation_type: None,
            details: None,
            status: OperationStatus::Started,
        }
    }

    /// An operation that is over as soon as it is recorded.
    pub fn succeeded(resource_type: &str, resource_name: &str, location: Value) -> NewOperation {
        NewOperation {
            status: OperationStatus::Succeeded,
            ..NewOperation::started(resource_type, resource_name, location)
        }
    }

    /// `operationDetails` (Lightsail puts the other resource's name there, for example).
    pub fn details(mut self, details: &str) -> NewOperation {
        self.details = Some(details.to_string());
        self
    }

    /// An `operationType` other than the operation served (`CreateInstances` records
    /// `CreateInstance` operations).
    pub fn operation_type(mut self, operation_type: &str) -> NewOperation {
        self.operation_type = Some(operation_type.to_string());
        self
    }
}

impl<'a> Ctx<'a> {
    /// The store, scoped to the caller's account and region.
    pub fn db(&self) -> Db<'_> {
        Db::new(self.conn, self.account, self.region.name)
    }

    /// The store, scoped to the caller's account and another region.
    pub fn db_in<'r>(&'r self, region: &'r str) -> Db<'r> {
        Db::new(self.conn, self.account, region)
    }

    /// Now, on the emulator clock (epoch seconds, millisecond precision).
    pub fn now(&self) -> f64 {
        self.clock.now()
    }

    /// The configured delay of a lifecycle step, in seconds (see `--delay`).
    pub fn delay(&self, key: &str) -> f64 {
        self.settings.delays.get(key)
    }

    /// Schedules a lifecycle step `delay(delay_key)` seconds from now.
    pub fn schedule(&mut self, delay_key: &str, transition: Transition) -> Result<(), ApiError> {
        let due = self.now() + self.delay(delay_key);
        self.schedule_at(due, transition)
    }

    /// Schedules a lifecycle step at an absolute emulator-clock time (for multi-step lifecycles).
    pub fn schedule_at(&mut self, due: f64, transition: Transition) -> Result<(), ApiError> {
        lifecycle::schedule(self.conn, self.account, self.region.name, due, &transition)
    }

    /// `arn:aws:lightsail:REGION:ACCOUNT:RESOURCE_TYPE/UUID`.
    pub fn arn(&self, resource_type: &str, uuid: &str) -> String {
        format!(
            "arn:aws:lightsail:{}:{}:{resource_type}/{uuid}",
            self.region.name, self.account
        )
    }

    /// A new ARN (draws a uuid).
    pub fn new_arn(&mut self, resource_type: &str) -> String {
        let uuid = self.ids.resource_uuid();
        self.arn(resource_type, &uuid)
    }

    /// `ACCOUNT/PREFIX` + 17 hex digits (`i-` instances, `ami-` snapshots, `vol-` disks, ...).
    pub fn support_code(&mut self, prefix: &str) -> String {
        let hex = self.ids.resource_hex(17);
        format!("{}/{prefix}{hex}", self.account)
    }

    /// `{"availabilityZone": zone, "regionName": region}`.
    pub fn location(&self, zone: &str) -> Value {
        json!({"availabilityZone": zone, "regionName": self.region.name})
    }

    /// The location of a regional resource (`"availabilityZone": "all"`).
    pub fn regional_location(&self) -> Value {
        self.location("all")
    }

    /// Stores an operation in the journal and returns its wire form.
    pub fn record(&mut self, operation: NewOperation) -> Result<Value, ApiError> {
        let now = self.now();
        let finished = operation.status == OperationStatus::Succeeded;
        let mut op = Map::new();
        op.insert("id".into(), json!(self.ids.operation_id()));
        op.insert("resourceName".into(), json!(operation.resource_name));
        op.insert("resourceType".into(), json!(operation.resource_type));
        op.insert("createdAt".into(), json!(now));
        op.insert("location".into(), operation.location);
        op.insert("isTerminal".into(), json!(finished));
        if let Some(details) = operation.details {
            op.insert("operationDetails".into(), json!(details));
        }
        let operation_type = operation
            .operation_type
            .unwrap_or_else(|| self.operation.to_string());
        op.insert("operationType".into(), json!(operation_type));
        op.insert(
            "status".into(),
            json!(if finished { "Succeeded" } else { "Started" }),
        );
        op.insert("statusChangedAt".into(), json!(now));
        let op = Value::Object(op);
        self.db().add_operation(&op)?;
        Ok(op)
    }

    /// One page of a kind's resources for a list call: reads `pageToken` from the input and uses
    /// the configured page size.
    pub fn page(&self, kind: &str, input: &Value) -> Result<Page, ApiError> {
        self.db()
            .page(kind, page_token(input), self.settings.page_size)
    }

    /// One page of operations, newest first (all of the region's, or one resource's).
    pub fn operations_page(
        &self,
        resource_name: Option<&str>,
        input: &Value,
    ) -> Result<Page, ApiError> {
        self.db()
            .operations_page(resource_name, page_token(input), self.settings.page_size)
    }
}

fn page_token(input: &Value) -> Option<&str> {
    input.get("pageToken").and_then(Value::as_str)
}

impl Page {
    /// The list call's output: `{key: items}` plus `nextPageToken` when more remain.
    pub fn into_output(self, key: &str) -> Value {
        let mut output = Map::new();
        output.insert(key.to_string(), Value::Array(self.items));
        if let Some(token) = self.next_token {
            output.insert("nextPageToken".into(), json!(token));
        }
        Value::Object(output)
    }
}

/// Reading a validated input. Required members are present (validation ran), so the string
/// accessors return "" only for optional members that are absent.
pub mod input {
    use serde_json::{json, Value};

    /// A string member ("" when absent).
    pub fn string<'v>(input: &'v Value, member: &str) -> &'v str {
        input.get(member).and_then(Value::as_str).unwrap_or("")
    }

    /// An optional string member.
    pub fn optional_string<'v>(input: &'v Value, member: &str) -> Option<&'v str> {
        input.get(member).and_then(Value::as_str)
    }

    /// A boolean member (false when absent).
    pub fn flag(input: &Value, member: &str) -> bool {
        input.get(member).and_then(Value::as_bool).unwrap_or(false)
    }

    /// An integer member.
    pub fn integer(input: &Value, member: &str) -> Option<i64> {
        input.get(member).and_then(Value::as_i64)
    }

    /// A list of strings (empty when absent).
    pub fn strings<'v>(input: &'v Value, member: &str) -> Vec<&'v str> {
        input
            .get(member)
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// The `tags` member as Lightsail stores them: `{"key"}` or `{"key", "value"}`.
    pub fn tags(input: &Value) -> Vec<Value> {
        input
            .get("tags")
            .and_then(Value::as_array)
            .map(|tags| {
                tags.iter()
                    .filter_map(|tag| {
                        let key = tag.get("key")?.as_str()?;
                        let mut out = json!({"key": key});
                        if let Some(value) = tag.get("value").and_then(Value::as_str) {
                            out["value"] = json!(value);
                        }
                        Some(out)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}
