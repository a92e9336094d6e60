//! The `aws_completer` binary: shell completion for `aws`, answering like AWS CLI v1.45.11's
//! `aws_completer` (see `lightsail_cli::completion`). bash: `complete -C aws_completer aws`.

use lightsail_cli::completion;
use std::io::Write;

fn main() {
    let env = |name: &str| std::env::var_os(name).map(|v| completion::env_text(&v));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = std::io::stderr().lock();
    let code = completion::run(&env, &mut out, &mut err);
    let _ = out.flush();
    drop(out);
    std::process::exit(code);
}
