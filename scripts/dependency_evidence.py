#!/usr/bin/env python3
"""Reproduces the measurements quoted in docs/dependencies.md. Nothing here is part of the build or the tests.

  python3 scripts/dependency_evidence.py crates   # what jmespath, comfy-table, serde_json and clap print,
                                                   # next to what the reference (Python) prints
  python3 scripts/dependency_evidence.py sdk [--runs N]
                                                   # one get-instance call through aws-sdk-lightsail + tokio
                                                   # against ours: wall time, peak RSS, binary size

Both write throwaway Cargo projects under target/dependency-evidence/ and build them with cargo (crates.io is
needed for that step only). The `sdk` measurement then re-runs itself inside a private network namespace
(`unshare -n`, loopback only) against `target/release/lightsail-emulator` (build it first:
`cargo build --release --workspace --bins`), with explicit credentials, region, endpoint, a throwaway HOME
and AWS_EC2_METADATA_DISABLED=true, as scripts/bench.py does (its helpers are reused).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # importing bench.py must not leave a __pycache__ in scripts/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (isolate, measure, Emulator)

ROOT = bench.ROOT
WORK = os.path.join(ROOT, "target", "dependency-evidence")

CRATES_TOML = """[package]
name = "crate-evidence"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
clap = "=4.6.9"
comfy-table = "=8.0.1"
jmespath = "=0.5.0"
serde_json = "=1.0.154"
shlex = "=2.0.1"
"""

CRATES_MAIN = r'''
use std::io::Read;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args[0].as_str() {
        "jmespath" => {
            let mut input = String::new();
            std::io::stdin().read_to_string(&mut input).unwrap();
            let result = jmespath::compile(&args[1]).unwrap()
                .search(jmespath::Variable::from_json(&input).unwrap()).unwrap();
            println!("{}", serde_json::to_string(&*result).unwrap());
        }
        "comfy-table" => {
            let mut table = comfy_table::Table::new();
            table.load_style(comfy_table::presets::ASCII_FULL);
            table.set_header(vec![args[1].as_str(), args[2].as_str()]);
            table.add_row(vec![args[3].as_str(), args[4].as_str()]);
            println!("{table}");
        }
        "serde_json" => match serde_json::from_str::<serde_json::Value>(&args[1]) {
            Ok(v) => println!("{}", serde_json::to_string(&v).unwrap()),
            Err(e) => println!("error: {e}"),
        },
        "shlex" => println!("{:?}", shlex::split(&args[1])),
        "clap" => {
            let cmd = clap::Command::new("aws")
                .infer_long_args(true)
                .arg(clap::Arg::new("instance-name").long("instance-name").required(true))
                .arg(clap::Arg::new("instance-snapshot-name").long("instance-snapshot-name").required(true));
            match cmd.try_get_matches_from(std::iter::once("aws").chain(args[1..].iter().map(String::as_str))) {
                Ok(_) => println!("accepted"),
                Err(e) => print!("{}", e.render()),
            }
        }
        other => panic!("unknown mode {other}"),
    }
}
'''

SDK_TOML = """[package]
name = "sdk-call"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
aws-config = { version = "=1.13.0", features = ["behavior-version-latest"] }
aws-sdk-lightsail = "=1.135.0"
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
"""

SDK_MAIN = r'''
//! One Lightsail call through the official SDK: `sdk-call http://127.0.0.1:PORT`.
#[tokio::main]
async fn main() {
    let endpoint = std::env::args().nth(1).expect("endpoint URL");
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-west-2"))
        .credentials_provider(aws_sdk_lightsail::config::Credentials::new(
            "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", None, None, "static"))
        .load()
        .await;
    let client = aws_sdk_lightsail::Client::new(&config);
    let out = client.get_instance().instance_name("WordPress-1").send().await.expect("get-instance");
    println!("{}", out.instance().and_then(|i| i.name()).unwrap_or("-"));
}
'''

# The seed example's output, as the vendored awscli example prints it.
SEED_RST = os.path.join(ROOT, "src", "help", "examples", "create-instance-snapshot.rst")


def build(name, toml, main):
    """Writes and builds one throwaway project; returns (binary path, clean build seconds or None)."""
    project = os.path.join(WORK, name)
    os.makedirs(os.path.join(project, "src"), exist_ok=True)
    for path, text in [("Cargo.toml", toml), (os.path.join("src", "main.rs"), main)]:
        with open(os.path.join(project, path), "w") as f:
            f.write(text)
    binary = os.path.join(project, "target", "release", name)
    fresh = not os.path.exists(binary)
    start = time.perf_counter()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=project, check=True,
                   env=dict(os.environ, CARGO_TARGET_DIR=os.path.join(project, "target")))
    return binary, (time.perf_counter() - start if fresh else None)


def show(title, ours, theirs, ours_label, theirs_label):
    print(f"== {title}")
    print(f"{ours_label}:\n{ours.rstrip()}")
    print(f"{theirs_label}:\n{theirs.rstrip()}\n")


def crates():
    binary, _ = build("crate-evidence", CRATES_TOML, CRATES_MAIN)
    text = open(SEED_RST).read()
    seed = json.loads(text[text.index("Output::") + len("Output::"):])

    def run(*args, stdin=None):
        return subprocess.run([binary, *args], input=stdin, capture_output=True, text=True).stdout

    import jmespath  # the reference's engine, Python jmespath 1.1.0
    for expression in ["operations[0].{name: resourceName, id: id}", '`{"b": 1, "a": 2}`']:
        python = json.dumps(jmespath.search(expression, seed))
        show(f"--query {expression}", python, run("jmespath", expression, stdin=json.dumps(seed)),
             f"Python jmespath {jmespath.__version__}", "jmespath crate")

    from awscli.formatter import TableFormatter
    import io
    location = seed["operations"][0]["location"]
    out = io.StringIO()
    TableFormatter(argparse.Namespace(query=None, color="off"))("CreateInstanceSnapshot", location, out)
    keys = list(location)
    show("--output table of operations[0].location", out.getvalue(),
         run("comfy-table", keys[0], keys[1], location[keys[0]], location[keys[1]]),
         "awscli table formatter", "comfy-table (ASCII_FULL)")

    for text in ["1e16", "12345678901234567890123", '"caf\u00e9"', "NaN", '{"a": }']:
        try:
            python = json.dumps(json.loads(text))
        except ValueError as e:
            python = f"error: {e}"
        show(f"json.dumps(json.loads({text!r}))", python, run("serde_json", text), "Python json", "serde_json")

    import shlex
    for text in ["#not-a-comment x", "less 'x", "less \\"]:
        try:
            python = repr(shlex.split(text))
        except ValueError as e:
            python = f"ValueError: {e}"
        show(f"shlex.split({text!r})", python, run("shlex", text), "Python shlex", "shlex crate")

    for argv in [["--instance-name", "x"], ["--instance", "x", "--instance-snapshot-name", "y"]]:
        home = tempfile.mkdtemp()
        # argparse fails before any request; the endpoint is a closed loopback port all the same.
        env = dict(os.environ, HOME=home, AWS_EC2_METADATA_DISABLED="true", AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
                   AWS_SECRET_ACCESS_KEY="x", AWS_DEFAULT_REGION="us-west-2")
        ref = subprocess.run(["aws", "lightsail", "create-instance-snapshot", *argv,
                              "--endpoint-url", "http://127.0.0.1:9"], capture_output=True, text=True, env=env)
        shutil.rmtree(home)
        show(f"aws lightsail create-instance-snapshot {' '.join(argv)}",
             f"{ref.stderr.splitlines()[-1] if ref.stderr else ref.stdout[:40]} (exit {ref.returncode})",
             run("clap", *argv), "reference (argparse)", "clap with infer_long_args")


def sdk(runs):
    if os.environ.get("BENCH_ISOLATED") != "1":
        build("sdk-call", SDK_TOML, SDK_MAIN)
        bench.isolate()
        raise SystemExit("unshare -n is not available: refusing to measure outside a private namespace")
    binary = os.path.join(WORK, "sdk-call", "target", "release", "sdk-call")
    ours = os.path.join(ROOT, "target", "release", "aws")
    emulator = bench.Emulator(os.path.join(ROOT, "target", "release", "lightsail-emulator"))
    home = tempfile.mkdtemp()
    env = dict(os.environ, HOME=home, AWS_EC2_METADATA_DISABLED="true", AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
               AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", AWS_DEFAULT_REGION="us-west-2")
    commands = [
        ("aws-sdk-lightsail + tokio", [binary, emulator.url]),
        ("lightsail-cli `aws`", [ours, "lightsail", "get-instance", "--instance-name", "WordPress-1",
                                 "--endpoint-url", emulator.url]),
    ]
    try:
        # Runs alternate A B A B ..., and the ratio is taken pair by pair, so that a machine whose speed
        # drifts (other builds) moves both sides of each pair alike.
        walls = {label: [] for label, _ in commands}
        ratios = []
        for _ in range(runs):
            pair = [bench.run_once(argv, env)[0] for _, argv in commands]
            for (label, _), wall in zip(commands, pair):
                walls[label].append(wall)
            ratios.append(pair[0] / pair[1])
        print(f"| one get-instance call | median wall ({runs} paired runs) | peak RSS (median of 7) "
              "| binary | stripped |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for label, argv in commands:
            peak = statistics.median(bench.peak_rss_mib(argv, env) for _ in range(7))
            stripped = os.path.join(home, "stripped")
            shutil.copy(argv[0], stripped)
            subprocess.run(["strip", stripped], check=True)
            print(f"| {label} | {statistics.median(walls[label]) * 1000:.2f} ms | {peak:.1f} MiB "
                  f"| {os.path.getsize(argv[0]) / 1e6:.2f} MB | {os.path.getsize(stripped) / 1e6:.2f} MB |")
        print(f"\npaired wall-time ratio SDK / ours: median {statistics.median(ratios):.2f}")
    finally:
        emulator.stop()
        shutil.rmtree(home)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["crates", "sdk"])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    crates() if args.what == "crates" else sdk(args.runs)


if __name__ == "__main__":
    main()
