//! Injected faults: what the next matching Lightsail requests get instead of a normal answer.
//!
//! String form (the `--fault` flag): `[Target:]kind[*count]`, kinds `throttle`, `status:500|502|503|504`,
//! `delay:SECONDS`, `reset`, `truncate`, `malformed`, `html[:STATUS]`; count a number (default 1) or
//! `always`. JSON form (the `/_emulator/faults` endpoint): that string, or an object
//! `{"kind": "status", "status": 503, "seconds": 2.5, "count": 3 | "always", "target": "GetInstances"}`.
//! Only `delay` lets the request through to the handler (after sleeping); the others answer without
//! touching the state, so a retried call behaves like the first attempt.

use std::fmt;
use std::str::FromStr;

use serde_json::{json, Value};

/// What happens to a faulted request.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultKind {
    /// 400 `ThrottlingException`, as AWS's front end sends it.
    Throttle,
    /// An error status (500 answers with Lightsail's ServiceException body, 502-504 with an empty body).
    Status(u16),
    /// Sleep this many seconds, then answer normally.
    Delay(f64),
    /// Close the connection without answering.
    Reset,
    /// Promise a longer body than is sent, then close.
    Truncate,
    /// 200 with a body that is not JSON.
    Malformed,
    /// An HTML error page from a proxy, with this status.
    Html(u16),
}

/// How many requests a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    Times(u32),
    Always,
}

/// One queued fault.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// Only requests for this operation (e.g. `CreateInstanceSnapshot`); None: any.
    pub target: Option<String>,
    pub kind: FaultKind,
    pub count: Count,
}

const KINDS: &[&str] = &[
    "throttle",
    "status",
    "delay",
    "reset",
    "truncate",
    "malformed",
    "html",
];

fn parse_status(text: &str, allowed: &[u16]) -> Result<u16, String> {
    text.parse::<u16>()
        .ok()
        .filter(|s| allowed.contains(s))
        .ok_or_else(|| format!("unsupported status {text:?}"))
}

fn parse_kind(kind: &str, argument: Option<&str>) -> Result<FaultKind, String> {
    match (kind, argument) {
        ("throttle", None) => Ok(FaultKind::Throttle),
        ("reset", None) => Ok(FaultKind::Reset),
        ("truncate", None) => Ok(FaultKind::Truncate),
        ("malformed", None) => Ok(FaultKind::Malformed),
        ("html", None) => Ok(FaultKind::Html(503)),
        ("html", Some(status)) => Ok(FaultKind::Html(parse_status(
            status,
            &[500, 502, 503, 504],
        )?)),
        ("status", Some(status)) => Ok(FaultKind::Status(parse_status(
            status,
            &[500, 502, 503, 504],
        )?)),
        ("delay", Some(seconds)) => match seconds.parse::<f64>() {
            Ok(s) if s.is_finite() && s >= 0.0 => Ok(FaultKind::Delay(s)),
            _ => Err(format!("bad delay {seconds:?}")),
        },
        _ => Err(format!(
            "unknown fault {kind:?}{}",
            argument
                .map(|a| format!(" with argument {a:?}"))
                .unwrap_or_default()
        )),
    }
}

fn parse_count(text: &str) -> Result<Count, String> {
    if text == "always" {
        return Ok(Count::Always);
    }
    match text.parse::<u32>() {
        Ok(n) if n > 0 => Ok(Count::Times(n)),
        _ => Err(format!("bad fault count {text:?}")),
    }
}

impl FromStr for Fault {
    type Err = String;

    fn from_str(spec: &str) -> Result<Fault, String> {
        let (body, count) = match spec.rsplit_once('*') {
            Some((body, count)) => (body, parse_count(count)?),
            None => (spec, Count::Times(1)),
        };
        let mut parts: Vec<&str> = body.split(':').collect();
        let target = match parts.first() {
            Some(first) if !KINDS.contains(first) && parts.len() > 1 => {
                Some(parts.remove(0).to_string())
            }
            _ => None,
        };
        let kind = match parts[..] {
            [kind] => parse_kind(kind, None)?,
            [kind, argument] => parse_kind(kind, Some(argument))?,
            _ => return Err(format!("bad fault spec {spec:?}")),
        };
        Ok(Fault {
            target,
            kind,
            count,
        })
    }
}

impl Fault {
    /// Reads the endpoint's JSON form (an object, or the string form).
    pub fn from_json(value: &Value) -> Result<Fault, String> {
        if let Some(spec) = value.as_str() {
            return spec.parse();
        }
        let object = value
            .as_object()
            .ok_or("a fault is a string or an object")?;
        let kind = object
            .get("kind")
            .and_then(Value::as_str)
            .ok_or("a fault needs a \"kind\"")?;
        let argument = match kind {
            "status" | "html" => object.get("status").map(|s| s.to_string()),
            "delay" => object.get("seconds").map(|s| s.to_string()),
            _ => None,
        };
        let kind = parse_kind(kind, argument.as_deref())?;
        let count = match object.get("count") {
            None | Some(Value::Null) => Count::Times(1),
            Some(Value::String(text)) => parse_count(text)?,
            Some(number) => parse_count(&number.to_string())?,
        };
        let target = match object.get("target") {
            None | Some(Value::Null) => None,
            Some(Value::String(t)) => Some(t.clone()),
            Some(_) => return Err("\"target\" must be a string".to_string()),
        };
        Ok(Fault {
            target,
            kind,
            count,
        })
    }

    /// The JSON form.
    pub fn to_json(&self) -> Value {
        let mut out = json!({"kind": match self.kind {
            FaultKind::Throttle => "throttle",
            FaultKind::Status(_) => "status",
            FaultKind::Delay(_) => "delay",
            FaultKind::Reset => "reset",
            FaultKind::Truncate => "truncate",
            FaultKind::Malformed => "malformed",
            FaultKind::Html(_) => "html",
        }});
        match self.kind {
            FaultKind::Status(s) | FaultKind::Html(s) => out["status"] = json!(s),
            FaultKind::Delay(s) => out["seconds"] = json!(s),
            _ => {}
        }
        out["count"] = match self.count {
            Count::Always => json!("always"),
            Count::Times(n) => json!(n),
        };
        if let Some(target) = &self.target {
            out["target"] = json!(target);
        }
        out
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(target) = &self.target {
            write!(f, "{target}:")?;
        }
        match &self.kind {
            FaultKind::Throttle => write!(f, "throttle")?,
            FaultKind::Status(s) => write!(f, "status:{s}")?,
            FaultKind::Delay(s) => write!(f, "delay:{s}")?,
            FaultKind::Reset => write!(f, "reset")?,
            FaultKind::Truncate => write!(f, "truncate")?,
            FaultKind::Malformed => write!(f, "malformed")?,
            FaultKind::Html(s) => write!(f, "html:{s}")?,
        }
        match self.count {
            Count::Always => write!(f, "*always"),
            Count::Times(n) => write!(f, "*{n}"),
        }
    }
}

/// The queue of pending faults, consulted in order.
#[derive(Debug, Clone, Default)]
pub struct FaultQueue {
    faults: Vec<Fault>,
}

impl FaultQueue {
    pub fn new(faults: Vec<Fault>) -> FaultQueue {
        FaultQueue { faults }
    }

    /// Takes the fault for a request to `operation`, if one applies.
    pub fn take(&mut self, operation: &str) -> Option<FaultKind> {
        let index = self
            .faults
            .iter()
            .position(|f| f.target.as_deref().is_none_or(|t| t == operation))?;
        let fault = &mut self.faults[index];
        let kind = fault.kind.clone();
        if let Count::Times(n) = fault.count {
            if n <= 1 {
                self.faults.remove(index);
            } else {
                fault.count = Count::Times(n - 1);
            }
        }
        Some(kind)
    }

    pub fn to_json(&self) -> Value {
        Value::Array(self.faults.iter().map(Fault::to_json).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_string_form() {
        let f: Fault = "CreateInstanceSnapshot:throttle*2".parse().unwrap();
        assert_eq!(f.target.as_deref(), Some("CreateInstanceSnapshot"));
        assert_eq!(f.kind, FaultKind::Throttle);
        assert_eq!(f.count, Count::Times(2));
        let f: Fault = "status:500*always".parse().unwrap();
        assert_eq!(
            (f.kind.clone(), f.count, f.target.clone()),
            (FaultKind::Status(500), Count::Always, None)
        );
        assert_eq!(
            "delay:1.5".parse::<Fault>().unwrap().kind,
            FaultKind::Delay(1.5)
        );
        assert_eq!(
            "GetInstances:status:503"
                .parse::<Fault>()
                .unwrap()
                .to_string(),
            "GetInstances:status:503*1"
        );
        for bad in [
            "bogus",
            "status:418",
            "throttle*0",
            "delay:x",
            "throttle:1",
            "",
        ] {
            assert!(bad.parse::<Fault>().is_err(), "{bad}");
        }
    }

    #[test]
    fn json_form_round_trips() {
        for spec in ["throttle*3", "X:html:502*always", "delay:0.25*1"] {
            let fault: Fault = spec.parse().unwrap();
            assert_eq!(Fault::from_json(&fault.to_json()).unwrap(), fault);
        }
    }

    #[test]
    fn the_queue_counts_down_and_filters() {
        let mut queue = FaultQueue::new(vec![
            "CreateInstanceSnapshot:throttle*2".parse().unwrap(),
            "reset".parse().unwrap(),
        ]);
        assert_eq!(queue.take("GetInstances"), Some(FaultKind::Reset));
        assert_eq!(queue.take("GetInstances"), None);
        assert_eq!(
            queue.take("CreateInstanceSnapshot"),
            Some(FaultKind::Throttle)
        );
        assert_eq!(
            queue.take("CreateInstanceSnapshot"),
            Some(FaultKind::Throttle)
        );
        assert_eq!(queue.take("CreateInstanceSnapshot"), None);
    }
}
