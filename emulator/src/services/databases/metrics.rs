//! GetRelationalDatabaseMetricData: deterministic datapoints for the requested window, within
//! CloudWatch's limits (`engine::metrics`).
//!
//! Every database metric is a one-minute gauge (the model's documentation), published in the unit the
//! documentation names: `CPUUtilization` Percent, `DatabaseConnections` and `DiskQueueDepth` Count,
//! `FreeStorageSpace` Bytes, the two network throughputs Bytes/Second; another unit matches no data.
//! A period has a datapoint when it overlaps the database's life so far (creation to now on the
//! emulator clock), with one sample per minute of the overlap. The levels are ours: a lightly used
//! database — a few percent of CPU, a connection or so, an almost empty disk queue, free space that
//! shrinks slowly from the bundle's disk (GiB) as data grows, a few kilobytes a second of traffic.
//! Datapoints come in time order.

use serde_json::{json, Value};

use crate::engine::metrics::{uniform, Statistics, Window};
use crate::engine::{input, Ctx};
use crate::error::ApiError;
use crate::services::databases::KIND;

/// The unit each metric is published in.
pub fn published_unit(metric: &str) -> &'static str {
    match metric {
        "CPUUtilization" => "Percent",
        "FreeStorageSpace" => "Bytes",
        "NetworkReceiveThroughput" | "NetworkTransmitThroughput" => "Bytes/Second",
        _ => "Count",
    }
}

/// Rounds to six decimal places (the levels are synthetic; long fractions add nothing).
fn tidy(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

/// The statistics of `metric` for the database over `samples` minutes from `time`.
pub fn datapoint(database: &Value, metric: &str, time: i64, samples: f64) -> Statistics {
    let name = database["name"].as_str().unwrap_or("");
    let u = |purpose: &str| uniform(name, time, purpose);
    let (average, low, high) = match metric {
        "CPUUtilization" => (
            1.5 + 6.0 * u("cpu"),
            0.4 * u("cpu-low"),
            2.0 * u("cpu-high"),
        ),
        "DatabaseConnections" => ((150.0 * u("connections")).round() / 100.0, 1.0, 1.0),
        "DiskQueueDepth" => (0.0005 + 0.004 * u("queue"), 1.0, 3.0 * u("queue-high")),
        "FreeStorageSpace" => {
            let disk = database["hardware"]["diskSizeInGb"]
                .as_f64()
                .unwrap_or(40.0)
                * 1_073_741_824.0;
            let created = database["createdAt"].as_f64().unwrap_or(0.0);
            let days = ((time as f64 - created) / 86_400.0).max(0.0);
            // 1.5 GiB of engine files, 40 MiB more data a day, a little churn.
            let used = 1.5 * 1_073_741_824.0 + days * 41_943_040.0 + 8_388_608.0 * u("churn");
            ((disk - used).max(0.0).floor(), 0.0005, 0.0005)
        }
        "NetworkReceiveThroughput" => (400.0 + 2_000.0 * u("rx"), 0.5, 1.5 * u("rx-high")),
        _ => (1_500.0 + 4_500.0 * u("tx"), 0.5, 1.5 * u("tx-high")),
    };
    let values = if samples <= 1.0 {
        Statistics::constant(average, samples)
    } else {
        Statistics::around(average, low, high, samples)
    };
    let maximum = if metric == "CPUUtilization" {
        values.maximum.min(100.0)
    } else {
        values.maximum
    };
    Statistics {
        average: tidy(values.average),
        maximum: tidy(maximum),
        minimum: tidy(values.minimum.max(0.0)),
        sample_count: values.sample_count,
        sum: tidy(values.sum),
    }
}

pub fn get_metric_data(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let database = ctx
        .db()
        .require(KIND, input::string(input, "relationalDatabaseName"))?;
    let metric = input::string(input, "metricName");
    let window = Window::from_input(input)?;
    let mut data = Vec::new();
    if window.unit == published_unit(metric) {
        let born = database["createdAt"].as_f64().unwrap_or(0.0);
        let now = ctx.now();
        for time in window.periods() {
            let from = (time as f64).max(born);
            let to = ((time + window.period) as f64).min(now);
            if from < to {
                let samples = ((to - from) / 60.0).ceil();
                let values = datapoint(&database, metric, time, samples);
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
    fn levels_are_plausible_and_stable() {
        let db = json!({"name": "db", "createdAt": 0.0, "hardware": {"diskSizeInGb": 40}});
        let cpu = datapoint(&db, "CPUUtilization", 3600, 5.0);
        assert_eq!(cpu, datapoint(&db, "CPUUtilization", 3600, 5.0));
        assert!(cpu.minimum <= cpu.average && cpu.average <= cpu.maximum && cpu.maximum <= 100.0);
        assert_eq!(cpu.sample_count, 5.0);
        let free = datapoint(&db, "FreeStorageSpace", 86_400 * 10, 1.0);
        assert!(free.average > 30.0 * 1_073_741_824.0 && free.average < 40.0 * 1_073_741_824.0);
        assert_eq!(published_unit("NetworkTransmitThroughput"), "Bytes/Second");
    }
}
