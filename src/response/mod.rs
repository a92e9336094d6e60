//! The response, from the service's JSON to the bytes on stdout: shaped by the model's output shape
//! ([`shape`]), pages followed and merged ([`paginate`]), `--query` applied ([`query`], on the
//! [`jmespath`] engine), then rendered as json, text or table ([`formatter`]).

pub mod formatter;
pub mod jmespath;
pub mod paginate;
pub mod query;
pub mod shape;
