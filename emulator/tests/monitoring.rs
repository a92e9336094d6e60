//! Monitoring on the deterministic clock: a load balancer's metrics (deterministic, within
//! CloudWatch's limits, only while it exists), alarms on it and on an instance (INSUFFICIENT_DATA ->
//! OK, updated, limited, deleted), and contact methods (email verified after a delay, SMS at once).

mod common;
#[path = "support/family.rs"]
mod family;

use common::*;
use family::*;
use lightsail_emulator::clock::SEED_EPOCH;
use lightsail_emulator::{clock, sigv4};
use serde_json::{json, Value};

fn metric(port: u16, name: &str, period: i64, start: f64, end: f64, unit: &str) -> Value {
    ok(
        port,
        "GetLoadBalancerMetricData",
        json!({"loadBalancerName": "LB-1", "metricName": name, "period": period,
               "startTime": start, "endTime": end, "unit": unit,
               "statistics": ["Sum", "SampleCount", "Average", "Minimum", "Maximum"]}),
    )
}

#[test]
fn load_balancer_metrics() {
    let emulator = emulator(&["WordPress-1"], &[]);
    let port = emulator.port();
    ok(
        port,
        "CreateLoadBalancer",
        json!({"loadBalancerName": "LB-1", "instancePort": 80}),
    );
    let hour = (SEED_EPOCH / 3600.0).floor() * 3600.0;
    // A new load balancer on a frozen clock has no data yet.
    let none = metric(port, "HealthyHostCount", 300, hour, hour + 3600.0, "Count");
    assert_eq!(
        none,
        json!({"metricName": "HealthyHostCount", "metricData": []})
    );

    ok(
        port,
        "AttachInstancesToLoadBalancer",
        json!({"loadBalancerName": "LB-1", "instanceNames": ["WordPress-1"]}),
    );
    advance(port, 7200.0);
    let hosts = metric(
        port,
        "HealthyHostCount",
        300,
        hour - 3600.0,
        hour + 3600.0,
        "Count",
    );
    let points = hosts["metricData"].as_array().unwrap();
    // Only from the period holding the creation on.
    assert_eq!(points.len(), 12);
    assert_eq!(points[0]["timestamp"], json!(hour));
    assert_eq!(
        points[0],
        json!({"average": 1.0, "maximum": 1.0, "minimum": 1.0, "sampleCount": 5.0, "sum": 5.0,
               "timestamp": hour, "unit": "Count"})
    );
    let requests = metric(port, "RequestCount", 3600, hour, hour + 7200.0, "Count");
    assert_eq!(
        requests,
        metric(port, "RequestCount", 3600, hour, hour + 7200.0, "Count"),
        "the same question, the same answer"
    );
    let total = requests["metricData"][0]["sum"].as_f64().unwrap();
    assert!((300.0..=1500.0).contains(&total), "{total}");
    assert_eq!(requests["metricData"][0]["average"], 1.0);
    let codes: f64 = ["2XX", "3XX", "4XX", "5XX"]
        .iter()
        .filter_map(|c| {
            metric(
                port,
                &format!("HTTPCode_Instance_{c}_Count"),
                3600,
                hour,
                hour + 3600.0,
                "Count",
            )["metricData"][0]["sum"]
                .as_f64()
        })
        .sum();
    assert_eq!(codes, total);
    let latency = metric(
        port,
        "InstanceResponseTime",
        60,
        hour,
        hour + 300.0,
        "Seconds",
    );
    let point = &latency["metricData"][0];
    assert!(point["minimum"].as_f64() < point["average"].as_f64());
    assert!(point["average"].as_f64() < point["maximum"].as_f64());
    // Another unit than the published one matches nothing.
    assert_eq!(
        metric(
            port,
            "InstanceResponseTime",
            60,
            hour,
            hour + 300.0,
            "Milliseconds"
        )["metricData"],
        json!([])
    );
    // Only the requested statistics.
    let only_sum = ok(
        port,
        "GetLoadBalancerMetricData",
        json!({"loadBalancerName": "LB-1", "metricName": "RequestCount", "period": 3600,
               "startTime": hour, "endTime": hour + 3600.0, "unit": "Count", "statistics": ["Sum"]}),
    );
    assert_eq!(
        only_sum["metricData"][0],
        json!({"sum": total, "timestamp": hour, "unit": "Count"})
    );

    // CloudWatch's limits, with its messages.
    assert_eq!(
        fails(
            port,
            "GetLoadBalancerMetricData",
            json!({"loadBalancerName": "LB-1", "metricName": "RequestCount", "period": 90,
                   "startTime": hour, "endTime": hour + 3600.0, "unit": "Count", "statistics": ["Sum"]})
        ),
        (
            "InvalidInputException".into(),
            "The parameter Period must be a multiple of 60.".into()
        )
    );
    assert_eq!(
        fails(
            port,
            "GetLoadBalancerMetricData",
            json!({"loadBalancerName": "LB-1", "metricName": "RequestCount", "period": 60,
                   "startTime": hour, "endTime": hour, "unit": "Count", "statistics": ["Sum"]})
        )
        .1,
        "The parameter StartTime must be less than the parameter EndTime."
    );
    assert_eq!(
        fails(
            port,
            "GetLoadBalancerMetricData",
            json!({"loadBalancerName": "LB-1", "metricName": "RequestCount", "period": 60,
                   "startTime": hour, "endTime": hour + 1441.0 * 60.0, "unit": "Count", "statistics": ["Sum"]})
        )
        .1,
        "You have requested up to 1,441 datapoints, which exceeds the limit of 1,440. You may reduce \
         the datapoints requested by increasing Period, or decreasing the time range."
    );
    assert_eq!(
        metric(
            port,
            "RequestCount",
            60,
            hour,
            hour + 1440.0 * 60.0,
            "Count"
        )["metricData"]
            .as_array()
            .unwrap()
            .len(),
        121,
        "1,440 are allowed; only the minutes from the creation to now have data"
    );
}

fn alarm(name: &str, metric: &str, resource: &str) -> Value {
    json!({"alarmName": name, "metricName": metric, "monitoredResourceName": resource,
           "comparisonOperator": "GreaterThanOrEqualToThreshold", "threshold": 1,
           "evaluationPeriods": 3})
}

#[test]
fn alarms_watch_instances_and_load_balancers() {
    let emulator = emulator(&["WordPress-1"], &[("Alarm", 300.0)]);
    let port = emulator.port();
    ok(
        port,
        "CreateLoadBalancer",
        json!({"loadBalancerName": "LB-1", "instancePort": 80}),
    );
    let put = ok(
        port,
        "PutAlarm",
        alarm("lb-unhealthy", "UnhealthyHostCount", "LB-1"),
    );
    assert_eq!(put["operations"][0]["operationType"], "PutAlarm");
    assert_eq!(put["operations"][0]["status"], "Succeeded");
    let lb_arn = ok(port, "GetLoadBalancer", json!({"loadBalancerName": "LB-1"}))["loadBalancer"]
        ["arn"]
        .clone();
    let stored = ok(port, "GetAlarms", json!({"alarmName": "lb-unhealthy"}))["alarms"][0].clone();
    assert_eq!(stored["state"], "INSUFFICIENT_DATA");
    assert_eq!(
        stored["monitoredResourceInfo"],
        json!({"arn": lb_arn, "name": "LB-1", "resourceType": "LoadBalancer"})
    );
    assert_eq!(
        (&stored["statistic"], &stored["unit"], &stored["period"]),
        (&json!("Average"), &json!("Count"), &json!(300))
    );
    assert_eq!(stored["datapointsToAlarm"], 3);
    assert_eq!(stored["treatMissingData"], "missing");
    assert_eq!(stored["notificationTriggers"], json!(["ALARM"]));
    assert_eq!(stored["notificationEnabled"], true);
    assert_eq!(stored["threshold"], json!(1.0));
    advance(port, 300.0);
    let evaluated =
        ok(port, "GetAlarms", json!({"alarmName": "lb-unhealthy"}))["alarms"][0].clone();
    assert_eq!(evaluated["state"], "OK");

    // An update overwrites the configuration and keeps the state and creation time.
    let mut update = alarm("lb-unhealthy", "UnhealthyHostCount", "LB-1");
    update["threshold"] = json!(2.5);
    update["datapointsToAlarm"] = json!(2);
    ok(port, "PutAlarm", update);
    let updated = ok(port, "GetAlarms", json!({"alarmName": "lb-unhealthy"}))["alarms"][0].clone();
    assert_eq!(updated["threshold"], json!(2.5));
    assert_eq!(updated["datapointsToAlarm"], 2);
    assert_eq!(updated["state"], "OK");
    assert_eq!(updated["createdAt"], stored["createdAt"]);
    assert_eq!(updated["arn"], stored["arn"]);

    // Two per metric of a resource; metrics must fit the resource type; rules of the model.
    ok(
        port,
        "PutAlarm",
        alarm("lb-unhealthy-2", "UnhealthyHostCount", "LB-1"),
    );
    assert_eq!(
        fails(
            port,
            "PutAlarm",
            alarm("lb-unhealthy-3", "UnhealthyHostCount", "LB-1")
        )
        .0,
        "OperationFailureException"
    );
    assert_eq!(
        fails(port, "PutAlarm", alarm("alarm-x", "CPUUtilization", "LB-1")).0,
        "InvalidInputException"
    );
    let mut bad = alarm("alarm-x", "CPUUtilization", "WordPress-1");
    bad["notificationTriggers"] = json!(["OK"]);
    assert_eq!(fails(port, "PutAlarm", bad).0, "InvalidInputException");
    let mut bad = alarm("alarm-x", "CPUUtilization", "WordPress-1");
    bad["evaluationPeriods"] = json!(289);
    assert_eq!(fails(port, "PutAlarm", bad).0, "InvalidInputException");
    assert_eq!(
        fails(
            port,
            "PutAlarm",
            alarm("alarm-x", "CPUUtilization", "Nothing-1")
        ),
        (
            "NotFoundException".into(),
            "The Resource does not exist: Nothing-1".into()
        )
    );

    let cpu = ok(
        port,
        "PutAlarm",
        alarm("cpu", "CPUUtilization", "WordPress-1"),
    );
    assert_eq!(cpu["operations"][0]["resourceName"], "cpu");
    let instance_alarms = ok(
        port,
        "GetAlarms",
        json!({"monitoredResourceName": "WordPress-1"}),
    );
    let alarms = instance_alarms["alarms"].as_array().unwrap();
    assert_eq!(alarms.len(), 1);
    assert_eq!(
        (&alarms[0]["statistic"], &alarms[0]["unit"]),
        (&json!("Average"), &json!("Percent"))
    );
    assert_eq!(
        ok(port, "GetAlarms", json!({}))["alarms"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    let tested = ok(
        port,
        "TestAlarm",
        json!({"alarmName": "cpu", "state": "ALARM"}),
    );
    assert_eq!(tested["operations"][0]["operationType"], "TestAlarm");
    ok(port, "DeleteAlarm", json!({"alarmName": "cpu"}));
    assert_eq!(
        fails(port, "GetAlarms", json!({"alarmName": "cpu"})).0,
        "NotFoundException"
    );
    assert_eq!(
        fails(
            port,
            "TestAlarm",
            json!({"alarmName": "cpu", "state": "OK"})
        )
        .0,
        "NotFoundException"
    );
}

#[test]
fn contact_methods_one_per_protocol() {
    let emulator = emulator(&["WordPress-1"], &[("ContactMethod", 600.0)]);
    let port = emulator.port();
    ok(
        port,
        "CreateContactMethod",
        json!({"protocol": "Email", "contactEndpoint": "someone@example.com"}),
    );
    let created = ok(
        port,
        "CreateContactMethod",
        json!({"protocol": "SMS", "contactEndpoint": "+12065550100"}),
    );
    assert_eq!(created["operations"][0]["resourceType"], "ContactMethod");
    let methods = ok(port, "GetContactMethods", json!({}))["contactMethods"].clone();
    let status: Vec<(&Value, &Value)> = methods
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (&m["protocol"], &m["status"]))
        .collect();
    assert_eq!(
        status,
        [
            (&json!("Email"), &json!("PendingVerification")),
            (&json!("SMS"), &json!("Valid"))
        ]
    );
    assert_eq!(
        fails(
            port,
            "CreateContactMethod",
            json!({"protocol": "Email", "contactEndpoint": "other@example.com"})
        )
        .0,
        "OperationFailureException"
    );
    for (protocol, endpoint) in [("Email", "not-an-address"), ("SMS", "2065550100")] {
        assert_eq!(
            fails(
                port,
                "CreateContactMethod",
                json!({"protocol": protocol, "contactEndpoint": endpoint})
            )
            .0,
            "InvalidInputException"
        );
    }
    // SMS is not offered in every region.
    let mut request = lightsail_request(
        port,
        "CreateContactMethod",
        r#"{"protocol": "SMS", "contactEndpoint": "+12065550100"}"#,
    );
    sigv4::sign(
        &mut request,
        KEY_ID,
        SECRET,
        "ca-central-1",
        &clock::amz_date(clock::real_now() as i64),
    );
    assert_eq!(send(port, &request).error_code(), "InvalidInputException");

    advance(port, 600.0);
    let email =
        ok(port, "GetContactMethods", json!({"protocols": ["Email"]}))["contactMethods"].clone();
    assert_eq!(email.as_array().unwrap().len(), 1);
    assert_eq!(email[0]["status"], "Valid");
    assert_eq!(email[0]["contactEndpoint"], "someone@example.com");
    ok(
        port,
        "SendContactMethodVerification",
        json!({"protocol": "Email"}),
    );
    assert_eq!(
        ok(port, "GetContactMethods", json!({"protocols": ["Email"]}))["contactMethods"][0]
            ["status"],
        "Valid",
        "a verified address stays verified"
    );
    let deleted = ok(port, "DeleteContactMethod", json!({"protocol": "Email"}));
    assert_eq!(
        deleted["operations"][0]["operationType"],
        "DeleteContactMethod"
    );
    assert_eq!(
        fails(
            port,
            "SendContactMethodVerification",
            json!({"protocol": "Email"})
        )
        .0,
        "NotFoundException"
    );
    assert_eq!(
        ok(port, "GetContactMethods", json!({}))["contactMethods"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
