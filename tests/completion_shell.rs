//! Tab completion as a user gets it: an interactive bash in a tmux pseudo-terminal, set up as the README
//! says (`complete -C aws_completer aws`), with keys sent to it and the screen read back. This checks
//! what the corpora cannot: that bash takes our output (candidates ending in a space, one per line) and
//! completes the word, inserts the space, or lists the choices.
//!
//! Skipped (with a note) where tmux or bash is missing; CI installs tmux.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

struct Tmux {
    socket: PathBuf,
    root: PathBuf,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("tmux runs")
    }

    fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success(), "send-keys {keys:?}");
    }

    fn screen(&self) -> String {
        let out = self.run(&["capture-pane", "-p", "-t", "t"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until the screen satisfies `ok`; returns the screen (the last one seen on timeout).
    fn wait_for(&self, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let screen = self.screen();
            if ok(&screen) || Instant::now() > deadline {
                return screen;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The screen's last non-empty line.
    fn last_line(screen: &str) -> String {
        screen
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default()
            .to_string()
    }

    /// Types `text`, presses Tab `tabs` times, and waits for the screen to show `expected` on its last
    /// non-empty line (`listing`: anywhere on the screen); then clears the line with Ctrl-U.
    fn complete(&self, text: &str, tabs: usize, expected: &str, listing: bool) {
        self.send(&["-l", text]);
        for _ in 0..tabs {
            self.send(&["Tab"]);
            std::thread::sleep(Duration::from_millis(150));
        }
        let found = |s: &str| {
            if listing {
                s.contains(expected)
            } else {
                Tmux::last_line(s) == expected
            }
        };
        let screen = self.wait_for(found);
        assert!(
            found(&screen),
            "after {text:?} and {tabs} Tab: expected {expected:?}, screen:\n{screen}"
        );
        self.send(&["C-u"]);
        self.send(&["C-l"]);
        self.wait_for(|s| Tmux::last_line(s) == "$");
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

fn start(completer: &Path) -> Tmux {
    let root = std::env::temp_dir().join(format!("completion-shell-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let bin = root.join("bin");
    let home = root.join("home");
    std::fs::create_dir_all(&bin).expect("bin dir");
    std::fs::create_dir_all(home.join(".aws")).expect("home dir");
    std::os::unix::fs::symlink(completer, bin.join("aws_completer")).expect("link completer");
    std::fs::write(
        home.join(".aws/config"),
        "[default]\nregion = us-west-2\n[profile dev]\n[profile ci]\n",
    )
    .expect("config");
    let tmux = Tmux {
        socket: root.join("tmux.sock"),
        root: root.clone(),
    };
    let shell = format!(
        "env -i HOME={} PATH={}:/usr/bin:/bin TERM=xterm PS1='$ ' bash --norc --noprofile -i",
        home.display(),
        bin.display()
    );
    let out = tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "t",
        "-x",
        "160",
        "-y",
        "40",
        &shell,
    ]);
    assert!(out.status.success(), "tmux new-session: {out:?}");
    tmux.wait_for(|s| Tmux::last_line(s) == "$");
    tmux.send(&["-l", "complete -C aws_completer aws"]);
    tmux.send(&["Enter", "C-l"]);
    tmux.wait_for(|s| Tmux::last_line(s) == "$");
    tmux
}

#[test]
fn bash_completes_through_aws_completer() {
    if !on_path("tmux") || !on_path("bash") {
        println!("completion_shell: tmux or bash is not installed; skipped");
        return;
    }
    let completer = PathBuf::from(env!("CARGO_BIN_EXE_aws_completer"));
    let tmux = start(&completer);
    // One candidate: the word is completed and a space added (the candidate's own trailing space), so
    // the next word can be typed and completed straight away.
    tmux.send(&["-l", "aws lightsai"]);
    tmux.send(&["Tab"]);
    tmux.complete(
        "get-instance-m",
        1,
        "$ aws lightsail get-instance-metric-data",
        false,
    );
    tmux.complete(
        "aws lightsail get-instance-m",
        1,
        "$ aws lightsail get-instance-metric-data",
        false,
    );
    tmux.complete("aws --out", 1, "$ aws --output", false);
    // Several candidates: bash lists them on the second Tab.
    tmux.complete(
        "aws lightsail get-instance-s",
        2,
        "get-instance-snapshots",
        true,
    );
    tmux.complete("aws --output ", 2, "table", true);
    tmux.complete("aws --profile ", 2, "dev", true);
    tmux.complete("aws configure ", 2, "add-model", true);
    tmux.complete(
        "aws lightsail delete-instance --force-delete-add-ons --",
        2,
        "--no-force-delete-add-ons",
        true,
    );
    // A common prefix is completed as far as it goes.
    tmux.complete(
        "aws lightsail get-relational-database-lo",
        1,
        "$ aws lightsail get-relational-database-log-",
        false,
    );
}
