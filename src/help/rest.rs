//! The reStructuredText document the help pages are written into.
//!
//! This mirrors the reference's `bcdoc` `ReSTDocument` with its `ReSTStyle` (target `man`): the page is
//! a list of writes, and some styles look back at (and rewrite) the last write — an empty inline
//! markup pair is dropped, a link's text gets its `<url>` appended — so the list's granularity matters
//! and is kept exactly as the reference's. Indentation is counted in steps of two spaces.

use indexmap::IndexMap;

/// A reStructuredText page under construction.
#[derive(Debug)]
pub struct RestDoc {
    writes: Vec<String>,
    indent: usize,
    /// `false` inside `<li>`: paragraphs then start no blank lines.
    do_p: bool,
    a_href: Option<String>,
    list_depth: usize,
    /// `false` inside `<examples>` / `<fullname>`, whose text is dropped.
    keep_data: bool,
    /// Links whose text was empty; their targets are defined at the end of the page.
    hrefs: IndexMap<String, String>,
}

impl Default for RestDoc {
    fn default() -> Self {
        RestDoc::new()
    }
}

impl RestDoc {
    pub fn new() -> RestDoc {
        RestDoc {
            writes: Vec::with_capacity(1024),
            indent: 0,
            do_p: true,
            a_href: None,
            list_depth: 0,
            keep_data: true,
            hrefs: IndexMap::new(),
        }
    }

    /// Appends `content` as one write.
    pub fn write(&mut self, content: &str) {
        if self.keep_data {
            self.writes.push(content.to_string());
        }
    }

    /// Appends `content` on a line of its own, indented to the current level.
    pub fn writeln(&mut self, content: &str) {
        let line = format!("{}{}\n", self.spaces(), content);
        self.write(&line);
    }

    /// Text from an HTML data node; dropped inside `<examples>`.
    pub fn handle_data(&mut self, data: &str) {
        if !data.is_empty() {
            self.write(data);
        }
    }

    pub fn spaces(&self) -> String {
        " ".repeat(self.indent * 2)
    }

    pub fn indent(&mut self) {
        self.indent += 1;
    }

    pub fn dedent(&mut self) {
        self.indent = self.indent.saturating_sub(1);
    }

    pub fn new_paragraph(&mut self) {
        let s = format!("\n\n{}", self.spaces());
        self.write(&s);
    }

    pub fn new_line(&mut self) {
        let s = format!("\n{}", self.spaces());
        self.write(&s);
    }

    fn heading(&mut self, title: &str, border_char: char) {
        let border: String = std::iter::repeat_n(border_char, title.chars().count()).collect();
        self.new_paragraph();
        self.write(&format!("{border}\n{title}\n{border}"));
        self.new_paragraph();
    }

    pub fn h1(&mut self, title: &str) {
        self.heading(title, '*');
    }

    pub fn h2(&mut self, title: &str) {
        self.heading(title, '=');
    }

    pub fn h3(&mut self, title: &str) {
        self.heading(title, '-');
    }

    fn start_inline(&mut self, markup: &str) {
        self.write(markup);
    }

    /// Closes inline markup; an empty pair (`**` right after `**`) disappears altogether.
    fn end_inline(&mut self, markup: &str) {
        let last = self.writes.pop().unwrap_or_default();
        let last = last.trim_end_matches(' ');
        if last == markup {
            return;
        }
        self.writes.push(last.to_string());
        self.write(&format!("{markup} "));
    }

    pub fn start_bold(&mut self) {
        self.start_inline("**");
    }

    pub fn end_bold(&mut self) {
        self.end_inline("**");
    }

    pub fn start_italics(&mut self) {
        self.start_inline("*");
    }

    pub fn end_italics(&mut self) {
        self.end_inline("*");
    }

    pub fn start_code(&mut self) {
        self.start_inline("``");
    }

    pub fn end_code(&mut self) {
        self.end_inline("``");
    }

    pub fn start_p(&mut self) {
        if self.do_p {
            let s = format!("\n\n{}", self.spaces());
            self.write(&s);
        }
    }

    pub fn end_p(&mut self) {
        self.start_p();
    }

    /// Opens a directive block such as `.. note::`.
    pub fn start_directive(&mut self, directive: &str) {
        self.new_paragraph();
        self.write(directive);
        self.indent();
        self.new_paragraph();
    }

    pub fn end_directive(&mut self) {
        self.dedent();
        self.new_paragraph();
    }

    /// `<a>`: with an `href` the text becomes an anonymous hyperlink reference; without attributes a
    /// space is written.
    pub fn start_a(&mut self, attrs: &[(String, Option<String>)]) {
        if attrs.is_empty() {
            self.write(" ");
        } else {
            for (key, value) in attrs {
                if key == "href" {
                    self.a_href = Some(value.clone().unwrap_or_default());
                    self.write("`");
                }
            }
        }
    }

    pub fn end_a(&mut self) {
        if let Some(href) = self.a_href.take() {
            let last = self.writes.pop().unwrap_or_default();
            let last = last.trim_end_matches(' ');
            if !last.is_empty() && last != "`" {
                self.writes.push(last.replace(':', "\\:"));
                self.writes.push(format!(" <{href}>`__"));
            } else if last == "`" {
                self.writes.push(format!("`<{href}>`__"));
            } else {
                self.writes.push(href.clone());
                self.hrefs.insert(href.clone(), href);
                self.write("`__");
            }
        }
        self.write(" ");
    }

    pub fn start_li(&mut self) {
        self.new_line();
        self.do_p = false;
        self.write("* ");
    }

    pub fn end_li(&mut self) {
        self.do_p = true;
        self.new_line();
    }

    /// A one-line list item.
    pub fn li(&mut self, text: &str) {
        if !text.is_empty() {
            self.start_li();
            self.writeln(text);
            self.end_li();
        }
    }

    pub fn start_ul(&mut self) {
        if self.list_depth != 0 {
            self.indent();
        }
        self.list_depth += 1;
        self.new_paragraph();
    }

    pub fn end_ul(&mut self) {
        self.list_depth = self.list_depth.saturating_sub(1);
        if self.list_depth != 0 {
            self.dedent();
        }
        self.new_paragraph();
    }

    pub fn set_keep_data(&mut self, keep: bool) {
        self.keep_data = keep;
    }

    pub fn start_codeblock(&mut self) {
        self.write("::");
        self.indent();
        self.new_paragraph();
    }

    pub fn end_codeblock(&mut self) {
        self.dedent();
        self.new_paragraph();
    }

    pub fn codeblock(&mut self, code: &str) {
        self.start_codeblock();
        self.writeln(code);
        self.end_codeblock();
    }

    /// Writes each line of a bundled file, stripped, on its own indented line.
    pub fn write_from_file(&mut self, text: &str) {
        for line in text.split_inclusive('\n') {
            self.writeln(line.trim_matches(crate::help::html::is_py_space));
        }
    }

    /// The finished page (link targets of empty links appended).
    pub fn into_string(mut self) -> String {
        if !self.hrefs.is_empty() {
            self.new_paragraph();
            let hrefs = std::mem::take(&mut self.hrefs);
            for (name, link) in hrefs {
                self.writeln(&format!(".. _{name}: {link}"));
            }
        }
        self.writes.concat()
    }
}
