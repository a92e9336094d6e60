//! `help` pages: `aws lightsail <command> help`, `aws lightsail help` and `aws help`.
//!
//! The reference builds each page as reStructuredText from the model (bcdoc), turns it into roff with
//! docutils' man-page writer, pipes the roff through `groff -m man -T ascii` and the result through a
//! pager. This module does the same in the same three steps: [`operation_page`], [`service_page`] and
//! [`top_page`] write the reStructuredText, [`rst`] parses the subset of it these pages use into a
//! small document tree, [`manpage`] writes that tree as roff byte-for-byte like docutils 0.19, and
//! [`render`] runs groff (or mandoc) and the pager like `awscli/help.py`.
//! The driver calls `operation_help_page(op).show()` (or the service/top variants): it prints docutils'
//! warnings, if any, on stderr and returns the exit code (0), or a [`HelpError`] (exit 255).

mod common;
pub mod entry;
mod examples;
mod html;
pub mod manpage;
mod operation_page;
pub mod render;
mod rest;
pub mod rst;
mod service_page;
mod syntax;
mod top_page;

pub use render::{show_help, HelpError};

use crate::model::Operation;

/// The reference's version, as the pages' meta descriptions quote it.
pub const AWS_CLI_VERSION: &str = "1.45.11";

/// The reStructuredText of `aws lightsail <command> help`.
pub fn operation_help_rst(op: &'static Operation) -> String {
    operation_page::operation_rst(op)
}

/// The reStructuredText of `aws lightsail help`.
pub fn service_help_rst() -> String {
    service_page::service_rst()
}

/// The reStructuredText of `aws help`.
pub fn top_help_rst() -> String {
    top_page::top_rst()
}

/// A page ready to show: its roff and what the reference's docutils prints on stderr while making it
/// (warnings about markup in the model's documentation, e.g. for `create-certificate`; usually empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpPage {
    pub roff: String,
    pub warnings: String,
}

impl HelpPage {
    fn from_rst(rst: &str) -> HelpPage {
        let doc = rst::parse(rst);
        HelpPage {
            roff: manpage::to_roff(&doc),
            warnings: doc.warnings.concat(),
        }
    }

    /// Prints the warnings on stderr (as the reference does before formatting), then shows the page.
    pub fn show(&self) -> Result<i32, HelpError> {
        if !self.warnings.is_empty() {
            use std::io::Write;
            let mut err = std::io::stderr().lock();
            err.write_all(self.warnings.as_bytes())?;
            err.flush()?;
        }
        show_help(&self.roff)
    }
}

/// `aws lightsail <command> help`.
pub fn operation_help_page(op: &'static Operation) -> HelpPage {
    HelpPage::from_rst(&operation_help_rst(op))
}

/// `aws lightsail help`.
pub fn service_help_page() -> HelpPage {
    HelpPage::from_rst(&service_help_rst())
}

/// `aws help`.
pub fn top_help_page() -> HelpPage {
    HelpPage::from_rst(&top_help_rst())
}

/// The roff of `aws lightsail <command> help`.
pub fn operation_help_roff(op: &'static Operation) -> String {
    operation_help_page(op).roff
}

/// The roff of `aws lightsail help`.
pub fn service_help_roff() -> String {
    service_help_page().roff
}

/// The roff of `aws help`.
pub fn top_help_roff() -> String {
    top_help_page().roff
}
