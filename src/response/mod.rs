//! The response, from the service's JSON to the bytes on stdout: shaped by the model's output shape
//! ([`shape`]), pages followed and merged ([`paginate`]), `--query` applied ([`query`], on the
//! [`jmespath`] engine), then rendered as json, text or table ([`formatter`]). The json output of a
//! listing without `--query` is made in one pass from the response bytes ([`json_listing`]); for the
//! other outputs a page is read straight into its shaped value (`shaped_decode`); both fast paths
//! hand any page they do not cover to the faithful decode-then-shape path.

pub mod formatter;
pub mod jmespath;
mod json_cursor;
pub mod json_listing;
pub mod paginate;
pub mod query;
pub mod shape;
mod shaped_decode;
