//! Line diffs between two versions of a file (the preview's "changes since the last download"
//! and `slipway diff`).

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line<'a> {
    Same(&'a str),
    Added(&'a str),
    Removed(&'a str),
}

/// Files longer than this (in lines, old × new) are diffed as a whole replacement, keeping
/// the comparison fast and its memory bounded.
const MAX_CELLS: usize = 4_000_000;

/// The lines of `new` compared with `old`, by longest common subsequence.
pub fn lines<'a>(old: &'a str, new: &'a str) -> Vec<Line<'a>> {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    // Common prefix and suffix need no table.
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (old_mid, new_mid) = (
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    );
    let mut out: Vec<Line> = old[..prefix].iter().map(|l| Line::Same(l)).collect();
    if old_mid.len().saturating_mul(new_mid.len()) > MAX_CELLS {
        out.extend(old_mid.iter().map(|l| Line::Removed(l)));
        out.extend(new_mid.iter().map(|l| Line::Added(l)));
    } else {
        out.extend(lcs(old_mid, new_mid));
    }
    out.extend(old[old.len() - suffix..].iter().map(|l| Line::Same(l)));
    out
}

fn lcs<'a>(old: &[&'a str], new: &[&'a str]) -> Vec<Line<'a>> {
    let (n, m) = (old.len(), new.len());
    // table[i][j]: length of the LCS of old[i..] and new[j..].
    let mut table = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[at(i, j)] = if old[i] == new[j] {
                table[at(i + 1, j + 1)] + 1
            } else {
                table[at(i + 1, j)].max(table[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(n + m);
    while i < n && j < m {
        if old[i] == new[j] {
            out.push(Line::Same(old[i]));
            i += 1;
            j += 1;
        } else if table[at(i + 1, j)] >= table[at(i, j + 1)] {
            out.push(Line::Removed(old[i]));
            i += 1;
        } else {
            out.push(Line::Added(new[j]));
            j += 1;
        }
    }
    out.extend(old[i..].iter().map(|l| Line::Removed(l)));
    out.extend(new[j..].iter().map(|l| Line::Added(l)));
    out
}

/// Counts of added and removed lines.
pub fn summary(diff: &[Line]) -> (usize, usize) {
    diff.iter()
        .fold((0, 0), |(added, removed), line| match line {
            Line::Added(_) => (added + 1, removed),
            Line::Removed(_) => (added, removed + 1),
            Line::Same(_) => (added, removed),
        })
}

/// A line of a diff's excerpt, or a run of lines the excerpt leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Excerpt {
    Same(String),
    Added(String),
    Removed(String),
    /// This many unchanged lines left out.
    Skipped(usize),
    /// The excerpt stops at its limit; this many added or removed lines follow.
    Truncated(usize),
}

/// The changed lines of `diff` with up to `context` unchanged lines around each, at most
/// `limit` lines in all; the unchanged lines it leaves out are counted in [`Excerpt::Skipped`],
/// the changes past the limit in [`Excerpt::Truncated`].
pub fn excerpt(diff: &[Line], context: usize, limit: usize) -> Vec<Excerpt> {
    let changed = |line: &Line| !matches!(line, Line::Same(_));
    // Which lines to show: the changed ones and their context.
    let mut shown = vec![false; diff.len()];
    for (index, _) in diff.iter().enumerate().filter(|(_, line)| changed(line)) {
        let from = index.saturating_sub(context);
        let to = (index + context + 1).min(diff.len());
        shown[from..to].iter_mut().for_each(|flag| *flag = true);
    }
    let mut out = Vec::new();
    let (mut written, mut skipped) = (0, 0);
    for (index, (line, show)) in diff.iter().zip(shown).enumerate() {
        if show && written == limit {
            let rest = diff[index..].iter().filter(|line| changed(line)).count();
            if rest > 0 {
                out.push(Excerpt::Truncated(rest));
            }
            return out;
        }
        if !show {
            skipped += 1;
            continue;
        }
        if skipped > 0 {
            out.push(Excerpt::Skipped(skipped));
            skipped = 0;
        }
        written += 1;
        out.push(match line {
            Line::Same(text) => Excerpt::Same((*text).to_owned()),
            Line::Added(text) => Excerpt::Added((*text).to_owned()),
            Line::Removed(text) => Excerpt::Removed((*text).to_owned()),
        });
    }
    if skipped > 0 {
        out.push(Excerpt::Skipped(skipped));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_is_removed_then_added() {
        let diff = lines("a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(
            diff,
            [
                Line::Same("a"),
                Line::Removed("b"),
                Line::Added("B"),
                Line::Same("c")
            ]
        );
        assert_eq!(summary(&diff), (1, 1));
    }

    #[test]
    fn identical_files_have_no_changes() {
        assert_eq!(summary(&lines("x\ny", "x\ny")), (0, 0));
    }

    #[test]
    fn insertions_and_deletions_at_the_edges() {
        assert_eq!(summary(&lines("", "a\nb")), (2, 0));
        assert_eq!(summary(&lines("a\nb", "")), (0, 2));
        assert_eq!(lines("b", "a\nb")[0], Line::Added("a"));
    }

    #[test]
    fn an_excerpt_keeps_the_changes_with_their_context_and_counts_the_rest() {
        let old: String = (1..=20).map(|n| format!("{n}\n")).collect();
        let new = old.replace("10\n", "ten\n");
        assert_eq!(
            excerpt(&lines(&old, &new), 1, 40),
            [
                Excerpt::Skipped(8),
                Excerpt::Same("9".into()),
                Excerpt::Removed("10".into()),
                Excerpt::Added("ten".into()),
                Excerpt::Same("11".into()),
                Excerpt::Skipped(9),
            ]
        );
    }

    #[test]
    fn an_excerpt_stops_at_its_limit() {
        let new: String = (1..=50).map(|n| format!("{n}\n")).collect();
        let shown = excerpt(&lines("", &new), 2, 10);
        assert_eq!(shown.len(), 11);
        assert_eq!(shown[0], Excerpt::Added("1".into()));
        assert_eq!(shown[10], Excerpt::Truncated(40));
    }

    #[test]
    fn huge_files_fall_back_to_replacement() {
        let old: String = (0..3000).map(|i| format!("{i}\n")).collect();
        let new: String = (0..3000).map(|i| format!("{}\n", i * 7)).collect();
        let (added, removed) = summary(&lines(&old, &new));
        assert!(added > 0 && removed > 0);
    }
}
