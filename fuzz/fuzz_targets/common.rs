//! Builds a `Value` from fuzzer bytes: a tag byte picks the kind, later bytes fill it in.

use lightsail_cli::python::value::{Map, Number, Value};

pub struct Bytes<'a>(pub &'a [u8]);

impl Bytes<'_> {
    pub fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    fn take(&mut self, n: usize) -> &[u8] {
        let n = n.min(self.0.len());
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        head
    }

    fn string(&mut self) -> String {
        let n = self.byte() as usize % 12;
        String::from_utf8_lossy(self.take(n)).into_owned()
    }

    fn u64(&mut self) -> u64 {
        let mut raw = [0u8; 8];
        let head = self.take(8);
        raw[..head.len()].copy_from_slice(head);
        u64::from_le_bytes(raw)
    }

    pub fn value(&mut self, depth: usize) -> Value {
        const KEYS: &[&str] = &[
            "a",
            "b",
            "name",
            "tags",
            "key",
            "value",
            "createdAt",
            "operations",
        ];
        match self.byte() % if depth > 6 { 8 } else { 10 } {
            0 => Value::Null,
            1 => Value::Bool(self.byte() & 1 == 1),
            2 => Value::Number(Number::Int(self.u64() as i64)),
            3 => Value::Number(Number::Float(f64::from_bits(self.u64()))),
            4 => Value::Number(Number::BigInt(format!("-{}9", self.u64()))),
            5 | 6 => Value::String(self.string()),
            7 => Value::String(KEYS[self.byte() as usize % KEYS.len()].into()),
            8 => {
                let n = self.byte() % 5;
                Value::Array((0..n).map(|_| self.value(depth + 1)).collect())
            }
            _ => {
                let n = self.byte() % 5;
                let mut map = Map::new();
                for _ in 0..n {
                    let key = if self.byte() & 1 == 0 {
                        KEYS[self.byte() as usize % KEYS.len()].to_string()
                    } else {
                        self.string()
                    };
                    let value = self.value(depth + 1);
                    map.insert(key, value);
                }
                Value::Object(map)
            }
        }
    }
}
