//! The command line: argv in, exit code out. Python argparse's algorithm ([`argparse`]), the global
//! options as data ([`global_options`]) and their post-parse checks ([`top_level`]), the operation's
//! parser built from the model ([`operation_parser`]), the three stacked parsers and dispatch
//! ([`driver`]), the run of one operation in the reference's order ([`invoke`]), the
//! invocation's resolved settings ([`settings`]), and the one place that turns every layer's error into
//! the reference's bytes and exit code ([`errors`]). This is the top layer: it may use every other module,
//! and no other module uses it.

pub mod argparse;
pub mod driver;
pub mod errors;
pub mod global_options;
pub mod invoke;
pub mod operation_parser;
pub mod settings;
pub mod top_level;
