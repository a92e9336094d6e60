//! The state: resources, operations and lifecycle transitions in SQLite (`rusqlite`, bundled).
//!
//! In memory by default; with a state file, a database in WAL mode with `synchronous=NORMAL` (or
//! `FULL`, see [`Durability`]). Every request runs in one transaction that the engine commits before
//! the response is written, or rolls back when the request fails, so an acknowledged change survives
//! `kill -9` of the emulator at any moment and a failed request changes nothing.
//!
//! Rows are keyed by account and region. A resource is `(kind, name)` within them (`kind` is
//! Lightsail's `resourceType`: `Instance`, `InstanceSnapshot`, `Disk`, ...), stored in its wire form
//! (the JSON object Lightsail returns, tags included) plus a private JSON value for what the service
//! never returns in that object (a key pair's private key, a database's password, ...). `pos` numbers a
//! kind's resources in creation order and operations in the order they happened, so a page is an
//! index range scan: serving it costs time proportional to the page, not to the state.
//!
//! [`Db`] is the typed view a handler gets, scoped to its caller's account and region.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

use crate::error::ApiError;

/// The format this version writes (in the `meta` table).
pub const FORMAT: &str = "lightsail-emulator-state/2";
/// The first bytes of every SQLite database file.
const SQLITE_HEADER: &[u8] = b"SQLite format 3\0";
/// The prefix of the (opaque to clients) page tokens the emulator issues.
pub const PAGE_TOKEN_PREFIX: &str = "lightsail-emulator-page-";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS resources (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    pos INTEGER NOT NULL,
    arn TEXT NOT NULL,
    body TEXT NOT NULL,
    private TEXT NOT NULL,
    PRIMARY KEY (account, region, kind, name)
);
CREATE UNIQUE INDEX IF NOT EXISTS resources_by_pos ON resources (account, region, kind, pos);
CREATE INDEX IF NOT EXISTS resources_by_name ON resources (account, region, name);
CREATE INDEX IF NOT EXISTS resources_by_arn ON resources (arn);
CREATE TABLE IF NOT EXISTS operations (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    pos INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    resource_name TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (account, region, pos)
);
CREATE INDEX IF NOT EXISTS operations_by_resource ON operations (account, region, resource_name, pos);
CREATE TABLE IF NOT EXISTS transitions (
    id INTEGER PRIMARY KEY,
    due REAL NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    spec TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS transitions_by_due ON transitions (due, id);
CREATE INDEX IF NOT EXISTS transitions_by_resource ON transitions (account, region, kind, name);
";

/// How hard a state file holds on to a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// `synchronous=NORMAL` in WAL mode: a commit is in the operating system's hands (written to the
    /// WAL file) before the response is sent, so it survives the emulator being killed at any moment;
    /// a power loss or kernel crash may lose the last commits, never the database's consistency.
    #[default]
    Process,
    /// `synchronous=FULL`: the WAL is fsynced at every commit, so a commit survives power loss too,
    /// at the cost of one fsync per mutating call.
    Power,
}

/// The database and where it lives.
pub struct Store {
    pub(crate) conn: Connection,
    path: Option<PathBuf>,
}

fn refuse(path: &Path, why: &str) -> String {
    format!("{}: {why}", path.display())
}

/// Refuses a file that is not one of our SQLite databases, with a message that says what to do.
fn check_existing_file(path: &Path) -> Result<(), String> {
    use std::io::Read;
    let mut head = Vec::new();
    match std::fs::File::open(path) {
        Ok(file) => {
            file.take(64)
                .read_to_end(&mut head)
                .map_err(|e| refuse(path, &e.to_string()))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(refuse(path, &e.to_string())),
    }
    if head.is_empty() || head.starts_with(SQLITE_HEADER) {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&head);
    if text.trim_start().starts_with('{') {
        return Err(refuse(
            path,
            "this is a JSON state file from an older lightsail-emulator (format \
             lightsail-emulator-state/1); this version keeps its state in SQLite and does not read \
             it. Move the file away (or delete it) and the emulator starts afresh there.",
        ));
    }
    Err(refuse(
        path,
        "not a lightsail-emulator state file (not an SQLite database)",
    ))
}

impl Store {
    /// An empty in-memory store.
    pub fn memory() -> Result<Store, String> {
        let conn = Connection::open_in_memory().map_err(|e| e.to_string())?;
        Store::prepare(conn, None, Durability::Process)
    }

    /// Opens (or creates) a state file.
    pub fn open(path: &Path, durability: Durability) -> Result<Store, String> {
        check_existing_file(path)?;
        let conn = Connection::open(path).map_err(|e| refuse(path, &e.to_string()))?;
        Store::prepare(conn, Some(path.to_path_buf()), durability).map_err(|e| refuse(path, &e))
    }

    fn prepare(
        conn: Connection,
        path: Option<PathBuf>,
        durability: Durability,
    ) -> Result<Store, String> {
        let text = |e: rusqlite::Error| e.to_string();
        conn.set_prepared_statement_cache_capacity(64);
        if path.is_some() {
            conn.busy_timeout(std::time::Duration::from_secs(5))
                .map_err(text)?;
            let mode: String = conn
                .query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))
                .map_err(text)?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(format!("cannot switch to WAL mode (got {mode})"));
            }
            let synchronous = match durability {
                Durability::Process => "NORMAL",
                Durability::Power => "FULL",
            };
            conn.execute_batch(&format!("PRAGMA synchronous={synchronous};"))
                .map_err(text)?;
        }
        conn.execute_batch(SCHEMA).map_err(text)?;
        let store = Store { conn, path };
        match store.meta("format").map_err(|e| e.to_string())? {
            None => {}
            Some(format) if format == FORMAT => {}
            Some(other) => {
                return Err(format!(
                    "state format {other} is not {FORMAT}; move the file away to start afresh"
                ))
            }
        }
        Ok(store)
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Whether nothing was ever stored here (no `format` yet).
    pub fn is_fresh(&self) -> Result<bool, rusqlite::Error> {
        Ok(self.meta("format")?.is_none())
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>, rusqlite::Error> {
        meta(&self.conn, key)
    }

    /// Everything stored (less the private values), for `GET /_emulator/state`.
    pub fn dump(&self) -> Result<Value, rusqlite::Error> {
        let mut resources = Vec::new();
        let mut statement = self.conn.prepare(
            "SELECT account, region, kind, name, body FROM resources \
             ORDER BY account, region, kind, pos",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let body: String = row.get(4)?;
            resources.push(json!({
                "account": row.get::<_, String>(0)?,
                "region": row.get::<_, String>(1)?,
                "kind": row.get::<_, String>(2)?,
                "name": row.get::<_, String>(3)?,
                "body": serde_json::from_str::<Value>(&body).unwrap_or(Value::String(body)),
            }));
        }
        let mut operations = Vec::new();
        let mut statement = self.conn.prepare(
            "SELECT account, region, body FROM operations ORDER BY account, region, pos",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let body: String = row.get(2)?;
            operations.push(json!({
                "account": row.get::<_, String>(0)?,
                "region": row.get::<_, String>(1)?,
                "body": serde_json::from_str::<Value>(&body).unwrap_or(Value::String(body)),
            }));
        }
        let mut transitions = Vec::new();
        let mut statement = self.conn.prepare(
            "SELECT due, account, region, kind, name, spec FROM transitions ORDER BY due, id",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let spec: String = row.get(5)?;
            transitions.push(json!({
                "due": row.get::<_, f64>(0)?,
                "account": row.get::<_, String>(1)?,
                "region": row.get::<_, String>(2)?,
                "kind": row.get::<_, String>(3)?,
                "name": row.get::<_, String>(4)?,
                "spec": serde_json::from_str::<Value>(&spec).unwrap_or(Value::String(spec)),
            }));
        }
        Ok(json!({
            "format": FORMAT,
            "resources": resources,
            "operations": operations,
            "transitions": transitions,
        }))
    }
}

pub(crate) fn meta(conn: &Connection, key: &str) -> Result<Option<String>, rusqlite::Error> {
    conn.prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([key], |row| row.get(0))
        .optional()
}

pub(crate) fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<(), rusqlite::Error> {
    conn.prepare_cached("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)")?
        .execute([key, value])?;
    Ok(())
}

/// Deletes every row (a reset).
pub(crate) fn clear(conn: &Connection) -> Result<(), rusqlite::Error> {
    conn.execute_batch(
        "DELETE FROM resources; DELETE FROM operations; DELETE FROM transitions; DELETE FROM meta;",
    )
}

/// A stored resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub kind: String,
    pub name: String,
    /// The wire form.
    pub body: Value,
    /// What the service keeps but never returns in the wire form (`null` when nothing).
    pub private: Value,
}

/// One page of a list and the token of the next (None on the last page).
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub items: Vec<Value>,
    pub next_token: Option<String>,
}

/// Which end a list starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    Oldest,
    Newest,
}

fn invalid_token(token: &str) -> ApiError {
    ApiError::invalid_input(
        "InvalidInput",
        format!("The page token is not valid: {token}"),
    )
}

/// The number in a page token (None for no token or an empty one).
fn token_number(token: Option<&str>) -> Result<Option<i64>, ApiError> {
    match token {
        None | Some("") => Ok(None),
        Some(text) => text
            .strip_prefix(PAGE_TOKEN_PREFIX)
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse::<i64>().ok())
            .map(Some)
            .ok_or_else(|| invalid_token(text)),
    }
}

fn parse(text: &str) -> Result<Value, ApiError> {
    Ok(serde_json::from_str(text)?)
}

fn limit(page_size: usize) -> i64 {
    if page_size == 0 {
        -1
    } else {
        page_size as i64 + 1
    }
}

/// The typed view of the store a handler gets: one account and region, inside the request's
/// transaction. Every method is an indexed look-up or range scan.
#[derive(Clone, Copy)]
pub struct Db<'a> {
    conn: &'a Connection,
    account: &'a str,
    region: &'a str,
}

impl<'a> Db<'a> {
    pub(crate) fn new(conn: &'a Connection, account: &'a str, region: &'a str) -> Db<'a> {
        Db {
            conn,
            account,
            region,
        }
    }

    pub fn account(&self) -> &'a str {
        self.account
    }

    pub fn region(&self) -> &'a str {
        self.region
    }

    /// Stores a new resource (its wire form must carry `arn` when it has one). A name the kind
    /// already uses in this account and region is [`ApiError::name_in_use`].
    pub fn insert(&self, kind: &str, name: &str, body: &Value) -> Result<(), ApiError> {
        self.insert_with_private(kind, name, body, &Value::Null)
    }

    /// [`Db::insert`] with a private value.
    pub fn insert_with_private(
        &self,
        kind: &str,
        name: &str,
        body: &Value,
        private: &Value,
    ) -> Result<(), ApiError> {
        if self.exists(kind, name)? {
            return Err(ApiError::name_in_use(name));
        }
        let next: i64 = self
            .conn
            .prepare_cached(
                "SELECT COALESCE(MAX(pos) + 1, 0) FROM resources \
                 WHERE account = ?1 AND region = ?2 AND kind = ?3",
            )?
            .query_row(params![self.account, self.region, kind], |row| row.get(0))?;
        let arn = body.get("arn").and_then(Value::as_str).unwrap_or("");
        self.conn
            .prepare_cached(
                "INSERT INTO resources (account, region, kind, name, pos, arn, body, private) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                self.account,
                self.region,
                kind,
                name,
                next,
                arn,
                body.to_string(),
                private.to_string()
            ])?;
        Ok(())
    }

    pub fn exists(&self, kind: &str, name: &str) -> Result<bool, ApiError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM resources WHERE account = ?1 AND region = ?2 AND kind = ?3 AND name = ?4",
            )?
            .query_row(params![self.account, self.region, kind, name], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// A resource's wire form.
    pub fn get(&self, kind: &str, name: &str) -> Result<Option<Value>, ApiError> {
        Ok(self.record(kind, name)?.map(|r| r.body))
    }

    /// A resource's wire form and private value.
    pub fn record(&self, kind: &str, name: &str) -> Result<Option<Record>, ApiError> {
        let row: Option<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT body, private FROM resources \
                 WHERE account = ?1 AND region = ?2 AND kind = ?3 AND name = ?4",
            )?
            .query_row(params![self.account, self.region, kind, name], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()?;
        row.map(|(body, private)| {
            Ok(Record {
                kind: kind.to_string(),
                name: name.to_string(),
                body: parse(&body)?,
                private: parse(&private)?,
            })
        })
        .transpose()
    }

    /// A resource's wire form, or `NotFoundException` ("The KIND does not exist: NAME").
    pub fn require(&self, kind: &str, name: &str) -> Result<Value, ApiError> {
        self.get(kind, name)?
            .ok_or_else(|| ApiError::not_found(kind, name))
    }

    /// Replaces a resource's wire form (it keeps its place in lists). `NotFoundException` if absent.
    pub fn put(&self, kind: &str, name: &str, body: &Value) -> Result<(), ApiError> {
        let arn = body.get("arn").and_then(Value::as_str).unwrap_or("");
        let changed = self
            .conn
            .prepare_cached(
                "UPDATE resources SET body = ?5, arn = ?6 \
                 WHERE account = ?1 AND region = ?2 AND kind = ?3 AND name = ?4",
            )?
            .execute(params![
                self.account,
                self.region,
                kind,
                name,
                body.to_string(),
                arn
            ])?;
        if changed == 0 {
            return Err(ApiError::not_found(kind, name));
        }
        Ok(())
    }

    /// Replaces a resource's private value.
    pub fn put_private(&self, kind: &str, name: &str, private: &Value) -> Result<(), ApiError> {
        let changed = self
            .conn
            .prepare_cached(
                "UPDATE resources SET private = ?5 \
                 WHERE account = ?1 AND region = ?2 AND kind = ?3 AND name = ?4",
            )?
            .execute(params![
                self.account,
                self.region,
                kind,
                name,
                private.to_string()
            ])?;
        if changed == 0 {
            return Err(ApiError::not_found(kind, name));
        }
        Ok(())
    }

    /// Reads, changes and writes back a resource's wire form; returns the new form.
    pub fn update(
        &self,
        kind: &str,
        name: &str,
        change: impl FnOnce(&mut Value),
    ) -> Result<Value, ApiError> {
        let mut body = self.require(kind, name)?;
        change(&mut body);
        self.put(kind, name, &body)?;
        Ok(body)
    }

    /// Deletes a resource and its pending lifecycle transitions; false when there was none.
    pub fn delete(&self, kind: &str, name: &str) -> Result<bool, ApiError> {
        let key = params![self.account, self.region, kind, name];
        let deleted = self
            .conn
            .prepare_cached(
                "DELETE FROM resources WHERE account = ?1 AND region = ?2 AND kind = ?3 AND name = ?4",
            )?
            .execute(key)?;
        self.conn
            .prepare_cached(
                "DELETE FROM transitions WHERE account = ?1 AND region = ?2 AND kind = ?3 AND name = ?4",
            )?
            .execute(key)?;
        Ok(deleted > 0)
    }

    /// Every resource of a kind, oldest first (for the few calls that must see them all; lists
    /// that clients page through use [`Db::page`]).
    pub fn list(&self, kind: &str) -> Result<Vec<Value>, ApiError> {
        Ok(self.page(kind, None, 0)?.items)
    }

    /// The names of a kind's resources, oldest first, without reading their wire forms (for
    /// GetActiveNames).
    pub fn names(&self, kind: &str) -> Result<Vec<String>, ApiError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT name FROM resources WHERE account = ?1 AND region = ?2 AND kind = ?3 ORDER BY pos",
        )?;
        let rows = statement.query_map(params![self.account, self.region, kind], |row| {
            row.get::<_, String>(0)
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many resources of a kind there are.
    pub fn count(&self, kind: &str) -> Result<u64, ApiError> {
        let count: i64 = self
            .conn
            .prepare_cached(
                "SELECT COUNT(*) FROM resources WHERE account = ?1 AND region = ?2 AND kind = ?3",
            )?
            .query_row(params![self.account, self.region, kind], |row| row.get(0))?;
        Ok(count as u64)
    }

    /// One page of a kind's resources, oldest first: `page_size` items (0: all) from the token's
    /// place. A token names the position of the first item of its page, so pages stay consistent
    /// when resources are deleted between calls.
    pub fn page(
        &self,
        kind: &str,
        token: Option<&str>,
        page_size: usize,
    ) -> Result<Page, ApiError> {
        let start = match token_number(token)? {
            None => 0,
            Some(n) => {
                let end: i64 = self
                    .conn
                    .prepare_cached(
                        "SELECT COALESCE(MAX(pos) + 1, 0) FROM resources \
                         WHERE account = ?1 AND region = ?2 AND kind = ?3",
                    )?
                    .query_row(params![self.account, self.region, kind], |row| row.get(0))?;
                if n > end {
                    return Err(invalid_token(token.unwrap_or("")));
                }
                n
            }
        };
        let mut statement = self.conn.prepare_cached(
            "SELECT pos, body FROM resources \
             WHERE account = ?1 AND region = ?2 AND kind = ?3 AND pos >= ?4 ORDER BY pos LIMIT ?5",
        )?;
        let rows = statement.query_map(
            params![self.account, self.region, kind, start, limit(page_size)],
            |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)),
        )?;
        collect_page(rows, page_size, Order::Oldest, 0)
    }

    /// A resource of any kind by name (when kinds share a name, the first kind in alphabetical order).
    pub fn find_by_name(&self, name: &str) -> Result<Option<Record>, ApiError> {
        let row: Option<(String, String, String)> = self
            .conn
            .prepare_cached(
                "SELECT kind, body, private FROM resources \
                 WHERE account = ?1 AND region = ?2 AND name = ?3 ORDER BY kind LIMIT 1",
            )?
            .query_row(params![self.account, self.region, name], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()?;
        row.map(|(kind, body, private)| {
            Ok(Record {
                kind,
                name: name.to_string(),
                body: parse(&body)?,
                private: parse(&private)?,
            })
        })
        .transpose()
    }

    /// A resource of this account and region by ARN.
    pub fn find_by_arn(&self, arn: &str) -> Result<Option<Record>, ApiError> {
        if arn.is_empty() {
            return Ok(None);
        }
        let row: Option<(String, String, String, String)> = self
            .conn
            .prepare_cached(
                "SELECT kind, name, body, private FROM resources \
                 WHERE arn = ?1 AND account = ?2 AND region = ?3 LIMIT 1",
            )?
            .query_row(params![arn, self.account, self.region], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .optional()?;
        row.map(|(kind, name, body, private)| {
            Ok(Record {
                kind,
                name,
                body: parse(&body)?,
                private: parse(&private)?,
            })
        })
        .transpose()
    }

    /// Appends an operation record (its wire form, with `id` and `resourceName`).
    pub fn add_operation(&self, operation: &Value) -> Result<(), ApiError> {
        let id = operation.get("id").and_then(Value::as_str).unwrap_or("");
        let resource = operation
            .get("resourceName")
            .and_then(Value::as_str)
            .unwrap_or("");
        let next = self.newest_operation_pos()? + 1;
        self.conn
            .prepare_cached(
                "INSERT INTO operations (account, region, pos, id, resource_name, body) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                self.account,
                self.region,
                next,
                id,
                resource,
                operation.to_string()
            ])?;
        Ok(())
    }

    fn newest_operation_pos(&self) -> Result<i64, ApiError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT COALESCE(MAX(pos), -1) FROM operations WHERE account = ?1 AND region = ?2",
            )?
            .query_row(params![self.account, self.region], |row| row.get(0))?)
    }

    /// An operation of this account and region by id.
    pub fn operation(&self, id: &str) -> Result<Option<Value>, ApiError> {
        let body: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT body FROM operations WHERE id = ?1 AND account = ?2 AND region = ?3",
            )?
            .query_row(params![id, self.account, self.region], |row| row.get(0))
            .optional()?;
        body.map(|b| parse(&b)).transpose()
    }

    /// One page of operations, newest first, optionally only those of one resource. A token counts
    /// back from the newest operation of the region (operations are never deleted), so it means what
    /// an offset into the full list means.
    pub fn operations_page(
        &self,
        resource_name: Option<&str>,
        token: Option<&str>,
        page_size: usize,
    ) -> Result<Page, ApiError> {
        let newest = self.newest_operation_pos()?;
        let start = match token_number(token)? {
            None => newest,
            Some(n) if n <= newest + 1 => newest - n,
            Some(_) => return Err(invalid_token(token.unwrap_or(""))),
        };
        let map = |row: &rusqlite::Row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?));
        match resource_name {
            None => {
                let mut statement = self.conn.prepare_cached(
                    "SELECT pos, body FROM operations WHERE account = ?1 AND region = ?2 \
                     AND pos <= ?3 ORDER BY pos DESC LIMIT ?4",
                )?;
                let rows = statement.query_map(
                    params![self.account, self.region, start, limit(page_size)],
                    map,
                )?;
                collect_page(rows, page_size, Order::Newest, newest)
            }
            Some(resource) => {
                let mut statement = self.conn.prepare_cached(
                    "SELECT pos, body FROM operations WHERE account = ?1 AND region = ?2 \
                     AND resource_name = ?3 AND pos <= ?4 ORDER BY pos DESC LIMIT ?5",
                )?;
                let rows = statement.query_map(
                    params![self.account, self.region, resource, start, limit(page_size)],
                    map,
                )?;
                collect_page(rows, page_size, Order::Newest, newest)
            }
        }
    }

    /// Reads, changes and writes back an operation record.
    pub fn update_operation(
        &self,
        id: &str,
        change: impl FnOnce(&mut Value),
    ) -> Result<(), ApiError> {
        update_operation(self.conn, id, change)
    }
}

/// Changes an operation record by id, in any account or region (lifecycles finish operations).
pub(crate) fn update_operation(
    conn: &Connection,
    id: &str,
    change: impl FnOnce(&mut Value),
) -> Result<(), ApiError> {
    let body: Option<String> = conn
        .prepare_cached("SELECT body FROM operations WHERE id = ?1")?
        .query_row([id], |row| row.get(0))
        .optional()?;
    let Some(body) = body else {
        return Ok(());
    };
    let mut value = parse(&body)?;
    change(&mut value);
    conn.prepare_cached("UPDATE operations SET body = ?2 WHERE id = ?1")?
        .execute(params![id, value.to_string()])?;
    Ok(())
}

fn collect_page(
    rows: impl Iterator<Item = rusqlite::Result<(i64, String)>>,
    page_size: usize,
    order: Order,
    newest: i64,
) -> Result<Page, ApiError> {
    let mut items = Vec::new();
    let mut next_token = None;
    for row in rows {
        let (pos, body) = row?;
        if page_size != 0 && items.len() == page_size {
            let number = match order {
                Order::Oldest => pos,
                Order::Newest => newest - pos,
            };
            next_token = Some(format!("{PAGE_TOKEN_PREFIX}{number}"));
            break;
        }
        items.push(parse(&body)?);
    }
    Ok(Page { items, next_token })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Store {
        Store::memory().unwrap()
    }

    #[test]
    fn resources_round_trip_and_page() {
        let store = store();
        let db = Db::new(&store.conn, "111122223333", "us-west-2");
        for i in 0..5 {
            let name = format!("r-{i}");
            db.insert(
                "Disk",
                &name,
                &json!({"name": name, "arn": format!("arn:{i}")}),
            )
            .unwrap();
        }
        assert_eq!(
            db.insert("Disk", "r-1", &json!({})).unwrap_err().message(),
            Some("Some names are already in use: r-1")
        );
        let first = db.page("Disk", None, 2).unwrap();
        assert_eq!(first.items.len(), 2);
        assert_eq!(
            first.next_token.as_deref(),
            Some("lightsail-emulator-page-2")
        );
        db.delete("Disk", "r-2").unwrap();
        let second = db.page("Disk", first.next_token.as_deref(), 2).unwrap();
        let names: Vec<&str> = second
            .items
            .iter()
            .map(|v| v["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["r-3", "r-4"]);
        assert_eq!(second.next_token, None);
        assert!(db
            .page("Disk", Some("lightsail-emulator-page-9"), 2)
            .is_err());
        assert!(db.page("Disk", Some("nope"), 2).is_err());
        assert_eq!(db.find_by_arn("arn:4").unwrap().unwrap().name, "r-4");
        assert_eq!(db.find_by_name("r-0").unwrap().unwrap().kind, "Disk");
        // Another region sees none of it.
        let other = Db::new(&store.conn, "111122223333", "eu-west-1");
        assert_eq!(other.count("Disk").unwrap(), 0);
        assert!(other.get("Disk", "r-0").unwrap().is_none());
        assert_eq!(db.count("Disk").unwrap(), 4);
    }

    #[test]
    fn operations_page_newest_first() {
        let store = store();
        let db = Db::new(&store.conn, "111122223333", "us-west-2");
        for i in 0..5 {
            let resource = if i % 2 == 0 { "even" } else { "odd" };
            db.add_operation(&json!({"id": format!("op-{i}"), "resourceName": resource}))
                .unwrap();
        }
        let page = db.operations_page(None, None, 2).unwrap();
        let ids: Vec<&str> = page
            .items
            .iter()
            .map(|v| v["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["op-4", "op-3"]);
        assert_eq!(
            page.next_token.as_deref(),
            Some("lightsail-emulator-page-2")
        );
        let page = db
            .operations_page(None, page.next_token.as_deref(), 2)
            .unwrap();
        let ids: Vec<&str> = page
            .items
            .iter()
            .map(|v| v["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["op-2", "op-1"]);
        let even = db.operations_page(Some("even"), None, 0).unwrap();
        assert_eq!(even.items.len(), 3);
        db.update_operation("op-0", |op| op["status"] = json!("Succeeded"))
            .unwrap();
        assert_eq!(
            db.operation("op-0").unwrap().unwrap()["status"],
            "Succeeded"
        );
    }

    #[test]
    fn old_json_state_files_are_refused_clearly() {
        let dir = std::env::temp_dir().join(format!("store-refuse-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        std::fs::write(&path, "{\"format\": \"lightsail-emulator-state/1\"}").unwrap();
        let error = Store::open(&path, Durability::Process).err().unwrap();
        assert!(error.contains("older lightsail-emulator"), "{error}");
        std::fs::write(&path, "garbage").unwrap();
        let error = Store::open(&path, Durability::Process).err().unwrap();
        assert!(
            error.contains("not a lightsail-emulator state file"),
            "{error}"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
