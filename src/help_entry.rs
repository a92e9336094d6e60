//! Entry point from the driver to the help pages (`aws help`, `aws lightsail help`,
//! `aws lightsail <operation> help`). The pages themselves are built in `crate::help`.

use crate::clidriver::Context;
use crate::errors::CliError;
use crate::model::Operation;

/// Which page to show.
pub enum Page {
    Top,
    Service,
    Operation(&'static Operation),
}

/// Renders the page through groff and the pager, as the reference does.
pub fn show(_page: Page, _cx: &mut Context<'_>) -> Result<i32, CliError> {
    Err(CliError::NotImplemented("help".into()))
}
