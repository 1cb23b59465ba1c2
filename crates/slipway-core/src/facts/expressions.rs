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

/// The text fields of an event that anyone who can open an issue or a pull request, comment,
/// push a commit to a fork or edit an open wiki writes, as context paths (`*` for any key or
/// index). Names, logins, numbers, SHAs and the base repository's fields are not here: GitHub
/// restricts their characters or only maintainers set them.
pub const OUTSIDERS_TEXT: &[&str] = &[
    "github.head_ref",
    "github.event.issue.title",
    "github.event.issue.body",
    "github.event.pull_request.title",
    "github.event.pull_request.body",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.head.label",
    "github.event.pull_request.head.repo.default_branch",
    "github.event.pull_request.head.repo.description",
    "github.event.pull_request.head.repo.homepage",
    "github.event.comment.body",
    "github.event.comment.path",
    "github.event.comment.diff_hunk",
    "github.event.review.body",
    "github.event.discussion.title",
    "github.event.discussion.body",
    "github.event.pages.*.page_name",
    "github.event.pages.*.title",
    "github.event.pages.*.summary",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.display_title",
    "github.event.workflow_run.pull_requests.*.head.ref",
    "github.event.workflow_run.head_repository.description",
    "github.event.check_suite.head_branch",
    "github.event.check_suite.pull_requests.*.head.ref",
    "github.event.check_run.check_suite.head_branch",
    "github.event.check_run.pull_requests.*.head.ref",
    // Commits: those of a push (a merged pull request's too), a workflow run, a check suite,
    // a merge group.
    "github.event.commits.*.message",
    "github.event.commits.*.author.name",
    "github.event.commits.*.author.email",
    "github.event.commits.*.committer.name",
    "github.event.commits.*.committer.email",
    "github.event.commits.*.added",
    "github.event.commits.*.modified",
    "github.event.commits.*.removed",
    "github.event.head_commit.message",
    "github.event.head_commit.author.name",
    "github.event.head_commit.author.email",
    "github.event.head_commit.committer.name",
    "github.event.head_commit.committer.email",
    "github.event.head_commit.added",
    "github.event.head_commit.modified",
    "github.event.head_commit.removed",
    "github.event.workflow_run.head_commit.message",
    "github.event.workflow_run.head_commit.author.name",
    "github.event.workflow_run.head_commit.author.email",
    "github.event.workflow_run.head_commit.committer.name",
    "github.event.workflow_run.head_commit.committer.email",
    "github.event.check_suite.head_commit.message",
    "github.event.check_suite.head_commit.author.name",
    "github.event.check_suite.head_commit.author.email",
    "github.event.check_suite.head_commit.committer.name",
    "github.event.check_suite.head_commit.committer.email",
    "github.event.merge_group.head_commit.message",
    "github.event.merge_group.head_commit.author.name",
    "github.event.merge_group.head_commit.author.email",
    "github.event.merge_group.head_commit.committer.name",
    "github.event.merge_group.head_commit.committer.email",
];

/// Whether a context path (`github.event.issue.title`, `github.event.commits.*.message`) holds
/// text an outsider writes: one of `OUTSIDERS_TEXT`, a part of one (`…added.*`), or an object
/// that contains one (`github.event.pull_request`, whose JSON has the title).
pub fn outsiders_text(path: &str) -> bool {
    let path: Vec<&str> = path.split('.').collect();
    OUTSIDERS_TEXT.iter().any(|field| {
        let field: Vec<&str> = field.split('.').collect();
        path.iter()
            .zip(&field)
            .all(|(ours, theirs)| ours == theirs || *ours == "*" || *theirs == "*")
    })
}

/// The contexts whose text can become the value of the expression `inside` (the text between
/// `${{` and `}}`): `a || b` gives both, `a && b` gives `b` (`a` only when empty or false),
/// `format('{0}', a)`, `join(a)`, `toJSON(a)` and `fromJSON(a).b` give `a`, while `!a`,
/// comparisons and `contains`, `startsWith`, `endsWith` give none: they yield `true` or `false`.
/// Paths are lowercase with indices as `*` (`github.event.commits[0].message` →
/// `github.event.commits.*.message`). An expression it cannot read gives every context it
/// names.
pub(crate) fn value_contexts(inside: &str) -> Vec<String> {
    let tokens = tokens(inside);
    let mut parser = Parser {
        tokens: tokens.as_deref().unwrap_or(&[]),
        at: 0,
    };
    match (tokens.as_ref(), parser.or()) {
        (Some(all), Some(flow)) if parser.at == all.len() => flow.contexts,
        _ => named_contexts(inside),
    }
}

/// Every context path an expression names (outside its quoted strings), for an expression
/// that does not parse.
fn named_contexts(inside: &str) -> Vec<String> {
    let unquoted: String = inside.split('\'').step_by(2).collect::<Vec<_>>().join(" ");
    unquoted
        .split(|c: char| !(c.is_ascii_alphanumeric() || "._-*".contains(c)))
        .filter(|word| word.starts_with(|c: char| c.is_ascii_alphabetic()))
        .map(str::to_ascii_lowercase)
        .filter(|word| !matches!(word.as_str(), "true" | "false" | "null"))
        .collect()
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Name(String),
    Text(String),
    Number,
    Symbol(&'static str),
}

/// The expression's tokens; `None` for a character no expression has.
fn tokens(text: &str) -> Option<Vec<Token>> {
    const SYMBOLS: [&str; 16] = [
        "==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")", "[", "]", ",", ".", "*",
    ];
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        if c.is_whitespace() {
            at += 1;
        } else if c == '\'' {
            let mut value = String::new();
            at += 1;
            loop {
                match chars.get(at) {
                    None => return None,
                    Some('\'') if chars.get(at + 1) == Some(&'\'') => {
                        value.push('\'');
                        at += 2;
                    }
                    Some('\'') => {
                        at += 1;
                        break;
                    }
                    Some(other) => {
                        value.push(*other);
                        at += 1;
                    }
                }
            }
            out.push(Token::Text(value));
        } else if c.is_ascii_digit()
            || (c == '-' && chars.get(at + 1).is_some_and(char::is_ascii_digit))
        {
            at += 1;
            while chars
                .get(at)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '.')
            {
                at += 1;
            }
            out.push(Token::Number);
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = at;
            while chars
                .get(at)
                .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
            {
                at += 1;
            }
            out.push(Token::Name(chars[start..at].iter().collect()));
        } else {
            let rest: String = chars[at..chars.len().min(at + 2)].iter().collect();
            let symbol = SYMBOLS.iter().find(|symbol| rest.starts_with(**symbol))?;
            at += symbol.len();
            out.push(Token::Symbol(symbol));
        }
    }
    Some(out)
}

/// What a part of an expression can evaluate to: the contexts whose text it can be, and its
/// own context path when it is one (`github.event`, to which `.issue` may be added).
struct Flow {
    contexts: Vec<String>,
    path: Option<String>,
}

impl Flow {
    fn none() -> Self {
        Flow {
            contexts: Vec::new(),
            path: None,
        }
    }

    fn of(contexts: Vec<String>) -> Self {
        Flow {
            contexts,
            path: None,
        }
    }

    /// The contexts, its own path included.
    fn done(self) -> Vec<String> {
        let mut contexts = self.contexts;
        contexts.extend(self.path);
        contexts
    }
}

/// A recursive-descent reader of GitHub's expression grammar, by precedence: `||`, `&&`,
/// equality, comparison, `!`, then member access, indexing and calls.
struct Parser<'t> {
    tokens: &'t [Token],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn eat(&mut self, symbol: &str) -> bool {
        let found = matches!(self.peek(), Some(Token::Symbol(s)) if *s == symbol);
        if found {
            self.at += 1;
        }
        found
    }

    fn or(&mut self) -> Option<Flow> {
        let mut contexts = self.and()?.done();
        while self.eat("||") {
            contexts.extend(self.and()?.done());
        }
        Some(Flow::of(contexts))
    }

    fn and(&mut self) -> Option<Flow> {
        let mut flow = self.comparison()?;
        while self.eat("&&") {
            flow = self.comparison()?;
        }
        Some(flow)
    }

    fn comparison(&mut self) -> Option<Flow> {
        let flow = self.unary()?;
        let mut compared = false;
        while ["==", "!=", "<=", ">=", "<", ">"]
            .iter()
            .any(|symbol| self.eat(symbol))
        {
            self.unary()?;
            compared = true;
        }
        Some(if compared { Flow::none() } else { flow })
    }

    fn unary(&mut self) -> Option<Flow> {
        if self.eat("!") {
            self.unary()?;
            return Some(Flow::none());
        }
        self.postfix()
    }

    fn postfix(&mut self) -> Option<Flow> {
        let mut flow = self.primary()?;
        loop {
            if self.eat(".") {
                let member = match self.peek()? {
                    Token::Name(name) => name.to_ascii_lowercase(),
                    Token::Symbol("*") => "*".to_owned(),
                    _ => return None,
                };
                self.at += 1;
                flow.path = flow.path.map(|path| format!("{path}.{member}"));
            } else if self.eat("[") {
                let key = match self.peek() {
                    Some(Token::Text(key))
                        if self.tokens.get(self.at + 1) == Some(&Token::Symbol("]")) =>
                    {
                        key.to_ascii_lowercase()
                    }
                    _ => "*".to_owned(),
                };
                if !self.eat("*") {
                    self.or()?;
                }
                if !self.eat("]") {
                    return None;
                }
                flow.path = flow.path.map(|path| format!("{path}.{key}"));
            } else {
                return Some(flow);
            }
        }
    }

    fn primary(&mut self) -> Option<Flow> {
        let token = self.peek()?.clone();
        self.at += 1;
        match token {
            Token::Text(_) | Token::Number => Some(Flow::none()),
            Token::Symbol("(") => {
                let inner = self.or()?;
                self.eat(")").then(|| Flow::of(inner.done()))
            }
            Token::Name(name) if self.eat("(") => {
                let mut contexts = Vec::new();
                if !self.eat(")") {
                    loop {
                        contexts.extend(self.or()?.done());
                        if self.eat(")") {
                            break;
                        }
                        if !self.eat(",") {
                            return None;
                        }
                    }
                }
                let boolean = [
                    "contains",
                    "startswith",
                    "endswith",
                    "hashfiles",
                    "success",
                    "failure",
                    "always",
                    "cancelled",
                ];
                Some(
                    match boolean.contains(&name.to_ascii_lowercase().as_str()) {
                        true => Flow::none(),
                        false => Flow::of(contexts),
                    },
                )
            }
            Token::Name(name) => Some(match name.to_ascii_lowercase().as_str() {
                "true" | "false" | "null" => Flow::none(),
                context => Flow {
                    contexts: Vec::new(),
                    path: Some(context.to_owned()),
                },
            }),
            Token::Symbol(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::value_contexts;

    #[test]
    fn values_are_the_contexts_that_reach_the_result() {
        assert_eq!(
            value_contexts(" github.event.issue.title "),
            ["github.event.issue.title"]
        );
        assert_eq!(
            value_contexts("github.event.commits[0].Message || inputs['x']"),
            ["github.event.commits.*.message", "inputs.x"]
        );
        assert_eq!(
            value_contexts("startsWith(github.ref, 'refs/tags/') && github.head_ref || 'main'"),
            ["github.head_ref"]
        );
        assert_eq!(
            value_contexts("format('{0}-{1}', github.event.pull_request.title, env.A)"),
            ["github.event.pull_request.title", "env.a"]
        );
        assert_eq!(
            value_contexts("fromJSON(steps.s.outputs.json).title"),
            ["steps.s.outputs.json"]
        );
    }

    #[test]
    fn booleans_carry_no_text() {
        for boolean in [
            "contains(github.event.pull_request.body, 'x')",
            "github.event.issue.title == 'it''s'",
            "!github.event.comment.body",
            "endsWith(github.head_ref, '-rc') && true",
        ] {
            assert!(value_contexts(boolean).is_empty(), "{boolean}");
        }
    }

    #[test]
    fn an_unreadable_expression_gives_every_context_named() {
        assert_eq!(
            value_contexts("github.head_ref ?? 'x'"),
            ["github.head_ref"]
        );
    }
}
