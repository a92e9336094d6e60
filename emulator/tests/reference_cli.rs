//! The reference CLI (`aws`, botocore) against the emulator binary, inside a private network namespace
//! (`unshare -n`, loopback only) so nothing can leave the machine. Skipped, with a note, where `aws`
//! or `unshare` is unavailable.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::seed_example_output;

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

fn available() -> bool {
    let works = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    };
    if !works("aws", &["--version"]) {
        eprintln!("note: skipping: the reference `aws` CLI is not installed");
        return false;
    }
    if !works("unshare", &["-n", "sh", "-c", "ip link set lo up"]) {
        eprintln!("note: skipping: `unshare -n` (or `ip`) is not available here");
        return false;
    }
    true
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "lightsail-emulator-cli-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("home")).unwrap();
    dir
}

/// Starts the emulator binary with `flags` inside a fresh network namespace, exports its URL as `$URL`
/// (and the HTTPS one as `$HTTPS_URL`), runs `script`, stops the emulator with SIGTERM and checks that
/// it exited 0.
fn in_namespace(name: &str, flags: &str, script: &str) -> Run {
    let work = scratch(name);
    let full = format!(
        r#"set -u
ip link set lo up
"$EMULATOR" {flags} > "$WORK/emulator.out" 2> "$WORK/emulator.err" &
EMULATOR_PID=$!
for _ in $(seq 200); do
  grep -q listening "$WORK/emulator.out" 2>/dev/null && break
  sleep 0.05
done
sleep 0.1
URL=$(sed -n '1s/^listening on //p' "$WORK/emulator.out")
HTTPS_URL=$(sed -n '2s/^listening on //p' "$WORK/emulator.out")
export URL HTTPS_URL
journal() {{ python3 -c "import urllib.request,sys; sys.stdout.write(urllib.request.urlopen('$URL/_emulator/requests').read().decode())"; }}
( {script} )
STATUS=$?
kill -TERM $EMULATOR_PID
wait $EMULATOR_PID
echo "emulator exit $?" >&2
exit $STATUS
"#
    );
    let output = Command::new("unshare")
        .args(["-n", "sh", "-c", &full])
        .env("EMULATOR", env!("CARGO_BIN_EXE_lightsail-emulator"))
        .env("WORK", &work)
        .env("HOME", work.join("home"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env(
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
        .env("AWS_DEFAULT_REGION", "us-west-2")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_CONFIG_FILE")
        .env_remove("AWS_SHARED_CREDENTIALS_FILE")
        .env_remove("AWS_CA_BUNDLE")
        .output()
        .expect("unshare runs");
    let mut stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        stderr.ends_with("emulator exit 0\n"),
        "the emulator did not exit 0 on SIGTERM: {stderr}"
    );
    stderr.truncate(stderr.len() - "emulator exit 0\n".len());
    let _ = std::fs::remove_dir_all(&work);
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr,
        code: output.status.code().unwrap_or(-1),
    }
}

const CREATE: &str = "aws lightsail create-instance-snapshot --instance-name WordPress-1 \
                      --instance-snapshot-name WordPress-Snapshot-1";

#[test]
fn the_seed_example_comes_back_exactly() {
    if !available() {
        return;
    }
    let run = in_namespace(
        "seed",
        "--port 0 --deterministic",
        &format!("{CREATE} --endpoint-url \"$URL\""),
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(run.stdout, seed_example_output());
}

#[test]
fn throttling_is_retried_and_journaled() {
    if !available() {
        return;
    }
    let script = format!("{CREATE} --endpoint-url \"$URL\" && journal");
    let run = in_namespace(
        "throttle",
        "--port 0 --deterministic --fault throttle*2",
        &script,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (output, journal) = run.stdout.split_at(seed_example_output().len());
    assert_eq!(output, seed_example_output());
    let journal: serde_json::Value = serde_json::from_str(journal).unwrap();
    let attempts: Vec<u64> = journal
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["attempt"].as_u64().unwrap())
        .collect();
    assert_eq!(attempts, [1, 2, 3]);
    assert_eq!(
        journal[0]["signed_headers"],
        serde_json::json!(["content-type", "host", "x-amz-date", "x-amz-target"])
    );
}

#[test]
fn errors_reach_the_reference_as_lightsail_sends_them() {
    if !available() {
        return;
    }
    let script = "aws lightsail get-instance --instance-name nope --endpoint-url \"$URL\"; echo \"rc=$?\"; \
                  AWS_SECRET_ACCESS_KEY=wrong aws lightsail get-instances --endpoint-url \"$URL\"; echo \"rc=$?\"";
    let run = in_namespace("errors", "--port 0 --deterministic", script);
    assert_eq!(run.stdout, "rc=255\nrc=255\n");
    assert_eq!(
        run.stderr,
        "\nAn error occurred (NotFoundException) when calling the GetInstance operation: The Instance does \
         not exist: nope\n\nAn error occurred (InvalidSignatureException) when calling the GetInstances \
         operation: The request signature we calculated does not match the signature you provided. Check \
         your AWS Secret Access Key and signing method. Consult the service documentation for details.\n"
    );
}

#[test]
fn https_with_the_written_ca_bundle() {
    if !available() {
        return;
    }
    let script = format!("{CREATE} --endpoint-url \"$HTTPS_URL\" --ca-bundle \"$WORK/ca.pem\"");
    let run = in_namespace(
        "https",
        "--port 0 --deterministic --https-port 0 --cert-out \"$WORK/ca.pem\"",
        &script,
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(run.stdout, seed_example_output());
}

#[test]
fn credentials_from_the_metadata_and_container_endpoints() {
    if !available() {
        return;
    }
    let script = "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY; \
        AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_SERVICE_ENDPOINT=\"$URL/\" \
          aws lightsail get-instances --endpoint-url \"$URL\" --query 'instances[0].name' --output text && \
        AWS_CONTAINER_CREDENTIALS_FULL_URI=\"$URL/_emulator/container-credentials\" \
          aws lightsail get-instances --endpoint-url \"$URL\" --query 'instances[0].name' --output text";
    let run = in_namespace("credentials", "--port 0 --deterministic", script);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(run.stdout, "WordPress-1\nWordPress-1\n");
}

#[test]
fn unsigned_requests_with_allow_unsigned() {
    if !available() {
        return;
    }
    let script = "aws lightsail get-instances --no-sign-request --endpoint-url \"$URL\" --query 'length(instances)'";
    let run = in_namespace(
        "unsigned",
        "--port 0 --deterministic --allow-unsigned --instance A-1 --instance B-2",
        script,
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(run.stdout, "2\n");
}

#[test]
fn the_reference_follows_page_tokens() {
    if !available() {
        return;
    }
    let script =
        "aws lightsail get-instances --endpoint-url \"$URL\" --query 'instances[].name' --output text";
    let flags =
        "--port 0 --deterministic --page-size 1 --instance A-1 --instance B-2 --instance C-3";
    let run = in_namespace("pages", flags, script);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    // With --output text the reference applies --query to each page and prints each page's line.
    assert_eq!(run.stdout, "A-1\nB-2\nC-3\n");
}
