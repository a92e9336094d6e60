//! GetLoadBalancerMetricData: deterministic datapoints for the requested window, period, statistics
//! and unit, within CloudWatch's limits.
//!
//! Limits and messages are CloudWatch's (Lightsail's metrics are CloudWatch metrics): the period is a
//! multiple of 60 seconds (the model allows 60 to 86,400), the start is before the end, and one
//! request returns at most 1,440 datapoints. A unit other than the metric's published one (the
//! model's documentation: `Seconds` for `InstanceResponseTime`, `Count` for the rest) matches no data
//! and answers an empty list, as CloudWatch does.
//!
//! Datapoints start at the window's start rounded down to the minute, one per period. Each aggregates
//! (as CloudWatch does: sums and sample counts add, extremes stay) one sample a minute for the
//! minutes of the period that overlap the load balancer's life so far (from its creation to now, on
//! the emulator clock), so finer periods add up to coarser ones, a period holding the creation or now
//! is partial, and a fresh load balancer on a frozen clock has no data until the clock moves. A
//! minute's sample is a pure function of the load balancer, the metric and the minute (no id stream is
//! drawn, so reading metrics changes nothing), consistent with the load balancer's current state: the
//! host counts are its healthy and other attached instances; requests (5 to 25 a minute per healthy
//! instance: our traffic level) reach healthy instances only and split into 2XX/3XX/4XX/5XX answers
//! that add up; with no healthy instance the load balancer answers 5XX itself; count metrics report
//! Minimum = Maximum = Average = 1 (the model's documentation) and publish no datapoint for a period
//! without events. Datapoints are in time order.

use serde_json::{json, Value};

use crate::engine::metrics::{uniform, Statistics, Window};
use crate::engine::{input, Ctx, Registry};
use crate::error::ApiError;
use crate::services::networking::load_balancers;

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

/// A period's statistics (`engine::metrics`' window, limits and datapoint shape, as for instances) built
/// from one sample a minute.
impl Statistics {
    /// One sample of a gauge.
    fn gauge(value: f64) -> Statistics {
        Statistics {
            average: value,
            maximum: value,
            minimum: value,
            sample_count: 1.0,
            sum: value,
        }
    }

    /// `count` events, each counted as 1; None when there were none.
    fn events(count: f64) -> Option<Statistics> {
        (count > 0.0).then_some(Statistics {
            average: 1.0,
            maximum: 1.0,
            minimum: 1.0,
            sample_count: count,
            sum: count,
        })
    }

    /// Both together (CloudWatch's aggregation: sums and counts add, extremes stay).
    fn merge(self, other: Statistics) -> Statistics {
        let sum = self.sum + other.sum;
        let sample_count = self.sample_count + other.sample_count;
        Statistics {
            average: sum / sample_count,
            maximum: self.maximum.max(other.maximum),
            minimum: self.minimum.min(other.minimum),
            sample_count,
            sum,
        }
    }
}

/// What the metrics depend on: the load balancer as it is now.
struct Source<'a> {
    name: &'a str,
    healthy: f64,
    unhealthy: f64,
    https: bool,
}

impl<'a> Source<'a> {
    fn of(load_balancer: &'a Value) -> Source<'a> {
        let entries = load_balancer["instanceHealthSummary"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let healthy = entries
            .iter()
            .filter(|e| e["instanceHealth"] == "healthy")
            .count();
        Source {
            name: load_balancer["name"].as_str().unwrap_or(""),
            healthy: healthy as f64,
            unhealthy: (entries.len() - healthy) as f64,
            https: load_balancer["protocol"] == "HTTP_HTTPS",
        }
    }

    /// The sample of `metric` for the minute starting at `minute`, or None when nothing happened.
    fn sample(&self, metric: &str, minute: i64) -> Option<Statistics> {
        let u = |purpose: &str| uniform(self.name, minute, purpose);
        // Requests reach healthy instances only: 5 to 25 a minute each.
        let requests = (self.healthy * (5.0 + 20.0 * u("requests"))).floor();
        let share = |purpose: &str, at_most: f64| (requests * at_most * u(purpose)).round();
        let redirects = share("3xx", 0.05);
        let client_errors = share("4xx", 0.03);
        let server_errors = share("5xx", 0.005);
        match metric {
            "HealthyHostCount" => Some(Statistics::gauge(self.healthy)),
            "UnhealthyHostCount" => Some(Statistics::gauge(self.unhealthy)),
            "RequestCount" => Statistics::events(requests),
            "HTTPCode_Instance_2XX_Count" => {
                Statistics::events(requests - redirects - client_errors - server_errors)
            }
            "HTTPCode_Instance_3XX_Count" => Statistics::events(redirects),
            "HTTPCode_Instance_4XX_Count" => Statistics::events(client_errors),
            "HTTPCode_Instance_5XX_Count" => Statistics::events(server_errors),
            "HTTPCode_LB_4XX_Count" => Statistics::events((2.0 * u("lb4xx")).floor()),
            // With no healthy instance, the load balancer answers the requests itself.
            "HTTPCode_LB_5XX_Count" if self.healthy == 0.0 => {
                Statistics::events((3.0 * u("lb5xx")).floor())
            }
            "ClientTLSNegotiationErrorCount" if self.https => {
                Statistics::events((1.2 * u("tls")).floor())
            }
            "InstanceResponseTime" if requests > 0.0 => {
                let average = 0.004 + 0.02 * u("latency");
                Some(Statistics {
                    average,
                    maximum: average * (3.0 + u("max")),
                    minimum: average * (0.2 + 0.2 * u("min")),
                    sample_count: requests,
                    sum: average * requests,
                })
            }
            _ => None,
        }
    }
}

/// The statistics of `metric` over `[from, to)` (epoch seconds), aggregated from the samples of the
/// minutes in it that overlap `[born, now)`; None when nothing was published.
pub fn aggregate(
    load_balancer: &Value,
    metric: &str,
    (from, to): (i64, i64),
    (born, now): (f64, f64),
) -> Option<Statistics> {
    let source = Source::of(load_balancer);
    let first = from.max((born / 60.0).floor() as i64 * 60);
    let mut total: Option<Statistics> = None;
    let mut minute = first;
    while minute < to && (minute as f64) < now {
        let alive = (minute as f64).max(born) < ((minute + 60) as f64).min(now);
        if let Some(sample) = alive.then(|| source.sample(metric, minute)).flatten() {
            total = Some(match total {
                Some(sum) => sum.merge(sample),
                None => sample,
            });
        }
        minute += 60;
    }
    total
}

fn get_metric_data(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let load_balancer = ctx.db().require(
        load_balancers::KIND,
        input::string(input, "loadBalancerName"),
    )?;
    let metric = input::string(input, "metricName");
    let window = Window::from_input(input)?;
    let mut data = Vec::new();
    if window.unit == published_unit(metric) {
        let life = (
            load_balancer["createdAt"].as_f64().unwrap_or(0.0),
            ctx.now(),
        );
        for time in window.periods() {
            let period = (time, time + window.period);
            if let Some(values) = aggregate(&load_balancer, metric, period, life) {
                data.push(window.datapoint(&values, time));
            }
        }
    }
    Ok(json!({ "metricName": metric, "metricData": data }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_aggregate_minutes_consistently() {
        let lb = json!({"name": "lb-1", "protocol": "HTTP", "instanceHealthSummary": [
            {"instanceName": "a", "instanceHealth": "healthy"},
            {"instanceName": "b", "instanceHealth": "initial"}]});
        let at = 1_569_866_400;
        let life = (at as f64 - 1000.0, at as f64 + 7200.0);
        let hour = aggregate(&lb, "RequestCount", (at, at + 3600), life).unwrap();
        assert_eq!(
            hour,
            aggregate(&lb, "RequestCount", (at, at + 3600), life).unwrap()
        );
        assert_eq!((hour.minimum, hour.maximum, hour.average), (1.0, 1.0, 1.0));
        let quarters: f64 = (0..4)
            .filter_map(|q| {
                aggregate(
                    &lb,
                    "RequestCount",
                    (at + q * 900, at + (q + 1) * 900),
                    life,
                )
            })
            .map(|s| s.sum)
            .sum();
        assert_eq!(
            quarters, hour.sum,
            "finer periods add up to the coarser one"
        );
        let parts: f64 = [
            "HTTPCode_Instance_2XX_Count",
            "HTTPCode_Instance_3XX_Count",
            "HTTPCode_Instance_4XX_Count",
            "HTTPCode_Instance_5XX_Count",
        ]
        .iter()
        .filter_map(|m| aggregate(&lb, m, (at, at + 3600), life))
        .map(|s| s.sum)
        .sum();
        assert_eq!(parts, hour.sum);
        let healthy = aggregate(&lb, "HealthyHostCount", (at, at + 300), life).unwrap();
        assert_eq!(
            (healthy.average, healthy.sample_count, healthy.sum),
            (1.0, 5.0, 5.0)
        );
        let unhealthy = aggregate(&lb, "UnhealthyHostCount", (at, at + 300), life).unwrap();
        assert_eq!(unhealthy.average, 1.0);
        // Only the minutes of the load balancer's life: none before, a partial period at the end.
        assert_eq!(
            aggregate(&lb, "HealthyHostCount", (at - 7200, at - 3600), life),
            None
        );
        let last = aggregate(&lb, "HealthyHostCount", (at + 7080, at + 7380), life).unwrap();
        assert_eq!(last.sample_count, 2.0);
        let latency = aggregate(&lb, "InstanceResponseTime", (at, at + 600), life).unwrap();
        assert!(latency.minimum < latency.average && latency.average < latency.maximum);
        let idle = json!({"name": "lb-2", "instanceHealthSummary": []});
        assert_eq!(
            aggregate(&idle, "RequestCount", (at, at + 3600), life),
            None
        );
        assert!(aggregate(&idle, "HTTPCode_LB_5XX_Count", (at, at + 3600), life).is_some());
    }
}
