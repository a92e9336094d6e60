//! Endpoint resolution as botocore 1.43.11 does it: its endpoint rule sets and partitions data, vendored
//! unmodified in `model/` (`endpoint-rule-set-1.json` for Lightsail, `sts-endpoint-rule-set-1.json` for the
//! STS call of assume-role profiles, `partitions.json`), evaluated by a small interpreter of the rules
//! language (`isSet`, `booleanEquals`, `stringEquals`, `not`, `getAttr`, `aws.partition`, templates such
//! as `https://lightsail-fips.{Region}.{PartitionResult#dnsSuffix}`). Nothing here is written per region
//! or per partition: FIPS, dual-stack, every partition (`us-iso-east-1` under `c2s.ic.gov`, ...) and STS's
//! legacy global endpoint all come from the data.
//!
//! The rule set is read only when a call needs it (no `--endpoint-url` or configured endpoint), so the
//! usual loopback calls pay nothing for it. botocore's inputs around the rules are here too: the `fips-`
//! pseudo regions ([`normalize_fips_region`]) and which regions use STS's global endpoint under
//! `sts_regional_endpoints = legacy` ([`LEGACY_GLOBAL_STS_REGIONS`]).

use crate::python::json_decode;
use crate::python::value::{Map, Value};

const LIGHTSAIL_RULES: &str = include_str!("../../model/endpoint-rule-set-1.json");
const STS_RULES: &str = include_str!("../../model/sts-endpoint-rule-set-1.json");
const PARTITIONS: &str = include_str!("../../model/partitions.json");

/// botocore's `LEGACY_GLOBAL_STS_REGIONS`: with `sts_regional_endpoints = legacy` these use
/// `sts.amazonaws.com`.
pub const LEGACY_GLOBAL_STS_REGIONS: &[&str] = &[
    "ap-northeast-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "aws-global",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/// A member of a JSON object (`None` for anything else).
trait Get {
    fn get(&self, key: &str) -> Option<&Value>;
}

impl Get for Value {
    fn get(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|map| map.get(key))
    }
}

/// Which service's rule set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Lightsail,
    Sts,
}

/// The rule set's parameters (its built-ins).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EndpointParams {
    pub region: Option<String>,
    pub use_fips: bool,
    pub use_dual_stack: bool,
    pub endpoint: Option<String>,
    /// STS only: `AWS::STS::UseGlobalEndpoint`.
    pub use_global_endpoint: bool,
}

/// botocore's `_normalize_fips_region`: `fips-REGION` and `REGION-fips` are REGION with FIPS turned on.
pub fn normalize_fips_region(region: &str) -> (String, bool) {
    let normalized = region.replace("fips-", "").replace("-fips", "");
    let changed = normalized != region;
    (normalized, changed)
}

/// The endpoint URL the rules give, or the rule set's error message.
pub fn resolve(service: Service, params: &EndpointParams) -> Result<String, String> {
    let text = match service {
        Service::Lightsail => LIGHTSAIL_RULES,
        Service::Sts => STS_RULES,
    };
    let ruleset = json_decode::loads(text).map_err(|e| format!("endpoint rule set: {e}"))?;
    let partitions = json_decode::loads(PARTITIONS).map_err(|e| format!("partitions: {e}"))?;
    let mut scope = Map::new();
    let mut set = |name: &str, value: Value| {
        scope.insert(name.to_string(), value);
    };
    set(
        "Region",
        params
            .region
            .clone()
            .map_or(Value::Null, |s| Value::String(s.into())),
    );
    set("UseFIPS", Value::Bool(params.use_fips));
    set("UseDualStack", Value::Bool(params.use_dual_stack));
    set(
        "Endpoint",
        params
            .endpoint
            .clone()
            .map_or(Value::Null, |s| Value::String(s.into())),
    );
    if service == Service::Sts {
        set("UseGlobalEndpoint", Value::Bool(params.use_global_endpoint));
    }
    let evaluator = Evaluator {
        partitions: &partitions,
    };
    let rules = ruleset
        .get("rules")
        .and_then(Value::as_array)
        .ok_or("no rules")?;
    match evaluator.rules(rules, &scope)? {
        Some(url) => Ok(url),
        None => Err("No endpoint found for the given parameters".into()),
    }
}

struct Evaluator<'a> {
    partitions: &'a Value,
}

impl Evaluator<'_> {
    /// The first rule whose conditions hold decides: an endpoint, an error, or its own sub-rules.
    fn rules(&self, rules: &[Value], scope: &Map) -> Result<Option<String>, String> {
        for rule in rules {
            let mut local = scope.clone();
            let conditions = rule
                .get("conditions")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            if !self.conditions(conditions, &mut local)? {
                continue;
            }
            match rule.get("type").and_then(Value::as_str) {
                Some("endpoint") => {
                    let url = rule
                        .get("endpoint")
                        .and_then(|e| e.get("url"))
                        .ok_or("no url")?;
                    return match self.expr(url, &local)? {
                        Value::String(s) => Ok(Some(s.into())),
                        _ => Err("endpoint url is not a string".into()),
                    };
                }
                Some("error") => {
                    let error = rule.get("error").ok_or("no error")?;
                    return match self.expr(error, &local)? {
                        Value::String(s) => Err(s.into()),
                        _ => Err("endpoint error is not a string".into()),
                    };
                }
                Some("tree") => {
                    let sub = rule
                        .get("rules")
                        .and_then(Value::as_array)
                        .ok_or("no rules")?;
                    if let Some(url) = self.rules(sub, &local)? {
                        return Ok(Some(url));
                    }
                }
                _ => return Err("unknown rule type".into()),
            }
        }
        Ok(None)
    }

    fn conditions(&self, conditions: &[Value], scope: &mut Map) -> Result<bool, String> {
        for condition in conditions {
            let value = self.call(condition, scope)?;
            let holds = !matches!(value, Value::Null | Value::Bool(false));
            if !holds {
                return Ok(false);
            }
            if let Some(name) = condition.get("assign").and_then(Value::as_str) {
                scope.insert(name.to_string(), value);
            }
        }
        Ok(true)
    }

    /// An argument: a literal (strings are templates), a `{"ref": name}`, or a function call.
    fn expr(&self, expr: &Value, scope: &Map) -> Result<Value, String> {
        match expr {
            Value::String(template) => Ok(Value::String(self.template(template, scope)?.into())),
            Value::Object(map) if map.contains_key("ref") => {
                let name = map.get("ref").and_then(Value::as_str).unwrap_or_default();
                Ok(scope.get(name).cloned().unwrap_or(Value::Null))
            }
            Value::Object(map) if map.contains_key("fn") => self.call(expr, scope),
            other => Ok(other.clone()),
        }
    }

    fn call(&self, call: &Value, scope: &Map) -> Result<Value, String> {
        let name = call.get("fn").and_then(Value::as_str).unwrap_or_default();
        let args: Vec<Value> = call
            .get("argv")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|a| self.expr(a, scope))
            .collect::<Result<_, _>>()?;
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Null);
        Ok(match name {
            "isSet" => Value::Bool(!matches!(arg(0), Value::Null)),
            "not" => Value::Bool(matches!(arg(0), Value::Null | Value::Bool(false))),
            "booleanEquals" | "stringEquals" => Value::Bool(arg(0) == arg(1)),
            "getAttr" => get_attr(&arg(0), arg(1).as_str().unwrap_or_default()),
            "aws.partition" => match arg(0) {
                Value::String(region) => self.partition(&region),
                _ => Value::Null,
            },
            other => return Err(format!("unsupported rule function {other}")),
        })
    }

    /// `aws.partition(region)`: the first partition listing the region or matching its pattern, else the
    /// first partition; its `outputs` with `name` set to its id.
    fn partition(&self, region: &str) -> Value {
        let partitions = self
            .partitions
            .get("partitions")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let matches = |p: &Value| {
            p.get("regions")
                .and_then(Value::as_object)
                .is_some_and(|r| r.contains_key(region))
                || p.get("regionRegex")
                    .and_then(Value::as_str)
                    .and_then(|re| regex_lite::Regex::new(re).ok())
                    .is_some_and(|re| re.is_match(region))
        };
        let Some(partition) = partitions
            .iter()
            .find(|p| matches(p))
            .or(partitions.first())
        else {
            return Value::Null;
        };
        let mut outputs = partition
            .get("outputs")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if let Some(id) = partition.get("id") {
            outputs.insert("name", id.clone());
        }
        Value::Object(outputs)
    }

    /// `{Name}` and `{Name#attr}` in a string.
    fn template(&self, template: &str, scope: &Map) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let end = rest[start..].find('}').ok_or("unclosed template")? + start;
            let reference = &rest[start + 1..end];
            let value = match reference.split_once('#') {
                Some((name, path)) => get_attr(scope.get(name).unwrap_or(&Value::Null), path),
                None => scope.get(reference).cloned().unwrap_or(Value::Null),
            };
            match value {
                Value::String(s) => out.push_str(&s),
                Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
                _ => return Err(format!("template {reference} is not set")),
            }
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// `getAttr(value, "a.b[0]")`.
fn get_attr(value: &Value, path: &str) -> Value {
    let mut current = value.clone();
    for part in path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((k, i)) => (k, i.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        if !key.is_empty() {
            current = current.get(key).cloned().unwrap_or(Value::Null);
        }
        if let Some(i) = index {
            current = current
                .as_array()
                .and_then(|a| a.get(i))
                .cloned()
                .unwrap_or(Value::Null);
        }
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(service: Service, region: &str, fips: bool, dual: bool, global: bool) -> String {
        let params = EndpointParams {
            region: Some(region.into()),
            use_fips: fips,
            use_dual_stack: dual,
            endpoint: None,
            use_global_endpoint: global,
        };
        resolve(service, &params).unwrap_or_else(|e| format!("!{e}"))
    }

    /// Expected URLs are what botocore 1.43.11 chose (tests/conformance/expected/endpoints/).
    #[test]
    fn lightsail_partitions_fips_and_dualstack() {
        let l = Service::Lightsail;
        assert_eq!(
            url(l, "us-west-2", false, false, false),
            "https://lightsail.us-west-2.amazonaws.com"
        );
        assert_eq!(
            url(l, "cn-north-1", false, false, false),
            "https://lightsail.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            url(l, "us-iso-east-1", false, false, false),
            "https://lightsail.us-iso-east-1.c2s.ic.gov"
        );
        assert_eq!(
            url(l, "mars-west-1", false, false, false),
            "https://lightsail.mars-west-1.amazonaws.com"
        );
        assert_eq!(
            url(l, "us-west-2", true, true, false),
            "https://lightsail-fips.us-west-2.api.aws"
        );
        assert_eq!(
            url(l, "cn-north-1", false, true, false),
            "https://lightsail.cn-north-1.api.amazonwebservices.com.cn"
        );
    }

    #[test]
    fn sts_global_and_regional() {
        let s = Service::Sts;
        assert_eq!(
            url(s, "us-west-2", false, false, true),
            "https://sts.amazonaws.com"
        );
        assert_eq!(
            url(s, "us-west-2", false, false, false),
            "https://sts.us-west-2.amazonaws.com"
        );
        assert_eq!(
            url(s, "us-west-2", true, false, true),
            "https://sts-fips.us-west-2.amazonaws.com"
        );
        assert_eq!(
            url(s, "aws-global", false, false, false),
            "https://sts.amazonaws.com"
        );
        assert_eq!(
            normalize_fips_region("fips-us-east-1"),
            ("us-east-1".into(), true)
        );
        assert_eq!(
            normalize_fips_region("us-gov-west-1-fips"),
            ("us-gov-west-1".into(), true)
        );
    }
}
