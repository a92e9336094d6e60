//! Object storage: the 11 bucket operations (buckets, their bundles, access keys, the instances
//! given access, metrics).
//!
//! A bucket is stored in its wire form (`CreateBucket`'s `bucket`) plus a private value with what the
//! service keeps apart: its access keys (each secret returned once, by CreateBucketAccessKey) and its
//! CORS configuration (returned only when asked for or just set). Bucket names are unique across the
//! account's regions (S3's namespace; other accounts are not checked). The account's block-public-access
//! synchronisation, which GetBuckets reports, is a pure function of when its first bucket was created.
//!
//! Lifecycles: a new bucket's `state` is `OK` at once (the model knows only `OK` and `Unknown`); its
//! CreateBucket operation is `Started` until the `Bucket` delay has passed. After UpdateBucketBundle
//! the bucket cannot change bundle again until the next monthly billing cycle (UTC month), when
//! `ableToUpdateBundle` is true again. Every other call answers `Succeeded` operations.

pub mod access_keys;
pub mod buckets;
pub mod bundles;
pub mod metrics;

use crate::engine::Registry;

/// The `resourceType` (and store kind) of buckets.
pub const KIND: &str = "Bucket";

pub fn register(registry: &mut Registry) {
    registry
        .add("CreateBucket", buckets::create)
        .add("GetBuckets", buckets::get)
        .add("UpdateBucket", buckets::update)
        .add("UpdateBucketBundle", buckets::update_bundle)
        .add("DeleteBucket", buckets::delete)
        .add("SetResourceAccessForBucket", buckets::set_resource_access)
        .add("GetBucketBundles", bundles::get_bundles)
        .add("CreateBucketAccessKey", access_keys::create)
        .add("GetBucketAccessKeys", access_keys::list)
        .add("DeleteBucketAccessKey", access_keys::delete)
        .add("GetBucketMetricData", metrics::get_metric_data);
}
