//! What every `Get…MetricData` operation shares: the request's window checked against CloudWatch's
//! limits, the periods it covers, one `MetricDatapoint` shaped with the statistics asked for, and
//! stable pseudo-random numbers to build values from.
//!
//! Lightsail's metrics are CloudWatch metrics, so the limits and messages are CloudWatch's
//! (`GetMetricStatistics`): the period is a multiple of 60 seconds (the model allows 60 to 86,400),
//! the start is before the end, and one request covers at most 1,440 datapoints. Periods start at the
//! window's start rounded down to the minute. A unit other than the metric's published one matches no
//! data, as in CloudWatch, and answers an empty list. Values are a pure function of the resource, the
//! metric and the time ([`uniform`]): reading metrics draws no id and changes nothing, so the same
//! question always gets the same answer.

use serde_json::{json, Map, Value};

use crate::engine::input;
use crate::error::ApiError;

/// CloudWatch's limit on the datapoints of one request.
pub const MAX_DATAPOINTS: i64 = 1440;

/// The window of a metric request: `[start, end)` cut into `period`-second periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    /// The start of the first period (the request's start rounded down to the minute).
    pub first: i64,
    pub end: f64,
    pub period: i64,
    pub unit: String,
    pub statistics: Vec<String>,
}

fn invalid(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

/// `1440` as CloudWatch writes it: `1,440`.
pub fn thousands(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl Window {
    /// Reads and checks `startTime`, `endTime`, `period`, `unit` and `statistics` (validated by the
    /// model already: present, right types, period within 60..=86400).
    pub fn from_input(input: &Value) -> Result<Window, ApiError> {
        let period = input::integer(input, "period").unwrap_or(60);
        let start = input
            .get("startTime")
            .and_then(Value::as_f64)
            .unwrap_or(0.0);
        let end = input.get("endTime").and_then(Value::as_f64).unwrap_or(0.0);
        if period % 60 != 0 {
            return Err(invalid(
                "The parameter Period must be a multiple of 60.".to_string(),
            ));
        }
        if start >= end {
            return Err(invalid(
                "The parameter StartTime must be less than the parameter EndTime.".to_string(),
            ));
        }
        let first = (start / 60.0).floor() as i64 * 60;
        let requested = ((end - first as f64) / period as f64).ceil() as i64;
        if requested > MAX_DATAPOINTS {
            return Err(invalid(format!(
                "You have requested up to {} datapoints, which exceeds the limit of {}. You may \
                 reduce the datapoints requested by increasing Period, or decreasing the time range.",
                thousands(requested),
                thousands(MAX_DATAPOINTS)
            )));
        }
        Ok(Window {
            first,
            end,
            period,
            unit: input::string(input, "unit").to_string(),
            statistics: input::strings(input, "statistics")
                .into_iter()
                .map(str::to_string)
                .collect(),
        })
    }

    /// The start of every period in the window, in time order.
    pub fn periods(&self) -> impl Iterator<Item = i64> + '_ {
        let period = self.period;
        (0..)
            .map(move |n| self.first + n * period)
            .take_while(move |time| (*time as f64) < self.end)
    }

    /// One `MetricDatapoint`: the statistics asked for, the period's start, the unit.
    pub fn datapoint(&self, values: &Statistics, time: i64) -> Value {
        let mut point = Map::new();
        for statistic in &self.statistics {
            let (member, value) = match statistic.as_str() {
                "Average" => ("average", values.average),
                "Maximum" => ("maximum", values.maximum),
                "Minimum" => ("minimum", values.minimum),
                "SampleCount" => ("sampleCount", values.sample_count),
                "Sum" => ("sum", values.sum),
                _ => continue,
            };
            point.insert(member.to_string(), json!(value));
        }
        point.insert("timestamp".into(), json!(time as f64));
        point.insert("unit".into(), json!(self.unit));
        Value::Object(point)
    }
}

/// One period's statistics.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Statistics {
    pub average: f64,
    pub maximum: f64,
    pub minimum: f64,
    pub sample_count: f64,
    pub sum: f64,
}

impl Statistics {
    /// `samples` samples around `average`, spread by `low` and `high` (fractions of the average).
    pub fn around(average: f64, low: f64, high: f64, samples: f64) -> Statistics {
        Statistics {
            average,
            maximum: average * (1.0 + high),
            minimum: average * (1.0 - low),
            sample_count: samples,
            sum: average * samples,
        }
    }

    /// A value that held for every one of `samples` samples.
    pub fn constant(value: f64, samples: f64) -> Statistics {
        Statistics::around(value, 0.0, 0.0, samples)
    }
}

/// FNV-1a over the parts (each followed by a separator byte), then a SplitMix64 finish: a
/// well-spread, stable 64-bit hash.
pub fn hash(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in *part {
            h ^= u64::from(*byte);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    h ^ (h >> 31)
}

/// A uniform number in [0, 1) for this resource, time and purpose.
pub fn uniform(resource: &str, time: i64, purpose: &str) -> f64 {
    let h = hash(&[resource.as_bytes(), &time.to_le_bytes(), purpose.as_bytes()]);
    (h >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(start: f64, end: f64, period: i64) -> Result<Window, ApiError> {
        Window::from_input(&json!({
            "startTime": start, "endTime": end, "period": period,
            "unit": "Count", "statistics": ["Sum", "Average"]
        }))
    }

    #[test]
    fn limits_are_cloudwatch_s() {
        assert_eq!(thousands(1440), "1,440");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
        let error = window(0.0, 86_460.0, 60).unwrap_err();
        assert!(error.message().unwrap().contains("up to 1,441 datapoints"));
        assert!(window(0.0, 86_400.0, 60).is_ok());
        assert!(window(10.0, 10.0, 60).is_err());
        assert!(window(0.0, 600.0, 90).is_err());
    }

    #[test]
    fn periods_start_on_the_minute_and_cover_the_window() {
        let w = window(70.0, 300.0, 120).unwrap();
        assert_eq!(w.periods().collect::<Vec<_>>(), [60, 180]);
        let point = w.datapoint(&Statistics::constant(2.0, 2.0), 60);
        assert_eq!(
            point,
            json!({"sum": 4.0, "average": 2.0, "timestamp": 60.0, "unit": "Count"})
        );
        assert_eq!(uniform("a", 1, "x"), uniform("a", 1, "x"));
        assert_ne!(uniform("a", 1, "x"), uniform("a", 2, "x"));
    }
}
