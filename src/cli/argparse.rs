//! Python 3.11 `argparse` parsing semantics, as the reference CLI's parsers use them.
//!
//! The reference parses argv with three stacked `argparse` parsers (global options + command, the
//! service's operation, the operation's parameters), each through `parse_known_args`. What is accepted,
//! what is left over for the next parser, and every usage error (`expected one argument`, `ambiguous
//! option: --no could match ...`, `the following arguments are required: ...`, awscli's column-laid
//! `Invalid choice, valid choices are:` with difflib suggestions) fall out of argparse's algorithm:
//! classify each string as option (`O`), argument (`A`) or `--` (`-`), then consume options and
//! positionals alternately by matching nargs patterns. clap follows different rules (no prefix
//! abbreviations, different ordering of errors, different leftovers), so this module ports the algorithm
//! itself, restricted to what the CLI uses: long options, `store`/`store_true`/`store_false`/`version`
//! actions, nargs `None`/`?`/`*`/`+`, choices, and the `int`/`float` type conversions.

use crate::python::repr::repr_str;
use indexmap::IndexMap;

/// How many strings an action consumes (argparse's `nargs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nargs {
    /// `None`: exactly one.
    One,
    /// `'?'`: zero or one; an option given without a value takes `constant`.
    Optional,
    /// `'*'`: zero or more, as a list.
    ZeroOrMore,
    /// `'+'`: one or more, as a list.
    OneOrMore,
    /// `0`: flags (`store_true`, `store_false`, `version`).
    Zero,
}

/// What an action does when it is seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionKind {
    Store,
    StoreTrue,
    StoreFalse,
    /// Prints the text to stdout and exits 0.
    Version(String),
}

/// A conversion argparse applies to each value (`type=`), with the name it uses in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    None,
    /// Python's `int()`.
    Int,
    /// Python's `float()`.
    Float,
}

/// One argument of a parser: an option (`--region`) or a positional (`command`).
#[derive(Debug, Clone)]
pub struct Action {
    /// Empty for positionals.
    pub option_strings: Vec<String>,
    pub dest: String,
    pub nargs: Nargs,
    pub kind: ActionKind,
    /// Choice lists are static data (the model's names, cli.json's choices), never copied.
    pub choices: Option<Vec<&'static str>>,
    pub required: bool,
    /// The value an `Optional` option takes when given without a value.
    pub constant: Option<String>,
    pub conversion: Conversion,
}

impl Action {
    /// A `store` option taking one value.
    pub fn option(name: &str, dest: &str) -> Action {
        Action {
            option_strings: vec![name.to_string()],
            dest: dest.to_string(),
            nargs: Nargs::One,
            kind: ActionKind::Store,
            choices: None,
            required: false,
            constant: None,
            conversion: Conversion::None,
        }
    }

    /// A flag (`store_true` / `store_false`).
    pub fn flag(name: &str, dest: &str, kind: ActionKind) -> Action {
        Action {
            nargs: Nargs::Zero,
            kind,
            ..Action::option(name, dest)
        }
    }

    /// A positional argument.
    pub fn positional(dest: &str, nargs: Nargs) -> Action {
        Action {
            option_strings: Vec::new(),
            required: !matches!(nargs, Nargs::Optional | Nargs::ZeroOrMore),
            nargs,
            ..Action::option("", dest)
        }
    }

    pub fn with_choices(mut self, choices: Vec<&'static str>) -> Action {
        self.choices = Some(choices);
        self
    }

    /// argparse's `_get_action_name`: how errors name this argument.
    fn display_name(&self) -> String {
        if self.option_strings.is_empty() {
            self.dest.clone()
        } else {
            self.option_strings.join("/")
        }
    }
}

/// A parsed value, as it lands in argparse's namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgValue {
    Str(String),
    List(Vec<String>),
    Bool(bool),
}

/// Parsed values by `dest`; a dest that was not given is absent (its default is `None`, except
/// `store_true`/`store_false` flags whose defaults the caller knows).
pub type Namespace = IndexMap<String, ArgValue>;

/// Why parsing stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseExit {
    /// A usage error: the reference prints the usage banner, then `aws: error: <message>`, and exits 2.
    Error(String),
    /// `--version`: the text goes to stdout with a newline, exit 0.
    Version(String),
}

/// A parser: its actions in the order they were added.
#[derive(Debug, Clone, Default)]
pub struct Parser {
    pub actions: Vec<Action>,
}

/// One classified argv string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pattern {
    Arg,
    Opt,
    DoubleDash,
}

/// An option found at an index of argv: which action (if any), the option string matched and the
/// `=value` part.
#[derive(Debug, Clone)]
struct OptionHit {
    action: Option<usize>,
    option_string: String,
    explicit_arg: Option<String>,
}

impl Parser {
    pub fn new(actions: Vec<Action>) -> Parser {
        Parser { actions }
    }

    fn option_index(&self, option_string: &str) -> Option<usize> {
        self.actions
            .iter()
            .position(|a| a.option_strings.iter().any(|o| o == option_string))
    }

    /// All option strings in the order they were added (argparse's `_option_string_actions`).
    fn option_strings(&self) -> impl Iterator<Item = (usize, &str)> {
        self.actions
            .iter()
            .enumerate()
            .flat_map(|(i, a)| a.option_strings.iter().map(move |o| (i, o.as_str())))
    }

    /// argparse's `_parse_optional`: is this string an option, and which?
    fn parse_optional(&self, arg: &str) -> Result<Option<OptionHit>, ParseExit> {
        if arg.is_empty() || !arg.starts_with('-') {
            return Ok(None);
        }
        if let Some(i) = self.option_index(arg) {
            return Ok(Some(OptionHit {
                action: Some(i),
                option_string: arg.into(),
                explicit_arg: None,
            }));
        }
        if arg.chars().count() == 1 {
            return Ok(None);
        }
        if let Some((option, explicit)) = arg.split_once('=') {
            if let Some(i) = self.option_index(option) {
                return Ok(Some(OptionHit {
                    action: Some(i),
                    option_string: option.into(),
                    explicit_arg: Some(explicit.into()),
                }));
            }
        }
        let tuples = self.option_tuples(arg);
        if tuples.len() > 1 {
            let matches: Vec<&str> = tuples.iter().map(|t| t.option_string.as_str()).collect();
            return Err(ParseExit::Error(format!(
                "ambiguous option: {arg} could match {}",
                matches.join(", ")
            )));
        }
        if let Some(hit) = tuples.into_iter().next() {
            return Ok(Some(hit));
        }
        if looks_like_negative_number(arg) {
            return Ok(None);
        }
        if arg.contains(' ') {
            return Ok(None);
        }
        Ok(Some(OptionHit {
            action: None,
            option_string: arg.into(),
            explicit_arg: None,
        }))
    }

    /// argparse's `_get_option_tuples`: unique-prefix matches (`allow_abbrev`).
    fn option_tuples(&self, arg: &str) -> Vec<OptionHit> {
        let mut result = Vec::new();
        let second_is_dash = arg.chars().nth(1) == Some('-');
        if second_is_dash {
            let (prefix, explicit) = match arg.split_once('=') {
                Some((p, e)) => (p, Some(e.to_string())),
                None => (arg, None),
            };
            for (i, option) in self.option_strings() {
                if option.starts_with(prefix) {
                    result.push(OptionHit {
                        action: Some(i),
                        option_string: option.into(),
                        explicit_arg: explicit.clone(),
                    });
                }
            }
        } else {
            let short: String = arg.chars().take(2).collect();
            let short_explicit: String = arg.chars().skip(2).collect();
            for (i, option) in self.option_strings() {
                if option == short {
                    result.push(OptionHit {
                        action: Some(i),
                        option_string: option.into(),
                        explicit_arg: Some(short_explicit.clone()),
                    });
                } else if option.starts_with(arg) {
                    result.push(OptionHit {
                        action: Some(i),
                        option_string: option.into(),
                        explicit_arg: None,
                    });
                }
            }
        }
        result
    }

    /// argparse's `parse_known_args`: the namespace and the strings no action claimed, in order.
    pub fn parse_known_args(&self, args: &[String]) -> Result<(Namespace, Vec<String>), ParseExit> {
        let mut state = ParseState {
            parser: self,
            namespace: Namespace::new(),
            seen: vec![false; self.actions.len()],
        };
        let extras = state.run(args)?;
        Ok((state.namespace, extras))
    }
}

struct ParseState<'p> {
    parser: &'p Parser,
    namespace: Namespace,
    seen: Vec<bool>,
}

impl ParseState<'_> {
    fn run(&mut self, args: &[String]) -> Result<Vec<String>, ParseExit> {
        // Classify every string first: an ambiguous option is an error before any action runs.
        let mut pattern = Vec::with_capacity(args.len());
        let mut hits: Vec<Option<OptionHit>> = Vec::with_capacity(args.len());
        let mut after_double_dash = false;
        for arg in args {
            if after_double_dash {
                pattern.push(Pattern::Arg);
                hits.push(None);
            } else if arg == "--" {
                after_double_dash = true;
                pattern.push(Pattern::DoubleDash);
                hits.push(None);
            } else {
                match self.parser.parse_optional(arg)? {
                    Some(hit) => {
                        pattern.push(Pattern::Opt);
                        hits.push(Some(hit));
                    }
                    None => {
                        pattern.push(Pattern::Arg);
                        hits.push(None);
                    }
                }
            }
        }
        let option_indices: Vec<usize> = (0..args.len()).filter(|i| hits[*i].is_some()).collect();
        let mut positionals: Vec<usize> = (0..self.parser.actions.len())
            .filter(|i| self.parser.actions[*i].option_strings.is_empty())
            .collect();
        let mut extras: Vec<String> = Vec::new();
        let mut start = 0usize;
        let max_option = option_indices.last().copied();
        while max_option.is_some_and(|max| start <= max) {
            let next_option = option_indices
                .iter()
                .copied()
                .find(|i| *i >= start)
                .unwrap_or(args.len());
            if start != next_option {
                let end = self.consume_positionals(&mut positionals, args, &pattern, start)?;
                if end > start {
                    start = end;
                    continue;
                }
                start = end;
            }
            if hits[start].is_none() {
                extras.extend(args[start..next_option].iter().cloned());
                start = next_option;
            }
            start = self.consume_optional(args, &pattern, &hits, start, &mut extras)?;
        }
        let stop = self.consume_positionals(&mut positionals, args, &pattern, start)?;
        extras.extend(args[stop..].iter().cloned());

        let missing: Vec<String> = self
            .parser
            .actions
            .iter()
            .enumerate()
            .filter(|(i, a)| a.required && !self.seen[*i])
            .map(|(_, a)| a.display_name())
            .collect();
        if !missing.is_empty() {
            return Err(ParseExit::Error(format!(
                "the following arguments are required: {}",
                missing.join(", ")
            )));
        }
        Ok(extras)
    }

    fn consume_optional(
        &mut self,
        args: &[String],
        pattern: &[Pattern],
        hits: &[Option<OptionHit>],
        start: usize,
        extras: &mut Vec<String>,
    ) -> Result<usize, ParseExit> {
        // `hits[start]` is Some: the caller only calls this at option indices.
        let Some(hit) = &hits[start] else {
            extras.push(args[start].clone());
            return Ok(start + 1);
        };
        let Some(index) = hit.action else {
            extras.push(args[start].clone());
            return Ok(start + 1);
        };
        let action = &self.parser.actions[index];
        if let Some(explicit) = &hit.explicit_arg {
            // Only long options exist here, so a flag with `=value` is an error.
            let count = match_count(action.nargs, &[Pattern::Arg]);
            if count == Some(1) {
                self.take_action(index, vec![explicit.clone()])?;
                return Ok(start + 1);
            }
            return Err(argument_error(
                action,
                &format!("ignored explicit argument {}", repr_str(explicit)),
            ));
        }
        let rest = &pattern[start + 1..];
        let count = match match_count(action.nargs, rest) {
            Some(count) => count,
            None => return Err(argument_error(action, nargs_error(action.nargs))),
        };
        let values = args[start + 1..start + 1 + count].to_vec();
        self.take_action(index, values)?;
        Ok(start + 1 + count)
    }

    fn consume_positionals(
        &mut self,
        positionals: &mut Vec<usize>,
        args: &[String],
        pattern: &[Pattern],
        mut start: usize,
    ) -> Result<usize, ParseExit> {
        let counts = match_positionals_partial(
            &positionals
                .iter()
                .map(|i| self.parser.actions[*i].nargs)
                .collect::<Vec<_>>(),
            &pattern[start..],
        );
        let taken = counts.len();
        for (slot, count) in counts.into_iter().enumerate() {
            let values = args[start..start + count].to_vec();
            start += count;
            self.take_action(positionals[slot], values)?;
        }
        positionals.drain(..taken);
        Ok(start)
    }

    /// argparse's `take_action` + `_get_values`: convert, check choices, store.
    fn take_action(&mut self, index: usize, mut values: Vec<String>) -> Result<(), ParseExit> {
        self.seen[index] = true;
        let action = &self.parser.actions[index];
        if let Some(pos) = values.iter().position(|v| v == "--") {
            values.remove(pos);
        }
        let value = match (&action.kind, action.nargs) {
            (ActionKind::StoreTrue, _) => Some(ArgValue::Bool(true)),
            (ActionKind::StoreFalse, _) => Some(ArgValue::Bool(false)),
            (ActionKind::Version(text), _) => return Err(ParseExit::Version(text.clone())),
            (ActionKind::Store, Nargs::Optional) if values.is_empty() => {
                match action
                    .constant
                    .clone()
                    .filter(|_| !action.option_strings.is_empty())
                {
                    Some(constant) => {
                        check_value(action, &constant)?;
                        Some(ArgValue::Str(constant))
                    }
                    None => None,
                }
            }
            (ActionKind::Store, Nargs::One | Nargs::Optional) if values.len() == 1 => {
                let value = values.remove(0);
                convert(action, &value)?;
                check_value(action, &value)?;
                Some(ArgValue::Str(value))
            }
            (ActionKind::Store, _) => {
                for v in &values {
                    convert(action, v)?;
                    check_value(action, v)?;
                }
                Some(ArgValue::List(values))
            }
        };
        match value {
            Some(v) => {
                self.namespace.insert(action.dest.clone(), v);
            }
            None => {
                self.namespace.shift_remove(&action.dest);
            }
        }
        Ok(())
    }
}

fn looks_like_negative_number(arg: &str) -> bool {
    // `^-\d+$|^-\d*\.\d+$` (Python's \d is Unicode digits; ASCII covers what shells pass in practice,
    // and non-ASCII digits fall through to the same "unknown option" path argparse would take for
    // most of them).
    let Some(rest) = arg.strip_prefix('-') else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if digits(rest) {
        return true;
    }
    match rest.split_once('.') {
        Some((int, frac)) => (int.is_empty() || digits(int)) && digits(frac),
        None => false,
    }
}

/// How many strings an action's nargs pattern matches at the start of `rest` (argparse's
/// `_match_argument`), or None when it doesn't match. Options never see `--` (it stops them).
fn match_count(nargs: Nargs, rest: &[Pattern]) -> Option<usize> {
    let args_run = rest.iter().take_while(|p| **p == Pattern::Arg).count();
    match nargs {
        Nargs::Zero => Some(0),
        Nargs::One => (args_run >= 1).then_some(1),
        Nargs::Optional => Some(args_run.min(1)),
        Nargs::ZeroOrMore => Some(args_run),
        Nargs::OneOrMore => (args_run >= 1).then_some(args_run),
    }
}

/// argparse's `_match_arguments_partial` for positionals: the counts for the longest prefix of the
/// positionals whose concatenated patterns match, each group greedy as Python's `re` makes it.
fn match_positionals_partial(nargs: &[Nargs], rest: &[Pattern]) -> Vec<usize> {
    for n in (1..=nargs.len()).rev() {
        if let Some(counts) = match_sequence(&nargs[..n], rest, 0) {
            return counts;
        }
    }
    Vec::new()
}

/// Backtracking match of positional patterns (`-*A-*`, `-*A?-*`, `-*[A-]*`, `-*A[A-]*`) against the
/// pattern, from `pos`; returns each group's length. Greedy first, like `re`.
fn match_sequence(nargs: &[Nargs], rest: &[Pattern], pos: usize) -> Option<Vec<usize>> {
    let Some((first, others)) = nargs.split_first() else {
        return Some(Vec::new());
    };
    let mut candidates: Vec<usize> = Vec::new();
    let dashes = |from: usize| {
        rest[from..]
            .iter()
            .take_while(|p| **p == Pattern::DoubleDash)
            .count()
    };
    let leading = dashes(pos);
    let after_leading = pos + leading;
    match first {
        Nargs::Zero => candidates.push(0),
        Nargs::One | Nargs::Optional => {
            let has_a = rest.get(after_leading) == Some(&Pattern::Arg);
            let mut push_with = |consumed_a: usize| {
                let after_a = after_leading + consumed_a;
                let trailing = dashes(after_a);
                // Greedy `-*`: longest trailing run first.
                for t in (0..=trailing).rev() {
                    candidates.push(leading + consumed_a + t);
                }
            };
            if has_a {
                push_with(1);
            }
            if *first == Nargs::Optional {
                push_with(0);
            }
        }
        Nargs::ZeroOrMore | Nargs::OneOrMore => {
            let run = rest[after_leading..]
                .iter()
                .take_while(|p| matches!(p, Pattern::Arg | Pattern::DoubleDash))
                .count();
            let needs_a = *first == Nargs::OneOrMore;
            if !needs_a || rest.get(after_leading) == Some(&Pattern::Arg) {
                let min = usize::from(needs_a);
                for len in (min..=run).rev() {
                    candidates.push(leading + len);
                }
            }
        }
    }
    // Giving back leading dashes only matters with several positionals, which no parser here has.
    for count in candidates {
        if let Some(mut tail) = match_sequence(others, rest, pos + count) {
            tail.insert(0, count);
            return Some(tail);
        }
    }
    None
}

fn nargs_error(nargs: Nargs) -> &'static str {
    match nargs {
        Nargs::One => "expected one argument",
        Nargs::Optional => "expected at most one argument",
        Nargs::OneOrMore => "expected at least one argument",
        // `*` and flags always match.
        Nargs::ZeroOrMore | Nargs::Zero => "expected one argument",
    }
}

fn argument_error(action: &Action, message: &str) -> ParseExit {
    ParseExit::Error(format!("argument {}: {}", action.display_name(), message))
}

/// Applies argparse's `type=` conversion, reporting `invalid int value: 'x'`.
fn convert(action: &Action, value: &str) -> Result<(), ParseExit> {
    let ok = match action.conversion {
        Conversion::None => true,
        Conversion::Int => crate::python::number::parse_int(value).is_ok(),
        Conversion::Float => crate::python::number::parse_float(value).is_ok(),
    };
    if ok {
        return Ok(());
    }
    let type_name = match action.conversion {
        Conversion::Int => "int",
        _ => "float",
    };
    Err(argument_error(
        action,
        &format!("invalid {type_name} value: {}", repr_str(value)),
    ))
}

/// awscli's `CLIArgParser._check_value`: choices in two 40-column-padded columns, then difflib's close
/// matches at cutoff 0.8.
fn check_value(action: &Action, value: &str) -> Result<(), ParseExit> {
    let Some(choices) = &action.choices else {
        return Ok(());
    };
    if choices.contains(&value) {
        return Ok(());
    }
    let mut lines = vec!["Invalid choice, valid choices are:\n".to_string()];
    for pair in choices.chunks(2) {
        let cells: Vec<String> = pair.iter().map(|c| format!("{c:<40}")).collect();
        lines.push(cells.join(" | "));
    }
    let possible = crate::python::difflib::get_close_matches(value, choices, 3, 0.8);
    if !possible.is_empty() {
        lines.push(format!(
            "\n\nInvalid choice: {}, maybe you meant:\n",
            repr_str(value)
        ));
        for word in possible {
            lines.push(format!("  * {word}"));
        }
    }
    Err(argument_error(action, &lines.join("\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(args: &[&str]) -> Vec<String> {
        args.iter().map(|a| a.to_string()).collect()
    }

    fn main_like() -> Parser {
        Parser::new(vec![
            Action::option("--region", "region"),
            Action::flag("--no-paginate", "paginate", ActionKind::StoreFalse),
            Action::flag("--no-sign-request", "sign_request", ActionKind::StoreFalse),
            Action::positional("command", Nargs::One).with_choices(vec!["lightsail", "help"]),
        ])
    }

    #[test]
    fn leftovers_keep_their_order_and_global_options_are_taken_anywhere() {
        let (ns, extras) = main_like()
            .parse_known_args(&s(&[
                "lightsail",
                "op",
                "--name",
                "a",
                "--reg",
                "x",
                "--no-p",
            ]))
            .expect("parses");
        assert_eq!(ns.get("region"), Some(&ArgValue::Str("x".into())));
        assert_eq!(ns.get("paginate"), Some(&ArgValue::Bool(false)));
        assert_eq!(extras, s(&["op", "--name", "a"]));
    }

    #[test]
    fn ambiguous_prefixes_and_missing_values_are_usage_errors() {
        let err = main_like()
            .parse_known_args(&s(&["--no", "lightsail"]))
            .unwrap_err();
        assert_eq!(
            err,
            ParseExit::Error(
                "ambiguous option: --no could match --no-paginate, --no-sign-request".into()
            )
        );
        let err = main_like()
            .parse_known_args(&s(&["lightsail", "--region"]))
            .unwrap_err();
        assert_eq!(
            err,
            ParseExit::Error("argument --region: expected one argument".into())
        );
        let err = main_like()
            .parse_known_args(&s(&["--region", "x"]))
            .unwrap_err();
        assert_eq!(
            err,
            ParseExit::Error("the following arguments are required: command".into())
        );
    }

    #[test]
    fn optional_positional_takes_the_first_free_argument() {
        let parser = Parser::new(vec![
            Action::option("--instance-name", "instance_name"),
            Action::positional("help", Nargs::Optional),
        ]);
        let (ns, extras) = parser
            .parse_known_args(&s(&["--instance-name", "a", "c", "d"]))
            .expect("parses");
        assert_eq!(ns.get("help"), Some(&ArgValue::Str("c".into())));
        assert_eq!(extras, s(&["d"]));
    }
}
