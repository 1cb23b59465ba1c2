//! The preview's code as HTML, one string per line, patched into the `<code>` element.
//!
//! A generated file has a few hundred to a few thousand lines and thousands of coloured tokens.
//! Built as DOM nodes, each keystroke rebuilt every one of them; set as one string, the browser
//! parsed and laid out the whole file again (most of a keystroke's time on a large file). An
//! edit changes a few lines, so [`Shown`] colours and replaces only the lines that differ
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
    /// A block of [`CHUNK`] lines.
    pub chunk: &'static str,
    pub line: &'static str,
    pub added: &'static str,
    pub removed: &'static str,
}

/// `contents` with syntax colouring: one span per line, one span per coloured token.
pub fn highlighted(classes: &Classes, syntax: Syntax, contents: &str) -> Vec<String> {
    contents
        .lines()
        .map(|text| highlighted_line(classes, syntax, text))
        .collect()
}

/// One line of [`highlighted`]: each line is coloured on its own, so a line's HTML depends
/// only on its text.
fn highlighted_line(classes: &Classes, syntax: Syntax, text: &str) -> String {
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
}

/// What the preview shows: each line's HTML and, for a highlighted file, its text, so the next
/// version of the file colours only the lines that changed.
#[derive(Default)]
pub struct Shown {
    highlighted: Option<(Syntax, String)>,
    lines: Vec<String>,
    /// How many lines each block of the code element holds, in order.
    chunks: Vec<usize>,
}

/// Lines per block of the code element. The browser lays out again the block a line changed
/// in, not every line of the file (a 2,000-line file: 0.5 ms instead of 1.4 ms a keystroke).
const CHUNK: usize = 64;

/// The lines that replace what is shown: those between the first `prefix` and the last
/// `suffix` shown lines, which stay.
pub struct Edit {
    prefix: usize,
    suffix: usize,
    middle: Vec<String>,
}

impl Shown {
    /// `contents` highlighted: only the lines between its common start and end with the text
    /// shown are coloured again (a keystroke changes one line of a file of thousands).
    pub fn highlight(&self, classes: &Classes, syntax: Syntax, contents: &str) -> Edit {
        let new: Vec<&str> = contents.lines().collect();
        let (prefix, suffix) = match &self.highlighted {
            Some((shown_syntax, text)) if *shown_syntax == syntax => {
                let old: Vec<&str> = text.lines().collect();
                if old.len() == self.lines.len() {
                    changed_span(&old, &new)
                } else {
                    (0, 0)
                }
            }
            _ => (0, 0),
        };
        let middle = new[prefix..new.len() - suffix]
            .iter()
            .map(|text| highlighted_line(classes, syntax, text))
            .collect();
        Edit {
            prefix,
            suffix,
            middle,
        }
    }

    /// `lines` (a diff, say) in place of what is shown; only the lines that differ are
    /// replaced.
    pub fn replace(&self, lines: Vec<String>) -> Edit {
        let (prefix, suffix) = changed_span(&self.lines, &lines);
        let mut middle = lines;
        middle.truncate(middle.len() - suffix);
        middle.drain(..prefix);
        Edit {
            prefix,
            suffix,
            middle,
        }
    }

    /// Applies `edit` to `code`, the element showing these lines, and keeps the new lines;
    /// `highlighted` is the file's syntax and text when the lines are its highlighting.
    pub fn apply(
        &mut self,
        code: Option<&web_sys::Element>,
        classes: &Classes,
        edit: Edit,
        highlighted: Option<(Syntax, &str)>,
    ) {
        match code {
            Some(code) => self.patch(code, classes, &edit),
            // Not shown yet: the next patch finds no blocks and sets them all.
            None => self.chunks.clear(),
        }
        let mut lines = std::mem::take(&mut self.lines);
        let tail = lines.split_off(lines.len() - edit.suffix);
        lines.truncate(edit.prefix);
        lines.extend(edit.middle);
        lines.extend(tail);
        self.lines = lines;
        self.highlighted = highlighted.map(|(syntax, text)| (syntax, text.to_owned()));
    }

    /// The HTML of every line shown.
    #[cfg(test)]
    fn html(&self) -> String {
        self.lines.concat()
    }
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
pub fn changed_span<T: PartialEq>(old: &[T], new: &[T]) -> (usize, usize) {
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

impl Shown {
    /// Makes `code`, whose blocks hold the lines shown, show them with `edit` applied. Within
    /// the edited span, lines are compared in pairs and only those that differ are replaced;
    /// the lines one side has beyond the other are removed or inserted. When most lines differ
    /// (another file), the whole content is set at once, in blocks of [`CHUNK`] lines.
    fn patch(&mut self, code: &web_sys::Element, classes: &Classes, edit: &Edit) {
        let Edit {
            prefix,
            suffix,
            middle,
        } = edit;
        let (prefix, suffix) = (*prefix, *suffix);
        let old = &self.lines;
        let new_len = prefix + middle.len() + suffix;
        let old_changed = old.len() - suffix - prefix;
        let new_changed = middle.len();
        let replaced = old_changed.min(new_changed);
        let differing = (0..replaced)
            .filter(|&at| old[prefix + at] != middle[at])
            .count();
        let consistent = code.child_element_count() as usize == self.chunks.len()
            && self.chunks.iter().sum::<usize>() == old.len();
        if !consistent
            || (differing + old_changed.max(new_changed) - replaced) * 2 > new_len.max(old.len())
        {
            let lines: Vec<&String> = old[..prefix]
                .iter()
                .chain(middle)
                .chain(&old[old.len() - suffix..])
                .collect();
            let mut html = String::new();
            self.chunks.clear();
            for block in lines.chunks(CHUNK) {
                open_span(&mut html, classes.chunk, None);
                block.iter().for_each(|line| html.push_str(line));
                html.push_str("</span>");
                self.chunks.push(block.len());
            }
            code.set_inner_html(&html);
            return;
        }
        let blocks = code.children();
        let line_at = |chunks: &[usize], index: usize| {
            let (block, offset) = locate(chunks, index)?;
            blocks.item(block as u32)?.children().item(offset as u32)
        };
        for at in 0..replaced {
            if old[prefix + at] != middle[at] {
                if let Some(line) = line_at(&self.chunks, prefix + at) {
                    line.set_outer_html(&middle[at]);
                }
            }
        }
        for index in (prefix + replaced..prefix + old_changed).rev() {
            if let Some((block, _)) = locate(&self.chunks, index) {
                if let Some(line) = line_at(&self.chunks, index) {
                    line.remove();
                }
                self.chunks[block] -= 1;
            }
        }
        if new_changed > replaced {
            let inserted = middle[replaced..].concat();
            let at = prefix + replaced;
            match locate(&self.chunks, at) {
                Some((block, _)) => {
                    if let Some(next) = line_at(&self.chunks, at) {
                        let _ = next.insert_adjacent_html("beforebegin", &inserted);
                    }
                    self.chunks[block] += new_changed - replaced;
                }
                None => {
                    // After the last line: the last block takes them (a new one if none).
                    if self.chunks.is_empty() {
                        let mut html = String::new();
                        open_span(&mut html, classes.chunk, None);
                        html.push_str("</span>");
                        let _ = code.insert_adjacent_html("beforeend", &html);
                        self.chunks.push(0);
                    }
                    let last = self.chunks.len() - 1;
                    if let Some(block) = blocks.item(last as u32) {
                        let _ = block.insert_adjacent_html("beforeend", &inserted);
                    }
                    self.chunks[last] += new_changed - replaced;
                }
            }
        }
    }
}

/// The block holding line `index` and its place in the block, given each block's line count;
/// `None` past the last line.
fn locate(chunks: &[usize], index: usize) -> Option<(usize, usize)> {
    let mut start = 0;
    for (block, &size) in chunks.iter().enumerate() {
        if index < start + size {
            return Some((block, index - start));
        }
        start += size;
    }
    None
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
        chunk: "k",
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
    fn a_new_version_colours_only_its_changed_lines_and_shows_the_same_html() {
        let mut shown = Shown::default();
        let first = "name: a\nkeep: 1\n# comment\nlast: x\n";
        let edit = shown.highlight(&CLASSES, Syntax::Yaml, first);
        assert_eq!((edit.prefix, edit.suffix, edit.middle.len()), (0, 0, 4));
        shown.apply(None, &CLASSES, edit, Some((Syntax::Yaml, first)));
        for next in [
            "name: ab\nkeep: 1\n# comment\nlast: x\n",
            "name: ab\nkeep: 1\nnew: <y>\n# comment\nlast: x\n",
            "keep: 1\n",
            "",
            "a: 1\nb: 2\n",
        ] {
            let edit = shown.highlight(&CLASSES, Syntax::Yaml, next);
            shown.apply(None, &CLASSES, edit, Some((Syntax::Yaml, next)));
            assert_eq!(
                shown.html(),
                highlighted(&CLASSES, Syntax::Yaml, next).concat()
            );
        }
        let edit = shown.highlight(&CLASSES, Syntax::Yaml, "a: 1\nb: 3\n");
        assert_eq!((edit.prefix, edit.suffix, edit.middle.len()), (1, 0, 1));
        // Another syntax colours every line again.
        let edit = shown.highlight(&CLASSES, Syntax::Dockerfile, "a: 1\nb: 2\n");
        assert_eq!((edit.prefix, edit.suffix, edit.middle.len()), (0, 0, 2));
    }

    #[test]
    fn replaced_lines_keep_the_common_start_and_end() {
        let mut shown = Shown::default();
        let lines = |text: &str| text.chars().map(String::from).collect::<Vec<_>>();
        shown.apply(None, &CLASSES, shown.replace(lines("abcde")), None);
        let edit = shown.replace(lines("abXYde"));
        assert_eq!(
            (edit.prefix, edit.suffix, edit.middle.concat()),
            (2, 2, "XY".to_owned())
        );
        shown.apply(None, &CLASSES, edit, None);
        assert_eq!(shown.html(), "abXYde");
    }

    #[test]
    fn a_line_is_found_in_its_block_and_empty_blocks_hold_none() {
        let chunks = [2, 0, 3];
        assert_eq!(locate(&chunks, 0), Some((0, 0)));
        assert_eq!(locate(&chunks, 1), Some((0, 1)));
        assert_eq!(locate(&chunks, 2), Some((2, 0)));
        assert_eq!(locate(&chunks, 4), Some((2, 2)));
        assert_eq!(locate(&chunks, 5), None);
        assert_eq!(locate(&[], 0), None);
    }
}
