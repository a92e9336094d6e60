//! Service errors as Lightsail's front end sends them.
//!
//! Two families: Lightsail's own modeled exceptions (`InvalidInputException`, `NotFoundException`, ...),
//! whose body is `{"__type", "code", "docs", "message", "tip"}` in the model's member order, and the
//! request-handling framework's errors (signature, throttling, serialization, unknown operation), whose
//! `__type` carries a `com.amazon.coral.*#` namespace prefix that clients strip. The model defines no
//! `httpStatusCode` for Lightsail's exceptions, so they are answered with 400 (ServiceException with 500).
//!
//! Families build their errors with the constructors here, never by hand, so every error has
//! Lightsail's shape. Which messages are known from the service and which are ours: emulator README,
//! "Error messages".

use serde_json::{Map, Value};

/// Where Lightsail's error bodies point users to.
pub const DOCS_URL: &str = "https://lightsail.aws.amazon.com/ls/docs";

/// One error response: status, `__type`, and the body's other members in order.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub type_name: String,
    pub fields: Vec<(&'static str, String)>,
}

impl ApiError {
    fn lightsail(status: u16, exception: &str, code: &str, message: String, tip: &str) -> ApiError {
        ApiError {
            status,
            type_name: exception.to_string(),
            fields: vec![
                ("code", code.to_string()),
                ("docs", DOCS_URL.to_string()),
                ("message", message),
                ("tip", tip.to_string()),
            ],
        }
    }

    fn framework(status: u16, type_name: &str, message: Option<String>) -> ApiError {
        ApiError {
            status,
            type_name: type_name.to_string(),
            fields: message.map(|m| vec![("message", m)]).unwrap_or_default(),
        }
    }

    pub fn invalid_input(code: &str, message: String) -> ApiError {
        ApiError::lightsail(
            400,
            "InvalidInputException",
            code,
            message,
            "Please check your input and try again",
        )
    }

    pub fn not_found(resource_kind: &str, name: &str) -> ApiError {
        ApiError::lightsail(
            400,
            "NotFoundException",
            "DoesNotExist",
            format!("The {resource_kind} does not exist: {name}"),
            "Please check the name of the resource",
        )
    }

    /// A name (or several, comma-separated) that a resource of the same type already uses.
    pub fn name_in_use(names: &str) -> ApiError {
        ApiError::invalid_input(
            "NameExists",
            format!("Some names are already in use: {names}"),
        )
    }

    /// An operation that is not possible in the resource's current state (attach an attached disk,
    /// start a running database, ...).
    pub fn operation_failure(message: String) -> ApiError {
        ApiError::lightsail(
            400,
            "OperationFailureException",
            "OperationFailure",
            message,
            "Please check the state of the resource and try again",
        )
    }

    /// The caller may not do this.
    pub fn access_denied(message: String) -> ApiError {
        ApiError::lightsail(
            400,
            "AccessDeniedException",
            "AccessDenied",
            message,
            "Please check your permissions and try again",
        )
    }

    /// A domain operation called outside us-east-1. The service's own message and code, as quoted in
    /// clouddrove/terraform-aws-lightsail issue 12 (2023; rebuy-de/aws-nuke pull request 138 quotes
    /// an older wording ending "edit these resources.").
    pub fn domain_region() -> ApiError {
        ApiError::invalid_input(
            "UnsupportedOperation",
            "Domain-related APIs are only available in the us-east-1 Region. Please set your Region \
             configuration to us-east-1 to create, view, or edit domain resources."
                .to_string(),
        )
    }

    /// A distribution operation called outside us-east-1. The first sentence is the service's (quoted
    /// in the Terraform AWS provider's sweeper, `SkipSweepError`); the second is ours, worded as the
    /// model documents the rule ("Set your Amazon Web Services Region configuration to us-east-1 to
    /// create, view, or edit distributions"); the code is ours, after the domain error's.
    pub fn distribution_region() -> ApiError {
        ApiError::invalid_input(
            "UnsupportedOperation",
            "Distribution-related APIs are only available in the us-east-1 Region. Please set your \
             Region configuration to us-east-1 to create, view, or edit distributions."
                .to_string(),
        )
    }

    pub fn service(message: String) -> ApiError {
        ApiError::lightsail(
            500,
            "ServiceException",
            "InternalError",
            message,
            "Please try again later",
        )
    }

    pub fn unrecognized_client() -> ApiError {
        ApiError::framework(
            400,
            "com.amazon.coral.service#UnrecognizedClientException",
            Some("The security token included in the request is invalid.".to_string()),
        )
    }

    pub fn invalid_signature(message: String) -> ApiError {
        ApiError::framework(
            400,
            "com.amazon.coral.service#InvalidSignatureException",
            Some(message),
        )
    }

    pub fn signature_mismatch() -> ApiError {
        ApiError::invalid_signature(
            "The request signature we calculated does not match the signature you provided. Check your \
             AWS Secret Access Key and signing method. Consult the service documentation for details."
                .to_string(),
        )
    }

    pub fn incomplete_signature(message: String) -> ApiError {
        ApiError::framework(
            400,
            "com.amazon.coral.service#IncompleteSignatureException",
            Some(message),
        )
    }

    pub fn missing_authentication_token() -> ApiError {
        ApiError::framework(
            400,
            "com.amazon.coral.service#MissingAuthenticationTokenException",
            Some("Missing Authentication Token".to_string()),
        )
    }

    pub fn unknown_operation() -> ApiError {
        ApiError::framework(
            400,
            "com.amazon.coral.service#UnknownOperationException",
            None,
        )
    }

    pub fn serialization(message: String) -> ApiError {
        ApiError::framework(
            400,
            "com.amazon.coral.service#SerializationException",
            Some(message),
        )
    }

    pub fn throttling() -> ApiError {
        ApiError::framework(
            400,
            "com.amazon.coral.availability#ThrottlingException",
            Some("Rate exceeded".to_string()),
        )
    }

    /// The error's `message`, if it has one.
    pub fn message(&self) -> Option<&str> {
        self.fields
            .iter()
            .find(|(key, _)| *key == "message")
            .map(|(_, value)| value.as_str())
    }

    /// An `x-amzn-ErrorType` header value: the error's name, a colon, and its namespace. Smithy
    /// clients (the AWS SDKs for Rust, Go, JavaScript, ...) take the error code from this header
    /// before the body's `code`. Lightsail does not send it, so those SDKs report its errors by the
    /// body's `code` (`DoesNotExist`, not `NotFoundException`; aws/aws-sdk issue 665); the emulator
    /// sends it only with `--error-type-header`, for tests that want the typed exceptions.
    pub fn error_type_header(&self) -> String {
        let (namespace, name) = match self.type_name.rsplit_once('#') {
            Some((namespace, name)) => (namespace, name),
            None => ("com.amazonaws.lightsail", self.type_name.as_str()),
        };
        format!("{name}:http://internal.amazon.com/coral/{namespace}/")
    }

    /// The JSON body: `__type` first, then the other members in order.
    pub fn body(&self) -> Value {
        let mut map = Map::new();
        map.insert("__type".to_string(), Value::String(self.type_name.clone()));
        for (key, value) in &self.fields {
            map.insert((*key).to_string(), Value::String(value.clone()));
        }
        Value::Object(map)
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(error: rusqlite::Error) -> ApiError {
        ApiError::service(format!("lightsail-emulator state store: {error}"))
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(error: serde_json::Error) -> ApiError {
        ApiError::service(format!(
            "lightsail-emulator stored a record it cannot read: {error}"
        ))
    }
}
