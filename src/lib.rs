//! `lightsail-cli`: the library behind the `aws` binary.
//!
//! Data flows one way through these modules (see `docs/architecture.md`):
//! argv -> invocation -> request -> signed call -> response -> shaped by the model -> --query -> output.

pub mod call;
pub mod config;
pub mod credentials;
pub mod model;
pub mod value;
