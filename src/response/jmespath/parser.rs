//! The Pratt parser, a transcription of jmespath's `parser.py` (binding powers, nud/led functions and
//! error messages).
//!
//! The reference's leniencies are kept on purpose because users' expressions rely on them and the
//! reference accepts them: function arguments need no commas (`f(a b)`), multi-select hash pairs need
//! none either (`{a: b c: d}`), `(foo)(bar)` is a call of `foo`, and an index after an index
//! expression joins it instead of projecting (`a[0][1:]`). Errors carry the reference's positions: a
//! quoted function name reports column 0, `foo.` reports the end with type EOF rather than
//! "Incomplete expression".

use super::ast::{Comparator, LiteralValue, Node};
use super::error::ParseError;
use super::lexer::{tokenize, Token, TokenKind, TokenValue};

/// Python's recursion limit minus the frames already on the reference CLI's stack when awscli's
/// `_resolve_query` reaches `Parser._expression`. The parser counts the Python frames its calls stand
/// for and fails like Python's RecursionError past this budget; calibrated against the reference
/// (490 nested parentheses compile, 491 do not; 326 nested brackets compile, 327 do not).
const PYTHON_FRAME_BUDGET: usize = 1000 - 17;

/// Python's message for the RecursionError.
const RECURSION_MESSAGE: &str = "maximum recursion depth exceeded";

/// Tokens below this binding power stop a projection.
const PROJECTION_STOP: u8 = 10;

fn binding_power(kind: TokenKind) -> u8 {
    match kind {
        TokenKind::Pipe => 1,
        TokenKind::Or => 2,
        TokenKind::And => 3,
        TokenKind::Eq
        | TokenKind::Gt
        | TokenKind::Lt
        | TokenKind::Gte
        | TokenKind::Lte
        | TokenKind::Ne => 5,
        TokenKind::Flatten => 9,
        TokenKind::Star => 20,
        TokenKind::Filter => 21,
        TokenKind::Dot => 40,
        TokenKind::Not => 45,
        TokenKind::Lbrace => 50,
        TokenKind::Lbracket => 55,
        TokenKind::Lparen => 60,
        _ => 0,
    }
}

/// Parses a whole expression.
pub(crate) fn parse(expression: &str) -> Result<Node, ParseError> {
    let tokens = tokenize(expression)?;
    let mut parser = Parser {
        tokens,
        index: 0,
        expression,
        frames: 0,
    };
    let node = parser.expression(0)?;
    if parser.current() != TokenKind::Eof {
        let token = parser.token(0);
        let message = format!("Unexpected token: {}", token.value.python_str());
        return Err(parser.syntax_error(token, message));
    }
    Ok(node)
}

struct Parser<'e> {
    tokens: Vec<Token>,
    index: usize,
    expression: &'e str,
    /// The Python frames the reference would have on its stack at this point of the parse.
    frames: usize,
}

type Parsed = Result<Node, ParseError>;

impl Parser<'_> {
    /// The token `offset` places from the current one (the lexer always ends with Eof, and the
    /// parser never advances past it, so the last token stands in for anything beyond).
    fn token(&self, offset: isize) -> &Token {
        let at = self
            .index
            .checked_add_signed(offset)
            .unwrap_or(0)
            .min(self.tokens.len() - 1);
        &self.tokens[at]
    }

    fn current(&self) -> TokenKind {
        self.token(0).kind
    }

    fn advance(&mut self) {
        self.index += 1;
    }

    fn syntax_error(&self, token: &Token, message: String) -> ParseError {
        ParseError::Syntax {
            message,
            position: token.start,
            token_value: token.value.python_str(),
            token_type: token.kind.name().to_uppercase(),
            expression: self.expression.to_string(),
        }
    }

    fn incomplete(&self) -> ParseError {
        ParseError::Incomplete {
            expression: self.expression.to_string(),
        }
    }

    fn error_maybe_eof(&self, expected: &str) -> ParseError {
        let token = self.token(0);
        if token.kind == TokenKind::Eof {
            return self.incomplete();
        }
        self.syntax_error(
            token,
            format!("Expecting: {expected}, got: {}", token.kind.name()),
        )
    }

    fn expect(&mut self, kind: TokenKind) -> Result<(), ParseError> {
        if self.current() == kind {
            self.advance();
            Ok(())
        } else {
            Err(self.error_maybe_eof(kind.name()))
        }
    }

    /// Enters `count` Python frames (failing like RecursionError past the budget).
    fn enter(&mut self, count: usize) -> Result<(), ParseError> {
        self.frames += count;
        if self.frames > PYTHON_FRAME_BUDGET {
            return Err(ParseError::Python(RECURSION_MESSAGE.into()));
        }
        Ok(())
    }

    fn leave(&mut self, count: usize) {
        self.frames -= count;
    }

    /// Runs `body` inside `count` more Python frames.
    fn framed(&mut self, count: usize, body: impl FnOnce(&mut Self) -> Parsed) -> Parsed {
        self.enter(count)?;
        let result = body(self);
        self.leave(count);
        result
    }

    fn expression(&mut self, power: u8) -> Parsed {
        self.framed(1, |p| p.expression_inner(power))
    }

    fn expression_inner(&mut self, power: u8) -> Parsed {
        let left_token = self.token(0).clone();
        self.advance();
        let mut left = self.nud(left_token)?;
        while power < binding_power(self.current()) {
            left = self.led(left)?;
        }
        Ok(left)
    }

    /// The nud function for `token` (one Python frame; a leaf also calls an `ast` constructor).
    fn nud(&mut self, token: Token) -> Parsed {
        self.framed(1, |p| p.nud_inner(token))
    }

    fn nud_inner(&mut self, token: Token) -> Parsed {
        if matches!(
            token.kind,
            TokenKind::Literal
                | TokenKind::UnquotedIdentifier
                | TokenKind::QuotedIdentifier
                | TokenKind::Current
        ) {
            self.enter(1)?;
            self.leave(1);
        }
        match token.kind {
            TokenKind::Literal => match token.value {
                TokenValue::Literal(value) => Ok(Node::Literal(LiteralValue(value))),
                _ => Err(self.syntax_error(&token, "invalid token".into())),
            },
            TokenKind::UnquotedIdentifier => Ok(Node::Field(token.value.python_str())),
            TokenKind::QuotedIdentifier => {
                if self.current() == TokenKind::Lparen {
                    let lparen = self.token(0);
                    let mut error = self.syntax_error(
                        lparen,
                        "Quoted identifier not allowed for function names.".into(),
                    );
                    if let ParseError::Syntax { position, .. } = &mut error {
                        *position = 0;
                    }
                    return Err(error);
                }
                Ok(Node::Field(token.value.python_str()))
            }
            TokenKind::Star => {
                let right = if self.current() == TokenKind::Rbracket {
                    Node::Identity
                } else {
                    self.projection_rhs(binding_power(TokenKind::Star))?
                };
                Ok(Node::ValueProjection(
                    Box::new(Node::Identity),
                    Box::new(right),
                ))
            }
            TokenKind::Filter => self.framed(1, |p| p.led_filter(Node::Identity)),
            TokenKind::Lbrace => self.multi_select_hash(),
            TokenKind::Lparen => {
                let inner = self.expression(0)?;
                self.expect(TokenKind::Rparen)?;
                Ok(inner)
            }
            TokenKind::Flatten => {
                let left = Node::Flatten(Box::new(Node::Identity));
                let right = self.projection_rhs(binding_power(TokenKind::Flatten))?;
                Ok(Node::Projection(Box::new(left), Box::new(right)))
            }
            TokenKind::Not => Ok(Node::Not(Box::new(
                self.expression(binding_power(TokenKind::Not))?,
            ))),
            TokenKind::Lbracket => {
                let current = self.current();
                if current == TokenKind::Number || current == TokenKind::Colon {
                    let right = self.index_expression()?;
                    self.project_if_slice(Node::Identity, right)
                } else if current == TokenKind::Star && self.token(1).kind == TokenKind::Rbracket {
                    self.advance();
                    self.advance();
                    let right = self.projection_rhs(binding_power(TokenKind::Star))?;
                    Ok(Node::Projection(Box::new(Node::Identity), Box::new(right)))
                } else {
                    self.multi_select_list()
                }
            }
            TokenKind::Current => Ok(Node::Current),
            TokenKind::Expref => Ok(Node::Expref(Box::new(
                self.expression(binding_power(TokenKind::Expref))?,
            ))),
            TokenKind::Eof => Err(self.incomplete()),
            _ => Err(self.syntax_error(&token, "invalid token".into())),
        }
    }

    fn led(&mut self, left: Node) -> Parsed {
        let kind = self.current();
        let comparator = match kind {
            TokenKind::Eq => Some(Comparator::Eq),
            TokenKind::Ne => Some(Comparator::Ne),
            TokenKind::Lt => Some(Comparator::Lt),
            TokenKind::Gt => Some(Comparator::Gt),
            TokenKind::Lte => Some(Comparator::Lte),
            TokenKind::Gte => Some(Comparator::Gte),
            _ => None,
        };
        let has_led = comparator.is_some()
            || matches!(
                kind,
                TokenKind::Dot
                    | TokenKind::Pipe
                    | TokenKind::Or
                    | TokenKind::And
                    | TokenKind::Lparen
                    | TokenKind::Filter
                    | TokenKind::Flatten
                    | TokenKind::Lbracket
            );
        if !has_led {
            return Err(self.syntax_error(self.token(0), "invalid token".into()));
        }
        self.advance();
        // The led function's own frame, plus `_parse_comparator` for comparators.
        let frames = if comparator.is_some() { 2 } else { 1 };
        self.framed(frames, |p| p.led_inner(kind, comparator, left))
    }

    fn led_inner(&mut self, kind: TokenKind, comparator: Option<Comparator>, left: Node) -> Parsed {
        if let Some(comparator) = comparator {
            let right = self.expression(binding_power(kind))?;
            return Ok(Node::Comparator(
                comparator,
                Box::new(left),
                Box::new(right),
            ));
        }
        match kind {
            TokenKind::Dot => {
                if self.current() != TokenKind::Star {
                    let right = self.dot_rhs(binding_power(TokenKind::Dot))?;
                    Ok(match left {
                        Node::Subexpression(mut children) => {
                            children.push(right);
                            Node::Subexpression(children)
                        }
                        other => Node::Subexpression(vec![other, right]),
                    })
                } else {
                    self.advance();
                    let right = self.projection_rhs(binding_power(TokenKind::Dot))?;
                    Ok(Node::ValueProjection(Box::new(left), Box::new(right)))
                }
            }
            TokenKind::Pipe => Ok(Node::Pipe(
                Box::new(left),
                Box::new(self.expression(binding_power(kind))?),
            )),
            TokenKind::Or => Ok(Node::Or(
                Box::new(left),
                Box::new(self.expression(binding_power(kind))?),
            )),
            TokenKind::And => Ok(Node::And(
                Box::new(left),
                Box::new(self.expression(binding_power(kind))?),
            )),
            TokenKind::Lparen => self.led_function(left),
            TokenKind::Filter => self.led_filter(left),
            TokenKind::Flatten => {
                let flattened = Node::Flatten(Box::new(left));
                let right = self.projection_rhs(binding_power(TokenKind::Flatten))?;
                Ok(Node::Projection(Box::new(flattened), Box::new(right)))
            }
            _ => self.led_lbracket(left),
        }
    }

    fn led_function(&mut self, left: Node) -> Parsed {
        let name = match left {
            Node::Field(name) => name,
            _ => {
                let name_token = self.token(-2);
                let message = format!("Invalid function name '{}'", name_token.value.python_str());
                return Err(self.syntax_error(name_token, message));
            }
        };
        let mut args = Vec::new();
        while self.current() != TokenKind::Rparen {
            let argument = self.expression(0)?;
            if self.current() == TokenKind::Comma {
                self.expect(TokenKind::Comma)?;
            }
            args.push(argument);
        }
        self.expect(TokenKind::Rparen)?;
        Ok(Node::Function(name, args))
    }

    fn led_filter(&mut self, left: Node) -> Parsed {
        let condition = self.expression(0)?;
        self.expect(TokenKind::Rbracket)?;
        let right = if self.current() == TokenKind::Flatten {
            Node::Identity
        } else {
            self.projection_rhs(binding_power(TokenKind::Filter))?
        };
        Ok(Node::FilterProjection(
            Box::new(left),
            Box::new(right),
            Box::new(condition),
        ))
    }

    fn led_lbracket(&mut self, left: Node) -> Parsed {
        let kind = self.current();
        if kind == TokenKind::Number || kind == TokenKind::Colon {
            let right = self.index_expression()?;
            match left {
                Node::IndexExpression(mut children) => {
                    children.push(right);
                    Ok(Node::IndexExpression(children))
                }
                other => self.project_if_slice(other, right),
            }
        } else {
            self.expect(TokenKind::Star)?;
            self.expect(TokenKind::Rbracket)?;
            let right = self.projection_rhs(binding_power(TokenKind::Star))?;
            Ok(Node::Projection(Box::new(left), Box::new(right)))
        }
    }

    /// jmespath's `_parse_index_expression` (one Python frame).
    fn index_expression(&mut self) -> Parsed {
        self.framed(1, |p| p.index_expression_body())
    }

    fn index_expression_body(&mut self) -> Parsed {
        if self.current() == TokenKind::Colon || self.token(1).kind == TokenKind::Colon {
            return self.slice_expression();
        }
        let index = match self.token(0).value {
            TokenValue::Number(n, _) => n,
            _ => 0,
        };
        self.advance();
        self.expect(TokenKind::Rbracket)?;
        Ok(Node::Index(index))
    }

    /// jmespath's `_parse_slice_expression` (one Python frame).
    fn slice_expression(&mut self) -> Parsed {
        self.framed(1, |p| p.slice_expression_body())
    }

    fn slice_expression_body(&mut self) -> Parsed {
        let mut parts = [None, None, None];
        let mut index = 0;
        while self.current() != TokenKind::Rbracket && index < 3 {
            match self.current() {
                TokenKind::Colon => {
                    index += 1;
                    if index == 3 {
                        return Err(self.syntax_error(self.token(0), "syntax error".into()));
                    }
                    self.advance();
                }
                TokenKind::Number => {
                    if let TokenValue::Number(n, _) = self.token(0).value {
                        parts[index] = Some(n);
                    }
                    self.advance();
                }
                _ => return Err(self.syntax_error(self.token(0), "syntax error".into())),
            }
        }
        self.expect(TokenKind::Rbracket)?;
        Ok(Node::Slice(parts[0], parts[1], parts[2]))
    }

    /// jmespath's `_project_if_slice` (one Python frame).
    fn project_if_slice(&mut self, left: Node, right: Node) -> Parsed {
        self.framed(1, |p| p.project_if_slice_body(left, right))
    }

    fn project_if_slice_body(&mut self, left: Node, right: Node) -> Parsed {
        let is_slice = matches!(right, Node::Slice(..));
        let index_expression = Node::IndexExpression(vec![left, right]);
        if is_slice {
            let rhs = self.projection_rhs(binding_power(TokenKind::Star))?;
            Ok(Node::Projection(Box::new(index_expression), Box::new(rhs)))
        } else {
            Ok(index_expression)
        }
    }

    /// jmespath's `_parse_multi_select_list` (one Python frame).
    fn multi_select_list(&mut self) -> Parsed {
        self.framed(1, |p| p.multi_select_list_body())
    }

    fn multi_select_list_body(&mut self) -> Parsed {
        let mut items = Vec::new();
        loop {
            items.push(self.expression(0)?);
            if self.current() == TokenKind::Rbracket {
                break;
            }
            self.expect(TokenKind::Comma)?;
        }
        self.expect(TokenKind::Rbracket)?;
        Ok(Node::MultiSelectList(items))
    }

    /// jmespath's `_parse_multi_select_hash` (one Python frame).
    fn multi_select_hash(&mut self) -> Parsed {
        self.framed(1, |p| p.multi_select_hash_body())
    }

    fn multi_select_hash_body(&mut self) -> Parsed {
        let mut pairs = Vec::new();
        loop {
            let key_token = self.token(0).clone();
            if !matches!(
                key_token.kind,
                TokenKind::QuotedIdentifier | TokenKind::UnquotedIdentifier
            ) {
                return Err(self.error_maybe_eof("['quoted_identifier', 'unquoted_identifier']"));
            }
            self.advance();
            self.expect(TokenKind::Colon)?;
            let value = self.expression(0)?;
            pairs.push((key_token.value.python_str(), value));
            if self.current() == TokenKind::Comma {
                self.expect(TokenKind::Comma)?;
            } else if self.current() == TokenKind::Rbrace {
                self.expect(TokenKind::Rbrace)?;
                break;
            }
        }
        Ok(Node::MultiSelectDict(pairs))
    }

    /// jmespath's `_parse_projection_rhs` (one Python frame).
    fn projection_rhs(&mut self, power: u8) -> Parsed {
        self.framed(1, |p| p.projection_rhs_body(power))
    }

    fn projection_rhs_body(&mut self, power: u8) -> Parsed {
        let current = self.current();
        if binding_power(current) < PROJECTION_STOP {
            Ok(Node::Identity)
        } else if current == TokenKind::Lbracket || current == TokenKind::Filter {
            self.expression(power)
        } else if current == TokenKind::Dot {
            self.expect(TokenKind::Dot)?;
            self.dot_rhs(power)
        } else {
            Err(self.syntax_error(self.token(0), "syntax error".into()))
        }
    }

    /// jmespath's `_parse_dot_rhs` (one Python frame).
    fn dot_rhs(&mut self, power: u8) -> Parsed {
        self.framed(1, |p| p.dot_rhs_body(power))
    }

    fn dot_rhs_body(&mut self, power: u8) -> Parsed {
        match self.current() {
            TokenKind::QuotedIdentifier | TokenKind::UnquotedIdentifier | TokenKind::Star => {
                self.expression(power)
            }
            TokenKind::Lbracket => {
                self.expect(TokenKind::Lbracket)?;
                self.multi_select_list()
            }
            TokenKind::Lbrace => {
                self.expect(TokenKind::Lbrace)?;
                self.multi_select_hash()
            }
            kind => {
                let message = format!(
                    "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: {}",
                    kind.name()
                );
                Err(self.syntax_error(self.token(0), message))
            }
        }
    }
}
