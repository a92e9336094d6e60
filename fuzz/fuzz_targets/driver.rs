//! The whole driver in-process: argv is the input split at NUL bytes (words may hold any other
//! bytes, decoded lossily as `main` does). The endpoint is always loopback, and words that could
//! name another endpoint or profile, a URL or file to load, or open a help page, are dropped.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lightsail_cli::cli::driver::run;
use lightsail_cli::process::Context;

fuzz_target!(|input: &[u8]| {
    let mut args = vec![
        "--endpoint-url".to_string(),
        "http://127.0.0.1:9".to_string(),
    ];
    args.extend(
        input
            .split(|b| *b == 0)
            .map(|w| String::from_utf8_lossy(w).into_owned())
            .filter(|w| {
                !(w.starts_with("--e")
                    || w.starts_with("-e")
                    || w.starts_with("--prof")
                    || w == "help")
            })
            // file:// reads whatever path it names and http(s):// fetches: keep the fuzzer off
            // devices, FIFOs and the network.
            .filter(|w| !w.contains("://") || w == "file:///dev/null"),
    );
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let env = |name: &str| -> Option<String> {
        match name {
            "AWS_ACCESS_KEY_ID" => Some("AKIDEXAMPLE".into()),
            "AWS_SECRET_ACCESS_KEY" => Some("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into()),
            "AWS_DEFAULT_REGION" => Some("us-west-2".into()),
            "AWS_EC2_METADATA_DISABLED" => Some("true".into()),
            "AWS_MAX_ATTEMPTS" => Some("1".into()),
            "AWS_CONFIG_FILE" | "AWS_SHARED_CREDENTIALS_FILE" => {
                Some("/nonexistent/lightsail-cli".into())
            }
            _ => None,
        }
    };
    let code = run(
        &args,
        &mut Context {
            stdout: &mut stdout,
            stderr: &mut stderr,
            env: &env,
            prog: "aws".into(),
        },
    );
    assert!((0..=255).contains(&code));
});
