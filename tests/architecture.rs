//! The layering of `src/`, checked: each top-level folder is one stage of the pipeline, and a module may
//! use only folders of a lower layer (and its own folder). `LAYERS` below is the one written-down order
//! (`docs/architecture.md` draws it); the test scans every `crate::<folder>` path in the code (comments
//! aside) and fails on an import that points up, or sideways between two folders of the same layer. It
//! also fails when a folder is missing from `LAYERS`, or a file has no `//!` doc comment at its top.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Top-level folders of `src/`, lowest layer first. Folders on one line are one layer: they may not use
/// each other. `lib.rs` and `main.rs` sit above everything.
const LAYERS: &[&[&str]] = &[
    &["process"],                            // stdio, environment, the panic hook
    &["python"], // Python built-ins whose bytes show: value, JSON, repr, ...
    &["model"],  // the compiled Lightsail model
    &["http"],   // the HTTP/TLS client
    &["config"], // config files, profiles, settings, credentials
    &["params", "call", "response", "help"], // the stages the driver runs, independent of each other
    &["cli"], // argv in, exit code out: the driver and error reporting
];

fn layer_of(folder: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&folder))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The folders a file's code names through `crate::<folder>`, including `use crate::{a, b::c}` groups.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .map(|line| line.split(" // ").next().unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut found = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue; // `lightsail_crate::` or similar: not our crate root
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if c.is_whitespace() => {}
                    _ if item_start && depth == 0 => {
                        found.insert(ident(&group[i..]));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(ident(rest));
        }
    }
    found.retain(|name| !name.is_empty() && name != "self");
    found
}

#[test]
fn dependencies_point_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src/");
        let mut parts = relative.components();
        let first = parts
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or_default();
        if parts.next().is_none() {
            continue; // lib.rs, main.rs: the crate root and the binary, above every layer
        }
        let Some(own) = layer_of(first) else {
            problems.push(format!(
                "src/{first}/ is not in LAYERS (tests/architecture.rs): place it in the order"
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("source file is readable");
        for used in crate_paths(&text) {
            if used == first {
                continue;
            }
            match layer_of(&used) {
                Some(layer) if layer < own => {}
                Some(layer) => problems.push(format!(
                    "src/{} uses crate::{used}, which is {} layer `{first}/`",
                    relative.display(),
                    if layer == own {
                        "in the same"
                    } else {
                        "above its"
                    }
                )),
                None => problems.push(format!(
                    "src/{} uses crate::{used}, which is not a folder in LAYERS",
                    relative.display()
                )),
            }
        }
    }
    assert!(
        problems.is_empty(),
        "layering violations:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_source_file_starts_with_a_doc_comment() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let missing: Vec<_> = files
        .iter()
        .filter(|f| {
            !std::fs::read_to_string(f)
                .unwrap_or_default()
                .starts_with("//!")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "no `//!` doc comment at the top: {missing:?}"
    );
}

#[test]
fn the_scanner_sees_grouped_and_nested_paths() {
    let text = "use crate::{model::{self, Kind}, python::value::Value};\n\
                // crate::cli in a comment does not count\n\
                let x = crate::http::send(); // crate::cli here neither\n";
    let found: Vec<_> = crate_paths(text).into_iter().collect();
    assert_eq!(found, ["http", "model", "python"]);
}
