//! The resolved configuration of one invocation, as the driver needs it: the config layer's
//! [`ResolvedConfig`] built from the global options, plus the output format and the flags that
//! parameter loading reads.

use super::errors::CliError;
use super::global_options::Globals;
use crate::config::{self, GlobalArgs, ResolvedConfig};
use crate::process::Context;
use crate::response::formatter::OutputFormat;

pub struct Settings {
    pub config: ResolvedConfig,
}

impl Settings {
    /// Reads the config and credentials files and the environment, with the global options on top.
    pub fn resolve(globals: &Globals, cx: &Context<'_>) -> Result<Settings, CliError> {
        let timeouts = crate::cli::top_level::timeouts(globals)?;
        let args = GlobalArgs {
            region: globals.region.clone(),
            endpoint_url: globals.endpoint_url.clone(),
            profile: globals.profile.clone(),
            no_sign_request: !globals.sign_request,
            no_verify_ssl: !globals.verify_ssl,
            ca_bundle: globals.ca_bundle.clone(),
            cli_read_timeout: timeouts.read.map(|n| n.max(0) as u64),
            cli_connect_timeout: timeouts.connect.map(|n| n.max(0) as u64),
            debug: globals.debug,
            output: globals.output.clone(),
        };
        Ok(Settings {
            config: config::resolve(&args, cx.env)?,
        })
    }

    /// `--output`, `AWS_DEFAULT_OUTPUT`, the profile's `output`, else json; an unknown name fails
    /// with `Unknown output type: X`.
    pub fn output_format(&self) -> Result<OutputFormat, CliError> {
        Ok(OutputFormat::parse(&self.config.output)?)
    }

    /// `cli_follow_urlparam`: URLs in parameter values are fetched unless it is set to false.
    pub fn follow_urls(&self) -> bool {
        self.config
            .profile_value("cli_follow_urlparam")
            .is_none_or(config::ensure_boolean)
    }

    pub fn parameter_validation(&self) -> bool {
        self.config.parameter_validation
    }
}
