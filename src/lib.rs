//! `lightsail-cli`: the library behind the `aws` binary.
//!
//! Data flows one way through these modules (see `docs/architecture.md`):
//! argv -> invocation -> request -> signed call -> response -> shaped by the model -> --query -> output.

pub mod argparse;
pub mod argprocess;
pub mod calendar;
pub mod call;
pub mod cli_input_json;
pub mod clidriver;
pub mod config;
pub mod credentials;
pub mod difflib;
pub mod errors;
pub mod formatter;
pub mod global_options;
pub mod help;
pub mod help_entry;
pub mod invoke;
pub mod jmespath;
pub mod json_decode;
pub mod json_encode;
pub mod model;
pub mod paginate;
pub mod panic_report;
pub mod paramfile;
pub mod python;
pub mod query;
pub mod settings;
pub mod shape_response;
pub mod shorthand;
pub mod skeleton;
pub mod top_level;
pub mod validate;
pub mod value;
