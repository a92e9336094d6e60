//! Parts shared by the help pages: the title block and the global options.
//!
//! The global options' synopsis and descriptions are the reference's pre-generated
//! `awscli/examples/global_synopsis.rst` and `global_options.rst`, bundled as data in `data/`.

use super::html::include_doc_string;
use super::rest::RestDoc;

/// `awscli/examples/global_synopsis.rst` (see `data/README.md`).
pub const GLOBAL_SYNOPSIS: &str = include_str!("data/global_synopsis.rst");

/// `awscli/examples/global_options.rst` (see `data/README.md`).
pub const GLOBAL_OPTIONS: &str = include_str!("data/global_options.rst");

/// `doc-title`: the link target and the page's `***` title.
pub fn title(doc: &mut RestDoc, reference: &str, name: &str) {
    doc.new_paragraph();
    if reference == "aws" {
        doc.writeln(".. _cli:aws:");
    } else {
        doc.writeln(&format!(".. _cli:aws {reference}:"));
    }
    doc.h1(name);
}

/// `doc-global-option`.
pub fn global_options(doc: &mut RestDoc) {
    doc.h2("Global Options");
    doc.write_from_file(GLOBAL_OPTIONS);
}

/// The note the reference puts in front of every example file.
const EXAMPLES_NOTE: &str = "<p>To use the following examples, you must have the AWS CLI installed and \
configured. See the <a href='https://docs.aws.amazon.com/cli/v1/userguide/cli-configure-quickstart.html'>\
Getting started guide</a> in the <i>AWS CLI User Guide</i> for more information.</p><p>Unless otherwise \
stated, all examples have unix-like quotation rules. These examples will need to be adapted to your \
terminal's quoting rules. See <a href='https://docs.aws.amazon.com/cli/v1/userguide/\
cli-usage-parameters-quoting-strings.html'>Using quotation marks with strings</a> in the <i>AWS CLI User \
Guide</i>.</p>";

/// awscli's `add_examples`: an `Examples` section with the usual note, then the bundled example file
/// line by line.
pub fn bundled_examples(doc: &mut RestDoc, example: &str) {
    doc.h2("Examples");
    doc.start_directive(".. note::");
    include_doc_string(doc, EXAMPLES_NOTE);
    doc.end_directive();
    // Python reads the file in text mode: `\r\n` and `\r` end lines as `\n` does.
    let example = example.replace("\r\n", "\n").replace('\r', "\n");
    for line in example.split_inclusive('\n') {
        doc.write(line);
    }
}
