//! The candidates for the word under the cursor: awscli's `Completer.complete`, step by step.
//!
//! The command is the first word that names a top-level command, the subcommand the first word that names
//! one of its subcommands (in any order, anywhere on the line). Without a command the last word completes
//! a command name or a global option; with a command but no subcommand, a subcommand name or a global
//! option; after a subcommand, only options (global ones and the subcommand's). Options already on the
//! line are not offered again, and an option typed out completely completes its value where the reference
//! knows values: `--output`'s choices and `--profile`'s profiles.

use super::commands::{self, Subcommand};

/// What the candidates may depend on besides the words.
pub trait Values {
    /// `session.available_profiles`, read only when `--profile` is being completed.
    fn profiles(&mut self) -> Vec<String>;
}

/// The candidates for the last of `words` (never empty).
pub fn candidates(words: &[String], values: &mut dyn Values) -> Vec<String> {
    let Some(current) = words.last() else {
        return Vec::new();
    };
    let command_words: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !w.starts_with('-'))
        .collect();
    let options: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| w.starts_with('-'))
        .collect();

    let command = command_words
        .iter()
        .find(|w| commands::top_level().any(|c| c == **w));
    let Some(command) = command else {
        return if current.starts_with('-') {
            possible_options(current, &options, None, values)
        } else if current == "aws" {
            documented_commands(None)
        } else {
            documented_commands(Some(current))
        };
    };
    let table = commands::subcommands(command);
    let subcommand = command_words
        .iter()
        .find_map(|w| table.iter().find(|(name, _)| name == w));
    match subcommand {
        None if current == command => table.iter().map(|(n, _)| n.to_string()).collect(),
        None if current.starts_with('-') => possible_options(current, &options, None, values),
        None => table
            .iter()
            .filter(|(n, _)| n.starts_with(current.as_str()))
            .map(|(n, _)| n.to_string())
            .collect(),
        Some((name, sub)) if current != name && current.starts_with('-') => {
            possible_options(current, &options, Some(*sub), values)
        }
        Some(_) => Vec::new(),
    }
}

/// The documented top-level commands, all or those starting with `prefix`.
fn documented_commands(prefix: Option<&str>) -> Vec<String> {
    commands::top_level()
        .filter(|c| commands::documented(c))
        .filter(|c| prefix.is_none_or(|p| c.starts_with(p)))
        .map(str::to_owned)
        .collect()
}

/// `_find_possible_options`: the global options (and the subcommand's arguments) not yet on the line
/// that start like `current`; an option typed out completely completes its value instead.
fn possible_options(
    current: &str,
    used: &[&str],
    subcommand: Option<Subcommand>,
    values: &mut dyn Values,
) -> Vec<String> {
    let mut all: Vec<String> = commands::global_options().map(str::to_owned).collect();
    if let Some(sub) = subcommand {
        all.extend(commands::arguments(sub));
    }
    for option in used.iter().filter(|o| **o != current) {
        let stripped = option.trim_start_matches('-');
        if let Some(at) = all.iter().position(|n| n == stripped) {
            all.remove(at);
        }
    }
    let typed = current.trim_start_matches('-');
    let possible: Vec<String> = all
        .iter()
        .filter(|n| n.starts_with(typed))
        .map(|n| format!("--{n}"))
        .collect();
    match possible.as_slice() {
        [only] if only == current => option_values(only, values),
        _ => possible,
    }
}

/// `_complete_option`: the values of an option typed out completely.
fn option_values(option: &str, values: &mut dyn Values) -> Vec<String> {
    match option {
        "--output" => commands::output_choices()
            .iter()
            .map(|c| c.to_string())
            .collect(),
        "--profile" => values.profiles(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoProfiles;
    impl Values for NoProfiles {
        fn profiles(&mut self) -> Vec<String> {
            vec!["p1".into()]
        }
    }

    fn complete(line: &str) -> Vec<String> {
        let words: Vec<String> = line.split_whitespace().map(String::from).collect();
        candidates(&words, &mut NoProfiles)
    }

    #[test]
    fn walks_the_tree_like_the_reference() {
        assert_eq!(complete("aws lightsai"), ["lightsail"]);
        assert_eq!(
            complete("aws lightsail get-instance-s"),
            [
                "get-instance-snapshot",
                "get-instance-snapshots",
                "get-instance-state"
            ]
        );
        assert!(complete("aws lightsail get-instance").is_empty());
        assert_eq!(
            complete("aws configure"),
            ["list", "get", "set", "add-model"]
        );
        assert_eq!(complete("aws --output"), ["json", "text", "table"]);
        assert_eq!(complete("aws lightsail --profile"), ["p1"]);
        assert_eq!(
            complete("aws lightsail get-instance --instance-name x --i"),
            Vec::<String>::new()
        );
        assert_eq!(
            complete("aws lightsail get-regions --include-r"),
            ["--include-relational-database-availability-zones"]
        );
        assert!(complete("aws ec2 ").is_empty());
    }
}
