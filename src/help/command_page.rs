//! The help page of a command that is not a service operation (awscli's `BasicCommand` pages:
//! `aws configure help`, `aws configure set help`).

use super::HelpPage;

/// What the page documents; the driver fills it from the command's argument table.
#[derive(Debug, Clone)]
pub struct CommandDoc {
    /// The command's words after `aws` (`["configure", "set"]`).
    pub lineage: Vec<&'static str>,
    /// Its arguments: name, help text (HTML), positional, required.
    pub args: Vec<ArgDoc>,
    /// Its subcommands' names.
    pub subcommands: Vec<&'static str>,
}

/// One argument of a [`CommandDoc`].
#[derive(Debug, Clone)]
pub struct ArgDoc {
    pub name: &'static str,
    pub help: &'static str,
    pub positional: bool,
    pub required: bool,
}

/// The page.
pub fn page(doc: &CommandDoc) -> HelpPage {
    HelpPage::from_rst(&format!("{}\n", doc.lineage.join(" ")))
}
