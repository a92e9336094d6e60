//! The model's HTML documentation strings, converted to reStructuredText as the reference does.
//!
//! The reference feeds each documentation string to Python's `html.parser.HTMLParser` and builds a
//! small tree (bcdoc's `DocStringParser`): tags with a style handler (`p`, `code`, `a`, `b`, `i`, `ul`,
//! `ol`, `li`, `note`, `important`, `danger`, `examples`, `fullname`, ...) become nodes, every other tag
//! is dropped, and each run of text collapses its whitespace (leading whitespace goes, one trailing
//! space stays). `<li>` items lose the whitespace in front of their first text. The tree is then
//! written into the [`RestDoc`]. No HTML crate reproduces that tree (unhandled end tags are ignored,
//! handled ones always close the innermost open node), so this is a small hand-written tokenizer.

use super::rest::RestDoc;

/// Python's `str.isspace` for one character (Unicode White_Space plus the ASCII separators
/// `\x1c`..`\x1f`).
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// The tags bcdoc's `ReSTStyle` has a start handler for (and so builds a node for).
fn has_start_handler(tag: &str) -> bool {
    matches!(
        tag,
        "bold"
            | "b"
            | "italics"
            | "i"
            | "p"
            | "code"
            | "note"
            | "important"
            | "danger"
            | "a"
            | "li"
            | "ul"
            | "ol"
            | "examples"
            | "fullname"
            | "codeblock"
    )
}

/// Every start handler has its end handler.
fn has_end_handler(tag: &str) -> bool {
    has_start_handler(tag)
}

type Attrs = Vec<(String, Option<String>)>;

/// An open node while parsing: its tag (none for the root) and its children so far.
type OpenNode = (Option<(String, Attrs)>, Vec<Node>);

#[derive(Debug)]
enum Node {
    Tag {
        tag: String,
        attrs: Attrs,
        children: Vec<Node>,
    },
    Data(String),
}

/// Writes the reStructuredText for one documentation string into `doc`.
pub fn include_doc_string(doc: &mut RestDoc, html: &str) {
    if html.is_empty() {
        return;
    }
    let tree = parse(html);
    for node in &tree {
        write_node(doc, node);
    }
}

// ---- tokenizing and tree building ----

/// Builds bcdoc's tree: handled start tags open a node, handled end tags close the innermost one.
fn parse(html: &str) -> Vec<Node> {
    // A stack of open nodes; index 0 is the root.
    let mut stack: Vec<OpenNode> = vec![(None, Vec::new())];
    let on_start = |stack: &mut Vec<OpenNode>, tag: String, attrs: Attrs| {
        if has_start_handler(&tag) {
            stack.push((Some((tag, attrs)), Vec::new()));
        }
    };
    let on_end = |stack: &mut Vec<OpenNode>, tag: &str| {
        if has_end_handler(tag) && stack.len() > 1 {
            close_top(stack);
        }
    };
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &html[i..];
        let next = rest.as_bytes().get(1).copied();
        let consumed = match next {
            Some(c) if c.is_ascii_alphabetic() => parse_start_tag(rest),
            Some(b'/') => parse_end_tag(rest),
            Some(b'!') | Some(b'?') => skip_markup_declaration(rest),
            _ => None,
        };
        let Some((len, token)) = consumed else {
            i += 1;
            continue;
        };
        flush_text(&mut stack, &html[text_start..i]);
        match token {
            Token::Start(tag, attrs, self_closing) => {
                let handled = has_start_handler(&tag);
                on_start(&mut stack, tag.clone(), attrs);
                if self_closing && handled {
                    on_end(&mut stack, &tag);
                }
            }
            Token::End(tag) => on_end(&mut stack, &tag),
            Token::Ignored => {}
        }
        i += len;
        text_start = i;
    }
    flush_text(&mut stack, &html[text_start..]);
    while stack.len() > 1 {
        close_top(&mut stack);
    }
    stack
        .pop()
        .map(|(_, children)| children)
        .unwrap_or_default()
}

fn close_top(stack: &mut Vec<OpenNode>) {
    if let Some((Some((tag, attrs)), children)) = stack.pop() {
        if let Some(parent) = stack.last_mut() {
            parent.1.push(Node::Tag {
                tag,
                attrs,
                children,
            });
        }
    }
}

fn flush_text(stack: &mut [OpenNode], raw: &str) {
    if raw.is_empty() {
        return;
    }
    if let Some(top) = stack.last_mut() {
        top.1.push(Node::Data(unescape(raw)));
    }
}

enum Token {
    Start(String, Attrs, bool),
    End(String),
    Ignored,
}

fn parse_start_tag(s: &str) -> Option<(usize, Token)> {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>') {
        i += 1;
    }
    let tag = s[1..i].to_ascii_lowercase();
    let mut attrs = Attrs::new();
    loop {
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        match b[i] {
            b'>' => return Some((i + 1, Token::Start(tag, attrs, false))),
            b'/' if b.get(i + 1) == Some(&b'>') => {
                return Some((i + 2, Token::Start(tag, attrs, true)))
            }
            b'/' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let name_start = i;
        while i < b.len()
            && !matches!(
                b[i],
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>' | b'='
            )
        {
            i += 1;
        }
        let name = s[name_start..i].to_ascii_lowercase();
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            attrs.push((name, None));
            continue;
        }
        i += 1;
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
            i += 1;
        }
        let value = match b.get(i) {
            Some(&q) if q == b'"' || q == b'\'' => {
                let end = s[i + 1..].find(q as char)? + i + 1;
                let v = &s[i + 1..end];
                i = end + 1;
                v
            }
            _ => {
                let start = i;
                while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>')
                {
                    i += 1;
                }
                &s[start..i]
            }
        };
        attrs.push((name, Some(unescape(value))));
    }
}

fn parse_end_tag(s: &str) -> Option<(usize, Token)> {
    let end = s.find('>')?;
    let inner = &s[2..end];
    let name: String = inner
        .chars()
        .take_while(|c| !c.is_ascii_whitespace() && *c != '/')
        .collect::<String>()
        .to_ascii_lowercase();
    Some((end + 1, Token::End(name)))
}

fn skip_markup_declaration(s: &str) -> Option<(usize, Token)> {
    if let Some(body) = s.strip_prefix("<!--") {
        let end = body.find("-->")?;
        return Some((4 + end + 3, Token::Ignored));
    }
    let end = s.find('>')?;
    Some((end + 1, Token::Ignored))
}

/// `html.unescape` for the character references the model uses (named ones it knows, numeric ones).
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let (replacement, len) = char_reference(rest);
        match replacement {
            Some(r) => {
                out.push_str(&r);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn char_reference(s: &str) -> (Option<String>, usize) {
    if let Some(num) = s.strip_prefix("&#") {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (
                hex.chars()
                    .take_while(|c| c.is_ascii_hexdigit())
                    .collect::<String>(),
                16,
                3,
            ),
            None => (
                num.chars()
                    .take_while(|c| c.is_ascii_digit())
                    .collect::<String>(),
                10,
                2,
            ),
        };
        if digits.is_empty() {
            return (None, 0);
        }
        let mut len = skip + digits.len();
        if s[len..].starts_with(';') {
            len += 1;
        }
        let c = u32::from_str_radix(&digits, radix)
            .ok()
            .and_then(char::from_u32)
            .unwrap_or('\u{fffd}');
        return (Some(c.to_string()), len);
    }
    const NAMED: &[(&str, &str)] = &[
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&apos;", "'"),
        ("&nbsp;", "\u{a0}"),
    ];
    for (name, value) in NAMED {
        if s.starts_with(name) {
            return (Some((*value).to_string()), name.len());
        }
    }
    (None, 0)
}

// ---- writing the tree ----

fn write_node(doc: &mut RestDoc, node: &Node) {
    match node {
        Node::Data(text) => write_data(doc, text),
        Node::Tag {
            tag,
            attrs,
            children,
        } => {
            if tag == "li" {
                let mut children_owned: Vec<Node> = children.iter().map(clone_node).collect();
                lstrip(&mut children_owned);
                start_tag(doc, tag, attrs);
                for child in &children_owned {
                    write_node(doc, child);
                }
                end_tag(doc, tag);
                return;
            }
            start_tag(doc, tag, attrs);
            for child in children {
                write_node(doc, child);
            }
            end_tag(doc, tag);
        }
    }
}

fn clone_node(node: &Node) -> Node {
    match node {
        Node::Data(d) => Node::Data(d.clone()),
        Node::Tag {
            tag,
            attrs,
            children,
        } => Node::Tag {
            tag: tag.clone(),
            attrs: attrs.clone(),
            children: children.iter().map(clone_node).collect(),
        },
    }
}

/// Strips leading whitespace from text nodes, depth first, until one with text remains.
fn lstrip(children: &mut [Node]) -> bool {
    for child in children {
        match child {
            Node::Data(d) => {
                let stripped = d.trim_start_matches(is_py_space).to_string();
                *d = stripped;
                if !d.is_empty() {
                    return true;
                }
            }
            Node::Tag { children, .. } => {
                if lstrip(children) {
                    return true;
                }
            }
        }
    }
    false
}

/// A text node: whitespace runs collapse to one space, leading whitespace goes, a trailing one stays.
fn write_data(doc: &mut RestDoc, data: &str) {
    if data.is_empty() {
        return;
    }
    if data.chars().all(is_py_space) {
        doc.handle_data(" ");
        return;
    }
    let end_space = data.chars().last().is_some_and(is_py_space);
    let mut text = data
        .split(is_py_space)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if end_space {
        text.push(' ');
    }
    doc.handle_data(&text);
}

fn start_tag(doc: &mut RestDoc, tag: &str, attrs: &Attrs) {
    match tag {
        "bold" | "b" => doc.start_bold(),
        "italics" | "i" => doc.start_italics(),
        "p" => doc.start_p(),
        "code" => doc.start_code(),
        "note" => doc.start_directive(".. note::"),
        "important" => doc.start_directive(".. warning::"),
        "danger" => doc.start_directive(".. danger::"),
        "a" => doc.start_a(attrs),
        "li" => doc.start_li(),
        "ul" | "ol" => doc.start_ul(),
        "examples" | "fullname" => doc.set_keep_data(false),
        "codeblock" => doc.start_codeblock(),
        _ => {}
    }
}

fn end_tag(doc: &mut RestDoc, tag: &str) {
    match tag {
        "bold" | "b" => doc.end_bold(),
        "italics" | "i" => doc.end_italics(),
        "p" => doc.end_p(),
        "code" => doc.end_code(),
        "note" | "important" | "danger" => doc.end_directive(),
        "a" => doc.end_a(),
        "li" => doc.end_li(),
        "ul" | "ol" => doc.end_ul(),
        "examples" | "fullname" => doc.set_keep_data(true),
        "codeblock" => doc.end_codeblock(),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rst(html: &str) -> String {
        let mut doc = RestDoc::new();
        include_doc_string(&mut doc, html);
        doc.into_string()
    }

    #[test]
    fn paragraphs_code_and_links() {
        assert_eq!(rst("<p>A <code>x</code>.</p>"), "\n\nA ``x`` .\n\n");
        assert_eq!(
            rst("<p>see <a href=\"http://e\">Guide: x</a>.</p>"),
            "\n\nsee `Guide\\: x <http://e>`__ .\n\n"
        );
        assert_eq!(rst("<p><code></code></p>"), "\n\n\n\n");
        assert_eq!(rst("a &lt;b&gt;"), "a <b>");
    }
}
