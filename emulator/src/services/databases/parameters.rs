//! Engine parameters: GetRelationalDatabaseParameters and UpdateRelationalDatabaseParameters.
//!
//! The catalogue is a selection of each engine's RDS default parameter group (ours: the service
//! returns the whole group), with the four MySQL 8.0 parameters of the AWS CLI's example
//! (`get-relational-database-parameters.rst`) exactly as shown there, listed in the example's order
//! (names compared case-insensitively, so `autocommit` precedes `auto_generate_certs`). A parameter
//! shows the `applyMethod` of its last change, `pending-reboot` until then (as in the example).
//!
//! An update checks each parameter against the catalogue (RDS's rules and our wording: known,
//! modifiable, a static parameter only `pending-reboot`, the value within `allowedValues`), stores
//! the new values, and sets the database's `parameterApplyStatus` to `applying`; after the
//! `RelationalDatabase.parameters` delay it is `in-sync`, or `pending-reboot` while a
//! `pending-reboot` change waits for RebootRelationalDatabase.

use serde_json::{json, Map, Value};

use crate::engine::{input, Ctx, NewOperation, Record, Transition};
use crate::error::ApiError;
use crate::services::databases::database::require_record;
use crate::services::databases::{invalid, page_of, KIND};

/// One engine parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parameter {
    pub name: &'static str,
    pub allowed_values: &'static str,
    pub apply_type: &'static str,
    pub data_type: &'static str,
    pub description: &'static str,
    pub is_modifiable: bool,
    pub value: Option<&'static str>,
    /// The first engine version that has it (`[8, 0]`), or none.
    pub since: &'static [u32],
}

const fn p(
    name: &'static str,
    allowed_values: &'static str,
    apply_type: &'static str,
    data_type: &'static str,
    description: &'static str,
    is_modifiable: bool,
    value: Option<&'static str>,
) -> Parameter {
    Parameter {
        name,
        allowed_values,
        apply_type,
        data_type,
        description,
        is_modifiable,
        value,
        since: &[],
    }
}

const fn since(mut parameter: Parameter, version: &'static [u32]) -> Parameter {
    parameter.since = version;
    parameter
}

const BOOLEAN: &str = "0,1";

/// MySQL's parameters.
pub const MYSQL: &[Parameter] = &[
    since(p("activate_all_roles_on_login", BOOLEAN, "dynamic", "boolean",
        "Automatically set all granted roles as active after the user has authenticated successfully.",
        true, Some("0")), &[8, 0]),
    p("allow-suspicious-udfs", BOOLEAN, "static", "boolean",
        "Controls whether user-defined functions that have only an xxx symbol for the main function can be loaded",
        false, None),
    since(p("auto_generate_certs", BOOLEAN, "static", "boolean",
        "Controls whether the server autogenerates SSL key and certificate files in the data directory, if they do not already exist.",
        false, None), &[5, 7]),
    p("autocommit", BOOLEAN, "dynamic", "boolean", "Sets the autocommit mode", true, None),
    p("basedir", "", "static", "string", "The MySQL installation base directory.", false,
        Some("/rdsdbbin/mysql")),
    p("binlog_format", "ROW,STATEMENT,MIXED", "dynamic", "string",
        "Binary logging format for replication", true, Some("MIXED")),
    p("character_set_server", "big5,latin1,latin2,ascii,utf8,ucs2,utf8mb4,utf16,utf32,binary",
        "dynamic", "string", "The server's default character set.", true, None),
    p("connect_timeout", "2-31536000", "dynamic", "integer",
        "The number of seconds that the mysqld server waits for a connect packet before responding with Bad handshake",
        true, None),
    p("datadir", "", "static", "string", "Path to the database root directory", false,
        Some("/rdsdbdata/db/")),
    p("general_log", BOOLEAN, "dynamic", "boolean", "Whether the general query log is enabled",
        true, None),
    p("innodb_buffer_pool_size", "5242880-9223372036854775807", "static", "integer",
        "The size in bytes of the memory buffer innodb uses to cache data and indexes of its tables",
        true, Some("{DBInstanceClassMemory*3/4}")),
    p("innodb_file_per_table", BOOLEAN, "dynamic", "boolean", "Use tablespaces or files for Innodb.",
        true, Some("1")),
    p("innodb_flush_log_at_trx_commit", "0,1,2", "dynamic", "integer",
        "Determines Innodb transaction durability", true, Some("1")),
    p("innodb_lock_wait_timeout", "1-1073741824", "dynamic", "integer",
        "Timeout in seconds an innodb transaction may wait for a row lock before giving up", true,
        None),
    p("log_bin_trust_function_creators", BOOLEAN, "dynamic", "boolean",
        "Enforces restrictions on stored functions / triggers - logging for replication.", true, None),
    p("log_output", "TABLE,FILE,NONE", "dynamic", "string", "Controls where to store query logs",
        true, Some("TABLE")),
    p("long_query_time", "0-31536000", "dynamic", "float",
        "Defines what MySQL considers long queries", true, None),
    p("max_allowed_packet", "1024-1073741824", "dynamic", "integer",
        "This value by default is small, to catch large (possibly incorrect) packets. Must be increased if using large BLOB columns or long strings. As big as largest BLOB.",
        true, None),
    p("max_connections", "1-100000", "dynamic", "integer",
        "The number of simultaneous client connections allowed.", true,
        Some("{DBInstanceClassMemory/12582880}")),
    p("performance_schema", BOOLEAN, "static", "boolean",
        "Enables or disables the Performance Schema", true, Some("0")),
    p("port", "1150-65535", "static", "integer", "Port number to use for connection.", false,
        Some("{EndPointPort}")),
    p("slow_query_log", BOOLEAN, "dynamic", "boolean", "Enable or disable the slow query log",
        true, None),
    p("sql_mode",
        "ALLOW_INVALID_DATES,ANSI_QUOTES,ERROR_FOR_DIVISION_BY_ZERO,HIGH_NOT_PRECEDENCE,IGNORE_SPACE,NO_AUTO_VALUE_ON_ZERO,NO_BACKSLASH_ESCAPES,NO_DIR_IN_CREATE,NO_ENGINE_SUBSTITUTION,NO_UNSIGNED_SUBTRACTION,NO_ZERO_DATE,NO_ZERO_IN_DATE,ONLY_FULL_GROUP_BY,PAD_CHAR_TO_FULL_LENGTH,PIPES_AS_CONCAT,REAL_AS_FLOAT,STRICT_ALL_TABLES,STRICT_TRANS_TABLES,ANSI,TRADITIONAL",
        "dynamic", "list", "Current SQL Server Mode.", true, None),
    p("table_open_cache", "1-524288", "dynamic", "integer",
        "The number of open tables for all threads. Increasing this value increases the number of file descriptors that mysqld requires.",
        true, None),
    p("time_zone",
        "Africa/Cairo,America/Chicago,America/Denver,America/Los_Angeles,America/New_York,America/Sao_Paulo,Asia/Kolkata,Asia/Seoul,Asia/Singapore,Asia/Tokyo,Australia/Sydney,Europe/Berlin,Europe/London,Europe/Paris,UTC",
        "dynamic", "string", "Sets the system time zone", true, None),
    p("wait_timeout", "1-31536000", "dynamic", "integer",
        "The number of seconds the server waits for activity on a noninteractive TCP/IP or UNIX File connection before closing it.",
        true, None),
];

/// PostgreSQL's parameters.
pub const POSTGRES: &[Parameter] = &[
    p(
        "application_name",
        "",
        "dynamic",
        "string",
        "Sets the application name to be reported in statistics and logs.",
        true,
        None,
    ),
    p(
        "autovacuum",
        BOOLEAN,
        "dynamic",
        "boolean",
        "Starts the autovacuum subprocess.",
        true,
        None,
    ),
    p(
        "autovacuum_max_workers",
        "1-262143",
        "static",
        "integer",
        "Sets the maximum number of simultaneously running autovacuum worker processes.",
        true,
        Some("GREATEST({DBInstanceClassMemory/64371566592},3)"),
    ),
    p(
        "checkpoint_timeout",
        "30-86400",
        "dynamic",
        "integer",
        "(s) Sets the maximum time between automatic WAL checkpoints.",
        true,
        None,
    ),
    p(
        "client_encoding",
        "BIG5,EUC_CN,EUC_JP,EUC_KR,GBK,LATIN1,LATIN2,SJIS,SQL_ASCII,UTF8,WIN1250,WIN1251,WIN1252",
        "dynamic",
        "string",
        "Sets the clients character set encoding.",
        true,
        None,
    ),
    p(
        "DateStyle",
        "",
        "dynamic",
        "string",
        "Sets the display format for date and time values.",
        true,
        Some("iso, mdy"),
    ),
    p(
        "default_transaction_isolation",
        "serializable,repeatable read,read committed,read uncommitted",
        "dynamic",
        "string",
        "Sets the transaction isolation level of each new transaction.",
        true,
        None,
    ),
    p(
        "log_connections",
        BOOLEAN,
        "dynamic",
        "boolean",
        "Logs each successful connection.",
        true,
        None,
    ),
    p(
        "log_min_duration_statement",
        "-1-2147483647",
        "dynamic",
        "integer",
        "(ms) Sets the minimum execution time above which statements will be logged.",
        true,
        None,
    ),
    p(
        "log_statement",
        "none,ddl,mod,all",
        "dynamic",
        "string",
        "Sets the type of statements logged.",
        true,
        None,
    ),
    p(
        "maintenance_work_mem",
        "1024-2147483647",
        "dynamic",
        "integer",
        "(kB) Sets the maximum memory to be used for maintenance operations.",
        true,
        Some("GREATEST({DBInstanceClassMemory*1024/63963136},65536)"),
    ),
    p(
        "max_connections",
        "6-8388607",
        "static",
        "integer",
        "Sets the maximum number of concurrent connections.",
        true,
        Some("LEAST({DBInstanceClassMemory/9531392},5000)"),
    ),
    p(
        "port",
        "1-65535",
        "static",
        "integer",
        "Sets the TCP port the server listens on.",
        false,
        Some("{EndPointPort}"),
    ),
    p(
        "rds.force_ssl",
        BOOLEAN,
        "dynamic",
        "boolean",
        "Force SSL connections.",
        true,
        Some("0"),
    ),
    p(
        "shared_buffers",
        "16-1073741823",
        "static",
        "integer",
        "(8kB) Sets the number of shared memory buffers used by the server.",
        true,
        Some("{DBInstanceClassMemory/32768}"),
    ),
    p(
        "ssl",
        BOOLEAN,
        "dynamic",
        "boolean",
        "Enables SSL connections.",
        false,
        Some("1"),
    ),
    p(
        "statement_timeout",
        "0-2147483647",
        "dynamic",
        "integer",
        "(ms) Sets the maximum allowed duration of any statement.",
        true,
        None,
    ),
    p(
        "timezone",
        "",
        "dynamic",
        "string",
        "Sets the time zone for displaying and interpreting time stamps.",
        true,
        Some("UTC"),
    ),
    p(
        "work_mem",
        "64-2147483647",
        "dynamic",
        "integer",
        "(kB) Sets the maximum memory to be used for query workspaces.",
        true,
        None,
    ),
];

/// The engine's parameters for this database, in the service's order.
fn catalogue(body: &Value) -> Vec<&'static Parameter> {
    let version: Vec<u32> = body["engineVersion"]
        .as_str()
        .unwrap_or("")
        .split('.')
        .filter_map(|part| part.parse().ok())
        .collect();
    let all = if body["engine"] == "mysql" {
        MYSQL
    } else {
        POSTGRES
    };
    let mut list: Vec<&'static Parameter> = all
        .iter()
        .filter(|p| p.since.is_empty() || version.as_slice() >= p.since)
        .collect();
    list.sort_by_key(|p| p.name.to_ascii_uppercase());
    list
}

fn wire(parameter: &Parameter, change: Option<&Value>) -> Value {
    let mut out = Map::new();
    if !parameter.allowed_values.is_empty() {
        out.insert("allowedValues".into(), json!(parameter.allowed_values));
    }
    let method = change
        .and_then(|c| c["applyMethod"].as_str())
        .unwrap_or("pending-reboot");
    out.insert("applyMethod".into(), json!(method));
    out.insert("applyType".into(), json!(parameter.apply_type));
    out.insert("dataType".into(), json!(parameter.data_type));
    out.insert("description".into(), json!(parameter.description));
    out.insert("isModifiable".into(), json!(parameter.is_modifiable));
    out.insert("parameterName".into(), json!(parameter.name));
    let value = change
        .and_then(|c| c["parameterValue"].as_str())
        .or(parameter.value);
    if let Some(value) = value {
        out.insert("parameterValue".into(), json!(value));
    }
    Value::Object(out)
}

pub fn get_parameters(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "relationalDatabaseName");
    let Record { body, private, .. } = require_record(ctx, name)?;
    let items: Vec<Value> = catalogue(&body)
        .into_iter()
        .map(|parameter| wire(parameter, private["parameters"].get(parameter.name)))
        .collect();
    Ok(page_of(items, input, ctx.settings.page_size)?.into_output("parameters"))
}

/// Whether `value` is one of `allowed` (a comma list, or `low-high` numbers; empty: anything).
fn allowed(parameter: &Parameter, value: &str) -> bool {
    let allowed = parameter.allowed_values;
    if allowed.is_empty() {
        return true;
    }
    if let Some((low, high)) = range(allowed) {
        return value.parse::<f64>().is_ok_and(|v| low <= v && v <= high);
    }
    let choices: Vec<&str> = allowed.split(',').collect();
    if parameter.data_type == "list" {
        return value.split(',').all(|item| choices.contains(&item.trim()));
    }
    choices.contains(&value)
}

/// `low-high` (either may be negative: `-1-2147483647`).
fn range(text: &str) -> Option<(f64, f64)> {
    let split = text[1..].find('-')? + 1;
    let low = text[..split].parse().ok()?;
    let high = text[split + 1..].parse().ok()?;
    Some((low, high))
}

pub fn update_parameters(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "relationalDatabaseName");
    let Record {
        mut body,
        mut private,
        ..
    } = require_record(ctx, name)?;
    let catalogue = catalogue(&body);
    let requested = input["parameters"].as_array().cloned().unwrap_or_default();
    if requested.is_empty() {
        return Err(invalid("Specify at least one parameter.".to_string()));
    }
    let mut changes = Vec::new();
    for item in &requested {
        let parameter_name = item["parameterName"].as_str().unwrap_or("");
        let Some(parameter) = catalogue.iter().find(|p| p.name == parameter_name) else {
            return Err(invalid(format!(
                "Could not find parameter with name: {parameter_name}"
            )));
        };
        if !parameter.is_modifiable {
            return Err(invalid(format!(
                "The parameter {parameter_name} cannot be modified."
            )));
        }
        let method = item["applyMethod"].as_str().unwrap_or("pending-reboot");
        if method != "immediate" && method != "pending-reboot" {
            return Err(invalid(format!(
                "applyMethod must be immediate or pending-reboot: {method}"
            )));
        }
        if method == "immediate" && parameter.apply_type == "static" {
            return Err(invalid(format!(
                "The parameter {parameter_name} is static: its applyMethod must be pending-reboot."
            )));
        }
        let value = item["parameterValue"].as_str().unwrap_or("");
        if !allowed(parameter, value) {
            return Err(invalid(format!(
                "The value {value} is not allowed for the parameter {parameter_name} (allowed: {})",
                parameter.allowed_values
            )));
        }
        changes.push((parameter_name, value, method));
    }
    let stored = private
        .as_object_mut()
        .map(|p| p.entry("parameters").or_insert_with(|| json!({})));
    if let Some(Value::Object(stored)) = stored {
        for (parameter_name, value, method) in &changes {
            stored.insert(
                parameter_name.to_string(),
                json!({"parameterValue": value, "applyMethod": method}),
            );
        }
    }
    let waits_for_reboot = body["parameterApplyStatus"] == "pending-reboot"
        || changes
            .iter()
            .any(|(_, _, method)| *method == "pending-reboot");
    body["parameterApplyStatus"] = json!("applying");
    ctx.db().put(KIND, name, &body)?;
    ctx.db().put_private(KIND, name, &private)?;
    let operation = ctx.record(NewOperation::started(KIND, name, body["location"].clone()))?;
    ctx.schedule(
        "RelationalDatabase.parameters",
        Transition::of(KIND, name)
            .only_if("/parameterApplyStatus", "applying")
            .set(
                "/parameterApplyStatus",
                if waits_for_reboot {
                    "pending-reboot"
                } else {
                    "in-sync"
                },
            )
            .finishing(std::slice::from_ref(&operation)),
    )?;
    Ok(json!({ "operations": [operation] }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_s_order_and_members() {
        let body = json!({"engine": "mysql", "engineVersion": "8.0.16"});
        let names: Vec<&str> = catalogue(&body).iter().map(|p| p.name).collect();
        assert_eq!(
            names[..4],
            [
                "activate_all_roles_on_login",
                "allow-suspicious-udfs",
                "autocommit",
                "auto_generate_certs"
            ]
        );
        let older = json!({"engine": "mysql", "engineVersion": "5.6.44"});
        assert!(!catalogue(&older)
            .iter()
            .any(|p| p.name == "activate_all_roles_on_login"));
        let first = wire(catalogue(&body)[0], None);
        assert_eq!(first["parameterValue"], "0");
        assert_eq!(first["applyMethod"], "pending-reboot");
        assert!(wire(catalogue(&body)[1], None)
            .get("parameterValue")
            .is_none());
    }

    #[test]
    fn allowed_values() {
        let find = |name: &str| MYSQL.iter().find(|p| p.name == name).unwrap();
        assert!(allowed(find("autocommit"), "1"));
        assert!(!allowed(find("autocommit"), "2"));
        assert!(allowed(find("connect_timeout"), "10"));
        assert!(!allowed(find("connect_timeout"), "1"));
        assert!(allowed(find("sql_mode"), "STRICT_ALL_TABLES,ANSI"));
        assert!(!allowed(find("sql_mode"), "STRICT_ALL_TABLES,NOPE"));
        let duration = POSTGRES
            .iter()
            .find(|p| p.name == "log_min_duration_statement")
            .unwrap();
        assert!(allowed(duration, "-1"));
        assert_eq!(range("-1-2147483647"), Some((-1.0, 2_147_483_647.0)));
    }
}
