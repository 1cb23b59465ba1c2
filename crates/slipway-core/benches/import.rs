//! How long importing and auditing a repository takes: a 200-file repository assembled from
//! the real files of `tests/corpus` and `tests/repos` (workflows, Dockerfiles, chart values,
//! Railway configs, compose files and manifests), imported into a design and audited as a
//! whole; and the audit of 1,500 workflows one by one, as a portal's nightly scan would.
//!
//! Run: `cargo bench -p slipway-core --bench import` (divan). Figures only: no pass/fail
//! threshold. docs/performance.md has the latest figures.

use std::path::{Path, PathBuf};

use divan::counter::ItemsCount;
use divan::{black_box, Bencher};
use slipway_core::audit::repository::audit_repository;
use slipway_core::import::repository::{self, Collector, Limits};

fn main() {
    let files = repository_files();
    println!(
        "repository: {} files, {} KB",
        files.len(),
        files.iter().map(|(_, t)| t.len()).sum::<usize>() / 1024
    );
    divan::main();
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests")
}

fn read_dir(dir: &Path) -> Vec<(String, String)> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map(|listing| listing.flatten().map(|entry| entry.path()).collect())
        .unwrap_or_default();
    entries.sort();
    entries
        .into_iter()
        .filter_map(|path| {
            let name = path.file_name()?.to_string_lossy().into_owned();
            Some((name, std::fs::read_to_string(&path).ok()?))
        })
        .collect()
}

/// A monorepo of 200 files: the five real repositories side by side, then corpus files laid
/// out where a repository keeps them, one service folder per Dockerfile, chart and config.
fn repository_files() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for fixture in [
        "single-service",
        "monorepo-frontend-backend",
        "railway-monorepo",
        "chart-based-service",
        "compose-worker-app",
    ] {
        let (collector, _) =
            repository::from_folder(&root().join("repos").join(fixture), Limits::default())
                .unwrap();
        files.extend(collector.files.into_iter().map(|file| {
            let path = if file.path.starts_with(".github/") {
                format!(
                    ".github/workflows/{fixture}-{}",
                    file.path.rsplit('/').next().unwrap_or("")
                )
            } else {
                format!("{fixture}/{}", file.path)
            };
            (path, file.text)
        }));
    }
    let corpus = root().join("corpus");
    let workflows = read_dir(&corpus.join("workflows"));
    let dockerfiles = read_dir(&corpus.join("dockerfiles"));
    let values = read_dir(&corpus.join("helm-values"));
    let railway = read_dir(&corpus.join("railway"));
    for (index, (_, text)) in dockerfiles.iter().enumerate().take(30) {
        files.push((format!("services/svc-{index}/Dockerfile"), text.clone()));
    }
    for (index, (_, text)) in values.iter().enumerate().take(10) {
        files.push((
            format!("charts/chart-{index}/Chart.yaml"),
            format!("apiVersion: v2\nname: chart-{index}\nversion: 0.1.0\n"),
        ));
        files.push((format!("charts/chart-{index}/values.yaml"), text.clone()));
    }
    for (index, (_, text)) in railway.iter().enumerate().take(10) {
        files.push((format!("apps/railway-{index}/railway.json"), text.clone()));
    }
    let mut next = 0;
    while files.len() < 200 {
        let (name, text) = &workflows[next % workflows.len()];
        files.push((format!(".github/workflows/{next}-{name}"), text.clone()));
        next += 1;
    }
    files.truncate(200);
    files
}

fn collect(files: &[(String, String)]) -> Collector {
    Collector::of_files(
        Limits::default(),
        files
            .iter()
            .map(|(path, text)| (path.as_str(), text.as_bytes())),
    )
}

/// Reading the 200 files into a design, with the report.
#[divan::bench(sample_count = 20)]
fn import_200_files(bencher: Bencher) {
    let files = repository_files();
    bencher
        .counter(ItemsCount::new(files.len()))
        .bench(|| black_box(repository::import("monorepo", collect(&files))));
}

/// Importing and auditing the 200 files as a whole repository.
#[divan::bench(sample_count = 20)]
fn import_and_audit_200_files(bencher: Bencher) {
    let files = repository_files();
    bencher
        .counter(ItemsCount::new(files.len()))
        .bench(|| black_box(audit_repository("monorepo", collect(&files))));
}

/// Auditing 1,500 workflows, each on its own.
#[divan::bench(sample_count = 3)]
fn audit_1500_workflows(bencher: Bencher) {
    let workflows = read_dir(&root().join("corpus/workflows"));
    let many: Vec<&(String, String)> = workflows.iter().cycle().take(1_500).collect();
    bencher.counter(ItemsCount::new(many.len())).bench(|| {
        for (name, text) in &many {
            let path = format!(".github/workflows/{name}");
            let _ = black_box(slipway_core::audit::audit(&path, text));
        }
    });
}
