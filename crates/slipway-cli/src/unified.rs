//! Unified diff hunks (`@@ -a,b +c,d @@`) from core's line diff, so `slipway diff` output can
//! be read like `git diff` and applied with `git apply` or `patch -p1`.

use slipway_core::diff::Line;

/// Unchanged lines shown around each change, as `diff -u` does.
pub const CONTEXT: usize = 3;

/// One line of a diff with its 1-based line numbers in the old and the new file.
struct Numbered<'a> {
    line: &'a Line<'a>,
    /// Old-file lines before this one (its own number when it is in the old file).
    old_before: usize,
    /// New-file lines before this one.
    new_before: usize,
}

/// The hunks of `lines` (from [`slipway_core::diff::lines`]), each with its header and
/// [`CONTEXT`] unchanged lines either side; empty when nothing changed.
pub fn hunks(lines: &[Line]) -> String {
    let mut numbered = Vec::with_capacity(lines.len());
    let (mut old_before, mut new_before) = (0, 0);
    for line in lines {
        numbered.push(Numbered {
            line,
            old_before,
            new_before,
        });
        match line {
            Line::Same(_) => {
                old_before += 1;
                new_before += 1;
            }
            Line::Removed(_) => old_before += 1,
            Line::Added(_) => new_before += 1,
        }
    }
    let changes: Vec<usize> = (0..lines.len())
        .filter(|&index| !matches!(lines[index], Line::Same(_)))
        .collect();
    // Changes closer than two contexts apart share a hunk, so no line is printed twice.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for &index in &changes {
        let start = index.saturating_sub(CONTEXT);
        let end = (index + CONTEXT + 1).min(lines.len());
        match ranges.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => ranges.push((start, end)),
        }
    }
    let mut out = String::new();
    for (start, end) in ranges {
        let slice = &numbered[start..end];
        let old_count = slice
            .iter()
            .filter(|n| !matches!(n.line, Line::Added(_)))
            .count();
        let new_count = slice
            .iter()
            .filter(|n| !matches!(n.line, Line::Removed(_)))
            .count();
        // An empty side is numbered by the line it follows (0 at the top of the file).
        let first = &slice[0];
        let old_start = first.old_before + usize::from(old_count > 0);
        let new_start = first.new_before + usize::from(new_count > 0);
        out.push_str(&format!(
            "@@ -{old_start},{old_count} +{new_start},{new_count} @@\n"
        ));
        for numbered in slice {
            let (marker, text) = match numbered.line {
                Line::Same(text) => (' ', text),
                Line::Removed(text) => ('-', text),
                Line::Added(text) => ('+', text),
            };
            out.push(marker);
            out.push_str(text);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use slipway_core::diff;

    fn numbered(count: usize) -> String {
        (1..=count).map(|i| format!("{i}\n")).collect()
    }

    /// `text` with its line `number` (1-based) replaced by `with`.
    fn replace_line(text: &str, number: usize, with: &str) -> String {
        text.lines()
            .enumerate()
            .map(|(index, line)| {
                let line = if index + 1 == number { with } else { line };
                format!("{line}\n")
            })
            .collect()
    }

    #[test]
    fn a_change_gets_three_lines_of_context_and_its_line_numbers() {
        let old = numbered(10);
        let new = replace_line(&old, 5, "five");
        assert_eq!(
            hunks(&diff::lines(&old, &new)),
            "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn distant_changes_get_separate_hunks_and_near_ones_share_one() {
        let old = numbered(20);
        let far = replace_line(&replace_line(&old, 2, "two"), 18, "eighteen");
        let text = hunks(&diff::lines(&old, &far));
        assert_eq!(text.matches("@@ -").count(), 2, "{text}");
        assert!(text.contains("@@ -15,6 +15,6 @@"), "{text}");
        let near = replace_line(&replace_line(&old, 5, "five"), 9, "nine");
        let text = hunks(&diff::lines(&old, &near));
        assert_eq!(text.matches("@@ -").count(), 1, "{text}");
        assert!(text.starts_with("@@ -2,11 +2,11 @@"), "{text}");
    }

    #[test]
    fn whole_file_additions_and_removals_start_at_line_zero() {
        assert_eq!(
            hunks(&diff::lines("", "a\nb\n")),
            "@@ -0,0 +1,2 @@\n+a\n+b\n"
        );
        assert_eq!(hunks(&diff::lines("a\n", "")), "@@ -1,1 +0,0 @@\n-a\n");
    }

    #[test]
    fn an_insertion_is_numbered_after_the_line_it_follows() {
        let text = hunks(&diff::lines("a\nb\n", "a\nb\nc\n"));
        assert_eq!(text, "@@ -1,2 +1,3 @@\n a\n b\n+c\n");
    }

    /// Applies hunks the way `patch` does, checking every context and removed line.
    fn apply(old: &str, hunks: &str) -> String {
        let old: Vec<&str> = old.lines().collect();
        let mut out: Vec<String> = Vec::new();
        let mut next_old = 0; // 0-based index of the next old line not yet copied
        for line in hunks.lines() {
            if let Some(header) = line.strip_prefix("@@ -") {
                let (old_range, _) = header.split_once(' ').unwrap();
                let (start, count) = old_range.split_once(',').unwrap();
                let (start, count): (usize, usize) =
                    (start.parse().unwrap(), count.parse().unwrap());
                let first = if count == 0 { start } else { start - 1 };
                out.extend(old[next_old..first].iter().map(|l| l.to_string()));
                next_old = first;
            } else if let Some(text) = line.strip_prefix('+') {
                out.push(text.to_owned());
            } else {
                let text = &line[1..];
                assert_eq!(old[next_old], text, "context or removed line mismatch");
                if line.starts_with(' ') {
                    out.push(text.to_owned());
                }
                next_old += 1;
            }
        }
        out.extend(old[next_old..].iter().map(|l| l.to_string()));
        out.iter().map(|l| format!("{l}\n")).collect()
    }

    #[test]
    fn applying_the_hunks_to_the_old_file_gives_the_new_one() {
        let old = numbered(40);
        let cases = [
            old.replace("1\n", "one\n"),
            old.replace("40\n", ""),
            old.replace("7\n", "7\nseven and a half\n")
                .replace("30\n", ""),
            old.replace("12\n", "")
                .replace("13\n", "")
                .replace("14\n", "x\ny\nz\n"),
            format!("top\n{old}bottom\n"),
            String::new(),
            numbered(3),
        ];
        for new in cases {
            let text = hunks(&diff::lines(&old, &new));
            assert_eq!(apply(&old, &text), new, "{text}");
            assert_eq!(apply(&new, &hunks(&diff::lines(&new, &old))), old);
        }
    }

    #[test]
    fn identical_files_have_no_hunks() {
        assert_eq!(hunks(&diff::lines("a\nb\n", "a\nb\n")), "");
    }
}
