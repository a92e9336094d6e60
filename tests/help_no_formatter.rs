//! With neither groff nor mandoc on `PATH`, showing help fails with the reference's message (the
//! reference prints `\n` + message + `\n` on stderr and exits 255; recorded as
//! `tests/data/help/no-formatter.*`). Its own test binary, because it changes `PATH`.

use lightsail_cli::help::{self, HelpError};

#[test]
fn no_groff_nor_mandoc() {
    let empty = std::env::temp_dir().join(format!("help-no-formatter-{}", std::process::id()));
    std::fs::create_dir_all(&empty).expect("temp dir");
    std::env::set_var("PATH", &empty);
    let op =
        lightsail_cli::model::operation_by_cli_name("create-instance-snapshot").expect("exists");
    let result = help::show_help(&help::operation_help_roff(op));
    let _ = std::fs::remove_dir(&empty);
    let err = result.expect_err("no formatter on PATH");
    assert!(matches!(err, HelpError::FormatterNotFound));
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/help");
    let stderr = std::fs::read_to_string(dir.join("no-formatter.stderr")).expect("recorded");
    assert_eq!(format!("\n{err}\n"), stderr);
    let rc = std::fs::read_to_string(dir.join("no-formatter.rc")).expect("recorded");
    assert_eq!(rc.trim(), "255");
    let stdout = std::fs::read_to_string(dir.join("no-formatter.stdout")).expect("recorded");
    assert_eq!(stdout, "");
}
