//! Alarms: PutAlarm, GetAlarms, DeleteAlarm, TestAlarm.
//!
//! The rules are the model's documentation: an alarm watches one metric of an instance, a load
//! balancer or a managed database (the metric must be one of that resource type's); evaluation
//! periods are five minutes, 1 to 288 of them; `datapointsToAlarm` defaults to `evaluationPeriods`
//! and cannot exceed it; `treatMissingData` defaults to `missing`, `notificationTriggers` to
//! `["ALARM"]` (and must include `ALARM`), `notificationEnabled` to true; at most two alarms per
//! metric of a resource. A new alarm is `INSUFFICIENT_DATA` and, once evaluated (the `Alarm` delay),
//! `OK`: the emulator's metrics never breach a threshold. Updating an alarm (PutAlarm with its name)
//! overwrites its configuration and keeps its state (and its tags unless new ones are given). Each
//! alarm reports the statistic and unit Lightsail publishes its metric with (the model's
//! documentation of GetInstanceMetricData, GetLoadBalancerMetricData and
//! GetRelationalDatabaseMetricData). TestAlarm answers an operation and changes no state (the banner
//! and notifications it triggers are not modelled). Every call is over at once (`Succeeded`).

use serde_json::{json, Value};

use crate::engine::{input, Ctx, NewOperation, Registry, Transition};
use crate::error::ApiError;

/// The `resourceType` (and store kind) of alarms.
pub const KIND: &str = "Alarm";

/// Every evaluation period is five minutes.
const PERIOD_SECONDS: i64 = 300;
const MAX_EVALUATION_PERIODS: i64 = 288;
const MAX_ALARMS_PER_METRIC: usize = 2;

/// The resource types alarms can watch, in the order a name is looked up.
const MONITORED_KINDS: &[&str] = &["Instance", "LoadBalancer", "RelationalDatabase"];

pub fn register(registry: &mut Registry) {
    registry
        .add("PutAlarm", put)
        .add("GetAlarms", list)
        .add("DeleteAlarm", delete)
        .add("TestAlarm", test);
}

/// `(statistic, unit)` of a metric of a resource type, or None when the type has no such metric.
fn metric_profile(kind: &str, metric: &str) -> Option<(&'static str, &'static str)> {
    let profile = match (kind, metric) {
        ("Instance", "CPUUtilization") => ("Average", "Percent"),
        ("Instance", "NetworkIn" | "NetworkOut") => ("Sum", "Bytes"),
        (
            "Instance",
            "StatusCheckFailed" | "StatusCheckFailed_Instance" | "StatusCheckFailed_System",
        ) => ("Sum", "Count"),
        ("Instance", "BurstCapacityTime") => ("Average", "Seconds"),
        ("Instance", "BurstCapacityPercentage") => ("Average", "Percent"),
        ("LoadBalancer", "HealthyHostCount" | "UnhealthyHostCount") => ("Average", "Count"),
        ("LoadBalancer", "InstanceResponseTime") => ("Average", "Seconds"),
        (
            "LoadBalancer",
            "ClientTLSNegotiationErrorCount"
            | "HTTPCode_LB_4XX_Count"
            | "HTTPCode_LB_5XX_Count"
            | "HTTPCode_Instance_2XX_Count"
            | "HTTPCode_Instance_3XX_Count"
            | "HTTPCode_Instance_4XX_Count"
            | "HTTPCode_Instance_5XX_Count"
            | "RejectedConnectionCount"
            | "RequestCount",
        ) => ("Sum", "Count"),
        ("RelationalDatabase", "CPUUtilization") => ("Average", "Percent"),
        ("RelationalDatabase", "DatabaseConnections" | "DiskQueueDepth") => ("Average", "Count"),
        ("RelationalDatabase", "FreeStorageSpace") => ("Average", "Bytes"),
        ("RelationalDatabase", "NetworkReceiveThroughput" | "NetworkTransmitThroughput") => {
            ("Average", "Bytes/Second")
        }
        _ => return None,
    };
    Some(profile)
}

fn invalid(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

/// The monitored resource: `(kind, wire form)`.
fn monitored(ctx: &Ctx<'_>, name: &str) -> Result<(&'static str, Value), ApiError> {
    for kind in MONITORED_KINDS {
        if let Some(body) = ctx.db().get(kind, name)? {
            return Ok((kind, body));
        }
    }
    Err(ApiError::not_found("Resource", name))
}

fn put(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "alarmName");
    let metric = input::string(input, "metricName");
    let resource_name = input::string(input, "monitoredResourceName");
    let evaluation_periods = input::integer(input, "evaluationPeriods").unwrap_or(1);
    let datapoints = input::integer(input, "datapointsToAlarm").unwrap_or(evaluation_periods);
    let (kind, resource) = monitored(ctx, resource_name)?;
    let Some((statistic, unit)) = metric_profile(kind, metric) else {
        return Err(invalid(format!(
            "The metric {metric} is not available for the resource type {kind}"
        )));
    };
    if !(1..=MAX_EVALUATION_PERIODS).contains(&evaluation_periods) {
        return Err(invalid(format!(
            "The evaluation periods must be from 1 to {MAX_EVALUATION_PERIODS}: {evaluation_periods}"
        )));
    }
    if !(1..=evaluation_periods).contains(&datapoints) {
        return Err(invalid(format!(
            "The datapoints to alarm must be from 1 to the evaluation periods ({evaluation_periods}): {datapoints}"
        )));
    }
    let triggers: Vec<&str> = match input.get("notificationTriggers") {
        Some(_) => input::strings(input, "notificationTriggers"),
        None => vec!["ALARM"],
    };
    if !triggers.is_empty() && !triggers.contains(&"ALARM") {
        return Err(invalid(
            "When you specify a notification trigger, the ALARM state must be specified"
                .to_string(),
        ));
    }
    let existing = ctx.db().get(KIND, name)?;
    let siblings = ctx
        .db()
        .list(KIND)?
        .into_iter()
        .filter(|alarm| {
            alarm["name"] != name
                && alarm["metricName"] == metric
                && alarm.pointer("/monitoredResourceInfo/name") == Some(&json!(resource_name))
        })
        .count();
    if siblings >= MAX_ALARMS_PER_METRIC {
        return Err(ApiError::operation_failure(format!(
            "You can configure up to {MAX_ALARMS_PER_METRIC} alarms per metric: {resource_name} already has {siblings} for {metric}"
        )));
    }
    let operation = ctx.record(NewOperation::succeeded(KIND, name, ctx.regional_location()))?;
    let configuration = json!({
        "monitoredResourceInfo": {
            "arn": resource["arn"],
            "name": resource_name,
            "resourceType": kind,
        },
        "comparisonOperator": input::string(input, "comparisonOperator"),
        "evaluationPeriods": evaluation_periods,
        "period": PERIOD_SECONDS,
        "threshold": input.get("threshold").and_then(Value::as_f64).unwrap_or(0.0),
        "datapointsToAlarm": datapoints,
        "treatMissingData": input::optional_string(input, "treatMissingData").unwrap_or("missing"),
        "statistic": statistic,
        "metricName": metric,
        "unit": unit,
        "contactProtocols": input::strings(input, "contactProtocols"),
        "notificationTriggers": triggers,
        "notificationEnabled": input.get("notificationEnabled").and_then(Value::as_bool).unwrap_or(true),
    });
    let mut alarm = match existing {
        Some(mut alarm) => {
            if input.get("tags").is_some() {
                alarm["tags"] = json!(input::tags(input));
            }
            alarm
        }
        None => {
            let arn = ctx.new_arn(KIND);
            let support_code = ctx.support_code("");
            json!({
                "name": name,
                "arn": arn,
                "createdAt": ctx.now(),
                "location": ctx.regional_location(),
                "resourceType": KIND,
                "supportCode": support_code,
                "state": "INSUFFICIENT_DATA",
                "tags": input::tags(input),
            })
        }
    };
    if let (Some(fields), Value::Object(new)) = (alarm.as_object_mut(), configuration) {
        fields.extend(new);
    }
    if ctx.db().exists(KIND, name)? {
        ctx.db().put(KIND, name, &alarm)?;
    } else {
        ctx.db().insert(KIND, name, &alarm)?;
        ctx.schedule(
            KIND,
            Transition::of(KIND, name)
                .set("/state", "OK")
                .only_if("/state", "INSUFFICIENT_DATA"),
        )?;
    }
    Ok(json!({ "operations": [operation] }))
}

fn list(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    if let Some(name) = input::optional_string(input, "alarmName") {
        let alarm = ctx.db().require(KIND, name)?;
        return Ok(json!({ "alarms": [alarm] }));
    }
    if let Some(resource) = input::optional_string(input, "monitoredResourceName") {
        // Bounded: at most two alarms per metric of a resource.
        let alarms: Vec<Value> = ctx
            .db()
            .list(KIND)?
            .into_iter()
            .filter(|alarm| alarm.pointer("/monitoredResourceInfo/name") == Some(&json!(resource)))
            .collect();
        return Ok(json!({ "alarms": alarms }));
    }
    Ok(ctx.page(KIND, input)?.into_output("alarms"))
}

fn delete(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "alarmName");
    if !ctx.db().delete(KIND, name)? {
        return Err(ApiError::not_found(KIND, name));
    }
    let operation = ctx.record(NewOperation::succeeded(KIND, name, ctx.regional_location()))?;
    Ok(json!({ "operations": [operation] }))
}

fn test(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "alarmName");
    ctx.db().require(KIND, name)?;
    let operation = ctx.record(
        NewOperation::succeeded(KIND, name, ctx.regional_location())
            .details(input::string(input, "state")),
    )?;
    Ok(json!({ "operations": [operation] }))
}
