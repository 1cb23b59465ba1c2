//! A short, deterministic fuzzing run on stable Rust: every importer (design files,
//! Dockerfiles, and the railway.json, Helm values, workflow and .dockerignore files of audit
//! mode) and the share-link decoder get thousands of mutated inputs (bit flips, truncation,
//! splices, hostile bytes) seeded from real files, and none may panic. The coverage-guided targets in `fuzz/` run the
//! same entry points for longer under `cargo fuzz` (nightly); see docs/fuzzing.md.

use std::panic::{catch_unwind, AssertUnwindSafe};

use slipway_core::{audit, generate, import, io, presets, share};

/// xorshift64*: a tiny deterministic generator, so every run tries the same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SPECIAL: &[&[u8]] = &[
    b"\0",
    b"\xff\xfe",
    b"\n",
    b"\"",
    b"'",
    b"{",
    b"}",
    b"[",
    b"]",
    b"- ",
    b": ",
    b"&a",
    b"*a",
    b"*****************************",
    b"!!binary ",
    b"\\",
    b"${{",
    b"%",
    b"#",
    b"~",
    b"version: 99\n",
    b"\t",
    "é🚀".as_bytes(),
];

/// The name audit mode reads a generated file under, for the files it audits besides the
/// Dockerfile: railway.json, Helm values, workflows and .dockerignore.
fn audit_name(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "railway.json" {
        Some("railway.json")
    } else if path.ends_with("/values.yaml") {
        Some("values.yaml")
    } else if path.starts_with(".github/workflows/") {
        Some(".github/workflows/ci.yml")
    } else if name.ends_with(".dockerignore") {
        Some(".dockerignore")
    } else {
        None
    }
}

/// Seeds for the cargo-fuzz targets in `fuzz/`: every preset's design file, Dockerfile, share
/// link and the files audit mode reads.
fn write_fuzz_corpus(preset: &str, design: &slipway_core::Design, bundle: &slipway_core::Bundle) {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    let write = |target: &str, name: &str, contents: &str| {
        let dir = corpus.join(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), contents).unwrap();
    };
    write("design", &format!("{preset}.yaml"), &io::to_yaml(design));
    write("share_link", preset, &share::encode(design));
    for file in &bundle.files {
        let flat = file.path.replace('/', "_");
        if file.path.ends_with("Dockerfile") {
            write("dockerfile", &format!("{preset}-{flat}"), &file.contents);
        }
        if audit_name(&file.path).is_some() {
            write("audit", &format!("{preset}-{flat}"), &file.contents);
        }
    }
}

fn mutate(rng: &mut Rng, seed: &[u8], other: &[u8]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..=rng.below(4) {
        match rng.below(5) {
            0 if !data.is_empty() => {
                let at = rng.below(data.len());
                data[at] ^= 1 << rng.below(8);
            }
            1 => data.truncate(rng.below(data.len() + 1)),
            2 => {
                let at = rng.below(data.len() + 1);
                let piece = SPECIAL[rng.below(SPECIAL.len())];
                data.splice(at..at, piece.iter().copied());
            }
            3 if !other.is_empty() => {
                let from = rng.below(other.len());
                let to = from + rng.below(other.len() - from);
                let at = rng.below(data.len() + 1);
                data.splice(at..at, other[from..to].iter().copied());
            }
            _ if data.len() > 2 => {
                let from = rng.below(data.len());
                let to = (from + rng.below(64)).min(data.len());
                data.drain(from..to);
            }
            _ => {}
        }
    }
    data
}

/// Runs `target` on `input`; returns the panic message if it panicked.
fn survives(target: impl FnOnce()) -> Option<String> {
    catch_unwind(AssertUnwindSafe(target)).err().map(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default()
    })
}

#[test]
fn importers_and_the_share_decoder_never_panic_on_mutated_input() {
    let mut designs: Vec<Vec<u8>> = Vec::new();
    let mut dockerfiles: Vec<Vec<u8>> = Vec::new();
    let mut links: Vec<Vec<u8>> = Vec::new();
    // Artifacts audit mode reads: railway.json, Helm values, workflows and .dockerignore.
    let mut artifacts: Vec<(&str, Vec<u8>)> = Vec::new();
    for preset in presets::all() {
        let design = (preset.build)();
        designs.push(io::to_yaml(&design).into_bytes());
        designs.push(io::to_json(&design).into_bytes());
        let bundle = generate(&design);
        dockerfiles.extend(
            bundle
                .files
                .iter()
                .filter(|file| file.path.ends_with("Dockerfile"))
                .map(|file| file.contents.clone().into_bytes()),
        );
        links.push(share::encode(&design).into_bytes());
        for file in &bundle.files {
            if let Some(name) = audit_name(&file.path) {
                artifacts.push((name, file.contents.clone().into_bytes()));
            }
        }
        if std::env::var_os("WRITE_FUZZ_CORPUS").is_some() {
            write_fuzz_corpus(preset.id, &design, &bundle);
        }
    }
    let iterations: usize = std::env::var("FUZZ_SMOKE_ITERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3000);
    let mut rng = Rng(0x5eed_5eed_5eed_5eed);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut panics: Vec<String> = Vec::new();
    for i in 0..iterations {
        let pick = |rng: &mut Rng, pool: &Vec<Vec<u8>>| pool[rng.below(pool.len())].clone();
        let design = {
            let (a, b) = (pick(&mut rng, &designs), pick(&mut rng, &designs));
            String::from_utf8_lossy(&mutate(&mut rng, &a, &b)).into_owned()
        };
        let dockerfile = {
            let (a, b) = (pick(&mut rng, &dockerfiles), pick(&mut rng, &dockerfiles));
            String::from_utf8_lossy(&mutate(&mut rng, &a, &b)).into_owned()
        };
        let link = {
            let (a, b) = (pick(&mut rng, &links), pick(&mut rng, &links));
            String::from_utf8_lossy(&mutate(&mut rng, &a, &b)).into_owned()
        };
        if let Some(message) = survives(|| {
            let _ = io::parse_design(&design);
        }) {
            panics.push(format!("#{i} parse_design: {message}\n{design:?}"));
        }
        if let Some(message) = survives(|| {
            let _ = import::dockerfile::parse(&dockerfile);
        }) {
            panics.push(format!("#{i} dockerfile: {message}\n{dockerfile:?}"));
        }
        let (kind, artifact) = {
            let (name, seed) = &artifacts[rng.below(artifacts.len())];
            let other = &artifacts[rng.below(artifacts.len())].1;
            (
                *name,
                String::from_utf8_lossy(&mutate(&mut rng, seed, other)).into_owned(),
            )
        };
        if let Some(message) = survives(|| {
            let _ = audit::audit(kind, &artifact);
        }) {
            panics.push(format!("#{i} audit {kind}: {message}\n{artifact:?}"));
        }
        if let Some(message) = survives(|| {
            let _ = share::decode(&link);
        }) {
            panics.push(format!("#{i} share::decode: {message}\n{link:?}"));
        }
    }
    std::panic::set_hook(previous);
    assert!(
        panics.is_empty(),
        "{} panic(s), first: {}",
        panics.len(),
        panics[0]
    );
}

/// The files of a real repository fixture, as (path, bytes).
fn fixture_files(name: &str) -> Vec<(String, Vec<u8>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/repos")
        .join(name);
    let (collector, _) =
        import::repository::from_folder(&root, import::repository::Limits::default()).unwrap();
    collector
        .files
        .into_iter()
        .map(|file| (file.path, file.text.into_bytes()))
        .collect()
}

#[test]
fn repository_import_and_audit_never_panic_on_mutated_repositories() {
    use import::repository::{self, Collector, Limits};
    let fixtures = [
        "single-service",
        "monorepo-frontend-backend",
        "railway-monorepo",
        "chart-based-service",
        "compose-worker-app",
    ];
    let repositories: Vec<Vec<(String, Vec<u8>)>> =
        fixtures.iter().map(|name| fixture_files(name)).collect();
    let iterations: usize = std::env::var("FUZZ_SMOKE_ITERATIONS")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
        .map_or(60, |n| n / 50);
    let mut rng = Rng(0x00dd_ba11_5eed);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut panics: Vec<String> = Vec::new();
    for i in 0..iterations {
        let repository = &repositories[rng.below(repositories.len())];
        // Mutate a few of its files (content and, now and then, path).
        let mut files = repository.clone();
        for _ in 0..=rng.below(4) {
            let at = rng.below(files.len());
            let other = repository[rng.below(repository.len())].1.clone();
            files[at].1 = mutate(&mut rng, &files[at].1, &other);
            if rng.below(8) == 0 {
                let piece = String::from_utf8_lossy(SPECIAL[rng.below(SPECIAL.len())]).into_owned();
                files[at].0 = format!("{piece}/{}", files[at].0);
            }
        }
        let collect = |files: &[(String, Vec<u8>)]| {
            Collector::of_files(
                Limits::default(),
                files
                    .iter()
                    .map(|(path, bytes)| (path.as_str(), bytes.as_slice())),
            )
        };
        if let Some(message) = survives(|| {
            let imported = repository::import("fuzz", collect(&files));
            let _ = imported.report.render();
            let bundle = generate(&imported.design);
            let _ = slipway_core::patch::against(&bundle, &imported.sources);
            let _ = audit::repository::audit_repository("fuzz", collect(&files));
        }) {
            let paths: Vec<&str> = files.iter().map(|(path, _)| path.as_str()).collect();
            panics.push(format!("#{i} repository import: {message}\n{paths:?}"));
        }
        // The same files as an archive, whose bytes are then damaged.
        let mut zip = std::io::Cursor::new(Vec::new());
        {
            use std::io::Write;
            let mut writer = zip::ZipWriter::new(&mut zip);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (path, bytes) in &files {
                if writer
                    .start_file(format!("repo-main/{path}"), options)
                    .is_ok()
                {
                    let _ = writer.write_all(bytes);
                }
            }
            let _ = writer.finish();
        }
        let archive = mutate(&mut rng, zip.get_ref(), &files[0].1);
        if let Some(message) = survives(|| {
            if let Ok((collector, name)) = repository::from_zip(&archive, Limits::default()) {
                let _ = repository::import(name.as_deref().unwrap_or("repo"), collector);
            }
        }) {
            panics.push(format!("#{i} from_zip: {message}"));
        }
    }
    std::panic::set_hook(previous);
    assert!(
        panics.is_empty(),
        "{} panic(s), first: {}",
        panics.len(),
        panics[0]
    );
}
