//! `lightsail-cli`: the library behind the `aws` binary.
//!
//! Data flows one way through these modules (see `docs/architecture.md`):
//! argv -> invocation -> request -> signed call -> response -> shaped by the model -> --query -> output.

pub mod formatter;
pub mod json_encode;
pub mod model;
pub mod shape_response;
pub mod value;
