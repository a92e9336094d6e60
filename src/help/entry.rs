//! Entry point from the driver to the help pages (`aws help`, `aws help topics`, `aws help <topic>`,
//! `aws lightsail help`, `aws lightsail <operation> help`, `aws configure [<subcommand>] help`): picks the page, flushes what the driver buffered, and shows the
//! page through groff and the pager. A failure is a [`HelpError`]; the driver frames it.

use super::HelpError;
use crate::model::Operation;
use crate::process::Context;

/// Which page to show.
pub enum Page {
    Top,
    Service,
    Operation(&'static Operation),
    /// A command that is not a service operation (`aws configure`, `aws configure set`).
    Command(super::command_page::CommandDoc),
    /// `aws help topics`.
    Topics,
    /// `aws help <topic>`, one of [`super::topics::names`].
    Topic(&'static str),
}

/// Renders the page through groff and the pager, as the reference does. The formatter and the pager
/// write to the process's own stdout, as they do in the reference.
pub fn show(page: Page, cx: &mut Context<'_>) -> Result<i32, HelpError> {
    let page = match page {
        Page::Top => super::top_help_page(),
        Page::Service => super::service_help_page(),
        Page::Operation(op) => super::operation_help_page(op),
        Page::Command(doc) => super::command_page::page(&doc),
        Page::Topics => super::topics_help_page(),
        Page::Topic(name) => super::topic_help_page(name).unwrap_or_else(super::topics_help_page),
    };
    // Anything the driver buffered must reach stdout before the pager's output does.
    let _ = cx.stdout.flush();
    page.show()
}
