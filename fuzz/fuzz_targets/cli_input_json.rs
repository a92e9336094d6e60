//! `--cli-input-json` decoding and merging on arbitrary documents: explicit options always win.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lightsail_cli::params::cli_input_json::{input_members, merge};
use lightsail_cli::python::json_decode::loads;
use lightsail_cli::python::value::{Map, Value};

fuzz_target!(|input: &str| {
    let decoded = loads(input).map_err(|e| e.to_string());
    if let Ok(members) = input_members(input, decoded) {
        let mut explicit = Map::new();
        explicit.insert("instanceName".into(), Value::String("explicit".into()));
        let merged = merge(explicit, members.clone());
        assert_eq!(
            merged.get("instanceName"),
            Some(&Value::String("explicit".into()))
        );
        assert!(members.keys().all(|k| merged.contains_key(k)));
    }
});
