//! `lightsail-cli`: the library behind the `aws` binary.
//!
//! One folder per stage of the pipeline (see `docs/architecture.md`), and dependencies point down it:
//! argv -> `cli` (argparse, global options, the driver) -> `params` (each parameter's text to a value)
//! -> `config` (config files, profiles, credentials) -> `call` (endpoint, SigV4, retries) over `http`
//! -> `response` (shaped by the `model`, paginated, `--query`, rendered as json | text | table), with
//! `help` beside them. Under everything: `model` (the compiled Lightsail model), `python` (the Python
//! built-ins whose bytes the reference prints) and `process` (stdio, environment, the panic hook).

pub mod call;
pub mod cli;
pub mod config;
pub mod help;
pub mod http;
pub mod model;
pub mod params;
pub mod process;
pub mod python;
pub mod response;
