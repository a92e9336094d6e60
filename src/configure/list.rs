//! `aws configure list`: the profile, access key, secret key and region in use, with where each came
//! from, as awscli's `ConfigureListCommand` prints them (`'%10s %24s %16s    %s'`, keys masked).
//!
//! The rows are printed as they are found, so a failure after the profile row (a profile that does not
//! exist, partial credentials) leaves the rows before it on stdout, as in the reference.

use super::mask_value;

/// One row: value, type and location (Python's `None` prints as `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub value: String,
    pub kind: Option<String>,
    pub location: Option<String>,
}

impl Row {
    /// `ConfigValue(NOT_SET, None, None)`.
    pub fn not_set() -> Row {
        Row {
            value: "<not set>".into(),
            kind: None,
            location: None,
        }
    }

    pub fn new(value: &str, kind: &str, location: &str) -> Row {
        Row {
            value: value.into(),
            kind: Some(kind.into()),
            location: Some(location.into()),
        }
    }
}

/// `'%10s %24s %16s    %s\n' % (name, value, type, location)`.
pub fn format_row(name: &str, row: &Row) -> String {
    let none = |v: &Option<String>| v.clone().unwrap_or_else(|| "None".into());
    format!(
        "{} {} {}    {}\n",
        pad(name, 10),
        pad(&row.value, 24),
        pad(&none(&row.kind), 16),
        none(&row.location)
    )
}

/// The two header lines.
pub fn header() -> String {
    format_row("Name", &Row::new("Value", "Type", "Location"))
        + &format_row("----", &Row::new("-----", "----", "--------"))
}

/// The profile row: `--profile` (`manual`), else `AWS_DEFAULT_PROFILE` / `AWS_PROFILE` (`env`).
pub fn profile_row(option: Option<&str>, env: &dyn Fn(&str) -> Option<String>) -> Row {
    if let Some(profile) = option {
        return Row::new(profile, "manual", "--profile");
    }
    match env("AWS_DEFAULT_PROFILE").or_else(|| env("AWS_PROFILE")) {
        Some(profile) => Row::new(&profile, "env", "['AWS_DEFAULT_PROFILE', 'AWS_PROFILE']"),
        None => Row::not_set(),
    }
}

/// The access and secret key rows for credentials found by `method` (masked, no location), or `<not
/// set>` when there are none.
pub fn credential_rows(found: Option<(&str, &str, &str)>) -> (Row, Row) {
    match found {
        Some((access_key, secret_key, method)) => (
            Row::new(&mask_value(Some(access_key)), method, ""),
            Row::new(&mask_value(Some(secret_key)), method, ""),
        ),
        None => (Row::not_set(), Row::not_set()),
    }
}

/// The region row: `AWS_DEFAULT_REGION` (`env`), else the profile's `region` (`config-file`, located by
/// the `config_file` setting as given).
pub fn region_row(
    env: &dyn Fn(&str) -> Option<String>,
    profile_region: Option<&str>,
    config_file: &str,
) -> Row {
    if let Some(region) = env("AWS_DEFAULT_REGION") {
        return Row::new(&region, "env", "AWS_DEFAULT_REGION");
    }
    match profile_region {
        Some(region) => Row::new(region, "config-file", config_file),
        None => Row::not_set(),
    }
}

/// `'%Ns' % text`: right-aligned in `width` characters, never cut.
fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{}{text}", " ".repeat(width.saturating_sub(len)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_laid_out_like_the_reference() {
        assert_eq!(
            header(),
            "      Name                    Value             Type    Location\n      \
             ----                    -----             ----    --------\n"
        );
        assert_eq!(
            format_row("profile", &Row::not_set()),
            "   profile                <not set>             None    None\n"
        );
    }
}
