//! Timestamp parameters as botocore's JSON serializer sends them: whole epoch seconds (UTC, fractions
//! dropped), whatever form the value came in (ISO 8601 with or without an offset, a date alone, RFC 1123,
//! anything `dateutil` reads, an epoch integer or float, as text or from `--cli-input-json`).
//!
//! [`serialize`] rewrites every timestamp member of the input value in place, in parameter order;
//! [`check`] is the part of botocore's validation that can abort it: a value whose parse raises a
//! `RuntimeError` or an `OverflowError` (not a `ValueError`) ends validation with that message. Both
//! collect the zone names dateutil warned about ([`crate::python::timestamp::unknown_zone_warning`]).

use crate::model::{Kind, Shape};
use crate::python::timestamp::{epoch_seconds, Local, TimestampError, UnknownZone};
use crate::python::value::{Map, Number, Value};

/// Visits every timestamp member of `value` (a `shape`), in parameter order, where the validator and the
/// serializer would reach it (only into values of the right container type).
fn visit(
    value: &mut Value,
    shape: &'static Shape,
    each: &mut dyn FnMut(&mut Value) -> Result<(), TimestampError>,
) -> Result<(), TimestampError> {
    match (shape.kind, value) {
        (Kind::Timestamp, value) => each(value),
        (Kind::Structure, Value::Object(map)) => visit_members(map, shape, each),
        (Kind::List, Value::Array(items)) => match shape.list_member() {
            Some(member) => items
                .iter_mut()
                .try_for_each(|item| visit(item, member, each)),
            None => Ok(()),
        },
        (Kind::Map, Value::Object(map)) => match shape.map_value() {
            Some(value_shape) => map
                .values_mut()
                .try_for_each(|item| visit(item, value_shape, each)),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

fn visit_members(
    map: &mut Map,
    shape: &'static Shape,
    each: &mut dyn FnMut(&mut Value) -> Result<(), TimestampError>,
) -> Result<(), TimestampError> {
    for (name, item) in map.iter_mut() {
        if matches!(item, Value::Null) {
            continue;
        }
        if let Some(member) = shape.member_named(name) {
            visit(item, member.shape(), each)?;
        }
    }
    Ok(())
}

/// The validator's timestamp parses: the first `RuntimeError`/`OverflowError` aborts validation (a
/// `ValueError` only makes the value invalid, which the validator itself reports).
pub fn check(
    input: &'static Shape,
    params: &Map,
    local: &dyn Local,
    unknown: &mut Vec<UnknownZone>,
) -> Result<(), TimestampError> {
    // Only members whose shape can hold a timestamp are copied for the walk (parameters can be large).
    let mut each = |value: &mut Value| match epoch_seconds(value, local, unknown) {
        Err(TimestampError::Value(_)) | Ok(_) => Ok(()),
        Err(fatal) => Err(fatal),
    };
    for (name, item) in params {
        if let Some(member) = input.member_named(name) {
            if can_hold_timestamp(member.shape(), 0) {
                visit(&mut item.clone(), member.shape(), &mut each)?;
            }
        }
    }
    Ok(())
}

/// Whether a shape is, or contains, a timestamp (a few levels deep: the model's nesting is shallow).
fn can_hold_timestamp(shape: &'static Shape, depth: usize) -> bool {
    if depth > 8 {
        return true;
    }
    match shape.kind {
        Kind::Timestamp => true,
        Kind::Structure => shape
            .members
            .iter()
            .any(|m| can_hold_timestamp(m.shape(), depth + 1)),
        Kind::List => shape
            .list_member()
            .is_some_and(|m| can_hold_timestamp(m, depth + 1)),
        Kind::Map => shape
            .map_value()
            .is_some_and(|m| can_hold_timestamp(m, depth + 1)),
        _ => false,
    }
}

/// botocore's `_serialize_type_timestamp` with the JSON protocol's `unixtimestamp` format.
pub fn serialize(
    input: &'static Shape,
    params: &mut Map,
    local: &dyn Local,
    unknown: &mut Vec<UnknownZone>,
) -> Result<(), TimestampError> {
    visit_members(params, input, &mut |value| {
        let seconds = epoch_seconds(value, local, unknown)?;
        *value = Value::Number(Number::Int(seconds));
        Ok(())
    })
}

/// Whether a timestamp value passes botocore's validation (`parse_to_aware_datetime` raises no
/// `ValueError`); a fatal error is [`check`]'s to report.
pub fn is_valid(value: &Value, local: &dyn Local) -> bool {
    !matches!(
        epoch_seconds(value, local, &mut Vec::new()),
        Err(TimestampError::Value(_))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::validate::test_json::{read_data, to_value};
    use crate::python::dateutil::LocalTime;

    struct Utc;
    impl LocalTime for Utc {
        fn today(&self) -> (i64, u32, u32) {
            (2026, 12, 1)
        }
        fn zone_names(&self) -> (String, String) {
            ("UTC".into(), "UTC".into())
        }
    }
    impl Local for Utc {
        fn offset_at(&self, _: i64) -> i64 {
            0
        }
        fn is_dst_at(&self, _: i64) -> bool {
            false
        }
        fn std_dst_offsets(&self) -> (i64, i64) {
            (0, 0)
        }
    }

    /// `tests/data/validate/timestamps.json`: botocore's verdicts (`_type_check_datetime`), recorded
    /// under UTC.
    #[test]
    fn recorded_verdicts_match() {
        let corpus = read_data("tests/data/validate/timestamps.json");
        let mut wrong = Vec::new();
        for pair in corpus.as_array().expect("a list") {
            let value = to_value(&pair[0]);
            let expected = pair[1].as_bool().expect("verdict");
            let verdict = match epoch_seconds(&value, &Utc, &mut Vec::new()) {
                Ok(_) => true,
                Err(TimestampError::Value(_)) => false,
                // The reference's recorder counted an uncaught error as "not accepted".
                Err(_) => false,
            };
            if verdict != expected {
                wrong.push(format!("{} (reference: {expected})", pair[0]));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn serializes_every_timestamp_member_in_place() {
        let op = crate::model::operation_named("GetCostEstimate").expect("in the model");
        let input = op.input_shape().expect("an input");
        let mut params = Map::new();
        params.insert("resourceName", Value::String("r".into()));
        params.insert("startTime", Value::String("2024-01-01T00:00:00Z".into()));
        params.insert("endTime", Value::Number(Number::Float(1704070800.9)));
        serialize(input, &mut params, &Utc, &mut Vec::new()).expect("valid");
        assert_eq!(params["startTime"], Value::Number(Number::Int(1704067200)));
        assert_eq!(params["endTime"], Value::Number(Number::Int(1704070800)));
        assert_eq!(params["resourceName"], Value::String("r".into()));
    }
}
