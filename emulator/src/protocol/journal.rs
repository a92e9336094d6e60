//! The request journal behind `GET /_emulator/requests`: every Lightsail request received, in order,
//! with how many earlier requests had the same target and body (`attempt`, so a test sees retries).
//!
//! Bounded to [`MAX_ENTRIES`] (the oldest go first). Recording costs O(1): a count per (target,
//! body) is kept beside the entries and decremented when an entry is dropped, so `attempt` never
//! needs a scan of the journal.

use std::collections::{HashMap, VecDeque};

use serde_json::{json, Value};

/// Journal entries kept (the oldest are dropped beyond this).
pub const MAX_ENTRIES: usize = 10_000;

struct Entry {
    key: (String, String),
    json: Value,
}

/// The journal.
#[derive(Default)]
pub struct Journal {
    entries: VecDeque<Entry>,
    counts: HashMap<(String, String), usize>,
}

impl Journal {
    pub fn new() -> Journal {
        Journal::default()
    }

    /// Records one request and returns its `attempt` number.
    pub fn record(
        &mut self,
        target: &str,
        body: Value,
        signed_headers: Vec<String>,
        signature: Option<Option<String>>,
    ) -> usize {
        if self.entries.len() >= MAX_ENTRIES {
            if let Some(oldest) = self.entries.pop_front() {
                if let Some(count) = self.counts.get_mut(&oldest.key) {
                    *count -= 1;
                    if *count == 0 {
                        self.counts.remove(&oldest.key);
                    }
                }
            }
        }
        let key = (target.to_string(), body.to_string());
        let count = self.counts.entry(key.clone()).or_insert(0);
        *count += 1;
        let attempt = *count;
        let mut json = json!({
            "target": target,
            "body": body,
            "signed_headers": signed_headers,
            "attempt": attempt,
        });
        if let Some(signature) = signature {
            json["signature"] = json!(signature);
        }
        self.entries.push_back(Entry { key, json });
        attempt
    }

    /// Every entry, oldest first.
    pub fn to_json(&self) -> Value {
        Value::Array(self.entries.iter().map(|e| e.json.clone()).collect())
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_count_within_the_kept_entries() {
        let mut journal = Journal::new();
        assert_eq!(journal.record("A", json!({}), vec![], None), 1);
        assert_eq!(journal.record("A", json!({}), vec![], None), 2);
        assert_eq!(journal.record("B", json!({}), vec![], None), 1);
        assert_eq!(journal.record("A", json!({"x": 1}), vec![], None), 1);
        for _ in 0..MAX_ENTRIES {
            journal.record("C", json!({}), vec![], None);
        }
        assert_eq!(journal.len(), MAX_ENTRIES);
        // The A entries were dropped, so a new A is a first attempt again.
        assert_eq!(journal.record("A", json!({}), vec![], None), 1);
        let entries = journal.to_json();
        assert_eq!(entries[0]["target"], "C");
        assert_eq!(entries[0]["attempt"], 2);
        assert!(entries[0].get("signature").is_none());
    }
}
