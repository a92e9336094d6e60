//! `--output table` (awscli/formatter.py `TableFormatter` and awscli/table.py `MultiTable`).
//!
//! Written by hand because no table crate (comfy-table, tabled, prettytable) reproduces the
//! reference's bytes: its column widths come from scaling every section to the widest one with
//! Python's banker's rounding and an off-by-one fix-up loop, titles are centred with floor division,
//! nested sections are framed by `|` per indent level on both sides, a table wider than the terminal
//! is re-laid out as key/value pairs, East Asian Ambiguous characters count two columns, and with
//! colour every `write()` call is followed by colorama's autoreset `ESC[0m`, which depends on how the
//! reference splits its writes. The build phase (`_build_table`) is ported rule for rule, including
//! the `ValueError` a row of the wrong length raises; rendering happens only after building succeeds.
//! A table of a listing has thousands of sections, so sections are ranges into vectors the whole table
//! shares (cells, headers, column widths, the text of non-string cells), each cell's width is measured
//! once, and lines are drawn straight into the output buffer: nothing is allocated per cell or row, only
//! the sorted key lists of each object that opens sections.

use super::cell::{is_scalar, push_py_str, text_length};
use super::FormatError;
use crate::python::map::same_name;
use crate::python::types::{is_truthy, type_name};
use crate::python::value::{push_float_repr, Map, Number, Value};
use std::io::Write;

/// colorama's `Style.RESET_ALL`. When a colour table formatter was created and stdout is a terminal,
/// the reference also writes this once at exit (colorama's `atexit` hook), even after empty output.
pub const COLOR_RESET_AT_EXIT: &str = RESET;

const RESET: &str = "\x1b[0m";
/// `Style.BRIGHT + Fore.BLUE`: cell values.
const ROW_STYLE: &str = "\x1b[1m\x1b[34m";
/// `Style.DIM + Fore.YELLOW`: the `|` framing nested sections.
const INDENT_STYLE: &str = "\x1b[2m\x1b[33m";

/// The stdout bytes of the table formatter.
pub fn format_table(
    title: &str,
    value: &Value,
    color: bool,
    terminal_width: usize,
) -> Result<String, FormatError> {
    let mut text = String::new();
    write_table(
        title,
        value,
        color,
        terminal_width,
        &mut StringSink(&mut text),
    )?;
    Ok(text)
}

/// [`format_table`] written to `sink` in chunks as the table is drawn (the table is built, and any
/// error found, before anything is written). Write errors are ignored, as the reference ignores a
/// closed stdout.
pub fn write_table(
    title: &str,
    value: &Value,
    color: bool,
    terminal_width: usize,
    sink: &mut dyn Write,
) -> Result<(), FormatError> {
    let mut table = MultiTable::default();
    if !table.build(Some(title), value, 0)? {
        return Ok(());
    }
    let mut out = Output {
        text: String::new(),
        color,
        sink,
    };
    table.render(&mut out, terminal_width);
    out.flush();
    crate::process::teardown::release(table);
    Ok(())
}

/// A `String` as an `io::Write` sink (the table's text is always UTF-8).
struct StringSink<'a>(&'a mut String);

impl Write for StringSink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.push_str(&String::from_utf8_lossy(buf));
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// How much text [`Output`] gathers before handing it to the sink.
const CHUNK: usize = 64 * 1024;

/// The stdout stream; with colour, colorama's autoreset appends `ESC[0m` to every `write()`.
struct Output<'a> {
    text: String,
    color: bool,
    sink: &'a mut dyn Write,
}

impl Output<'_> {
    fn write(&mut self, text: &str) {
        self.text.push_str(text);
        if self.color {
            self.text.push_str(RESET);
        }
    }

    fn flush(&mut self) {
        let _ = self.sink.write_all(self.text.as_bytes());
        self.text.clear();
    }

    /// Starts a line of `IndentedStream.write` (a line ending in `\n` is four separate writes: edges,
    /// line, edges, newline, each followed by colorama's reset when coloured): writes the edges; the
    /// caller then appends the line to `self.text` and calls [`Output::end_line`].
    fn begin_line(&mut self, indent_level: usize) {
        self.push_edges(indent_level);
        if self.color {
            self.text.push_str(RESET);
        }
    }

    /// Ends a line begun by [`Output::begin_line`].
    fn end_line(&mut self, indent_level: usize) {
        if self.color {
            self.text.push_str(RESET);
        }
        self.push_edges(indent_level);
        if self.color {
            self.text.push_str(RESET);
            self.text.push('\n');
            self.text.push_str(RESET);
        } else {
            self.text.push('\n');
        }
        if self.text.len() > CHUNK {
            self.flush();
        }
    }

    /// The `|` of each indent level (styled when coloured).
    fn push_edges(&mut self, indent_level: usize) {
        for _ in 0..indent_level {
            if self.color {
                self.text.push_str(INDENT_STYLE);
                self.text.push('|');
                self.text.push_str(RESET);
            } else {
                self.text.push('|');
            }
        }
    }

    /// A whole line of `IndentedStream.write` (see [`Output::begin_line`]).
    fn write_line(&mut self, indent_level: usize, line: &str) {
        self.begin_line(indent_level);
        self.text.push_str(line);
        self.end_line(indent_level);
    }
}

/// A cell, header or title as the table keeps it: its text and its width in columns
/// ([`text_length`], measured once).
#[derive(Debug, Clone, Copy)]
struct Cell<'a> {
    text: Text<'a>,
    width: usize,
}

/// A cell's text: borrowed from the document when it is a string there, else the `str()` of the
/// value, kept in the table's text arena. A table of thousands of rows thus holds its text once, in
/// the document, and allocates nothing per cell.
#[derive(Debug, Clone, Copy)]
enum Text<'a> {
    Document(&'a str),
    Arena { start: usize, end: usize },
}

impl<'a> Cell<'a> {
    fn borrowed(text: &'a str) -> Cell<'a> {
        Cell {
            text: Text::Document(text),
            width: text_length(text),
        }
    }

    fn ascii(text: &'static str) -> Cell<'a> {
        Cell {
            text: Text::Document(text),
            width: text.len(),
        }
    }

    const EMPTY: Cell<'static> = Cell {
        text: Text::Document(""),
        width: 0,
    };
}

/// awscli/table.py `Section`, as ranges of the [`MultiTable`]'s shared vectors: a section's rows are
/// contiguous there because rows are only ever added to the last section. A title of `None` (a nested
/// list of lists) is not drawn but is measured as the four characters of `str(None)`.
#[derive(Debug, Default, Clone)]
struct Section<'a> {
    title: Option<Cell<'a>>,
    /// Its headers in [`MultiTable::headers`]: the sections of one list of objects share theirs.
    headers: std::ops::Range<usize>,
    /// Where its rows start in [`MultiTable::cells`]; each row has `num_cols` cells.
    cells_start: usize,
    row_count: usize,
    num_cols: Option<usize>,
    /// Its `_max_widths` in [`MultiTable::widths`] (empty until the first header or row).
    widths: std::ops::Range<usize>,
    /// Set by `convert_to_vertical_table`: the section is drawn without a header line, one two-cell
    /// row per (header, cell) pair of its single row, with these two column widths (computed while
    /// drawing, so a wide table of thousands of sections is not copied).
    vertical: Option<[usize; 2]>,
    indent_level: usize,
}

impl Section<'_> {
    fn title_length(&self) -> usize {
        self.title.map_or(4, |title| title.width)
    }

    fn max_widths<'s>(&'s self, widths: &'s [usize]) -> &'s [usize] {
        match &self.vertical {
            Some(pair) => pair,
            None => &widths[self.widths.clone()],
        }
    }

    /// `total_width(padding=4, with_border=True, outer_padding=indent_level)`.
    fn total_width(&self, widths: &[usize]) -> usize {
        let columns: usize = self.max_widths(widths).iter().map(|w| w + 4).sum();
        let total = columns + 2 + 2 * self.indent_level;
        total.max(self.title_length() + 2 + 2 * self.indent_level)
    }
}

/// `calculate_column_widths(padding, max_width)` into `out`: scale the padded widths so they sum to
/// `max_width`, rounding half to even as Python's `round` does, then fix the sum one column at a time.
fn column_widths(max_widths: &[usize], padding: usize, max_width: usize, out: &mut Vec<usize>) {
    out.clear();
    if max_widths.is_empty() {
        return;
    }
    let unscaled_sum: usize = max_widths.iter().map(|w| w + padding).sum();
    let max_width = max_width as i64;
    let scale = max_width as f64 / unscaled_sum as f64;
    let mut sum = 0i64;
    out.extend(max_widths.iter().map(|w| {
        let scaled = (scale * (w + padding) as f64).round_ties_even() as i64;
        sum += scaled;
        // Kept signed in a usize's bits while fixing the sum; clamped at zero below.
        scaled as usize
    }));
    let mut off_by = sum - max_width;
    while off_by != 0 {
        if off_by > 0 {
            for width in out.iter_mut() {
                *width = width.wrapping_sub(1);
                off_by -= 1;
                if off_by == 0 {
                    break;
                }
            }
        } else {
            for width in out.iter_mut().rev() {
                *width = width.wrapping_add(1);
                off_by += 1;
                if off_by == 0 {
                    break;
                }
            }
        }
    }
    for width in out.iter_mut() {
        *width = (*width as i64).max(0) as usize;
    }
}

/// awscli/table.py `MultiTable`: its sections, and the cells, headers, widths and texts they index.
#[derive(Debug, Default)]
struct MultiTable<'a> {
    sections: Vec<Section<'a>>,
    /// Every row's cells, section after section.
    cells: Vec<Cell<'a>>,
    headers: Vec<Cell<'a>>,
    widths: Vec<usize>,
    /// The `str()` of the non-string cells.
    arena: String,
}

impl<'a> MultiTable<'a> {
    fn text(&self, cell: &Cell<'a>) -> &str {
        match cell.text {
            Text::Document(text) => text,
            Text::Arena { start, end } => &self.arena[start..end],
        }
    }

    /// The cell of a value: `str(value)`.
    fn cell(&mut self, value: &'a Value) -> Cell<'a> {
        match value {
            Value::String(s) => Cell::borrowed(s),
            // `str()` of these is ASCII, so its width is its length.
            Value::Bool(true) => Cell::ascii("True"),
            Value::Bool(false) => Cell::ascii("False"),
            Value::Null => Cell::ascii("None"),
            Value::Number(Number::Int(i)) => self.ascii_arena_cell(|out| push_int(out, *i)),
            Value::Number(Number::Float(f)) => {
                self.ascii_arena_cell(|out| push_float_repr(out, *f))
            }
            other => {
                let start = self.arena.len();
                push_py_str(&mut self.arena, other);
                let end = self.arena.len();
                Cell {
                    text: Text::Arena { start, end },
                    width: text_length(&self.arena[start..end]),
                }
            }
        }
    }

    /// A cell of ASCII text that `push` appends to the arena.
    fn ascii_arena_cell(&mut self, push: impl FnOnce(&mut String)) -> Cell<'a> {
        let start = self.arena.len();
        push(&mut self.arena);
        let end = self.arena.len();
        Cell {
            text: Text::Arena { start, end },
            width: end - start,
        }
    }

    fn new_section(&mut self, title: Option<&'a str>, indent_level: usize) {
        self.sections.push(Section {
            title: title.map(Cell::borrowed),
            cells_start: self.cells.len(),
            widths: self.widths.len()..self.widths.len(),
            indent_level,
            ..Section::default()
        });
    }

    /// `_update_max_widths` of the last section with `row` (cells of `self.cells` or `self.headers`).
    fn update_max_widths(
        section: &mut Section<'a>,
        widths: &mut Vec<usize>,
        row: &[Cell<'a>],
    ) -> Result<(), FormatError> {
        if section.widths.is_empty() {
            let start = widths.len();
            widths.extend(row.iter().map(|cell| cell.width));
            section.widths = start..widths.len();
            return Ok(());
        }
        let current = &mut widths[section.widths.clone()];
        if row.len() > current.len() {
            return Err(FormatError::Other("list index out of range".into()));
        }
        for (width, cell) in current.iter_mut().zip(row) {
            *width = (*width).max(cell.width);
        }
        Ok(())
    }

    /// `add_row` of the cells pushed onto `self.cells` since `mark`.
    fn finish_row(&mut self, mark: usize) -> Result<(), FormatError> {
        let section = self.sections.last_mut().ok_or(FormatError::NoAttribute {
            type_name: "NoneType",
            attribute: "add_row",
        })?;
        let row = &self.cells[mark..];
        let expected = *section.num_cols.get_or_insert(row.len());
        if row.len() != expected {
            return Err(FormatError::RowLength {
                expected,
                got: row.len(),
            });
        }
        Self::update_max_widths(section, &mut self.widths, row)?;
        section.row_count += 1;
        Ok(())
    }

    /// `add_row_header` of the headers at `range` of `self.headers`.
    fn add_row_header(&mut self, range: std::ops::Range<usize>) -> Result<(), FormatError> {
        let section = self.sections.last_mut().ok_or(FormatError::NoAttribute {
            type_name: "NoneType",
            attribute: "add_row_header",
        })?;
        Self::update_max_widths(section, &mut self.widths, &self.headers[range.clone()])?;
        if section.num_cols.is_none() {
            section.num_cols = Some(range.len());
        }
        section.headers = range;
        Ok(())
    }

    fn push_headers(&mut self, names: &[&'a str]) -> std::ops::Range<usize> {
        let start = self.headers.len();
        self.headers
            .extend(names.iter().map(|name| Cell::borrowed(name)));
        start..self.headers.len()
    }

    /// `TableFormatter._build_table`.
    fn build(
        &mut self,
        title: Option<&'a str>,
        current: &'a Value,
        indent_level: usize,
    ) -> Result<bool, FormatError> {
        if !is_truthy(current) {
            return Ok(false);
        }
        if title.is_some() {
            self.new_section(title, indent_level);
        }
        match current {
            Value::Array(items) => {
                if matches!(items.first(), Some(Value::Object(_))) {
                    self.build_sub_table_from_list(items, indent_level, title)?;
                } else {
                    for item in items {
                        let mark = self.cells.len();
                        if is_scalar(item) {
                            let cell = self.cell(item);
                            self.cells.push(cell);
                            self.finish_row(mark)?;
                        } else if self.push_scalar_elements(item) {
                            self.finish_row(mark)?;
                        } else {
                            self.build(None, item, 0)?;
                        }
                    }
                }
            }
            Value::Object(map) => self.build_sub_table_from_dict(map, indent_level)?,
            _ => {}
        }
        Ok(true)
    }

    /// For a non-scalar list element: pushes its cells when every element of it is a scalar (a dict
    /// counts by its keys, as Python iterates it) and says whether it did.
    fn push_scalar_elements(&mut self, item: &'a Value) -> bool {
        match item {
            Value::Array(items) if items.iter().all(is_scalar) => {
                for item in items {
                    let cell = self.cell(item);
                    self.cells.push(cell);
                }
                true
            }
            Value::Object(map) => {
                self.cells
                    .extend(map.keys().map(|key| Cell::borrowed(key.as_str())));
                true
            }
            _ => false,
        }
    }

    fn build_sub_table_from_dict(
        &mut self,
        current: &'a Map,
        indent_level: usize,
    ) -> Result<(), FormatError> {
        let (headers, more) = group_scalar_keys(current);
        if headers.len() == 1 {
            let mark = self.cells.len();
            let value = current
                .get(headers[0])
                .map_or(Cell::EMPTY, |v| self.cell(v));
            self.cells.push(Cell::borrowed(headers[0]));
            self.cells.push(value);
            self.finish_row(mark)?;
        } else if !headers.is_empty() {
            let range = self.push_headers(&headers);
            self.add_row_header(range)?;
            let mark = self.cells.len();
            for key in &headers {
                let cell = current.get(key).map_or(Cell::EMPTY, |v| self.cell(v));
                self.cells.push(cell);
            }
            self.finish_row(mark)?;
        }
        for name in more {
            if let Some(value) = current.get(name) {
                self.build(Some(name), value, indent_level + 1)?;
            }
        }
        Ok(())
    }

    fn build_sub_table_from_list(
        &mut self,
        current: &'a [Value],
        indent_level: usize,
        title: Option<&'a str>,
    ) -> Result<(), FormatError> {
        let (headers, more) = group_scalar_keys_from_list(current)?;
        let range = self.push_headers(&headers);
        self.add_row_header(range.clone())?;
        let mut positions = KeyPositions::default();
        for (i, element) in current.iter().enumerate() {
            let Value::Object(element) = element else {
                return Err(FormatError::NoAttribute {
                    type_name: type_name(element),
                    attribute: "get",
                });
            };
            if i > 0 && !more.is_empty() {
                self.new_section(title, indent_level);
                self.add_row_header(range.clone())?;
            }
            let mark = self.cells.len();
            if current.len() > 1 {
                positions.locate(element, &headers);
                for position in &positions.positions {
                    let cell = match position {
                        Some(index) => element
                            .get_index(*index)
                            .map_or(Cell::EMPTY, |(_, v)| self.cell(v)),
                        None => Cell::EMPTY,
                    };
                    self.cells.push(cell);
                }
            } else {
                for key in &headers {
                    let cell = element.get(key).map_or(Cell::EMPTY, |v| self.cell(v));
                    self.cells.push(cell);
                }
            }
            self.finish_row(mark)?;
            for name in &more {
                if let Some(value) = element.get(name) {
                    self.build(Some(name), value, indent_level + 1)?;
                }
            }
        }
        Ok(())
    }

    /// `MultiTable.render`.
    fn render(&mut self, out: &mut Output, terminal_width: usize) {
        let mut max_width = self.max_width();
        if max_width > terminal_width {
            self.convert_to_vertical_table();
            max_width = self.max_width();
        }
        let mut rule = String::with_capacity(max_width + 1);
        push_repeated(&mut rule, '-', max_width);
        rule.push('\n');
        out.write(&rule);
        let mut scratch = RenderScratch::default();
        for section in &self.sections {
            self.render_section(section, max_width, out, &mut scratch);
        }
    }

    fn max_width(&self) -> usize {
        self.sections
            .iter()
            .map(|section| section.total_width(&self.widths))
            .max()
            .unwrap_or(0)
    }

    /// `convert_to_vertical_table`: every single-row section with headers becomes header/value rows
    /// (marked [`Section::vertical`], with the two columns' widths).
    fn convert_to_vertical_table(&mut self) {
        for section in self.sections.iter_mut() {
            if section.row_count == 1 && !section.headers.is_empty() {
                let (mut header_width, mut cell_width) = (0, 0);
                let row = &self.cells[section.cells_start..][..section.num_cols.unwrap_or(0)];
                for (header, element) in self.headers[section.headers.clone()].iter().zip(row) {
                    header_width = header_width.max(header.width);
                    cell_width = cell_width.max(element.width);
                }
                section.vertical = Some([header_width, cell_width]);
            }
        }
    }

    fn render_section(
        &self,
        section: &Section<'a>,
        max_width: usize,
        out: &mut Output,
        scratch: &mut RenderScratch,
    ) {
        let RenderScratch { widths, line_break } = scratch;
        let indent = section.indent_level;
        let max_width = max_width.saturating_sub(indent * 2);
        let headers: &[Cell<'a>] = if section.vertical.is_some() {
            &[]
        } else {
            &self.headers[section.headers.clone()]
        };
        let row_cells = &self.cells[section.cells_start..];
        let row_count = if section.vertical.is_some() {
            section.headers.len().min(section.num_cols.unwrap_or(0))
        } else {
            section.row_count
        };
        if let Some(title) = section.title.filter(|t| t.width > 0) {
            out.begin_line(indent);
            out.text.push('|');
            push_centered(&mut out.text, self.text(&title), max_width, 1, title.width);
            out.end_line(indent);
            if headers.is_empty() && row_count == 0 {
                out.begin_line(indent);
                out.text.push('+');
                push_repeated(&mut out.text, '-', max_width.saturating_sub(2));
                out.text.push('+');
                out.end_line(indent);
            }
        }
        if headers.is_empty() && row_count == 0 {
            return;
        }
        column_widths(section.max_widths(&self.widths), 4, max_width, widths);
        line_break.clear();
        push_line_break(line_break, widths);
        if !headers.is_empty() {
            out.write_line(indent, line_break);
            out.begin_line(indent);
            for (i, (width, header)) in widths.iter().zip(headers).enumerate() {
                let left = usize::from(i == 0);
                if left == 1 {
                    out.text.push('|');
                }
                push_centered(&mut out.text, self.text(header), *width, left, header.width);
            }
            out.end_line(indent);
        }
        if row_count == 0 || widths.is_empty() {
            return;
        }
        out.write_line(indent, line_break);
        if section.vertical.is_some() {
            let headers = &self.headers[section.headers.clone()];
            for (header, element) in headers.iter().zip(row_cells).take(row_count) {
                self.render_row(out, indent, widths, [header, element].into_iter());
            }
        } else {
            let num_cols = section.num_cols.unwrap_or(0);
            for r in 0..row_count {
                let row = &row_cells[r * num_cols..][..num_cols];
                self.render_row(out, indent, widths, row.iter());
            }
        }
        out.write_line(indent, line_break);
    }

    /// One row of cells, left-aligned in their columns (and styled when coloured).
    fn render_row<'c>(
        &self,
        out: &mut Output,
        indent: usize,
        widths: &[usize],
        row: impl Iterator<Item = &'c Cell<'a>>,
    ) where
        'a: 'c,
    {
        out.begin_line(indent);
        let color = out.color;
        for (i, (width, element)) in widths.iter().zip(row).enumerate() {
            let left = usize::from(i == 0);
            let (length, width) = (element.width as i64, *width as i64);
            let padding = if width - (length + 2 + left as i64 + 1) >= 0 {
                2
            } else {
                0
            };
            let trailing = width - (left as i64 + padding + length) - 1;
            let line = &mut out.text;
            if left == 1 {
                line.push('|');
            }
            push_spaces(line, padding);
            if color {
                line.push_str(ROW_STYLE);
                line.push_str(self.text(element));
                line.push_str(RESET);
            } else {
                line.push_str(self.text(element));
            }
            push_spaces(line, trailing);
            line.push('|');
        }
        out.end_line(indent);
    }
}

/// `str(i)` of an `int`, appended to `out` (without `fmt`'s machinery: a listing has one per row).
fn push_int(out: &mut String, i: i64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = i.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if i < 0 {
        out.push('-');
    }
    for &digit in &digits[at..] {
        out.push(char::from(digit));
    }
}

/// `_group_scalar_keys`: the sorted keys holding scalars, and the sorted keys holding lists or dicts.
fn group_scalar_keys(current: &Map) -> (Vec<&str>, Vec<&str>) {
    let mut headers = Vec::new();
    let mut more = Vec::new();
    for (key, value) in current {
        if is_scalar(value) {
            headers.push(key.as_str());
        } else {
            more.push(key.as_str());
        }
    }
    headers.sort_unstable();
    more.sort_unstable();
    (headers, more)
}

/// Whether two objects have the same keys in the same order, each holding a scalar in both or in
/// neither: then they add the same keys to a list's headers.
fn same_key_kinds(a: &Map, b: &Map) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|((ka, va), (kb, vb))| {
            same_name(ka.as_bytes(), kb.as_bytes()) && is_scalar(va) == is_scalar(vb)
        })
}

/// `_group_scalar_keys_from_list`: the union over every element (which must all be dicts).
#[allow(clippy::type_complexity)]
fn group_scalar_keys_from_list(items: &[Value]) -> Result<(Vec<&str>, Vec<&str>), FormatError> {
    let mut headers: Vec<&str> = Vec::new();
    let mut more: Vec<&str> = Vec::new();
    let (mut index_headers, mut index_more) = (false, false);
    let mut previous: Option<&Map> = None;
    for item in items {
        match item {
            Value::Object(map) => {
                // A listing's objects mostly share their keys: one like the last adds nothing.
                if previous.is_some_and(|previous| same_key_kinds(previous, map)) {
                    continue;
                }
                previous = Some(map);
                for (key, value) in map {
                    let group = if is_scalar(value) {
                        &mut headers
                    } else {
                        &mut more
                    };
                    if !group.contains(&key.as_str()) {
                        group.push(key);
                    }
                }
            }
            // Iterating an empty string finds no keys; the reference fails later, on `element.get`.
            Value::String(s) if s.is_empty() => {}
            Value::String(_) => {
                return Err(FormatError::Other(
                    "string indices must be integers, not 'str'".into(),
                ))
            }
            Value::Array(list) => {
                for element in list {
                    if is_scalar(list_subscript(list, element)?) {
                        index_headers = true;
                    } else {
                        index_more = true;
                    }
                }
            }
            other => {
                return Err(FormatError::NotIterable {
                    type_name: type_name(other),
                })
            }
        }
    }
    // A list element contributes its elements (integers) as keys; sorting them together with
    // string keys raises. (Which operand the reference names first depends on Python's per-process
    // string hash seed; this is the more common spelling.)
    if (index_headers && !headers.is_empty()) || (index_more && !more.is_empty()) {
        return Err(FormatError::Other(
            "'<' not supported between instances of 'int' and 'str'".into(),
        ));
    }
    headers.sort_unstable();
    more.sort_unstable();
    Ok((headers, more))
}

/// Where a list's headers are in its objects, found once for a run of objects whose keys come in the
/// same order (a listing's objects, as the service sends them), instead of by name in every object.
#[derive(Default)]
struct KeyPositions<'a> {
    /// The keys, in order, of the object the positions were found in.
    keys: Vec<&'a str>,
    /// Each header's index in such an object.
    positions: Vec<Option<usize>>,
}

impl<'a> KeyPositions<'a> {
    fn locate(&mut self, object: &'a Map, headers: &[&str]) {
        let same = self.keys.len() == object.len()
            && self
                .keys
                .iter()
                .zip(object.keys())
                .all(|(a, b)| same_name(a.as_bytes(), b.as_bytes()));
        if same && self.positions.len() == headers.len() {
            return;
        }
        self.keys.clear();
        self.keys.extend(object.keys().map(|k| k.as_str()));
        self.positions.clear();
        self.positions
            .extend(headers.iter().map(|header| object.get_index_of(header)));
    }
}

/// Python's `list[index]` for a value used as an index.
fn list_subscript<'a>(list: &'a [Value], index: &Value) -> Result<&'a Value, FormatError> {
    let index = match index {
        Value::Number(Number::Int(i)) => *i,
        Value::Bool(b) => i64::from(*b),
        Value::Number(Number::BigInt(_)) => {
            return Err(FormatError::Other(
                "cannot fit 'int' into an index-sized integer".into(),
            ))
        }
        other => {
            return Err(FormatError::Other(format!(
                "list indices must be integers or slices, not {}",
                type_name(other)
            )))
        }
    };
    let len = list.len() as i64;
    let position = if index < 0 { index + len } else { index };
    if (0..len).contains(&position) {
        Ok(&list[position as usize])
    } else {
        Err(FormatError::Other("list index out of range".into()))
    }
}

/// What drawing one section needs and the next reuses: its column widths and its `+-----+---+` line.
#[derive(Default)]
struct RenderScratch {
    widths: Vec<usize>,
    line_break: String,
}

/// `+-------+---------+`, appended to `line`.
fn push_line_break(line: &mut String, widths: &[usize]) {
    for (i, width) in widths.iter().enumerate() {
        if i == 0 {
            line.push('+');
            push_repeated(line, '-', width.saturating_sub(2));
        } else {
            push_repeated(line, '-', width.saturating_sub(1));
        }
        line.push('+');
    }
}

/// `c * n` appended to `line`, for the table's ASCII fill characters, copied in runs.
fn push_repeated(line: &mut String, c: char, n: usize) {
    const SPACES: &str = concat!(
        "                                                                ",
        "                                                                "
    );
    const DASHES: &str = concat!(
        "----------------------------------------------------------------",
        "----------------------------------------------------------------"
    );
    let run = match c {
        ' ' => SPACES,
        '-' => DASHES,
        other => {
            line.extend(std::iter::repeat_n(other, n));
            return;
        }
    };
    let mut left = n;
    while left > 0 {
        let take = left.min(run.len());
        line.push_str(&run[..take]);
        left -= take;
    }
}

/// Python's `' ' * n` (empty for negative `n`).
fn push_spaces(line: &mut String, n: i64) {
    push_repeated(line, ' ', n.max(0) as usize);
}

/// awscli/table.py `center_text` with a right edge of `|`, appended to `line` after a left edge of
/// `left_edge` characters the caller has already written.
fn push_centered(
    line: &mut String,
    text: &str,
    length: usize,
    left_edge: usize,
    text_length: usize,
) {
    let (length, text_length) = (length as i64, text_length as i64);
    let char_start = length.div_euclid(2) - text_length.div_euclid(2) - 1;
    let length_so_far = left_edge as i64 + char_start + text_length;
    let right_side_spaces = length - 1 - length_so_far;
    push_spaces(line, char_start);
    line.push_str(text);
    push_spaces(line, right_side_spaces);
    line.push('|');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_int_is_str_of_int() {
        for i in [0, 7, -7, 10, 40, -1234567890, i64::MAX, i64::MIN] {
            let mut out = String::from("x");
            push_int(&mut out, i);
            assert_eq!(out, format!("x{i}"));
        }
    }
}
