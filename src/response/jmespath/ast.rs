//! The syntax tree, one variant per node type of jmespath's `ast.py`.
//!
//! The shapes follow the reference exactly (a subexpression is a flat list of children, an index
//! expression chains index and slice nodes, a literal holds the value decoded once at lex time), because
//! the parser's decisions depend on node types the way jmespath's do.

use super::runtime::Val;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparator {
    Eq,
    Ne,
    Lt,
    Gt,
    Lte,
    Gte,
}

impl Comparator {
    /// The Python operator symbol, as TypeError messages print it.
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Comparator::Eq => "==",
            Comparator::Ne => "!=",
            Comparator::Lt => "<",
            Comparator::Gt => ">",
            Comparator::Lte => "<=",
            Comparator::Gte => ">=",
        }
    }
}

/// A node of the syntax tree.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Identity,
    Current,
    Field(String),
    Subexpression(Vec<Node>),
    IndexExpression(Vec<Node>),
    /// An index (saturated to i64: a larger index is out of range either way).
    Index(i64),
    /// `[start:stop:step]` (saturated to i64, which Python's slicing clamps to anyway).
    Slice(Option<i64>, Option<i64>, Option<i64>),
    Literal(LiteralValue),
    Comparator(Comparator, Box<Node>, Box<Node>),
    Expref(Box<Node>),
    Function(String, Vec<Node>),
    /// Left, right, condition.
    FilterProjection(Box<Node>, Box<Node>, Box<Node>),
    Flatten(Box<Node>),
    MultiSelectDict(Vec<(String, Node)>),
    MultiSelectList(Vec<Node>),
    Or(Box<Node>, Box<Node>),
    And(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Pipe(Box<Node>, Box<Node>),
    Projection(Box<Node>, Box<Node>),
    ValueProjection(Box<Node>, Box<Node>),
}

/// A literal's value, decoded when the expression is compiled.
#[derive(Debug, Clone)]
pub(crate) struct LiteralValue(pub(crate) Val<'static>);
