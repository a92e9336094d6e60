//! Parts shared by the help pages: the title block and the global options.
//!
//! The global options' synopsis and descriptions are the reference's pre-generated
//! `awscli/examples/global_synopsis.rst` and `global_options.rst`, bundled as data in `data/`.

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
