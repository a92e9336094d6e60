//! Python's `difflib.get_close_matches`, which the reference uses for "maybe you meant" suggestions.
//!
//! awscli suggests choices whose `SequenceMatcher.ratio()` against the typed word is at least 0.8,
//! best first (ties broken by the larger string, as `heapq.nlargest` over `(score, word)` pairs does).
//! The ratio is `2*M/T` with M the total size of the matching blocks found by the recursive
//! longest-match search. Junk heuristics only start at 200 characters, far beyond command names, so
//! they are left out: like Python, every candidate first has to pass the two cheap upper bounds
//! (`real_quick_ratio`, `quick_ratio`), and a word of 200 characters or more never passes them against
//! names this short. Those bounds also keep a huge typed word (a 10 MB argument) linear in time.

/// `difflib.get_close_matches(word, possibilities, n, cutoff)`.
pub fn get_close_matches(word: &str, possibilities: &[&str], n: usize, cutoff: f64) -> Vec<String> {
    let b: Vec<char> = word.chars().collect();
    let mut scored: Vec<(f64, &str)> = possibilities
        .iter()
        .filter_map(|x| {
            let a: Vec<char> = x.chars().collect();
            if real_quick_ratio(&a, &b) < cutoff || quick_ratio(&a, &b) < cutoff {
                return None;
            }
            let r = ratio(&a, &b);
            (r >= cutoff).then_some((r, *x))
        })
        .collect();
    scored.sort_by(|(ra, xa), (rb, xb)| rb.total_cmp(ra).then_with(|| xb.cmp(xa)));
    scored
        .into_iter()
        .take(n)
        .map(|(_, x)| x.to_string())
        .collect()
}

/// `SequenceMatcher.real_quick_ratio()`: the ratio if the shorter sequence matched entirely.
fn real_quick_ratio(a: &[char], b: &[char]) -> f64 {
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    2.0 * a.len().min(b.len()) as f64 / total as f64
}

/// `SequenceMatcher.quick_ratio()`: the ratio if every common character (as a multiset) matched.
fn quick_ratio(a: &[char], b: &[char]) -> f64 {
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    let mut available: std::collections::HashMap<char, usize> = std::collections::HashMap::new();
    for c in b {
        *available.entry(*c).or_insert(0) += 1;
    }
    let mut matches = 0usize;
    for c in a {
        if let Some(n) = available.get_mut(c) {
            if *n > 0 {
                *n -= 1;
                matches += 1;
            }
        }
    }
    2.0 * matches as f64 / total as f64
}

/// `SequenceMatcher(None, a, b).ratio()`.
fn ratio(a: &[char], b: &[char]) -> f64 {
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    2.0 * matched(a, b, 0, a.len(), 0, b.len()) as f64 / total as f64
}

/// Total size of the matching blocks inside `a[alo..ahi]` and `b[blo..bhi]`.
fn matched(a: &[char], b: &[char], alo: usize, ahi: usize, blo: usize, bhi: usize) -> usize {
    let (i, j, k) = longest_match(a, b, alo, ahi, blo, bhi);
    if k == 0 {
        return 0;
    }
    let mut total = k;
    if alo < i && blo < j {
        total += matched(a, b, alo, i, blo, j);
    }
    if i + k < ahi && j + k < bhi {
        total += matched(a, b, i + k, ahi, j + k, bhi);
    }
    total
}

/// `find_longest_match`: the longest common block, earliest in `a`, then earliest in `b`.
fn longest_match(
    a: &[char],
    b: &[char],
    alo: usize,
    ahi: usize,
    blo: usize,
    bhi: usize,
) -> (usize, usize, usize) {
    let (mut best_i, mut best_j, mut best) = (alo, blo, 0usize);
    let mut prev = vec![0usize; bhi - blo + 1];
    for (i, ca) in a.iter().enumerate().take(ahi).skip(alo) {
        let mut cur = vec![0usize; bhi - blo + 1];
        for (j, cb) in b.iter().enumerate().take(bhi).skip(blo) {
            if ca == cb {
                let k = prev[j - blo] + 1;
                cur[j - blo + 1] = k;
                if k > best {
                    best_i = i + 1 - k;
                    best_j = j + 1 - k;
                    best = k;
                }
            }
        }
        prev = cur;
    }
    (best_i, best_j, best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let choices = [
            "create-instance-snapshot",
            "create-instances",
            "get-instance-snapshot",
        ];
        assert_eq!(
            get_close_matches("create-instance-snapshots", &choices, 3, 0.8)[0],
            "create-instance-snapshot"
        );
        assert!(get_close_matches("zzz", &choices, 3, 0.8).is_empty());
    }
}
