//! GetBucketMetricData: deterministic datapoints for the requested window, within CloudWatch's limits
//! (`engine::metrics`).
//!
//! Bucket metrics "are reported once per day" (the model's documentation): one sample at 00:00 UTC of
//! every day after the bucket's creation up to now, `BucketSizeBytes` in Bytes and `NumberOfObjects` in
//! Count (another unit matches no data). A period has a datapoint when it holds at least one daily
//! sample, aggregated over those samples. The emulator serves no S3 requests, so the contents are ours:
//! a bucket that gains a steady, bucket-specific number of objects a day (3 to 40) of a bucket-specific
//! average size (40 KB to 2 MB).

use serde_json::{json, Value};

use crate::engine::metrics::{uniform, Statistics, Window};
use crate::engine::{input, Ctx};
use crate::error::ApiError;
use crate::services::object_storage::KIND;

const DAY: i64 = 86_400;

/// The unit each metric is published in.
fn published_unit(metric: &str) -> &'static str {
    if metric == "BucketSizeBytes" {
        "Bytes"
    } else {
        "Count"
    }
}

/// The value of `metric` in the daily report at `day` (00:00 UTC), `days` days after creation.
fn daily_value(bucket: &str, metric: &str, days: i64) -> f64 {
    let per_day = 3.0 + (37.0 * uniform(bucket, 0, "objects-per-day")).floor();
    let objects = (per_day * days as f64).floor();
    if metric == "NumberOfObjects" {
        return objects;
    }
    let average_size = 40_960.0 + (2_056_192.0 * uniform(bucket, 0, "object-size")).floor();
    (objects * average_size).floor()
}

pub fn get_metric_data(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let bucket_name = input::string(input, "bucketName");
    let bucket = ctx.db().require(KIND, bucket_name)?;
    let metric = input::string(input, "metricName");
    let window = Window::from_input(input)?;
    let mut data = Vec::new();
    if window.unit == published_unit(metric) {
        let created = bucket["createdAt"].as_f64().unwrap_or(0.0);
        let first_report = (created.floor() as i64).div_euclid(DAY) * DAY + DAY;
        let now = ctx.now();
        for time in window.periods() {
            let from = time.max(first_report);
            let first = from + (DAY - (from - first_report).rem_euclid(DAY)) % DAY;
            let samples: Vec<f64> = (0..)
                .map(|n| first + n * DAY)
                .take_while(|day| *day < time + window.period && (*day as f64) <= now)
                .map(|day| daily_value(bucket_name, metric, (day - first_report) / DAY + 1))
                .collect();
            if samples.is_empty() {
                continue;
            }
            let count = samples.len() as f64;
            let sum: f64 = samples.iter().sum();
            let values = Statistics {
                average: sum / count,
                maximum: samples.iter().copied().fold(f64::MIN, f64::max),
                minimum: samples.iter().copied().fold(f64::MAX, f64::min),
                sample_count: count,
                sum,
            };
            data.push(window.datapoint(&values, time));
        }
    }
    Ok(json!({ "metricName": metric, "metricData": data }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_grow_steadily() {
        let one = daily_value("b", "NumberOfObjects", 1);
        let two = daily_value("b", "NumberOfObjects", 2);
        assert!(one >= 3.0 && two == 2.0 * one);
        assert!(daily_value("b", "BucketSizeBytes", 2) > daily_value("b", "BucketSizeBytes", 1));
        assert_eq!(published_unit("BucketSizeBytes"), "Bytes");
    }
}
