//! GitHub Actions expressions (`${{ … }}`) in design and workflow text: what they read.

/// The matrix axes `text` reads (`${{ matrix.os }}` → `os`).
pub(crate) fn matrix_reads(text: &str) -> Vec<String> {
    let mut reads = Vec::new();
    for (start, _) in text.match_indices("${{") {
        let Some(end) = text[start..].find("}}") else {
            continue;
        };
        let expression = &text[start + 3..start + end];
        for (at, _) in expression.match_indices("matrix.") {
            let preceded = expression[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if preceded {
                continue;
            }
            let name: String = expression[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            if !name.is_empty() {
                reads.push(name);
            }
        }
    }
    reads
}
