//! The operation registry: operation name -> handler.
//!
//! A family registers its operations in its `register` function (one `add` line per operation); the
//! server asks the registry whether an operation is implemented and which function serves it. An
//! operation of the model that no family registered answers `UnknownOperationException`, as before.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::engine::Ctx;
use crate::error::ApiError;

/// What serves one operation: the request's context and its (validated) input in, the output body
/// (any member order; the response layer orders and checks it) or a service error out.
pub type Handler = fn(&mut Ctx<'_>, &Value) -> Result<Value, ApiError>;

/// Every implemented operation.
#[derive(Default)]
pub struct Registry {
    handlers: BTreeMap<&'static str, Handler>,
}

impl Registry {
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Registers `operation`. Registering one twice is a programming error (two families claiming
    /// the same operation) and panics at start-up, which every test run would show at once.
    pub fn add(&mut self, operation: &'static str, handler: Handler) -> &mut Registry {
        if self.handlers.insert(operation, handler).is_some() {
            panic!("lightsail-emulator: {operation} is registered twice");
        }
        self
    }

    pub fn get(&self, operation: &str) -> Option<Handler> {
        self.handlers.get(operation).copied()
    }

    pub fn implements(&self, operation: &str) -> bool {
        self.handlers.contains_key(operation)
    }

    /// The implemented operations, sorted by name.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.handlers.keys().copied()
    }
}
