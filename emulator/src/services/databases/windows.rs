//! A database's two weekly rhythms: the daily backup window (`hh24:mi-hh24:mi`) and the weekly
//! maintenance window (`ddd:hh24:mi-ddd:hh24:mi`), both in UTC.
//!
//! The rules are the model's documentation: each window lasts at least 30 minutes, the two must not
//! overlap, days are `Mon`..`Sun` (any case; stored lowercase, as the service answers them:
//! `sat:11:14-sat:11:44`). When the caller names none, each is "a 30-minute window selected at random
//! from an 8-hour block of time for each AWS Region", the maintenance window "on a random day of the
//! week": us-west-2's block starts at 06:00 UTC, which all the AWS CLI examples' windows fit
//! (`10:01-10:31`, `07:51-08:21`, `sat:11:14-sat:11:44`, ...); the other regions' blocks are ours, after
//! each region's night. Changes that wait for the maintenance window are applied at its next start
//! ([`next_start`]).

use crate::engine::Ctx;
use crate::error::ApiError;

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DAY: i64 = 1440;
const WEEK: i64 = 7 * DAY;

fn invalid(message: String) -> ApiError {
    ApiError::invalid_input("InvalidInput", message)
}

/// `hh24:mi` as minutes of the day.
fn clock_minutes(text: &str) -> Option<i64> {
    let (hours, minutes) = text.split_once(':')?;
    if hours.len() != 2 || minutes.len() != 2 {
        return None;
    }
    let hours: i64 = hours.parse().ok()?;
    let minutes: i64 = minutes.parse().ok()?;
    (hours < 24 && minutes < 60).then_some(hours * 60 + minutes)
}

/// `ddd:hh24:mi` as minutes of the week (Monday 00:00 is 0).
fn week_minutes(text: &str) -> Option<i64> {
    let (day, time) = text.split_once(':')?;
    let day = DAYS.iter().position(|d| d.eq_ignore_ascii_case(day))? as i64;
    Some(day * DAY + clock_minutes(time)?)
}

/// A daily window: start minute of the day and length in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Daily {
    pub start: i64,
    pub length: i64,
}

/// A weekly window: start minute of the week and length in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weekly {
    pub start: i64,
    pub length: i64,
}

/// Parses a backup window (`16:00-16:30`).
pub fn parse_backup(text: &str) -> Result<Daily, ApiError> {
    let parsed = text
        .split_once('-')
        .and_then(|(from, to)| Some((clock_minutes(from)?, clock_minutes(to)?)));
    let Some((from, to)) = parsed else {
        return Err(invalid(format!(
            "The preferred backup window must be in the format hh24:mi-hh24:mi: {text}"
        )));
    };
    let length = (to - from).rem_euclid(DAY);
    if length < 30 {
        return Err(invalid(format!(
            "The preferred backup window must be at least 30 minutes long: {text}"
        )));
    }
    Ok(Daily {
        start: from,
        length,
    })
}

/// Parses a maintenance window (`Tue:17:00-Tue:17:30`).
pub fn parse_maintenance(text: &str) -> Result<Weekly, ApiError> {
    let parsed = text.split_once('-').and_then(|(from, to)| {
        let from = week_minutes(from)?;
        let to = week_minutes(to)?;
        Some((from, to))
    });
    let Some((from, to)) = parsed else {
        return Err(invalid(format!(
            "The preferred maintenance window must be in the format ddd:hh24:mi-ddd:hh24:mi: {text}"
        )));
    };
    let length = (to - from).rem_euclid(WEEK);
    if length < 30 {
        return Err(invalid(format!(
            "The preferred maintenance window must be at least 30 minutes long: {text}"
        )));
    }
    Ok(Weekly {
        start: from,
        length,
    })
}

/// Whether the daily backup window and the weekly maintenance window ever overlap.
pub fn overlap(backup: Daily, maintenance: Weekly) -> bool {
    // Every backup window of the week (and the one spilling in from the week before) against the
    // maintenance window and its copy a week later.
    (-1..=7).any(|day| {
        let from = day * DAY + backup.start;
        let to = from + backup.length;
        [maintenance.start, maintenance.start + WEEK]
            .iter()
            .any(|m| from < m + maintenance.length && *m < to)
    })
}

/// Checks that the two windows do not overlap.
pub fn check_apart(backup: &str, maintenance: &str) -> Result<(), ApiError> {
    if overlap(parse_backup(backup)?, parse_maintenance(maintenance)?) {
        return Err(invalid(format!(
            "The preferred backup window and the preferred maintenance window must not overlap: \
             {backup}, {maintenance}"
        )));
    }
    Ok(())
}

fn clock_text(minutes: i64) -> String {
    let minutes = minutes.rem_euclid(DAY);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn week_text(minutes: i64) -> String {
    let minutes = minutes.rem_euclid(WEEK);
    format!(
        "{}:{}",
        DAYS[(minutes / DAY) as usize],
        clock_text(minutes % DAY)
    )
}

/// The backup window as the service writes it.
pub fn backup_text(window: Daily) -> String {
    format!(
        "{}-{}",
        clock_text(window.start),
        clock_text(window.start + window.length)
    )
}

/// The maintenance window as the service writes it (lowercase days).
pub fn maintenance_text(window: Weekly) -> String {
    format!(
        "{}-{}",
        week_text(window.start),
        week_text(window.start + window.length)
    )
}

/// The first hour (UTC) of the region's 8-hour block for automatic windows.
fn block_start_hour(region: &str) -> i64 {
    match region {
        "us-east-1" | "us-east-2" | "ca-central-1" => 3,
        "us-west-2" => 6,
        "eu-west-1" | "eu-west-2" => 22,
        "eu-west-3" => 7,
        "eu-central-1" => 20,
        "eu-north-1" => 23,
        "ap-south-1" => 16,
        "ap-southeast-1" | "ap-southeast-5" => 14,
        "ap-southeast-2" => 12,
        "ap-northeast-1" | "ap-northeast-2" => 13,
        "ap-southeast-3" => 15,
        _ => 6,
    }
}

/// Random 30-minute backup and maintenance windows in the region's block, apart from each other.
pub fn generate(ctx: &mut Ctx<'_>) -> (Daily, Weekly) {
    let block = block_start_hour(ctx.region.name) * 60;
    let backup = Daily {
        start: (block + ctx.ids.below(451) as i64).rem_euclid(DAY),
        length: 30,
    };
    let day = ctx.ids.below(7) as i64;
    let mut offset = ctx.ids.below(451) as i64;
    let mut maintenance = Weekly {
        start: day * DAY + (block + offset).rem_euclid(DAY),
        length: 30,
    };
    while overlap(backup, maintenance) {
        offset = (offset + 60) % 451;
        maintenance.start = day * DAY + (block + offset).rem_euclid(DAY);
    }
    (backup, maintenance)
}

/// Seconds since the start of the week (Monday 00:00 UTC) at epoch second `t`.
fn second_of_week(t: i64) -> i64 {
    // 1970-01-01 was a Thursday (day 3 of a Monday-first week).
    (t.div_euclid(86_400) + 3).rem_euclid(7) * 86_400 + t.rem_euclid(86_400)
}

/// The next start of the maintenance window at or after `now` (epoch seconds).
pub fn next_start(maintenance: Weekly, now: f64) -> f64 {
    let now = now.ceil() as i64;
    let delta = (maintenance.start * 60 - second_of_week(now)).rem_euclid(WEEK * 60);
    (now + delta) as f64
}

/// The start of the backup window on the day of epoch second `t` (epoch seconds).
pub fn backup_start_on_day_of(backup: Daily, t: i64) -> i64 {
    t.div_euclid(86_400) * 86_400 + backup.start * 60
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print() {
        let backup = parse_backup("10:01-10:31").unwrap();
        assert_eq!(
            backup,
            Daily {
                start: 601,
                length: 30
            }
        );
        assert_eq!(backup_text(backup), "10:01-10:31");
        assert_eq!(parse_backup("23:45-00:15").unwrap().length, 30);
        assert!(parse_backup("10:01-10:20").is_err());
        assert!(parse_backup("1001-1031").is_err());
        assert!(parse_backup("25:00-25:30").is_err());
        let maintenance = parse_maintenance("Tue:17:00-Tue:17:30").unwrap();
        assert_eq!(maintenance_text(maintenance), "tue:17:00-tue:17:30");
        assert_eq!(
            maintenance_text(parse_maintenance("sun:23:50-mon:00:20").unwrap()),
            "sun:23:50-mon:00:20"
        );
        assert!(parse_maintenance("xyz:17:00-tue:17:30").is_err());
    }

    #[test]
    fn overlaps() {
        let backup = parse_backup("10:00-10:30").unwrap();
        assert!(overlap(
            backup,
            parse_maintenance("sat:10:15-sat:10:45").unwrap()
        ));
        assert!(!overlap(
            backup,
            parse_maintenance("sat:10:30-sat:11:00").unwrap()
        ));
        assert!(overlap(
            parse_backup("23:50-00:20").unwrap(),
            parse_maintenance("mon:00:00-mon:00:30").unwrap()
        ));
        assert!(check_apart("10:00-10:30", "sat:10:15-sat:10:45").is_err());
    }

    #[test]
    fn next_maintenance() {
        // 2019-09-30 18:00:38 UTC was a Monday.
        let now = 1_569_866_438.48;
        let tuesday = parse_maintenance("tue:17:00-tue:17:30").unwrap();
        assert_eq!(next_start(tuesday, now), 1_569_949_200.0); // 2019-10-01 17:00
        let monday_later = parse_maintenance("mon:18:30-mon:19:00").unwrap();
        assert_eq!(next_start(monday_later, now), 1_569_868_200.0);
        let monday_earlier = parse_maintenance("mon:09:00-mon:09:30").unwrap();
        assert_eq!(next_start(monday_earlier, now), 1_570_438_800.0);
    }
}
