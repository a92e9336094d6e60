//! The reStructuredText of `aws help` (the reference's `ProviderDocumentEventHandler`).
//!
//! Deliberate difference: the reference lists every command it knows under "Available Services";
//! this binary implements `configure` and `lightsail`, so the list holds those two and a one-sentence
//! paragraph in front of it says so ([`THIS_BUILD_NOTE`]). Everything else is the reference's
//! page byte for byte (description, synopsis and usage from `awscli/data/cli.json`).

use super::common;
use super::html::include_doc_string;
use super::rest::RestDoc;

const DESCRIPTION: &str =
    "The AWS Command Line Interface is a unified tool to manage your AWS services.";
const SYNOPSIS: &str = "aws [options] <command> <subcommand> [parameters]";
const HELP_USAGE: &str = "Use *aws command help* for information on a specific command. Use *aws help \
topics* to view a list of available help topics. The synopsis for each command shows its parameters and \
their usage. Optional parameters are shown in square brackets.";

/// The commands this build runs, in the page's (sorted) order.
const IMPLEMENTED: &[&str] = &["configure", "lightsail"];

/// The sentence that replaces the reference's list of every other service.
pub const THIS_BUILD_NOTE: &str =
    "This build of the AWS CLI implements only the configure and lightsail commands.";

/// Builds the page's reStructuredText.
pub fn top_rst() -> String {
    let mut doc = RestDoc::new();
    common::title(&mut doc, "aws", "aws");
    doc.h2("Description");
    include_doc_string(&mut doc, DESCRIPTION);
    doc.new_paragraph();
    doc.h2("Synopsis");
    doc.codeblock(SYNOPSIS);
    include_doc_string(&mut doc, HELP_USAGE);
    doc.new_paragraph();
    common::global_options(&mut doc);
    doc.h2("Available Services");
    doc.write(THIS_BUILD_NOTE);
    doc.start_ul();
    for command in IMPLEMENTED {
        doc.li(command);
    }
    doc.h2("See Also");
    doc.write("* ");
    doc.write("aws help topics");
    doc.write("\n");
    doc.into_string()
}
