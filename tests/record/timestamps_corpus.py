#!/usr/bin/env python3
"""Records how the reference reads timestamp strings: python-dateutil 2.9.0's parser as botocore 1.43.11
calls it (`tzinfos={'GMT': tzutc()}`), and botocore's own wrapping of it.

Writes tests/data/timestamps/dateutil.json: [[input, result], ...] where result is
  {"ok": [year, month, day, hour, minute, second, microsecond], "zone": "naive" | "local" | <seconds east>,
   "unknown_zone": name or absent}  or  {"error": message}  or  {"overflow": true}.

dateutil fills what a string leaves out from today's date and reads two-digit years around this year;
to keep the file stable the recorder passes an explicit `default` (2026-12-01, what `datetime.now()` gave
when the corpus was first recorded) and pins the parser's year, which is the same code path. The local zone
is America/New_York (`time.tzname` = ('EST', 'EDT')). Python 3.11 with the reference's site-packages.

Run from the repo root: python3 tests/record/timestamps_corpus.py
"""
import datetime
import itertools
import json
import os
import time
import warnings

os.environ["TZ"] = "America/New_York"
time.tzset()

from dateutil import parser as dparser  # noqa: E402
from dateutil import tz  # noqa: E402

DEFAULT = datetime.datetime(2026, 12, 1)
OUT = os.path.join(os.path.dirname(__file__), "..", "data", "timestamps", "dateutil.json")

HAND = [
    "2024-01-01T00:00:00Z", "2024-01-01", "2024-01-01T10:20:30.999999-05:30", "20240101T102030Z", "20240101",
    "2024-01-02T03:04:05", "Mon, 01 Jan 2024 12:00:00 GMT", "Mon, 30 Sep 2019 19:20:38 +0300", "2024/01/01",
    "01/02/2024", "2024-01-01 10:00:00", "2024-01-01T10:00:00+0530", "Jan 31 2024 10pm", "1 February 2024 08:30",
    "2024-01-01T00:00:00.5Z", "2024-01-31T23:59:59.999Z", "Monday, January 1st, 2024", "2024-01-31T23:59:59.999999999Z",
    "2024-01-01 00:00:00 UTC", "2024-01-31 10:00 GMT+3", "2024-01-31 10:00 GMT-03:30", "24.01.01", "31.01.2024",
    "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "yesterday", "2024-02-30", "2024-13-01", "", " ", "2024-01-01T24:00:00",
    "2024-01-01T10:00:00+25:00", "2024-01-01T00:00:00 PST", "2024-07-01T00:00:00 EDT", "2024-01-01 12:00 EST",
    "Sep 30 2019 7pm", "2019-09-30 19:20:38 UTC", "2019-09-30T19:20:38 EDT", "garbage", "10:00", "Jan 2020", "2020",
    "12", "99", "100", "1999", "nan", "inf", "-inf", "1e12", "0x10", "2024-001", "2024-W01", "Sep.20.2009", "4:30:21.447",
    "10h30m", "10 h 30 m 15 s", "12h04", "5 pm", "5pm", "12am", "12 am", "13 pm", "am", "10:00 am", "10:00:00 a.m.",
    "Jan of 01", "Jan of 2001", "Jan-01-99", "Jan/01", "01-Jan-2024", "2024-Jan-01", "01-02-03", "13-01-01",
    "32-01-01", "01-13-2024", "2024.01.01", "990101", "990101.5", "235959.5", "202401011230", "20240101123045",
    "2024-01-01T12", "2024-01-01T1230", "2024-01-01T12:30:45,5", "12:30:45,123456789", "2024-01-01 (EST)",
    "2024-01-01 10:00 -0300 (BRST)", "2024-01-01 10:00 +3", "2024-01-01 10:00 +003", "Tuesday", "Tue 10:00",
    "1st", "the 1st of January", "January 1", "1 Jan", "Jan 1 2024 at 10", "2024-01-01 and 10:00", "2024 10 01",
    "Z", "10 Z", "10:00 z", "10:00 utc", "10:00 Utc", "10:00 ABCDEF", "10:00 abc", "\u0661\u0662:\u0663\u0664",
    "\uff12\uff10\uff12\uff14-01-01", "2024-01-01\x00T10", "2024-02-29", "2023-02-29", "1900-02-29", "2000-02-29",
    "Feb 2023", "Feb 30", "31 Apr", "Apr 31 2024", "2024-04-31", "9999999999-01-01", "99999999999999999999",
    "1-1-1", "0-0-0", "00:00", "24:00", "23:60", "23:59:60", "1.5h", "1.5m", "30.5s", "1,5", "1.2.3.4", "Jan.1.2024",
    "Jan. 1, 2024", "1 Jan. 2024", "Dec 31, 1999 11:59:59 PM", "12/31/99", "31/12/99", "6/7", "13/7", "7/13",
    "2024-01-01T10:00:00Z+01:00", "2024-01-01T10:00:00+01", "2024-01-01T10:00:00-1", "T10:00", "10:00T",
    "2024-01-01 EST", "10:00 EST", "10:00 CEST", "10:00 GMT", "10:00 GMT+0", "10:00 UTC-5", "10:00 BRST+3",
    "Wed, 01 Jan 2020 00:00:00 GMT", "Wed Jan  1 00:00:00 2020", "Wed Jan 1 00:00:00 EST 2020", "1/1/2020 12:00:00 AM",
    "2020-01-01 12:00:00 PM", "March 3rd, 2021 at 3:45pm", "3rd March 2021", "2021 March 3", "March", "Sept 2021",
    "September 2021", "Septe 2021", "mon", "MONDAY", "ocTober 5", "5 of october", "of", "at", "on 5 Jan",
    "2024-01-01T10:20:30.1234567", "10:20:30.", "10:20:.5", "10::20", "2024--01-01", "2024-01-01T10:00:00+05:00:30",
    "+0500", "10 +0500", "10:00 +05:30 (IST)", "10:00 -0300 (ABCD)", "10:00 -0300 (Ab)", "2024-01-01T10:00:00.000+00:00",
]


def pieces():
    dates = ["2024-03-09", "2024/3/9", "3/9/2024", "9.3.2024", "20240309", "Mar 9 2024", "9 Mar 2024", "March 9, 2024",
             "2024-Mar-09", "09-Mar-24", "24-03-09", ""]
    times = ["", "T08:07", "T08:07:06", " 08:07:06.5", " 8pm", " 08:07 PM", "T080706", " 8h7m"]
    zones = ["", "Z", " UTC", " GMT", "+02:00", "-0330", " EST", " EDT", " PST", " +3", " GMT+3"]
    for d, t, z in itertools.product(dates, times, zones):
        yield (d + t + z).strip() or "x"


def result(value):
    info = dparser.parserinfo()
    info._year = 2026
    info._century = 2000
    p = dparser.parser(info)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            dt = p.parse(value, default=DEFAULT, tzinfos={"GMT": tz.tzutc()})
        except OverflowError:
            return {"overflow": True}
        except (ValueError, TypeError) as e:
            return {"error": str(e)}
    out = {"ok": [dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, dt.microsecond]}
    if dt.tzinfo is None:
        out["zone"] = "naive"
    elif isinstance(dt.tzinfo, tz.tzlocal):
        out["zone"] = "local"
    else:
        out["zone"] = int(dt.tzinfo.utcoffset(dt.replace(tzinfo=None)).total_seconds())
    unknown = [w for w in caught if w.category.__name__ == "UnknownTimezoneWarning"]
    if unknown:
        out["unknown_zone"] = str(unknown[0].message).split(" ")[1]
    return out


def main():
    seen, corpus = set(), []
    for value in itertools.chain(HAND, pieces()):
        if value not in seen:
            seen.add(value)
            corpus.append([value, result(value)])
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("[\n" + ",\n".join(json.dumps(pair, ensure_ascii=False) for pair in corpus) + "\n]\n")
    print(f"{OUT}: {len(corpus)} values")


if __name__ == "__main__":
    main()
