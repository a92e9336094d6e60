//! The completer's candidates against the reference's, line by line: `tests/data/completion/corpus.json`
//! (recorded in-process from awscli's `Completer` by `tests/record/completion_corpus.py`) holds
//! thousands of command lines — prefixes of every command and operation name, every operation's
//! options, each option typed out — with the reference's output for each. The conformance corpus runs
//! the `aws_completer` binary on a few hundred lines; this covers every operation's argument table.

use lightsail_cli::completion::{complete, line};

struct NoProfiles;

impl complete::Values for NoProfiles {
    fn profiles(&mut self) -> Vec<String> {
        Vec::new()
    }
}

#[test]
fn every_recorded_line_completes_like_the_reference() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/completion/corpus.json");
    let text = std::fs::read_to_string(&path).expect("recorded corpus");
    let corpus: Vec<(String, String)> = serde_json::from_str(&text).expect("corpus is JSON");
    assert!(corpus.len() > 3000, "only {} lines", corpus.len());
    let mut differing = Vec::new();
    for (command_line, expected) in &corpus {
        let words = line::words(Some(command_line), None, None).expect("words");
        let ours = complete::candidates(&words, &mut NoProfiles).join(" \n") + "\n";
        if &ours != expected {
            differing.push(format!(
                "{command_line:?}: ours {ours:?}, reference {expected:?}"
            ));
        }
    }
    assert!(
        differing.is_empty(),
        "{} of {} lines differ, first: {}",
        differing.len(),
        corpus.len(),
        differing.first().map(String::as_str).unwrap_or_default()
    );
}
