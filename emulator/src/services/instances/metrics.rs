//! GetInstanceMetricData: deterministic datapoints for the requested window, period, statistics and
//! unit.
//!
//! An instance reports one sample per native interval (60 seconds for the status checks, 300 for
//! the other metrics: the model's documentation of `period`) from its creation up to now, and
//! samples older than 14 days are gone (Lightsail keeps two weeks of metrics). A sample's value is a
//! pure function of the instance's ARN, the metric and the sample's time (SplitMix64), so the same
//! request gives the same answer and overlapping windows agree: CPU around a per-instance baseline of
//! a few percent, network bytes per five minutes, status checks passing (0), burst capacity full
//! (100 %, 43,200 s), no metadata requests without a token (0). Each datapoint covers
//! `[start + k * period, start + (k + 1) * period)` and carries the requested statistics over the
//! samples inside it; periods without samples have no datapoint. Datapoints are listed oldest first
//! (the service's order is unspecified).
//!
//! The limits are CloudWatch's, which serves Lightsail's metrics: the period must be a multiple of
//! 60, the start before the end, and at most 1,440 datapoints may be requested (with CloudWatch's
//! message). A unit other than the metric's published unit matches no data, so the answer has no
//! datapoints (CloudWatch's rule for units).

use serde_json::{json, Map, Value};

use super::KIND;
use crate::engine::ids::SplitMix64;
use crate::engine::{input, Ctx, Registry};
use crate::error::ApiError;

pub fn register(registry: &mut Registry) {
    registry.add("GetInstanceMetricData", get_instance_metric_data);
}

/// The most datapoints one request may ask for.
pub const MAX_DATAPOINTS: f64 = 1440.0;
/// How long metric data is kept.
pub const RETENTION: f64 = 14.0 * 86_400.0;

fn bad_input(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

/// A metric's published unit and native interval (seconds).
fn metric_facts(metric: &str) -> (&'static str, f64) {
    match metric {
        "CPUUtilization" | "BurstCapacityPercentage" => ("Percent", 300.0),
        "NetworkIn" | "NetworkOut" => ("Bytes", 300.0),
        "BurstCapacityTime" => ("Seconds", 300.0),
        "StatusCheckFailed" | "StatusCheckFailed_Instance" | "StatusCheckFailed_System" => {
            ("Count", 60.0)
        }
        _ => ("Count", 300.0),
    }
}

/// FNV-1a: a stable 64-bit seed from text.
fn seed_of(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn unit_interval(random: &mut SplitMix64) -> f64 {
    (random.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// The value of one sample.
fn sample(seed: u64, metric: &str, at: f64) -> f64 {
    let mut random = SplitMix64(seed ^ (at as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let u = unit_interval(&mut random);
    match metric {
        "CPUUtilization" => {
            let baseline = 0.2 + (seed % 1000) as f64 / 1000.0 * 2.5;
            let spike = if unit_interval(&mut random) < 0.02 {
                10.0 + 40.0 * unit_interval(&mut random)
            } else {
                0.0
            };
            baseline * (0.6 + 0.8 * u) + spike
        }
        "NetworkIn" => (20_000.0 + 380_000.0 * u).round(),
        "NetworkOut" => (40_000.0 + 1_160_000.0 * u).round(),
        "BurstCapacityPercentage" => 100.0,
        "BurstCapacityTime" => 43_200.0,
        _ => 0.0,
    }
}

fn get_instance_metric_data(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "instanceName");
    let metric = input::string(input, "metricName");
    let period = input::integer(input, "period").unwrap_or(300);
    let start = input
        .get("startTime")
        .and_then(Value::as_f64)
        .unwrap_or(0.0);
    let end = input.get("endTime").and_then(Value::as_f64).unwrap_or(0.0);
    let unit = input::string(input, "unit");
    let statistics = input::strings(input, "statistics");
    let instance = ctx.db().require(KIND, name)?;
    if period % 60 != 0 {
        return Err(bad_input(format!(
            "The parameter period must be a multiple of 60: {period}"
        )));
    }
    if start >= end {
        return Err(bad_input(
            "The parameter startTime must be less than the parameter endTime".to_string(),
        ));
    }
    let period = period as f64;
    let requested = ((end - start) / period).ceil();
    if requested > MAX_DATAPOINTS {
        return Err(bad_input(format!(
            "You have requested up to {requested} datapoints, which exceeds the limit of 1440. You \
             may reduce the datapoints requested by increasing Period, or decreasing the time range."
        )));
    }
    let (published_unit, native) = metric_facts(metric);
    let mut data = Vec::new();
    if unit == published_unit {
        let now = ctx.now();
        let created = instance["createdAt"].as_f64().unwrap_or(now);
        let first_sample = created.max(now - RETENTION);
        let seed = seed_of(instance["arn"].as_str().unwrap_or(name)) ^ seed_of(metric);
        let mut bucket = start;
        while bucket < end {
            let bucket_end = (bucket + period).min(end);
            let from = bucket.max(first_sample);
            let to = bucket_end.min(now);
            // Samples are taken at multiples of the native interval.
            let mut at = (from / native).ceil() * native;
            let (mut count, mut sum, mut min, mut max) = (0.0, 0.0, f64::MAX, f64::MIN);
            while at < to {
                let value = sample(seed, metric, at);
                count += 1.0;
                sum += value;
                min = min.min(value);
                max = max.max(value);
                at += native;
            }
            if count > 0.0 {
                let mut point = Map::new();
                for statistic in &statistics {
                    let (key, value) = match *statistic {
                        "Minimum" => ("minimum", min),
                        "Maximum" => ("maximum", max),
                        "Sum" => ("sum", sum),
                        "Average" => ("average", sum / count),
                        _ => ("sampleCount", count),
                    };
                    point.insert(key.to_string(), json!(value));
                }
                point.insert("timestamp".into(), json!(bucket));
                point.insert("unit".into(), json!(unit));
                data.push(Value::Object(point));
            }
            bucket += period;
        }
    }
    Ok(json!({ "metricName": metric, "metricData": data }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_deterministic_and_plausible() {
        let seed = seed_of("arn:aws:lightsail:us-west-2:111122223333:Instance/x");
        for at in [0.0, 300.0, 1_571_342_400.0] {
            let cpu = sample(seed, "CPUUtilization", at);
            assert_eq!(cpu, sample(seed, "CPUUtilization", at));
            assert!((0.0..=100.0).contains(&cpu), "{cpu}");
            assert_eq!(sample(seed, "StatusCheckFailed", at), 0.0);
            assert_eq!(sample(seed, "BurstCapacityPercentage", at), 100.0);
        }
        assert_ne!(
            sample(seed, "NetworkIn", 300.0),
            sample(seed, "NetworkIn", 600.0)
        );
    }
}
