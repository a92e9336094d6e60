//! Bucket bundles (storage plans): GetBucketBundles and the look-ups CreateBucket and
//! UpdateBucketBundle make.
//!
//! The three plans Lightsail object storage sells: `small_1_0` ($1 a month, 5 GB of storage, 25 GB
//! of transfer), `medium_1_0` ($3, 100 GB, 250 GB) and `large_1_0` ($5, 250 GB, 500 GB). The ids are
//! the service's (Terraform's acceptance tests use `small_1_0` and `medium_1_0`), the prices and
//! quotas Lightsail's published plans; the display names are ours. None is inactive, so
//! `includeInactive` changes nothing.

use serde_json::{json, Value};

use crate::engine::Ctx;
use crate::error::ApiError;

/// A bucket plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BucketBundle {
    pub id: &'static str,
    pub name: &'static str,
    pub price: f64,
    pub storage_per_month_in_gb: i64,
    pub transfer_per_month_in_gb: i64,
    pub is_active: bool,
}

impl BucketBundle {
    fn wire(&self) -> Value {
        json!({
            "bundleId": self.id,
            "name": self.name,
            "price": self.price,
            "storagePerMonthInGb": self.storage_per_month_in_gb,
            "transferPerMonthInGb": self.transfer_per_month_in_gb,
            "isActive": self.is_active,
        })
    }
}

/// Every bucket bundle, smallest first.
pub const BUNDLES: &[BucketBundle] = &[
    BucketBundle {
        id: "small_1_0",
        name: "Small",
        price: 1.0,
        storage_per_month_in_gb: 5,
        transfer_per_month_in_gb: 25,
        is_active: true,
    },
    BucketBundle {
        id: "medium_1_0",
        name: "Medium",
        price: 3.0,
        storage_per_month_in_gb: 100,
        transfer_per_month_in_gb: 250,
        is_active: true,
    },
    BucketBundle {
        id: "large_1_0",
        name: "Large",
        price: 5.0,
        storage_per_month_in_gb: 250,
        transfer_per_month_in_gb: 500,
        is_active: true,
    },
];

/// An active bundle, or InvalidInput.
pub fn active(id: &str) -> Result<&'static BucketBundle, ApiError> {
    BUNDLES
        .iter()
        .find(|b| b.id == id && b.is_active)
        .ok_or_else(|| {
            ApiError::invalid_input(
                "InvalidInput",
                format!("The bucket bundle ID is not valid: {id}"),
            )
        })
}

pub fn get_bundles(_ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let include_inactive = crate::engine::input::flag(input, "includeInactive");
    let bundles: Vec<Value> = BUNDLES
        .iter()
        .filter(|b| b.is_active || include_inactive)
        .map(BucketBundle::wire)
        .collect();
    Ok(json!({ "bundles": bundles }))
}
