use super::*;

fn collect(files: &[(&str, &str)]) -> Collector {
    Collector::of_files(
        Limits::default(),
        files.iter().map(|(path, text)| (*path, text.as_bytes())),
    )
}

#[test]
fn files_the_import_reads_are_recognised_by_path() {
    assert_eq!(
        kind_of(".github/workflows/ci.yml"),
        Some(FileKind::Workflow)
    );
    assert_eq!(kind_of("backend/Dockerfile"), Some(FileKind::Dockerfile));
    assert_eq!(kind_of("web/app.Dockerfile"), Some(FileKind::Dockerfile));
    assert_eq!(
        kind_of("charts/api/Chart.yaml"),
        Some(FileKind::ChartManifest)
    );
    assert_eq!(
        kind_of("apps/api/railway.toml"),
        Some(FileKind::RailwayToml)
    );
    assert_eq!(kind_of("node_modules/x/package.json"), None);
    assert_eq!(kind_of("src/main.rs"), None);
}

#[test]
fn binary_files_and_byte_order_marks() {
    assert!(decode(b"\x00\x01ELF").is_err());
    assert_eq!(
        decode(b"\xEF\xBB\xBFFROM node:20\r\n").unwrap(),
        "FROM node:20\r\n"
    );
    assert!(decode(b"\xff\xfe").is_err());
}

#[test]
fn a_monorepo_becomes_one_service_per_dockerfile_with_its_language() {
    let imported = import(
        "shop",
        collect(&[
            ("api/Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nEXPOSE 8000\nHEALTHCHECK CMD curl -f http://localhost:8000/healthz || exit 1\nCMD [\"uvicorn\", \"main:app\"]\n"),
            ("api/poetry.lock", ""),
            ("api/pyproject.toml", "[tool.poetry]\nname = \"api\"\n"),
            ("web/Dockerfile", "FROM node:20 AS build\nRUN npm ci\nFROM nginx:1.27\nCOPY --from=build /app/dist /usr/share/nginx/html\n"),
            ("web/package.json", "{\"scripts\": {\"build\": \"vite build\", \"lint\": \"eslint .\"}}"),
            ("web/package-lock.json", "{}"),
        ]),
    );
    let services = &imported.design.services;
    assert_eq!(services.len(), 2);
    let api = &services[0];
    assert_eq!((api.name.as_str(), api.directory.as_str()), ("api", "api"));
    assert_eq!(api.runtime, crate::model::Runtime::Python);
    assert_eq!(api.package_manager, crate::model::PackageManager::Poetry);
    assert_eq!(api.container.port, 8000);
    assert_eq!(api.container.healthcheck.path, "/healthz");
    assert_eq!(api.commands.start, ["uvicorn", "main:app"]);
    let web = &services[1];
    assert_eq!(web.kind, crate::model::ServiceKind::StaticSite);
    assert_eq!(web.commands.build, "npm run build");
    assert_eq!(web.commands.test, "");
}

#[test]
fn every_file_read_has_a_report_and_unread_keys_are_located() {
    let imported = import(
        "app",
        collect(&[
            ("Dockerfile", "FROM node:20\nEXPOSE 3000\n"),
            ("package.json", "{}"),
            ("docs/package.json", "{}"),
            (
                ".github/workflows/ci.yml",
                "on:\n  pull_request:\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    outputs:\n      x: y\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/upload-artifact@v4\n      - run: npm test\n",
            ),
        ]),
    );
    let report = &imported.report;
    assert_eq!(report.files.len(), 4);
    let workflow = report
        .files
        .iter()
        .find(|file| file.path == ".github/workflows/ci.yml")
        .unwrap();
    let not_mapped: Vec<Option<usize>> = workflow
        .entries
        .iter()
        .filter(|entry| entry.outcome == Outcome::NotMapped)
        .map(|entry| entry.line)
        .collect();
    assert_eq!(
        not_mapped,
        [Some(3), Some(8), Some(12)],
        "{}",
        report.render()
    );
    let docs = report
        .files
        .iter()
        .find(|file| file.path == "docs/package.json")
        .unwrap();
    assert_eq!(docs.count(Outcome::NotMapped), 1);
}

#[test]
fn an_empty_repository_still_opens_as_a_design() {
    let imported = import("empty", collect(&[]));
    assert_eq!(imported.design.services.len(), 1);
    assert!(imported.design.pipeline.jobs.is_empty());
    assert!(imported.report.files.is_empty());
}

#[test]
fn unreadable_files_are_reported_with_their_line_and_left_out() {
    let imported = import(
        "app",
        collect(&[
            (".github/workflows/ci.yml", "on: [push]\njobs:\n  a: [\n"),
            ("Dockerfile", "RUN echo before from\n"),
        ]),
    );
    for file in &imported.report.files {
        assert!(
            file.error.as_ref().is_some_and(|e| e.line.is_some()),
            "{file:?}"
        );
    }
}

#[test]
fn zip_archives_strip_their_top_folder_and_refuse_bombs() {
    use std::io::Write;
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        // GitHub's archives list their folders as entries of their own.
        zip.add_directory("shop-main/", options).unwrap();
        zip.start_file("shop-main/Dockerfile", options).unwrap();
        zip.write_all(b"FROM node:20\n").unwrap();
        zip.start_file("shop-main/big/Dockerfile", options).unwrap();
        zip.write_all(&vec![b'#'; 3 * 1024 * 1024]).unwrap();
        zip.start_file("shop-main/README.md", options).unwrap();
        zip.write_all(b"hello").unwrap();
        zip.finish().unwrap();
    }
    let (collector, name) = from_zip(buffer.get_ref(), Limits::default()).unwrap();
    assert_eq!(name.as_deref(), Some("shop"));
    // The README is kept for a patch of the repository; the big Dockerfile is refused.
    let paths: Vec<&str> = collector
        .files
        .iter()
        .map(|file| file.path.as_str())
        .collect();
    assert_eq!(paths, ["Dockerfile", "README.md"]);
    assert_eq!(collector.skipped.len(), 1);
    assert!(collector.skipped[0].reason.contains("limit"));
    assert!(from_zip(b"PK\x03\x04 not really", Limits::default()).is_err());
}

const SHARDED: &str = r#"on:
  pull_request:
jobs:
  e2e:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        shard: [1, 2]
    steps:
      - uses: actions/checkout@v4
      - run: npx playwright test --shard=${{ matrix.shard }}/2 --reporter='${{ matrix.shard }}'
      - name: Check format
        run: |
          status=$(git status --porcelain)
          [[ -z "$status" ]] || {
            echo "not formatted: $status"
            exit 1
          }
      - run: echo "${{ steps.build.outputs.tag }} ${{ github.sha }}"
        env:
          TOKEN: ${{ secrets.TOKEN }}
"#;

#[test]
fn scripts_stay_whole_and_expressions_become_variables() {
    let imported = import("app", collect(&[(".github/workflows/e2e.yml", SHARDED)]));
    let job = &imported.design.pipeline.jobs[0];
    assert_eq!(
        job.commands,
        [
            // Single quotes keep an expression as text: a variable would not expand there.
            "npx playwright test --shard=\"${MATRIX_SHARD}\"/2 --reporter='${{ matrix.shard }}'",
            "status=$(git status --porcelain)\n[[ -z \"$status\" ]] || {\n  echo \"not formatted: $status\"\n  exit 1\n}",
            "echo \"${{ steps.build.outputs.tag }} ${GITHUB_SHA}\"",
        ]
    );
    assert!(job
        .env
        .iter()
        .any(|var| var.name == "MATRIX_SHARD" && var.value == "${{ matrix.shard }}"));
    let report = &imported.report.files[0];
    assert!(report
        .entries
        .iter()
        .any(|entry| entry.text.contains("steps.build.outputs.tag")
            && entry.outcome == Outcome::NotMapped));
}

#[cfg(unix)]
#[test]
fn folders_skip_ignored_folders_and_never_follow_links() {
    let root = std::env::temp_dir().join(format!("slipway-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("api")).unwrap();
    std::fs::create_dir_all(root.join("node_modules/x")).unwrap();
    std::fs::write(root.join("api/Dockerfile"), "FROM node:20\n").unwrap();
    std::fs::write(root.join("node_modules/x/Dockerfile"), "FROM node:20\n").unwrap();
    std::fs::write(root.join("secret"), "token").unwrap();
    std::os::unix::fs::symlink(root.join("secret"), root.join("Dockerfile")).unwrap();
    let (collector, name) = from_folder(&root, Limits::default()).unwrap();
    let paths: Vec<&str> = collector.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["api/Dockerfile"]);
    assert_eq!(collector.skipped[0].path, "Dockerfile");
    assert!(collector.skipped[0].reason.contains("symbolic link"));
    assert!(name.starts_with("slipway-import-"));
    std::fs::remove_dir_all(&root).unwrap();
    assert!(from_folder(&root, Limits::default()).is_err());
}

#[test]
fn a_walk_stops_after_the_entry_limit_and_says_where() {
    let mut collector = Collector::new(Limits {
        max_entries: 2,
        ..Limits::default()
    });
    assert!(collector.enter("a"));
    assert!(collector.enter("b"));
    assert!(!collector.enter("c"));
    assert!(!collector.enter("d"));
    assert_eq!(collector.skipped.len(), 1, "the limit is said once");
    assert_eq!(collector.skipped[0].path, "c");
    assert!(collector.skipped[0].reason.contains("more than 2 entries"));
}
