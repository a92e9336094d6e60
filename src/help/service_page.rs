//! The reStructuredText of `aws lightsail help` (the reference's `ServiceDocumentEventHandler`).
//!
//! The command list is every operation of the model plus the `help` entry the reference's command
//! table carries, sorted, exactly as the reference prints it.

use super::html::include_doc_string;
use super::rest::RestDoc;
use super::{common, AWS_CLI_VERSION};
use crate::model;

/// Builds the page's reStructuredText.
pub fn service_rst() -> String {
    let mut doc = RestDoc::new();
    doc.writeln(".. meta::");
    doc.writeln(&format!(
        "   :description: Learn about the AWS CLI {AWS_CLI_VERSION} lightsail commands."
    ));
    doc.writeln("");
    common::title(&mut doc, "lightsail", "lightsail");
    doc.h2("Description");
    include_doc_string(&mut doc, model::SERVICE_DOCUMENTATION);
    doc.h2("Available Commands");
    doc.start_ul();
    let mut commands: Vec<&str> = model::OPERATIONS.iter().map(|op| op.cli_name).collect();
    commands.push("help");
    commands.sort_unstable();
    for command in commands {
        doc.li(command);
    }
    doc.into_string()
}
