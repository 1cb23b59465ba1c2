//! The preview's code as HTML, one string per line, patched into the `<code>` element.
//!
//! A generated file has a few hundred to a few thousand lines and thousands of coloured tokens.
//! Built as DOM nodes, each keystroke rebuilt every one of them; set as one string, the browser
//! parsed and laid out the whole file again (most of a keystroke's time on a large file). An
//! edit changes a few lines, so [`patch`] replaces only the lines that differ
//! (`scripts/bench-browser.mjs` measures it).
//!
//! Every character of a file goes through [`push_escaped`]: the only markup in the string is
//! Slipway's own `<span>`s with its own class names, so a hostile project name stays text.

use slipway_core::diff::Line;
use slipway_core::Syntax;

use super::highlight::{self, Token};

/// The CSS class of each kind of token and line (stylance's scoped names).
pub struct Classes {
    pub token: fn(Token) -> &'static str,
    pub line: &'static str,
    pub added: &'static str,
    pub removed: &'static str,
}

/// `contents` with syntax colouring: one span per line, one span per coloured token.
pub fn highlighted(classes: &Classes, syntax: Syntax, contents: &str) -> Vec<String> {
    contents
        .lines()
        .map(|text| {
            let mut html = String::with_capacity(text.len() * 2 + 32);
            open_span(&mut html, classes.line, None);
            for (token, piece) in highlight::line(syntax, text) {
                match (classes.token)(token) {
                    "" => push_escaped(&mut html, piece),
                    class => {
                        open_span(&mut html, class, None);
                        push_escaped(&mut html, piece);
                        html.push_str("</span>");
                    }
                }
            }
            html.push_str("\n</span>");
            html
        })
        .collect()
}

/// A line diff: unchanged lines prefixed by two spaces, added by `+ `, removed by `- `.
pub fn diff(classes: &Classes, lines: &[Line<'_>]) -> Vec<String> {
    lines
        .iter()
        .map(|line| {
            let (class, test_id, marker, text) = match line {
                Line::Same(text) => (classes.line, None, "  ", text),
                Line::Added(text) => (classes.added, Some("added-line"), "+ ", text),
                Line::Removed(text) => (classes.removed, Some("removed-line"), "- ", text),
            };
            let mut html = String::with_capacity(text.len() + 48);
            open_span(&mut html, class, test_id);
            html.push_str(marker);
            push_escaped(&mut html, text);
            html.push_str("\n</span>");
            html
        })
        .collect()
}

/// Where `old` and `new` lines differ: the lengths of their common start and end, which never
/// overlap.
pub fn changed_span(old: &[String], new: &[String]) -> (usize, usize) {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let room = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    (prefix, suffix)
}

/// Makes `code`, whose children are the `old` lines, show the `new` lines. Between their
/// common start and end, lines are compared in pairs and only those that differ are replaced;
/// the lines one side has beyond the other are removed or inserted. When most lines differ
/// (another file), the whole content is set at once.
pub fn patch(code: &web_sys::Element, old: &[String], new: &[String]) {
    if code.child_element_count() as usize != old.len() {
        code.set_inner_html(&new.concat());
        return;
    }
    let (prefix, suffix) = changed_span(old, new);
    let (old_changed, new_changed) = (old.len() - suffix - prefix, new.len() - suffix - prefix);
    let replaced = old_changed.min(new_changed);
    let differing = (prefix..prefix + replaced)
        .filter(|&index| old[index] != new[index])
        .count();
    if (differing + old_changed.max(new_changed) - replaced) * 2 > new.len().max(old.len()) {
        code.set_inner_html(&new.concat());
        return;
    }
    let lines = code.children();
    for index in prefix..prefix + replaced {
        if old[index] != new[index] {
            if let Some(line) = lines.item(index as u32) {
                line.set_outer_html(&new[index]);
            }
        }
    }
    for index in (prefix + replaced..prefix + old_changed).rev() {
        if let Some(line) = lines.item(index as u32) {
            line.remove();
        }
    }
    if new_changed > replaced {
        let inserted = new[prefix + replaced..prefix + new_changed].concat();
        match lines.item((prefix + replaced) as u32) {
            Some(next) => {
                let _ = next.insert_adjacent_html("beforebegin", &inserted);
            }
            None => {
                let _ = code.insert_adjacent_html("beforeend", &inserted);
            }
        }
    }
}

/// A file path, escaped, with a line-break opportunity (`<wbr>`) after each slash.
pub fn breakable_path(path: &str) -> String {
    let mut html = String::with_capacity(path.len() + 16);
    for segment in path.split_inclusive('/') {
        push_escaped(&mut html, segment);
        html.push_str("<wbr>");
    }
    html
}

/// `class` and `test_id` are Slipway's own identifiers, never user text.
fn open_span(html: &mut String, class: &str, test_id: Option<&str>) {
    html.push_str("<span class=\"");
    html.push_str(class);
    if let Some(test_id) = test_id {
        html.push_str("\" data-testid=\"");
        html.push_str(test_id);
    }
    html.push_str("\">");
}

/// Appends `text` as HTML text content: `&`, `<`, `>` and both quotes become entities.
pub fn push_escaped(html: &mut String, text: &str) {
    let mut rest = text;
    while let Some(position) = rest.find(['&', '<', '>', '"', '\'']) {
        html.push_str(&rest[..position]);
        html.push_str(match rest.as_bytes()[position] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[position + 1..];
    }
    html.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLASSES: Classes = Classes {
        token: |token| match token {
            Token::Plain => "",
            Token::Comment => "c",
            _ => "t",
        },
        line: "l",
        added: "a",
        removed: "r",
    };

    fn escaped(text: &str) -> String {
        let mut html = String::new();
        push_escaped(&mut html, text);
        html
    }

    /// The text a browser shows for `html`: tags dropped, the five entities decoded.
    fn text_of(html: &str) -> String {
        let mut text = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    #[test]
    fn markup_characters_become_entities() {
        assert_eq!(
            escaped(r#"<img src=x onerror="a('&')">"#),
            "&lt;img src=x onerror=&quot;a(&#39;&amp;&#39;)&quot;&gt;"
        );
        assert_eq!(escaped("plain ünïcode — text"), "plain ünïcode — text");
        assert_eq!(escaped(""), "");
    }

    #[test]
    fn highlighting_keeps_the_text_and_adds_no_markup_of_the_files() {
        let file = "# <script>alert(1)</script>\nname: \"a & b\" # 'c'\n  - <img onerror=x>\n";
        for syntax in [
            Syntax::Yaml,
            Syntax::Dockerfile,
            Syntax::Hcl,
            Syntax::Markdown,
        ] {
            let html = highlighted(&CLASSES, syntax, file).concat();
            assert_eq!(text_of(&html), file, "{syntax:?}");
            assert!(
                !html.contains("<script") && !html.contains("<img"),
                "{html}"
            );
            assert_eq!(html.matches("<span class=\"l\">").count(), 3);
        }
    }

    #[test]
    fn a_diff_marks_each_line_and_escapes_it() {
        let lines = [Line::Same("a"), Line::Removed("<b>"), Line::Added("\"c\"")];
        let html = diff(&CLASSES, &lines).concat();
        assert_eq!(text_of(&html), "  a\n- <b>\n+ \"c\"\n");
        assert!(html.contains(r#"<span class="r" data-testid="removed-line">- &lt;b&gt;"#));
        assert!(html.contains(r#"<span class="a" data-testid="added-line">+ &quot;c&quot;"#));
    }

    #[test]
    fn the_changed_span_is_what_lies_between_the_common_start_and_end() {
        let lines = |text: &str| text.chars().map(String::from).collect::<Vec<_>>();
        assert_eq!(changed_span(&lines("abcde"), &lines("abXde")), (2, 2));
        assert_eq!(changed_span(&lines("abcde"), &lines("abde")), (2, 2));
        assert_eq!(changed_span(&lines("abde"), &lines("abcde")), (2, 2));
        // Repeated lines never count twice: start and end do not overlap.
        assert_eq!(changed_span(&lines("aaa"), &lines("aaaa")), (3, 0));
        assert_eq!(changed_span(&lines("ab"), &lines("ab")), (2, 0));
        assert_eq!(changed_span(&lines(""), &lines("x")), (0, 0));
    }

    #[test]
    fn a_path_breaks_after_its_slashes_and_stays_text() {
        let html = breakable_path("charts/<x>/values.yaml");
        assert_eq!(html, "charts/<wbr>&lt;x&gt;/<wbr>values.yaml<wbr>");
        assert_eq!(text_of(&html), "charts/<x>/values.yaml");
    }
}
