//! The managed-database catalogue: GetRelationalDatabaseBlueprints and GetRelationalDatabaseBundles,
//! and the look-ups the other database calls make in it.
//!
//! Sources: the blueprints, and the active (`_2_0`) bundles, are exactly the AWS CLI's examples of the
//! real service (`src/help/examples/get-relational-database-blueprints.rst`,
//! `get-relational-database-bundles.rst`). The inactive `_1_0` bundles are the previous generation that
//! the other examples still use (`micro_1_0`: 1 vCPU, 1 GB, 40 GB, $15 in `get-relational-database.rst`
//! and `create-relational-database.rst`); the vCPU counts of the other `_1_0` bundles are ours. The
//! blueprints carry `postgres` as an engine, which the model's `RelationalDatabaseEngine` enum lacks
//! (listed in `model::conform::KNOWN_OFF_ENUM`).

use serde_json::{json, Value};

use crate::engine::{input, Ctx};
use crate::error::ApiError;
use crate::services::databases::page_of;

/// A database blueprint (engine and major version).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blueprint {
    pub id: &'static str,
    pub engine: &'static str,
    pub engine_version: &'static str,
    pub engine_description: &'static str,
    pub engine_version_description: &'static str,
    pub is_engine_default: bool,
}

impl Blueprint {
    pub fn is_mysql(&self) -> bool {
        self.engine == "mysql"
    }

    /// The port the engine listens on.
    pub fn port(&self) -> u16 {
        if self.is_mysql() {
            3306
        } else {
            5432
        }
    }

    /// The version as numbers, for "is this an upgrade" (`5.7.26` -> [5, 7, 26]).
    pub fn version_numbers(&self) -> Vec<u32> {
        self.engine_version
            .split('.')
            .filter_map(|part| part.parse().ok())
            .collect()
    }

    fn wire(&self) -> Value {
        json!({
            "blueprintId": self.id,
            "engine": self.engine,
            "engineVersion": self.engine_version,
            "engineDescription": self.engine_description,
            "engineVersionDescription": self.engine_version_description,
            "isEngineDefault": self.is_engine_default,
        })
    }
}

const fn blueprint(
    id: &'static str,
    engine: &'static str,
    engine_version: &'static str,
    engine_version_description: &'static str,
    is_engine_default: bool,
) -> Blueprint {
    Blueprint {
        id,
        engine,
        engine_version,
        engine_description: if engine.len() == 5 {
            "MySQL Community Edition"
        } else {
            "PostgreSQL"
        },
        engine_version_description,
        is_engine_default,
    }
}

/// Every blueprint, in the service's order.
pub const BLUEPRINTS: &[Blueprint] = &[
    blueprint("mysql_5_6", "mysql", "5.6.44", "MySQL 5.6.44", false),
    blueprint("mysql_5_7", "mysql", "5.7.26", "MySQL 5.7.26", true),
    blueprint("mysql_8_0", "mysql", "8.0.16", "MySQL 8.0.16", false),
    blueprint(
        "postgres_9_6",
        "postgres",
        "9.6.15",
        "PostgreSQL 9.6.15-R1",
        false,
    ),
    blueprint(
        "postgres_10",
        "postgres",
        "10.10",
        "PostgreSQL 10.10-R1",
        false,
    ),
    blueprint(
        "postgres_11",
        "postgres",
        "11.5",
        "PostgreSQL 11.5-R1",
        true,
    ),
];

/// A database bundle (size and price).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bundle {
    pub id: &'static str,
    pub name: &'static str,
    pub price: f64,
    pub ram_size_in_gb: f64,
    pub disk_size_in_gb: i64,
    pub transfer_per_month_in_gb: i64,
    pub cpu_count: i64,
    pub is_active: bool,
}

impl Bundle {
    /// High-availability bundles run a standby in a second zone.
    pub fn is_high_availability(&self) -> bool {
        self.id.contains("_ha_")
    }

    /// Whether a database of this bundle fits in `other` (no less memory, no less disk).
    pub fn fits_in(&self, other: &Bundle) -> bool {
        other.ram_size_in_gb >= self.ram_size_in_gb && other.disk_size_in_gb >= self.disk_size_in_gb
    }

    /// The database's `hardware`.
    pub fn hardware(&self) -> Value {
        json!({
            "cpuCount": self.cpu_count,
            "diskSizeInGb": self.disk_size_in_gb,
            "ramSizeInGb": self.ram_size_in_gb,
        })
    }

    fn wire(&self) -> Value {
        json!({
            "bundleId": self.id,
            "name": self.name,
            "price": self.price,
            "ramSizeInGb": self.ram_size_in_gb,
            "diskSizeInGb": self.disk_size_in_gb,
            "transferPerMonthInGb": self.transfer_per_month_in_gb,
            "cpuCount": self.cpu_count,
            "isEncrypted": true,
            "isActive": self.is_active,
        })
    }
}

#[allow(clippy::too_many_arguments)]
const fn bundle(
    id: &'static str,
    name: &'static str,
    price: f64,
    ram_size_in_gb: f64,
    disk_size_in_gb: i64,
    transfer_per_month_in_gb: i64,
    cpu_count: i64,
    is_active: bool,
) -> Bundle {
    Bundle {
        id,
        name,
        price,
        ram_size_in_gb,
        disk_size_in_gb,
        transfer_per_month_in_gb,
        cpu_count,
        is_active,
    }
}

/// Every bundle: the active ones in the service's order, then the previous generation.
pub const BUNDLES: &[Bundle] = &[
    bundle("micro_2_0", "Micro", 15.0, 1.0, 40, 100, 2, true),
    bundle(
        "micro_ha_2_0",
        "Micro with High Availability",
        30.0,
        1.0,
        40,
        100,
        2,
        true,
    ),
    bundle("small_2_0", "Small", 30.0, 2.0, 80, 100, 2, true),
    bundle(
        "small_ha_2_0",
        "Small with High Availability",
        60.0,
        2.0,
        80,
        100,
        2,
        true,
    ),
    bundle("medium_2_0", "Medium", 60.0, 4.0, 120, 100, 2, true),
    bundle(
        "medium_ha_2_0",
        "Medium with High Availability",
        120.0,
        4.0,
        120,
        100,
        2,
        true,
    ),
    bundle("large_2_0", "Large", 115.0, 8.0, 240, 200, 2, true),
    bundle(
        "large_ha_2_0",
        "Large with High Availability",
        230.0,
        8.0,
        240,
        200,
        2,
        true,
    ),
    bundle("micro_1_0", "Micro", 15.0, 1.0, 40, 100, 1, false),
    bundle(
        "micro_ha_1_0",
        "Micro with High Availability",
        30.0,
        1.0,
        40,
        100,
        1,
        false,
    ),
    bundle("small_1_0", "Small", 30.0, 2.0, 80, 100, 1, false),
    bundle(
        "small_ha_1_0",
        "Small with High Availability",
        60.0,
        2.0,
        80,
        100,
        1,
        false,
    ),
    bundle("medium_1_0", "Medium", 60.0, 4.0, 120, 100, 2, false),
    bundle(
        "medium_ha_1_0",
        "Medium with High Availability",
        120.0,
        4.0,
        120,
        100,
        2,
        false,
    ),
    bundle("large_1_0", "Large", 115.0, 8.0, 240, 200, 2, false),
    bundle(
        "large_ha_1_0",
        "Large with High Availability",
        230.0,
        8.0,
        240,
        200,
        2,
        false,
    ),
];

pub fn find_blueprint(id: &str) -> Option<&'static Blueprint> {
    BLUEPRINTS.iter().find(|b| b.id == id)
}

pub fn find_bundle(id: &str) -> Option<&'static Bundle> {
    BUNDLES.iter().find(|b| b.id == id)
}

/// A blueprint a new database may use, or InvalidInput.
pub fn blueprint_for_new(id: &str) -> Result<&'static Blueprint, ApiError> {
    find_blueprint(id).ok_or_else(|| {
        ApiError::invalid_input(
            "InvalidInput",
            format!("The relational database blueprint ID is not valid: {id}"),
        )
    })
}

/// An active bundle a new database may use, or InvalidInput.
pub fn bundle_for_new(id: &str) -> Result<&'static Bundle, ApiError> {
    match find_bundle(id) {
        Some(bundle) if bundle.is_active => Ok(bundle),
        Some(_) => Err(ApiError::invalid_input(
            "InvalidInput",
            format!(
                "The relational database bundle is inactive and cannot be used for new databases: {id}"
            ),
        )),
        None => Err(ApiError::invalid_input(
            "InvalidInput",
            format!("The relational database bundle ID is not valid: {id}"),
        )),
    }
}

pub fn get_blueprints(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let all: Vec<Value> = BLUEPRINTS.iter().map(Blueprint::wire).collect();
    Ok(page_of(all, input, ctx.settings.page_size)?.into_output("blueprints"))
}

pub fn get_bundles(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let include_inactive = input::flag(input, "includeInactive");
    let all: Vec<Value> = BUNDLES
        .iter()
        .filter(|b| b.is_active || include_inactive)
        .map(Bundle::wire)
        .collect();
    Ok(page_of(all, input, ctx.settings.page_size)?.into_output("bundles"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_lookups() {
        assert_eq!(find_blueprint("mysql_8_0").unwrap().port(), 3306);
        assert_eq!(find_blueprint("postgres_11").unwrap().port(), 5432);
        assert_eq!(
            find_blueprint("postgres_9_6").unwrap().version_numbers(),
            [9, 6, 15]
        );
        assert!(bundle_for_new("micro_1_0").is_err());
        assert!(bundle_for_new("nope").is_err());
        let micro = bundle_for_new("micro_2_0").unwrap();
        assert!(!micro.is_high_availability());
        assert!(find_bundle("micro_ha_2_0").unwrap().is_high_availability());
        assert!(micro.fits_in(find_bundle("small_2_0").unwrap()));
        assert!(!find_bundle("small_2_0").unwrap().fits_in(micro));
        let defaults: Vec<&str> = BLUEPRINTS
            .iter()
            .filter(|b| b.is_engine_default)
            .map(|b| b.id)
            .collect();
        assert_eq!(defaults, ["mysql_5_7", "postgres_11"]);
    }
}
