//! Glue between the driver and the signed call (temporary until the call layer lands).

use crate::clidriver::Context;
use crate::errors::CliError;
use crate::model::Operation;
use crate::settings::Settings;
use crate::value::{Map, Value};

pub fn call(
    op: &'static Operation,
    _params: &Map,
    _settings: &Settings,
    _cx: &mut Context<'_>,
) -> Result<Value, CliError> {
    Err(CliError::NotImplemented(format!("calling {}", op.name)))
}

pub fn shape(
    _op: &'static Operation,
    body: &Value,
    _settings: &Settings,
) -> Result<Value, CliError> {
    Ok(body.clone())
}
