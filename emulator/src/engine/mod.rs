//! The service runtime every resource family runs on: the store, the clock, identifiers, regions,
//! lifecycles, the operation registry and the per-call context.
//!
//! [`Engine::call`] is one Lightsail call after the protocol layer has admitted it (signature,
//! content type, model validation): it opens a transaction, applies the lifecycle steps that have
//! fallen due, runs the family's handler with a [`Ctx`], and commits (or, when the handler fails,
//! rolls back the state and the id streams). The engine knows nothing of HTTP; families know nothing
//! of the wire. `emulator/docs/adding-a-family.md` is the guide for family authors.

pub mod clock;
pub mod context;
pub mod ids;
pub mod lifecycle;
pub mod metrics;
pub mod regions;
pub mod registry;
pub mod store;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{json, Value};

pub use context::{input, Ctx, NewOperation, OperationStatus};
pub use lifecycle::Transition;
pub use registry::{Handler, Registry};
pub use store::{Db, Durability, Page, Record};

use crate::error::ApiError;
use crate::model::Model;
use clock::Clock;
use ids::IdSource;
use regions::Region;
use store::Store;

/// The account id of the example keys (and of keys configured without one).
pub const DEFAULT_ACCOUNT_ID: &str = "111122223333";

/// Lifecycle delays in seconds: per key (`InstanceSnapshot`, `Instance.stop`, ...), else per the key's
/// part before the first `.`, else the default (0: a step completes at the next request).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Delays {
    pub default: f64,
    pub by_key: BTreeMap<String, f64>,
}

impl Delays {
    pub fn get(&self, key: &str) -> f64 {
        self.by_key
            .get(key)
            .or_else(|| {
                key.split_once('.')
                    .and_then(|(kind, _)| self.by_key.get(kind))
            })
            .copied()
            .unwrap_or(self.default)
            .max(0.0)
    }
}

/// What a family may read of the configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    pub deterministic: bool,
    /// The account of admin calls, unsigned calls and seeded resources.
    pub default_account: String,
    /// The region of admin calls, unsigned calls and seeded resources (`--region`).
    pub default_region: Region,
    /// Items per page of list operations; 0 puts everything on one page.
    pub page_size: usize,
    pub delays: Delays,
}

/// Who is calling: the account of their access key and the region of their credential scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller<'a> {
    pub account: &'a str,
    pub region: &'a str,
}

/// The state and everything that changes it.
pub struct Engine {
    store: Store,
    ids: IdSource,
    clock: Clock,
    settings: Settings,
    registry: &'static Registry,
    model: &'static Model,
}

impl Engine {
    /// Opens the state (in memory, or the state file) without seeding it; see [`Engine::is_fresh`].
    pub fn open(
        settings: Settings,
        registry: &'static Registry,
        model: &'static Model,
        state_file: Option<&Path>,
        durability: Durability,
    ) -> Result<Engine, String> {
        let store = match state_file {
            Some(path) => Store::open(path, durability)?,
            None => Store::memory()?,
        };
        let deterministic = settings.deterministic;
        let ids = match store.meta("ids").map_err(|e| e.to_string())? {
            Some(text) => serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| IdSource::from_json(&v, deterministic))
                .ok_or("the state file's id streams are unreadable")?,
            None => IdSource::new(deterministic),
        };
        let offset = store
            .meta("clock_offset")
            .map_err(|e| e.to_string())?
            .and_then(|text| text.parse::<f64>().ok())
            .unwrap_or(0.0);
        Ok(Engine {
            store,
            ids,
            clock: Clock::with_offset(deterministic, offset),
            settings,
            registry,
            model,
        })
    }

    /// Whether the state has never been initialized (a new state file, or memory).
    pub fn is_fresh(&self) -> Result<bool, String> {
        self.store.is_fresh().map_err(|e| e.to_string())
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn registry(&self) -> &'static Registry {
        self.registry
    }

    /// The region entry for a caller's region: the catalogue's, or the configured default region
    /// even when Lightsail does not serve it.
    pub fn region(&self, name: &str) -> Option<Region> {
        if name == self.settings.default_region.name {
            return Some(self.settings.default_region);
        }
        regions::find(name).copied()
    }

    /// Now, on the emulator clock.
    pub fn now(&self) -> f64 {
        self.clock.now()
    }

    /// Empties the state, rewinds the id streams and the clock, and runs `seed` in one transaction
    /// with the caller being the default account and region.
    pub fn initialize(
        &mut self,
        seed: impl FnOnce(&mut Ctx<'_>) -> Result<(), ApiError>,
    ) -> Result<(), ApiError> {
        self.ids = IdSource::new(self.settings.deterministic);
        self.clock = Clock::new(self.settings.deterministic);
        let account = self.settings.default_account.clone();
        let region = self.settings.default_region;
        let tx = self.store.conn.transaction()?;
        store::clear(&tx)?;
        {
            let mut ctx = Ctx {
                conn: &tx,
                ids: &mut self.ids,
                clock: self.clock,
                settings: &self.settings,
                account: &account,
                region: &region,
                model: self.model,
                operation: "",
            };
            seed(&mut ctx)?;
        }
        store::set_meta(&tx, "format", store::FORMAT)?;
        store::set_meta(&tx, "ids", &self.ids.to_json().to_string())?;
        store::set_meta(&tx, "clock_offset", "0")?;
        tx.commit()?;
        Ok(())
    }

    /// One Lightsail call (already admitted and validated).
    pub fn call(
        &mut self,
        caller: Caller<'_>,
        operation: &str,
        input: &Value,
    ) -> Result<Value, ApiError> {
        let Some(handler) = self.registry.get(operation) else {
            return Err(ApiError::unknown_operation());
        };
        self.transaction(caller, operation, |ctx| handler(ctx, input))
    }

    /// Runs `body` in one transaction as `caller`, after applying due lifecycle steps; commits on
    /// `Ok`, rolls back state and id streams on `Err`.
    pub fn transaction<T>(
        &mut self,
        caller: Caller<'_>,
        operation: &str,
        body: impl FnOnce(&mut Ctx<'_>) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let Some(region) = self.region(caller.region) else {
            return Err(ApiError::invalid_signature(format!(
                "Credential should be scoped to a valid region, not '{}'. ",
                caller.region
            )));
        };
        let before = self.ids.clone();
        let result = self.run(caller.account, &region, operation, body, &before);
        if result.is_err() {
            self.ids = before;
        }
        result
    }

    fn run<T>(
        &mut self,
        account: &str,
        region: &Region,
        operation: &str,
        body: impl FnOnce(&mut Ctx<'_>) -> Result<T, ApiError>,
        ids_before: &IdSource,
    ) -> Result<T, ApiError> {
        let tx = self.store.conn.transaction()?;
        lifecycle::apply_due(&tx, self.clock.now())?;
        let value = {
            let mut ctx = Ctx {
                conn: &tx,
                ids: &mut self.ids,
                clock: self.clock,
                settings: &self.settings,
                account,
                region,
                model: self.model,
                operation,
            };
            body(&mut ctx)?
        };
        if self.ids != *ids_before {
            store::set_meta(&tx, "ids", &self.ids.to_json().to_string())?;
        }
        tx.commit()
            .map_err(|error| ApiError::service(format!("could not persist the change: {error}")))?;
        Ok(value)
    }

    /// Moves the clock forward and applies what falls due; returns the new time.
    pub fn advance(&mut self, seconds: f64) -> Result<f64, ApiError> {
        if !(seconds.is_finite() && seconds >= 0.0) {
            return Err(ApiError::invalid_input(
                "InvalidInput",
                format!(
                    "the clock only moves forward by a finite number of seconds, not {seconds}"
                ),
            ));
        }
        let mut clock = self.clock;
        clock.advance(seconds);
        let tx = self.store.conn.transaction()?;
        store::set_meta(&tx, "clock_offset", &clock.offset().to_string())?;
        lifecycle::apply_due(&tx, clock.now())?;
        tx.commit()?;
        self.clock = clock;
        Ok(self.clock.now())
    }

    /// Everything stored (private values left out) and the clock, for `GET /_emulator/state`.
    pub fn dump(&mut self) -> Result<Value, ApiError> {
        let mut state = self.store.dump()?;
        state["clock"] = json!(self.clock.now());
        Ok(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_fall_back_from_step_to_kind_to_default() {
        let delays = Delays {
            default: 1.0,
            by_key: [
                ("Instance".to_string(), 5.0),
                ("Instance.stop".to_string(), 7.0),
            ]
            .into_iter()
            .collect(),
        };
        assert_eq!(delays.get("Instance.stop"), 7.0);
        assert_eq!(delays.get("Instance.start"), 5.0);
        assert_eq!(delays.get("Instance"), 5.0);
        assert_eq!(delays.get("Disk"), 1.0);
    }
}
