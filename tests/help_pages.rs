//! The help pages against the reference's recordings in `tests/data/help/` (made by
//! `tests/record/help_corpus.py`): our reStructuredText and roff must equal the reference's byte for
//! byte, and, where groff is installed, so must the formatted page.

use lightsail_cli::help;
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

fn create_instance_snapshot() -> &'static model::Operation {
    model::operation_by_cli_name("create-instance-snapshot").expect("operation exists")
}

#[test]
fn create_instance_snapshot_rst() {
    assert_same(
        "rst",
        &help::operation_help_rst(create_instance_snapshot()),
        &recorded("create-instance-snapshot.rst"),
    );
}

#[test]
fn create_instance_snapshot_roff() {
    assert_same(
        "roff",
        &help::operation_help_roff(create_instance_snapshot()),
        &recorded("create-instance-snapshot.roff"),
    );
}

#[test]
fn lightsail_rst() {
    assert_same("rst", &help::service_help_rst(), &recorded("lightsail.rst"));
}

#[test]
fn lightsail_roff() {
    assert_same(
        "roff",
        &help::service_help_roff(),
        &recorded("lightsail.roff"),
    );
}
