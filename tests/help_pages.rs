//! The help pages against the reference's recordings in `tests/data/help/` (made by
//! `tests/record/help_corpus.py`): our reStructuredText, roff and docutils warnings must equal the
//! reference's byte for byte, and, where groff is installed, so must the formatted page.

use lightsail_cli::help::command_page::{self, CommandDoc};
use lightsail_cli::help::{self, HelpPage};
use lightsail_cli::model;
use std::path::Path;

fn recorded(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/help")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Asserts equality, showing the first differing line on failure.
fn assert_same(what: &str, ours: &str, theirs: &str) {
    if ours == theirs {
        return;
    }
    let first_diff = ours.lines().zip(theirs.lines()).position(|(a, b)| a != b);
    let line = first_diff.unwrap_or_else(|| ours.lines().count().min(theirs.lines().count()));
    let context = |s: &str| {
        s.lines()
            .skip(line.saturating_sub(3))
            .take(6)
            .collect::<Vec<_>>()
            .join("\n")
    };
    panic!(
        "{what} differs at line {}:\n--- ours ---\n{}\n--- reference ---\n{}\n(lengths {} vs {})",
        line + 1,
        context(ours),
        context(theirs),
        ours.len(),
        theirs.len()
    );
}

fn groff_installed() -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("groff").exists()))
}

/// Compares one page with its recordings `<name>.{rst,roff,stderr,txt}`.
fn check_page(name: &str, rst: &str, page: &HelpPage) {
    assert_same(
        &format!("{name}.rst"),
        rst,
        &recorded(&format!("{name}.rst")),
    );
    assert_same(
        &format!("{name}.roff"),
        &page.roff,
        &recorded(&format!("{name}.roff")),
    );
    if groff_installed() {
        let text = help::render::format_roff(&page.roff).expect("groff runs");
        assert_same(
            &format!("{name}.txt"),
            &String::from_utf8_lossy(&text),
            &recorded(&format!("{name}.txt")),
        );
    }
}

fn check_operation(cli_name: &str) {
    let op = model::operation_by_cli_name(cli_name).expect("operation exists");
    let page = help::operation_help_page(op);
    check_page(cli_name, &help::operation_help_rst(op), &page);
    assert_same(
        &format!("{cli_name}.stderr"),
        &page.warnings,
        &recorded(&format!("{cli_name}.stderr")),
    );
    assert_eq!(help::operation_help_roff(op), page.roff);
}

#[test]
fn create_instance_snapshot_page() {
    check_operation("create-instance-snapshot");
}

#[test]
fn paginated_operation_page() {
    check_operation("get-active-names");
}

#[test]
fn boolean_flags_page() {
    check_operation("get-regions");
}

#[test]
fn page_with_docutils_warnings() {
    check_operation("create-certificate");
}

#[test]
fn nested_structures_page() {
    check_operation("create-container-service");
}

#[test]
fn lightsail_page() {
    let page = help::service_help_page();
    check_page("lightsail", &help::service_help_rst(), &page);
    assert!(page.warnings.is_empty());
    assert_eq!(help::service_help_roff(), page.roff);
}

/// `aws help` equals the reference's page with its one documented change: only configure and lightsail
/// are listed, after a sentence saying so (the expected page is made by awscli with that change
/// applied).
#[test]
fn top_page() {
    let page = help::top_help_page();
    check_page("aws.this-build", &help::top_help_rst(), &page);
    assert!(page.warnings.is_empty());
    assert_eq!(help::top_help_roff(), page.roff);
    // Everything before the service list is the reference's own page.
    let ours = help::top_help_rst();
    let reference = recorded("aws.rst");
    let split = |s: &str| {
        s.split("Available Services")
            .next()
            .map(str::to_string)
            .unwrap_or_default()
    };
    assert_same(
        "aws.rst up to the services",
        &split(&ours),
        &split(&reference),
    );
}

fn configure_doc(sub: Option<&str>) -> CommandDoc {
    use lightsail_cli::configure::SUBCOMMANDS;
    lightsail_cli::cli::configure::command_doc(
        sub.and_then(|n| SUBCOMMANDS.iter().find(|s| s.name == n)),
    )
}

/// `aws configure help` and each subcommand's page (awscli's `BasicCommand` pages).
#[test]
fn configure_pages() {
    for (name, sub) in [
        ("configure", None),
        ("configure-list", Some("list")),
        ("configure-get", Some("get")),
        ("configure-set", Some("set")),
        ("configure-add-model", Some("add-model")),
    ] {
        let doc = configure_doc(sub);
        let page = command_page::page(&doc);
        check_page(name, &command_page::command_rst(&doc), &page);
        assert_same(
            &format!("{name}.stderr"),
            &page.warnings,
            &recorded(&format!("{name}.stderr")),
        );
    }
}

/// `aws help topics` and every topic page, docutils' warnings and errors included.
#[test]
fn topic_pages() {
    let page = help::topics_help_page();
    check_page("topics", &help::topics::topics_rst(), &page);
    for name in help::topics::names() {
        let page = help::topic_help_page(name).expect("a topic");
        let rst = help::topics::topic_rst(name).expect("a topic");
        check_page(name, &rst, &page);
        assert_same(
            &format!("{name}.stderr"),
            &page.warnings,
            &recorded(&format!("{name}.stderr")),
        );
    }
    assert!(help::topic_help_page("no-such-topic").is_none());
}

/// Every operation's page against a directory of reference recordings (not committed; made with
/// `python3 tests/record/help_corpus.py --all DIR`). Run with
/// `HELP_ALL_OPS_DIR=DIR cargo test --test help_pages all_operations -- --ignored --nocapture`
/// (`HELP_DUMP_DIR=DIR2` also writes ours there, for diffing).
#[test]
#[ignore]
fn all_operations() {
    let Ok(dir) = std::env::var("HELP_ALL_OPS_DIR") else {
        return;
    };
    let mut bad_rst = Vec::new();
    let mut bad_roff = Vec::new();
    for op in model::OPERATIONS.iter() {
        let rst =
            std::fs::read_to_string(format!("{dir}/{}.rst", op.cli_name)).expect("recorded rst");
        let roff =
            std::fs::read_to_string(format!("{dir}/{}.roff", op.cli_name)).expect("recorded roff");
        let (our_rst, our_roff) = (help::operation_help_rst(op), help::operation_help_roff(op));
        if let Ok(dump) = std::env::var("HELP_DUMP_DIR") {
            let _ = std::fs::write(format!("{dump}/{}.rst", op.cli_name), &our_rst);
            let _ = std::fs::write(format!("{dump}/{}.roff", op.cli_name), &our_roff);
        }
        if our_rst != rst {
            bad_rst.push(op.cli_name);
        }
        if our_roff != roff {
            bad_roff.push(op.cli_name);
        }
    }
    println!("{} operations checked", model::OPERATIONS.len());
    println!("rst differs ({}): {bad_rst:?}", bad_rst.len());
    println!("roff differs ({}): {bad_roff:?}", bad_roff.len());
    assert!(bad_rst.is_empty() && bad_roff.is_empty());
}

/// Our reStructuredText-to-roff step alone, on every recorded reference page (the full `aws help` page
/// with all 434 services included): parse the reference's `.rst`, write roff, compare with docutils'.
#[test]
fn docutils_roff_from_reference_rst() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/help");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("recordings") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "rst") {
            continue;
        }
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("utf-8 name")
            .to_string();
        let rst = recorded(&format!("{name}.rst"));
        let doc = help::rst::parse(&rst);
        assert_same(
            &format!("{name}.roff from its .rst"),
            &help::manpage::to_roff(&doc),
            &recorded(&format!("{name}.roff")),
        );
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} recorded pages");
}
