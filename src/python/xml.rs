//! `xml.etree.ElementTree.XMLParser` (over expat, `encoding='utf-8'`) as botocore's XML parsers use
//! it: the whole body fed at once, then `close()`. A well-formed document becomes an [`Element`] tree
//! (tags as ElementTree names them, `{namespace}local`; each element's `text`, the text before its
//! first child); anything else is a [`ParseError`] whose `Display` is Python's `ParseError` text:
//! expat's message and the 1-based line and 0-based column (in characters) where expat stopped, e.g.
//! `mismatched tag: line 1, column 8`.
//!
//! Hand-written because the bytes of those messages are the point: XML crates (quick-xml, xml-rs,
//! roxmltree) report their own wording and positions. This is a small XML 1.0 reader that follows
//! expat's tokenizer where botocore users see it (prolog and epilog tokens, tags, attributes,
//! references, comments, CDATA, processing instructions, namespaces); a DOCTYPE is skipped without
//! reading its declarations. `tests/data/python/expat.json` (recorded by
//! `tests/record/expat_corpus.py`) holds CPython's answers for the inputs the tests replay.

use std::fmt;

/// An element as ElementTree builds it (attributes and tails are not kept: botocore's query parser
/// reads neither).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// `local` or `{namespace}local`.
    pub tag: String,
    /// The text before the first child (`None` when there is none, as ElementTree's `text`).
    pub text: Option<String>,
    pub children: Vec<Element>,
}

impl Element {
    /// The tag without its `{namespace}` (botocore's `_node_tag`).
    pub fn local_name(&self) -> &str {
        match self.tag.rfind('}') {
            Some(i) if self.tag.starts_with('{') => &self.tag[i + 1..],
            _ => &self.tag,
        }
    }

    /// The first child whose local name is `name` (what `_build_name_to_xml_node` maps a name to when it
    /// is not repeated; a repeated one is read through its first element too).
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.local_name() == name)
    }
}

/// expat's error codes that this reader reports, with their messages (`XML_ErrorString`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Syntax,
    NoElements,
    InvalidToken,
    UnclosedToken,
    PartialChar,
    TagMismatch,
    DuplicateAttribute,
    JunkAfterDocElement,
    UndefinedEntity,
    BadCharRef,
    MisplacedXmlPi,
    XmlDecl,
    UnclosedCdataSection,
    UnboundPrefix,
}

impl ErrorKind {
    fn message(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax error",
            ErrorKind::NoElements => "no element found",
            ErrorKind::InvalidToken => "not well-formed (invalid token)",
            ErrorKind::UnclosedToken => "unclosed token",
            ErrorKind::PartialChar => "partial character",
            ErrorKind::TagMismatch => "mismatched tag",
            ErrorKind::DuplicateAttribute => "duplicate attribute",
            ErrorKind::JunkAfterDocElement => "junk after document element",
            ErrorKind::UndefinedEntity => "undefined entity",
            ErrorKind::BadCharRef => "reference to invalid character number",
            ErrorKind::MisplacedXmlPi => "XML or text declaration not at start of entity",
            ErrorKind::XmlDecl => "XML declaration not well-formed",
            ErrorKind::UnclosedCdataSection => "unclosed CDATA section",
            ErrorKind::UnboundPrefix => "unbound prefix",
        }
    }
}

/// `xml.etree.ElementTree.ParseError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub kind: ErrorKind,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: line {}, column {}",
            self.kind.message(),
            self.line,
            self.column
        )
    }
}

impl std::error::Error for ParseError {}

/// Parses `input` as `XMLParser(encoding='utf-8').feed(input); close()` does.
pub fn parse(input: &[u8]) -> Result<Element, ParseError> {
    let start = if input.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let mut reader = Reader {
        src: input,
        pos: start,
        doc_start: start,
        stack: Vec::new(),
        namespaces: Vec::new(),
        finished: None,
    };
    reader
        .document()
        .map_err(|(kind, at)| position(input, start, kind, at))
}

/// The line and column of byte offset `at` (expat counts `\r\n`, `\r` and `\n` as one line end, and
/// columns in characters).
fn position(input: &[u8], start: usize, kind: ErrorKind, at: usize) -> ParseError {
    let (mut line, mut column) = (1, 0);
    let mut i = start;
    let end = at.min(input.len());
    while i < end {
        match input[i] {
            b'\n' => {
                line += 1;
                column = 0;
            }
            b'\r' => {
                line += 1;
                column = 0;
                if input.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            b if b & 0xC0 == 0x80 => {}
            _ => column += 1,
        }
        i += 1;
    }
    ParseError { kind, line, column }
}

type Failure = (ErrorKind, usize);

/// An element being read: its tag, text so far, children, and where its start tag's name began.
struct Open {
    raw_name: String,
    element: Element,
    saw_child: bool,
}

struct Reader<'a> {
    src: &'a [u8],
    pos: usize,
    doc_start: usize,
    stack: Vec<Open>,
    /// In-scope namespace bindings: (prefix, uri), innermost last; one frame per open element.
    namespaces: Vec<Vec<(String, String)>>,
    /// The root element, once its end tag has been read.
    finished: Option<Element>,
}

const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// expat's name-start characters for the ASCII range; non-ASCII letters count too (see `char_at`).
fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == ':' || (!c.is_ascii() && c.is_alphabetic())
}

fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || c.is_ascii_digit()
        || c == '-'
        || c == '.'
        || c == '\u{B7}'
        || (!c.is_ascii() && (c.is_alphanumeric() || is_combining(c)))
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36F | 0x203F..=0x2040)
}

/// A character XML 1.0 allows in text.
fn is_xml_char(c: char) -> bool {
    matches!(c as u32, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// What is at a position: a character, the end of the input, or bytes that are not UTF-8
/// (`partial`: a sequence cut short by the end).
enum At {
    Char(char, usize),
    End,
    Bad { partial: bool },
}

impl Reader<'_> {
    fn at(&self, pos: usize) -> At {
        let Some(&first) = self.src.get(pos) else {
            return At::End;
        };
        if first < 0x80 {
            return At::Char(first as char, 1);
        }
        let len = match first {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => return At::Bad { partial: false },
        };
        let end = pos + len;
        if end > self.src.len() {
            let tail = &self.src[pos + 1..];
            let partial = tail.iter().all(|b| b & 0xC0 == 0x80);
            return At::Bad { partial };
        }
        match std::str::from_utf8(&self.src[pos..end]) {
            Ok(s) => match s.chars().next() {
                Some(c) => At::Char(c, len),
                None => At::Bad { partial: false },
            },
            Err(_) => At::Bad { partial: false },
        }
    }

    fn char_at(&self, pos: usize) -> Option<char> {
        match self.at(pos) {
            At::Char(c, _) => Some(c),
            _ => None,
        }
    }

    fn starts_with(&self, pos: usize, s: &str) -> bool {
        self.src[pos.min(self.src.len())..].starts_with(s.as_bytes())
    }

    fn skip_space(&mut self) {
        while self.src.get(self.pos).copied().is_some_and(is_space) {
            self.pos += 1;
        }
    }

    /// The end of the name starting at `pos` (`pos` itself when no name starts there).
    fn name_end(&self, pos: usize) -> usize {
        let mut end = pos;
        let mut first = true;
        while let At::Char(c, len) = self.at(end) {
            let ok = if first {
                is_name_start(c)
            } else {
                is_name_char(c)
            };
            if !ok {
                break;
            }
            first = false;
            end += len;
        }
        end
    }

    fn text(&self, from: usize, to: usize) -> String {
        let raw = String::from_utf8_lossy(&self.src[from..to]);
        if raw.contains('\r') {
            raw.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            raw.into_owned()
        }
    }

    fn document(&mut self) -> Result<Element, Failure> {
        // The prolog: declaration, comments, processing instructions, a DOCTYPE, then the root.
        loop {
            self.skip_space();
            match self.at(self.pos) {
                At::End => return Err((ErrorKind::NoElements, self.pos)),
                At::Bad { .. } => return Err((ErrorKind::InvalidToken, self.pos)),
                At::Char('<', _) => {
                    let lt = self.pos;
                    match self.at(lt + 1) {
                        At::Char('?', _) => self.processing_instruction(false)?,
                        At::Char('!', _) => self.markup_declaration()?,
                        At::Char(c, _) if is_name_start(c) => break,
                        At::End => return Err((ErrorKind::UnclosedToken, lt)),
                        _ => return Err((ErrorKind::InvalidToken, lt + 1)),
                    }
                }
                At::Char(_, _) => return Err(self.stray_prolog_token(ErrorKind::Syntax)),
            }
        }
        let root = self.element()?;
        // The epilog: only space, comments and processing instructions.
        loop {
            self.skip_space();
            match self.at(self.pos) {
                At::End => return Ok(root),
                At::Bad { .. } => return Err((ErrorKind::InvalidToken, self.pos)),
                At::Char('<', _) => {
                    let lt = self.pos;
                    match self.at(lt + 1) {
                        At::Char('?', _) => {
                            if self.xml_declaration_at(lt) {
                                return Err((ErrorKind::JunkAfterDocElement, lt));
                            }
                            self.processing_instruction(false)?
                        }
                        At::Char('!', _) if self.starts_with(lt, "<!--") => self.comment()?,
                        At::Char('!', _) => return Err((ErrorKind::JunkAfterDocElement, lt)),
                        At::Char(c, _) if is_name_start(c) => {
                            return Err((ErrorKind::JunkAfterDocElement, lt))
                        }
                        At::End => return Err((ErrorKind::UnclosedToken, lt)),
                        _ => return Err((ErrorKind::InvalidToken, lt + 1)),
                    }
                }
                At::Char(_, _) => {
                    return Err(self.stray_prolog_token(ErrorKind::JunkAfterDocElement))
                }
            }
        }
    }

    /// A token of the prolog or epilog that cannot be there: a name, a literal or a punctuation mark
    /// is `complete` (a syntax error in the prolog, junk in the epilog, at its start); a character
    /// that starts no token, or that cuts a name short, is an invalid token where it stands.
    fn stray_prolog_token(&self, complete: ErrorKind) -> Failure {
        let start = self.pos;
        let Some(c) = self.char_at(start) else {
            return (ErrorKind::InvalidToken, start);
        };
        match c {
            '[' | '(' | ')' | '>' | '|' | ',' | ']' => (complete, start),
            '"' | '\'' => {
                let quote = c as u8;
                match self.src[start + 1..].iter().position(|&b| b == quote) {
                    Some(_) => (complete, start),
                    None => (ErrorKind::UnclosedToken, start),
                }
            }
            '%' | '#' if start + 1 >= self.src.len() => (ErrorKind::UnclosedToken, start),
            c if is_name_char(c) => {
                let mut end = start;
                while let At::Char(c, len) = self.at(end) {
                    if !is_name_char(c) {
                        break;
                    }
                    end += len;
                }
                match self.at(end) {
                    At::End => (complete, start),
                    At::Char(c, _)
                        if is_space(c as u8) && c.is_ascii()
                            || matches!(c, '>' | ')' | ',' | '|' | '[' | '%' | '+' | '*' | '?') =>
                    {
                        (complete, start)
                    }
                    _ => (ErrorKind::InvalidToken, end),
                }
            }
            _ => (ErrorKind::InvalidToken, start),
        }
    }

    fn xml_declaration_at(&self, lt: usize) -> bool {
        self.starts_with(lt, "<?xml")
            && matches!(self.src.get(lt + 5), Some(b) if is_space(*b) || *b == b'?')
    }

    /// `<?target ...?>` at `self.pos`. The `<?xml ...?>` declaration is allowed only at the very
    /// start of the document (`in_content`: never).
    fn processing_instruction(&mut self, in_content: bool) -> Result<(), Failure> {
        let lt = self.pos;
        let Some(close) = find(self.src, lt + 2, b"?>") else {
            return Err((ErrorKind::UnclosedToken, lt));
        };
        let name_end = self.name_end(lt + 2);
        if name_end == lt + 2 {
            return Err((ErrorKind::InvalidToken, lt + 2));
        }
        if self.xml_declaration_at(lt) {
            if in_content || lt != self.doc_start {
                return Err((ErrorKind::MisplacedXmlPi, lt));
            }
            let body = self.text(lt + 5, close);
            if !body.trim_start().starts_with("version") {
                return Err((
                    ErrorKind::XmlDecl,
                    lt + 5 + (body.len() - body.trim_start().len()),
                ));
            }
        }
        self.pos = close + 2;
        Ok(())
    }

    /// `<!` in the prolog: a comment or a DOCTYPE (skipped, internal subset included).
    fn markup_declaration(&mut self) -> Result<(), Failure> {
        let lt = self.pos;
        if self.starts_with(lt, "<!--") {
            return self.comment();
        }
        if self.starts_with(lt, "<!DOCTYPE") {
            let mut i = lt + 9;
            let had_space = self.src.get(i).copied().is_some_and(is_space);
            while self.src.get(i).copied().is_some_and(is_space) {
                i += 1;
            }
            if !had_space || self.name_end(i) == i {
                return Err((
                    if i >= self.src.len() {
                        ErrorKind::UnclosedToken
                    } else {
                        ErrorKind::InvalidToken
                    },
                    if i >= self.src.len() { lt } else { i },
                ));
            }
            let mut depth = 0usize;
            let mut quote = None;
            while let Some(&b) = self.src.get(i) {
                match (quote, b) {
                    (Some(q), b) if b == q => quote = None,
                    (Some(_), _) => {}
                    (None, b'"' | b'\'') => quote = Some(b),
                    (None, b'[') => depth += 1,
                    (None, b']') => depth = depth.saturating_sub(1),
                    (None, b'>') if depth == 0 => {
                        self.pos = i + 1;
                        return Ok(());
                    }
                    _ => {}
                }
                i += 1;
            }
            return Err((ErrorKind::NoElements, self.src.len()));
        }
        if self.src.len() < lt + 9 {
            return Err((ErrorKind::UnclosedToken, lt));
        }
        Err((ErrorKind::Syntax, lt))
    }

    /// `<!-- ... -->`: `--` may only close it.
    fn comment(&mut self) -> Result<(), Failure> {
        let lt = self.pos;
        let mut i = lt + 4;
        loop {
            match self.at(i) {
                At::End => return Err((ErrorKind::UnclosedToken, lt)),
                At::Bad { partial: true } => return Err((ErrorKind::UnclosedToken, lt)),
                At::Bad { partial: false } => return Err((ErrorKind::InvalidToken, i)),
                At::Char('-', _) if self.src.get(i + 1) == Some(&b'-') => {
                    return match self.src.get(i + 2) {
                        Some(b'>') => {
                            self.pos = i + 3;
                            Ok(())
                        }
                        None => Err((ErrorKind::UnclosedToken, lt)),
                        Some(_) => Err((ErrorKind::InvalidToken, i + 2)),
                    };
                }
                At::Char(c, _) if !is_xml_char(c) => return Err((ErrorKind::InvalidToken, i)),
                At::Char(_, len) => i += len,
            }
        }
    }

    /// The root element and everything in it, `self.pos` at its `<`.
    fn element(&mut self) -> Result<Element, Failure> {
        self.start_tag()?;
        let mut text_start = self.pos;
        let mut text = String::new();
        while !self.stack.is_empty() {
            match self.at(self.pos) {
                At::End => return Err((ErrorKind::NoElements, self.pos)),
                At::Bad { partial: true } => return Err((ErrorKind::PartialChar, self.pos)),
                At::Bad { partial: false } => return Err((ErrorKind::InvalidToken, self.pos)),
                At::Char('<', _) => {
                    text.push_str(&self.text(text_start, self.pos));
                    let lt = self.pos;
                    match self.at(lt + 1) {
                        At::Char('/', _) => {
                            self.flush_text(&mut text);
                            self.end_tag()?;
                        }
                        At::Char('!', _) if self.starts_with(lt, "<!--") => self.comment()?,
                        At::Char('!', _) if self.starts_with(lt, "<![CDATA[") => {
                            let Some(end) = find(self.src, lt + 9, b"]]>") else {
                                return Err((ErrorKind::UnclosedCdataSection, self.src.len()));
                            };
                            text.push_str(&self.text(lt + 9, end));
                            self.pos = end + 3;
                        }
                        At::Char('!', _) => {
                            return Err(if lt + 9 > self.src.len() {
                                (ErrorKind::UnclosedToken, lt)
                            } else {
                                (ErrorKind::InvalidToken, lt + 2)
                            })
                        }
                        At::Char('?', _) => self.processing_instruction(true)?,
                        At::Char(c, _) if is_name_start(c) => {
                            self.flush_text(&mut text);
                            self.start_tag()?;
                        }
                        At::End => return Err((ErrorKind::UnclosedToken, lt)),
                        _ => return Err((ErrorKind::InvalidToken, lt + 1)),
                    }
                    text_start = self.pos;
                }
                At::Char('&', _) => {
                    text.push_str(&self.text(text_start, self.pos));
                    let value = self.reference(self.pos)?;
                    text.push_str(&value);
                    text_start = self.pos;
                }
                At::Char(']', _) if self.starts_with(self.pos, "]]>") => {
                    return Err((ErrorKind::InvalidToken, self.pos + 2))
                }
                At::Char(c, _) if !is_xml_char(c) => {
                    return Err((ErrorKind::InvalidToken, self.pos))
                }
                At::Char(_, len) => self.pos += len,
            }
        }
        // The root's own `Element` was handed back by `end_tag` through `finished`.
        self.finished
            .take()
            .ok_or((ErrorKind::NoElements, self.pos))
    }
}

/// The first `needle` in `haystack` at or after `from`.
fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

impl Reader<'_> {
    /// Text read since the last tag goes to the open element's `text` if it has no child yet
    /// (after a child it is that child's tail, which nothing reads).
    fn flush_text(&mut self, text: &mut String) {
        if text.is_empty() {
            return;
        }
        if let Some(open) = self.stack.last_mut() {
            if !open.saw_child {
                open.element
                    .text
                    .get_or_insert_with(String::new)
                    .push_str(text);
            }
        }
        text.clear();
    }

    /// A start tag (or an empty-element tag) at `self.pos`: name, attributes, namespaces.
    fn start_tag(&mut self) -> Result<(), Failure> {
        let lt = self.pos;
        let name_start = lt + 1;
        let name_end = self.name_end(name_start);
        let raw_name = self.text(name_start, name_end);
        let mut attributes: Vec<(String, usize)> = Vec::new();
        let mut bindings: Vec<(String, String)> = Vec::new();
        let mut i = name_end;
        let empty = loop {
            let space_start = i;
            while self.src.get(i).copied().is_some_and(is_space) {
                i += 1;
            }
            match self.at(i) {
                At::End | At::Bad { partial: true } => return Err((ErrorKind::UnclosedToken, lt)),
                At::Bad { partial: false } => return Err((ErrorKind::InvalidToken, i)),
                At::Char('>', _) => break false,
                At::Char('/', _) => match self.at(i + 1) {
                    At::Char('>', _) => break true,
                    At::End => return Err((ErrorKind::UnclosedToken, lt)),
                    _ => return Err((ErrorKind::InvalidToken, i + 1)),
                },
                At::Char(c, _) if is_name_start(c) && i > space_start => {
                    let attr_start = i;
                    let attr_end = self.name_end(i);
                    let attr_name = self.text(attr_start, attr_end);
                    i = attr_end;
                    while self.src.get(i).copied().is_some_and(is_space) {
                        i += 1;
                    }
                    match self.at(i) {
                        At::End => return Err((ErrorKind::UnclosedToken, lt)),
                        At::Char('=', _) => i += 1,
                        _ => return Err((ErrorKind::InvalidToken, i)),
                    }
                    while self.src.get(i).copied().is_some_and(is_space) {
                        i += 1;
                    }
                    let quote = match self.at(i) {
                        At::End => return Err((ErrorKind::UnclosedToken, lt)),
                        At::Char(q @ ('"' | '\''), _) => q,
                        _ => return Err((ErrorKind::InvalidToken, i)),
                    };
                    i += 1;
                    let mut value = String::new();
                    let mut run = i;
                    loop {
                        match self.at(i) {
                            At::End | At::Bad { partial: true } => {
                                return Err((ErrorKind::UnclosedToken, lt))
                            }
                            At::Bad { partial: false } => return Err((ErrorKind::InvalidToken, i)),
                            At::Char(c, _) if c == quote => break,
                            At::Char('<', _) => return Err((ErrorKind::InvalidToken, i)),
                            At::Char('&', _) => {
                                value.push_str(&self.text(run, i));
                                let saved = self.pos;
                                value.push_str(&self.reference(i)?);
                                i = self.pos;
                                self.pos = saved;
                                run = i;
                            }
                            At::Char(c, _) if !is_xml_char(c) => {
                                return Err((ErrorKind::InvalidToken, i))
                            }
                            At::Char(_, len) => i += len,
                        }
                    }
                    value.push_str(&self.text(run, i));
                    i += 1;
                    if attributes.iter().any(|(n, _)| *n == attr_name) {
                        return Err((ErrorKind::DuplicateAttribute, attr_start));
                    }
                    if attr_name == "xmlns" {
                        bindings.push((String::new(), value));
                    } else if let Some(prefix) = attr_name.strip_prefix("xmlns:") {
                        bindings.push((prefix.to_owned(), value));
                    }
                    attributes.push((attr_name, attr_start));
                }
                _ => return Err((ErrorKind::InvalidToken, i)),
            }
        };
        self.namespaces.push(bindings);
        // Every prefix used by the element or its attributes must be bound.
        let tag = self
            .qualify(&raw_name, true)
            .ok_or((ErrorKind::UnboundPrefix, lt))?;
        for (attr, _) in &attributes {
            if attr != "xmlns" && !attr.starts_with("xmlns:") && attr.contains(':') {
                self.qualify(attr, false)
                    .ok_or((ErrorKind::UnboundPrefix, lt))?;
            }
        }
        if let Some(parent) = self.stack.last_mut() {
            parent.saw_child = true;
        }
        self.stack.push(Open {
            raw_name,
            element: Element {
                tag,
                text: None,
                children: Vec::new(),
            },
            saw_child: false,
        });
        if empty {
            self.pos = i + 2;
            self.close_top();
        } else {
            self.pos = i + 1;
        }
        Ok(())
    }

    /// `prefix:local` or `local` as ElementTree names it (`{uri}local`); `None` for an unbound prefix.
    /// Unprefixed attributes are in no namespace; unprefixed elements in the default one.
    fn qualify(&self, name: &str, element: bool) -> Option<String> {
        let (prefix, local) = match name.split_once(':') {
            Some((p, l)) => (p, l),
            None if !element => return Some(name.to_owned()),
            None => ("", name),
        };
        if prefix == "xml" {
            return Some(format!("{{{XML_NAMESPACE}}}{local}"));
        }
        let uri = self
            .namespaces
            .iter()
            .rev()
            .flat_map(|frame| frame.iter().rev())
            .find(|(p, _)| p == prefix)
            .map(|(_, uri)| uri.as_str());
        match (uri, prefix.is_empty()) {
            (Some(""), true) | (None, true) => Some(local.to_owned()),
            (Some(uri), _) => Some(format!("{{{uri}}}{local}")),
            (None, false) => None,
        }
    }

    /// `</name>` at `self.pos`.
    fn end_tag(&mut self) -> Result<(), Failure> {
        let lt = self.pos;
        let name_start = lt + 2;
        let name_end = self.name_end(name_start);
        if name_end == name_start {
            return Err(match self.at(name_start) {
                At::End => (ErrorKind::UnclosedToken, lt),
                _ => (ErrorKind::InvalidToken, name_start),
            });
        }
        let mut i = name_end;
        while self.src.get(i).copied().is_some_and(is_space) {
            i += 1;
        }
        match self.at(i) {
            At::Char('>', _) => {}
            At::End | At::Bad { partial: true } => return Err((ErrorKind::UnclosedToken, lt)),
            _ => return Err((ErrorKind::InvalidToken, i)),
        }
        let name = self.text(name_start, name_end);
        if self.stack.last().map(|o| o.raw_name.as_str()) != Some(name.as_str()) {
            return Err((ErrorKind::TagMismatch, name_start));
        }
        self.pos = i + 1;
        self.close_top();
        Ok(())
    }

    /// The innermost open element is complete: it becomes its parent's child (or the root).
    fn close_top(&mut self) {
        self.namespaces.pop();
        if let Some(done) = self.stack.pop() {
            match self.stack.last_mut() {
                Some(parent) => parent.element.children.push(done.element),
                None => self.finished = Some(done.element),
            }
        }
    }

    /// `&name;`, `&#N;` or `&#xH;` at `amp`; leaves `self.pos` after the `;`.
    fn reference(&mut self, amp: usize) -> Result<String, Failure> {
        let mut i = amp + 1;
        let unclosed_or_invalid = |reader: &Self, at: usize| match reader.at(at) {
            At::End | At::Bad { partial: true } => (ErrorKind::UnclosedToken, amp),
            _ => (ErrorKind::InvalidToken, at),
        };
        if self.src.get(i) == Some(&b'#') {
            i += 1;
            let hex = self.src.get(i) == Some(&b'x');
            if hex {
                i += 1;
            }
            let digits_start = i;
            while self.src.get(i).is_some_and(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            }) {
                i += 1;
            }
            if i == digits_start || self.src.get(i) != Some(&b';') {
                return Err(unclosed_or_invalid(self, i));
            }
            let digits = self.text(digits_start, i);
            let number = u32::from_str_radix(&digits, if hex { 16 } else { 10 }).ok();
            let c = number
                .and_then(char::from_u32)
                .filter(|c| is_xml_char(*c))
                .ok_or((ErrorKind::BadCharRef, amp))?;
            self.pos = i + 1;
            return Ok(c.to_string());
        }
        let name_end = self.name_end(i);
        if name_end == i {
            return Err(unclosed_or_invalid(self, i));
        }
        if self.src.get(name_end) != Some(&b';') {
            return Err(unclosed_or_invalid(self, name_end));
        }
        let value = match &self.src[i..name_end] {
            b"amp" => "&",
            b"lt" => "<",
            b"gt" => ">",
            b"quot" => "\"",
            b"apos" => "'",
            _ => return Err((ErrorKind::UndefinedEntity, amp)),
        };
        self.pos = name_end + 1;
        Ok(value.to_owned())
    }
}

#[cfg(test)]
mod tests;
