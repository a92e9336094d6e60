//! Compiles the vendored Lightsail service model (`model/service-2.json`) into static Rust tables.
//!
//! The binary must not parse a 680 KB JSON document on every start, so this build script reads it once
//! and writes `$OUT_DIR/model_tables.rs`: one `Shape` per model shape (in the model's order, members in
//! the model's order), one `Operation` per operation, and a sorted index from CLI command names
//! (`create-instance-snapshot`) to operations. `src/model/mod.rs` declares the types and includes the file.
//! CLI names are derived here with the same rules as botocore's `xform_name`, so that
//! `instanceSnapshotName` becomes `--instance-snapshot-name` exactly as the reference spells it.

use serde_json::{Map, Value};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let model_path = Path::new("model/service-2.json");
    println!("cargo:rerun-if-changed={}", model_path.display());
    println!("cargo:rerun-if-changed=model/paginators-1.json");
    println!("cargo:rerun-if-changed=build.rs");
    let text =
        std::fs::read_to_string(model_path).expect("model/service-2.json is vendored in the repo");
    let model: Value = serde_json::from_str(&text).expect("the vendored model is valid JSON");
    let paginators_text = std::fs::read_to_string("model/paginators-1.json")
        .expect("model/paginators-1.json is vendored");
    let paginators: Value =
        serde_json::from_str(&paginators_text).expect("paginators are valid JSON");
    let out = generate(&model, &paginators);
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("model_tables.rs"), out).expect("OUT_DIR is writable");
}

/// botocore's `xform_name`: `CreateInstanceSnapshot` -> `create-instance-snapshot`.
fn xform_name(name: &str, sep: char) -> String {
    if name.contains(sep) {
        return name.to_string();
    }
    let mut name: Vec<char> = name.chars().collect();
    // `[A-Z]{2,}s$`: a trailing plural acronym (`ARNs`) becomes its own lower-cased word.
    if name.len() >= 3 && name[name.len() - 1] == 's' {
        let end = name.len() - 1;
        let mut start = end;
        while start > 0 && name[start - 1].is_ascii_uppercase() {
            start -= 1;
        }
        if end - start >= 2 {
            let tail: String = name[start..].iter().collect::<String>().to_lowercase();
            name.truncate(start);
            name.push(sep);
            name.extend(tail.chars());
        }
    }
    // `(.)([A-Z][a-z]+)` -> `\1-\2`, left to right, non-overlapping.
    let mut first = Vec::with_capacity(name.len() + 8);
    let mut i = 0;
    while i < name.len() {
        if i + 2 < name.len()
            && name[i + 1].is_ascii_uppercase()
            && name[i + 2].is_ascii_lowercase()
        {
            let mut j = i + 2;
            while j < name.len() && name[j].is_ascii_lowercase() {
                j += 1;
            }
            first.push(name[i]);
            first.push(sep);
            first.extend_from_slice(&name[i + 1..j]);
            i = j;
        } else {
            first.push(name[i]);
            i += 1;
        }
    }
    // `([a-z0-9])([A-Z])` -> `\1-\2`.
    let mut second = String::with_capacity(first.len() + 8);
    let mut i = 0;
    while i < first.len() {
        let c = first[i];
        if i + 1 < first.len()
            && (c.is_ascii_lowercase() || c.is_ascii_digit())
            && first[i + 1].is_ascii_uppercase()
        {
            second.push(c);
            second.push(sep);
            second.push(first[i + 1]);
            i += 2;
        } else {
            second.push(c);
            i += 1;
        }
    }
    second.to_lowercase()
}

fn lit(s: &str) -> String {
    format!("{s:?}")
}

fn opt_i64(v: Option<&Value>, what: &str) -> String {
    match v {
        None => "None".into(),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) => format!("Some({i})"),
            None => panic!("{what}: non-integer bound {n}"),
        },
        Some(other) => panic!("{what}: unexpected bound {other}"),
    }
}

fn str_list(v: Option<&Value>) -> String {
    let items: Vec<String> = v
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|x| lit(x.as_str().expect("string list")))
                .collect()
        })
        .unwrap_or_default();
    format!("&[{}]", items.join(", "))
}

fn generate(model: &Value, paginators: &Value) -> String {
    let shapes: &Map<String, Value> = model["shapes"].as_object().expect("shapes");
    let index: HashMap<&str, usize> = shapes
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let id = |name: &str| -> usize {
        *index
            .get(name)
            .unwrap_or_else(|| panic!("unknown shape {name}"))
    };
    let shape_ref =
        |v: &Value| -> String { format!("Some({})", id(v["shape"].as_str().expect("shape ref"))) };

    let mut out = String::new();
    let meta = &model["metadata"];
    for (konst, key) in [
        ("API_VERSION", "apiVersion"),
        ("ENDPOINT_PREFIX", "endpointPrefix"),
        ("JSON_VERSION", "jsonVersion"),
        ("PROTOCOL", "protocol"),
        ("SERVICE_FULL_NAME", "serviceFullName"),
        ("SERVICE_ID", "serviceId"),
        ("SIGNATURE_VERSION", "signatureVersion"),
        ("TARGET_PREFIX", "targetPrefix"),
        ("UID", "uid"),
    ] {
        let value = meta[key]
            .as_str()
            .unwrap_or_else(|| panic!("metadata.{key}"));
        writeln!(out, "pub const {konst}: &str = {};", lit(value)).unwrap();
    }
    let docs = model["documentation"].as_str().unwrap_or("");
    writeln!(
        out,
        "pub const SERVICE_DOCUMENTATION: &str = {};",
        lit(docs)
    )
    .unwrap();

    writeln!(out, "pub static SHAPES: [Shape; {}] = [", shapes.len()).unwrap();
    for (name, shape) in shapes {
        let kind = match shape["type"].as_str().expect("shape type") {
            "structure" => "Structure",
            "list" => "List",
            "map" => "Map",
            "string" => "String",
            "integer" => "Integer",
            "long" => "Long",
            "boolean" => "Boolean",
            "double" => "Double",
            "float" => "Float",
            "timestamp" => "Timestamp",
            "blob" => "Blob",
            other => panic!("shape {name}: unsupported type {other}"),
        };
        let mut members = String::from("&[");
        if let Some(ms) = shape.get("members").and_then(Value::as_object) {
            for (mname, m) in ms {
                write!(
                    members,
                    "Member {{ name: {}, cli_name: {}, shape: {}, documentation: {}, deprecated: {} }}, ",
                    lit(mname),
                    lit(&xform_name(mname, '-')),
                    id(m["shape"].as_str().expect("member shape")),
                    lit(m.get("documentation").and_then(Value::as_str).unwrap_or("")),
                    m.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
                )
                .unwrap();
            }
        }
        members.push(']');
        let opt_ref = |key: &str| {
            shape
                .get(key)
                .map(&shape_ref)
                .unwrap_or_else(|| "None".into())
        };
        writeln!(
            out,
            "Shape {{ name: {}, kind: Kind::{kind}, members: {members}, required: {}, member: {}, key: {}, \
             value: {}, enum_values: {}, min: {}, max: {}, pattern: {}, documentation: {}, exception: {}, \
             fault: {}, sensitive: {} }},",
            lit(name),
            str_list(shape.get("required")),
            opt_ref("member"),
            opt_ref("key"),
            opt_ref("value"),
            str_list(shape.get("enum")),
            opt_i64(shape.get("min"), name),
            opt_i64(shape.get("max"), name),
            shape
                .get("pattern")
                .and_then(Value::as_str)
                .map(|p| format!("Some({})", lit(p)))
                .unwrap_or_else(|| "None".into()),
            lit(shape.get("documentation").and_then(Value::as_str).unwrap_or("")),
            shape.get("exception").and_then(Value::as_bool).unwrap_or(false),
            shape.get("fault").and_then(Value::as_bool).unwrap_or(false),
            shape.get("sensitive").and_then(Value::as_bool).unwrap_or(false),
        )
        .unwrap();
    }
    out.push_str("];\n");

    let operations = model["operations"].as_object().expect("operations");
    let pages = paginators["pagination"].as_object().expect("pagination");
    writeln!(
        out,
        "pub static OPERATIONS: [Operation; {}] = [",
        operations.len()
    )
    .unwrap();
    for (name, op) in operations {
        let errors: Vec<String> = op
            .get("errors")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|e| id(e["shape"].as_str().expect("error shape")).to_string())
                    .collect()
            })
            .unwrap_or_default();
        let paginator = match pages.get(name) {
            None => "None".to_string(),
            Some(p) => format!(
                "Some(Paginator {{ input_token: {}, output_token: {}, limit_key: {}, result_key: {} }})",
                lit(p["input_token"].as_str().expect("input_token")),
                lit(p["output_token"].as_str().expect("output_token")),
                p.get("limit_key")
                    .and_then(Value::as_str)
                    .map(|k| format!("Some({})", lit(k)))
                    .unwrap_or_else(|| "None".into()),
                lit(p["result_key"].as_str().expect("result_key")),
            ),
        };
        writeln!(
            out,
            "Operation {{ name: {}, cli_name: {}, input: {}, output: {}, errors: &[{}], documentation: {}, \
             http_method: {}, request_uri: {}, paginator: {paginator} }},",
            lit(name),
            lit(&xform_name(name, '-')),
            op.get("input").map(&shape_ref).unwrap_or_else(|| "None".into()),
            op.get("output").map(&shape_ref).unwrap_or_else(|| "None".into()),
            errors.join(", "),
            lit(op.get("documentation").and_then(Value::as_str).unwrap_or("")),
            lit(op["http"]["method"].as_str().expect("http method")),
            lit(op["http"]["requestUri"].as_str().expect("request uri")),
        )
        .unwrap();
    }
    out.push_str("];\n");

    let mut by_cli: Vec<(String, usize)> = operations
        .keys()
        .enumerate()
        .map(|(i, name)| (xform_name(name, '-'), i))
        .collect();
    by_cli.sort();
    writeln!(
        out,
        "static OPERATIONS_BY_CLI_NAME: [(&str, u16); {}] = [",
        by_cli.len()
    )
    .unwrap();
    for (cli, i) in &by_cli {
        writeln!(out, "({}, {i}),", lit(cli)).unwrap();
    }
    out.push_str("];\n");

    let mut by_name: Vec<(&str, usize)> = index.iter().map(|(k, v)| (*k, *v)).collect();
    by_name.sort();
    writeln!(
        out,
        "static SHAPES_BY_NAME: [(&str, u16); {}] = [",
        by_name.len()
    )
    .unwrap();
    for (name, i) in &by_name {
        writeln!(out, "({}, {i}),", lit(name)).unwrap();
    }
    out.push_str("];\n");
    out
}
