//! Identifiers: uuid-shaped ids, hex and base64 strings, and addresses, from seeded streams.
//!
//! In deterministic mode the first two operation ids are the seed example's and every other value
//! comes from fixed-seed SplitMix64 streams, so the same calls from a fresh start always produce the
//! same bytes; otherwise the streams are seeded from the clock and process id. The stream states are
//! part of the persisted state (a restarted emulator carries on where it stopped) and are restored
//! when a request fails, so a failed request consumes nothing. The streams are not cryptographic:
//! they only need to look like Lightsail's ids and keys.
//!
//! Addresses are handed out in sequence from ranges that are never routed on the internet, so a test
//! that tries to reach one cannot touch a stranger's machine: public IPv4 from 198.18.0.0/15 (RFC 2544),
//! private IPv4 from 172.26.0.0/16 (Lightsail's own private range, from 172.26.1.1 on; seeded instances
//! use 172.26.0.x), IPv6 from 2001:db8::/32 (RFC 3849).

use serde_json::{json, Value};

/// The seed example's operation ids: the snapshot's operation, then the instance's.
pub const SEED_OPERATION_IDS: [&str; 2] = [
    "4c3db559-9dd0-41e7-89c0-2cb88c19786f",
    "c04fdc45-2981-488c-88b5-d6d2fd759a6a",
];

/// SplitMix64: tiny, fast, and good enough for uuid-shaped identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A random (version 4, RFC 4122 variant) uuid in its lowercase hyphenated form.
    pub fn uuid_v4(&mut self) -> String {
        let high = self.next_u64();
        let low = self.next_u64();
        let high = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
        let low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
        let hex = format!("{high:016x}{low:016x}");
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }

    pub fn hex(&mut self, digits: usize) -> String {
        let mut out = String::new();
        while out.len() < digits {
            out.push_str(&format!("{:016x}", self.next_u64()));
        }
        out.truncate(digits);
        out
    }
}

fn entropy_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let local = 0u8;
    let address = &local as *const u8 as u64;
    nanos ^ (u64::from(std::process::id()) << 32) ^ address.rotate_left(17)
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with `=` padding (strip the padding for SSH fingerprints).
pub fn encode_base64(raw: &[u8]) -> String {
    let mut out = String::with_capacity(raw.len().div_ceil(3) * 4);
    for chunk in raw.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(BASE64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Where every generated identifier comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdSource {
    /// How many operation ids have been handed out (the first two are the seed's in deterministic mode).
    operations_issued: u64,
    operations: SplitMix64,
    resources: SplitMix64,
    public_ipv4_issued: u64,
    private_ipv4_issued: u64,
    deterministic: bool,
}

impl IdSource {
    pub fn new(deterministic: bool) -> IdSource {
        let (operations, resources) = if deterministic {
            (
                SplitMix64(0x4c3d_b559_9dd0_41e7),
                SplitMix64(0xc04f_dc45_2981_488c),
            )
        } else {
            let seed = entropy_seed();
            (
                SplitMix64(seed),
                SplitMix64(seed.rotate_left(29) ^ 0x5555_5555_5555_5555),
            )
        };
        IdSource {
            operations_issued: 0,
            operations,
            resources,
            public_ipv4_issued: 0,
            private_ipv4_issued: 0,
            deterministic,
        }
    }

    /// The next operation id.
    pub fn operation_id(&mut self) -> String {
        let index = self.operations_issued;
        self.operations_issued += 1;
        match SEED_OPERATION_IDS.get(index as usize) {
            Some(id) if self.deterministic => (*id).to_string(),
            _ => self.operations.uuid_v4(),
        }
    }

    /// A uuid for a resource (the last part of its ARN).
    pub fn resource_uuid(&mut self) -> String {
        self.resources.uuid_v4()
    }

    /// `digits` lowercase hex digits (support codes: `i-` + 17 digits, `ami-` + 17, ...).
    pub fn resource_hex(&mut self, digits: usize) -> String {
        self.resources.hex(digits)
    }

    /// A number in `0..bound` (0 when `bound` is 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 {
            0
        } else {
            self.resources.next_u64() % bound
        }
    }

    /// `bytes` random bytes in standard base64 (with `=` padding): key material, passwords, tokens.
    pub fn base64(&mut self, bytes: usize) -> String {
        encode_base64(&self.bytes(bytes))
    }

    /// `count` random bytes (key material).
    pub fn bytes(&mut self, count: usize) -> Vec<u8> {
        let mut raw = Vec::with_capacity(count + 8);
        while raw.len() < count {
            raw.extend_from_slice(&self.resources.next_u64().to_le_bytes());
        }
        raw.truncate(count);
        raw
    }

    /// `length` characters from `alphabet` (passwords, access key ids).
    pub fn string_from(&mut self, alphabet: &str, length: usize) -> String {
        let chars: Vec<char> = alphabet.chars().collect();
        (0..length)
            .map(|_| chars[self.below(chars.len() as u64) as usize])
            .collect()
    }

    /// The next public IPv4 address, from 198.18.0.0/15 (never routed on the internet).
    pub fn public_ipv4(&mut self) -> String {
        let index = self.public_ipv4_issued;
        self.public_ipv4_issued += 1;
        // 254 usable hosts per /24 (no .0, no .255), 512 /24s in the /15, then round again.
        let block = (index / 254) % 512;
        let host = index % 254 + 1;
        format!("198.{}.{}.{host}", 18 + block / 256, block % 256)
    }

    /// The next private IPv4 address, from 172.26.1.1 on.
    pub fn private_ipv4(&mut self) -> String {
        let index = self.private_ipv4_issued;
        self.private_ipv4_issued += 1;
        let block = 1 + (index / 254) % 255;
        let host = index % 254 + 1;
        format!("172.26.{block}.{host}")
    }

    /// A random IPv6 address in 2001:db8::/32 (documentation prefix).
    pub fn ipv6(&mut self) -> String {
        let bits = self.resources.next_u64();
        let more = self.resources.next_u64();
        format!(
            "2001:db8:{:x}:{:x}:{:x}:{:x}:{:x}:{:x}",
            bits >> 48,
            (bits >> 32) & 0xffff,
            (bits >> 16) & 0xffff,
            bits & 0xffff,
            more >> 48,
            (more >> 32) & 0xffff
        )
    }

    pub fn to_json(&self) -> Value {
        json!({
            "operationsIssued": self.operations_issued,
            "operations": self.operations.0.to_string(),
            "resources": self.resources.0.to_string(),
            "publicIpv4Issued": self.public_ipv4_issued,
            "privateIpv4Issued": self.private_ipv4_issued,
        })
    }

    pub fn from_json(value: &Value, deterministic: bool) -> Option<IdSource> {
        let number = |key: &str| value.get(key)?.as_str()?.parse::<u64>().ok();
        let count = |key: &str| value.get(key).and_then(Value::as_u64).unwrap_or(0);
        Some(IdSource {
            operations_issued: value.get("operationsIssued")?.as_u64()?,
            operations: SplitMix64(number("operations")?),
            resources: SplitMix64(number("resources")?),
            public_ipv4_issued: count("publicIpv4Issued"),
            private_ipv4_issued: count("privateIpv4Issued"),
            deterministic,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_ids_start_with_the_seed() {
        let mut ids = IdSource::new(true);
        assert_eq!(ids.operation_id(), SEED_OPERATION_IDS[0]);
        assert_eq!(ids.operation_id(), SEED_OPERATION_IDS[1]);
        let third = ids.operation_id();
        assert_eq!(third.len(), 36);
        assert_eq!(&third[14..15], "4");
        let restored = IdSource::from_json(&ids.to_json(), true);
        assert_eq!(restored, Some(ids));
    }

    #[test]
    fn generators() {
        let mut ids = IdSource::new(true);
        assert_eq!(ids.public_ipv4(), "198.18.0.1");
        assert_eq!(ids.private_ipv4(), "172.26.1.1");
        for _ in 0..253 {
            ids.public_ipv4();
        }
        assert_eq!(ids.public_ipv4(), "198.18.1.1");
        let key = ids.base64(32);
        assert_eq!(key.len(), 44);
        assert!(key.ends_with('='));
        assert!(ids.ipv6().starts_with("2001:db8:"));
        let password = ids.string_from("abc", 10);
        assert_eq!(password.len(), 10);
        assert!(password.chars().all(|c| "abc".contains(c)));
    }
}
