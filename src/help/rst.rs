//! A reStructuredText parser for the subset the help pages use, producing docutils' document tree.
//!
//! Handled: section titles with overline and underline (the first style is the document title, which
//! docutils promotes), paragraphs, `::` literal blocks (expanded or alone), indented block quotes,
//! bullet lists (`*`, `-`, `+`), the `note`/`warning`/`danger` directives, comments, targets and the
//! HTML-only `meta` directive (both produce nothing in a man page), and the inline markup
//! `` ``literal`` ``, `*emphasis*`, `**strong**`, `` `text <url>`__ `` references and `` `title` ``
//! references, with docutils' rules for where inline markup may start and end and for backslash
//! escapes. A strong or emphasis start-string without its end-string becomes docutils' "problematic"
//! node plus a WARNING system message after the paragraph (and a line for stderr), as in the
//! reference's `create-certificate` page. No crate parses reStructuredText into docutils' exact tree,
//! hence this module. Anything outside the subset is read as plain paragraphs (see the tests).

/// The parsed page.
#[derive(Debug, Default, PartialEq)]
pub struct Document {
    /// The promoted document title (`.TH`).
    pub title: String,
    pub body: Vec<Block>,
    /// What docutils reports on stderr while parsing (`<string>:LINE: (WARNING/2) ...`), in order.
    pub warnings: Vec<String>,
}

/// A body element of docutils' tree.
#[derive(Debug, PartialEq)]
pub enum Block {
    /// A section below the document title; `level` 1 is `.SH`, deeper ones `.SS`.
    Section {
        level: usize,
        title: String,
        body: Vec<Block>,
    },
    Paragraph(Vec<Inline>),
    LiteralBlock(String),
    BlockQuote(Vec<Block>),
    BulletList(Vec<Vec<Block>>),
    /// An admonition directive (`note`, `warning`, `danger`) with its label.
    Admonition {
        name: &'static str,
        body: Vec<Block>,
    },
    /// A warning docutils leaves in the document (after the paragraph it is about).
    SystemMessage {
        line: usize,
        message: &'static str,
    },
}

/// Inline content of a paragraph.
#[derive(Debug, PartialEq)]
pub enum Inline {
    Text(String),
    Literal(String),
    Emphasis(String),
    Strong(String),
    /// A hyperlink reference; only its text appears in a man page.
    Reference(String),
    TitleReference(String),
    /// Markup docutils could not parse (its start-string) with the warning it reports.
    Problematic(String, &'static str),
}

/// Parses a page.
pub fn parse(source: &str) -> Document {
    // docutils' `string2lines`: Python's `splitlines`, tabs expanded, trailing whitespace stripped.
    // The lines are kept in one buffer so that a line's address orders it (see `line_number`).
    let mut buffer = String::with_capacity(source.len());
    let mut starts = Vec::new();
    for line in split_lines(source) {
        starts.push(buffer.len());
        let line = expand_tabs(line);
        buffer.push_str(line.trim_end_matches(super::html::is_py_space));
        buffer.push('\n');
    }
    let base = buffer.as_ptr() as usize;
    let refs: Vec<&str> = starts
        .iter()
        .enumerate()
        .map(|(i, &start)| {
            let end = starts.get(i + 1).map_or(buffer.len(), |&next| next) - 1;
            &buffer[start..end]
        })
        .collect();
    let line_starts = starts.iter().map(|&start| base + start).collect();
    let mut parser = Parser {
        line_starts,
        warnings: Vec::new(),
        title_styles: Vec::new(),
    };
    let blocks = parser.parse_blocks(&refs, true);
    let mut doc = promote_title(blocks);
    doc.warnings = parser.warnings;
    doc
}

/// Python's `str.splitlines()`.
fn split_lines(source: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = source.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let is_break = matches!(
            c,
            '\n' | '\r'
                | '\x0b'
                | '\x0c'
                | '\x1c'
                | '\x1d'
                | '\x1e'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if !is_break {
            continue;
        }
        lines.push(&source[start..i]);
        start = i + c.len_utf8();
        if c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n') {
            chars.next();
            start += 1;
        }
    }
    if start < source.len() {
        lines.push(&source[start..]);
    }
    lines
}

fn expand_tabs(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains('\t') {
        return std::borrow::Cow::Borrowed(line);
    }
    let mut out = String::new();
    let mut column = 0;
    for c in line.chars() {
        if c == '\t' {
            let pad = 8 - column % 8;
            out.extend(std::iter::repeat_n(' ', pad));
            column += pad;
        } else {
            out.push(c);
            column += 1;
        }
    }
    std::borrow::Cow::Owned(out)
}

/// docutils' `DocTitle` transform: a lone top-level section becomes the document title and its
/// subsections move up one level.
fn promote_title(blocks: Vec<Block>) -> Document {
    let sections = blocks
        .iter()
        .filter(|b| matches!(b, Block::Section { .. }))
        .count();
    if blocks.len() == 1 && sections == 1 {
        if let Some(Block::Section { title, body, .. }) = blocks.into_iter().next() {
            return Document {
                title,
                body: body.into_iter().map(raise_level).collect(),
                warnings: Vec::new(),
            };
        }
        return Document::default();
    }
    Document {
        title: String::new(),
        body: blocks,
        warnings: Vec::new(),
    }
}

fn raise_level(block: Block) -> Block {
    match block {
        Block::Section { level, title, body } => Block::Section {
            level: level.saturating_sub(1),
            title,
            body: body.into_iter().map(raise_level).collect(),
        },
        other => other,
    }
}

struct Parser {
    /// Start address of every source line in the parse buffer (ascending), to find the line number
    /// of a (dedented) slice.
    line_starts: Vec<usize>,
    /// The warnings docutils prints on stderr, in order.
    warnings: Vec<String>,
    /// Adornment styles (character, has overline) in order of first appearance = section levels.
    title_styles: Vec<(char, bool)>,
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// A line made of one repeated punctuation character (a section adornment). An overline may be of
/// any length (docutils reads any such line as a possible overline where titles are allowed); an
/// underline-only title needs at least four characters here.
fn adornment_char(line: &str, min_len: usize) -> Option<char> {
    let first = line.chars().next()?;
    if line.chars().count() < min_len
        || !first.is_ascii_punctuation()
        || !line.chars().all(|c| c == first)
    {
        return None;
    }
    Some(first)
}

/// Removes `by` leading columns from each line of an indented block.
fn dedent<'a>(lines: &[&'a str], by: usize) -> Vec<&'a str> {
    lines
        .iter()
        .map(|l| if l.len() >= by { &l[by..] } else { "" })
        .collect()
}

/// The lines of the indented block starting at `start` (blank lines inside it included, trailing
/// blank lines excluded) and its minimal indentation.
fn indented_block<'a>(lines: &[&'a str], start: usize) -> (Vec<&'a str>, usize, usize) {
    let mut end = start;
    while end < lines.len() && (is_blank(lines[end]) || indentation(lines[end]) > 0) {
        end += 1;
    }
    let mut last = end;
    while last > start && is_blank(lines[last - 1]) {
        last -= 1;
    }
    let block: Vec<&str> = lines[start..last].to_vec();
    let min = block
        .iter()
        .filter(|l| !is_blank(l))
        .map(|l| indentation(l))
        .min()
        .unwrap_or(0);
    (dedent(&block, min), min, end)
}

impl Parser {
    /// The 1-based source line a slice of the source lies in. Every line the parser handles is a
    /// subslice of one source line (dedenting only slices), so its address identifies that line.
    fn line_number(&self, slice: &str) -> usize {
        let addr = slice.as_ptr() as usize;
        self.line_starts.partition_point(|&start| start <= addr)
    }

    /// Parses lines that all start at column 0 of their block.
    fn parse_blocks(&mut self, lines: &[&str], allow_sections: bool) -> Vec<Block> {
        // Blocks of the innermost open section are collected in `stack`; sections nest by level.
        let mut root: Vec<Block> = Vec::new();
        let mut open: Vec<(usize, String, Vec<Block>)> = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            if is_blank(line) {
                i += 1;
                continue;
            }
            if allow_sections {
                if let Some((level, title, next)) = self.section_title(lines, i) {
                    while open.last().is_some_and(|(l, _, _)| *l >= level) {
                        close_section(&mut open, &mut root);
                    }
                    open.push((level, title, Vec::new()));
                    i = next;
                    continue;
                }
            }
            let (blocks, next) = self.parse_block(lines, i);
            let target = match open.last_mut() {
                Some((_, _, body)) => body,
                None => &mut root,
            };
            target.extend(blocks);
            i = next.max(i + 1);
        }
        while !open.is_empty() {
            close_section(&mut open, &mut root);
        }
        root
    }

    /// Recognizes an overlined (or underlined) section title at `i`.
    fn section_title(&mut self, lines: &[&str], i: usize) -> Option<(usize, String, usize)> {
        let (style, title, next) = if let Some(c) = adornment_char(lines[i], 1) {
            let title = lines.get(i + 1)?;
            let under = lines.get(i + 2)?;
            if adornment_char(under, 1) != Some(c) || is_blank(title) {
                return None;
            }
            ((c, true), title.trim().to_string(), i + 3)
        } else {
            let under = lines.get(i + 1)?;
            let c = adornment_char(under, 4)?;
            if indentation(lines[i]) > 0 || under.chars().count() < lines[i].chars().count() {
                return None;
            }
            ((c, false), lines[i].trim().to_string(), i + 2)
        };
        let level = match self.title_styles.iter().position(|s| *s == style) {
            Some(p) => p + 1,
            None => {
                self.title_styles.push(style);
                self.title_styles.len()
            }
        };
        Some((level, title, next))
    }

    /// Parses the block starting at non-blank line `i`; returns its elements and the next line.
    fn parse_block(&mut self, lines: &[&str], i: usize) -> (Vec<Block>, usize) {
        let line = lines[i];
        if indentation(line) > 0 {
            let (block, _, end) = indented_block(lines, i);
            return (
                vec![Block::BlockQuote(self.parse_blocks(&block, false))],
                end,
            );
        }
        if let Some(rest) = line.strip_prefix(".. ") {
            return self.explicit_markup(lines, i, rest);
        }
        if line == ".." {
            let (_, _, end) = indented_block(lines, i + 1);
            return (Vec::new(), end);
        }
        if let Some(bullet) = bullet_of(line) {
            return self.bullet_list(lines, i, bullet);
        }
        self.paragraph(lines, i)
    }

    fn explicit_markup(&mut self, lines: &[&str], i: usize, rest: &str) -> (Vec<Block>, usize) {
        let (_, _, end) = indented_block(lines, i + 1);
        let admonition = [
            ("note::", "note"),
            ("warning::", "warning"),
            ("danger::", "danger"),
        ]
        .into_iter()
        .find(|(directive, _)| {
            rest.trim_end() == *directive || rest.starts_with(&format!("{directive} "))
        });
        let Some((directive, name)) = admonition else {
            // `.. meta::`, `.. _target: ...` and comments leave nothing in a man page.
            return (Vec::new(), end);
        };
        let mut content: Vec<&str> = Vec::new();
        let first = rest[directive.len()..].trim();
        if !first.is_empty() {
            content.push(first);
        }
        let (block, _, _) = indented_block(lines, i + 1);
        content.extend(block);
        let body = self.parse_blocks(&content, false);
        (vec![Block::Admonition { name, body }], end)
    }

    fn bullet_list(&mut self, lines: &[&str], mut i: usize, bullet: char) -> (Vec<Block>, usize) {
        let mut items = Vec::new();
        loop {
            let line = lines[i];
            let after = &line[1..];
            let text_indent = if after.trim().is_empty() {
                2
            } else {
                1 + indentation(after)
            };
            let mut item_lines: Vec<&str> = vec![line.get(text_indent..).unwrap_or("")];
            let mut end = i + 1;
            while end < lines.len()
                && (is_blank(lines[end]) || indentation(lines[end]) >= text_indent)
            {
                end += 1;
            }
            let mut last = end;
            while last > i + 1 && is_blank(lines[last - 1]) {
                last -= 1;
            }
            item_lines.extend(dedent(&lines[i + 1..last], text_indent));
            items.push(self.parse_blocks(&item_lines, false));
            i = end;
            if i >= lines.len() || bullet_of(lines[i]) != Some(bullet) {
                break;
            }
        }
        (vec![Block::BulletList(items)], i)
    }

    fn paragraph(&mut self, lines: &[&str], i: usize) -> (Vec<Block>, usize) {
        let mut end = i;
        while end < lines.len()
            && !is_blank(lines[end])
            && (end == i || indentation(lines[end]) == 0)
        {
            end += 1;
        }
        let mut text = lines[i..end].join("\n");
        let mut literal_follows = false;
        if text.ends_with("::") {
            literal_follows = true;
            let stripped = &text[..text.len() - 2];
            if stripped.trim().is_empty() {
                text = String::new();
            } else if stripped.ends_with(|c: char| c.is_whitespace()) {
                text = stripped.trim_end().to_string();
            } else {
                text = format!("{stripped}:");
            }
        }
        let mut blocks = Vec::new();
        if !text.is_empty() {
            let (inlines, warnings) = parse_inline(&text);
            blocks.push(Block::Paragraph(inlines));
            let line = self.line_number(lines[i]);
            for message in warnings {
                self.warnings
                    .push(format!("<string>:{line}: (WARNING/2) {message}\n"));
                blocks.push(Block::SystemMessage { line, message });
            }
        }
        if literal_follows {
            let mut j = end;
            while j < lines.len() && is_blank(lines[j]) {
                j += 1;
            }
            if j < lines.len() && indentation(lines[j]) > 0 {
                let (block, _, next) = indented_block(lines, j);
                blocks.push(Block::LiteralBlock(block.join("\n")));
                return (blocks, next);
            }
        }
        (blocks, end)
    }
}

fn close_section(open: &mut Vec<(usize, String, Vec<Block>)>, root: &mut Vec<Block>) {
    if let Some((level, title, body)) = open.pop() {
        let section = Block::Section { level, title, body };
        match open.last_mut() {
            Some((_, _, parent)) => parent.push(section),
            None => root.push(section),
        }
    }
}

/// The bullet character when `line` starts a bullet list item.
fn bullet_of(line: &str) -> Option<char> {
    let mut chars = line.chars();
    let c = chars.next()?;
    if !matches!(c, '*' | '-' | '+') {
        return None;
    }
    match chars.next() {
        None => Some(c),
        Some(' ') => Some(c),
        _ => None,
    }
}

// ---- inline markup ----

/// Characters after which inline markup may start (besides whitespace and the start of the text).
fn is_start_prefix(c: char) -> bool {
    matches!(c, '"' | '\'' | '(' | '<' | '[' | '{' | '-' | '/' | ':')
        || matches!(
            c,
            '\u{2018}'
                | '\u{201c}'
                | '\u{2019}'
                | '\u{201d}'
                | '\u{2013}'
                | '\u{2014}'
                | '\u{a1}'
                | '\u{bf}'
        )
}

/// Characters before which inline markup may end (besides whitespace and the end of the text).
fn is_end_suffix(c: char) -> bool {
    matches!(
        c,
        '\\' | '.' | ',' | ';' | '!' | '?' | '-' | '/' | ':' | '"' | '\'' | ')' | '>' | ']' | '}'
    ) || matches!(
        c,
        '\u{2018}' | '\u{201c}' | '\u{2019}' | '\u{201d}' | '\u{2013}' | '\u{2014}'
    )
}

fn closer_of(opener: char) -> Option<char> {
    match opener {
        '"' => Some('"'),
        '\'' => Some('\''),
        '(' => Some(')'),
        '<' => Some('>'),
        '[' => Some(']'),
        '{' => Some('}'),
        _ => None,
    }
}

/// One character of paragraph text; `escaped` when a backslash preceded it.
#[derive(Clone, Copy)]
struct Ch {
    c: char,
    escaped: bool,
}

/// Parses the inline markup of a paragraph's text.
/// Also returns the warnings docutils reports (a start-string without its end-string).
pub fn parse_inline(text: &str) -> (Vec<Inline>, Vec<&'static str>) {
    let raw: Vec<char> = text.chars().collect();
    let mut chars: Vec<Ch> = Vec::with_capacity(raw.len());
    let mut k = 0;
    while k < raw.len() {
        if raw[k] == '\\' && k + 1 < raw.len() {
            chars.push(Ch {
                c: raw[k + 1],
                escaped: true,
            });
            k += 2;
        } else {
            chars.push(Ch {
                c: raw[k],
                escaped: false,
            });
            k += 1;
        }
    }
    let mut out: Vec<Inline> = Vec::new();
    let mut warnings = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while i < chars.len() {
        // docutils matches on the text after the last construct, so that position counts as a start.
        if let Some((node, end)) = markup_at(&chars, i, text_start) {
            push_text(&mut out, &chars[text_start..i]);
            if let Inline::Problematic(_, warning) = &node {
                warnings.push(*warning);
            }
            out.push(node);
            i = end;
            text_start = end;
        } else {
            i += 1;
        }
    }
    push_text(&mut out, &chars[text_start..]);
    (out, warnings)
}

/// Unescaped text: backslashes go; an escaped whitespace character disappears with its backslash.
fn plain(chars: &[Ch]) -> String {
    chars
        .iter()
        .filter(|ch| !(ch.escaped && ch.c.is_whitespace()))
        .map(|ch| ch.c)
        .collect()
}

/// Text with its backslashes restored (inline literals keep them).
fn with_backslashes(chars: &[Ch]) -> String {
    let mut s = String::new();
    for ch in chars {
        if ch.escaped {
            s.push('\\');
        }
        s.push(ch.c);
    }
    s
}

fn push_text(out: &mut Vec<Inline>, chars: &[Ch]) {
    if chars.is_empty() {
        return;
    }
    let text = plain(chars);
    if text.is_empty() {
        return;
    }
    if let Some(Inline::Text(prev)) = out.last_mut() {
        prev.push_str(&text);
    } else {
        out.push(Inline::Text(text));
    }
}

fn starts_with(chars: &[Ch], i: usize, s: &str) -> bool {
    let mut j = i;
    for c in s.chars() {
        match chars.get(j) {
            Some(ch) if ch.c == c && !ch.escaped => j += 1,
            _ => return false,
        }
    }
    true
}

/// Whether inline markup may start at `i` (with a start-string of `len` characters).
fn can_start(chars: &[Ch], i: usize, len: usize, fresh: usize) -> bool {
    if let Some(prev) = i.checked_sub(1).filter(|_| i != fresh).map(|p| chars[p]) {
        if !(prev.c.is_whitespace() || (!prev.escaped && is_start_prefix(prev.c))) {
            return false;
        }
        // A start-string between matching quotes or brackets is not markup.
        if let (Some(closer), Some(next)) = (closer_of(prev.c), chars.get(i + len)) {
            if next.c == closer {
                return false;
            }
        }
    }
    match chars.get(i + len) {
        Some(next) => !next.c.is_whitespace(),
        None => false,
    }
}

/// Whether an end-string of `len` characters at `j` may end inline markup.
fn can_end(chars: &[Ch], j: usize, len: usize, allow_escaped_before: bool) -> bool {
    let Some(prev) = j.checked_sub(1).map(|p| chars[p]) else {
        return false;
    };
    if prev.c.is_whitespace() || (prev.escaped && !allow_escaped_before) {
        return false;
    }
    match chars.get(j + len) {
        None => true,
        Some(next) => next.c.is_whitespace() || next.escaped || is_end_suffix(next.c),
    }
}

/// Finds the end-string `end` after position `from`, obeying the end rules.
fn find_end(chars: &[Ch], from: usize, end: &str, literal: bool) -> Option<usize> {
    let len = end.chars().count();
    let mut j = from;
    while j + len <= chars.len() {
        if starts_with(chars, j, end) && can_end(chars, j, len, literal) {
            if end == "*" && chars.get(j + 1).is_some_and(|c| c.c == '*' && !c.escaped) {
                j += 1;
                continue;
            }
            return Some(j);
        }
        j += 1;
    }
    None
}

fn markup_at(chars: &[Ch], i: usize, fresh: usize) -> Option<(Inline, usize)> {
    let ch = chars[i];
    if ch.escaped {
        return None;
    }
    if starts_with(chars, i, "``") {
        if !can_start(chars, i, 2, fresh) {
            return None;
        }
        let end = find_end(chars, i + 2, "``", true)?;
        return Some((
            Inline::Literal(with_backslashes(&chars[i + 2..end])),
            end + 2,
        ));
    }
    if starts_with(chars, i, "**") {
        if !can_start(chars, i, 2, fresh) {
            return None;
        }
        let Some(end) = find_end(chars, i + 2, "**", false) else {
            return Some((
                Inline::Problematic(
                    "**".into(),
                    "Inline strong start-string without end-string.",
                ),
                i + 2,
            ));
        };
        return Some((Inline::Strong(plain(&chars[i + 2..end])), end + 2));
    }
    if ch.c == '*' {
        if !can_start(chars, i, 1, fresh) {
            return None;
        }
        let Some(end) = find_end(chars, i + 1, "*", false) else {
            return Some((
                Inline::Problematic(
                    "*".into(),
                    "Inline emphasis start-string without end-string.",
                ),
                i + 1,
            ));
        };
        return Some((Inline::Emphasis(plain(&chars[i + 1..end])), end + 1));
    }
    if ch.c == '`' {
        if !can_start(chars, i, 1, fresh) {
            return None;
        }
        let (end, underscores) = find_backquote_end(chars, i + 1)?;
        let content = &chars[i + 1..end];
        let after = end + 1 + underscores;
        if underscores == 0 {
            return Some((Inline::TitleReference(plain(content)), after));
        }
        return Some((Inline::Reference(reference_text(content)), after));
    }
    None
}

/// The first closing backquote (optionally followed by `_` or `__`) that obeys the end rules.
fn find_backquote_end(chars: &[Ch], from: usize) -> Option<(usize, usize)> {
    for j in from..chars.len() {
        if chars[j].c != '`' || chars[j].escaped {
            continue;
        }
        let mut underscores = 0;
        while underscores < 2
            && chars
                .get(j + 1 + underscores)
                .is_some_and(|c| c.c == '_' && !c.escaped)
        {
            underscores += 1;
        }
        for n in (0..=underscores).rev() {
            if can_end(chars, j, 1 + n, false) {
                return Some((j, n));
            }
        }
    }
    None
}

/// The text of a phrase reference, without an embedded `<uri>`.
fn reference_text(content: &[Ch]) -> String {
    let text = plain(content);
    if text.ends_with('>') {
        if let Some(open) = text.rfind('<') {
            let before = &text[..open];
            if before.is_empty() {
                return text[open + 1..text.len() - 1].to_string();
            }
            if before.ends_with([' ', '\n']) {
                return before.trim_end_matches([' ', '\n']).to_string();
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markup() {
        assert_eq!(
            parse_inline("a ``b-c``. *d* .").0,
            vec![
                Inline::Text("a ".into()),
                Inline::Literal("b-c".into()),
                Inline::Text(". ".into()),
                Inline::Emphasis("d".into()),
                Inline::Text(" .".into()),
            ]
        );
        assert_eq!(
            parse_inline("see `Guide\\: x <http://e>`__ .").0,
            vec![
                Inline::Text("see ".into()),
                Inline::Reference("Guide: x".into()),
                Inline::Text(" .".into())
            ]
        );
        assert_eq!(
            parse_inline("+ - = . _ : / @").0,
            vec![Inline::Text("+ - = . _ : / @".into())]
        );
        let (inlines, warnings) = parse_inline("**``X`` ** - y");
        assert_eq!(
            inlines,
            vec![
                Inline::Problematic(
                    "**".into(),
                    "Inline strong start-string without end-string."
                ),
                Inline::Literal("X".into()),
                Inline::Text(" ** - y".into()),
            ]
        );
        assert_eq!(warnings, ["Inline strong start-string without end-string."]);
    }
}
