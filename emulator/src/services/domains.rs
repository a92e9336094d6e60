//! DNS zones and their records: CreateDomain, GetDomain, GetDomains, DeleteDomain,
//! CreateDomainEntry, UpdateDomainEntry, DeleteDomainEntry.
//!
//! As on the service, domains are served only in us-east-1 (elsewhere every call answers the
//! service's `UnsupportedOperation` error) and are global resources: their ARN and location say
//! region `global` (`get-domain.rst`). A new zone holds Route 53's four name servers (`.com`,
//! `.net`, `.org`, `.co.uk`) and its SOA record, as the AWS CLI's examples show; entries are kept in
//! the zone's wire form, in creation order. An entry's `id` is a signed 32-bit number like the
//! examples' (ours: the Java string hash of the entry's name, type and target, so it is stable).
//! Every call is over at once: its operation is `Succeeded`, located `all`/`global`, and its
//! `operationType` is the call's name (the examples show `CreateDomainEntry`, which the model's enum
//! lacks).

use serde_json::{json, Value};

use crate::engine::regions::DOMAIN_REGION;
use crate::engine::{input, Ctx, NewOperation, Registry};
use crate::error::ApiError;

/// The `resourceType` (and store kind) of domains.
pub const KIND: &str = "Domain";
/// The region name of a domain's ARN and location.
pub const GLOBAL: &str = "global";
/// The record types Lightsail DNS accepts (the model's documentation of `DomainEntry.type`).
pub const ENTRY_TYPES: [&str; 8] = ["A", "AAAA", "CNAME", "MX", "NS", "SOA", "SRV", "TXT"];

pub fn register(registry: &mut Registry) {
    registry
        .add("CreateDomain", create)
        .add("GetDomain", get)
        .add("GetDomains", list)
        .add("DeleteDomain", delete)
        .add("CreateDomainEntry", create_entry)
        .add("UpdateDomainEntry", update_entry)
        .add("DeleteDomainEntry", delete_entry);
}

/// Domain calls outside us-east-1 fail as on the service.
fn check_region(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    if ctx.region.name == DOMAIN_REGION {
        Ok(())
    } else {
        Err(ApiError::domain_region())
    }
}

fn global_location() -> Value {
    json!({"availabilityZone": "all", "regionName": GLOBAL})
}

fn invalid(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

/// Java's `String.hashCode`, as a signed 32-bit decimal: the shape of the examples' entry ids.
fn entry_id(name: &str, kind: &str, target: &str) -> String {
    let text = format!("{name}|{kind}|{target}");
    let hash = text.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    });
    hash.to_string()
}

fn entry(name: &str, kind: &str, target: &str, is_alias: bool) -> Value {
    json!({
        "id": entry_id(name, kind, target),
        "name": name,
        "target": target,
        "isAlias": is_alias,
        "type": kind,
    })
}

/// The zone's starting records: four Route 53 name servers and the SOA of the first of them.
fn starting_entries(ctx: &mut Ctx<'_>, domain: &str) -> Vec<Value> {
    let mut servers = Vec::new();
    for tld in ["com", "net", "org", "co.uk"] {
        let host = 1 + ctx.ids.below(2047);
        let group = ctx.ids.below(64);
        servers.push(format!("ns-{host}.awsdns-{group:02}.{tld}"));
    }
    let mut entries: Vec<Value> = servers
        .iter()
        .map(|server| entry(domain, "NS", server, false))
        .collect();
    let soa = format!(
        "{}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400",
        servers[3]
    );
    entries.push(entry(domain, "SOA", &soa, false));
    entries
}

/// A zone's name: dot-separated labels of letters, digits, hyphens (and underscores, which DNS
/// allows), at most 253 characters.
fn check_domain_name(name: &str) -> Result<(), ApiError> {
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if name.len() > 253 || !name.contains('.') || !name.split('.').all(label_ok) {
        return Err(invalid(format!("The domain name is not valid: {name}")));
    }
    Ok(())
}

fn operation(ctx: &mut Ctx<'_>, domain: &str, details: Option<&str>) -> Result<Value, ApiError> {
    let mut new = NewOperation::succeeded(KIND, domain, global_location());
    if let Some(details) = details {
        new = new.details(details);
    }
    ctx.record(new)
}

fn create(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    check_region(ctx)?;
    let name = input::string(input, "domainName");
    check_domain_name(name)?;
    if ctx.db().exists(KIND, name)? {
        return Err(ApiError::name_in_use(name));
    }
    let uuid = ctx.ids.resource_uuid();
    let zone = ctx
        .ids
        .string_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 13);
    let entries = starting_entries(ctx, name);
    let domain = json!({
        "name": name,
        "arn": format!("arn:aws:lightsail:{GLOBAL}:{}:{KIND}/{uuid}", ctx.account),
        "supportCode": format!("{}//hostedzone/Z{zone}", ctx.account),
        "createdAt": ctx.now(),
        "location": global_location(),
        "resourceType": KIND,
        "tags": input::tags(input),
        "domainEntries": entries,
    });
    ctx.db_in(DOMAIN_REGION).insert(KIND, name, &domain)?;
    let operation = operation(ctx, name, None)?;
    Ok(json!({ "operation": operation }))
}

fn get(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    check_region(ctx)?;
    let domain = ctx
        .db_in(DOMAIN_REGION)
        .require(KIND, input::string(input, "domainName"))?;
    Ok(json!({ "domain": domain }))
}

fn list(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    check_region(ctx)?;
    Ok(ctx.page(KIND, input)?.into_output("domains"))
}

fn delete(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    check_region(ctx)?;
    let name = input::string(input, "domainName");
    if !ctx.db_in(DOMAIN_REGION).delete(KIND, name)? {
        return Err(ApiError::not_found(KIND, name));
    }
    let operation = operation(ctx, name, None)?;
    Ok(json!({ "operation": operation }))
}

/// The entry of a request, checked: a known type, a target, and a name inside the zone.
fn requested_entry(domain: &str, input: &Value) -> Result<Value, ApiError> {
    let requested = &input["domainEntry"];
    let name = requested["name"].as_str().unwrap_or("");
    let kind = requested["type"].as_str().unwrap_or("");
    let target = requested["target"].as_str().unwrap_or("");
    if !ENTRY_TYPES.contains(&kind) {
        return Err(invalid(format!(
            "The domain entry type must be one of {}: {kind}",
            ENTRY_TYPES.join(", ")
        )));
    }
    if target.is_empty() {
        return Err(invalid("The domain entry must have a target".to_string()));
    }
    let inside = name.eq_ignore_ascii_case(domain)
        || name
            .to_ascii_lowercase()
            .ends_with(&format!(".{}", domain.to_ascii_lowercase()));
    if !inside {
        return Err(invalid(format!(
            "The domain entry name must be the domain or one of its subdomains ({domain}): {name}"
        )));
    }
    let is_alias = requested["isAlias"].as_bool().unwrap_or(false);
    Ok(entry(name, kind, target, is_alias))
}

fn entries(domain: &Value) -> Vec<Value> {
    domain["domainEntries"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn same_record(a: &Value, b: &Value) -> bool {
    a["type"] == b["type"]
        && a["target"] == b["target"]
        && a["name"]
            .as_str()
            .unwrap_or("")
            .eq_ignore_ascii_case(b["name"].as_str().unwrap_or(""))
}

fn create_entry(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    check_region(ctx)?;
    let name = input::string(input, "domainName");
    let mut domain = ctx.db_in(DOMAIN_REGION).require(KIND, name)?;
    let new = requested_entry(name, input)?;
    let mut list = entries(&domain);
    if list.iter().any(|existing| same_record(existing, &new)) {
        return Err(invalid(format!(
            "The domain entry already exists: {} {} {}",
            new["name"].as_str().unwrap_or(""),
            new["type"].as_str().unwrap_or(""),
            new["target"].as_str().unwrap_or("")
        )));
    }
    list.push(new);
    domain["domainEntries"] = Value::Array(list);
    ctx.db_in(DOMAIN_REGION).put(KIND, name, &domain)?;
    let operation = operation(ctx, name, None)?;
    Ok(json!({ "operation": operation }))
}

/// The index of the entry a request names: by `id` when given, else by name, type and target.
fn find_entry(list: &[Value], input: &Value) -> Result<usize, ApiError> {
    let requested = &input["domainEntry"];
    let found = match requested["id"].as_str() {
        Some(id) => list.iter().position(|e| e["id"].as_str() == Some(id)),
        None => list.iter().position(|e| same_record(e, requested)),
    };
    found.ok_or_else(|| {
        let label = requested["id"]
            .as_str()
            .or_else(|| requested["name"].as_str())
            .unwrap_or("");
        ApiError::not_found("DomainEntry", label)
    })
}

fn update_entry(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    check_region(ctx)?;
    let name = input::string(input, "domainName");
    let mut domain = ctx.db_in(DOMAIN_REGION).require(KIND, name)?;
    let mut list = entries(&domain);
    let index = find_entry(&list, input)?;
    // The request's members replace the entry's; absent ones stay.
    let requested = &input["domainEntry"];
    let mut merged = list[index].clone();
    for member in ["name", "target", "type", "isAlias"] {
        if let Some(value) = requested.get(member) {
            merged[member] = value.clone();
        }
    }
    let updated = requested_entry(name, &json!({ "domainEntry": merged }))?;
    // The entry keeps its id.
    let mut updated = updated;
    updated["id"] = list[index]["id"].clone();
    list[index] = updated;
    domain["domainEntries"] = Value::Array(list);
    ctx.db_in(DOMAIN_REGION).put(KIND, name, &domain)?;
    let operation = operation(ctx, name, None)?;
    Ok(json!({ "operations": [operation] }))
}

fn delete_entry(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    check_region(ctx)?;
    let name = input::string(input, "domainName");
    let mut domain = ctx.db_in(DOMAIN_REGION).require(KIND, name)?;
    let mut list = entries(&domain);
    let index = find_entry(&list, input)?;
    list.remove(index);
    domain["domainEntries"] = Value::Array(list);
    ctx.db_in(DOMAIN_REGION).put(KIND, name, &domain)?;
    let operation = operation(ctx, name, None)?;
    Ok(json!({ "operation": operation }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_ids_are_java_string_hashes() {
        // "a".hashCode() == 97; the id text is "name|type|target".
        let expected = "a|A|b"
            .chars()
            .fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(c as i32));
        assert_eq!(entry_id("a", "A", "b"), expected.to_string());
        assert_eq!(
            entry_id("example.com", "A", "192.0.2.0"),
            entry_id("example.com", "A", "192.0.2.0")
        );
    }

    #[test]
    fn entry_names_stay_inside_the_zone() {
        let ok =
            json!({"domainEntry": {"name": "www.example.com", "type": "A", "target": "192.0.2.1"}});
        assert!(requested_entry("example.com", &ok).is_ok());
        let apex = json!({"domainEntry": {"name": "EXAMPLE.com", "type": "MX", "target": "10 mail.example.com"}});
        assert!(requested_entry("example.com", &apex).is_ok());
        let outside =
            json!({"domainEntry": {"name": "www.example.org", "type": "A", "target": "192.0.2.1"}});
        assert!(requested_entry("example.com", &outside).is_err());
        let suffix =
            json!({"domainEntry": {"name": "badexample.com", "type": "A", "target": "192.0.2.1"}});
        assert!(requested_entry("example.com", &suffix).is_err());
        let kind = json!({"domainEntry": {"name": "example.com", "type": "PTR", "target": "x"}});
        assert!(requested_entry("example.com", &kind).is_err());
    }
}
