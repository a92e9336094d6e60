//! The region catalogue as clients see it: GetRegions.
//!
//! Every region Lightsail serves (`engine::regions`), with its availability zones when
//! `includeAvailabilityZones` is true and its database zones when
//! `includeRelationalDatabaseAvailabilityZones` is; otherwise both lists are empty, as in the AWS
//! CLI's `get-regions` example.

use serde_json::{json, Value};

use crate::engine::regions::REGIONS;
use crate::engine::{input, Ctx, Registry};
use crate::error::ApiError;

pub fn register(registry: &mut Registry) {
    registry.add("GetRegions", get_regions);
}

fn zones(names: impl Iterator<Item = String>) -> Vec<Value> {
    names
        .map(|zone| json!({"zoneName": zone, "state": "available"}))
        .collect()
}

fn get_regions(_ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let with_zones = input::flag(input, "includeAvailabilityZones");
    let with_database_zones = input::flag(input, "includeRelationalDatabaseAvailabilityZones");
    let regions: Vec<Value> = REGIONS
        .iter()
        .map(|region| {
            json!({
                "continentCode": region.continent_code,
                "description": region.description,
                "displayName": region.display_name,
                "name": region.name,
                "availabilityZones": if with_zones { zones(region.zone_names()) } else { vec![] },
                "relationalDatabaseAvailabilityZones": if with_database_zones {
                    zones(region.database_zone_names())
                } else {
                    vec![]
                },
            })
        })
        .collect();
    Ok(json!({ "regions": regions }))
}
