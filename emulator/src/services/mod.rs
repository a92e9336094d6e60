//! The resource families: one module per family, each with a `register` function that adds its
//! operations to the registry. Adding a family is a new module here plus one line in [`registry`]
//! (see `emulator/docs/adding-a-family.md`).

pub mod block_storage;
pub mod catalog;
pub mod certificates;
pub mod containers;
pub mod databases;
pub mod distributions;
pub mod domains;
pub mod instance_snapshots;
pub mod instances;
pub mod metric_series;
pub mod monitoring;
pub mod networking;
pub mod object_storage;
pub mod operations;
pub mod regions;
pub mod tags;

use std::sync::OnceLock;

use serde_json::json;

use crate::engine::{Ctx, Registry};
use crate::error::ApiError;

/// Every implemented operation, built once per process.
pub fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut registry = Registry::new();
        instances::register(&mut registry);
        instance_snapshots::register(&mut registry);
        operations::register(&mut registry);
        tags::register(&mut registry);
        regions::register(&mut registry);
        catalog::register(&mut registry);
        block_storage::register(&mut registry);
        networking::register(&mut registry);
        monitoring::register(&mut registry);
        databases::register(&mut registry);
        object_storage::register(&mut registry);
        containers::register(&mut registry);
        distributions::register(&mut registry);
        certificates::register(&mut registry);
        domains::register(&mut registry);
        registry
    })
}

/// What a fresh emulator holds (`--instance`, `--snapshot`), in the default account and region.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Seed {
    pub instances: Vec<String>,
    /// `(instance name, snapshot name)`, created in order as `CreateInstanceSnapshot` creates them.
    pub snapshots: Vec<(String, String)>,
}

/// Creates the seed state: the instances, then the snapshots, each with its operations.
pub fn seed(ctx: &mut Ctx<'_>, seed: &Seed) -> Result<(), ApiError> {
    instances::seed(ctx, &seed.instances)?;
    for (instance, snapshot) in &seed.snapshots {
        ctx.operation = "CreateInstanceSnapshot";
        let input = json!({"instanceName": instance, "instanceSnapshotName": snapshot});
        ctx.model
            .validate_input("CreateInstanceSnapshot", &input)
            .and_then(|()| instance_snapshots::create(ctx, &input))
            .map_err(|error| {
                ApiError::invalid_input(
                    "InvalidInput",
                    format!(
                        "cannot seed snapshot {snapshot} of {instance}: {}",
                        error.message().unwrap_or(&error.type_name)
                    ),
                )
            })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_operation_is_in_the_model() {
        let model = crate::model::Model::shared().unwrap();
        for name in registry().names() {
            assert!(
                model.has_operation(name),
                "{name} is not a Lightsail operation"
            );
        }
    }
}
