//! The wire: HTTP/1.1, TLS, SigV4, Lightsail's JSON 1.1 framing, fault injection, the request journal
//! and the admin endpoints. Nothing here knows what a resource is; it hands admitted, validated calls
//! to the engine.

pub mod admin;
pub mod faults;
pub mod http;
pub mod journal;
pub mod server;
pub mod sigv4;
pub mod tls;
