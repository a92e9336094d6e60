//! `help` pages: `aws lightsail <command> help`, `aws lightsail help` and `aws help`.
//!
//! The reference builds each page as reStructuredText from the model (bcdoc), turns it into roff with
//! docutils' man-page writer, pipes the roff through `groff -m man -T ascii` and the result through a
//! pager. This module does the same in the same three steps: [`operation_page`], [`service_page`] and
//! [`top_page`] write the reStructuredText, [`rst`] parses the subset of it these pages use into a
//! small document tree, [`manpage`] writes that tree as roff byte-for-byte like docutils 0.19, and
//! [`render`] runs groff (or mandoc) and the pager like `awscli/help.py`.

mod common;
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

/// The roff of `aws lightsail <command> help`.
pub fn operation_help_roff(op: &'static Operation) -> String {
    manpage::to_roff(&rst::parse(&operation_help_rst(op)))
}

/// The roff of `aws lightsail help`.
pub fn service_help_roff() -> String {
    manpage::to_roff(&rst::parse(&service_help_rst()))
}

/// The roff of `aws help`.
pub fn top_help_roff() -> String {
    manpage::to_roff(&rst::parse(&top_help_rst()))
}
