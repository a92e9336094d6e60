//! `--output json` of a paginated listing without `--query`, made straight from the response bytes.
//!
//! The reference decodes each page, shapes it by the model, merges the pages' result lists and
//! prints the merged document with `json.dump(indent=4, ensure_ascii=False)`. Every step but the
//! last exists only to reach those bytes, so here each page is read once and its items are written
//! as the json formatter would print them inside the merged list, at their final indentation, into
//! one buffer: no tree of values is built, and a listing costs its output text in memory.
//!
//! The fast path covers what services send: a UTF-8 JSON object whose structures list their members
//! in the model's order. Anything else — a member out of order or repeated, a value of the wrong
//! type for its shape, invalid JSON, a map with a repeated key, deep nesting, an unexpected member at
//! the top — makes [`JsonListing::transcode_page`] give the page up (`None`), and the caller takes
//! the faithful path for it: [`shape`](super::shape) and [`JsonListing::add_shaped_page`], which
//! encodes the shaped items with the same encoder the formatter uses. A repeated key, an escape or
//! an odd number is never re-implemented here: escaped strings and every number go through the
//! decoder ([`json_decode::string_at`], [`json_decode::term_at`]) and the encoder, as on the
//! faithful path. Pages are trimmed by the page loop through [`ShapedPage`] (`--max-items`,
//! `--starting-token`), exactly as shaped values are.

use super::json_cursor::{Cursor, MAX_DEPTH};
use super::paginate::{py_slice_end, py_slice_start, ShapedPage};
use crate::model::{Kind, Shape};
use crate::python::json_decode;
use crate::python::json_encode::{dump_nested, push_encoded_string, DumpOptions};
use crate::python::utf8::decode_utf8;
use crate::python::value::{Number, Value};
use std::io::{self, Write};

/// The indentation of `--output json` (`indent=4`).
const INDENT: usize = 4;

/// The merged json output of a listing, built page by page.
#[derive(Debug)]
pub struct JsonListing {
    result_key: &'static str,
    /// Every item so far as the formatter prints it in the merged list, each preceded by `,\n` and
    /// its indentation (the first comma is dropped when the list is written).
    items: String,
    /// Whether a page has had a list under the result key (the merged document then has the key).
    has_result: bool,
}

/// A page whose items [`JsonListing::transcode_page`] has just appended, for the page loop to read
/// and trim.
#[derive(Debug)]
pub struct TranscodedPage<'l> {
    listing: &'l mut JsonListing,
    /// Where each of this page's items starts in `listing.items`.
    starts: Vec<usize>,
    /// The page's result: absent or `null` (`false`), or a list (`true`).
    has_list: bool,
    /// The output token: `None` for absent or `null`, else the string.
    output_token: Option<String>,
}

impl JsonListing {
    pub fn new(result_key: &'static str) -> JsonListing {
        JsonListing {
            result_key,
            items: String::new(),
            has_result: false,
        }
    }

    /// Reads one page's response body: appends its items and returns the page for the page loop, or
    /// gives up (`None`, nothing appended) when the page needs the faithful path.
    /// `output_token` is the paginator's output token member.
    pub fn transcode_page(
        &mut self,
        output: &'static Shape,
        output_token: &str,
        body: &[u8],
    ) -> Option<TranscodedPage<'_>> {
        let page_start = self.items.len();
        let text = decode_utf8(body).ok()?;
        let mut reader = Reader {
            cursor: Cursor::new(text),
            out: &mut self.items,
        };
        let result = reader.page(output, self.result_key, output_token);
        match result {
            Some((starts, has_list, token)) => {
                self.has_result |= has_list;
                Some(TranscodedPage {
                    listing: self,
                    starts,
                    has_list,
                    output_token: token,
                })
            }
            None => {
                self.items.truncate(page_start);
                None
            }
        }
    }

    /// Takes a page shaped on the faithful path (and already trimmed by the page loop): its list's
    /// items are encoded into the listing. Returns the page back when its result is neither a list
    /// nor absent/`null` and no page has had a list yet: then the merged result is that value, which
    /// only [`FullResult`](super::formatter::paginated::FullResult) reproduces.
    pub fn add_shaped_page(&mut self, page: Value) -> Result<(), Value> {
        let result = match &page {
            Value::Object(map) => map.get(self.result_key),
            _ => None,
        };
        match result {
            None | Some(Value::Null) => Ok(()),
            Some(Value::Array(items)) => {
                let options = DumpOptions::cli_output();
                for item in items {
                    self.items.push(',');
                    newline(&mut self.items, 2);
                    dump_nested(&mut self.items, item, &options, 2);
                }
                self.has_result = true;
                Ok(())
            }
            // The first result decides the merged value; later ones that are not lists are ignored.
            Some(_) if self.has_result => Ok(()),
            Some(_) => Err(page),
        }
    }

    /// Writes the merged document (`{result_key: [...], "NextToken": token}`) as `--output json`
    /// prints it: nothing at all when it is empty. Returns the first write error.
    pub fn write(&self, resume_token: Option<&str>, sink: &mut dyn Write) -> io::Result<()> {
        if !self.has_result && resume_token.is_none() {
            return Ok(());
        }
        let mut head = String::from("{");
        if self.has_result {
            newline(&mut head, 1);
            push_encoded_string(&mut head, self.result_key, false);
            head.push_str(": ");
            if self.items.is_empty() {
                head.push_str("[]");
            } else {
                head.push('[');
                sink.write_all(head.as_bytes())?;
                head.clear();
                // Each item is preceded by a comma; the first one's is dropped.
                sink.write_all(&self.items.as_bytes()[1..])?;
                newline(&mut head, 1);
                head.push(']');
            }
        }
        if let Some(token) = resume_token {
            if self.has_result {
                head.push(',');
            }
            newline(&mut head, 1);
            head.push_str("\"NextToken\": ");
            push_encoded_string(&mut head, token, false);
        }
        head.push_str("\n}\n");
        sink.write_all(head.as_bytes())
    }
}

impl ShapedPage for TranscodedPage<'_> {
    fn slice_result(&mut self, _result_key: &str, start: i128) {
        // Absent or null stays so (the shaped value would become `null`: the same output).
        let skip = py_slice_start(start, self.starts.len());
        if skip == 0 {
            return;
        }
        let from = self.starts[0];
        let to = self
            .starts
            .get(skip)
            .copied()
            .unwrap_or(self.listing.items.len());
        self.listing.items.replace_range(from..to, "");
        let removed = to - from;
        self.starts.drain(..skip);
        for start in &mut self.starts {
            *start -= removed;
        }
    }

    fn result_len(&self, _result_key: &str) -> i128 {
        self.starts.len() as i128
    }

    fn truncate_result(&mut self, _result_key: &str, truncate_amount: i128) -> i128 {
        let keep = self.starts.len() as i128 - truncate_amount;
        let end = py_slice_end(keep, self.starts.len());
        if let Some(&cut) = self.starts.get(end) {
            self.listing.items.truncate(cut);
        }
        self.starts.truncate(end);
        // A result that was absent or null becomes `[]`.
        if !self.has_list {
            self.has_list = true;
            self.listing.has_result = true;
        }
        keep
    }

    fn output_token(&self, _token_key: &str) -> Value {
        match &self.output_token {
            Some(token) => Value::String(token.as_str().into()),
            None => Value::Null,
        }
    }
}

fn newline(out: &mut String, depth: usize) {
    /// A newline and the indentation of the eight shallowest levels, pushed in one piece.
    const NEWLINE_SPACES: &str = "\n                                ";
    let width = INDENT * depth;
    if let Some(run) = NEWLINE_SPACES.get(..1 + width) {
        out.push_str(run);
        return;
    }
    out.push('\n');
    let spaces = &NEWLINE_SPACES[1..];
    let mut width = width;
    while width > 0 {
        let run = width.min(spaces.len());
        out.push_str(&spaces[..run]);
        width -= run;
    }
}

/// The page's items (their start offsets in the output), whether it had a list, and its token.
type PageParts = (Vec<usize>, bool, Option<String>);

/// A cursor over one response body that writes what it reads as `--output json` would print it.
/// Every method returns `None` to give the page up.
struct Reader<'a> {
    cursor: Cursor<'a>,
    out: &'a mut String,
}

impl<'a> std::ops::Deref for Reader<'a> {
    type Target = Cursor<'a>;
    fn deref(&self) -> &Cursor<'a> {
        &self.cursor
    }
}

impl std::ops::DerefMut for Reader<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.cursor
    }
}

impl<'a> Reader<'a> {
    /// The top-level output structure: the result list's items go out, the token is kept, any other
    /// member that is present gives the page up.
    fn page(
        &mut self,
        output: &'static Shape,
        result_key: &str,
        token_key: &str,
    ) -> Option<PageParts> {
        if output.kind != Kind::Structure || self.text.starts_with('\u{feff}') {
            return None;
        }
        let result_shape = output
            .members
            .iter()
            .find(|m| m.name == result_key)?
            .shape();
        let item_shape = match result_shape.kind {
            Kind::List => result_shape.list_member()?,
            _ => return None,
        };
        let mut starts = Vec::new();
        let (mut seen_result, mut seen_token, mut has_list) = (false, false, false);
        let mut token = None;
        self.expect(b'{')?;
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                let key = self.key()?;
                if key == result_key {
                    if std::mem::replace(&mut seen_result, true) {
                        return None;
                    }
                    if !self.take_null() {
                        has_list = true;
                        self.items(item_shape, &mut starts)?;
                    }
                } else if key == token_key {
                    if std::mem::replace(&mut seen_token, true) {
                        return None;
                    }
                    if !self.take_null() {
                        token = Some(self.token()?);
                    }
                } else if output.members.iter().any(|m| m.name == key) {
                    // Another member of the output: only `null` (dropped) is simple.
                    if !self.take_null() {
                        return None;
                    }
                } else {
                    self.skip_value()?;
                }
                if !self.next_or_close(b'}')? {
                    break;
                }
            }
        }
        self.skip_whitespace();
        if self.pos != self.bytes.len() {
            return None;
        }
        Some((starts, has_list, token))
    }

    /// The result list: each item written at depth 2, after `,` and its indentation.
    fn items(&mut self, item_shape: &'static Shape, starts: &mut Vec<usize>) -> Option<()> {
        self.expect(b'[')?;
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Some(());
        }
        loop {
            starts.push(self.out.len());
            self.out.push(',');
            newline(self.out, 2);
            if self.take_null() {
                self.out.push_str("null");
            } else {
                self.value(item_shape, 2)?;
            }
            if !self.next_or_close(b']')? {
                return Some(());
            }
        }
    }

    /// A non-null value of `shape`, `depth` levels deep, written out.
    fn value(&mut self, shape: &'static Shape, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match shape.kind {
            Kind::Structure => self.structure(shape, depth),
            Kind::List => self.list(shape, depth),
            Kind::Map => self.map(shape, depth),
            _ => self.scalar(),
        }
    }

    /// A structure whose members come in the model's order: each non-null one written, the unknown
    /// ones dropped.
    fn structure(&mut self, shape: &'static Shape, depth: usize) -> Option<()> {
        self.expect(b'{')?;
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.out.push_str("{}");
            return Some(());
        }
        let members = shape.members;
        let mut next = 0;
        let mut written = false;
        loop {
            match self.next_member(members, next)? {
                Some(offset) => {
                    let member = &members[next + offset];
                    next += offset + 1;
                    if !self.take_null() {
                        self.out.push(if written { ',' } else { '{' });
                        written = true;
                        newline(self.out, depth + 1);
                        // Member names are identifiers: nothing in them needs an escape.
                        self.out.push('"');
                        self.out.push_str(member.name);
                        self.out.push_str("\": ");
                        self.value(member.shape(), depth + 1)?;
                    }
                }
                None => self.skip_value()?,
            }
            if !self.next_or_close(b'}')? {
                break;
            }
        }
        if written {
            newline(self.out, depth);
            self.out.push('}');
        } else {
            self.out.push_str("{}");
        }
        Some(())
    }

    /// A list: `null` elements stay, the others are shaped by the member shape.
    fn list(&mut self, shape: &'static Shape, depth: usize) -> Option<()> {
        let member = shape.list_member()?;
        self.expect(b'[')?;
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            self.out.push_str("[]");
            return Some(());
        }
        self.out.push('[');
        loop {
            newline(self.out, depth + 1);
            if self.take_null() {
                self.out.push_str("null");
            } else {
                self.value(member, depth + 1)?;
            }
            if !self.next_or_close(b']')? {
                break;
            }
            self.out.push(',');
        }
        newline(self.out, depth);
        self.out.push(']');
        Some(())
    }

    /// A map: every key in order, values shaped by the value shape (`null` kept where shaping keeps
    /// it); a repeated key is left to the faithful path.
    fn map(&mut self, shape: &'static Shape, depth: usize) -> Option<()> {
        let value_shape = shape.map_value()?;
        self.expect(b'{')?;
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.out.push_str("{}");
            return Some(());
        }
        let mut keys: Vec<&str> = Vec::new();
        self.out.push('{');
        loop {
            let key = self.key()?;
            if keys.contains(&key) {
                return None;
            }
            if !keys.is_empty() {
                self.out.push(',');
            }
            keys.push(key);
            newline(self.out, depth + 1);
            push_encoded_string(self.out, key, false);
            self.out.push_str(": ");
            if self.take_null() {
                // Shaping `None` as a list or map raises; as anything else it stays `None`.
                if matches!(value_shape.kind, Kind::List | Kind::Map) {
                    return None;
                }
                self.out.push_str("null");
            } else {
                self.value(value_shape, depth + 1)?;
            }
            if !self.next_or_close(b'}')? {
                break;
            }
        }
        newline(self.out, depth);
        self.out.push('}');
        Some(())
    }

    /// A scalar, kept as decoded whatever the shape says (a container is left to the faithful path).
    fn scalar(&mut self) -> Option<()> {
        self.skip_whitespace();
        match self.peek()? {
            b'"' => {
                let start = self.pos + 1;
                let end = start + json_decode::plain_run(&self.bytes[start..], false);
                if self.bytes.get(end) == Some(&b'"') {
                    // No escape: printed as it stands (ensure_ascii=False escapes nothing else).
                    self.out.push_str(&self.text[self.pos..=end]);
                    self.pos = end + 1;
                } else {
                    let (decoded, end) = json_decode::string_at(self.text, self.pos)?;
                    push_encoded_string(self.out, &decoded, false);
                    self.pos = end;
                }
            }
            b'{' | b'[' => return None,
            b'-' | b'0'..=b'9' => self.number()?,
            _ => self.decoded_scalar()?,
        }
        Some(())
    }
}

impl Reader<'_> {
    /// A number in plain JSON notation (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`, followed by
    /// a delimiter), written as Python prints the int or float it reads as; anything else (`NaN`,
    /// `-Infinity`, a 19-digit int) goes through the decoder.
    fn number(&mut self) -> Option<()> {
        let bytes = self.bytes;
        let start = self.pos;
        let digits = |mut at: usize| {
            while matches!(bytes.get(at), Some(b'0'..=b'9')) {
                at += 1;
            }
            at
        };
        let mut end = start + usize::from(bytes[start] == b'-');
        let int_start = end;
        end = match bytes.get(end) {
            Some(b'0') => end + 1,
            Some(b'1'..=b'9') => digits(end + 1),
            _ => return self.decoded_scalar(),
        };
        let int_end = end;
        let mut float = false;
        if bytes.get(end) == Some(&b'.') && matches!(bytes.get(end + 1), Some(b'0'..=b'9')) {
            float = true;
            end = digits(end + 1);
        }
        if matches!(bytes.get(end), Some(b'e' | b'E')) {
            let mut at = end + 1;
            if matches!(bytes.get(at), Some(b'-' | b'+')) {
                at += 1;
            }
            let after = digits(at);
            if after == at {
                return self.decoded_scalar();
            }
            float = true;
            end = after;
        }
        if !matches!(
            bytes.get(end),
            None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
        ) {
            return self.decoded_scalar();
        }
        let literal = &self.text[start..end];
        if float {
            if !push_short_decimal(self.out, literal) {
                let value: f64 = literal.parse().ok()?;
                Number::Float(value).push_json_repr(self.out);
            }
        } else if int_end - int_start > 18 {
            return self.decoded_scalar();
        } else if literal == "-0" {
            self.out.push('0');
        } else {
            // JSON has no leading zeros, so the literal is already how Python prints the int.
            self.out.push_str(literal);
        }
        self.pos = end;
        Some(())
    }

    /// A scalar other than a string, through the decoder.
    fn decoded_scalar(&mut self) -> Option<()> {
        let (value, end) = json_decode::term_at(self.text, self.pos)?;
        match value {
            Value::Bool(true) => self.out.push_str("true"),
            Value::Bool(false) => self.out.push_str("false"),
            Value::Number(number) => number.push_json_repr(self.out),
            _ => return None,
        }
        self.pos = end;
        Some(())
    }
}

/// Writes `repr(float(literal))` for a JSON number in plain decimal notation (`-?D+.D+`, checked by the
/// caller) when it can be read off the literal: at most 15 significant digits and a value in repr's
/// fixed-notation range (1e-4 <= |x| < 1e16). Such a decimal survives the round trip through a double
/// (DBL_DIG is 15), so no other string of as few digits reads back as the same double, and repr's
/// shortest digits are the literal's own: only the fraction's trailing zeros go (one digit stays).
/// Returns `false`, writing nothing, for anything else.
fn push_short_decimal(out: &mut String, literal: &str) -> bool {
    let Some((int_part, fraction)) = literal.split_once('.') else {
        return false;
    };
    let fraction = fraction.trim_end_matches('0');
    let unsigned = int_part.strip_prefix('-').unwrap_or(int_part);
    if !unsigned.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return false;
    }
    let significant = if unsigned != "0" {
        // No leading zeros in JSON: every integer digit counts, and the whole fraction.
        unsigned.len() + fraction.len()
    } else {
        let zeros = fraction.len() - fraction.trim_start_matches('0').len();
        if fraction.is_empty() {
            // Zero (or minus zero): repr keeps the sign.
            0
        } else if zeros >= 4 {
            // Below 1e-4: repr switches to an exponent.
            return false;
        } else {
            fraction.len() - zeros
        }
    };
    if significant > 15 {
        return false;
    }
    out.push_str(int_part);
    out.push('.');
    out.push_str(if fraction.is_empty() { "0" } else { fraction });
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::formatter::paginated::FullResult;
    use crate::response::paginate::ShapedPage;
    use crate::response::shape::{ResponseShaper, TimestampFormat};

    fn output_shape() -> &'static Shape {
        crate::model::operation_by_cli_name("get-instance-snapshots")
            .and_then(|op| op.output_shape())
            .expect("get-instance-snapshots has an output shape")
    }

    /// The faithful path: shape the page, merge it, print it with the json formatter (`None` when
    /// shaping fails: the CLI reports an error).
    fn faithful(bodies: &[&str]) -> Option<String> {
        let shaper = ResponseShaper::new(TimestampFormat::Wire);
        let mut full = FullResult::new("instanceSnapshots");
        for body in bodies {
            let page = shaper
                .shape_body(
                    Some(output_shape()),
                    body.as_bytes(),
                    |t| json_decode::loads(t).ok(),
                    true,
                )
                .ok()?;
            full.add_page(page);
        }
        let mut out = Vec::new();
        crate::response::formatter::write_output(
            crate::response::formatter::OutputFormat::Json,
            "GetInstanceSnapshots",
            &full.finish(None),
            false,
            &mut out,
        )
        .ok()?;
        String::from_utf8(out).ok()
    }

    /// This module's path, with the faithful one for the pages it gives up (`None` when that one
    /// fails); and how many it gave up.
    fn fast(bodies: &[&str]) -> (Option<String>, usize) {
        let shaper = ResponseShaper::new(TimestampFormat::Wire);
        let mut listing = JsonListing::new("instanceSnapshots");
        let mut given_up = 0;
        let mut failed = false;
        for body in bodies {
            if let Some(page) =
                listing.transcode_page(output_shape(), "nextPageToken", body.as_bytes())
            {
                assert!(page.result_len("instanceSnapshots") >= 0);
                continue;
            }
            given_up += 1;
            match shaper.shape_body(
                Some(output_shape()),
                body.as_bytes(),
                |t| json_decode::loads(t).ok(),
                true,
            ) {
                Ok(page) => listing.add_shaped_page(page).expect("a list"),
                Err(_) => failed = true,
            }
        }
        let mut out = Vec::new();
        listing.write(None, &mut out).expect("writes");
        let out = (!failed).then(|| String::from_utf8(out).expect("utf-8"));
        (out, given_up)
    }

    const SNAPSHOT: &str = r#"{"name":"s-1","arn":"arn:aws:lightsail:us-west-2:1:InstanceSnapshot/x","supportCode":"1/ami-2","createdAt":1.7000000011250E9,"location":{"availabilityZone":"all","regionName":"us-west-2"},"resourceType":"InstanceSnapshot","tags":[{"key":"team","value":"t\u00e9am \"1\"\n"}, null],"state":"available","progress":null,"fromAttachedDisks":[],"fromInstanceName":"WordPress-1","unknownMember":{"a":[1,2,{"b":null}]},"isFromAutoSnapshot":false,"sizeInGb":40}"#;

    #[test]
    fn writes_what_the_formatter_prints() {
        let page1 =
            format!(r#"{{"instanceSnapshots":[{SNAPSHOT},null,{{}}],"nextPageToken":"p2"}}"#);
        let page2 = r#"{ "nextPageToken" : null , "instanceSnapshots" : [ {"name": "été 😀", "createdAt": 12345678901234567890123, "isFromAutoSnapshot": true, "sizeInGb": -0}, {"createdAt": NaN, "sizeInGb": 1e400} ] , "other": [1, "x"] }"#;
        let page3 = r#"{"instanceSnapshots": []}"#;
        let bodies = [page1.as_str(), page2, page3];
        let (ours, given_up) = fast(&bodies);
        assert_eq!(given_up, 0);
        assert!(ours.is_some());
        assert_eq!(ours, faithful(&bodies));
    }

    /// Pages the fast path gives up still come out as the faithful path prints them.
    #[test]
    fn gives_up_what_it_does_not_cover() {
        let cases = [
            // Members out of the model's order; a repeated member.
            r#"{"instanceSnapshots":[{"state":"a","name":"n"}]}"#,
            r#"{"instanceSnapshots":[{"name":"a","name":"b"}]}"#,
            // A structure given a string; a list given an object; a string given an object.
            r#"{"instanceSnapshots":[{"location":"x"}]}"#,
            // An escaped key.
            r#"{"instanceSnapshots":[{"n\u0061me":"x"}]}"#,
            // Invalid JSON becomes {"message": ...}: no result.
            r#"{"instanceSnapshots":[{"name":"x"}"#,
            // A repeated result key.
            r#"{"instanceSnapshots":[],"instanceSnapshots":[{"name":"x"}]}"#,
        ];
        for case in cases {
            let (ours, given_up) = fast(&[case]);
            assert_eq!(given_up, 1, "{case}");
            assert_eq!(ours, faithful(&[case]), "{case}");
        }
    }

    /// The fast path writes member names without escaping them.
    #[test]
    fn member_names_need_no_escape() {
        for shape in crate::model::SHAPES.iter() {
            for member in shape.members {
                assert!(
                    member
                        .name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_'),
                    "{}",
                    member.name
                );
            }
        }
    }

    /// Numbers in every spelling JSON allows (and a few Python allows), written as Python prints them.
    #[test]
    fn numbers_print_as_python_reads_them() {
        let numbers = [
            "0",
            "-0",
            "7",
            "-12",
            "123456789012345678",
            "1234567890123456789",
            "-99999999999999999999999",
            "0.0",
            "-0.0",
            "1.5",
            "1e5",
            "1E+5",
            "1e-7",
            "2.5E-3",
            "1700000001.125",
            "1.7000000011250E9",
            "1e400",
            "-1e400",
            "NaN",
            "Infinity",
            "-Infinity",
            "123.456e2",
            "0.1",
        ];
        for n in numbers {
            let body = format!(
                r#"{{"instanceSnapshots":[{{"createdAt":{n},"sizeInGb":{n}}},{{"sizeInGb" : {n} }}]}}"#
            );
            let (ours, given_up) = fast(&[body.as_str()]);
            assert_eq!(given_up, 0, "{n}");
            assert_eq!(ours, faithful(&[body.as_str()]), "{n}");
        }
        // Not JSON numbers: the page is given up, and the faithful path decides.
        for bad in ["01", "1.", "-", "1e", ".5", "1.e5", "--1", "1x"] {
            let body = format!(r#"{{"instanceSnapshots":[{{"sizeInGb":{bad}}}]}}"#);
            let (ours, given_up) = fast(&[body.as_str()]);
            assert_eq!(given_up, 1, "{bad}");
            assert_eq!(ours, faithful(&[body.as_str()]), "{bad}");
        }
    }

    /// Decimals read off their literal print as the decoded double does (`repr(float(literal))`),
    /// over literals around every boundary of the shortcut: 15 and 16 significant digits, 1e-4,
    /// trailing zeros, minus zero.
    #[test]
    fn short_decimals_print_as_their_double() {
        let mut literals: Vec<String> = [
            "0.0",
            "-0.0",
            "0.000",
            "1.0",
            "1.50",
            "-2.250000",
            "0.0001",
            "0.00010",
            "0.00001",
            "0.001234567890123",
            "0.0001234567890123",
            "123456789012345.0",
            "1234567890123456.0",
            "123456789012345.6",
            "12345678901234.5",
            "999999999999999.9",
            "99999999999999.99",
            "0.30000000000000004",
            "0.1",
            "0.2",
            "0.3",
            "1700000001.125",
            "100000000000000.0",
            "9007199254740993.0",
            "5e-324",
            "1.7976931348623157e308",
            "-0.00012",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // A spread of digit counts and point positions (a fixed linear congruential sequence).
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let digits = (x >> 33) % 10_u64.pow(1 + (x % 17) as u32).max(1);
            let text = digits.to_string();
            let point = ((x >> 20) % (text.len() as u64 + 5)) as usize;
            let literal = if point < text.len() {
                format!(
                    "{}.{}",
                    &text[..text.len() - point],
                    &text[text.len() - point..]
                )
            } else {
                format!("0.{}{}", "0".repeat(point - text.len()), text)
            };
            let literal = if literal.starts_with('.') {
                format!("0{literal}")
            } else {
                literal
            };
            let literal = if x & 1 == 1 {
                format!("-{literal}")
            } else {
                literal
            };
            literals.push(literal);
        }
        let mut taken = 0;
        for literal in &literals {
            let mut short = String::new();
            if push_short_decimal(&mut short, literal) {
                taken += 1;
                let mut general = String::new();
                Number::Float(literal.parse().expect("a number")).push_json_repr(&mut general);
                assert_eq!(short, general, "{literal}");
            }
        }
        assert!(taken > 10_000, "the shortcut took only {taken} literals");
    }

    #[test]
    fn trims_like_the_page_loop_trims_values() {
        let body = r#"{"instanceSnapshots":[{"name":"a"},{"name":"b"},{"name":"c"},{"name":"d"}]}"#;
        let mut listing = JsonListing::new("instanceSnapshots");
        let mut page = listing
            .transcode_page(output_shape(), "nextPageToken", body.as_bytes())
            .expect("fast");
        page.slice_result("instanceSnapshots", 1);
        assert_eq!(page.truncate_result("instanceSnapshots", 1), 2);
        let mut out = Vec::new();
        listing.write(Some("tok"), &mut out).expect("writes");
        let mut value = json_decode::loads(body).expect("json");
        value.slice_result("instanceSnapshots", 1);
        value.truncate_result("instanceSnapshots", 1);
        let mut full = FullResult::new("instanceSnapshots");
        full.add_page(value);
        let expected = crate::python::json_encode::dumps(
            &full.finish(Some("tok")),
            &DumpOptions::cli_output(),
        ) + "\n";
        assert_eq!(String::from_utf8(out).expect("utf-8"), expected);
    }
}
