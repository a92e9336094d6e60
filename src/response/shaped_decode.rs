//! A page decoded straight into its shaped value, for the outputs that need the value (table, text,
//! `--query`): the faithful path decodes the whole body into a tree ([`json_decode`]) and then shapes
//! it by the model ([`super::shape`]), building every object twice; here the body is read once with the
//! model in hand and only the shaped value is built.
//!
//! The fast path covers what services send, as [`super::json_listing`] does: a UTF-8 JSON object whose
//! structures list their members in the model's order, with timestamps left as sent (`--cli-binary-format`
//! aside, the default `wire` format). A member out of order or repeated, a value of the wrong type for
//! its shape, a map with a repeated key, an escaped key, deep nesting or anything that is not JSON makes
//! [`decode_shaped`] give the page up (`None`), and the caller takes the faithful path for it, which
//! reports whatever error the reference reports. Scalars other than plain strings go through the
//! decoder ([`json_decode::term_at`]), so numbers and escapes read exactly as they do there.

use super::json_cursor::{Cursor, MAX_DEPTH};
use super::shape::ResponseShaper;
use crate::model::{Kind, Shape};
use crate::python::json_decode;
use crate::python::utf8::decode_utf8;
use crate::python::value::{Map, Str, Value};

/// The shaped value of a successful response `body` for the `output` structure, or `None` when the
/// page needs the faithful path. Notes timestamps in `shaper` as shaping does (the v2 warning).
pub fn decode_shaped(
    shaper: &ResponseShaper,
    output: &'static Shape,
    body: &[u8],
) -> Option<Value> {
    if output.kind != Kind::Structure || !shaper.keeps_timestamps() {
        return None;
    }
    let text = decode_utf8(body).ok()?;
    if text.starts_with('\u{feff}') {
        return None;
    }
    let mut reader = Reader {
        cursor: Cursor::new(text),
        shaper,
    };
    let value = reader.structure(output, 0)?;
    reader.cursor.skip_whitespace();
    (reader.cursor.pos == text.len()).then_some(value)
}

struct Reader<'a> {
    cursor: Cursor<'a>,
    shaper: &'a ResponseShaper,
}

impl Reader<'_> {
    /// A non-null value of `shape`.
    fn value(&mut self, shape: &'static Shape, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        match shape.kind {
            Kind::Structure => self.structure(shape, depth),
            Kind::List => self.list(shape, depth),
            Kind::Map => self.map(shape, depth),
            Kind::Timestamp => {
                self.shaper.note_timestamp();
                self.scalar()
            }
            _ => self.scalar(),
        }
    }

    /// The members the model names, in its order, without `null`s; unknown members dropped.
    fn structure(&mut self, shape: &'static Shape, depth: usize) -> Option<Value> {
        // Sized for the model's members, as the decoder sizes objects exactly: a listing holds
        // thousands of these.
        let mut map = Map::with_capacity(shape.members.len());
        if self.cursor.open(b'{', b'}')? {
            return Some(Value::Object(Map::new()));
        }
        let members = shape.members;
        let mut next = 0;
        loop {
            match self.cursor.next_member(members, next)? {
                Some(offset) => {
                    let member = &members[next + offset];
                    next += offset + 1;
                    if !self.cursor.take_null() {
                        let value = self.value(member.shape(), depth + 1)?;
                        map.push_new(Str::from(member.name), value);
                    }
                }
                None => self.cursor.skip_value()?,
            }
            if !self.cursor.next_or_close(b'}')? {
                return Some(Value::Object(map));
            }
        }
    }

    /// A list: `null` elements stay, the others are shaped by the member shape.
    fn list(&mut self, shape: &'static Shape, depth: usize) -> Option<Value> {
        let member = shape.list_member()?;
        let mut items = Vec::new();
        if self.cursor.open(b'[', b']')? {
            return Some(Value::Array(items));
        }
        loop {
            if self.cursor.take_null() {
                items.push(Value::Null);
            } else {
                items.push(self.value(member, depth + 1)?);
            }
            if !self.cursor.next_or_close(b']')? {
                items.shrink_to_fit();
                return Some(Value::Array(items));
            }
        }
    }

    /// A map: every key in order, values shaped by the value shape; a repeated key, or a `null` where
    /// shaping would raise (a list or map value), is left to the faithful path.
    fn map(&mut self, shape: &'static Shape, depth: usize) -> Option<Value> {
        let value_shape = shape.map_value()?;
        let mut map = Map::new();
        if self.cursor.open(b'{', b'}')? {
            return Some(Value::Object(map));
        }
        loop {
            let key = self.cursor.key()?;
            if map.contains_key(key) {
                return None;
            }
            let value = if self.cursor.take_null() {
                match value_shape.kind {
                    Kind::List | Kind::Map => return None,
                    Kind::Timestamp => {
                        self.shaper.note_timestamp();
                        Value::Null
                    }
                    _ => Value::Null,
                }
            } else {
                self.value(value_shape, depth + 1)?
            };
            map.push_new(Str::from(key), value);
            if !self.cursor.next_or_close(b'}')? {
                return Some(Value::Object(map));
            }
        }
    }

    /// A scalar as the decoder reads it (a container is left to the faithful path).
    fn scalar(&mut self) -> Option<Value> {
        let c = &mut self.cursor;
        c.skip_whitespace();
        match c.peek()? {
            b'"' => {
                let start = c.pos + 1;
                let end = start + json_decode::plain_run(&c.bytes[start..], false);
                if c.bytes.get(end) == Some(&b'"') {
                    c.pos = end + 1;
                    Some(Value::String(Str::from(&c.text[start..end])))
                } else {
                    let (decoded, end) = json_decode::string_at(c.text, c.pos)?;
                    c.pos = end;
                    Some(Value::String(decoded.into()))
                }
            }
            b'{' | b'[' => None,
            _ => {
                let (value, end) = json_decode::term_at(c.text, c.pos)?;
                c.pos = end;
                Some(value)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::shape::TimestampFormat;

    fn output(operation: &str) -> &'static Shape {
        crate::model::operation_by_cli_name(operation)
            .and_then(|op| op.output_shape())
            .expect("an output shape")
    }

    fn faithful(shape: &'static Shape, body: &str) -> Value {
        ResponseShaper::new(TimestampFormat::Wire)
            .shape_body(
                Some(shape),
                body.as_bytes(),
                |t| json_decode::loads(t).ok(),
                true,
            )
            .expect("shapes")
    }

    const SNAPSHOT: &str = r#"{"name":"s-1","arn":"arn:aws:lightsail:us-west-2:1:InstanceSnapshot/x","supportCode":"1/ami-2","createdAt":1.7000000011250E9,"location":{"availabilityZone":"all","regionName":"us-west-2"},"resourceType":"InstanceSnapshot","tags":[{"key":"team","value":"t\u00e9am \"1\"\n"}, null],"state":"available","progress":null,"fromAttachedDisks":[],"fromInstanceName":"WordPress-1","unknownMember":{"a":[1,2,{"b":null}]},"isFromAutoSnapshot":false,"sizeInGb":40}"#;

    /// What services send is read in one pass into exactly the value the faithful path shapes.
    #[test]
    fn shapes_what_the_faithful_path_shapes() {
        let snapshots = output("get-instance-snapshots");
        let bodies = [
            format!(r#"{{"instanceSnapshots":[{SNAPSHOT},null,{{}}],"nextPageToken":"p2"}}"#),
            r#" { "instanceSnapshots" : [ {"name": "été 😀", "createdAt": 12345678901234567890, "isFromAutoSnapshot": true, "sizeInGb": -0}, {"createdAt": -Infinity, "sizeInGb": 1e400} ] , "other": [1, "x"], "nextPageToken" : null } "#.to_string(),
            r#"{"instanceSnapshots": []}"#.to_string(),
            "{}".to_string(),
        ];
        for body in &bodies {
            let shaper = ResponseShaper::new(TimestampFormat::Wire);
            let fast = decode_shaped(&shaper, snapshots, body.as_bytes());
            assert_eq!(fast, Some(faithful(snapshots, body)), "{body}");
        }
        // A map of structures (a container service's deployment containers), and a map value that is null.
        let services = output("get-container-services");
        let body = r#"{"containerServices":[{"containerServiceName":"c","currentDeployment":{"state":"ACTIVE","containers":{"web":{"image":"nginx","command":["a","b"],"environment":{"K":"V","E":""},"ports":{"80":"HTTP"}},"side":{"image":"x","environment":{"N":null}}}}}]}"#;
        let shaper = ResponseShaper::new(TimestampFormat::Wire);
        assert_eq!(
            decode_shaped(&shaper, services, body.as_bytes()),
            Some(faithful(services, body))
        );
    }

    /// Pages the fast path gives up are the faithful path's to shape (or to report).
    #[test]
    fn gives_up_what_it_does_not_cover() {
        let snapshots = output("get-instance-snapshots");
        for body in [
            r#"{"instanceSnapshots":[{"state":"a","name":"n"}]}"#,
            r#"{"nextPageToken":null,"instanceSnapshots":[]}"#,
            r#"{"instanceSnapshots":[{"name":"a","name":"b"}]}"#,
            r#"{"instanceSnapshots":[{"location":"x"}]}"#,
            r#"{"instanceSnapshots":[{"n\u0061me":"x"}]}"#,
            r#"{"instanceSnapshots":[{"name":"x"}"#,
            r#"{"instanceSnapshots":{"name":"x"}}"#,
            r#"{"instanceSnapshots":[{"name":{"a":1}}]}"#,
            r#"{"instanceSnapshots":[]} x"#,
            "",
            "\u{feff}{}",
        ] {
            let shaper = ResponseShaper::new(TimestampFormat::Wire);
            assert_eq!(
                decode_shaped(&shaper, snapshots, body.as_bytes()),
                None,
                "{body}"
            );
        }
        // Timestamps as ISO 8601 need the shaper.
        let shaper = ResponseShaper::new(TimestampFormat::Iso8601);
        assert_eq!(decode_shaped(&shaper, snapshots, b"{}"), None);
    }

    /// A timestamp read on the fast path is noted, as shaping notes it (the v2 warning).
    #[test]
    fn notes_timestamps_as_shaping_does() {
        let snapshots = output("get-instance-snapshots");
        let shaper = ResponseShaper::new(TimestampFormat::Wire);
        let fast = decode_shaped(
            &shaper,
            snapshots,
            br#"{"instanceSnapshots":[{"name":"a"}]}"#,
        );
        assert!(fast.is_some() && !shaper.saw_timestamp());
        let fast = decode_shaped(
            &shaper,
            snapshots,
            br#"{"instanceSnapshots":[{"createdAt":1.5}]}"#,
        );
        assert!(fast.is_some() && shaper.saw_timestamp());
    }
}
