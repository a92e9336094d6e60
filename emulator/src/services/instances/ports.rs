//! An instance's firewall: GetInstancePortStates, OpenInstancePublicPorts,
//! CloseInstancePublicPorts, PutInstancePublicPorts.
//!
//! The rules are the instance's `networking.ports` (`InstancePortInfo`). Opening a range and
//! protocol that already has a rule adds the new sources to it; without any source (`cidrs`,
//! `ipv6Cidrs`, `cidrListAliases`) a rule is open to every IPv4 address, and to every IPv6 address
//! when the instance has IPv6. Closing with sources removes those sources (and the rule when none
//! is left); closing without sources removes the rule. Put replaces every rule. Each call answers
//! one `Succeeded` operation whose `operationDetails` is `FROM/PROTOCOL` (the CLI's examples:
//! `22/tcp`; a range is `FROM-TO/PROTOCOL`, our wording). Port states are always `open` (the
//! model: "The port state for Lightsail instances is always open").

use serde_json::{json, Value};

use super::{wire, KIND};
use crate::engine::{input, Ctx, NewOperation, Registry};
use crate::error::ApiError;

pub fn register(registry: &mut Registry) {
    registry
        .add("GetInstancePortStates", get_port_states)
        .add("OpenInstancePublicPorts", open_ports)
        .add("CloseInstancePublicPorts", close_ports)
        .add("PutInstancePublicPorts", put_ports);
}

fn get_port_states(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "instanceName");
    let instance = ctx.db().require(KIND, name)?;
    let states: Vec<Value> = rules(&instance)
        .iter()
        .map(|rule| {
            json!({
                "fromPort": rule["fromPort"],
                "toPort": rule["toPort"],
                "protocol": rule["protocol"],
                "state": "open",
                "cidrs": rule["cidrs"],
                "ipv6Cidrs": rule["ipv6Cidrs"],
                "cidrListAliases": rule["cidrListAliases"],
            })
        })
        .collect();
    Ok(json!({ "portStates": states }))
}

fn rules(instance: &Value) -> Vec<Value> {
    instance
        .pointer("/networking/ports")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn list(value: &Value, key: &str) -> Vec<Value> {
    value[key].as_array().cloned().unwrap_or_default()
}

/// A `PortInfo` of the request, checked: `(from, to, protocol)`.
fn range(port: &Value) -> Result<(i64, i64, String), ApiError> {
    let protocol = port["protocol"].as_str().unwrap_or("tcp").to_string();
    let (from, to) = match protocol.as_str() {
        "all" => (
            port["fromPort"].as_i64().unwrap_or(0),
            port["toPort"].as_i64().unwrap_or(65535),
        ),
        _ => (
            port["fromPort"].as_i64().unwrap_or(0),
            port["toPort"].as_i64().unwrap_or(0),
        ),
    };
    if matches!(protocol.as_str(), "tcp" | "udp" | "all") && (from < 0 || to < 0 || from > to) {
        return Err(ApiError::invalid_input(
            "InvalidInput",
            format!(
                "The port range is not valid: fromPort {from} must be between 0 and toPort {to}"
            ),
        ));
    }
    Ok((from, to, protocol))
}

fn details(from: i64, to: i64, protocol: &str) -> String {
    if from == to {
        format!("{from}/{protocol}")
    } else {
        format!("{from}-{to}/{protocol}")
    }
}

fn same_range(rule: &Value, from: i64, to: i64, protocol: &str) -> bool {
    rule["fromPort"] == from && rule["toPort"] == to && rule["protocol"] == protocol
}

/// The sources a request names, with the defaults when it names none: `(cidrs, ipv6, aliases)`.
fn sources(port: &Value, instance: &Value) -> (Vec<Value>, Vec<Value>, Vec<Value>) {
    let (cidrs, ipv6, aliases) = (
        list(port, "cidrs"),
        list(port, "ipv6Cidrs"),
        list(port, "cidrListAliases"),
    );
    if cidrs.is_empty() && ipv6.is_empty() && aliases.is_empty() {
        let with_ipv6 = instance["ipAddressType"] != "ipv4";
        let with_ipv4 = instance["ipAddressType"] != "ipv6";
        (
            if with_ipv4 {
                vec![json!("0.0.0.0/0")]
            } else {
                vec![]
            },
            if with_ipv6 {
                vec![json!("::/0")]
            } else {
                vec![]
            },
            vec![],
        )
    } else {
        (cidrs, ipv6, aliases)
    }
}

fn union(mut into: Vec<Value>, more: Vec<Value>) -> Vec<Value> {
    for value in more {
        if !into.contains(&value) {
            into.push(value);
        }
    }
    into
}

fn rule(
    from: i64,
    to: i64,
    protocol: &str,
    sources: (Vec<Value>, Vec<Value>, Vec<Value>),
) -> Value {
    wire::port_entry(from, to, protocol, sources.0, sources.1, sources.2)
}

fn answer(
    ctx: &mut Ctx<'_>,
    name: &str,
    instance: &Value,
    new_rules: Vec<Value>,
    details: Option<String>,
) -> Result<Value, ApiError> {
    ctx.db().update(KIND, name, |instance| {
        instance["networking"]["ports"] = Value::Array(new_rules);
    })?;
    let location = instance.get("location").cloned().unwrap_or(Value::Null);
    let mut operation = NewOperation::succeeded(KIND, name, location);
    if let Some(details) = details {
        operation = operation.details(&details);
    }
    let operation = ctx.record(operation)?;
    Ok(json!({ "operation": operation }))
}

fn open_ports(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "instanceName");
    let instance = ctx.db().require(KIND, name)?;
    let port = &input["portInfo"];
    let (from, to, protocol) = range(port)?;
    let (cidrs, ipv6, aliases) = sources(port, &instance);
    let mut new_rules = rules(&instance);
    match new_rules
        .iter_mut()
        .find(|r| same_range(r, from, to, &protocol))
    {
        Some(existing) => {
            *existing = rule(
                from,
                to,
                &protocol,
                (
                    union(list(existing, "cidrs"), cidrs),
                    union(list(existing, "ipv6Cidrs"), ipv6),
                    union(list(existing, "cidrListAliases"), aliases),
                ),
            )
        }
        None => new_rules.push(rule(from, to, &protocol, (cidrs, ipv6, aliases))),
    }
    answer(
        ctx,
        name,
        &instance,
        new_rules,
        Some(details(from, to, &protocol)),
    )
}

fn close_ports(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "instanceName");
    let instance = ctx.db().require(KIND, name)?;
    let port = &input["portInfo"];
    let (from, to, protocol) = range(port)?;
    let named = ["cidrs", "ipv6Cidrs", "cidrListAliases"]
        .iter()
        .any(|key| !list(port, key).is_empty());
    let mut new_rules = Vec::new();
    for existing in rules(&instance) {
        if !same_range(&existing, from, to, &protocol) {
            new_rules.push(existing);
            continue;
        }
        if !named {
            continue;
        }
        let minus = |key: &str| -> Vec<Value> {
            let gone = list(port, key);
            list(&existing, key)
                .into_iter()
                .filter(|v| !gone.contains(v))
                .collect()
        };
        let left = (minus("cidrs"), minus("ipv6Cidrs"), minus("cidrListAliases"));
        if !(left.0.is_empty() && left.1.is_empty() && left.2.is_empty()) {
            new_rules.push(rule(from, to, &protocol, left));
        }
    }
    answer(
        ctx,
        name,
        &instance,
        new_rules,
        Some(details(from, to, &protocol)),
    )
}

fn put_ports(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "instanceName");
    let instance = ctx.db().require(KIND, name)?;
    let mut new_rules: Vec<Value> = Vec::new();
    for port in input["portInfos"].as_array().into_iter().flatten() {
        let (from, to, protocol) = range(port)?;
        let (cidrs, ipv6, aliases) = sources(port, &instance);
        match new_rules
            .iter_mut()
            .find(|r| same_range(r, from, to, &protocol))
        {
            Some(existing) => {
                *existing = rule(
                    from,
                    to,
                    &protocol,
                    (
                        union(list(existing, "cidrs"), cidrs),
                        union(list(existing, "ipv6Cidrs"), ipv6),
                        union(list(existing, "cidrListAliases"), aliases),
                    ),
                )
            }
            None => new_rules.push(rule(from, to, &protocol, (cidrs, ipv6, aliases))),
        }
    }
    answer(ctx, name, &instance, new_rules, None)
}
