//! A small JSON reader for test data, independent of the code under test: objects keep their key
//! order and numbers become Python's types (an int when the literal has no fraction or exponent,
//! of any size; otherwise a float). It accepts `NaN`/`Infinity`, as Python's `json` writes them.

use lightsail_cli::python::value::{Map, Number, Value};

/// Parses a whole JSON text; panics with the position on malformed test data.
pub fn parse(text: &str) -> Value {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        pos: 0,
    };
    let value = reader.value();
    reader.skip_whitespace();
    assert_eq!(reader.pos, reader.bytes.len(), "trailing data in test JSON");
    value
}

struct Reader<'t> {
    bytes: &'t [u8],
    pos: usize,
}

impl Reader<'_> {
    fn skip_whitespace(&mut self) {
        while self.pos < self.bytes.len()
            && matches!(self.bytes[self.pos], b' ' | b'\t' | b'\n' | b'\r')
        {
            self.pos += 1;
        }
    }

    fn eat(&mut self, word: &str) -> bool {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Value {
        self.skip_whitespace();
        let Some(&first) = self.bytes.get(self.pos) else {
            panic!("unexpected end of test JSON")
        };
        match first {
            b'{' => {
                self.pos += 1;
                let mut map = Map::new();
                self.skip_whitespace();
                if self.eat("}") {
                    return Value::Object(map);
                }
                loop {
                    self.skip_whitespace();
                    let key = self.string();
                    self.skip_whitespace();
                    assert!(self.eat(":"), "expected ':' at {}", self.pos);
                    let value = self.value();
                    map.insert(key, value);
                    self.skip_whitespace();
                    if self.eat("}") {
                        return Value::Object(map);
                    }
                    assert!(self.eat(","), "expected ',' at {}", self.pos);
                }
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_whitespace();
                if self.eat("]") {
                    return Value::Array(items);
                }
                loop {
                    items.push(self.value());
                    self.skip_whitespace();
                    if self.eat("]") {
                        return Value::Array(items);
                    }
                    assert!(self.eat(","), "expected ',' at {}", self.pos);
                }
            }
            b'"' => Value::String(self.string().into()),
            _ => {
                for (word, value) in [
                    ("null", Value::Null),
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                    ("NaN", Value::Number(Number::Float(f64::NAN))),
                    ("Infinity", Value::Number(Number::Float(f64::INFINITY))),
                    ("-Infinity", Value::Number(Number::Float(f64::NEG_INFINITY))),
                ] {
                    if self.eat(word) {
                        return value;
                    }
                }
                let start = self.pos;
                while self.pos < self.bytes.len()
                    && matches!(
                        self.bytes[self.pos],
                        b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'
                    )
                {
                    self.pos += 1;
                }
                let literal =
                    std::str::from_utf8(&self.bytes[start..self.pos]).expect("ASCII number");
                assert!(
                    !literal.is_empty(),
                    "unexpected byte at {start} in test JSON"
                );
                Value::Number(Number::from_json_literal(literal))
            }
        }
    }

    fn hex4(&mut self) -> u32 {
        let digits = std::str::from_utf8(&self.bytes[self.pos..self.pos + 4]).expect("hex digits");
        self.pos += 4;
        u32::from_str_radix(digits, 16).expect("hex digits")
    }

    fn string(&mut self) -> String {
        assert!(self.eat("\""), "expected a string at {}", self.pos);
        let mut out = Vec::new();
        loop {
            let b = self.bytes[self.pos];
            self.pos += 1;
            match b {
                b'"' => return String::from_utf8(out).expect("UTF-8 test JSON"),
                b'\\' => {
                    let escape = self.bytes[self.pos];
                    self.pos += 1;
                    let c = match escape {
                        b'n' => '\n',
                        b't' => '\t',
                        b'r' => '\r',
                        b'b' => '\x08',
                        b'f' => '\x0c',
                        b'u' => {
                            let first = self.hex4();
                            let code = if (0xd800..0xdc00).contains(&first) && self.eat("\\u") {
                                0x10000 + ((first - 0xd800) << 10) + (self.hex4() - 0xdc00)
                            } else {
                                first
                            };
                            char::from_u32(code).unwrap_or('\u{fffd}')
                        }
                        other => char::from(other),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                other => out.push(other),
            }
        }
    }
}
