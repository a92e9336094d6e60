//! Entry point from the driver to the help pages (`aws help`, `aws lightsail help`,
//! `aws lightsail <operation> help`). The pages themselves are built in `crate::help`.

use crate::cli::driver::Context;
use crate::cli::errors::CliError;
use crate::model::Operation;

/// Which page to show.
pub enum Page {
    Top,
    Service,
    Operation(&'static Operation),
}

/// Renders the page through groff and the pager, as the reference does. The formatter and the pager
/// write to the process's own stdout, as they do in the reference.
pub fn show(page: Page, cx: &mut Context<'_>) -> Result<i32, CliError> {
    let page = match page {
        Page::Top => crate::help::top_help_page(),
        Page::Service => crate::help::service_help_page(),
        Page::Operation(op) => crate::help::operation_help_page(op),
    };
    // Anything the driver buffered must reach stdout before the pager's output does.
    let _ = cx.stdout.flush();
    page.show().map_err(|e| CliError::Exception(e.to_string()))
}
