//! The tokenizer, a transcription of jmespath's `lexer.py`.
//!
//! Positions count characters (Python string indices), which is what the caret lines of error
//! messages use. The quirks are the reference's: a backtick literal that is not valid JSON is retried as
//! a JSON string (the deprecated JEP-12 form), raw strings only unescape `\'`, a lone `-` or `=` is an
//! unknown token, and a number token keeps Python's `int()` spelling for error messages.

use super::error::ParseError;
use super::pyrepr::python_str;
use super::runtime::Val;
use crate::python::json_decode::{self, LoneSurrogate};
use crate::python::unicode;

/// A token type; [`TokenKind::name`] is jmespath's spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Dot,
    Star,
    Rbracket,
    Comma,
    Colon,
    Current,
    Lparen,
    Rparen,
    Lbrace,
    Rbrace,
    UnquotedIdentifier,
    QuotedIdentifier,
    Flatten,
    Filter,
    Lbracket,
    Literal,
    Or,
    Pipe,
    And,
    Expref,
    Number,
    Lte,
    Lt,
    Gte,
    Gt,
    Ne,
    Not,
    Eq,
    Eof,
}

impl TokenKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            TokenKind::Dot => "dot",
            TokenKind::Star => "star",
            TokenKind::Rbracket => "rbracket",
            TokenKind::Comma => "comma",
            TokenKind::Colon => "colon",
            TokenKind::Current => "current",
            TokenKind::Lparen => "lparen",
            TokenKind::Rparen => "rparen",
            TokenKind::Lbrace => "lbrace",
            TokenKind::Rbrace => "rbrace",
            TokenKind::UnquotedIdentifier => "unquoted_identifier",
            TokenKind::QuotedIdentifier => "quoted_identifier",
            TokenKind::Flatten => "flatten",
            TokenKind::Filter => "filter",
            TokenKind::Lbracket => "lbracket",
            TokenKind::Literal => "literal",
            TokenKind::Or => "or",
            TokenKind::Pipe => "pipe",
            TokenKind::And => "and",
            TokenKind::Expref => "expref",
            TokenKind::Number => "number",
            TokenKind::Lte => "lte",
            TokenKind::Lt => "lt",
            TokenKind::Gte => "gte",
            TokenKind::Gt => "gt",
            TokenKind::Ne => "ne",
            TokenKind::Not => "not",
            TokenKind::Eq => "eq",
            TokenKind::Eof => "eof",
        }
    }
}

/// A token's value.
#[derive(Debug, Clone)]
pub(crate) enum TokenValue {
    /// Punctuation and identifiers (a quoted identifier already decoded).
    Text(String),
    /// A number: saturated to i64, with Python's `str(int(lexeme))` for messages.
    Number(i64, String),
    /// A decoded literal.
    Literal(Val<'static>),
}

impl TokenValue {
    /// Python's `str()` of the token value.
    pub(crate) fn python_str(&self) -> String {
        match self {
            TokenValue::Text(s) => s.clone(),
            TokenValue::Number(_, text) => text.clone(),
            TokenValue::Literal(v) => python_str(v),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) value: TokenValue,
    pub(crate) start: usize,
}

/// Splits an expression into tokens, ending with an `Eof` token.
pub(crate) fn tokenize(expression: &str) -> Result<Vec<Token>, ParseError> {
    if expression.is_empty() {
        return Err(ParseError::Empty);
    }
    let chars: Vec<char> = expression.chars().collect();
    let mut lexer = Lexer {
        expression,
        chars: &chars,
        position: 0,
        tokens: Vec::new(),
    };
    lexer.run()?;
    Ok(lexer.tokens)
}

struct Lexer<'e> {
    expression: &'e str,
    chars: &'e [char],
    position: usize,
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn current(&self) -> Option<char> {
        self.chars.get(self.position).copied()
    }

    fn next(&mut self) -> Option<char> {
        self.position += 1;
        self.current()
    }

    fn push(&mut self, kind: TokenKind, value: &str, start: usize) {
        self.tokens.push(Token {
            kind,
            value: TokenValue::Text(value.to_string()),
            start,
        });
    }

    fn error(&self, position: usize, message: String) -> ParseError {
        ParseError::Lexer {
            position,
            message,
            expression: self.expression.to_string(),
        }
    }

    fn run(&mut self) -> Result<(), ParseError> {
        while let Some(c) = self.current() {
            let start = self.position;
            let simple = match c {
                '.' => Some(TokenKind::Dot),
                '*' => Some(TokenKind::Star),
                ']' => Some(TokenKind::Rbracket),
                ',' => Some(TokenKind::Comma),
                ':' => Some(TokenKind::Colon),
                '@' => Some(TokenKind::Current),
                '(' => Some(TokenKind::Lparen),
                ')' => Some(TokenKind::Rparen),
                '{' => Some(TokenKind::Lbrace),
                '}' => Some(TokenKind::Rbrace),
                _ => None,
            };
            if let Some(kind) = simple {
                self.push(kind, &c.to_string(), start);
                self.next();
                continue;
            }
            match c {
                'a'..='z' | 'A'..='Z' | '_' => {
                    let mut name = String::from(c);
                    while let Some(n) = self
                        .next()
                        .filter(|n| n.is_ascii_alphanumeric() || *n == '_')
                    {
                        name.push(n);
                    }
                    self.push(TokenKind::UnquotedIdentifier, &name, start);
                }
                ' ' | '\t' | '\n' | '\r' => {
                    self.next();
                }
                '[' => match self.next() {
                    Some(']') => {
                        self.next();
                        self.push(TokenKind::Flatten, "[]", start);
                    }
                    Some('?') => {
                        self.next();
                        self.push(TokenKind::Filter, "[?", start);
                    }
                    _ => self.push(TokenKind::Lbracket, "[", start),
                },
                '\'' => self.raw_string()?,
                '|' => self.match_or_else('|', TokenKind::Or, TokenKind::Pipe),
                '&' => self.match_or_else('&', TokenKind::And, TokenKind::Expref),
                '`' => self.literal()?,
                '0'..='9' | '-' => self.number()?,
                '"' => self.quoted_identifier()?,
                '<' => self.match_or_else('=', TokenKind::Lte, TokenKind::Lt),
                '>' => self.match_or_else('=', TokenKind::Gte, TokenKind::Gt),
                '!' => self.match_or_else('=', TokenKind::Ne, TokenKind::Not),
                '=' => {
                    if self.next() == Some('=') {
                        self.next();
                        self.push(TokenKind::Eq, "==", start);
                    } else {
                        return Err(self.error(start, "Unknown token '='".into()));
                    }
                }
                other => return Err(self.error(start, format!("Unknown token {other}"))),
            }
        }
        self.tokens.push(Token {
            kind: TokenKind::Eof,
            value: TokenValue::Text(String::new()),
            start: self.chars.len(),
        });
        Ok(())
    }

    fn match_or_else(&mut self, expected: char, matched: TokenKind, otherwise: TokenKind) {
        let start = self.position;
        let first = self.current().unwrap_or_default();
        if self.next() == Some(expected) {
            self.next();
            self.push(matched, &format!("{first}{expected}"), start);
        } else {
            self.push(otherwise, &first.to_string(), start);
        }
    }

    fn number(&mut self) -> Result<(), ParseError> {
        let start = self.position;
        let mut lexeme = String::new();
        lexeme.extend(self.current());
        while let Some(d) = self.next().filter(char::is_ascii_digit) {
            lexeme.push(d);
        }
        if lexeme == "-" {
            return Err(self.error(start, "Unknown token '-'".into()));
        }
        let digits = lexeme.trim_start_matches('-');
        if digits.len() > crate::python::number::MAX_INT_DIGITS {
            return Err(ParseError::Python(crate::python::number::too_many_digits(
                digits.len(),
            )));
        }
        let normalized = digits.trim_start_matches('0');
        let text = match (normalized.is_empty(), lexeme.starts_with('-')) {
            (true, _) => "0".to_string(),
            (false, true) => format!("-{normalized}"),
            (false, false) => normalized.to_string(),
        };
        let saturated = text.parse::<i64>().unwrap_or(if text.starts_with('-') {
            i64::MIN
        } else {
            i64::MAX
        });
        self.tokens.push(Token {
            kind: TokenKind::Number,
            value: TokenValue::Number(saturated, text),
            start,
        });
        Ok(())
    }

    /// jmespath's `_consume_until`: the text up to an unescaped delimiter, backslashes kept.
    fn consume_until(&mut self, delimiter: char) -> Result<String, ParseError> {
        let start = self.position;
        let mut buffer = String::new();
        self.next();
        while self.current() != Some(delimiter) {
            if self.current() == Some('\\') {
                buffer.push('\\');
                self.next();
            }
            match self.current() {
                None => return Err(self.error(start, format!("Unclosed {delimiter} delimiter"))),
                Some(c) => buffer.push(c),
            }
            self.next();
        }
        self.next();
        Ok(buffer)
    }

    fn literal(&mut self) -> Result<(), ParseError> {
        let start = self.position;
        let lexeme = self.consume_until('`')?.replace("\\`", "`");
        let value = match json_loads(&lexeme) {
            Ok(value) => value,
            Err(_) => {
                let stripped = lexeme.trim_start_matches(unicode::is_space);
                json_loads(&format!("\"{stripped}\""))
                    .map_err(|_| self.error(start, format!("Bad token {lexeme}")))?
            }
        };
        self.tokens.push(Token {
            kind: TokenKind::Literal,
            value: TokenValue::Literal(value),
            start,
        });
        Ok(())
    }

    fn quoted_identifier(&mut self) -> Result<(), ParseError> {
        let start = self.position;
        let lexeme = format!("\"{}\"", self.consume_until('"')?);
        match json_loads(&lexeme) {
            Ok(Val::String(name)) => {
                self.push(TokenKind::QuotedIdentifier, &name, start);
                Ok(())
            }
            Ok(_) => Err(self.error(start, "Expecting value".into())),
            Err(message) => Err(self.error(start, message)),
        }
    }

    fn raw_string(&mut self) -> Result<(), ParseError> {
        let start = self.position;
        let lexeme = self.consume_until('\'')?.replace("\\'", "'");
        self.tokens.push(Token {
            kind: TokenKind::Literal,
            value: TokenValue::Literal(Val::string(&lexeme)),
            start,
        });
        Ok(())
    }
}

/// Nesting beyond this depth fails (Python would raise RecursionError near 1000 levels).
const JSON_MAX_DEPTH: usize = 900;

/// `json.loads(text)` as the lexer calls it (decoding `` `literal` `` tokens and quoted identifiers);
/// the error is `str(e).split(':')[0]`, all jmespath ever shows. A lone surrogate escape decodes to the
/// six characters `\ud800`, which is what the reference prints when such a string reaches its stderr.
fn json_loads(text: &str) -> Result<Val<'static>, String> {
    match json_decode::loads_with(text, JSON_MAX_DEPTH, LoneSurrogate::Escape) {
        Ok(value) => Ok(Val::from_value(&value)),
        Err(error) => {
            let message = error.to_string();
            Err(message.split(':').next().unwrap_or_default().to_string())
        }
    }
}
