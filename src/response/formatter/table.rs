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

use super::cell::{is_scalar, py_str, text_length};
use super::FormatError;
use crate::python::types::{is_truthy, type_name};
use crate::python::value::{Map, Number, Value};

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
    let mut table = MultiTable::default();
    if !table.build(Some(title), value, 0)? {
        return Ok(String::new());
    }
    let mut out = Output {
        text: String::new(),
        color,
    };
    table.render(&mut out, terminal_width);
    Ok(out.text)
}

/// The stdout stream; with colour, colorama's autoreset appends `ESC[0m` to every `write()`.
struct Output {
    text: String,
    color: bool,
}

impl Output {
    fn write(&mut self, text: &str) {
        self.text.push_str(text);
        if self.color {
            self.text.push_str(RESET);
        }
    }

    /// `IndentedStream.write` for a line ending in `\n`: four separate writes.
    fn write_line(&mut self, indent_level: usize, line: &str) {
        let edge = if self.color {
            format!("{INDENT_STYLE}|{RESET}")
        } else {
            "|".to_string()
        };
        let edges = edge.repeat(indent_level);
        self.write(&edges);
        self.write(line);
        self.write(&edges);
        self.write("\n");
    }

    fn style_row_element(&self, text: &str) -> String {
        if self.color {
            format!("{ROW_STYLE}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

/// awscli/table.py `Section`. A title of `None` (a nested list of lists) is not drawn but is
/// measured as the four characters of `str(None)`.
#[derive(Debug, Default, Clone)]
struct Section {
    title: Option<String>,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent_level: usize,
    num_cols: Option<usize>,
    max_widths: Vec<usize>,
}

impl Section {
    fn title_length(&self) -> usize {
        self.title.as_deref().map_or(4, text_length)
    }

    fn add_header(&mut self, headers: Vec<String>) -> Result<(), FormatError> {
        self.update_max_widths(&headers)?;
        if self.num_cols.is_none() {
            self.num_cols = Some(headers.len());
        }
        self.headers = headers;
        Ok(())
    }

    fn add_row(&mut self, row: Vec<String>) -> Result<(), FormatError> {
        let expected = *self.num_cols.get_or_insert(row.len());
        if row.len() != expected {
            return Err(FormatError::RowLength {
                expected,
                got: row.len(),
            });
        }
        self.update_max_widths(&row)?;
        self.rows.push(row);
        Ok(())
    }

    fn update_max_widths(&mut self, row: &[String]) -> Result<(), FormatError> {
        if self.max_widths.is_empty() {
            self.max_widths = row.iter().map(|el| text_length(el)).collect();
            return Ok(());
        }
        for (i, el) in row.iter().enumerate() {
            let width = self
                .max_widths
                .get_mut(i)
                .ok_or_else(|| FormatError::Other("list index out of range".into()))?;
            *width = (*width).max(text_length(el));
        }
        Ok(())
    }

    /// `calculate_column_widths(padding, max_width)`: scale the padded widths so they sum to
    /// `max_width`, rounding half to even as Python's `round` does, then fix the sum one column at a time.
    fn column_widths(&self, padding: usize, max_width: Option<usize>) -> Vec<usize> {
        let unscaled: Vec<i64> = self
            .max_widths
            .iter()
            .map(|w| (w + padding) as i64)
            .collect();
        let Some(max_width) = max_width else {
            return unscaled.iter().map(|w| *w as usize).collect();
        };
        if unscaled.is_empty() {
            return Vec::new();
        }
        let max_width = max_width as i64;
        let scale = max_width as f64 / unscaled.iter().sum::<i64>() as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|w| (scale * *w as f64).round_ties_even() as i64)
            .collect();
        let mut off_by = scaled.iter().sum::<i64>() - max_width;
        while off_by != 0 {
            let order: Vec<usize> = if off_by < 0 {
                (0..scaled.len()).rev().collect()
            } else {
                (0..scaled.len()).collect()
            };
            for i in order {
                if off_by > 0 {
                    scaled[i] -= 1;
                    off_by -= 1;
                } else {
                    scaled[i] += 1;
                    off_by += 1;
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled.into_iter().map(|w| w.max(0) as usize).collect()
    }

    /// `total_width(padding=4, with_border=True, outer_padding=indent_level)`.
    fn total_width(&self) -> usize {
        let columns: usize = self.column_widths(0, None).iter().map(|w| w + 4).sum();
        let total = columns + 2 + 2 * self.indent_level;
        total.max(self.title_length() + 2 + 2 * self.indent_level)
    }
}

#[derive(Debug, Default)]
struct MultiTable {
    sections: Vec<Section>,
}

impl MultiTable {
    fn current(&mut self) -> Result<&mut Section, FormatError> {
        self.sections.last_mut().ok_or(FormatError::NoAttribute {
            type_name: "NoneType",
            attribute: "add_row",
        })
    }

    fn new_section(&mut self, title: Option<&str>, indent_level: usize) {
        self.sections.push(Section {
            title: title.map(str::to_string),
            indent_level,
            ..Section::default()
        });
    }

    fn add_row(&mut self, row: Vec<String>) -> Result<(), FormatError> {
        self.current()?.add_row(row)
    }

    fn add_row_header(&mut self, headers: Vec<String>) -> Result<(), FormatError> {
        self.current()?.add_header(headers)
    }

    /// `TableFormatter._build_table`.
    fn build(
        &mut self,
        title: Option<&str>,
        current: &Value,
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
                        if is_scalar(item) {
                            self.add_row(vec![py_str(item)])?;
                        } else if let Some(cells) = scalar_elements(item) {
                            self.add_row(cells)?;
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

    fn build_sub_table_from_dict(
        &mut self,
        current: &Map,
        indent_level: usize,
    ) -> Result<(), FormatError> {
        let (headers, more) = group_scalar_keys(current);
        if headers.len() == 1 {
            let value = current.get(&headers[0]).map(py_str).unwrap_or_default();
            self.add_row(vec![headers[0].clone(), value])?;
        } else if !headers.is_empty() {
            let row = headers
                .iter()
                .map(|k| current.get(k).map(py_str).unwrap_or_default())
                .collect();
            self.add_row_header(headers)?;
            self.add_row(row)?;
        }
        for name in more {
            if let Some(value) = current.get(&name) {
                self.build(Some(&name), value, indent_level + 1)?;
            }
        }
        Ok(())
    }

    fn build_sub_table_from_list(
        &mut self,
        current: &[Value],
        indent_level: usize,
        title: Option<&str>,
    ) -> Result<(), FormatError> {
        let (headers, more) = group_scalar_keys_from_list(current)?;
        self.add_row_header(headers.clone())?;
        for (i, element) in current.iter().enumerate() {
            let Value::Object(element) = element else {
                return Err(FormatError::NoAttribute {
                    type_name: type_name(element),
                    attribute: "get",
                });
            };
            if i > 0 && !more.is_empty() {
                self.new_section(title, indent_level);
                self.add_row_header(headers.clone())?;
            }
            let row = headers
                .iter()
                .map(|h| element.get(h).map(py_str).unwrap_or_default())
                .collect();
            self.add_row(row)?;
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
            convert_to_vertical_table(&mut self.sections);
            max_width = self.max_width();
        }
        out.write(&format!("{}\n", "-".repeat(max_width)));
        for section in &self.sections {
            render_section(section, max_width, out);
        }
    }

    fn max_width(&self) -> usize {
        self.sections
            .iter()
            .map(Section::total_width)
            .max()
            .unwrap_or(0)
    }
}

/// For a non-scalar list element: its cells when every element of it is a scalar (a dict counts by
/// its keys, as Python iterates it), else `None`.
fn scalar_elements(item: &Value) -> Option<Vec<String>> {
    match item {
        Value::Array(items) if items.iter().all(is_scalar) => {
            Some(items.iter().map(py_str).collect())
        }
        Value::Object(map) => Some(map.keys().cloned().collect()),
        _ => None,
    }
}

/// `_group_scalar_keys`: the sorted keys holding scalars, and the sorted keys holding lists or dicts.
fn group_scalar_keys(current: &Map) -> (Vec<String>, Vec<String>) {
    let mut headers = Vec::new();
    let mut more = Vec::new();
    for (key, value) in current {
        if is_scalar(value) {
            headers.push(key.clone());
        } else {
            more.push(key.clone());
        }
    }
    headers.sort();
    more.sort();
    (headers, more)
}

/// `_group_scalar_keys_from_list`: the union over every element (which must all be dicts).
fn group_scalar_keys_from_list(items: &[Value]) -> Result<(Vec<String>, Vec<String>), FormatError> {
    let mut headers: Vec<String> = Vec::new();
    let mut more: Vec<String> = Vec::new();
    let (mut index_headers, mut index_more) = (false, false);
    for item in items {
        match item {
            Value::Object(map) => {
                let (h, m) = group_scalar_keys(map);
                for key in h {
                    if !headers.contains(&key) {
                        headers.push(key);
                    }
                }
                for key in m {
                    if !more.contains(&key) {
                        more.push(key);
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
    headers.sort();
    more.sort();
    Ok((headers, more))
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

/// `convert_to_vertical_table`: every single-row section with headers becomes header/value rows.
fn convert_to_vertical_table(sections: &mut [Section]) {
    for section in sections.iter_mut() {
        if section.rows.len() == 1 && !section.headers.is_empty() {
            let mut vertical = Section {
                title: section.title.clone(),
                indent_level: section.indent_level,
                ..Section::default()
            };
            for (header, element) in section.headers.iter().zip(&section.rows[0]) {
                // Two-element rows into a fresh section cannot fail.
                let _ = vertical.add_row(vec![header.clone(), element.clone()]);
            }
            *section = vertical;
        }
    }
}

fn render_section(section: &Section, max_width: usize, out: &mut Output) {
    let indent = section.indent_level;
    let max_width = max_width.saturating_sub(indent * 2);
    if let Some(title) = section.title.as_deref().filter(|t| !t.is_empty()) {
        out.write_line(
            indent,
            &center_text(title, max_width, "|", "|", text_length(title)),
        );
        if section.headers.is_empty() && section.rows.is_empty() {
            out.write_line(
                indent,
                &format!("+{}+", "-".repeat(max_width.saturating_sub(2))),
            );
        }
    }
    if !section.headers.is_empty() {
        let widths = section.column_widths(4, Some(max_width));
        let mut line = String::new();
        for (i, (width, header)) in widths.iter().zip(&section.headers).enumerate() {
            let left = if i == 0 { "|" } else { "" };
            line.push_str(&center_text(header, *width, left, "|", text_length(header)));
        }
        write_line_break(out, indent, &widths);
        out.write_line(indent, &line);
    }
    if section.rows.is_empty() {
        return;
    }
    let widths = section.column_widths(4, Some(max_width));
    if widths.is_empty() {
        return;
    }
    write_line_break(out, indent, &widths);
    for row in &section.rows {
        let mut line = String::new();
        for (i, (width, element)) in widths.iter().zip(row).enumerate() {
            let left = if i == 0 { "|" } else { "" };
            let styled = out.style_row_element(element);
            line.push_str(&align_left(
                &styled,
                *width,
                left,
                "|",
                text_length(element),
            ));
        }
        out.write_line(indent, &line);
    }
    write_line_break(out, indent, &widths);
}

/// `+-------+---------+`.
fn write_line_break(out: &mut Output, indent: usize, widths: &[usize]) {
    let mut line = String::new();
    for (i, width) in widths.iter().enumerate() {
        if i == 0 {
            line.push_str(&format!("+{}+", "-".repeat(width.saturating_sub(2))));
        } else {
            line.push_str(&format!("{}+", "-".repeat(width.saturating_sub(1))));
        }
    }
    out.write_line(indent, &line);
}

fn spaces(n: i64) -> String {
    " ".repeat(n.max(0) as usize)
}

/// awscli/table.py `center_text` (Python's `' ' * n` is empty for negative `n`).
fn center_text(
    text: &str,
    length: usize,
    left_edge: &str,
    right_edge: &str,
    text_length: usize,
) -> String {
    let (length, text_length) = (length as i64, text_length as i64);
    let char_start = length.div_euclid(2) - text_length.div_euclid(2) - 1;
    let length_so_far = left_edge.chars().count() as i64 + char_start + text_length;
    let right_side_spaces = length - right_edge.chars().count() as i64 - length_so_far;
    format!(
        "{left_edge}{}{text}{}{right_edge}",
        spaces(char_start),
        spaces(right_side_spaces)
    )
}

/// awscli/table.py `align_left` with its default left padding of 2.
fn align_left(
    text: &str,
    length: usize,
    left_edge: &str,
    right_edge: &str,
    text_length: usize,
) -> String {
    let (length, text_length) = (length as i64, text_length as i64);
    let (left, right) = (
        left_edge.chars().count() as i64,
        right_edge.chars().count() as i64,
    );
    let padding = if length - (text_length + 2 + left + right) >= 0 {
        2
    } else {
        0
    };
    let trailing = length - (left + padding + text_length) - right;
    format!(
        "{left_edge}{}{text}{}{right_edge}",
        spaces(padding),
        spaces(trailing)
    )
}
