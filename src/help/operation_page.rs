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
    /// The parameter's shape; `None` for the arguments the CLI adds (`--cli-input-json`, paging).
    shape: Option<&'static Shape>,
    type_name: &'static str,
    /// Boolean parameters come as `--x` and `--no-x`, documented together once.
    group: Option<&'static str>,
    /// Paging parameters the CLI replaces with its own (`--starting-token`, ...) stay hidden.
    undocumented: bool,
}

impl Argument {
    fn added(cli_name: &str, documentation: &'static str, type_name: &'static str) -> Argument {
        Argument {
            cli_name: cli_name.to_string(),
            required: false,
            documentation,
            shape: None,
            type_name,
            group: None,
            undocumented: false,
        }
    }
}

const CLI_INPUT_JSON_DOC: &str = "Performs service operation based on the JSON string provided. The JSON \
string follows the format provided by ``--generate-cli-skeleton``. If other arguments are provided on the \
command line, the CLI values will override the JSON-provided values. It is not possible to pass arbitrary \
binary values using a JSON-provided value as the string will be taken literally.";

const GENERATE_CLI_SKELETON_DOC: &str = "Prints a JSON skeleton to standard output without sending an API \
request. If provided with no value or the value ``input``, prints a sample input JSON that can be used as an \
argument for ``--cli-input-json``. If provided with the value ``output``, it validates the command inputs \
and returns a sample output JSON for that command.";

const STARTING_TOKEN_HELP: &str = "\n<p>A token to specify where to start paginating.  This is the\n\
<code>NextToken</code> from a previously truncated response.</p>\n<p>For usage examples, see <a\n\
href=\"https://docs.aws.amazon.com/cli/latest/userguide/pagination.html\"\n>Pagination</a> in the <i>AWS \
Command Line Interface User\nGuide</i>.</p>\n";

const MAX_ITEMS_HELP: &str = "\n<p>The total number of items to return in the command's output.\nIf the total \
number of items available is more than the value\nspecified, a <code>NextToken</code> is provided in the \
command's\noutput.  To resume pagination, provide the\n<code>NextToken</code> value in the \
<code>starting-token</code>\nargument of a subsequent command.  <b>Do not</b> use the\n<code>NextToken</code> \
response element directly outside of the\nAWS CLI.</p>\n<p>For usage examples, see <a\n\
href=\"https://docs.aws.amazon.com/cli/latest/userguide/pagination.html\"\n>Pagination</a> in the <i>AWS \
Command Line Interface User\nGuide</i>.</p>\n";

const PAGE_SIZE_HELP: &str = "\n<p>The size of each page to get in the AWS service call.  This\ndoes not affect \
the number of items returned in the command's\noutput.  Setting a smaller page size results in more calls \
to\nthe AWS service, retrieving fewer items in each call.  This can\nhelp prevent the AWS service calls from \
timing out.</p>\n<p>For usage examples, see <a\nhref=\"https://docs.aws.amazon.com/cli/latest/userguide/\
pagination.html\"\n>Pagination</a> in the <i>AWS Command Line Interface User\nGuide</i>.</p>\n";

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
    let paging_inputs: Vec<&str> = op
        .paginator
        .as_ref()
        .map(|p| std::iter::once(p.input_token).chain(p.limit_key).collect())
        .unwrap_or_default();
    let input = op.input_shape();
    if let Some(input) = input {
        for member in input.members {
            let shape = member.shape();
            let boolean = shape.kind == Kind::Boolean;
            let argument = Argument {
                cli_name: format!("--{}", member.cli_name),
                required: input.is_required(member.name),
                documentation: member_doc(member),
                shape: Some(shape),
                type_name: shape.kind.type_name(),
                group: boolean.then_some(member.cli_name),
                undocumented: paging_inputs.contains(&member.name),
            };
            if boolean {
                args.push(Argument {
                    cli_name: format!("--no-{}", member.cli_name),
                    required: false,
                    documentation: argument.documentation,
                    shape: argument.shape,
                    type_name: argument.type_name,
                    group: argument.group,
                    undocumented: argument.undocumented,
                });
                let negative = args.len() - 1;
                args.insert(negative, argument);
            } else {
                args.push(argument);
            }
        }
    }
    args.push(Argument::added(
        "--cli-input-json",
        CLI_INPUT_JSON_DOC,
        "string",
    ));
    if let Some(paginator) = &op.paginator {
        args.push(Argument::added(
            "--starting-token",
            STARTING_TOKEN_HELP,
            "string",
        ));
        let mut limit_type = "integer";
        if let Some(limit_key) = paginator.limit_key {
            if let Some(member) = input.and_then(|i| i.member_named(limit_key)) {
                limit_type = member.shape().kind.type_name();
            }
            args.push(Argument::added("--page-size", PAGE_SIZE_HELP, limit_type));
        }
        args.push(Argument::added("--max-items", MAX_ITEMS_HELP, limit_type));
    }
    args.push(Argument::added(
        "--generate-cli-skeleton",
        GENERATE_CLI_SKELETON_DOC,
        "string",
    ));
    args
}

/// The arguments' `--x | --no-x` groups, for the synopsis and the options.
fn group_members<'a>(args: &'a [Argument], group: &str) -> Vec<&'a Argument> {
    args.iter().filter(|a| a.group == Some(group)).collect()
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
    if let Some(paginator) = &op.paginator {
        doc.new_paragraph();
        doc.writeln(&format!(
            "``{}`` is a paginated operation. Multiple API calls may be issued in order to retrieve the entire \
             data set of results. You can disable pagination by providing the ``--no-paginate`` argument.",
            op.cli_name
        ));
        if !paginator.result_key.is_empty() {
            doc.writeln(&format!(
                "When using ``--output text`` and the ``--query`` argument on a paginated response, the \
                 ``--query`` argument must extract data from the results of the following query expressions: \
                 ``{}``",
                paginator.result_key
            ));
        }
    }
    let args = argument_table(op);
    // doc-synopsis
    doc.h2("Synopsis");
    doc.start_codeblock();
    doc.writeln(op.cli_name);
    let mut documented_groups: Vec<&str> = Vec::new();
    for arg in args.iter().filter(|a| !a.undocumented) {
        let option = match arg.group {
            Some(group) if documented_groups.contains(&group) => continue,
            Some(group) => {
                documented_groups.push(group);
                group_members(&args, group)
                    .iter()
                    .map(|a| a.cli_name.as_str())
                    .collect::<Vec<_>>()
                    .join(" | ")
            }
            None => format!("{} <value>", arg.cli_name),
        };
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
    let mut documented_groups: Vec<&str> = Vec::new();
    for arg in args.iter().filter(|a| !a.undocumented) {
        let name = match arg.group {
            Some(group) if documented_groups.contains(&group) => continue,
            Some(group) => {
                documented_groups.push(group);
                let names: Vec<String> = group_members(&args, group)
                    .iter()
                    .map(|a| format!("``{}``", a.cli_name))
                    .collect();
                // The group is now documented, so the reference skips its example block too.
                document_option(&mut doc, arg, &names.join(" | "));
                continue;
            }
            None => format!("``{}``", arg.cli_name),
        };
        document_option(&mut doc, arg, &name);
        document_option_example(&mut doc, arg);
    }
    common::global_options(&mut doc);
    // doc-examples
    if let Some(example) = super::examples::example_for(op.cli_name) {
        common::bundled_examples(&mut doc, example);
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

fn document_option(doc: &mut RestDoc, arg: &Argument, name: &str) {
    doc.write(&format!("{name} ({})\n", arg.type_name));
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
