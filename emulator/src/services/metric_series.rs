//! Metric datapoints for a requested window: the arithmetic every `Get…MetricData` call shares
//! (container services and distributions use it; any family may).
//!
//! A resource reports one sample per native interval (300 seconds for container services, 60 for
//! distributions, as the model's documentation and CloudWatch's CloudFront metrics say) from its
//! creation up to now; samples older than 14 days are gone. A sample's value is a pure function of a
//! seed (the resource's ARN and the metric) and the sample's time, so the same request gives the same
//! answer and overlapping windows agree. Each datapoint covers the period
//! `[start + k × period, start + (k + 1) × period)` and carries the requested statistics over the samples inside it; periods without
//! samples have no datapoint; datapoints are listed oldest first.
//!
//! The limits are CloudWatch's, which serves Lightsail's metrics: the period a multiple of 60, the
//! start before the end, at most 1,440 datapoints per request (CloudWatch's message). A unit other
//! than the metric's published unit matches no data, so the answer has no datapoints.

use serde_json::{json, Map, Value};

use crate::engine::clock::round_millis;
use crate::engine::ids::SplitMix64;
use crate::engine::input;
use crate::error::ApiError;

/// The most datapoints one request may ask for.
pub const MAX_DATAPOINTS: f64 = 1440.0;
/// How long samples are kept.
pub const RETENTION: f64 = 14.0 * 86_400.0;

/// The window, period and statistics of a metric request (already checked against the limits).
#[derive(Debug, Clone, PartialEq)]
pub struct Window<'a> {
    pub start: f64,
    pub end: f64,
    pub period: f64,
    pub statistics: Vec<&'a str>,
}

fn bad_input(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

impl<'a> Window<'a> {
    /// Reads `startTime`, `endTime`, `period` and `statistics` and applies CloudWatch's limits.
    pub fn from_input(input: &'a Value) -> Result<Window<'a>, ApiError> {
        let period = input::integer(input, "period").unwrap_or(300);
        let start = input
            .get("startTime")
            .and_then(Value::as_f64)
            .unwrap_or(0.0);
        let end = input.get("endTime").and_then(Value::as_f64).unwrap_or(0.0);
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
                "You have requested up to {requested} datapoints, which exceeds the limit of 1440. \
                 You may reduce the datapoints requested by increasing Period, or decreasing the time \
                 range."
            )));
        }
        Ok(Window {
            start,
            end,
            period,
            statistics: input::strings(input, "statistics"),
        })
    }

    /// The datapoints of one metric: `interval` seconds between samples, taken from `first_sample`
    /// (the resource's creation) to `now`, each valued by `sample(time)`.
    pub fn datapoints(
        &self,
        now: f64,
        first_sample: f64,
        interval: f64,
        unit: &str,
        sample: impl Fn(f64) -> f64,
    ) -> Vec<Value> {
        let first_sample = first_sample.max(now - RETENTION);
        let mut data = Vec::new();
        let mut bucket = self.start;
        while bucket < self.end {
            let from = bucket.max(first_sample);
            let to = (bucket + self.period).min(self.end).min(now);
            let mut at = (from / interval).ceil() * interval;
            let (mut count, mut sum, mut min, mut max) = (0.0, 0.0, f64::MAX, f64::MIN);
            while at < to {
                let value = sample(at);
                count += 1.0;
                sum += value;
                min = min.min(value);
                max = max.max(value);
                at += interval;
            }
            if count > 0.0 {
                let mut point = Map::new();
                for statistic in &self.statistics {
                    let (key, value) = match *statistic {
                        "Minimum" => ("minimum", min),
                        "Maximum" => ("maximum", max),
                        "Sum" => ("sum", sum),
                        "Average" => ("average", round(sum / count)),
                        _ => ("sampleCount", count),
                    };
                    point.insert(key.to_string(), json!(value));
                }
                point.insert("timestamp".into(), json!(round_millis(bucket)));
                point.insert("unit".into(), json!(unit));
                data.push(Value::Object(point));
            }
            bucket += self.period;
        }
        data
    }
}

/// Rounds to six decimals, so an average prints as a plain decimal.
pub fn round(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

/// FNV-1a: a stable 64-bit seed from text (an ARN, a metric name).
pub fn seed_of(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Uniform numbers in [0, 1) for one sample: the same seed and time give the same stream.
pub struct SampleRandom(SplitMix64);

impl SampleRandom {
    pub fn new(seed: u64, at: f64) -> SampleRandom {
        SampleRandom(SplitMix64(
            seed ^ (at as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
        ))
    }

    pub fn uniform(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(start: f64, end: f64, period: i64) -> Value {
        json!({"startTime": start, "endTime": end, "period": period,
               "statistics": ["Average", "Maximum", "SampleCount"]})
    }

    #[test]
    fn limits() {
        let bad_period = window(0.0, 600.0, 90);
        assert!(Window::from_input(&bad_period).is_err());
        let backwards = window(600.0, 0.0, 60);
        assert!(Window::from_input(&backwards).is_err());
        let too_many = window(0.0, 60.0 * 1441.0, 60);
        let error = Window::from_input(&too_many).unwrap_err();
        assert!(error
            .message()
            .unwrap()
            .starts_with("You have requested up to 1441 datapoints"));
        let just_enough = window(0.0, 60.0 * 1440.0, 60);
        assert!(Window::from_input(&just_enough).is_ok());
    }

    #[test]
    fn buckets_cover_samples_between_creation_and_now() {
        let input = window(0.0, 1200.0, 600);
        let window = Window::from_input(&input).unwrap();
        // Created at 300, now 1000: samples at 300, 360, ..., 960 (12 of them).
        let points = window.datapoints(1000.0, 300.0, 60.0, "Count", |at| at);
        assert_eq!(points.len(), 2);
        assert_eq!(points[0]["timestamp"], 0.0);
        assert_eq!(points[0]["sampleCount"], 5.0);
        assert_eq!(points[0]["maximum"], 540.0);
        assert_eq!(points[1]["timestamp"], 600.0);
        assert_eq!(points[1]["sampleCount"], 7.0);
        assert_eq!(points[1]["average"], 780.0);
        assert!(points[0].get("sum").is_none());
    }

    #[test]
    fn samples_are_reproducible() {
        let seed = seed_of("arn:aws:lightsail:us-east-1:111122223333:Distribution/x");
        assert_eq!(
            SampleRandom::new(seed, 60.0).uniform(),
            SampleRandom::new(seed, 60.0).uniform()
        );
        assert_ne!(
            SampleRandom::new(seed, 60.0).uniform(),
            SampleRandom::new(seed, 120.0).uniform()
        );
    }
}
