//! The config and credentials files as botocore's `Session` presents them to `aws configure` and to the
//! completer: `full_config` in file order (the profile map of both files, and the config file's other
//! sections such as `[preview]` and `[plugins]`), `available_profiles`, `get_scoped_config` and the
//! `profile`, `config_file` and `credentials_file` settings.
//!
//! The files are read with the config layer's parser ([`crate::config::read_ini_file`]); this module only
//! keeps what `config::FullConfig` does not: the order of the profiles (the completer lists them in it)
//! and the sections that are not profiles.

use crate::config::{self, ConfigError, ConfigValue, Section};

/// botocore's view of both files.
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// The `config_file` setting as given: `AWS_CONFIG_FILE`, else `~/.aws/config` (not expanded).
    pub config_file: String,
    /// The `credentials_file` setting: `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
    pub credentials_file: String,
    /// The `profile` setting: `--profile`, else `AWS_DEFAULT_PROFILE`, else `AWS_PROFILE`.
    pub profile: Option<String>,
    /// Whether `profile` came from `--profile`.
    pub explicit_profile: bool,
    /// `full_config['profiles']`: `[default]` and `[profile NAME]` of the config file in file order, then
    /// the credentials file's sections merged in (new names appended, known ones updated key by key).
    pub profiles: Vec<(String, Section)>,
    /// The config file's sections that are neither profiles nor `sso-session`/`services` sections.
    pub other_sections: Vec<(String, Section)>,
}

impl Session {
    /// Reads both files. `profile_option` is `--profile`; `env` the process environment.
    pub fn load(
        profile_option: Option<&str>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Session, ConfigError> {
        let config_file = env("AWS_CONFIG_FILE").unwrap_or_else(|| "~/.aws/config".into());
        let credentials_file =
            env("AWS_SHARED_CREDENTIALS_FILE").unwrap_or_else(|| "~/.aws/credentials".into());
        let home = env("HOME");
        let mut session = Session {
            profile: profile_option
                .map(str::to_owned)
                .or_else(|| env("AWS_DEFAULT_PROFILE"))
                .or_else(|| env("AWS_PROFILE")),
            explicit_profile: profile_option.is_some(),
            ..Session::default()
        };
        let config_path = config::expand_path(&config_file, home.as_deref(), env);
        for (name, section) in config::read_ini_file(&config_path)? {
            if name.starts_with("profile") {
                if let Some(profile) = section_suffix(&name) {
                    replace(&mut session.profiles, profile, section);
                }
            } else if name.starts_with("sso-session") || name.starts_with("services") {
                // Sections of their own kind; nothing here reads them.
            } else if name == "default" {
                replace(&mut session.profiles, name, section);
            } else {
                session.other_sections.push((name, section));
            }
        }
        let credentials_path = config::expand_path(&credentials_file, home.as_deref(), env);
        for (name, section) in config::read_ini_file(&credentials_path)? {
            match session.profiles.iter_mut().find(|(n, _)| *n == name) {
                Some((_, existing)) => {
                    for (key, value) in section {
                        set(existing, key, value);
                    }
                }
                None => session.profiles.push((name, section)),
            }
        }
        session.config_file = config_file;
        session.credentials_file = credentials_file;
        Ok(session)
    }

    /// `session.available_profiles`: the profile names in `full_config` order.
    pub fn available_profiles(&self) -> impl Iterator<Item = &str> {
        self.profiles.iter().map(|(name, _)| name.as_str())
    }

    /// `full_config['profiles'].get(name)`.
    pub fn profile_section(&self, name: &str) -> Option<&Section> {
        self.profiles
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
    }

    /// `full_config.get(name)` for a section that is not a profile (`preview`, `plugins`, ...).
    pub fn other_section(&self, name: &str) -> Option<&Section> {
        self.other_sections
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
    }

    /// `session.get_scoped_config()`: the selected profile's settings, `[default]`'s (or none) when no
    /// profile is selected, `ProfileNotFound` for a profile neither file has.
    pub fn scoped_config(&self) -> Result<Section, ConfigError> {
        match &self.profile {
            None => Ok(self.profile_section("default").cloned().unwrap_or_default()),
            Some(name) => self
                .profile_section(name)
                .cloned()
                .ok_or_else(|| ConfigError::ProfileNotFound(name.clone())),
        }
    }
}

/// A key's value in a section (the first occurrence; the parser keeps one per key).
pub fn get<'a>(section: &'a Section, key: &str) -> Option<&'a ConfigValue> {
    section.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn set(section: &mut Section, key: String, value: ConfigValue) {
    match section.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = value,
        None => section.push((key, value)),
    }
}

/// `profiles.update({name: section})`: a known name keeps its place and takes the new section.
fn replace(profiles: &mut Vec<(String, Section)>, name: String, section: Section) {
    match profiles.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = section,
        None => profiles.push((name, section)),
    }
}

/// `[profile NAME]` -> `NAME`: botocore's `shlex.split` of the section name, which must give two words.
fn section_suffix(name: &str) -> Option<String> {
    let words = crate::python::shlex::split(name).ok()?;
    match <[String; 2]>::try_from(words) {
        Ok([_, second]) => Some(second),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session_from(config: &str, credentials: &str) -> Session {
        let dir = std::env::temp_dir().join(format!(
            "configure-session-{}-{}",
            std::process::id(),
            config.len() * 31 + credentials.len()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(dir.join("config"), config).expect("write config");
        std::fs::write(dir.join("credentials"), credentials).expect("write credentials");
        let config_path = dir.join("config").to_string_lossy().into_owned();
        let credentials_path = dir.join("credentials").to_string_lossy().into_owned();
        let env = move |name: &str| match name {
            "AWS_CONFIG_FILE" => Some(config_path.clone()),
            "AWS_SHARED_CREDENTIALS_FILE" => Some(credentials_path.clone()),
            _ => None,
        };
        let session = Session::load(None, &env).expect("files parse");
        let _ = std::fs::remove_dir_all(&dir);
        session
    }

    #[test]
    fn profiles_keep_botocore_order() {
        // The order recorded from the reference's completer (`aws --profile<TAB>`, completer/profile-*).
        let session = session_from(
            "[default]\n[profile dev]\n[preview]\nx = 1\n[profile \"spaced name\"]\n[profile]\n\
             [profilex prod]\n[profile default]\n[profile a b]\n",
            "[ci]\n[dev]\n[default]\n",
        );
        let names: Vec<_> = session.available_profiles().collect();
        assert_eq!(names, ["default", "dev", "spaced name", "prod", "ci"]);
        assert!(session.other_section("preview").is_some());
    }
}
