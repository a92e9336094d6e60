//! A reStructuredText parser for the subset the help pages use, producing docutils' document tree.
//!
//! Handled: section titles with overline and underline (the first style is the document title, which
//! docutils promotes, and a lone section after it the subtitle; an underline shorter than its title is
//! a WARNING), paragraphs, `::` literal blocks (expanded or alone), indented block quotes, bullet lists
//! (`*`, `-`, `+`), enumerated lists (`1.`), definition lists (a term over an indented definition),
//! simple tables (`===  ===`), the `note`/`warning`/`danger`
//! and `code-block` directives, comments, targets and the HTML-only `meta` directive (both produce
//! nothing in a man page), and the inline markup `` ``literal`` ``, `*emphasis*`, `**strong**`,
//! `` `text <url>`__ `` references, `` `title` `` references and `` :role:`text` `` (an unknown role is
//! an ERROR), with docutils' rules for where inline markup may start and end and for backslash
//! escapes. A strong or emphasis start-string without its end-string becomes docutils' "problematic"
//! node plus a WARNING system message after the paragraph (and a line for stderr), as in the
//! reference's `create-certificate` page. No crate parses reStructuredText into docutils' exact tree,
//! hence this module. Anything outside the subset is read as plain paragraphs (see the tests).

/// The parsed page.
#[derive(Debug, Default, PartialEq)]
pub struct Document {
    /// The promoted document title (`.TH`).
    pub title: String,
    /// The promoted subtitle (after `\-` in the NAME section), empty when there is none.
    pub subtitle: String,
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
    /// An arabic enumerated list (`1.`, `2.`, ...) and its first number.
    EnumeratedList {
        start: usize,
        items: Vec<Vec<Block>>,
    },
    /// A table: rows of cells, each cell's body.
    Table(Vec<Vec<Vec<Block>>>),
    /// A definition list: each term's inline text and its definition.
    DefinitionList(Vec<(Vec<Inline>, Vec<Block>)>),
    /// An admonition directive (`note`, `warning`, `danger`) with its label.
    Admonition {
        name: &'static str,
        body: Vec<Block>,
    },
    /// A message docutils leaves in the document (after the paragraph it is about, or first in the
    /// section whose title it is about), with the source it quotes, if any.
    SystemMessage {
        level: Level,
        line: usize,
        message: String,
        literal: Option<String>,
    },
}

/// The severity of a system message, as docutils names and numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Warning,
    Error,
}

impl Level {
    /// `WARNING/2`, `ERROR/3`.
    pub fn label(self) -> &'static str {
        match self {
            Level::Warning => "WARNING/2",
            Level::Error => "ERROR/3",
        }
    }
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
    /// Markup docutils could not parse (its raw text) with the message it reports.
    Problematic(String, Level, &'static str),
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
/// subsections move up one level; then, if what is left is one lone section, it becomes the subtitle and
/// its body moves up too.
fn promote_title(blocks: Vec<Block>) -> Document {
    let Some((title, body)) = promote(blocks) else {
        return Document::default();
    };
    let Some(title) = title else {
        return Document {
            body,
            ..Document::default()
        };
    };
    match promote(body) {
        Some((Some(subtitle), body)) => Document {
            title,
            subtitle,
            body,
            warnings: Vec::new(),
        },
        Some((None, body)) => Document {
            title,
            body,
            ..Document::default()
        },
        None => Document {
            title,
            ..Document::default()
        },
    }
}

/// A lone section's title and its body one level up; `(None, blocks)` when `blocks` is not one section.
fn promote(blocks: Vec<Block>) -> Option<(Option<String>, Vec<Block>)> {
    if blocks.len() == 1 && matches!(blocks[0], Block::Section { .. }) {
        if let Some(Block::Section { title, body, .. }) = blocks.into_iter().next() {
            return Some((Some(title), body.into_iter().map(raise_level).collect()));
        }
        return None;
    }
    Some((None, blocks))
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
                if let Some((level, title, next, short)) = self.section_title(lines, i) {
                    let current = open.last().map_or(0, |(l, _, _)| *l);
                    let mut body = Vec::new();
                    if short {
                        // docutils reads the title again when it closes an open section (the parent
                        // parser re-reads it), and reports each time; the document keeps one message.
                        let line = self.line_number(lines[i + 1]);
                        let literal = format!("{}\n{}", lines[i], lines[i + 1]);
                        let message = "Title underline too short.";
                        let report =
                            format!("<string>:{line}: (WARNING/2) {message}\n\n{literal}\n");
                        let times = if level <= current { 2 } else { 1 };
                        for _ in 0..times {
                            self.warnings.push(report.clone());
                        }
                        body.push(Block::SystemMessage {
                            level: Level::Warning,
                            line,
                            message: message.to_string(),
                            literal: Some(literal),
                        });
                    }
                    while open.last().is_some_and(|(l, _, _)| *l >= level) {
                        close_section(&mut open, &mut root);
                    }
                    open.push((level, title, body));
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

    /// Recognizes an overlined (or underlined) section title at `i`: its level, title, the next line,
    /// and whether its underline is shorter than the title (docutils' WARNING).
    fn section_title(&mut self, lines: &[&str], i: usize) -> Option<(usize, String, usize, bool)> {
        let style = if let Some(c) = adornment_char(lines[i], 1) {
            let title = lines.get(i + 1)?;
            let under = lines.get(i + 2)?;
            if adornment_char(under, 1) != Some(c) || is_blank(title) {
                return None;
            }
            ((c, true), title.trim().to_string(), i + 3, false)
        } else {
            let under = lines.get(i + 1)?;
            let c = adornment_char(under, 4)?;
            if indentation(lines[i]) > 0 {
                return None;
            }
            let short = under.chars().count() < lines[i].chars().count();
            ((c, false), lines[i].trim().to_string(), i + 2, short)
        };
        let (style, title, next, short) = style;
        let level = match self.title_styles.iter().position(|s| *s == style) {
            Some(p) => p + 1,
            None => {
                self.title_styles.push(style);
                self.title_styles.len()
            }
        };
        Some((level, title, next, short))
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
        if enumerator_of(line).is_some() {
            return self.enumerated_list(lines, i);
        }
        if is_table_border(line) {
            if let Some(parsed) = self.simple_table(lines, i) {
                return parsed;
            }
        }
        if starts_definition(lines, i) {
            return self.definition_list(lines, i);
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
        let code = ["code-block::", "code::", "sourcecode::"]
            .into_iter()
            .any(|d| rest.trim_end() == d || rest.starts_with(&format!("{d} ")));
        if code {
            // docutils' `code` directive: the indented content, as a literal block.
            let (block, _, _) = indented_block(lines, i + 1);
            let content: Vec<&str> = block
                .iter()
                .copied()
                .skip_while(|l| l.starts_with(':'))
                .skip_while(|l| is_blank(l))
                .collect();
            return (vec![Block::LiteralBlock(content.join("\n"))], end);
        }
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
            let (item_lines, end) = list_item(lines, i, text_indent);
            items.push(self.parse_blocks(&item_lines, false));
            i = end;
            if i >= lines.len() || bullet_of(lines[i]) != Some(bullet) {
                break;
            }
        }
        (vec![Block::BulletList(items)], i)
    }

    /// A definition list: terms at the block's margin, each directly over its indented definition.
    fn definition_list(&mut self, lines: &[&str], mut i: usize) -> (Vec<Block>, usize) {
        let mut items = Vec::new();
        loop {
            let (term, _) = parse_inline(lines[i]);
            let (block, _, end) = indented_block(lines, i + 1);
            items.push((term, self.parse_blocks(&block, false)));
            let mut next = end;
            while next < lines.len() && is_blank(lines[next]) {
                next += 1;
            }
            i = end;
            if next >= lines.len() || !starts_definition(lines, next) {
                break;
            }
            i = next;
        }
        (vec![Block::DefinitionList(items)], i)
    }

    /// An arabic enumerated list: items numbered one after the other (`1.`, `2.`, ...).
    fn enumerated_list(&mut self, lines: &[&str], mut i: usize) -> (Vec<Block>, usize) {
        let mut items = Vec::new();
        let Some((start, _)) = enumerator_of(lines[i]) else {
            return self.paragraph(lines, i);
        };
        let mut expected = start;
        while let Some((number, text_indent)) = enumerator_of(lines[i]) {
            if number != expected {
                break;
            }
            let (item_lines, end) = list_item(lines, i, text_indent);
            items.push(self.parse_blocks(&item_lines, false));
            i = end;
            expected += 1;
            if i >= lines.len() {
                break;
            }
        }
        (vec![Block::EnumeratedList { start, items }], i)
    }

    /// A simple table: `=` borders whose runs mark the columns, an optional header above a middle
    /// border, rows whose first column is empty continuing the row above, `-` lines separating rows.
    /// `None` when the lines do not make one (docutils would then report an error; not needed here).
    fn simple_table(&mut self, lines: &[&str], start: usize) -> Option<(Vec<Block>, usize)> {
        let columns = border_columns(lines[start]);
        let mut end = None;
        for (j, line) in lines.iter().enumerate().skip(start + 1) {
            if is_table_border(line) && (j + 1 == lines.len() || is_blank(lines[j + 1])) {
                end = Some(j);
                break;
            }
            if is_blank(line) {
                return None;
            }
        }
        let end = end?;
        let mut rows: Vec<Vec<Vec<&str>>> = Vec::new();
        for line in &lines[start + 1..end] {
            if is_table_border(line) || is_row_rule(line) {
                continue;
            }
            let cells: Vec<&str> = columns
                .iter()
                .enumerate()
                .map(|(k, &(from, to))| {
                    let to = if k + 1 == columns.len() {
                        line.len()
                    } else {
                        to
                    };
                    line.get(from..to.min(line.len())).unwrap_or("")
                })
                .collect();
            let continues = cells[0].trim().is_empty() && !rows.is_empty();
            match rows.last_mut().filter(|_| continues) {
                Some(row) => {
                    for (cell, text) in row.iter_mut().zip(cells) {
                        cell.push(text);
                    }
                }
                None => rows.push(cells.into_iter().map(|c| vec![c]).collect()),
            }
        }
        let table = rows
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|cell| {
                        let text: Vec<&str> = cell.iter().map(|l| l.trim_end()).collect();
                        let min = text
                            .iter()
                            .filter(|l| !is_blank(l))
                            .map(|l| indentation(l))
                            .min()
                            .unwrap_or(0);
                        self.parse_blocks(&dedent(&text, min), false)
                    })
                    .collect()
            })
            .collect();
        Some((vec![Block::Table(table)], end + 1))
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
            let (inlines, messages) = parse_inline(&text);
            blocks.push(Block::Paragraph(inlines));
            let line = self.line_number(lines[i]);
            for (level, message) in messages {
                self.warnings
                    .push(format!("<string>:{line}: ({}) {message}\n", level.label()));
                blocks.push(Block::SystemMessage {
                    level,
                    line,
                    message,
                    literal: None,
                });
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

/// A list item starting at line `i` whose text starts at column `text_indent`: its lines (dedented, the
/// first without its bullet or enumerator, trailing blank lines dropped) and the line after it.
fn list_item<'a>(lines: &[&'a str], i: usize, text_indent: usize) -> (Vec<&'a str>, usize) {
    let mut item_lines: Vec<&str> = vec![lines[i].get(text_indent..).unwrap_or("")];
    let mut end = i + 1;
    while end < lines.len() && (is_blank(lines[end]) || indentation(lines[end]) >= text_indent) {
        end += 1;
    }
    let mut last = end;
    while last > i + 1 && is_blank(lines[last - 1]) {
        last -= 1;
    }
    item_lines.extend(dedent(&lines[i + 1..last], text_indent));
    (item_lines, end)
}

/// An arabic enumerator (`12. text`): its number and the column where the item's text starts.
fn enumerator_of(line: &str) -> Option<(usize, usize)> {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || !line[digits..].starts_with('.') {
        return None;
    }
    let after = &line[digits + 1..];
    if !after.is_empty() && !after.starts_with(' ') {
        return None;
    }
    let number = line[..digits].parse().ok()?;
    let text_indent = if after.trim().is_empty() {
        digits + 2
    } else {
        digits + 1 + indentation(after)
    };
    Some((number, text_indent))
}

/// A line at the margin directly followed by an indented line: a definition list item.
fn starts_definition(lines: &[&str], i: usize) -> bool {
    indentation(lines[i]) == 0
        && !is_blank(lines[i])
        && lines
            .get(i + 1)
            .is_some_and(|next| !is_blank(next) && indentation(next) > 0)
}

/// A simple table's border: runs of `=` separated by spaces, at least two columns.
fn is_table_border(line: &str) -> bool {
    line.starts_with('=')
        && line.chars().all(|c| c == '=' || c == ' ')
        && border_columns(line).len() >= 2
}

/// A line of `-` runs inside a simple table (a rule between rows).
fn is_row_rule(line: &str) -> bool {
    line.starts_with('-') && line.chars().all(|c| c == '-' || c == ' ')
}

/// The (start, end) byte columns of a border's `=` runs.
fn border_columns(line: &str) -> Vec<(usize, usize)> {
    let mut columns = Vec::new();
    let mut start = None;
    for (k, c) in line.char_indices() {
        match (c, start) {
            ('=', None) => start = Some(k),
            (' ', Some(from)) => {
                columns.push((from, k));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        columns.push((from, line.len()));
    }
    columns
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
/// Also returns the messages docutils reports (a start-string without its end-string, an unknown role).
pub fn parse_inline(text: &str) -> (Vec<Inline>, Vec<(Level, String)>) {
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
            if let Inline::Problematic(raw, level, message) = &node {
                let message = match message.find("{}") {
                    // The unknown-role message names the role, taken from the raw text.
                    Some(_) => message.replace("{}", role_name(raw)),
                    None => (*message).to_string(),
                };
                warnings.push((*level, message));
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
                    Level::Warning,
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
                    Level::Warning,
                    "Inline emphasis start-string without end-string.",
                ),
                i + 1,
            ));
        };
        return Some((Inline::Emphasis(plain(&chars[i + 1..end])), end + 1));
    }
    if ch.c == ':' {
        return interpreted_with_role(chars, i, fresh);
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

/// `` :role:`text` ``: the roles docutils maps to plain inline nodes, or, for any other role, the raw
/// text as a problematic node with docutils' ERROR.
fn interpreted_with_role(chars: &[Ch], i: usize, fresh: usize) -> Option<(Inline, usize)> {
    let mut j = i + 1;
    while chars
        .get(j)
        .is_some_and(|c| !c.escaped && (c.c.is_ascii_alphanumeric() || "-_+.".contains(c.c)))
    {
        j += 1;
    }
    let name_end = j;
    if name_end == i + 1
        || !starts_with(chars, name_end, ":`")
        || !can_start(chars, i, name_end + 2 - i, fresh)
    {
        return None;
    }
    let (end, underscores) = find_backquote_end(chars, name_end + 2)?;
    if underscores > 0 {
        return None;
    }
    let role: String = chars[i + 1..name_end].iter().map(|c| c.c).collect();
    let content = &chars[name_end + 2..end];
    let node = match role.as_str() {
        "emphasis" => Inline::Emphasis(plain(content)),
        "strong" => Inline::Strong(plain(content)),
        "literal" | "code" => Inline::Literal(plain(content)),
        "title-reference" | "title" | "t" => Inline::TitleReference(plain(content)),
        _ => Inline::Problematic(
            with_backslashes(&chars[i..=end]),
            Level::Error,
            "Unknown interpreted text role \"{}\".",
        ),
    };
    Some((node, end + 1))
}

/// The role named by a problematic `:role:` text.
fn role_name(raw: &str) -> &str {
    raw.trim_start_matches(':').split(':').next().unwrap_or("")
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
                    Level::Warning,
                    "Inline strong start-string without end-string."
                ),
                Inline::Literal("X".into()),
                Inline::Text(" ** - y".into()),
            ]
        );
        assert_eq!(
            warnings,
            [(
                Level::Warning,
                "Inline strong start-string without end-string.".to_string()
            )]
        );
        let (inlines, messages) = parse_inline("See\n:doc:`s3-config` (x).");
        assert_eq!(
            inlines[1],
            Inline::Problematic(
                ":doc:`s3-config`".into(),
                Level::Error,
                "Unknown interpreted text role \"{}\"."
            )
        );
        assert_eq!(
            messages,
            [(
                Level::Error,
                "Unknown interpreted text role \"doc\".".to_string()
            )]
        );
    }
}
