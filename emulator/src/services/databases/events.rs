//! What a database has to say: GetRelationalDatabaseEvents, GetRelationalDatabaseLogStreams and
//! GetRelationalDatabaseLogEvents.
//!
//! Events are those the database's lifecycle recorded (created, stopped, started, restarted,
//! credentials reset, changes applied; RDS's event messages with "DB instance" written "Relational
//! Database", our wording) plus its automated backups: one when it becomes available, then one a day at
//! the start of its backup window while backup retention is on, each "Backing up Relational Database"
//! and, a minute or two later, "Finished Relational Database backup" (the AWS CLI example's messages
//! and category). `durationInMinutes` is 1 to 20,160 (14 days; default 60), as the model documents;
//! events come oldest first.
//!
//! Log streams are the engine's: `audit`, `error`, `general` and `slowquery` for MySQL (the example),
//! `postgresql` for PostgreSQL (RDS's name). Log events are synthesized, a few an hour while the
//! database exists, a pure function of the database, the stream and the hour (so the same window
//! always reads the same), in each engine's log format with client addresses from 192.0.2.0/24. Paging
//! follows CloudWatch Logs: `startFromHead` reads from the oldest event (default: the newest page),
//! at most 10,000 events a page (or `--page-size`), and both tokens always come back (`f/N`, `b/N`:
//! ours); a forward token at the end returns no events and itself.

use serde_json::{json, Value};

use crate::engine::clock::civil;
use crate::engine::metrics::uniform;
use crate::engine::{input, Ctx, Record};
use crate::error::ApiError;
use crate::services::databases::database::require_record;
use crate::services::databases::{invalid, page_of, windows};

/// The most minutes GetRelationalDatabaseEvents looks back (14 days).
const MAX_DURATION_MINUTES: i64 = 20_160;
/// CloudWatch Logs' most events in one GetLogEvents answer.
const MAX_LOG_EVENTS: usize = 10_000;

pub fn get_events(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "relationalDatabaseName");
    let Record { body, private, .. } = require_record(ctx, name)?;
    let minutes = input::integer(input, "durationInMinutes").unwrap_or(60);
    if !(1..=MAX_DURATION_MINUTES).contains(&minutes) {
        return Err(invalid(format!(
            "durationInMinutes must be between 1 and {MAX_DURATION_MINUTES}: {minutes}"
        )));
    }
    let now = ctx.now();
    let since = now - minutes as f64 * 60.0;
    let event = |time: f64, message: &Value, categories: &Value| {
        json!({
            "resource": name,
            "createdAt": time,
            "message": message,
            "eventCategories": categories,
        })
    };
    let mut events: Vec<(f64, Value)> = private["events"]
        .as_array()
        .map(|recorded| {
            recorded
                .iter()
                .map(|e| {
                    let time = e["createdAt"].as_f64().unwrap_or(0.0);
                    (time, event(time, &e["message"], &e["eventCategories"]))
                })
                .collect()
        })
        .unwrap_or_default();
    let backup = json!(["backup"]);
    for time in backups(&body, &private, since - 600.0, now) {
        let finished = time + 60.0 + (120.0 * uniform(name, time as i64, "backup")).floor();
        events.push((
            time,
            event(time, &json!("Backing up Relational Database"), &backup),
        ));
        events.push((
            finished,
            event(
                finished,
                &json!("Finished Relational Database backup"),
                &backup,
            ),
        ));
    }
    events.retain(|(time, _)| *time > since && *time <= now);
    events.sort_by(|a, b| a.0.total_cmp(&b.0));
    let items: Vec<Value> = events.into_iter().map(|(_, event)| event).collect();
    Ok(page_of(items, input, ctx.settings.page_size)?.into_output("relationalDatabaseEvents"))
}

/// The start times of the automated backups in `[from, to]`.
fn backups(body: &Value, private: &Value, from: f64, to: f64) -> Vec<f64> {
    let Some(since) = private["backupSince"].as_f64() else {
        return Vec::new();
    };
    let until = private["backupUntil"].as_f64().unwrap_or(f64::MAX).min(to);
    let Ok(window) = windows::parse_backup(body["preferredBackupWindow"].as_str().unwrap_or(""))
    else {
        return Vec::new();
    };
    let mut times = Vec::new();
    if since >= from && since <= until {
        times.push(since);
    }
    let mut day = windows::backup_start_on_day_of(window, from.max(since).floor() as i64);
    while (day as f64) <= until {
        let time = day as f64;
        if time > since && time >= from {
            times.push(time);
        }
        day += 86_400;
    }
    times
}

/// The engine's log streams.
fn log_streams(body: &Value) -> &'static [&'static str] {
    if body["engine"] == "mysql" {
        &["audit", "error", "general", "slowquery"]
    } else {
        &["postgresql"]
    }
}

pub fn get_log_streams(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "relationalDatabaseName");
    let body = ctx.db().require(super::KIND, name)?;
    Ok(json!({ "logStreams": log_streams(&body) }))
}

/// A documentation address (192.0.2.0/24) for a client.
fn client_address(seed: f64) -> String {
    format!("192.0.2.{}", 10 + (seed * 200.0) as u32)
}

fn date_time(t: i64) -> (String, String) {
    let (y, mo, d, h, mi, s) = civil(t);
    (
        format!("{y:04}-{mo:02}-{d:02}"),
        format!("{h:02}:{mi:02}:{s:02}"),
    )
}

/// One log line of `stream` at `t`.
fn log_message(body: &Value, stream: &str, t: i64, u: f64) -> String {
    let (date, time) = date_time(t);
    let user = body["masterUsername"].as_str().unwrap_or("dbmasteruser");
    let database = body["masterDatabaseName"].as_str().unwrap_or("dbmaster");
    let client = client_address(u);
    let thread = 10 + (u * 9_000.0) as u32;
    let mysql8 = body["engineVersion"]
        .as_str()
        .is_some_and(|v| v.starts_with("8."));
    let variant = (u * 1_000.0) as u32 % 3;
    match stream {
        "error" if mysql8 => match variant {
            0 => format!(
                "{date}T{time}.{:06}Z {thread} [Warning] [MY-010055] [Server] IP address '{client}' \
                 could not be resolved: Name or service not known",
                thread * 37 % 1_000_000
            ),
            _ => format!(
                "{date}T{time}.{:06}Z {thread} [Note] [MY-010914] [Server] Aborted connection {thread} \
                 to db: '{database}' user: '{user}' host: '{client}' (Got an error reading \
                 communication packets).",
                thread * 37 % 1_000_000
            ),
        },
        "error" => match variant {
            0 => format!(
                "{date} {time} {thread} [Warning] IP address '{client}' could not be resolved: Name \
                 or service not known"
            ),
            _ => format!(
                "{date} {time} {thread} [Warning] Aborted connection {thread} to db: '{database}' \
                 user: '{user}' host: '{client}' (Got an error reading communication packets)"
            ),
        },
        "general" => {
            let what = match variant {
                0 => format!("Connect\t{user}@{client} on {database} using TCP/IP"),
                1 => "Query\tSELECT 1".to_string(),
                _ => "Quit\t".to_string(),
            };
            format!("{date}T{time}.{:06}Z\t{thread:>6} {what}", thread * 53 % 1_000_000)
        }
        "slowquery" => format!(
            "# Time: {date}T{time}.{:06}Z\n# User@Host: {user}[{user}] @  [{client}]  Id: {thread}\n\
             # Query_time: {:.6}  Lock_time: 0.000{:03} Rows_sent: 1  Rows_examined: {}\n\
             SET timestamp={t};\nSELECT COUNT(*) FROM information_schema.tables;",
            thread * 41 % 1_000_000,
            2.0 + u * 8.0,
            100 + variant * 37,
            10_000 + thread * 11
        ),
        "audit" => {
            let (compact, _) = date_time(t);
            let action = ["CONNECT", "QUERY", "DISCONNECT"][variant as usize];
            let query = if action == "QUERY" { "'SELECT 1'" } else { "" };
            format!(
                "{} {time},ip-172-26-{}-{},{user},{client},{thread},{},{action},{database},{query},0",
                compact.replace('-', ""),
                1 + thread % 250,
                1 + thread % 200,
                thread * 7
            )
        }
        _ => match variant {
            0 => format!("{date} {time} UTC::@:[{thread}]:LOG:  checkpoint starting: time"),
            1 => format!(
                "{date} {time} UTC::@:[{thread}]:LOG:  checkpoint complete: wrote {} buffers ({:.1}%); \
                 0 WAL file(s) added, 0 removed, 1 recycled",
                5 + thread % 90,
                u * 2.0
            ),
            _ => format!(
                "{date} {time} UTC:{client}({}):{user}@{database}:[{thread}]:LOG:  connection \
                 authorized: user={user} database={database} SSL enabled (protocol=TLSv1.2, \
                 cipher=ECDHE-RSA-AES256-GCM-SHA384, bits=256)",
                40_000 + thread % 20_000
            ),
        },
    }
}

/// How many lines a stream writes in an hour, at most.
fn lines_per_hour(stream: &str) -> f64 {
    match stream {
        "error" | "slowquery" => 2.0,
        "general" | "audit" => 5.0,
        _ => 4.0,
    }
}

/// Every log event of `stream` in `[from, to]`, oldest first.
fn log_events(body: &Value, stream: &str, from: i64, to: i64) -> Vec<(i64, String)> {
    let name = body["name"].as_str().unwrap_or("");
    let key = format!("{name}/{stream}");
    let mut events = Vec::new();
    let mut hour = from.div_euclid(3600) * 3600;
    while hour <= to {
        let count = (lines_per_hour(stream) * uniform(&key, hour, "count")).round() as i64;
        let mut times: Vec<i64> = (0..count)
            .map(|n| hour + (3600.0 * uniform(&key, hour, &format!("at{n}"))) as i64)
            .collect();
        times.sort_unstable();
        for (n, t) in times.into_iter().enumerate() {
            if t >= from && t <= to {
                let u = uniform(&key, t, &format!("line{n}"));
                events.push((t, log_message(body, stream, t, u)));
            }
        }
        hour += 3600;
    }
    events
}

fn token_position(token: &str, direction: char, len: usize) -> Option<usize> {
    let rest = token.strip_prefix(direction)?.strip_prefix('/')?;
    let n: usize = rest.parse().ok()?;
    (n <= len && rest.bytes().all(|b| b.is_ascii_digit())).then_some(n)
}

pub fn get_log_events(ctx: &mut Ctx<'_>, input: &Value) -> Result<Value, ApiError> {
    let name = input::string(input, "relationalDatabaseName");
    let body = ctx.db().require(super::KIND, name)?;
    let stream = input::string(input, "logStreamName");
    if !log_streams(&body).contains(&stream) {
        return Err(invalid(format!(
            "The log stream is not valid for this database (valid: {}): {stream}",
            log_streams(&body).join(", ")
        )));
    }
    let created = body["createdAt"].as_f64().unwrap_or(0.0).ceil() as i64;
    let now = ctx.now().floor() as i64;
    let start = input
        .get("startTime")
        .and_then(Value::as_f64)
        .map_or(created, |t| (t.ceil() as i64).max(created));
    let end = input
        .get("endTime")
        .and_then(Value::as_f64)
        .map_or(now, |t| (t.floor() as i64).min(now));
    if let (Some(from), Some(to)) = (
        input.get("startTime").and_then(Value::as_f64),
        input.get("endTime").and_then(Value::as_f64),
    ) {
        if from > to {
            return Err(invalid(
                "The start time must not be after the end time.".to_string(),
            ));
        }
    }
    let events = if start <= end {
        log_events(&body, stream, start, end)
    } else {
        Vec::new()
    };
    let limit = match ctx.settings.page_size {
        0 => MAX_LOG_EVENTS,
        n => n.min(MAX_LOG_EVENTS),
    };
    let len = events.len();
    let (from, to) = match input::optional_string(input, "pageToken") {
        Some(token) => {
            if let Some(n) = token_position(token, 'f', len) {
                (n, (n + limit).min(len))
            } else if let Some(n) = token_position(token, 'b', len) {
                (n.saturating_sub(limit), n)
            } else {
                return Err(invalid(format!("The page token is not valid: {token}")));
            }
        }
        None if input::flag(input, "startFromHead") => (0, limit.min(len)),
        None => (len.saturating_sub(limit), len),
    };
    let page: Vec<Value> = events[from..to]
        .iter()
        .map(|(t, message)| json!({"createdAt": *t as f64, "message": message}))
        .collect();
    Ok(json!({
        "resourceLogEvents": page,
        "nextBackwardToken": format!("b/{from}"),
        "nextForwardToken": format!("f/{to}"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_are_stable_and_in_order() {
        let body = json!({"name": "db", "engine": "mysql", "engineVersion": "5.7.26",
            "masterUsername": "admin", "masterDatabaseName": "app"});
        let a = log_events(&body, "error", 1_570_000_000, 1_570_100_000);
        assert_eq!(a, log_events(&body, "error", 1_570_000_000, 1_570_100_000));
        assert!(!a.is_empty());
        assert!(a.windows(2).all(|w| w[0].0 <= w[1].0));
        assert!(a.iter().all(|(_, m)| m.contains("[Warning]")));
        // A narrower window reads the same lines.
        let b = log_events(&body, "error", 1_570_050_000, 1_570_100_000);
        assert!(b.iter().all(|e| a.contains(e)));
        assert_eq!(token_position("f/3", 'f', 5), Some(3));
        assert_eq!(token_position("f/9", 'f', 5), None);
        assert_eq!(token_position("b/x", 'b', 5), None);
    }

    #[test]
    fn backups_follow_the_window() {
        let body = json!({"preferredBackupWindow": "10:00-10:30"});
        let private = json!({"backupSince": 1_569_866_438.0});
        let day = 86_400.0;
        let times = backups(
            &body,
            &private,
            1_569_866_000.0,
            1_569_866_438.0 + 2.0 * day,
        );
        // The first backup at creation, then 10:00 on each of the next two days.
        assert_eq!(times, [1_569_866_438.0, 1_569_924_000.0, 1_570_010_400.0]);
        let stopped = json!({"backupSince": 1_569_866_438.0, "backupUntil": 1_569_900_000.0});
        assert_eq!(
            backups(
                &body,
                &stopped,
                1_569_866_000.0,
                1_569_866_438.0 + 2.0 * day
            ),
            [1_569_866_438.0]
        );
    }
}
