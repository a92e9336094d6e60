//! `lightsail-cli`: the library behind the `aws` binary.
//!
//! Data flows one way through these modules (see `docs/architecture.md`):
//! argv -> invocation -> request -> signed call -> response -> shaped by the model -> --query -> output.

pub mod argprocess;
pub mod json_decode;
pub mod model;
pub mod paramfile;
pub mod pynum;
mod pynum_tables;
pub mod shorthand;
pub mod value;
