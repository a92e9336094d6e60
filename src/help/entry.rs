//! Entry point from the driver to the help pages (`aws help`, `aws lightsail help`,
//! `aws lightsail <operation> help`): picks the page, flushes what the driver buffered, and shows the
//! page through groff and the pager. A failure is a [`HelpError`]; the driver frames it.

use super::HelpError;
use crate::model::Operation;
use crate::process::Context;

/// Which page to show.
pub enum Page {
    Top,
    Service,
    Operation(&'static Operation),
}

/// Renders the page through groff and the pager, as the reference does. The formatter and the pager
/// write to the process's own stdout, as they do in the reference.
pub fn show(page: Page, cx: &mut Context<'_>) -> Result<i32, HelpError> {
    let page = match page {
        Page::Top => super::top_help_page(),
        Page::Service => super::service_help_page(),
        Page::Operation(op) => super::operation_help_page(op),
    };
    // Anything the driver buffered must reach stdout before the pager's output does.
    let _ = cx.stdout.flush();
    page.show()
}
