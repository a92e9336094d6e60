//! GetLoadBalancerMetricData: deterministic datapoints for the requested window, period, statistics
//! and unit, within CloudWatch's limits.
//!
//! Limits and messages are CloudWatch's (Lightsail's metrics are CloudWatch metrics): the period is a
//! multiple of 60 seconds (the model allows 60 to 86,400), the start is before the end, and one
//! request returns at most 1,440 datapoints. A unit other than the metric's published one (the
//! model's documentation: `Seconds` for `InstanceResponseTime`, `Count` for the rest) matches no data
//! and answers an empty list, as CloudWatch does.
//!
//! Datapoints start at the window's start rounded down to the minute, one per period, and exist only
//! while the load balancer does (from its creation to now, on the emulator clock), so a fresh load
//! balancer on a frozen clock has none until the clock moves. Values are a pure function of the load
//! balancer, the metric and the datapoint's time (no id stream is drawn, so reading metrics changes
//! nothing), consistent with the load balancer's current state: the host counts are its healthy and
//! other attached instances, one sample a minute; requests flow only to healthy instances, split
//! into 2XX/3XX/4XX/5XX answers that add up; count metrics report Minimum = Maximum = Average = 1
//! (the model's documentation) and publish no datapoint for a period without events. The traffic
//! level is ours. Datapoints are in time order.

use serde_json::{json, Map, Value};

use crate::engine::{input, Ctx, Registry};
use crate::error::ApiError;
use crate::services::networking::load_balancers;

/// CloudWatch's limit on the datapoints of one request.
const MAX_DATAPOINTS: f64 = 1440.0;

pub fn register(registry: &mut Registry) {
    registry.add("GetLoadBalancerMetricData", get_metric_data);
}

/// The unit each metric is published in.
fn published_unit(metric: &str) -> &'static str {
    if metric == "InstanceResponseTime" {
        "Seconds"
    } else {
        "Count"
    }
}

fn invalid(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

/// `1440` as CloudWatch writes it: `1,440`.
fn thousands(n: u64) -> String {
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
    /// A gauge that held `value` for `samples` samples.
    fn constant(value: f64, samples: f64) -> Statistics {
        Statistics {
            average: value,
            maximum: value,
            minimum: value,
            sample_count: samples,
            sum: value * samples,
        }
    }

    /// `count` events (each counted as 1); None when there were none.
    fn events(count: f64) -> Option<Statistics> {
        (count > 0.0).then_some(Statistics {
            average: 1.0,
            maximum: 1.0,
            minimum: 1.0,
            sample_count: count,
            sum: count,
        })
    }
}

/// FNV-1a over bytes, then a SplitMix64 finish: a well-spread 64-bit hash.
fn hash(parts: &[&[u8]]) -> u64 {
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

/// A uniform number in [0, 1) for this load balancer, time and purpose.
fn uniform(load_balancer: &str, time: i64, purpose: &str) -> f64 {
    let h = hash(&[
        load_balancer.as_bytes(),
        &time.to_le_bytes(),
        purpose.as_bytes(),
    ]);
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// What the load balancer's instances look like now: (healthy, not healthy).
fn host_counts(load_balancer: &Value) -> (f64, f64) {
    let entries = load_balancer["instanceHealthSummary"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let healthy = entries
        .iter()
        .filter(|e| e["instanceHealth"] == "healthy")
        .count();
    (healthy as f64, (entries.len() - healthy) as f64)
}

/// The statistics of `metric` for the period starting at `time`, or None when nothing was published.
pub fn datapoint(
    load_balancer: &Value,
    metric: &str,
    time: i64,
    period: i64,
) -> Option<Statistics> {
    let name = load_balancer["name"].as_str().unwrap_or("");
    let samples = (period / 60) as f64;
    let (healthy, unhealthy) = host_counts(load_balancer);
    // Requests per minute to each healthy instance: 5 to 25.
    let requests = if healthy > 0.0 {
        (samples * healthy * (5.0 + 20.0 * uniform(name, time, "requests"))).floor()
    } else {
        0.0
    };
    let share =
        |purpose: &str, at_most: f64| (requests * at_most * uniform(name, time, purpose)).floor();
    let redirects = share("3xx", 0.05);
    let client_errors = share("4xx", 0.03);
    let server_errors = share("5xx", 0.005);
    match metric {
        "HealthyHostCount" => Some(Statistics::constant(healthy, samples)),
        "UnhealthyHostCount" => Some(Statistics::constant(unhealthy, samples)),
        "RequestCount" => Statistics::events(requests),
        "HTTPCode_Instance_2XX_Count" => {
            Statistics::events(requests - redirects - client_errors - server_errors)
        }
        "HTTPCode_Instance_3XX_Count" => Statistics::events(redirects),
        "HTTPCode_Instance_4XX_Count" => Statistics::events(client_errors),
        "HTTPCode_Instance_5XX_Count" => Statistics::events(server_errors),
        "HTTPCode_LB_4XX_Count" => Statistics::events(share("lb4xx", 0.01)),
        "HTTPCode_LB_5XX_Count" => Statistics::events(if healthy > 0.0 {
            0.0
        } else {
            (samples * 3.0 * uniform(name, time, "lb5xx")).floor()
        }),
        "ClientTLSNegotiationErrorCount" if load_balancer["protocol"] == "HTTP_HTTPS" => {
            Statistics::events(share("tls", 0.002))
        }
        "InstanceResponseTime" if requests > 0.0 => {
            let average = 0.004 + 0.02 * uniform(name, time, "latency");
            Some(Statistics {
                average,
                maximum: average * (3.0 + uniform(name, time, "max")),
                minimum: average * (0.2 + 0.2 * uniform(name, time, "min")),
                sample_count: requests,
                sum: average * requests,
            })
        }
        _ => None,
    }
}

fn get_metric_data(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let load_balancer = ctx.db().require(
        load_balancers::KIND,
        input::string(input, "loadBalancerName"),
    )?;
    let metric = input::string(input, "metricName");
    let period = input::integer(input, "period").unwrap_or(60);
    let start = input
        .get("startTime")
        .and_then(Value::as_f64)
        .unwrap_or(0.0);
    let end = input.get("endTime").and_then(Value::as_f64).unwrap_or(0.0);
    let unit = input::string(input, "unit");
    let statistics = input::strings(input, "statistics");
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
    let requested = ((end - first as f64) / period as f64).ceil();
    if requested > MAX_DATAPOINTS {
        return Err(invalid(format!(
            "You have requested up to {} datapoints, which exceeds the limit of {}. You may reduce \
             the datapoints requested by increasing Period, or decreasing the time range.",
            thousands(requested as u64),
            thousands(MAX_DATAPOINTS as u64)
        )));
    }
    let mut data = Vec::new();
    if unit == published_unit(metric) {
        let born = load_balancer["createdAt"].as_f64().unwrap_or(0.0);
        let now = ctx.now();
        let mut time = first;
        while (time as f64) < end {
            // The period overlaps the load balancer's life so far.
            let covered = (time as f64).max(born) < ((time + period) as f64).min(now);
            if let Some(values) = covered
                .then(|| datapoint(&load_balancer, metric, time, period))
                .flatten()
            {
                data.push(shape(&values, &statistics, time, unit));
            }
            time += period;
        }
    }
    Ok(json!({ "metricName": metric, "metricData": data }))
}

/// One `MetricDatapoint` with the requested statistics.
fn shape(values: &Statistics, statistics: &[&str], time: i64, unit: &str) -> Value {
    let mut point = Map::new();
    for statistic in statistics {
        let (member, value) = match *statistic {
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
    point.insert("unit".into(), json!(unit));
    Value::Object(point)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(1440), "1,440");
        assert_eq!(thousands(1441), "1,441");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn datapoints_are_deterministic_and_coherent() {
        let lb = json!({"name": "lb-1", "protocol": "HTTP", "instanceHealthSummary": [
            {"instanceName": "a", "instanceHealth": "healthy"},
            {"instanceName": "b", "instanceHealth": "initial"}]});
        let at = 1_569_866_400;
        let requests = datapoint(&lb, "RequestCount", at, 300).unwrap();
        assert_eq!(requests, datapoint(&lb, "RequestCount", at, 300).unwrap());
        assert_eq!(
            (requests.minimum, requests.maximum, requests.average),
            (1.0, 1.0, 1.0)
        );
        let parts: f64 = [
            "HTTPCode_Instance_2XX_Count",
            "HTTPCode_Instance_3XX_Count",
            "HTTPCode_Instance_4XX_Count",
            "HTTPCode_Instance_5XX_Count",
        ]
        .iter()
        .filter_map(|m| datapoint(&lb, m, at, 300))
        .map(|s| s.sum)
        .sum();
        assert_eq!(parts, requests.sum);
        let healthy = datapoint(&lb, "HealthyHostCount", at, 300).unwrap();
        assert_eq!(
            (healthy.average, healthy.sample_count, healthy.sum),
            (1.0, 5.0, 5.0)
        );
        assert_eq!(
            datapoint(&lb, "UnhealthyHostCount", at, 300)
                .unwrap()
                .average,
            1.0
        );
        let idle = json!({"name": "lb-2", "instanceHealthSummary": []});
        assert_eq!(datapoint(&idle, "RequestCount", at, 300), None);
        assert!(datapoint(&idle, "HTTPCode_LB_5XX_Count", at, 300).is_some());
    }
}
