//! The reStructuredText of `aws lightsail <command> help`.
//!
//! Follows the reference's `OperationDocumentEventHandler` event by event: meta description, title,
//! description (the operation's HTML documentation plus the "See also" cross-link), synopsis, options
//! (each parameter's documentation, its nested members, its Shorthand Syntax and JSON Syntax blocks),
//! global options, examples (bundled `.rst` files, see `examples/README.md`) and the output members.

use super::html::include_doc_string;
use super::rest::RestDoc;
use super::{common, AWS_CLI_VERSION};
use crate::model::{self, Kind, Operation, Shape};

/// One row of the reference's argument table, in its order.
struct Argument {
    cli_name: String,
    required: bool,
    documentation: &'static str,
    /// The parameter's shape; `None` for `--cli-input-json` and `--generate-cli-skeleton`.
    shape: Option<&'static Shape>,
    type_name: &'static str,
}

const CLI_INPUT_JSON_DOC: &str = "Performs service operation based on the JSON string provided. The JSON \
string follows the format provided by ``--generate-cli-skeleton``. If other arguments are provided on the \
command line, the CLI values will override the JSON-provided values. It is not possible to pass arbitrary \
binary values using a JSON-provided value as the string will be taken literally.";

const GENERATE_CLI_SKELETON_DOC: &str = "Prints a JSON skeleton to standard output without sending an API \
request. If provided with no value or the value ``input``, prints a sample input JSON that can be used as an \
argument for ``--cli-input-json``. If provided with the value ``output``, it validates the command inputs \
and returns a sample output JSON for that command.";

/// The note the reference puts in front of every example file.
const EXAMPLES_NOTE: &str = "<p>To use the following examples, you must have the AWS CLI installed and \
configured. See the <a href='https://docs.aws.amazon.com/cli/v1/userguide/cli-configure-quickstart.html'>\
Getting started guide</a> in the <i>AWS CLI User Guide</i> for more information.</p><p>Unless otherwise \
stated, all examples have unix-like quotation rules. These examples will need to be adapted to your \
terminal's quoting rules. See <a href='https://docs.aws.amazon.com/cli/v1/userguide/\
cli-usage-parameters-quoting-strings.html'>Using quotation marks with strings</a> in the <i>AWS CLI User \
Guide</i>.</p>";

/// A member's documentation: the member's own, else its shape's (botocore merges the member
/// reference's traits over the shape).
fn member_doc(member: &model::Member) -> &'static str {
    if member.documentation.is_empty() {
        member.shape().documentation
    } else {
        member.documentation
    }
}

fn argument_table(op: &Operation) -> Vec<Argument> {
    let mut args = Vec::new();
    if let Some(input) = op.input_shape() {
        for member in input.members {
            let shape = member.shape();
            args.push(Argument {
                cli_name: format!("--{}", cli_argument_name(op, member)),
                required: input.is_required(member.name),
                documentation: member_doc(member),
                shape: Some(shape),
                type_name: shape.kind.type_name(),
            });
        }
    }
    for (name, doc) in [
        ("--cli-input-json", CLI_INPUT_JSON_DOC),
        ("--generate-cli-skeleton", GENERATE_CLI_SKELETON_DOC),
    ] {
        args.push(Argument {
            cli_name: name.to_string(),
            required: false,
            documentation: doc,
            shape: None,
            type_name: "string",
        });
    }
    args
}

/// The one argument the reference renames for Lightsail (`awscli/customizations/argrename.py`).
fn cli_argument_name(op: &Operation, member: &model::Member) -> &'static str {
    if op.cli_name == "import-key-pair" && member.cli_name == "public-key-base64" {
        return "public-key-base-64";
    }
    member.cli_name
}

/// The bundled example file for a command, if the reference ships one.
fn example_for(cli_name: &str) -> Option<&'static str> {
    match cli_name {
        "create-instance-snapshot" => Some(include_str!("examples/create-instance-snapshot.rst")),
        _ => None,
    }
}

/// Builds the page's reStructuredText.
pub fn operation_rst(op: &'static Operation) -> String {
    let mut doc = RestDoc::new();
    let reference = format!("lightsail {}", op.cli_name);
    // doc-meta-description
    doc.writeln(".. meta::");
    doc.writeln(&format!(
        "   :description: Use the AWS CLI {AWS_CLI_VERSION} to run the {reference} command."
    ));
    doc.writeln("");
    common::title(&mut doc, &reference, op.cli_name);
    // doc-description
    doc.h2("Description");
    include_doc_string(&mut doc, op.documentation);
    doc.new_paragraph();
    doc.write("See also: ");
    doc.write("AWS API Documentation");
    doc.writeln("");
    let args = argument_table(op);
    // doc-synopsis
    doc.h2("Synopsis");
    doc.start_codeblock();
    doc.writeln(op.cli_name);
    for arg in &args {
        let option = format!("{} <value>", arg.cli_name);
        if arg.required {
            doc.writeln(&option);
        } else {
            doc.writeln(&format!("[{option}]"));
        }
    }
    doc.write_from_file(common::GLOBAL_SYNOPSIS);
    doc.end_codeblock();
    // doc-options
    doc.h2("Options");
    if args.is_empty() {
        doc.write("*None*\n");
    }
    for arg in &args {
        document_option(&mut doc, arg);
        document_option_example(&mut doc, arg);
    }
    common::global_options(&mut doc);
    // doc-examples
    if let Some(example) = example_for(op.cli_name) {
        doc.h2("Examples");
        doc.start_directive(".. note::");
        include_doc_string(&mut doc, EXAMPLES_NOTE);
        doc.end_directive();
        for line in example.split_inclusive('\n') {
            doc.write(line);
        }
    }
    // doc-output
    doc.h2("Output");
    match op.output_shape() {
        Some(output) if !output.members.is_empty() => {
            for member in output.members {
                let mut stack = Vec::new();
                doc_member(
                    &mut doc,
                    member.name,
                    member.shape(),
                    member_doc(member),
                    &mut stack,
                );
            }
        }
        _ => doc.write("None"),
    }
    doc.into_string()
}

fn document_option(doc: &mut RestDoc, arg: &Argument) {
    doc.write(&format!("``{}`` ({})\n", arg.cli_name, arg.type_name));
    doc.indent();
    include_doc_string(doc, arg.documentation);
    if let Some(shape) = arg.shape {
        if shape.kind == Kind::String && !shape.enum_values.is_empty() {
            doc.new_paragraph();
            doc.write("Possible values:");
            doc.start_ul();
            for value in shape.enum_values {
                doc.li(&format!("``{value}``"));
            }
            doc.end_ul();
        }
        document_nested_structure(doc, shape);
    }
    doc.dedent();
    doc.new_paragraph();
}

fn document_nested_structure(doc: &mut RestDoc, shape: &'static Shape) {
    let mut stack = vec![shape.name];
    match shape.kind {
        Kind::Structure => {
            for member in shape.members {
                doc_member(
                    doc,
                    member.name,
                    member.shape(),
                    member_doc(member),
                    &mut stack,
                );
            }
        }
        Kind::List => {
            if let Some(element) = shape.list_member() {
                doc_member(doc, "", element, element.documentation, &mut stack);
            }
        }
        Kind::Map => {
            if let (Some(key), Some(value)) = (shape.map_key(), shape.map_value()) {
                doc_member(doc, "key", key, key.documentation, &mut stack);
                doc_member(doc, "value", value, value.documentation, &mut stack);
            }
        }
        _ => {}
    }
}

/// One nested member (`name -> (type)`, its documentation, then its own members), guarding against
/// recursion by shape name as the reference does.
fn doc_member(
    doc: &mut RestDoc,
    name: &str,
    shape: &'static Shape,
    documentation: &'static str,
    stack: &mut Vec<&'static str>,
) {
    if stack.contains(&shape.name) && stack.iter().filter(|s| **s == shape.name).count() > 1 {
        if shape.kind == Kind::Structure {
            doc.write("( ... recursive ... )");
        }
        return;
    }
    stack.push(shape.name);
    if name.is_empty() {
        doc.write(&format!("({})", shape.kind.type_name()));
    } else {
        doc.write(&format!("{name} -> ({})", shape.kind.type_name()));
    }
    doc.indent();
    doc.new_paragraph();
    include_doc_string(doc, documentation);
    doc.new_paragraph();
    match shape.kind {
        Kind::Structure => {
            for member in shape.members {
                doc_member(doc, member.name, member.shape(), member_doc(member), stack);
            }
        }
        Kind::Map => {
            if let (Some(key), Some(value)) = (shape.map_key(), shape.map_value()) {
                doc_member(doc, "key", key, key.documentation, stack);
                doc_member(doc, "value", value, value.documentation, stack);
            }
        }
        Kind::List => {
            if let Some(element) = shape.list_member() {
                doc_member(doc, "", element, element.documentation, stack);
            }
        }
        _ => {}
    }
    doc.dedent();
    doc.new_paragraph();
    stack.pop();
}

fn document_option_example(doc: &mut RestDoc, arg: &Argument) {
    let Some(shape) = arg.shape else {
        return;
    };
    if is_complex(shape) {
        match super::syntax::shorthand_example(arg.cli_name.trim_start_matches('-'), shape) {
            super::syntax::Shorthand::DontDocument => return,
            super::syntax::Shorthand::Example(example) if !example.is_empty() => {
                doc.new_paragraph();
                doc.write("Shorthand Syntax");
                doc.start_codeblock();
                for line in example.lines() {
                    doc.writeln(line);
                }
                doc.end_codeblock();
            }
            super::syntax::Shorthand::Example(_) => {}
        }
    }
    match shape.list_member() {
        Some(member) if shape.kind == Kind::List && member.kind.is_scalar() => {
            doc.new_paragraph();
            doc.write("Syntax");
            doc.start_codeblock();
            let example_type = super::syntax::json_value_name(member, false);
            doc.write(&format!("{example_type} {example_type} ..."));
            if member.kind == Kind::String && !member.enum_values.is_empty() {
                doc.new_paragraph();
                doc.write("Where valid values are:\n");
                for value in member.enum_values {
                    doc.write(&format!("    {value}\n"));
                }
                doc.write("\n");
            }
            doc.end_codeblock();
            doc.new_paragraph();
        }
        _ if !shape.kind.is_scalar() => {
            doc.new_paragraph();
            doc.write("JSON Syntax");
            doc.start_codeblock();
            super::syntax::json_example(doc, shape, &mut Vec::new());
            doc.end_codeblock();
            doc.new_paragraph();
        }
        _ => {}
    }
}

/// Shorthand syntax is documented for structures, maps and lists of those.
fn is_complex(shape: &Shape) -> bool {
    match shape.kind {
        Kind::Structure | Kind::Map => true,
        Kind::List => shape.list_member().is_some_and(|m| !m.kind.is_scalar()),
        _ => false,
    }
}
