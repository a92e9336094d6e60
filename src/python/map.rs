//! [`Map`], the object of [`Value`](super::value::Value): a Python dict — insertion-ordered, one
//! value per key, a repeated insert keeps the key's first position — kept as a vector of entries.
//!
//! A response holds thousands of small objects (a snapshot has 15 members, its location 2), which are
//! built once, looked up a few times by name and printed in order. A vector of `(key, value)` entries
//! costs one allocation per object (its keys are [`Str`]s, inline up to 24 bytes) and finds a key
//! among a dozen by comparing strings, faster than hashing it; `IndexMap`, which this replaces, cost
//! two allocations and a SipHash per key. Objects
//! that grow past [`INDEX_FROM`] entries (a large `--cli-input-json`, a JMESPath result) get a hash
//! index from key to position, so no look-up is linear in a big object. The methods are the subset of
//! `IndexMap`'s API the crate uses, with the same names and meaning, so callers read the same.

use super::value::{Str, Value};
use std::collections::HashMap;
use std::fmt;

/// Objects with more entries than this are indexed by a hash table.
const INDEX_FROM: usize = 16;

/// An insertion-ordered object of string keys (see the module documentation).
#[derive(Clone, Default)]
pub struct Map {
    entries: Vec<(Str, Value)>,
    /// Key to position, kept only while the map has more than [`INDEX_FROM`] entries. Boxed so that
    /// the many small maps pay one pointer for it, not a whole empty `HashMap`.
    #[allow(clippy::box_collection)]
    index: Option<Box<HashMap<Box<str>, usize>>>,
}

impl Map {
    pub fn new() -> Map {
        Map::default()
    }

    pub fn with_capacity(capacity: usize) -> Map {
        Map {
            entries: Vec::with_capacity(capacity),
            index: None,
        }
    }

    /// A map of `entries` whose keys the caller knows to be distinct (a decoded JSON object).
    pub fn from_unique_entries(entries: Vec<(Str, Value)>) -> Map {
        let mut map = Map {
            entries,
            index: None,
        };
        if map.entries.len() > INDEX_FROM {
            map.reindex();
        }
        map
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.index = None;
    }

    /// The position of `key`.
    pub fn get_index_of(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self
                .entries
                .iter()
                .position(|(k, _)| same_name(k.as_bytes(), key.as_bytes())),
        }
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get_index_of(key).is_some()
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.get_index_of(key).map(|i| &self.entries[i].1)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.get_index_of(key).map(|i| &mut self.entries[i].1)
    }

    pub fn get_key_value(&self, key: &str) -> Option<(&Str, &Value)> {
        self.get_index_of(key).map(|i| {
            let (k, v) = &self.entries[i];
            (k, v)
        })
    }

    pub fn get_index(&self, index: usize) -> Option<(&Str, &Value)> {
        self.entries.get(index).map(|(k, v)| (k, v))
    }

    pub fn first(&self) -> Option<(&Str, &Value)> {
        self.get_index(0)
    }

    pub fn last(&self) -> Option<(&Str, &Value)> {
        self.entries.last().map(|(k, v)| (k, v))
    }

    /// Sets `key` to `value`: a new key goes last, an existing one keeps its position and its old
    /// value is returned (Python's `d[key] = value`).
    pub fn insert(&mut self, key: impl Into<Str>, value: Value) -> Option<Value> {
        let key = key.into();
        match self.get_index_of(&key) {
            Some(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            None => {
                self.push_new(key, value);
                None
            }
        }
    }

    /// [`Map::insert`] for a key the caller knows is not in the map yet (for instance the members
    /// of a structure, which the model names once each): no look-up.
    pub fn push_new(&mut self, key: impl Into<Str>, value: Value) {
        let key = key.into();
        debug_assert!(
            !self.contains_key(&key),
            "push_new of a present key {key:?}"
        );
        if let Some(index) = &mut self.index {
            index.insert(key.as_str().into(), self.entries.len());
        }
        self.entries.push((key, value));
        if self.index.is_none() && self.entries.len() > INDEX_FROM {
            self.reindex();
        }
    }

    /// Removes `key`, shifting the entries after it (order kept; O(n)).
    pub fn shift_remove(&mut self, key: &str) -> Option<Value> {
        self.shift_remove_entry(key).map(|(_, v)| v)
    }

    pub fn shift_remove_entry(&mut self, key: &str) -> Option<(Str, Value)> {
        let i = self.get_index_of(key)?;
        let entry = self.entries.remove(i);
        if self.index.is_some() {
            self.reindex();
        }
        Some(entry)
    }

    /// Removes `key`, moving the last entry into its place (order not kept; O(1)).
    pub fn swap_remove(&mut self, key: &str) -> Option<Value> {
        self.swap_remove_entry(key).map(|(_, v)| v)
    }

    pub fn swap_remove_entry(&mut self, key: &str) -> Option<(Str, Value)> {
        let i = self.get_index_of(key)?;
        let entry = self.entries.swap_remove(i);
        if let Some(index) = &mut self.index {
            index.remove(key);
            if let Some((moved, _)) = self.entries.get(i) {
                index.insert(moved.as_str().into(), i);
            }
        }
        Some(entry)
    }

    /// Keeps the entries for which `keep` is true, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&Str, &mut Value) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
        if self.index.is_some() {
            self.reindex();
        }
    }

    /// The entry API's subset the crate uses: `map.entry(key).or_insert(value)`.
    pub fn entry(&mut self, key: impl Into<Str>) -> Entry<'_> {
        let key = key.into();
        match self.get_index_of(&key) {
            Some(i) => Entry::Occupied(&mut self.entries[i].1),
            None => Entry::Vacant(self, key),
        }
    }

    pub fn iter(&self) -> Iter<'_> {
        Iter(self.entries.iter())
    }

    pub fn iter_mut(&mut self) -> IterMut<'_> {
        IterMut(self.entries.iter_mut())
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Str> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn values_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = &mut Value> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    pub fn into_keys(self) -> impl DoubleEndedIterator<Item = Str> + ExactSizeIterator {
        self.entries.into_iter().map(|(k, _)| k)
    }

    pub fn into_values(self) -> impl DoubleEndedIterator<Item = Value> + ExactSizeIterator {
        self.entries.into_iter().map(|(_, v)| v)
    }

    /// Sorts the entries by key (code-point order).
    pub fn sort_keys(&mut self) {
        self.entries.sort_by(|a, b| a.0.cmp(&b.0));
        if self.index.is_some() {
            self.reindex();
        }
    }

    fn reindex(&mut self) {
        if self.entries.len() <= INDEX_FROM {
            self.index = None;
            return;
        }
        let index = self.index.get_or_insert_with(Default::default);
        index.clear();
        index.reserve(self.entries.len());
        for (i, (k, _)) in self.entries.iter().enumerate() {
            index.insert(k.as_str().into(), i);
        }
    }
}

/// A key's slot, from [`Map::entry`].
pub enum Entry<'a> {
    Occupied(&'a mut Value),
    Vacant(&'a mut Map, Str),
}

impl<'a> Entry<'a> {
    pub fn or_insert(self, value: Value) -> &'a mut Value {
        self.or_insert_with(|| value)
    }

    pub fn or_insert_with(self, make: impl FnOnce() -> Value) -> &'a mut Value {
        match self {
            Entry::Occupied(value) => value,
            Entry::Vacant(map, key) => {
                map.push_new(key, make());
                let last = map.entries.len() - 1;
                &mut map.entries[last].1
            }
        }
    }
}

/// Python's dict equality: the same keys with equal values, whatever the order.
impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .all(|(k, v)| other.get(k).is_some_and(|w| v == w))
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Into<Str>> FromIterator<(K, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Map {
        let mut map = Map::new();
        map.extend(iter);
        map
    }
}

impl<K: Into<Str>> Extend<(K, Value)> for Map {
    fn extend<I: IntoIterator<Item = (K, Value)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<K: Into<Str>, const N: usize> From<[(K, Value); N]> for Map {
    fn from(entries: [(K, Value); N]) -> Map {
        entries.into_iter().collect()
    }
}

/// `map["key"]`; panics when the key is absent, as `IndexMap`'s indexing does.
impl std::ops::Index<&str> for Map {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.get(key)
            .unwrap_or_else(|| panic!("Map has no key {key:?}"))
    }
}

/// The entries of a [`Map`] by reference, in order.
#[derive(Clone)]
pub struct Iter<'a>(std::slice::Iter<'a, (Str, Value)>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a Str, &'a Value);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// The entries of a [`Map`] with mutable values, in order.
pub struct IterMut<'a>(std::slice::IterMut<'a, (Str, Value)>);

impl<'a> Iterator for IterMut<'a> {
    type Item = (&'a Str, &'a mut Value);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (&*k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for IterMut<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (&*k, v))
    }
}

impl ExactSizeIterator for IterMut<'_> {}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a Str, &'a Value);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Map {
    type Item = (&'a Str, &'a mut Value);
    type IntoIter = IterMut<'a>;
    fn into_iter(self) -> IterMut<'a> {
        self.iter_mut()
    }
}

impl IntoIterator for Map {
    type Item = (Str, Value);
    type IntoIter = std::vec::IntoIter<(Str, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

/// `a == b` for the short strings that name things (object keys, member names), without a call to
/// `memcmp`: the lengths first, then up to sixteen bytes as two overlapping words (longer ones as
/// slices). A listing compares a few dozen names per item, most of them equal.
#[inline]
pub fn same_name(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    fn word(s: &[u8], at: usize) -> u64 {
        let mut w = [0u8; 8];
        w.copy_from_slice(&s[at..at + 8]);
        u64::from_le_bytes(w)
    }
    fn half(s: &[u8], at: usize) -> u32 {
        let mut w = [0u8; 4];
        w.copy_from_slice(&s[at..at + 4]);
        u32::from_le_bytes(w)
    }
    match n {
        0..=3 => a.iter().zip(b).all(|(x, y)| x == y),
        4..=7 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::value::Number;

    fn int(i: i64) -> Value {
        Value::Number(Number::Int(i))
    }

    #[test]
    fn behaves_like_a_python_dict() {
        let mut map = Map::new();
        assert_eq!(map.insert("b", int(1)), None);
        assert_eq!(map.insert("a", int(2)), None);
        // A repeated key keeps its first position and takes the last value.
        assert_eq!(map.insert("b", int(3)), Some(int(1)));
        let keys: Vec<&Str> = map.keys().collect();
        assert_eq!(keys, ["b", "a"]);
        assert_eq!(map.get("b"), Some(&int(3)));
        assert_eq!(map["a"], int(2));
        // Equality ignores order, as dict equality does.
        let other: Map = [("a".to_string(), int(2)), ("b".to_string(), int(3))].into();
        assert_eq!(map, other);
        assert_eq!(map.shift_remove("b"), Some(int(3)));
        assert_eq!(map.len(), 1);
        *map.entry("c").or_insert(int(4)) = int(5);
        assert_eq!(map.get("c"), Some(&int(5)));
    }

    /// Past INDEX_FROM entries the hash index answers, and stays right through removals.
    #[test]
    fn large_maps_stay_consistent() {
        let mut map = Map::new();
        for i in 0..100 {
            map.insert(format!("k{i}"), int(i));
        }
        assert!(map.index.is_some());
        assert_eq!(map.get("k57"), Some(&int(57)));
        assert_eq!(map.swap_remove("k0"), Some(int(0)));
        assert_eq!(map.get_index_of("k99"), Some(0));
        assert_eq!(map.shift_remove("k50"), Some(int(50)));
        assert_eq!(map.get_index_of("k51"), Some(50));
        map.insert("k50", int(-1));
        assert_eq!(map.get_index_of("k50"), Some(98));
        map.retain(|k, _| k.len() == 2);
        assert_eq!(map.len(), 9);
        assert!(map.index.is_none());
        assert_eq!(map.get("k7"), Some(&int(7)));
        for i in 0..100 {
            let expected = map.iter().position(|(k, _)| *k == format!("k{i}"));
            assert_eq!(map.get_index_of(&format!("k{i}")), expected);
        }
    }
}

#[cfg(test)]
mod same_name_tests {
    use super::same_name;

    /// Every length up to 40, equal and differing in each position, agrees with `==`.
    #[test]
    fn agrees_with_equality() {
        let base: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for n in 0..=base.len() {
            let a = &base[..n];
            assert!(same_name(a, a), "{n}");
            assert!(!same_name(a, &base[..n.saturating_sub(1)]) || n == 0, "{n}");
            for at in 0..n {
                let mut b = a.to_vec();
                b[at] ^= 0x20;
                assert!(!same_name(a, &b), "{n} {at}");
            }
        }
    }
}
