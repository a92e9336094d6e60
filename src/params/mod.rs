//! Parameters: from the operation's arguments to the request's input value, as the reference builds it.
//! One argument's text becomes a value by the model's shape ([`argprocess`]): `file://` and URLs
//! ([`paramfile`]), shorthand ([`shorthand`]) or JSON. `--cli-input-json` is merged in
//! ([`cli_input_json`]), `--generate-cli-skeleton` is answered ([`skeleton`]), botocore's client-side
//! validation runs last ([`validate`]), then timestamps become epoch seconds ([`timestamp`]).

pub mod argprocess;
pub mod cli_input_json;
pub mod paramfile;
pub mod shorthand;
pub mod skeleton;
pub mod timestamp;
pub mod validate;
