//! The two jobs that let one CI workflow serve several services: `changes` lists the services
//! a push or pull request touches, and `ci-passed` always runs last and is the check branch
//! protection requires. No workflow-level path filter is needed, so no required check is ever
//! left waiting for a workflow that never started (BRANCH-009).

use super::{block, uses, ActionRef, Teach};
use crate::facts::changes::{ServiceFiles, CHANGES_JOB, GATE_NAME, SHARED_PATTERNS};
use crate::formats::yaml::{Map, Node};
use crate::model::Design;

/// The `if:` of a job (or build step) that works on one service.
pub(crate) fn touched(files: &ServiceFiles) -> String {
    format!("needs.{CHANGES_JOB}.outputs.{} == 'true'", files.key)
}

/// The `if:` of a job that needs jobs `changes` may skip: run unless one of them failed or the
/// run was cancelled (by default a skipped need would skip this job too).
pub(crate) const AFTER_SKIPPABLE_NEEDS: &str =
    "!cancelled() && !contains(needs.*.result, 'failure') && !contains(needs.*.result, 'cancelled')";

/// The shell variable that holds whether the change touches the service.
fn variable(files: &ServiceFiles) -> String {
    format!("touches_{}", files.key.replace('-', "_"))
}

/// A `case` pattern for a glob of the design's paths: `case` lets `*` cross `/`, so `dir/**`
/// is `dir/*`. Paths come from sanitised folder and file names (`[A-Za-z0-9._/-]`).
fn case_pattern(glob: &str) -> String {
    glob.strip_suffix("/**")
        .map_or_else(|| glob.to_owned(), |dir| format!("{dir}/*"))
}

pub(crate) fn changes_job(design: &Design, services: &[ServiceFiles]) -> Map {
    let mut outputs = Map::new();
    for files in services {
        outputs.push(
            files.key.clone(),
            format!("${{{{ steps.diff.outputs.{} }}}}", files.key),
        );
    }
    let all: Vec<String> = services.iter().map(variable).collect();
    let mut script = vec![
        "# A manual run or a new branch has nothing to compare with: every service runs."
            .to_owned(),
        "if [ -z \"$BASE\" ] || ! git cat-file -e \"$BASE^{commit}\" 2>/dev/null; then".to_owned(),
        "  changed='*'".to_owned(),
        "else".to_owned(),
        "  changed=\"$(git diff --name-only \"$BASE\" HEAD)\"".to_owned(),
        "fi".to_owned(),
        all.iter()
            .map(|name| format!("{name}=false"))
            .collect::<Vec<_>>()
            .join(" "),
        "while IFS= read -r file; do".to_owned(),
        "  case \"$file\" in".to_owned(),
        format!(
            "    '*'|{}) {} ;;",
            SHARED_PATTERNS
                .iter()
                .map(|glob| case_pattern(glob))
                .collect::<Vec<_>>()
                .join("|"),
            all.iter()
                .map(|name| format!("{name}=true"))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        "  esac".to_owned(),
    ];
    for files in services {
        let patterns: Vec<String> = files.patterns.iter().map(|p| case_pattern(p)).collect();
        script.push(format!(
            "  case \"$file\" in {}) {}=true ;; esac",
            patterns.join("|"),
            variable(files)
        ));
    }
    script.push("done <<< \"$changed\"".to_owned());
    script.push("{".to_owned());
    for files in services {
        script.push(format!("  echo \"{}=${}\"", files.key, variable(files)));
    }
    script.push("} >> \"$GITHUB_OUTPUT\"".to_owned());
    let step = Map::new()
        .entry("name", "List the services this change touches")
        .entry("id", "diff")
        .entry(
            "env",
            Map::new().entry(
                "BASE",
                "${{ github.event.pull_request.base.sha || github.event.before }}",
            ),
        )
        .note("The commit the change starts from: the pull request's base, or the push's previous head.")
        .entry("run", block(&script.join("\n")));
    let checkout = uses(design, "Check out", ActionRef::Checkout).entry(
        "with",
        Map::new()
            .entry("fetch-depth", 0u32)
            .note("The whole history, so the commit the change starts from is there to compare.")
            .entry("persist-credentials", false),
    );
    Map::new()
        .entry("name", "Changed services")
        .entry("runs-on", "ubuntu-latest")
        .entry("timeout-minutes", 5u32)
        .entry("permissions", Map::new().entry("contents", "read"))
        .entry("outputs", outputs)
        .note("`true` for each service whose folder, lockfile, Dockerfile, chart or Railway config changed.")
        .entry("steps", vec![Node::from(checkout), Node::from(step)])
}

/// The gate: needs every CI job, runs even when some were skipped, and fails when one failed
/// or was cancelled. GitHub counts a skipped job as passed, so requiring the per-service jobs
/// alone would let a change through whose `changes` job failed.
pub(crate) fn gate_job(needs: Vec<String>) -> Map {
    Map::new()
        .entry("name", GATE_NAME)
        .entry("needs", needs)
        .entry("if", "always()")
        .note("Runs whatever happened before it: this is the check branch protection requires.")
        .entry("runs-on", "ubuntu-latest")
        .entry("timeout-minutes", 1u32)
        .entry("permissions", Map::new())
        .entry(
            "steps",
            vec![Map::new()
                .entry("name", "Fail when a check failed or was cancelled")
                .entry(
                    "if",
                    "contains(needs.*.result, 'failure') || contains(needs.*.result, 'cancelled')",
                )
                .entry(
                    "run",
                    Node::Str(
                        "echo \"::error::A check failed or was cancelled; see the jobs above.\"\nexit 1\n"
                            .to_owned(),
                    ),
                )],
        )
}
