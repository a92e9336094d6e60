//! The resolved configuration of one invocation, as the driver needs it: region, output format,
//! parameter validation, URL following, timestamp format. (Temporary: environment only, until the
//! config layer lands.)

use crate::clidriver::{Context, Globals};
use crate::errors::CliError;
use crate::formatter::OutputFormat;

pub struct Settings {
    region: Option<String>,
    output: String,
}

impl Settings {
    pub fn resolve(globals: &Globals, cx: &Context<'_>) -> Result<Settings, CliError> {
        Ok(Settings {
            region: globals
                .region
                .clone()
                .or_else(|| (cx.env)("AWS_DEFAULT_REGION")),
            output: globals
                .output
                .clone()
                .or_else(|| (cx.env)("AWS_DEFAULT_OUTPUT"))
                .unwrap_or_else(|| "json".into()),
        })
    }

    pub fn require_region(&self) -> Result<(), CliError> {
        match self.region {
            Some(_) => Ok(()),
            None => Err(CliError::Plain(
                "You must specify a region. You can also configure your region by running \"aws configure\".".into(),
            )),
        }
    }

    pub fn output_format(&self) -> Result<OutputFormat, CliError> {
        OutputFormat::parse(&self.output).map_err(|e| CliError::Exception(e.to_string()))
    }

    pub fn follow_urls(&self) -> bool {
        true
    }

    pub fn parameter_validation(&self) -> bool {
        true
    }
}
