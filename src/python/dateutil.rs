//! `dateutil.parser.parse` (python-dateutil 2.9.0, the reference's), as botocore calls it: with
//! `tzinfos={'GMT': tzutc()}`, no fuzzy parsing, `dayfirst` and `yearfirst` off.
//!
//! botocore reads every timestamp string that is not an epoch number through this parser: timestamp
//! parameters (`2024-01-01`, `Jan 31 2024 10pm`, `Mon, 01 Jan 2024 00:00:00 GMT`) and, with
//! `cli_timestamp_format = iso8601`, timestamps in responses. Its rules are heuristics (a lexer that splits
//! on changes of character class, then a token walk that guesses which number is a year, a month, a day or
//! a time), so no date crate reads the same strings the same way; this is the same algorithm written
//! anew in Rust: `timelex` is dateutil's `_timelex`, `parse_tokens` its `parser._parse`, `Ymd::resolve`
//! `_ymd.resolve_ymd`, and `build` its `_build_naive` and `_build_tzaware`. Fields the string leaves out
//! come from today's local date at midnight, as in dateutil.
//!
//! Errors carry dateutil's messages (`Unknown string format: X`, `String does not contain a date: X`,
//! `day is out of range for month: X`, ...). A number too large for a C integer is an
//! [`DateutilError::Overflow`], which botocore reports differently.

use super::unicode::decimal_value;

/// What `parse` makes of a string's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// No zone given: a naive datetime.
    Naive,
    /// A fixed offset east of UTC in seconds (`Z`, `UTC`, `GMT`, `+02:00`, `GMT+3`...).
    Fixed(i64),
    /// A name of the local zone (`time.tzname`): `tzlocal()`, whose offset depends on the date.
    Local,
}

/// A parsed date and time (the fields of a `datetime`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub microsecond: u32,
    pub zone: Zone,
}

/// The result of a successful parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub datetime: DateTime,
    /// A zone name dateutil saw but did not understand (it then warns with `UnknownTimezoneWarning` and
    /// returns a naive datetime).
    pub unknown_zone: Option<String>,
}

/// Why `parse` failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateutilError {
    /// `ParserError` (a `ValueError`): its message.
    Invalid(String),
    /// `OverflowError`: a field too large for a C integer.
    Overflow,
}

/// What the parser needs to know about the machine: today's local date (dateutil's default for missing
/// fields), the local year (for two-digit years), and the local zone's names (`time.tzname`).
pub trait LocalTime {
    fn today(&self) -> (i64, u32, u32);
    fn zone_names(&self) -> (String, String);
}

/// `dateutil.parser.parse(text, tzinfos={'GMT': tzutc()})`.
pub fn parse(text: &str, local: &dyn LocalTime) -> Result<Parsed, DateutilError> {
    let tokens = timelex(text);
    let today = local.today();
    let Some(res) = parse_tokens(tokens, today.0) else {
        return Err(DateutilError::Invalid(format!(
            "Unknown string format: {text}"
        )));
    };
    if res.is_empty() {
        return Err(DateutilError::Invalid(format!(
            "String does not contain a date: {text}"
        )));
    }
    let mut datetime = build_naive(&res, today).map_err(|e| match e {
        BuildError::Value(message) => DateutilError::Invalid(format!("{message}: {text}")),
        BuildError::Overflow => DateutilError::Overflow,
    })?;
    let names = local.zone_names();
    let mut unknown_zone = None;
    datetime.zone = match (&res.tzname, res.tzoffset) {
        (Some(name), _) if name == "GMT" => Zone::Fixed(0),
        (Some(name), _) if *name == names.0 || *name == names.1 => Zone::Local,
        (_, Some(0)) => Zone::Fixed(0),
        (_, Some(offset)) => Zone::Fixed(offset),
        (None, None) => Zone::Naive,
        (Some(name), None) => {
            unknown_zone = Some(name.clone());
            Zone::Naive
        }
    };
    Ok(Parsed {
        datetime,
        unknown_zone,
    })
}

// ---------------------------------------------------------------------------------------------------
// The lexer (`_timelex`)

fn is_word(c: char) -> bool {
    c.is_alphabetic()
}

fn is_num(c: char) -> bool {
    decimal_value(c).is_some()
}

fn is_space(c: char) -> bool {
    super::unicode::is_space(c)
}

#[derive(Clone, Copy, PartialEq)]
enum LexState {
    Word,
    Num,
    WordDot,
    NumDot,
}

/// `_timelex.split(text)`: words, numbers (with their dots and commas), single spaces and punctuation.
fn timelex(text: &str) -> Vec<String> {
    let mut chars = text.chars().filter(|&c| c != '\0').peekable();
    let mut tokens = Vec::new();
    let mut stack: std::collections::VecDeque<String> = Default::default();
    loop {
        if let Some(token) = stack.pop_front() {
            tokens.push(token);
            continue;
        }
        let mut token = String::new();
        let mut state: Option<LexState> = None;
        let mut seen_letters = false;
        while let Some(&c) = chars.peek() {
            match state {
                None => {
                    chars.next();
                    token.push(c);
                    if is_word(c) {
                        state = Some(LexState::Word);
                    } else if is_num(c) {
                        state = Some(LexState::Num);
                    } else {
                        if is_space(c) {
                            token = " ".to_string();
                        }
                        break;
                    }
                }
                Some(LexState::Word) => {
                    seen_letters = true;
                    if is_word(c) {
                        token.push(c);
                    } else if c == '.' {
                        token.push(c);
                        state = Some(LexState::WordDot);
                    } else {
                        break;
                    }
                    chars.next();
                }
                Some(LexState::Num) => {
                    if is_num(c) {
                        token.push(c);
                    } else if c == '.' || (c == ',' && token.chars().count() >= 2) {
                        token.push(c);
                        state = Some(LexState::NumDot);
                    } else {
                        break;
                    }
                    chars.next();
                }
                Some(LexState::WordDot) => {
                    seen_letters = true;
                    if c == '.' || is_word(c) {
                        token.push(c);
                    } else if is_num(c) && token.ends_with('.') {
                        token.push(c);
                        state = Some(LexState::NumDot);
                    } else {
                        break;
                    }
                    chars.next();
                }
                Some(LexState::NumDot) => {
                    if c == '.' || is_num(c) {
                        token.push(c);
                    } else if is_word(c) && token.ends_with('.') {
                        token.push(c);
                        state = Some(LexState::WordDot);
                    } else {
                        break;
                    }
                    chars.next();
                }
            }
        }
        if state.is_none() && token.is_empty() {
            return tokens;
        }
        let dotted = matches!(state, Some(LexState::WordDot | LexState::NumDot));
        if dotted && (seen_letters || token.matches('.').count() > 1 || token.ends_with(['.', ',']))
        {
            // re.split("([.,])", token): the pieces and the separators, empty pieces dropped after the first.
            let mut parts = Vec::new();
            let mut current = String::new();
            for c in token.chars() {
                if c == '.' || c == ',' {
                    parts.push(std::mem::take(&mut current));
                    parts.push(c.to_string());
                } else {
                    current.push(c);
                }
            }
            parts.push(current);
            let mut parts = parts.into_iter();
            token = parts.next().unwrap_or_default();
            stack.extend(parts.filter(|p| !p.is_empty()));
        }
        if state == Some(LexState::NumDot) && !token.contains('.') {
            token = token.replace(',', ".");
        }
        tokens.push(token);
    }
}

// ---------------------------------------------------------------------------------------------------
// parserinfo

const JUMP: &[&str] = &[
    " ", ".", ",", ";", "-", "/", "'", "at", "on", "and", "ad", "m", "t", "of", "st", "nd", "rd",
    "th",
];
const WEEKDAYS: &[&[&str]] = &[
    &["mon", "monday"],
    &["tue", "tuesday"],
    &["wed", "wednesday"],
    &["thu", "thursday"],
    &["fri", "friday"],
    &["sat", "saturday"],
    &["sun", "sunday"],
];
const MONTHS: &[&[&str]] = &[
    &["jan", "january"],
    &["feb", "february"],
    &["mar", "march"],
    &["apr", "april"],
    &["may", "may"],
    &["jun", "june"],
    &["jul", "july"],
    &["aug", "august"],
    &["sep", "sept", "september"],
    &["oct", "october"],
    &["nov", "november"],
    &["dec", "december"],
];
const HMS: &[&[&str]] = &[
    &["h", "hour", "hours"],
    &["m", "minute", "minutes"],
    &["s", "second", "seconds"],
];
const AMPM: &[&[&str]] = &[&["am", "a"], &["pm", "p"]];
const UTCZONE: &[&str] = &["UTC", "GMT", "Z", "z"];

/// Python's `str.lower()` for the table look-ups (the tables are ASCII).
fn lower(name: &str) -> String {
    name.to_lowercase()
}

fn lookup(table: &[&[&str]], name: &str) -> Option<usize> {
    let name = lower(name);
    table
        .iter()
        .position(|names| names.contains(&name.as_str()))
}

fn jump(name: &str) -> bool {
    JUMP.contains(&lower(name).as_str())
}
fn weekday(name: &str) -> Option<usize> {
    lookup(WEEKDAYS, name)
}
fn month(name: &str) -> Option<i128> {
    lookup(MONTHS, name).map(|m| m as i128 + 1)
}
fn hms(name: &str) -> Option<usize> {
    lookup(HMS, name)
}
fn ampm(name: &str) -> Option<usize> {
    lookup(AMPM, name)
}
fn pertain(name: &str) -> bool {
    lower(name) == "of"
}
fn utczone(name: &str) -> bool {
    let name = lower(name);
    ["utc", "gmt", "z"].contains(&name.as_str())
}
/// `parserinfo.tzoffset`: 0 for the UTC names (its table is lower-cased, so only `z` matches as written).
fn tzoffset(name: &str) -> Option<i64> {
    ["utc", "gmt", "z"].contains(&name).then_some(0)
}

/// `parserinfo.convertyear`: a two-digit year is put within 50 years of this year.
fn convert_year(year: i128, century_specified: bool, this_year: i64) -> i128 {
    let this_year = i128::from(this_year);
    if year < 100 && !century_specified {
        let mut year = year + this_year / 100 * 100;
        if year >= this_year + 50 {
            year -= 100;
        } else if year < this_year - 50 {
            year += 100;
        }
        return year;
    }
    year
}

// ---------------------------------------------------------------------------------------------------
// Numbers: Python's int(), float() and Decimal() on a token

/// The digits of a token as a number, Unicode decimal digits included; `None` if anything else is in it.
/// Saturates far beyond any valid field (the caller only needs "too large").
fn int_of(token: &str) -> Option<i128> {
    if token.is_empty() {
        return None;
    }
    let mut n: i128 = 0;
    for c in token.chars() {
        let d = decimal_value(c)?;
        n = n.saturating_mul(10).saturating_add(i128::from(d));
    }
    Some(n)
}

/// `Decimal(token)` for the tokens the lexer makes: digits, optionally a `.` and more digits.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Dec {
    /// The value times 10^6 (microsecond precision is all the parser keeps), truncated.
    micros: i128,
    /// Whether digits beyond the sixth decimal were non-zero (the value is not exactly `micros`).
    inexact: bool,
}

impl Dec {
    fn parse(token: &str) -> Option<Dec> {
        let (whole, frac) = match token.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (token, None),
        };
        let whole = if whole.is_empty() && frac.is_some() {
            0
        } else {
            int_of(whole)?
        };
        let mut micros = whole.saturating_mul(1_000_000);
        let mut inexact = false;
        if let Some(frac) = frac {
            if frac.is_empty() && token == "." {
                return None;
            }
            let mut scale = 100_000i128;
            for c in frac.chars() {
                let d = i128::from(decimal_value(c)?);
                if scale > 0 {
                    micros += d * scale;
                    scale /= 10;
                } else if d != 0 {
                    inexact = true;
                }
            }
        }
        Some(Dec { micros, inexact })
    }

    fn trunc(self) -> i128 {
        self.micros / 1_000_000
    }

    fn has_fraction(self) -> bool {
        self.micros % 1_000_000 != 0 || self.inexact
    }

    /// `int(60 * (value % 1))`.
    fn sixty_times_fraction(self) -> i128 {
        (self.micros % 1_000_000) * 60 / 1_000_000
    }

    /// `value > n` for an integer `n`.
    fn gt(self, n: i128) -> bool {
        self.micros > n * 1_000_000 || (self.micros == n * 1_000_000 && self.inexact)
    }

    /// `value < n` for an integer `n`.
    fn lt(self, n: i128) -> bool {
        self.micros < n * 1_000_000
    }
}

/// Whether Python's `float(token)` accepts the token (the parser's test for "a number").
fn is_float(token: &str) -> bool {
    super::number::parse_float(token).is_ok()
}

/// `str.isdigit()` on a token (non-empty, every character a digit).
fn is_digits(token: &str) -> bool {
    !token.is_empty() && token.chars().all(is_num)
}

// ---------------------------------------------------------------------------------------------------
// The token walk (`parser._parse`)

/// `_ymd`: the numbers that may be a year, a month or a day, with what is known of each.
#[derive(Default)]
struct Ymd {
    values: Vec<i128>,
    century_specified: bool,
    dstridx: Option<usize>,
    mstridx: Option<usize>,
    ystridx: Option<usize>,
}

#[derive(Clone, Copy, PartialEq)]
enum Label {
    None,
    Y,
    M,
}

/// A value appended to `_ymd`: the token text (`str`) or a number.
enum YmdValue<'a> {
    Text(&'a str),
    Number(i128),
    Decimal(Dec),
}

type ParseResult<T> = Result<T, ()>;

impl Ymd {
    fn len(&self) -> usize {
        self.values.len()
    }

    fn could_be_day(&self, value: Dec) -> bool {
        if self.dstridx.is_some() {
            return false;
        }
        let max = match (self.mstridx, self.ystridx) {
            (None, _) => 31,
            (Some(m), None) => days_in_month(2000, self.values[m]),
            (Some(m), Some(y)) => days_in_month(self.values[y], self.values[m]),
        };
        !value.lt(1) && !value.gt(max)
    }

    fn append(&mut self, value: YmdValue<'_>, mut label: Label) -> ParseResult<()> {
        let number = match value {
            YmdValue::Text(text) => {
                if is_digits(text) && text.chars().count() > 2 {
                    self.century_specified = true;
                    if !matches!(label, Label::None | Label::Y) {
                        return Err(());
                    }
                    label = Label::Y;
                }
                // int(text): the lexer's tokens here are digits (a non-digit would have raised).
                int_of(text).ok_or(())?
            }
            YmdValue::Number(n) => {
                if n > 100 {
                    self.century_specified = true;
                    if !matches!(label, Label::None | Label::Y) {
                        return Err(());
                    }
                    label = Label::Y;
                }
                n
            }
            YmdValue::Decimal(d) => {
                if d.gt(100) {
                    self.century_specified = true;
                    if !matches!(label, Label::None | Label::Y) {
                        return Err(());
                    }
                    label = Label::Y;
                }
                d.trunc()
            }
        };
        self.values.push(number);
        let index = self.values.len() - 1;
        let slot = match label {
            Label::M => &mut self.mstridx,
            Label::Y => &mut self.ystridx,
            Label::None => return Ok(()),
        };
        if slot.is_some() {
            return Err(());
        }
        *slot = Some(index);
        Ok(())
    }

    /// `resolve_ymd(yearfirst=False, dayfirst=False)`: (year, month, day).
    fn resolve(&self) -> ParseResult<(Option<i128>, Option<i128>, Option<i128>)> {
        let v = &self.values;
        let strids: Vec<(char, usize)> = [
            ('y', self.ystridx),
            ('m', self.mstridx),
            ('d', self.dstridx),
        ]
        .into_iter()
        .filter_map(|(k, i)| i.map(|i| (k, i)))
        .collect();
        if (v.len() == strids.len() && !strids.is_empty()) || (v.len() == 3 && strids.len() == 2) {
            let mut strids = strids;
            if v.len() == 3 && strids.len() == 2 {
                let missing = (0..3)
                    .find(|x| !strids.iter().any(|(_, i)| i == x))
                    .ok_or(())?;
                let key = ['y', 'm', 'd']
                    .into_iter()
                    .find(|k| !strids.iter().any(|(s, _)| s == k))
                    .ok_or(())?;
                strids.push((key, missing));
            }
            let get = |key: char| strids.iter().find(|(k, _)| *k == key).map(|(_, i)| v[*i]);
            return Ok((get('y'), get('m'), get('d')));
        }
        let (mut year, mut month, mut day) = (None, None, None);
        match v.len() {
            n if n > 3 => return Err(()),
            1 => {
                let other = match self.mstridx {
                    Some(m) => {
                        month = Some(v[m]);
                        v[(m + v.len() - 1) % v.len()]
                    }
                    None => v[0],
                };
                if self.mstridx.is_none() {
                    if other > 31 {
                        year = Some(other);
                    } else {
                        day = Some(other);
                    }
                }
            }
            2 if self.mstridx.is_some() => {
                let m = self.mstridx.unwrap_or(0);
                month = Some(v[m]);
                let other = v[1 - m];
                if other > 31 {
                    year = Some(other);
                } else {
                    day = Some(other);
                }
            }
            2 => {
                if v[0] > 31 {
                    (year, month) = (Some(v[0]), Some(v[1]));
                } else if v[1] > 31 {
                    (month, year) = (Some(v[0]), Some(v[1]));
                } else {
                    (month, day) = (Some(v[0]), Some(v[1]));
                }
            }
            3 => {
                let (a, b, c) = (v[0], v[1], v[2]);
                match self.mstridx {
                    Some(0) => {
                        if b > 31 {
                            (month, year, day) = (Some(a), Some(b), Some(c));
                        } else {
                            (month, day, year) = (Some(a), Some(b), Some(c));
                        }
                    }
                    Some(1) => {
                        if a > 31 {
                            (year, month, day) = (Some(a), Some(b), Some(c));
                        } else {
                            (day, month, year) = (Some(a), Some(b), Some(c));
                        }
                    }
                    Some(_) => {
                        if b > 31 {
                            (day, year, month) = (Some(a), Some(b), Some(c));
                        } else {
                            (year, day, month) = (Some(a), Some(b), Some(c));
                        }
                    }
                    None => {
                        if a > 31 || self.ystridx == Some(0) {
                            (year, month, day) = (Some(a), Some(b), Some(c));
                        } else if a > 12 {
                            (day, month, year) = (Some(a), Some(b), Some(c));
                        } else {
                            (month, day, year) = (Some(a), Some(b), Some(c));
                        }
                    }
                }
            }
            _ => {}
        }
        Ok((year, month, day))
    }
}

fn is_leap(year: i128) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// `calendar.monthrange(year, month)[1]` for a valid month.
fn days_in_month(year: i128, month: i128) -> i128 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `parser._result`: what the walk found.
#[derive(Default, Debug)]
struct Res {
    year: Option<i128>,
    month: Option<i128>,
    day: Option<i128>,
    weekday: Option<usize>,
    hour: Option<i128>,
    minute: Option<i128>,
    second: Option<i128>,
    microsecond: Option<i128>,
    tzname: Option<String>,
    tzoffset: Option<i64>,
    ampm: Option<usize>,
    century_specified: bool,
}

impl Res {
    /// `len(res) == 0`: nothing at all was found.
    fn is_empty(&self) -> bool {
        self.year.is_none()
            && self.month.is_none()
            && self.day.is_none()
            && self.weekday.is_none()
            && self.hour.is_none()
            && self.minute.is_none()
            && self.second.is_none()
            && self.microsecond.is_none()
            && self.tzname.is_none()
            && self.tzoffset.is_none()
            && self.ampm.is_none()
    }
}

/// `_parsems`: `I[.F]` seconds to (seconds, microseconds).
fn parse_ms(value: &str) -> ParseResult<(i128, i128)> {
    match value.split_once('.') {
        None => Ok((int_of(value).ok_or(())?, 0)),
        Some((i, f)) => {
            if f.contains('.') {
                return Err(());
            }
            let mut f: String = f.chars().take(6).collect();
            while f.chars().count() < 6 {
                f.push('0');
            }
            Ok((int_of(i).ok_or(())?, int_of(&f).ok_or(())?))
        }
    }
}

/// `_parse_min_sec`: a decimal minute to (minute, second).
fn parse_min_sec(value: Dec) -> (i128, Option<i128>) {
    let second = value.has_fraction().then(|| value.sixty_times_fraction());
    (value.trunc(), second)
}

fn adjust_ampm(hour: i128, ampm: usize) -> i128 {
    if hour < 12 && ampm == 1 {
        hour + 12
    } else if hour == 12 && ampm == 0 {
        0
    } else {
        hour
    }
}

fn could_be_tzname(res: &Res, token: &str) -> bool {
    res.hour.is_some()
        && res.tzname.is_none()
        && res.tzoffset.is_none()
        && token.chars().count() <= 5
        && (token.chars().all(|c| c.is_ascii_uppercase()) || UTCZONE.contains(&token))
}

fn find_hms_idx(idx: usize, tokens: &[String]) -> Option<usize> {
    let len = tokens.len();
    if idx + 1 < len && hms(&tokens[idx + 1]).is_some() {
        Some(idx + 1)
    } else if idx + 2 < len && tokens[idx + 1] == " " && hms(&tokens[idx + 2]).is_some() {
        Some(idx + 2)
    } else if idx > 0 && hms(&tokens[idx - 1]).is_some() {
        Some(idx - 1)
    } else if 1 < idx && idx == len - 1 && tokens[idx - 1] == " " && hms(&tokens[idx - 2]).is_some()
    {
        Some(idx - 2)
    } else {
        None
    }
}

fn token(tokens: &[String], i: usize) -> ParseResult<&str> {
    tokens.get(i).map(String::as_str).ok_or(())
}

/// `_parse_numeric_token`: returns the index of the last token it used.
fn parse_numeric(
    tokens: &[String],
    idx: usize,
    ymd: &mut Ymd,
    res: &mut Res,
) -> ParseResult<usize> {
    let mut idx = idx;
    let value_repr = tokens[idx].as_str();
    let value = Dec::parse(value_repr).ok_or(())?;
    let len_li = value_repr.chars().count();
    let len_l = tokens.len();
    let slice = |s: &str, from: usize, to: Option<usize>| -> String {
        let chars: Vec<char> = s.chars().collect();
        let to = to.unwrap_or(chars.len()).min(chars.len());
        chars[from.min(to)..to].iter().collect()
    };
    let int_slice = |s: &str, from: usize, to: Option<usize>| -> ParseResult<i128> {
        int_of(&slice(s, from, to)).ok_or(())
    };
    if ymd.len() == 3
        && (len_li == 2 || len_li == 4)
        && res.hour.is_none()
        && (idx + 1 >= len_l || (tokens[idx + 1] != ":" && hms(&tokens[idx + 1]).is_none()))
    {
        // 19990101T23[59]
        res.hour = Some(int_slice(value_repr, 0, Some(2))?);
        if len_li == 4 {
            res.minute = Some(int_slice(value_repr, 2, None)?);
        }
    } else if len_li == 6 || (len_li > 6 && value_repr.chars().position(|c| c == '.') == Some(6)) {
        // YYMMDD or HHMMSS[.ss]
        if ymd.len() == 0 && !value_repr.contains('.') {
            ymd.append(YmdValue::Text(&slice(value_repr, 0, Some(2))), Label::None)?;
            ymd.append(YmdValue::Text(&slice(value_repr, 2, Some(4))), Label::None)?;
            ymd.append(YmdValue::Text(&slice(value_repr, 4, None)), Label::None)?;
        } else {
            res.hour = Some(int_slice(value_repr, 0, Some(2))?);
            res.minute = Some(int_slice(value_repr, 2, Some(4))?);
            let (s, us) = parse_ms(&slice(value_repr, 4, None))?;
            res.second = Some(s);
            res.microsecond = Some(us);
        }
    } else if len_li == 8 || len_li == 12 || len_li == 14 {
        // YYYYMMDD[hhmm[ss]]
        ymd.append(YmdValue::Text(&slice(value_repr, 0, Some(4))), Label::Y)?;
        ymd.append(YmdValue::Text(&slice(value_repr, 4, Some(6))), Label::None)?;
        ymd.append(YmdValue::Text(&slice(value_repr, 6, Some(8))), Label::None)?;
        if len_li > 8 {
            res.hour = Some(int_slice(value_repr, 8, Some(10))?);
            res.minute = Some(int_slice(value_repr, 10, Some(12))?);
            if len_li > 12 {
                res.second = Some(int_slice(value_repr, 12, None)?);
            }
        }
    } else if let Some(hms_idx) = find_hms_idx(idx, tokens) {
        // HH[ ]h or MM[ ]m or SS[.ss][ ]s
        let which = if hms_idx > idx {
            let which = hms(&tokens[hms_idx]).ok_or(())?;
            idx = hms_idx;
            which
        } else {
            hms(&tokens[hms_idx]).ok_or(())? + 1
        };
        match which {
            0 => {
                res.hour = Some(value.trunc());
                if value.has_fraction() {
                    res.minute = Some(value.sixty_times_fraction());
                }
            }
            1 => {
                let (m, s) = parse_min_sec(value);
                res.minute = Some(m);
                res.second = s;
            }
            2 => {
                let (s, us) = parse_ms(value_repr)?;
                res.second = Some(s);
                res.microsecond = Some(us);
            }
            // `hms + 1` past the seconds: dateutil then assigns nothing.
            _ => {}
        }
    } else if idx + 2 < len_l && tokens[idx + 1] == ":" {
        // HH:MM[:SS[.ss]]
        res.hour = Some(value.trunc());
        let minutes = Dec::parse(&tokens[idx + 2]).ok_or(())?;
        let (m, s) = parse_min_sec(minutes);
        res.minute = Some(m);
        res.second = s;
        if idx + 4 < len_l && tokens[idx + 3] == ":" {
            let (s, us) = parse_ms(&tokens[idx + 4])?;
            res.second = Some(s);
            res.microsecond = Some(us);
            idx += 2;
        }
        idx += 2;
    } else if idx + 1 < len_l && ["-", "/", "."].contains(&tokens[idx + 1].as_str()) {
        let sep = tokens[idx + 1].clone();
        ymd.append(YmdValue::Text(value_repr), Label::None)?;
        if idx + 2 < len_l && !jump(&tokens[idx + 2]) {
            if is_digits(&tokens[idx + 2]) {
                // 01-01[-01]
                ymd.append(YmdValue::Text(&tokens[idx + 2]), Label::None)?;
            } else {
                // 01-Jan[-01]
                let m = month(&tokens[idx + 2]).ok_or(())?;
                ymd.append(YmdValue::Number(m), Label::M)?;
            }
            if idx + 3 < len_l && tokens[idx + 3] == sep {
                // three members
                let next = token(tokens, idx + 4)?;
                match month(next) {
                    Some(m) => ymd.append(YmdValue::Number(m), Label::M)?,
                    None => ymd.append(YmdValue::Text(next), Label::None)?,
                }
                idx += 2;
            }
            idx += 1;
        }
        idx += 1;
    } else if idx + 1 >= len_l || jump(&tokens[idx + 1]) {
        if idx + 2 < len_l && ampm(&tokens[idx + 2]).is_some() {
            // 12 am
            let hour = value.trunc();
            res.hour = Some(adjust_ampm(hour, ampm(&tokens[idx + 2]).ok_or(())?));
            idx += 1;
        } else {
            // year, month or day
            ymd.append(YmdValue::Decimal(value), Label::None)?;
        }
        idx += 1;
    } else if ampm(&tokens[idx + 1]).is_some() && !value.lt(0) && value.lt(24) {
        // 12am
        let hour = value.trunc();
        res.hour = Some(adjust_ampm(hour, ampm(&tokens[idx + 1]).ok_or(())?));
        idx += 1;
    } else if ymd.could_be_day(value) {
        ymd.append(YmdValue::Decimal(value), Label::None)?;
    } else {
        return Err(());
    }
    Ok(idx)
}

/// `parser._parse` (not fuzzy): `None` for "Unknown string format".
fn parse_tokens(mut tokens: Vec<String>, this_year: i64) -> Option<Res> {
    let mut res = Res::default();
    let mut ymd = Ymd::default();
    let walk = |tokens: &mut Vec<String>, res: &mut Res, ymd: &mut Ymd| -> ParseResult<()> {
        let len_l = tokens.len();
        let mut i = 0;
        while i < len_l {
            let current = tokens[i].clone();
            if is_float(&current) {
                i = parse_numeric(tokens, i, ymd, res)?;
            } else if let Some(day) = weekday(&current) {
                res.weekday = Some(day);
            } else if let Some(m) = month(&current) {
                ymd.append(YmdValue::Number(m), Label::M)?;
                if i + 1 < len_l {
                    if tokens[i + 1] == "-" || tokens[i + 1] == "/" {
                        // Jan-01[-99]
                        let sep = tokens[i + 1].clone();
                        ymd.append(YmdValue::Text(token(tokens, i + 2)?), Label::None)?;
                        if i + 3 < len_l && tokens[i + 3] == sep {
                            // Jan-01-99
                            ymd.append(YmdValue::Text(token(tokens, i + 4)?), Label::None)?;
                            i += 2;
                        }
                        i += 2;
                    } else if i + 4 < len_l
                        && tokens[i + 1] == " "
                        && tokens[i + 3] == " "
                        && pertain(&tokens[i + 2])
                    {
                        // Jan of 01: clearly a year
                        if is_digits(&tokens[i + 4]) {
                            let value = int_of(&tokens[i + 4]).ok_or(())?;
                            let year = convert_year(value, false, this_year);
                            ymd.append(YmdValue::Text(&year.to_string()), Label::Y)?;
                        }
                        i += 4;
                    }
                }
            } else if let Some(value) = ampm(&current) {
                // Not fuzzy: an am/pm needs a 12-hour clock hour before it.
                match res.hour {
                    Some(hour) if (0..=12).contains(&hour) => {
                        res.hour = Some(adjust_ampm(hour, value));
                        res.ampm = Some(value);
                    }
                    _ => return Err(()),
                }
            } else if could_be_tzname(res, &current) {
                res.tzname = Some(current.clone());
                res.tzoffset = tzoffset(&current);
                // GMT+3 means "my time +3 is GMT": flip the sign for the offset that follows.
                if i + 1 < len_l && (tokens[i + 1] == "+" || tokens[i + 1] == "-") {
                    tokens[i + 1] = if tokens[i + 1] == "+" { "-" } else { "+" }.to_string();
                    res.tzoffset = None;
                    if utczone(&current) {
                        res.tzname = None;
                    }
                }
            } else if res.hour.is_some() && (current == "+" || current == "-") {
                let sign: i64 = if current == "+" { 1 } else { -1 };
                let next = token(tokens, i + 1)?.to_string();
                let len_li = next.chars().count();
                let (hour_offset, min_offset) = if len_li == 4 {
                    // -0300
                    let chars: Vec<char> = next.chars().collect();
                    (
                        int_of(&chars[..2].iter().collect::<String>()).ok_or(())?,
                        int_of(&chars[2..].iter().collect::<String>()).ok_or(())?,
                    )
                } else if i + 2 < len_l && tokens[i + 2] == ":" {
                    // -03:00
                    let h = int_of(&next).ok_or(())?;
                    let m = int_of(token(tokens, i + 3)?).ok_or(())?;
                    i += 2;
                    (h, m)
                } else if len_li <= 2 {
                    // -[0]3
                    let chars: Vec<char> = next.chars().take(2).collect();
                    (int_of(&chars.iter().collect::<String>()).ok_or(())?, 0)
                } else {
                    return Err(());
                };
                let offset = hour_offset
                    .saturating_mul(3600)
                    .saturating_add(min_offset.saturating_mul(60));
                res.tzoffset = Some(sign * i64::try_from(offset).map_err(|_| ())?);
                // a zone name in parentheses: -0300 (BRST)
                if i + 5 < len_l
                    && jump(&tokens[i + 2])
                    && tokens[i + 3] == "("
                    && tokens[i + 5] == ")"
                    && tokens[i + 4].chars().count() >= 3
                    && res.hour.is_some()
                    && res.tzname.is_none()
                    && tokens[i + 4].chars().count() <= 5
                    && (tokens[i + 4].chars().all(|c| c.is_ascii_uppercase())
                        || UTCZONE.contains(&tokens[i + 4].as_str()))
                {
                    res.tzname = Some(tokens[i + 4].clone());
                    i += 4;
                }
                i += 1;
            } else if !jump(&current) {
                return Err(());
            }
            i += 1;
        }
        let (year, month, day) = ymd.resolve()?;
        res.century_specified = ymd.century_specified;
        res.year = year;
        res.month = month;
        res.day = day;
        Ok(())
    };
    walk(&mut tokens, &mut res, &mut ymd).ok()?;
    // parserinfo.validate
    if let Some(year) = res.year {
        res.year = Some(convert_year(year, res.century_specified, this_year));
    }
    let z = matches!(res.tzname.as_deref(), Some("Z" | "z"));
    if (res.tzoffset == Some(0) && res.tzname.is_none()) || z {
        res.tzname = Some("UTC".into());
        res.tzoffset = Some(0);
    } else if res.tzoffset != Some(0) && res.tzname.as_deref().is_some_and(utczone) {
        res.tzoffset = Some(0);
    }
    Some(res)
}

// ---------------------------------------------------------------------------------------------------
// Building the datetime (`_build_naive`)

enum BuildError {
    /// A `ValueError` from `datetime.replace` or `calendar.monthrange`.
    Value(String),
    Overflow,
}

/// `default.replace(**found)`, with dateutil's end-of-month fallback and weekday adjustment.
fn build_naive(res: &Res, today: (i64, u32, u32)) -> Result<DateTime, BuildError> {
    let c_int = |v: i128| -> Result<i64, BuildError> {
        if v > i128::from(i32::MAX) {
            Err(BuildError::Overflow)
        } else {
            Ok(v as i64)
        }
    };
    let year = c_int(res.year.unwrap_or(i128::from(today.0)))?;
    let month = c_int(res.month.unwrap_or(i128::from(today.1)))?;
    let mut day = c_int(res.day.unwrap_or(i128::from(today.2)))?;
    if res.day.is_none() {
        if !(1..=12).contains(&month) {
            return Err(BuildError::Value(format!(
                "bad month number {month}; must be 1-12"
            )));
        }
        let last = days_in_month(i128::from(year), i128::from(month)) as i64;
        if day > last {
            day = last;
        }
    }
    let hour = c_int(res.hour.unwrap_or(0))?;
    let minute = c_int(res.minute.unwrap_or(0))?;
    let second = c_int(res.second.unwrap_or(0))?;
    let microsecond = c_int(res.microsecond.unwrap_or(0))?;
    if !(1..=9999).contains(&year) {
        return Err(BuildError::Value(format!("year {year} is out of range")));
    }
    if !(1..=12).contains(&month) {
        return Err(BuildError::Value("month must be in 1..12".into()));
    }
    if day < 1 || i128::from(day) > days_in_month(i128::from(year), i128::from(month)) {
        return Err(BuildError::Value("day is out of range for month".into()));
    }
    for (value, name, max) in [
        (hour, "hour", 23),
        (minute, "minute", 59),
        (second, "second", 59),
        (microsecond, "microsecond", 999_999),
    ] {
        if !(0..=max).contains(&value) {
            return Err(BuildError::Value(format!("{name} must be in 0..{max}")));
        }
    }
    let mut dt = DateTime {
        year,
        month: month as u32,
        day: day as u32,
        hour: hour as u32,
        minute: minute as u32,
        second: second as u32,
        microsecond: microsecond as u32,
        zone: Zone::Naive,
    };
    // `+ relativedelta(weekday=...)`: on or after the date, the next such weekday (when no day was given).
    if let (Some(weekday), None | Some(0)) = (res.weekday, res.day) {
        let days = super::calendar::days_from_civil(dt.year, dt.month, dt.day);
        let current = (days + 3).rem_euclid(7) as usize; // 1970-01-01 was a Thursday (3)
        let ahead = (weekday + 7 - current) % 7;
        if ahead > 0 {
            let (y, m, d) = super::calendar::civil_from_days(days + ahead as i64);
            if !(1..=9999).contains(&y) {
                return Err(BuildError::Overflow);
            }
            (dt.year, dt.month, dt.day) = (y, m, d);
        }
    }
    Ok(dt)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed;
    impl LocalTime for Fixed {
        fn today(&self) -> (i64, u32, u32) {
            (2026, 12, 1)
        }
        fn zone_names(&self) -> (String, String) {
            ("EST".into(), "EDT".into())
        }
    }

    fn lex(s: &str) -> Vec<String> {
        timelex(s)
    }

    #[test]
    fn lexer_matches_timelex() {
        assert_eq!(
            lex("2024-01-01T10:20:30.5Z"),
            ["2024", "-", "01", "-", "01", "T", "10", ":", "20", ":", "30.5", "Z"]
        );
        assert_eq!(lex("Sep.20.2009"), ["Sep", ".", "20", ".", "2009"]);
        assert_eq!(lex("  a,b "), [" ", " ", "a", ",", "b", " "]);
        assert_eq!(lex("10,5"), ["10.5"]);
        assert_eq!(lex("1,5"), ["1", ",", "5"]);
        assert_eq!(lex("24.01.01"), ["24", ".", "01", ".", "01"]);
    }

    fn iso(s: &str) -> String {
        match parse(s, &Fixed) {
            Ok(p) => {
                let d = p.datetime;
                format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06} {:?}",
                    d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond, d.zone
                )
            }
            Err(DateutilError::Invalid(m)) => format!("!{m}"),
            Err(DateutilError::Overflow) => "!overflow".into(),
        }
    }

    #[test]
    fn common_forms() {
        assert_eq!(
            iso("2024-01-01T00:00:00Z"),
            "2024-01-01T00:00:00.000000 Fixed(0)"
        );
        assert_eq!(
            iso("Mon, 30 Sep 2019 19:20:38 GMT"),
            "2019-09-30T19:20:38.000000 Fixed(0)"
        );
        assert_eq!(iso("Jan 31 2024 10pm"), "2024-01-31T22:00:00.000000 Naive");
        assert_eq!(iso("24.01.01"), "2001-01-24T00:00:00.000000 Naive");
        assert_eq!(
            iso("2024-01-31 10:00 GMT+3"),
            "2024-01-31T10:00:00.000000 Fixed(-10800)"
        );
        assert_eq!(
            iso("2024-07-01T00:00:00 EDT"),
            "2024-07-01T00:00:00.000000 Local"
        );
        assert_eq!(
            iso("2024-02-30"),
            "!day is out of range for month: 2024-02-30"
        );
        assert_eq!(iso("yesterday"), "!Unknown string format: yesterday");
        assert_eq!(iso(""), "!String does not contain a date: ");
        assert_eq!(iso("Jan 2020"), "2020-01-01T00:00:00.000000 Naive");
    }

    /// `tests/data/timestamps/dateutil.json`: dateutil's own results on 1,200 strings, recorded.
    #[test]
    fn recorded_corpus_matches() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/timestamps/dateutil.json"
        );
        let text = std::fs::read_to_string(path).expect("the recorded corpus");
        let corpus: Vec<(String, serde_json::Value)> =
            serde_json::from_str(&text).expect("a list of pairs");
        let mut wrong = Vec::new();
        for (input, want) in &corpus {
            let got = match parse(input, &Fixed) {
                Ok(p) => {
                    let d = p.datetime;
                    let zone = match d.zone {
                        Zone::Naive => serde_json::json!("naive"),
                        Zone::Local => serde_json::json!("local"),
                        Zone::Fixed(s) => serde_json::json!(s),
                    };
                    let mut v = serde_json::json!({
                        "ok": [d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond],
                        "zone": zone,
                    });
                    if let Some(name) = p.unknown_zone {
                        v["unknown_zone"] = serde_json::json!(name);
                    }
                    v
                }
                Err(DateutilError::Invalid(m)) => serde_json::json!({ "error": m }),
                Err(DateutilError::Overflow) => serde_json::json!({ "overflow": true }),
            };
            if &got != want {
                wrong.push(format!("{input:?}: reference {want}, ours {got}"));
            }
        }
        assert!(
            wrong.is_empty(),
            "{} of {} differ:\n{}",
            wrong.len(),
            corpus.len(),
            wrong.join("\n")
        );
    }
}
