//! Catalogs and account: GetBundles, GetBlueprints (the fixed catalogs in [`bundles`] and
//! [`blueprints`]), and, in [`account`], GetActiveNames, GetCostEstimate, IsVpcPeered, PeerVpc and
//! UnpeerVpc.
//!
//! The catalogs are the same in every region and account. Without `includeInactive` only active
//! entries are listed; without `appCategory` the Lightsail for Research entries are left out, and with
//! `appCategory: LfR` only they are listed (the model's documentation of both flags). Like every list
//! call they are split into pages of `--page-size` items.

pub mod account;
pub mod blueprints;
pub mod bundles;

use serde_json::{json, Map, Value};

use crate::engine::store::PAGE_TOKEN_PREFIX;
use crate::engine::{input, Ctx, Registry};
use crate::error::ApiError;

pub fn register(registry: &mut Registry) {
    registry
        .add("GetBundles", get_bundles)
        .add("GetBlueprints", get_blueprints);
    account::register(registry);
}

/// A bundle's wire form (`Bundle`).
pub fn bundle_json(bundle: &bundles::Bundle) -> Value {
    let mut out = json!({
        "price": bundle.price,
        "cpuCount": bundle.cpu_count,
        "diskSizeInGb": bundle.disk_size_in_gb,
        "bundleId": bundle.id,
        "instanceType": bundle.instance_type,
        "isActive": bundle.is_active,
        "name": bundle.name,
        "power": bundle.power,
        "ramSizeInGb": bundle.ram_size_in_gb,
        "transferPerMonthInGb": bundle.transfer_per_month_in_gb,
        "supportedPlatforms": [bundle.platform],
        "publicIpv4AddressCount": bundle.public_ipv4_address_count,
    });
    if bundle.research {
        out["supportedAppCategories"] = json!(["LfR"]);
    }
    out
}

/// A blueprint's wire form (`Blueprint`).
pub fn blueprint_json(blueprint: &blueprints::Blueprint) -> Value {
    let mut out = json!({
        "blueprintId": blueprint.id,
        "name": blueprint.name,
        "group": blueprint.group,
        "type": blueprint.kind,
        "description": blueprint.description,
        "isActive": blueprint.is_active,
        "minPower": blueprint.min_power,
        "version": blueprint.version,
        "versionCode": "1",
        "productUrl": blueprint.product_url,
        "licenseUrl": blueprint.license_url,
        "platform": blueprint.platform,
    });
    if blueprint.research {
        out["appCategory"] = json!("LfR");
    }
    out
}

/// Whether a catalog entry is listed for this request (`includeInactive`, `appCategory`).
fn listed(input: &Value, is_active: bool, research: bool) -> bool {
    let wants_research = input::optional_string(input, "appCategory") == Some("LfR");
    (is_active || input::flag(input, "includeInactive")) && research == wants_research
}

fn get_bundles(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let items = bundles::BUNDLES
        .iter()
        .filter(|b| listed(input, b.is_active, b.research))
        .map(bundle_json)
        .collect();
    page_of(ctx, items, input, "bundles")
}

fn get_blueprints(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let items = blueprints::BLUEPRINTS
        .iter()
        .filter(|b| listed(input, b.is_active, b.research))
        .map(blueprint_json)
        .collect();
    page_of(ctx, items, input, "blueprints")
}

/// One page of a list that is not a kind of the store (a catalog, the active names): `--page-size`
/// items from the offset the `pageToken` names, with the store's token format and its message for a
/// token that is not one.
pub fn page_of(
    ctx: &Ctx<'_>,
    mut items: Vec<Value>,
    input: &Value,
    key: &str,
) -> Result<Value, ApiError> {
    let start = match input::optional_string(input, "pageToken") {
        None | Some("") => 0,
        Some(token) => token
            .strip_prefix(PAGE_TOKEN_PREFIX)
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|&n| n <= items.len())
            .ok_or_else(|| {
                ApiError::invalid_input(
                    "InvalidInput",
                    format!("The page token is not valid: {token}"),
                )
            })?,
    };
    let total = items.len();
    let size = ctx.settings.page_size;
    let end = if size == 0 {
        total
    } else {
        (start + size).min(total)
    };
    let page: Vec<Value> = items.drain(start..end).collect();
    let mut output = Map::new();
    output.insert(key.to_string(), Value::Array(page));
    if end < total {
        output.insert(
            "nextPageToken".into(),
            json!(format!("{PAGE_TOKEN_PREFIX}{end}")),
        );
    }
    Ok(Value::Object(output))
}
