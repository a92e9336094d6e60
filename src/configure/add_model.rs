//! `aws configure add-model --service-model JSON [--service-name NAME]`: writes the model, as given, to
//! `~/.aws/models/<service>/<apiVersion>/service-<N>.json` (awscli's `AddModelCommand`).
//!
//! The service is `--service-name`, else the model's `endpointPrefix` when that names a known service,
//! else the service whose model has that endpoint prefix (`monitoring` -> `cloudwatch`; botocore's table
//! is vendored in `data/services.txt`), else the prefix itself. `N` is `int(float(version))`, `2` when the
//! model has no `version`. Failures carry the Python exception texts the reference prints.
//!
//! This build answers `lightsail` from its compiled-in model: a model added here is written exactly as
//! the reference writes it, but not loaded (docs/deviations.md).

use super::{dirname, expanduser, ConfigureError};
use crate::python::json_decode;
use crate::python::number::parse_float;
use crate::python::types::type_name;
use crate::python::value::{Map, Number, Value};

/// botocore 1.43.11's services and their endpoint prefixes, sorted by service name.
const SERVICES: &str = include_str!("data/services.txt");

/// Writes the model; returns nothing on success (exit 0, no output).
pub fn run(
    service_model: &str,
    service_name: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(), ConfigureError> {
    let definition =
        json_decode::loads(service_model).map_err(|e| ConfigureError::Other(e.to_string()))?;
    let Value::Object(definition) = &definition else {
        return Err(ConfigureError::Other(format!(
            "'{}' object has no attribute 'get'",
            type_name(&definition)
        )));
    };
    let metadata = definition.get("metadata");
    let data_path = join(&[&expanduser("~", env), ".aws", "models"]);
    let service_name = match service_name {
        Some(name) => name.to_string(),
        None => {
            let prefix = metadata_property(metadata, "endpointPrefix")?;
            service_for_prefix(&path_text(&prefix)?, &data_path, env)
        }
    };
    let api_version = path_text(&metadata_property(metadata, "apiVersion")?)?;
    let version = model_version(definition.get("version"))?;
    let location = join(&[
        &data_path,
        &service_name,
        &api_version,
        &format!("service-{version}.json"),
    ]);
    let directory = dirname(&location);
    if !std::path::Path::new(directory).exists() {
        std::fs::create_dir_all(directory).map_err(|e| os_error(&e, directory))?;
    }
    std::fs::write(&location, service_model).map_err(|e| os_error(&e, &location))
}

/// `ServiceModel._get_metadata_property(name)`. Its error message shows the model's repr, which needs
/// the endpoint prefix again: without one, Python recurses until it gives up.
fn metadata_property(metadata: Option<&Value>, name: &str) -> Result<Value, ConfigureError> {
    let empty = Value::Object(Map::new());
    let metadata = metadata.unwrap_or(&empty);
    let lookup = |key: &str| -> Result<Option<Value>, ConfigureError> {
        match metadata {
            Value::Object(map) => Ok(map.get(key).cloned()),
            Value::String(_) => Err(ConfigureError::Other(
                "string indices must be integers, not 'str'".into(),
            )),
            Value::Array(_) => Err(ConfigureError::Other(
                "list indices must be integers or slices, not str".into(),
            )),
            other => Err(ConfigureError::Other(format!(
                "'{}' object is not subscriptable",
                type_name(other)
            ))),
        }
    };
    if let Some(value) = lookup(name)? {
        return Ok(value);
    }
    let repr = match lookup("endpointPrefix")? {
        Some(prefix) => format!("ServiceModel({})", python_str(&prefix)),
        None => {
            return Err(ConfigureError::Other(
                "maximum recursion depth exceeded".into(),
            ))
        }
    };
    Err(ConfigureError::Other(format!(
        "\"{name}\" not defined in the metadata of the model: {repr}"
    )))
}

/// A metadata value used as a path component: `os.path.join` takes only strings.
fn path_text(value: &Value) -> Result<String, ConfigureError> {
    match value {
        Value::String(s) => Ok(s.to_string()),
        other => Err(ConfigureError::Other(format!(
            "join() argument must be str, bytes, or os.PathLike object, not '{}'",
            type_name(other)
        ))),
    }
}

/// `str(value)` for the few types a repr may show.
fn python_str(value: &Value) -> String {
    match value {
        Value::String(s) => s.to_string(),
        Value::Null => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Number(n) => n.python_repr(),
        other => crate::python::repr::str_of(other, crate::python::repr::DictFlavor::Dict),
    }
}

/// `int(float(definition.get('version', '2.0')))`.
fn model_version(version: Option<&Value>) -> Result<i128, ConfigureError> {
    let float = match version {
        None => 2.0,
        Some(Value::String(text)) => parse_float(text).map_err(ConfigureError::Other)?,
        Some(Value::Number(Number::Float(f))) => *f,
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::Bool(b)) => f64::from(u8::from(*b)),
        Some(other) => {
            return Err(ConfigureError::Other(format!(
                "float() argument must be a string or a real number, not '{}'",
                type_name(other)
            )))
        }
    };
    if float.is_nan() {
        return Err(ConfigureError::Other(
            "cannot convert float NaN to integer".into(),
        ));
    }
    if float.is_infinite() {
        return Err(ConfigureError::Other(
            "cannot convert float infinity to integer".into(),
        ));
    }
    Ok(float.trunc() as i128)
}

/// `_get_service_name`: the prefix itself when a service of that name is available, else the last
/// service (in name order) whose model has that prefix, else the prefix.
fn service_for_prefix(
    prefix: &str,
    data_path: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> String {
    let mut available: Vec<String> = SERVICES
        .lines()
        .filter_map(|l| l.split_once(' ').map(|(name, _)| name.to_string()))
        .collect();
    available.extend(customer_services(data_path, env));
    if available.iter().any(|s| s == prefix) {
        return prefix.to_string();
    }
    SERVICES
        .lines()
        .filter_map(|l| l.split_once(' '))
        .filter(|(_, p)| *p == prefix)
        .map(|(name, _)| name.to_string())
        .next_back()
        .unwrap_or_else(|| prefix.to_string())
}

/// Services of models added before (`~/.aws/models`, and `AWS_DATA_PATH`'s directories): a directory
/// holding an API version directory with a `service-2.json`.
fn customer_services(data_path: &str, env: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    let mut roots = vec![data_path.to_string()];
    if let Some(paths) = env("AWS_DATA_PATH") {
        roots.extend(paths.split(':').map(|p| expanduser(p, env)));
    }
    let mut names = Vec::new();
    for root in roots {
        let Ok(services) = std::fs::read_dir(&root) else {
            continue;
        };
        for service in services.flatten() {
            let Ok(versions) = std::fs::read_dir(service.path()) else {
                continue;
            };
            if versions
                .flatten()
                .any(|v| v.path().join("service-2.json").is_file())
            {
                names.push(service.file_name().to_string_lossy().into_owned());
            }
        }
    }
    names
}

/// `os.path.join`: a component starting with `/` starts the path over.
fn join(parts: &[&str]) -> String {
    let mut path = String::new();
    for part in parts {
        if part.starts_with('/') {
            path = part.to_string();
        } else if path.is_empty() || path.ends_with('/') {
            path.push_str(part);
        } else {
            path.push('/');
            path.push_str(part);
        }
    }
    path
}

fn os_error(e: &std::io::Error, path: &str) -> ConfigureError {
    ConfigureError::Other(crate::python::oserror::message(e, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_endpoint_prefixes_like_botocore() {
        let env = |_: &str| None;
        assert_eq!(
            service_for_prefix("lightsail", "/nonexistent", &env),
            "lightsail"
        );
        assert_eq!(
            service_for_prefix("monitoring", "/nonexistent", &env),
            "cloudwatch"
        );
        // Both ses and sesv2 use `email`: the last one in name order wins, as botocore's dict does.
        assert_eq!(service_for_prefix("email", "/nonexistent", &env), "sesv2");
        assert_eq!(
            service_for_prefix("brand-new", "/nonexistent", &env),
            "brand-new"
        );
        assert_eq!(join(&["/h/.aws/models", "x", "/etc", "f"]), "/etc/f");
    }
}
