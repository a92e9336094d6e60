//! A readable line diff for conformance failures: expected (reference) lines prefixed `-`, ours `+`.
//!
//! Lines are shown with control characters escaped and a `$` at the end of each line (like `cat -A`), so
//! trailing spaces, tabs and a missing final newline are visible. The alignment is a longest common
//! subsequence over lines, with three lines of context around each change; past a size limit it falls back
//! to showing the first differing line only.

const CONTEXT: usize = 3;
const MAX_CELLS: usize = 4_000_000;

/// A diff of `expected` against `actual`, or an empty string when they are equal.
pub fn unified(expected: &[u8], actual: &[u8]) -> String {
    if expected == actual {
        return String::new();
    }
    let old = split_lines(expected);
    let new = split_lines(actual);
    let ops = if (old.len() + 1) * (new.len() + 1) <= MAX_CELLS {
        align(&old, &new)
    } else {
        first_difference(&old, &new)
    };
    render(&old, &new, &ops)
}

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Same(usize, usize),
    Removed(usize),
    Added(usize),
}

fn split_lines(text: &[u8]) -> Vec<&[u8]> {
    text.split_inclusive(|b| *b == b'\n').collect()
}

fn align(old: &[&[u8]], new: &[&[u8]]) -> Vec<Op> {
    let (n, m) = (old.len(), new.len());
    // lcs[i][j] = length of the longest common subsequence of old[i..] and new[j..].
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] = if old[i] == new[j] {
                lcs[at(i + 1, j + 1)] + 1
            } else {
                lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
            };
        }
    }
    let mut ops = Vec::with_capacity(n + m);
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && old[i] == new[j] {
            ops.push(Op::Same(i, j));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
            ops.push(Op::Removed(i));
            i += 1;
        } else {
            ops.push(Op::Added(j));
            j += 1;
        }
    }
    ops
}

fn first_difference(old: &[&[u8]], new: &[&[u8]]) -> Vec<Op> {
    let same = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let mut ops: Vec<Op> = (0..same).map(|i| Op::Same(i, i)).collect();
    if same < old.len() {
        ops.push(Op::Removed(same));
    }
    if same < new.len() {
        ops.push(Op::Added(same));
    }
    ops
}

fn render(old: &[&[u8]], new: &[&[u8]], ops: &[Op]) -> String {
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| !matches!(op, Op::Same(..)))
        .map(|(k, _)| k)
        .collect();
    let mut out = String::new();
    let mut shown_until = 0;
    for (n, &k) in changed.iter().enumerate() {
        let start = k.saturating_sub(CONTEXT).max(shown_until);
        if start > shown_until || n == 0 {
            let (line_old, line_new) = position(ops, start);
            out.push_str(&format!(
                "@@ line {} (expected) / {} (ours) @@\n",
                line_old + 1,
                line_new + 1
            ));
        }
        let end = changed
            .get(n + 1)
            .map(|&next| {
                if next - k <= 2 * CONTEXT {
                    next
                } else {
                    k + 1 + CONTEXT
                }
            })
            .unwrap_or(k + 1 + CONTEXT)
            .min(ops.len());
        for op in &ops[start..end] {
            match *op {
                Op::Same(i, _) => out.push_str(&format!(" {}\n", show(old[i]))),
                Op::Removed(i) => out.push_str(&format!("-{}\n", show(old[i]))),
                Op::Added(j) => out.push_str(&format!("+{}\n", show(new[j]))),
            }
        }
        shown_until = end;
    }
    out
}

fn position(ops: &[Op], upto: usize) -> (usize, usize) {
    ops[..upto].iter().fold((0, 0), |(i, j), op| match op {
        Op::Same(..) => (i + 1, j + 1),
        Op::Removed(_) => (i + 1, j),
        Op::Added(_) => (i, j + 1),
    })
}

/// One line with control characters escaped, ending in `$` where the newline was (or a note if none).
fn show(line: &[u8]) -> String {
    let (body, newline) = match line.strip_suffix(b"\n") {
        Some(body) => (body, true),
        None => (line, false),
    };
    let text = String::from_utf8_lossy(body);
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x1b' => out.push_str("\\e"),
            c if c.is_control() => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out.push_str(if newline {
        "$"
    } else {
        "  (no newline at end)"
    });
    out
}
