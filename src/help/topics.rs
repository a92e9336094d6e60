//! `aws help topics` and `aws help <topic>`: the topic guide pages of AWS CLI v1.45.11
//! (`awscli/topics/*.rst`, bundled in `topics/`, see `topics/README.md`), written as the reference's
//! `TopicListerDocumentEventHandler` and `TopicDocumentEventHandler` write them.
//!
//! Each topic file starts with tag lines (`:title:`, `:description:`, `:category:`, ...); the list page
//! shows every topic's description under its category (both sorted), a topic page the file without its
//! tag lines under the topic's title.

use super::html::include_doc_string;
use super::rest::RestDoc;

/// The topics in the reference's index order (the order `aws help <unknown>` lists them in).
const TOPICS: &[(&str, &str)] = &[
    ("config-vars", include_str!("topics/config-vars.rst")),
    ("return-codes", include_str!("topics/return-codes.rst")),
    ("s3-config", include_str!("topics/s3-config.rst")),
    ("s3-faq", include_str!("topics/s3-faq.rst")),
    (
        "s3-case-insensitivity",
        include_str!("topics/s3-case-insensitivity.rst"),
    ),
];

/// The tags a topic file may start with.
const VALID_TAGS: &[&str] = &[
    "category",
    "description",
    "title",
    "related topic",
    "related command",
];

const DESCRIPTION: &str = "This is the AWS CLI Topic Guide. It gives access to a set of topics that provide \
a deeper understanding of the CLI. To access the list of topics from the command line, run ``aws help \
topics``. To access a specific topic from the command line, run ``aws help [topicname]``, where \
``topicname`` is the name of the topic as it appears in the output from ``aws help topics``.";

/// The topic names, in index order.
pub fn names() -> impl Iterator<Item = &'static str> {
    TOPICS.iter().map(|(name, _)| *name)
}

fn source(name: &str) -> Option<&'static str> {
    TOPICS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// A tag's value (`:title: AWS CLI Return Codes` -> `AWS CLI Return Codes`).
fn tag(text: &str, name: &str) -> String {
    let prefix = format!(":{name}:");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .map(|v| v.trim().to_string())
        .unwrap_or_default()
}

fn has_tag(line: &str) -> bool {
    VALID_TAGS
        .iter()
        .any(|t| line.starts_with(&format!(":{t}:")))
}

fn title(doc: &mut RestDoc, name: &str, heading: &str) {
    doc.new_paragraph();
    doc.writeln(&format!(".. _cli:aws help {name}: "));
    doc.h1(heading);
}

/// The reStructuredText of `aws help topics`.
pub fn topics_rst() -> String {
    let mut doc = RestDoc::new();
    title(&mut doc, "topics", "AWS CLI Topic Guide");
    doc.h2("Description");
    include_doc_string(&mut doc, DESCRIPTION);
    doc.new_paragraph();
    doc.h2("Available Topics");
    let mut categories: Vec<(String, Vec<&str>)> = Vec::new();
    for (name, text) in TOPICS {
        let category = tag(text, "category");
        match categories.iter_mut().find(|(c, _)| *c == category) {
            Some((_, names)) => names.push(name),
            None => categories.push((category, vec![name])),
        }
    }
    categories.sort();
    for (category, mut names) in categories {
        doc.h3(&category);
        doc.new_paragraph();
        names.sort_unstable();
        for name in names {
            let text = source(name).unwrap_or_default();
            doc.write("* ");
            doc.write(name);
            doc.write(&format!(": {}\n", tag(text, "description")));
        }
    }
    doc.into_string()
}

/// The reStructuredText of `aws help <name>`, for a known topic.
pub fn topic_rst(name: &str) -> Option<String> {
    let text = source(name)?;
    let mut doc = RestDoc::new();
    title(&mut doc, name, &tag(text, "title"));
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    // Everything from the first line that is not a tag (the whole file if every line is one).
    let begin = lines.iter().position(|l| !has_tag(l)).unwrap_or(0);
    doc.writeln(&lines[begin..].concat());
    doc.new_paragraph();
    Some(doc.into_string())
}
