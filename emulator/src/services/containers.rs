//! Container services: CreateContainerService, GetContainerServices, UpdateContainerService,
//! DeleteContainerService, GetContainerServicePowers, CreateContainerServiceDeployment,
//! GetContainerServiceDeployments, CreateContainerServiceRegistryLogin, RegisterContainerImage,
//! GetContainerImages, DeleteContainerImage, GetContainerLog, GetContainerServiceMetricData,
//! GetContainerAPIMetadata.
//!
//! Lifecycle (the model's state documentation): a new service is `PENDING`; after the
//! `ContainerService` delay it is `READY`, or, when it was created with a deployment, `DEPLOYING`
//! and then, after `ContainerService.deployment`, `RUNNING` with that deployment `ACTIVE` as its
//! `currentDeployment` (`nextDeployment`, the one `ACTIVATING`, is gone). A new deployment makes a
//! `READY` or `RUNNING` service `DEPLOYING` the same way; an update makes it `UPDATING` until
//! `ContainerService.update` has passed, then `READY`, `RUNNING` or `DISABLED`. Calls that would
//! overlap a change in progress are refused (our choice; the service's messages are not known).
//! Deleting is immediate. The outputs of these calls carry no operations, but the service records
//! them (the model's `OperationType` has a value for each), so the emulator does too: GetOperations
//! shows them, `Started` until the step they start is over.
//!
//! A service's deployments (the last 50 are kept) and registered images live beside its wire form,
//! in its private value; a deployment's state is read off the wire form (`ACTIVE` if it is the
//! current one, `ACTIVATING` if it is the next, else `INACTIVE`). Images are named
//! `:service.label.N`, N counting per label from 1 (the model's documentation); a deployment may
//! use `:service.label.N` or `:service.label.latest` only when it is registered, and an image used
//! by the current or next deployment cannot be deleted. Public domain names map certificates of the
//! same region (which must be `ISSUED` and cover the names; at most four names) to domains; their
//! certificates count the service in `inUseResourceCount`.
//!
//! Our choices, listed in the README: the registry login (user `AWS`, a random password that is not
//! kept, the account's ECR-style registry host, 12 hours as documented), the service's URL and
//! principal ARN, health-check defaults (2, 2, 2 s, 5 s, `/`, `200-499`), the power catalogue's
//! values (Lightsail's published prices and sizes), the lightsailctl version, and the logs: one line
//! a minute per container while a deployment that runs it is active (a health-check access line for
//! the public endpoint's container), kept 14 days, `filterPattern` with CloudWatch's term syntax
//! (`a b`, `-a`, `?a ?b`, `"a phrase"`), 10,000 events a page.

use serde_json::{json, Map, Value};

use crate::engine::clock::{civil, round_millis};
use crate::engine::{input, Ctx, NewOperation, Registry, Transition};
use crate::error::ApiError;
use crate::services::certificates;
use crate::services::metric_series::{round, seed_of, SampleRandom, Window, RETENTION};

/// The `resourceType` (and store kind) of container services.
pub const KIND: &str = "ContainerService";
/// How many deployments a service keeps (the oldest go first).
pub const DEPLOYMENTS_KEPT: usize = 50;
/// The most public domain names a service may have (the model's documentation).
pub const MAX_PUBLIC_DOMAINS: usize = 4;
/// How long registry sign-in credentials last: 12 hours (the model's documentation).
pub const LOGIN_LIFETIME: f64 = 12.0 * 3600.0;
/// Seconds between two log lines of a running container.
pub const LOG_INTERVAL: f64 = 60.0;
/// The most log events one GetContainerLog page holds (CloudWatch Logs' GetLogEvents limit).
pub const LOG_PAGE: usize = 10_000;
/// The version of the Lightsail Control plugin GetContainerAPIMetadata announces.
pub const LIGHTSAILCTL_VERSION: &str = "1.0.8";
const LOG_TOKEN_PREFIX: &str = "lightsail-emulator-log-";

/// The powers: name, vCPUs, RAM (GB), monthly price (USD).
pub const POWERS: [(&str, f64, f64, f64); 6] = [
    ("nano", 0.25, 0.5, 7.0),
    ("micro", 0.25, 1.0, 10.0),
    ("small", 0.5, 1.0, 25.0),
    ("medium", 1.0, 2.0, 50.0),
    ("large", 2.0, 4.0, 100.0),
    ("xlarge", 4.0, 8.0, 200.0),
];

pub fn register(registry: &mut Registry) {
    registry
        .add("CreateContainerService", create)
        .add("GetContainerServices", list)
        .add("UpdateContainerService", update)
        .add("DeleteContainerService", delete)
        .add("GetContainerServicePowers", powers)
        .add("CreateContainerServiceDeployment", create_deployment)
        .add("GetContainerServiceDeployments", deployments)
        .add("CreateContainerServiceRegistryLogin", registry_login)
        .add("RegisterContainerImage", register_image)
        .add("GetContainerImages", images)
        .add("DeleteContainerImage", delete_image)
        .add("GetContainerLog", log)
        .add("GetContainerServiceMetricData", metric_data)
        .add("GetContainerAPIMetadata", api_metadata);
}

fn invalid(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

/// A service, its private part (deployments, images, label counters) and its state.
struct Service {
    name: String,
    body: Value,
    private: Value,
}

impl Service {
    fn load(ctx: &Ctx<'_>, name: &str) -> Result<Service, ApiError> {
        let record = ctx
            .db()
            .record(KIND, name)?
            .ok_or_else(|| ApiError::not_found(KIND, name))?;
        let private = if record.private.is_object() {
            record.private
        } else {
            json!({"deployments": [], "images": [], "labels": {}})
        };
        Ok(Service {
            name: name.to_string(),
            body: record.body,
            private,
        })
    }

    fn state(&self) -> &str {
        self.body["state"].as_str().unwrap_or("")
    }

    /// Refuses a call while the service is in a state that does not allow it.
    fn require_state(&self, allowed: &[&str], action: &str) -> Result<(), ApiError> {
        if allowed.contains(&self.state()) {
            return Ok(());
        }
        Err(invalid(format!(
            "The container service is {} and cannot {action} now: {}",
            self.state(),
            self.name
        )))
    }

    fn save(&self, ctx: &Ctx<'_>) -> Result<(), ApiError> {
        ctx.db().put(KIND, &self.name, &self.body)?;
        ctx.db().put_private(KIND, &self.name, &self.private)
    }

    fn stored_deployments(&self) -> Vec<Value> {
        self.private["deployments"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    fn images(&self) -> Vec<Value> {
        self.private["images"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// A stored deployment as GetContainerServiceDeployments shows it, its state read off the
    /// service.
    fn deployment_view(&self, stored: &Value) -> Value {
        let version = &stored["version"];
        let state = if self.body.pointer("/currentDeployment/version") == Some(version) {
            self.body["currentDeployment"]["state"].clone()
        } else if self.body.pointer("/nextDeployment/version") == Some(version) {
            self.body["nextDeployment"]["state"].clone()
        } else {
            json!("INACTIVE")
        };
        let mut view = stored.clone();
        view["state"] = state;
        view
    }
}

/// `ACCOUNT`-style random names: lowercase letters and digits.
fn random_label(ctx: &mut Ctx<'_>, length: usize) -> String {
    ctx.ids
        .string_from("abcdefghijklmnopqrstuvwxyz0123456789", length)
}

fn power_id(power: &str) -> String {
    format!("{power}-1")
}

/// The certificates named by `publicDomainNames`, checked: each is `ISSUED` in this region and
/// covers its names; at most four names in all.
fn check_public_domains(ctx: &Ctx<'_>, domains: &Value) -> Result<Vec<String>, ApiError> {
    let Some(map) = domains.as_object() else {
        return Ok(Vec::new());
    };
    let total: usize = map
        .values()
        .map(|names| names.as_array().map_or(0, Vec::len))
        .sum();
    if total > MAX_PUBLIC_DOMAINS {
        return Err(invalid(format!(
            "A container service can have at most {MAX_PUBLIC_DOMAINS} public domain names: {total}"
        )));
    }
    let mut certificates_used = Vec::new();
    for (certificate_name, names) in map {
        let certificate = certificates::require_issued(ctx, certificate_name)?;
        let covered = certificates::domains(&certificate);
        for name in names
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !covered.iter().any(|c| c.eq_ignore_ascii_case(name)) {
                return Err(invalid(format!(
                    "The certificate {certificate_name} does not cover the domain name: {name}"
                )));
            }
        }
        certificates_used.push(certificate_name.clone());
    }
    Ok(certificates_used)
}

/// Moves the certificate use counts from the `old` certificates to the `new` ones.
fn move_certificate_uses(ctx: &Ctx<'_>, old: &Value, new: &Value) -> Result<(), ApiError> {
    let keys = |v: &Value| -> Vec<String> {
        v.as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let (old, new) = (keys(old), keys(new));
    for name in old.iter().filter(|n| !new.contains(n)) {
        certificates::adjust_use(ctx, name, -1)?;
    }
    for name in new.iter().filter(|n| !old.contains(n)) {
        certificates::adjust_use(ctx, name, 1)?;
    }
    Ok(())
}

/// Whether `image` names a registered image of this service (`:service.label.N` or
/// `:service.label.latest`).
fn is_registered(service: &Service, image: &str) -> bool {
    let images = service.images();
    if images.iter().any(|i| i["image"].as_str() == Some(image)) {
        return true;
    }
    image
        .strip_suffix(".latest")
        .map(|label| {
            let prefix = format!("{label}.");
            images
                .iter()
                .filter_map(|i| i["image"].as_str())
                .any(|i| i.starts_with(&prefix))
        })
        .unwrap_or(false)
}

fn health_check(requested: Option<&Value>) -> Result<Value, ApiError> {
    let requested = requested.cloned().unwrap_or_else(|| json!({}));
    let number = |member: &str, default: i64, min: i64, max: i64| -> Result<i64, ApiError> {
        let value = requested[member].as_i64().unwrap_or(default);
        if !(min..=max).contains(&value) {
            return Err(invalid(format!(
                "The health check's {member} must be between {min} and {max}: {value}"
            )));
        }
        Ok(value)
    };
    let success_codes = requested["successCodes"].as_str().unwrap_or("200-499");
    let codes_ok = success_codes.split(',').all(|part| {
        let mut bounds = part.splitn(2, '-').map(|n| n.trim().parse::<u16>());
        match (bounds.next(), bounds.next()) {
            (Some(Ok(a)), None) => (200..=499).contains(&a),
            (Some(Ok(a)), Some(Ok(b))) => a <= b && (200..=499).contains(&a) && b <= 499,
            _ => false,
        }
    });
    if !codes_ok {
        return Err(invalid(format!(
            "The health check's successCodes must be HTTP codes between 200 and 499 (200,202 or 200-299): {success_codes}"
        )));
    }
    Ok(json!({
        "healthyThreshold": number("healthyThreshold", 2, 2, 10)?,
        "unhealthyThreshold": number("unhealthyThreshold", 2, 2, 10)?,
        "timeoutSeconds": number("timeoutSeconds", 2, 2, 60)?,
        "intervalSeconds": number("intervalSeconds", 5, 5, 300)?,
        "path": requested["path"].as_str().unwrap_or("/"),
        "successCodes": success_codes,
    }))
}

/// A deployment as stored (no state): checked containers with their defaults, the public endpoint
/// with its health check.
fn new_deployment(
    service: &Service,
    request: &Value,
    version: i64,
    now: f64,
) -> Result<Value, ApiError> {
    let requested = request["containers"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    if requested.is_empty() {
        return Err(invalid(
            "A deployment must have at least one container".to_string(),
        ));
    }
    let mut containers = Map::new();
    for (name, container) in &requested {
        let image = container["image"].as_str().unwrap_or("");
        if image.is_empty() {
            return Err(invalid(format!("The container {name} has no image")));
        }
        if image.starts_with(':') && !is_registered(service, image) {
            return Err(invalid(format!(
                "The container image is not registered to the container service {}: {image}",
                service.name
            )));
        }
        let ports = container["ports"].as_object().cloned().unwrap_or_default();
        for port in ports.keys() {
            if !port.parse::<u16>().is_ok_and(|p| p > 0) {
                return Err(invalid(format!(
                    "The container {name} has a port that is not a number between 1 and 65535: {port}"
                )));
            }
        }
        containers.insert(
            name.clone(),
            json!({
                "image": image,
                "command": container.get("command").cloned().unwrap_or_else(|| json!([])),
                "environment": container.get("environment").cloned().unwrap_or_else(|| json!({})),
                "ports": ports,
            }),
        );
    }
    let mut deployment = json!({
        "version": version,
        "containers": containers,
        "createdAt": now,
    });
    if let Some(endpoint) = request.get("publicEndpoint") {
        let container_name = endpoint["containerName"].as_str().unwrap_or("");
        let port = endpoint["containerPort"].as_i64().unwrap_or(0);
        let Some(container) = containers.get(container_name) else {
            return Err(invalid(format!(
                "The public endpoint's container is not part of the deployment: {container_name}"
            )));
        };
        let protocol = container["ports"][port.to_string()].as_str().unwrap_or("");
        if protocol != "HTTP" && protocol != "HTTPS" {
            return Err(invalid(format!(
                "The public endpoint's port must be an HTTP or HTTPS port of the container {container_name}: {port}"
            )));
        }
        deployment["publicEndpoint"] = json!({
            "containerName": container_name,
            "containerPort": port,
            "healthCheck": health_check(endpoint.get("healthCheck"))?,
        });
    }
    Ok(deployment)
}

fn with_state(deployment: &Value, state: &str) -> Value {
    let mut view = deployment.clone();
    view["state"] = json!(state);
    view
}

/// Adds a deployment to the service's private list (keeping the last 50) and makes it the next
/// one; returns the transition that activates it.
fn start_deployment(service: &mut Service, deployment: Value) -> Transition {
    let mut stored = service.stored_deployments();
    stored.push(deployment.clone());
    if stored.len() > DEPLOYMENTS_KEPT {
        let excess = stored.len() - DEPLOYMENTS_KEPT;
        stored.drain(..excess);
    }
    service.private["deployments"] = Value::Array(stored);
    service.body["nextDeployment"] = with_state(&deployment, "ACTIVATING");
    Transition::of(KIND, &service.name)
        .only_if("/nextDeployment/version", deployment["version"].clone())
        .set("/currentDeployment", with_state(&deployment, "ACTIVE"))
        .set("/state", "RUNNING")
        .remove("/nextDeployment")
        .remove("/stateDetail")
}

fn regional_operation(ctx: &mut Ctx<'_>, name: &str, started: bool) -> Result<Value, ApiError> {
    let location = ctx.regional_location();
    let operation = if started {
        NewOperation::started(KIND, name, location)
    } else {
        NewOperation::succeeded(KIND, name, location)
    };
    ctx.record(operation)
}

fn create(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "serviceName");
    let power = input::string(input, "power");
    if ctx.db().exists(KIND, name)? {
        return Err(ApiError::name_in_use(name));
    }
    let public_domains = input
        .get("publicDomainNames")
        .cloned()
        .unwrap_or_else(|| json!({}));
    check_public_domains(ctx, &public_domains)?;
    let now = ctx.now();
    let region = ctx.region.name;
    let arn = ctx.new_arn(KIND);
    let url_label = random_label(ctx, 13);
    let principal = random_label(ctx, 13);
    let mut service = Service {
        name: name.to_string(),
        body: json!({
            "containerServiceName": name,
            "arn": arn,
            "createdAt": now,
            "location": ctx.regional_location(),
            "resourceType": KIND,
            "tags": input::tags(input),
            "power": power,
            "powerId": power_id(power),
            "state": "PENDING",
            "scale": input::integer(input, "scale").unwrap_or(1),
            "isDisabled": false,
            "principalArn": format!(
                "arn:aws:iam::{}:role/amazon/lightsail/{region}/containers/{name}/{principal}",
                ctx.account
            ),
            "privateDomainName": format!("{name}.service.local"),
            "publicDomainNames": public_domains,
            "url": format!("https://{name}.{url_label}.{region}.cs.amazonlightsail.com/"),
            "privateRegistryAccess": {"ecrImagePullerRole": {"isActive": false, "principalArn": ""}},
        }),
        private: json!({"deployments": [], "images": [], "labels": {}}),
    };
    let active = input
        .pointer("/privateRegistryAccess/ecrImagePullerRole/isActive")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    set_image_puller(ctx, &mut service, active);
    let activation = match input.get("deployment") {
        Some(request) => {
            let deployment = new_deployment(&service, request, 1, now)?;
            Some(start_deployment(&mut service, deployment))
        }
        None => None,
    };
    ctx.db()
        .insert_with_private(KIND, name, &service.body, &service.private)?;
    move_certificate_uses(ctx, &json!({}), &public_domains)?;
    let operation = regional_operation(ctx, name, true)?;
    let ready = now + ctx.delay(KIND);
    let settle = Transition::of(KIND, name).only_if("/state", "PENDING");
    match activation {
        None => ctx.schedule_at(
            ready,
            settle
                .set("/state", "READY")
                .finishing(std::slice::from_ref(&operation)),
        )?,
        Some(activation) => {
            ctx.schedule_at(
                ready,
                settle
                    .set("/state", "DEPLOYING")
                    .set("/stateDetail", json!({"code": "CREATING_DEPLOYMENT"})),
            )?;
            let active = ready + ctx.delay("ContainerService.deployment");
            ctx.schedule_at(
                active,
                activation.finishing(std::slice::from_ref(&operation)),
            )?;
        }
    }
    Ok(json!({ "containerService": service.body }))
}

/// Sets `privateRegistryAccess.ecrImagePullerRole` (the role's ARN only while it is active).
fn set_image_puller(ctx: &Ctx<'_>, service: &mut Service, active: bool) {
    let principal = if active {
        format!(
            "arn:aws:iam::{}:role/amazon/lightsail/{}/containers/{}/ecr-image-puller",
            ctx.account, ctx.region.name, service.name
        )
    } else {
        String::new()
    };
    service.body["privateRegistryAccess"] =
        json!({"ecrImagePullerRole": {"isActive": active, "principalArn": principal}});
}

fn list(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let services = match input::optional_string(input, "serviceName") {
        Some(name) => vec![ctx.db().require(KIND, name)?],
        None => ctx.db().list(KIND)?,
    };
    Ok(json!({ "containerServices": services }))
}

fn update(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "serviceName");
    let mut service = Service::load(ctx, name)?;
    service.require_state(&["READY", "RUNNING", "DISABLED"], "be updated")?;
    if let Some(power) = input::optional_string(input, "power") {
        service.body["power"] = json!(power);
        service.body["powerId"] = json!(power_id(power));
    }
    if let Some(scale) = input::integer(input, "scale") {
        service.body["scale"] = json!(scale);
    }
    if let Some(disabled) = input.get("isDisabled").and_then(Value::as_bool) {
        service.body["isDisabled"] = json!(disabled);
    }
    if let Some(domains) = input.get("publicDomainNames") {
        check_public_domains(ctx, domains)?;
        move_certificate_uses(ctx, &service.body["publicDomainNames"], domains)?;
        service.body["publicDomainNames"] = domains.clone();
    }
    if let Some(active) = input
        .pointer("/privateRegistryAccess/ecrImagePullerRole/isActive")
        .and_then(Value::as_bool)
    {
        set_image_puller(ctx, &mut service, active);
    }
    let settled = if service.body["isDisabled"].as_bool().unwrap_or(false) {
        "DISABLED"
    } else if service.body.get("currentDeployment").is_some() {
        "RUNNING"
    } else {
        "READY"
    };
    service.body["state"] = json!("UPDATING");
    service.body["stateDetail"] = json!({"code": "PROVISIONING_SERVICE"});
    service.save(ctx)?;
    let operation = regional_operation(ctx, name, true)?;
    ctx.schedule(
        "ContainerService.update",
        Transition::of(KIND, name)
            .only_if("/state", "UPDATING")
            .set("/state", settled)
            .remove("/stateDetail")
            .finishing(std::slice::from_ref(&operation)),
    )?;
    Ok(json!({ "containerService": service.body }))
}

fn delete(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "serviceName");
    let service = ctx.db().require(KIND, name)?;
    ctx.db().delete(KIND, name)?;
    move_certificate_uses(ctx, &service["publicDomainNames"], &json!({}))?;
    regional_operation(ctx, name, false)?;
    Ok(json!({}))
}

fn powers(_ctx: &mut Ctx<'_>, _input: &Value) -> Result<Value, ApiError> {
    let powers: Vec<Value> = POWERS
        .iter()
        .map(|(name, cpus, ram, price)| {
            json!({
                "powerId": power_id(name),
                "price": price,
                "cpuCount": cpus,
                "ramSizeInGb": ram,
                "name": name,
                "isActive": true,
            })
        })
        .collect();
    Ok(json!({ "powers": powers }))
}

fn create_deployment(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "serviceName");
    let mut service = Service::load(ctx, name)?;
    service.require_state(&["READY", "RUNNING"], "take a new deployment")?;
    let version = service
        .stored_deployments()
        .last()
        .and_then(|d| d["version"].as_i64())
        .unwrap_or(0)
        + 1;
    let deployment = new_deployment(&service, input, version, ctx.now())?;
    let activation = start_deployment(&mut service, deployment);
    service.body["state"] = json!("DEPLOYING");
    service.body["stateDetail"] = json!({"code": "CREATING_DEPLOYMENT"});
    service.save(ctx)?;
    let operation = regional_operation(ctx, name, true)?;
    ctx.schedule(
        "ContainerService.deployment",
        activation.finishing(std::slice::from_ref(&operation)),
    )?;
    Ok(json!({ "containerService": service.body }))
}

fn deployments(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let service = Service::load(ctx, input::string(input, "serviceName"))?;
    let deployments: Vec<Value> = service
        .stored_deployments()
        .iter()
        .rev()
        .map(|d| service.deployment_view(d))
        .collect();
    Ok(json!({ "deployments": deployments }))
}

fn registry_login(ctx: &mut Ctx<'_>, _input: &Value) -> Result<Value, ApiError> {
    // Not kept anywhere: the password exists only in this answer.
    let password = ctx.ids.base64(96);
    Ok(json!({
        "registryLogin": {
            "username": "AWS",
            "password": password,
            "expiresAt": round_millis(ctx.now() + LOGIN_LIFETIME),
            "registry": format!("{}.dkr.ecr.{}.amazonaws.com", ctx.account, ctx.region.name),
        }
    }))
}

fn register_image(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "serviceName");
    let label = input::string(input, "label");
    let digest = input::string(input, "digest");
    let mut service = Service::load(ctx, name)?;
    let version = service.private["labels"][label].as_i64().unwrap_or(0) + 1;
    let image = json!({
        "image": format!(":{name}.{label}.{version}"),
        "digest": digest,
        "createdAt": ctx.now(),
    });
    let mut images = service.images();
    images.insert(0, image.clone());
    service.private["images"] = Value::Array(images);
    service.private["labels"][label] = json!(version);
    service.save(ctx)?;
    let location = ctx.regional_location();
    let details = image["image"].as_str().unwrap_or("");
    ctx.record(NewOperation::succeeded(KIND, name, location).details(details))?;
    Ok(json!({ "containerImage": image }))
}

fn images(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let service = Service::load(ctx, input::string(input, "serviceName"))?;
    Ok(json!({ "containerImages": service.images() }))
}

fn delete_image(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "serviceName");
    let image = input::string(input, "image");
    let mut service = Service::load(ctx, name)?;
    let mut images = service.images();
    let Some(index) = images
        .iter()
        .position(|i| i["image"].as_str() == Some(image))
    else {
        return Err(ApiError::not_found("ContainerImage", image));
    };
    for which in ["currentDeployment", "nextDeployment"] {
        let in_use = service.body[which]["containers"]
            .as_object()
            .into_iter()
            .flat_map(|containers| containers.values())
            .any(|c| c["image"].as_str() == Some(image));
        if in_use {
            return Err(invalid(format!(
                "The container image is used by the {} deployment of the container service and cannot be deleted: {image}",
                if which == "currentDeployment" { "current" } else { "next" }
            )));
        }
    }
    images.remove(index);
    service.private["images"] = Value::Array(images);
    service.save(ctx)?;
    let location = ctx.regional_location();
    ctx.record(NewOperation::succeeded(KIND, name, location).details(image))?;
    Ok(json!({}))
}

/// `01/Oct/2019:18:00:38 +0000`, the time format of nginx's access log.
fn access_log_time(seconds: f64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (year, month, day, hour, minute, second) = civil(seconds.floor() as i64);
    format!(
        "{day:02}/{}/{year}:{hour:02}:{minute:02}:{second:02} +0000",
        MONTHS[(month as usize).saturating_sub(1) % 12]
    )
}

/// One log line of a container at time `at`, while `deployment` runs it.
fn log_line(service: &str, container: &str, deployment: &Value, at: f64) -> String {
    let endpoint = &deployment["publicEndpoint"];
    if endpoint["containerName"].as_str() == Some(container) {
        let path = endpoint["healthCheck"]["path"].as_str().unwrap_or("/");
        let mut random = SampleRandom::new(seed_of(service) ^ seed_of(container), at);
        let octet = 2 + (random.uniform() * 250.0) as u32;
        format!(
            "172.26.{}.{octet} - - [{}] \"GET {path} HTTP/1.1\" 200 615 \"-\" \"ELB-HealthChecker/2.0\" \"-\"",
            (random.uniform() * 64.0) as u32,
            access_log_time(at)
        )
    } else {
        format!(
            "[{}] {container}: running (deployment {})",
            access_log_time(at),
            deployment["version"]
        )
    }
}

/// CloudWatch Logs' term filter: every plain term (or quoted phrase) must occur, no `-term` may,
/// and at least one `?term` must when there are any. Case-sensitive.
fn matches_filter(pattern: &str, message: &str) -> bool {
    let mut terms = Vec::new();
    let mut rest = pattern.trim();
    while !rest.is_empty() {
        let (prefix, body) = match rest.chars().next() {
            Some(c @ ('-' | '?')) => (Some(c), &rest[1..]),
            _ => (None, rest),
        };
        let (term, remaining) = if let Some(quoted) = body.strip_prefix('"') {
            match quoted.find('"') {
                Some(end) => (&quoted[..end], &quoted[end + 1..]),
                None => (quoted, ""),
            }
        } else {
            match body.find(char::is_whitespace) {
                Some(end) => (&body[..end], &body[end..]),
                None => (body, ""),
            }
        };
        terms.push((prefix, term));
        rest = remaining.trim_start();
    }
    let optional: Vec<&str> = terms
        .iter()
        .filter(|(p, _)| *p == Some('?'))
        .map(|(_, t)| *t)
        .collect();
    terms.iter().all(|(prefix, term)| match prefix {
        Some('-') => !message.contains(term),
        Some(_) => true,
        None => message.contains(term),
    }) && (optional.is_empty() || optional.iter().any(|t| message.contains(t)))
}

fn log(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "serviceName");
    let container = input::string(input, "containerName");
    let service = Service::load(ctx, name)?;
    let stored = service.stored_deployments();
    if !stored
        .iter()
        .any(|d| d["containers"].get(container).is_some())
    {
        return Err(ApiError::not_found("Container", container));
    }
    let now = ctx.now();
    let from = input
        .get("startTime")
        .and_then(Value::as_f64)
        .unwrap_or(0.0)
        .max(now - RETENTION);
    let to = input
        .get("endTime")
        .and_then(Value::as_f64)
        .unwrap_or(now)
        .min(now);
    let filter = input::string(input, "filterPattern");
    let resume = match input::optional_string(input, "pageToken") {
        None => None,
        Some(token) => Some(
            token
                .strip_prefix(LOG_TOKEN_PREFIX)
                .and_then(|t| t.parse::<f64>().ok())
                .ok_or_else(|| invalid(format!("The page token is not valid: {token}")))?,
        ),
    };
    let current = service.body["currentDeployment"]["version"]
        .as_i64()
        .unwrap_or(0);
    let mut events = Vec::new();
    let mut next_token = None;
    // Each deployment that has been active runs from its creation until the next one's.
    let ran: Vec<&Value> = stored
        .iter()
        .filter(|d| d["version"].as_i64().unwrap_or(0) <= current)
        .collect();
    'deployments: for (index, deployment) in ran.iter().enumerate() {
        if deployment["containers"].get(container).is_none() {
            continue;
        }
        let began = deployment["createdAt"].as_f64().unwrap_or(now);
        let ended = ran
            .get(index + 1)
            .and_then(|d| d["createdAt"].as_f64())
            .unwrap_or(now);
        let start = began.max(from).max(resume.unwrap_or(f64::MIN));
        let end = ended.min(to);
        let mut at = began + ((start - began) / LOG_INTERVAL).ceil().max(0.0) * LOG_INTERVAL;
        while at < end {
            let message = log_line(name, container, deployment, at);
            if filter.is_empty() || matches_filter(filter, &message) {
                if events.len() == LOG_PAGE {
                    next_token = Some(format!("{LOG_TOKEN_PREFIX}{at}"));
                    break 'deployments;
                }
                events.push(json!({"createdAt": round_millis(at), "message": message}));
            }
            at += LOG_INTERVAL;
        }
    }
    let mut output = json!({ "logEvents": events });
    if let Some(token) = next_token {
        output["nextPageToken"] = json!(token);
    }
    Ok(output)
}

/// A container service's utilisation at a moment: CPU around a per-service baseline of a few
/// percent with rare spikes, memory between a fifth and a half of the power's RAM.
fn utilisation(seed: u64, metric: &str, at: f64) -> f64 {
    let mut random = SampleRandom::new(seed, at);
    let u = random.uniform();
    let value = if metric == "CPUUtilization" {
        let baseline = 1.0 + (seed % 1000) as f64 / 1000.0 * 8.0;
        let spike = if random.uniform() < 0.02 {
            20.0 + 50.0 * random.uniform()
        } else {
            0.0
        };
        baseline * (0.6 + 0.8 * u) + spike
    } else {
        20.0 + (seed % 1000) as f64 / 1000.0 * 20.0 + 10.0 * u
    };
    round(value)
}

fn metric_data(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "serviceName");
    let metric = input::string(input, "metricName");
    let service = ctx.db().require(KIND, name)?;
    let window = Window::from_input(input)?;
    let now = ctx.now();
    let created = service["createdAt"].as_f64().unwrap_or(now);
    let seed = seed_of(service["arn"].as_str().unwrap_or(name)) ^ seed_of(metric);
    let data = window.datapoints(now, created, 300.0, "Percent", |at| {
        utilisation(seed, metric, at)
    });
    Ok(json!({ "metricName": metric, "metricData": data }))
}

fn api_metadata(_ctx: &mut Ctx<'_>, _input: &Value) -> Result<Value, ApiError> {
    Ok(json!({
        "metadata": [{"name": "lightsailctlVersion", "value": LIGHTSAILCTL_VERSION}]
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_patterns() {
        let line = "GET /health HTTP/1.1 200 ERROR Exception";
        assert!(matches_filter("", line));
        assert!(matches_filter("GET 200", line));
        assert!(!matches_filter("GET 404", line));
        assert!(!matches_filter("-ERROR", line));
        assert!(matches_filter("-WARN", line));
        assert!(matches_filter("?WARN ?Exception", line));
        assert!(!matches_filter("?WARN ?FATAL", line));
        assert!(matches_filter("\"HTTP/1.1 200\"", line));
        assert!(!matches_filter("error", line));
    }

    #[test]
    fn access_log_times() {
        assert_eq!(access_log_time(1569866438.48), "30/Sep/2019:18:00:38 +0000");
    }

    #[test]
    fn health_check_defaults_and_limits() {
        let defaults = health_check(None).unwrap();
        assert_eq!(
            defaults,
            json!({"healthyThreshold": 2, "unhealthyThreshold": 2, "timeoutSeconds": 2,
                   "intervalSeconds": 5, "path": "/", "successCodes": "200-499"})
        );
        assert!(health_check(Some(&json!({"timeoutSeconds": 61}))).is_err());
        assert!(health_check(Some(&json!({"successCodes": "200,202"}))).is_ok());
        assert!(health_check(Some(&json!({"successCodes": "100-299"}))).is_err());
        assert!(health_check(Some(&json!({"successCodes": "abc"}))).is_err());
    }
}
