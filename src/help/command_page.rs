//! The reStructuredText of a command that is not a service operation: awscli's `BasicCommand` pages,
//! `aws configure help` and `aws configure <subcommand> help` (its `BasicDocHandler`).
//!
//! Event by event: meta description, title, the description (written as is), the synopsis (the
//! command's own line when it has one, else one built from its arguments plus the global synopsis), the
//! options (`*None*` without arguments), the global options (only for a command without subcommands),
//! the available subcommands, then the examples (the command's own, or the bundled example file with
//! the usual note). The texts are AWS CLI v1.45.11's: inline ones from `customizations/configure/*.py`,
//! the others bundled in `configure/` (see `configure/README.md`).

use super::common;
use super::html::include_doc_string;
use super::rest::RestDoc;
use super::{HelpPage, AWS_CLI_VERSION};

/// What the page documents; the driver fills it from the command's argument table.
#[derive(Debug, Clone)]
pub struct CommandDoc {
    /// The command's words after `aws` (`["configure", "set"]`).
    pub lineage: Vec<&'static str>,
    /// Its arguments, in the argument table's order.
    pub args: Vec<ArgDoc>,
    /// Its subcommands' names.
    pub subcommands: Vec<&'static str>,
}

/// One argument of a [`CommandDoc`].
#[derive(Debug, Clone)]
pub struct ArgDoc {
    pub name: &'static str,
    /// The help text (HTML or plain).
    pub help: &'static str,
    pub positional: bool,
    pub required: bool,
}

/// A command's texts: description, synopsis (empty: built from the arguments), examples, and the
/// bundled example file `add_examples` appends.
struct Texts {
    description: &'static str,
    synopsis: &'static str,
    examples: &'static str,
    example_file: Option<&'static str>,
}

const CONFIGURE_EXAMPLES: &str = r#"To create a new configuration::

    $ aws configure
    AWS Access Key ID [None]: accesskey
    AWS Secret Access Key [None]: secretkey
    Default region name [None]: us-west-2
    Default output format [None]:

To update just the region name::

    $ aws configure
    AWS Access Key ID [****]:
    AWS Secret Access Key [****]:
    Default region name [us-west-1]: us-west-2
    Default output format [None]:
"#;

const LIST_DESCRIPTION: &str = r#"Lists the profile, access key, secret key, and region configuration information used for the specified profile. For each configuration item, it shows the value, where the configuration value was retrieved, and the configuration variable name.

For example, if you provide the AWS region in an environment variable, this command shows you the name of the region you've configured, that this value came from an environment variable, and the name of the environment variable.

For temporary credential methods such as roles and IAM Identity Center, this command displays the temporarily cached access key and secret access key is displayed.
"#;

const LIST_EXAMPLES: &str = r#"To show your current configuration values::

  $ aws configure list
        Name                    Value             Type    Location
        ----                    -----             ----    --------
     profile                <not set>             None    None
  access_key     ****************ABCD      config_file    ~/.aws/config
  secret_key     ****************ABCD      config_file    ~/.aws/config
      region                us-west-2              env    AWS_DEFAULT_REGION

"#;

const ADD_MODEL_DESCRIPTION: &str = r#"Adds a service JSON model to the appropriate location in ~/.aws/models. Once the model gets added, CLI commands and Boto3 clients will be immediately available for the service JSON model provided."#;

fn texts(lineage: &[&str]) -> Texts {
    match lineage {
        ["configure", "list"] => Texts {
            description: LIST_DESCRIPTION,
            synopsis: "aws configure list [--profile profile-name]",
            examples: LIST_EXAMPLES,
            example_file: None,
        },
        ["configure", "get"] => Texts {
            description: include_str!("configure/get-description.rst"),
            synopsis: "aws configure get varname [--profile profile-name]",
            examples: include_str!("configure/get-examples.rst"),
            example_file: None,
        },
        ["configure", "set"] => Texts {
            description: include_str!("configure/set-description.rst"),
            synopsis: "aws configure set varname value [--profile profile-name]",
            examples: include_str!("configure/set-examples.rst"),
            example_file: None,
        },
        ["configure", "add-model"] => Texts {
            description: ADD_MODEL_DESCRIPTION,
            synopsis: "",
            examples: "",
            example_file: Some(include_str!("configure/add-model-examples.rst")),
        },
        _ => Texts {
            description: include_str!("configure/description.rst"),
            synopsis: "aws configure [--profile profile-name]",
            examples: CONFIGURE_EXAMPLES,
            example_file: None,
        },
    }
}

/// The page's reStructuredText.
pub fn command_rst(doc_of: &CommandDoc) -> String {
    let texts = texts(&doc_of.lineage);
    let reference = doc_of.lineage.join(" ");
    let name = doc_of.lineage.last().copied().unwrap_or_default();
    let mut doc = RestDoc::new();
    // doc-meta-description
    doc.writeln(".. meta::");
    doc.writeln(&format!(
        "   :description: Use the AWS CLI {AWS_CLI_VERSION} to run the {reference} command."
    ));
    doc.writeln("");
    common::title(&mut doc, &reference, name);
    // doc-description: written as it is, not as a doc string.
    doc.h2("Description");
    doc.write(texts.description);
    doc.new_paragraph();
    // doc-synopsis
    doc.h2("Synopsis");
    doc.start_codeblock();
    if texts.synopsis.is_empty() {
        doc.writeln(name);
        for arg in &doc_of.args {
            // A positional's `cli_name` has no dashes, but still gets `<value>`.
            let option = if arg.positional {
                format!("{} <value>", arg.name)
            } else {
                format!("--{} <value>", arg.name)
            };
            if arg.required || arg.positional {
                doc.writeln(&option);
            } else {
                doc.writeln(&format!("[{option}]"));
            }
        }
        if doc_of.subcommands.is_empty() {
            doc.write_from_file(common::GLOBAL_SYNOPSIS);
        }
    } else {
        doc.writeln(texts.synopsis);
    }
    doc.end_codeblock();
    // doc-options
    doc.h2("Options");
    if doc_of.args.is_empty() {
        doc.write("*None*\n");
    }
    for arg in &doc_of.args {
        let name = if arg.positional {
            format!("``{}``", arg.name)
        } else {
            format!("``--{}``", arg.name)
        };
        doc.write(&format!("{name} (string)\n"));
        doc.indent();
        include_doc_string(&mut doc, arg.help);
        doc.dedent();
        doc.new_paragraph();
    }
    // doc-global-option: only on pages without subcommands.
    if doc_of.subcommands.is_empty() {
        common::global_options(&mut doc);
    }
    // doc-subitems
    if !doc_of.subcommands.is_empty() {
        doc.h2("Available Commands");
        doc.start_ul();
        let mut names = doc_of.subcommands.clone();
        names.sort_unstable();
        for name in names {
            doc.li(name);
        }
    }
    // doc-examples
    if !texts.examples.is_empty() {
        doc.h2("Examples");
        doc.write(texts.examples);
    }
    if let Some(example) = texts.example_file {
        common::bundled_examples(&mut doc, example);
    }
    doc.into_string()
}

/// The page.
pub fn page(doc: &CommandDoc) -> HelpPage {
    HelpPage::from_rst(&command_rst(doc))
}
