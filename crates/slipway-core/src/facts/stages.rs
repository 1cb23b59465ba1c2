//! The container's stages: either the design's explicit ones or the runtime template (deps →
//! builder → runner, docs/defaults.md#container-image) filled in from the container settings.

use crate::model::{
    Container, ContainerUser, Instruction, PackageManager, Runtime, Service, ServiceKind, Stage,
    StageRole,
};
use crate::text::url_path;

/// The stages the Dockerfile is generated from and the container rules check.
pub fn resolve(service: &Service) -> Vec<Stage> {
    if service.container.stages.is_empty() {
        template(service)
    } else {
        service.container.stages.clone()
    }
}

/// Whether `image` names an earlier stage (`FROM deps AS builder`) rather than an image.
pub fn is_stage_reference(stages: &[Stage], index: usize) -> bool {
    let image = &stages[index].image;
    stages[..index].iter().any(|stage| &stage.name == image)
}

/// The conventional image for each runtime: (build stages, final stage).
pub fn default_images(runtime: Runtime, version: &str) -> (String, String) {
    match runtime {
        Runtime::Node => (
            format!("node:{version}-alpine"),
            format!("node:{version}-alpine"),
        ),
        Runtime::Python => (
            format!("python:{version}-slim"),
            format!("python:{version}-slim"),
        ),
        Runtime::Go => (format!("golang:{version}-alpine"), "alpine:3.20".to_owned()),
        Runtime::Rust => (format!("rust:{version}-alpine"), "alpine:3.20".to_owned()),
        Runtime::Java => (
            format!("maven:3.9-eclipse-temurin-{version}"),
            format!("eclipse-temurin:{version}-jre-alpine"),
        ),
    }
}

/// The package manifests copied before the install, so that layer is cached until the
/// dependencies change (DOCKER-014).
pub fn manifests(manager: PackageManager) -> Vec<String> {
    let files: &[&str] = match manager {
        PackageManager::Npm => &["package.json", "package-lock.json"],
        PackageManager::Pnpm => &["package.json", "pnpm-lock.yaml"],
        PackageManager::Yarn => &["package.json", "yarn.lock"],
        PackageManager::Poetry => &["pyproject.toml", "poetry.lock"],
        PackageManager::Pip => &["requirements.txt"],
        PackageManager::GoModules => &["go.mod", "go.sum"],
        PackageManager::Cargo => &["Cargo.toml", "Cargo.lock"],
        PackageManager::Maven => &["pom.xml"],
        PackageManager::Gradle => &["build.gradle", "settings.gradle", "gradle.lockfile"],
    };
    files.iter().map(|file| (*file).to_owned()).collect()
}

/// Final image of a static site: nginx that runs unprivileged (uid 101) on port 8080.
pub const STATIC_SITE_IMAGE: &str = "nginxinc/nginx-unprivileged:1.27-alpine";

/// The runtime template for the design's language and package manager.
pub fn template(service: &Service) -> Vec<Stage> {
    if service.kind == ServiceKind::StaticSite {
        return static_site_template(service);
    }
    let container = &service.container;
    let project = service;
    let workdir = container.workdir.clone();
    let manifests = manifests(project.package_manager);
    let mut builder_run = build_command(service);
    if container.run_tests_in_builder && !project.commands.test.trim().is_empty() {
        builder_run = join_commands(&[&builder_run, &test_in_image(service)]);
    }

    let (deps, builder) = match project.runtime {
        Runtime::Node => node_build_stages(container, project.package_manager, &manifests),
        Runtime::Python => python_build_stages(container, project.package_manager, &manifests),
        Runtime::Go | Runtime::Rust | Runtime::Java => {
            compiled_build_stages(container, project.runtime, &manifests)
        }
    };
    let mut builder = builder;
    if !builder_run.is_empty() {
        builder.push(Instruction::Run {
            command: builder_run,
        });
    }

    vec![
        Stage {
            name: "deps".to_owned(),
            image: container.build_image.clone(),
            role: StageRole::Deps,
            instructions: with_workdir(&workdir, deps),
        },
        Stage {
            name: "builder".to_owned(),
            image: if matches!(project.runtime, Runtime::Node | Runtime::Python) {
                container.build_image.clone()
            } else {
                "deps".to_owned()
            },
            role: StageRole::Builder,
            instructions: with_workdir(&workdir, builder),
        },
        Stage {
            name: "runner".to_owned(),
            image: container.runtime_image.clone(),
            role: StageRole::Runner,
            instructions: with_workdir(&workdir, runner(service)),
        },
    ]
}

/// A static site needs no runtime dependencies: the builder produces files and an
/// unprivileged web server ships them.
fn static_site_template(service: &Service) -> Vec<Stage> {
    let container = &service.container;
    let project = service;
    let (_, mut builder) = node_build_stages(
        container,
        project.package_manager,
        &manifests(project.package_manager),
    );
    let build = project.commands.build.trim();
    if !build.is_empty() {
        builder.push(run(build));
    }
    let user = &container.user;
    let mut runner = vec![copy(
        "builder",
        &[format!("{}/dist", container.workdir.trim_end_matches('/'))],
        "/usr/share/nginx/html",
        &format!("{}:{}", user.uid, user.gid),
    )];
    runner.push(Instruction::User {
        user: format!("{}:{}", user.uid, user.gid),
    });
    runner.push(Instruction::Expose {
        port: container.port,
    });
    if container.healthcheck.enabled {
        let check = &container.healthcheck;
        runner.push(Instruction::Healthcheck {
            interval_seconds: check.interval_seconds,
            timeout_seconds: check.timeout_seconds,
            start_period_seconds: check.start_period_seconds,
            retries: check.retries,
            command: healthcheck_command(Runtime::Go, container.port, &check.path),
        });
    }
    vec![
        Stage {
            name: "builder".to_owned(),
            image: container.build_image.clone(),
            role: StageRole::Builder,
            instructions: with_workdir(&container.workdir, builder),
        },
        Stage {
            name: "runner".to_owned(),
            image: container.runtime_image.clone(),
            role: StageRole::Runner,
            instructions: runner,
        },
    ]
}

fn with_workdir(workdir: &str, mut instructions: Vec<Instruction>) -> Vec<Instruction> {
    instructions.insert(
        0,
        Instruction::Workdir {
            path: workdir.to_owned(),
        },
    );
    instructions
}

fn copy(from: &str, sources: &[String], destination: &str, chown: &str) -> Instruction {
    Instruction::Copy {
        from: from.to_owned(),
        sources: sources.to_vec(),
        destination: destination.to_owned(),
        chown: chown.to_owned(),
    }
}

fn run(command: &str) -> Instruction {
    Instruction::Run {
        command: command.to_owned(),
    }
}

fn env(name: &str, value: &str) -> Instruction {
    Instruction::Env {
        name: name.to_owned(),
        value: value.to_owned(),
    }
}

fn join_commands(commands: &[&str]) -> String {
    commands
        .iter()
        .map(|command| command.trim())
        .filter(|command| !command.is_empty())
        .collect::<Vec<_>>()
        .join(" && ")
}

const POETRY: &str = "poetry==1.8.5";

fn node_build_stages(
    container: &Container,
    manager: PackageManager,
    manifests: &[String],
) -> (Vec<Instruction>, Vec<Instruction>) {
    let (prod_install, full_install) = match manager {
        PackageManager::Pnpm => (
            "corepack enable && pnpm install --frozen-lockfile --prod && pnpm store prune",
            "corepack enable && pnpm install --frozen-lockfile",
        ),
        PackageManager::Yarn => (
            "yarn install --frozen-lockfile --production && yarn cache clean",
            "yarn install --frozen-lockfile",
        ),
        _ => ("npm ci --omit=dev && npm cache clean --force", "npm ci"),
    };
    let mut builder = build_args(container);
    builder.extend([
        copy("", manifests, "./", ""),
        run(full_install),
        copy("", &[".".to_owned()], ".", ""),
    ]);
    (
        vec![copy("", manifests, "./", ""), run(prod_install)],
        builder,
    )
}

fn python_build_stages(
    container: &Container,
    manager: PackageManager,
    manifests: &[String],
) -> (Vec<Instruction>, Vec<Instruction>) {
    let (prod_install, full_install) = if manager == PackageManager::Pip {
        (
            "python -m venv .venv && .venv/bin/pip install --no-cache-dir -r requirements.txt"
                .to_owned(),
            "python -m venv .venv && .venv/bin/pip install --no-cache-dir -r requirements.txt"
                .to_owned(),
        )
    } else {
        (
            format!("pip install --no-cache-dir {POETRY} && poetry install --only main --no-root && rm -rf /root/.cache/pypoetry"),
            format!("pip install --no-cache-dir {POETRY} && poetry install --no-root"),
        )
    };
    let python_env = || {
        vec![
            env("PIP_DISABLE_PIP_VERSION_CHECK", "1"),
            env("POETRY_NO_INTERACTION", "1"),
            env("POETRY_VIRTUALENVS_IN_PROJECT", "true"),
        ]
    };
    let mut deps = python_env();
    deps.extend([copy("", manifests, "./", ""), run(&prod_install)]);
    let mut builder = python_env();
    builder.extend(build_args(container));
    builder.extend([
        copy("", manifests, "./", ""),
        run(&full_install),
        copy("", &[".".to_owned()], ".", ""),
    ]);
    (deps, builder)
}

fn compiled_build_stages(
    container: &Container,
    runtime: Runtime,
    manifests: &[String],
) -> (Vec<Instruction>, Vec<Instruction>) {
    let fetch = match runtime {
        Runtime::Go => "go mod download",
        // Cargo needs a target to resolve the manifest; a placeholder main fetches the crates.
        Runtime::Rust => {
            "mkdir -p src && echo 'fn main() {}' > src/main.rs && cargo fetch --locked"
        }
        _ => "mvn -B -q dependency:go-offline",
    };
    let mut builder = build_args(container);
    builder.push(copy("", &[".".to_owned()], ".", ""));
    (vec![copy("", manifests, "./", ""), run(fetch)], builder)
}

fn build_args(container: &Container) -> Vec<Instruction> {
    container
        .build_args
        .iter()
        .map(|arg| Instruction::Arg {
            name: arg.name.clone(),
            default: arg.value.clone(),
        })
        .collect()
}

/// The builder's build step, ending with the artifact where the runner copies it from.
fn build_command(service: &Service) -> String {
    let project = service;
    let binary = crate::text::identifier(&project.name, "app");
    match project.runtime {
        Runtime::Node => project.commands.build.trim().to_owned(),
        Runtime::Python => "python -m compileall -q .".to_owned(),
        Runtime::Go => {
            "CGO_ENABLED=0 go build -trimpath -ldflags=-s -o /out/server ./cmd/server".to_owned()
        }
        Runtime::Rust => format!(
            "cargo build --release --locked && mkdir -p /out && cp target/release/{binary} /out/server"
        ),
        Runtime::Java => {
            "mvn -B -q -DskipTests package && mkdir -p /out && cp target/*.jar /out/app.jar"
                .to_owned()
        }
    }
}

fn test_in_image(service: &Service) -> String {
    match service.runtime {
        Runtime::Python if service.package_manager == PackageManager::Poetry => {
            format!("poetry run {}", service.commands.test.trim())
        }
        _ => service.commands.test.trim().to_owned(),
    }
}

fn runner(service: &Service) -> Vec<Instruction> {
    let container = &service.container;
    let project = service;
    let user = &container.user;
    let owner = format!("{}:{}", user.uid, user.gid);
    let mut instructions = Vec::new();
    match project.runtime {
        Runtime::Node => instructions.push(env("NODE_ENV", "production")),
        Runtime::Python => {
            instructions.push(env("PATH", "/app/.venv/bin:$PATH"));
            instructions.push(env("PYTHONUNBUFFERED", "1"));
        }
        _ => {}
    }
    for variable in &container.env {
        instructions.push(env(&variable.name, &variable.value));
    }
    if let Some(command) = create_user_command(&container.runtime_image, container) {
        instructions.push(run(&command));
    }
    match project.runtime {
        Runtime::Node => {
            instructions.push(copy(
                "deps",
                &["/app/node_modules".to_owned()],
                "./node_modules",
                &owner,
            ));
            if !project.commands.build.trim().is_empty() {
                instructions.push(copy("builder", &["/app/dist".to_owned()], "./dist", &owner));
            }
            instructions.push(copy("", &["package.json".to_owned()], "./", &owner));
        }
        Runtime::Python => {
            instructions.push(copy("deps", &["/app/.venv".to_owned()], "./.venv", &owner));
            instructions.push(copy("builder", &["/app/app".to_owned()], "./app", &owner));
        }
        Runtime::Go | Runtime::Rust => {
            instructions.push(copy(
                "builder",
                &["/out/server".to_owned()],
                "./server",
                &owner,
            ));
        }
        Runtime::Java => {
            instructions.push(copy(
                "builder",
                &["/out/app.jar".to_owned()],
                "./app.jar",
                &owner,
            ));
        }
    }
    instructions.push(Instruction::User {
        user: if user.uid == 0 {
            "root".to_owned()
        } else {
            owner.clone()
        },
    });
    if project.kind.is_web() {
        instructions.push(Instruction::Expose {
            port: container.port,
        });
    }
    if container.healthcheck.enabled {
        let check = &container.healthcheck;
        instructions.push(Instruction::Healthcheck {
            interval_seconds: check.interval_seconds,
            timeout_seconds: check.timeout_seconds,
            start_period_seconds: check.start_period_seconds,
            retries: check.retries,
            command: healthcheck_command(project.runtime, container.port, &check.path),
        });
    }
    instructions.push(Instruction::Cmd {
        args: project.commands.start.clone(),
    });
    instructions
}

/// Creates the runtime user with the tools the base image has (none on distroless).
fn create_user_command(image: &str, container: &Container) -> Option<String> {
    let user = &container.user;
    if user.uid == 0 || image.contains("distroless") {
        return None;
    }
    Some(user_creation_command(image, user))
}

/// The shell command that creates `user` and its group on `image`: busybox `addgroup` and
/// `adduser` on Alpine, `groupadd` and `useradd` elsewhere. The template's runner stage and
/// DOCKER-001's fix write the same line.
pub(crate) fn user_creation_command(image: &str, user: &ContainerUser) -> String {
    let name = crate::text::identifier(&user.name, "app");
    if image.contains("alpine") {
        format!(
            "addgroup -g {gid} -S {name} && adduser -S -D -H -u {uid} -G {name} {name}",
            gid = user.gid,
            uid = user.uid
        )
    } else {
        format!(
            "groupadd --system --gid {gid} {name} && useradd --system --uid {uid} --gid {gid} --no-create-home {name}",
            gid = user.gid,
            uid = user.uid
        )
    }
}

/// A health check that works in the final image without extra packages (VALID-010): the
/// runtime itself where there is one, busybox `wget` on Alpine otherwise.
pub fn healthcheck_command(runtime: Runtime, port: u16, path: &str) -> Vec<String> {
    let url = format!("http://127.0.0.1:{port}{}", url_path(path));
    let words = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    match runtime {
        Runtime::Node => {
            let script = format!(
                "require('http').get('{url}', (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"
            );
            words(&["node", "-e", &script])
        }
        Runtime::Python => {
            let script = format!(
                "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('{url}', timeout=2).status == 200 else 1)"
            );
            words(&["python", "-c", &script])
        }
        Runtime::Go | Runtime::Rust | Runtime::Java => {
            words(&["wget", "-q", "-O", "/dev/null", &url])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_has_three_stages_in_order() {
        for runtime in Runtime::ALL {
            let design = crate::presets::for_runtime(runtime);
            let stages = template(&design.services[0]);
            let roles: Vec<_> = stages.iter().map(|stage| stage.role).collect();
            assert_eq!(
                roles,
                [StageRole::Deps, StageRole::Builder, StageRole::Runner],
                "{runtime:?}"
            );
        }
    }

    #[test]
    fn explicit_stages_win_over_the_template() {
        let mut design = crate::model::Design::default();
        design.services[0].container.stages = vec![Stage {
            name: "only".into(),
            image: "alpine:3.20".into(),
            ..Stage::default()
        }];
        assert_eq!(resolve(&design.services[0]).len(), 1);
    }

    #[test]
    fn a_hostile_health_path_cannot_break_out_of_the_script() {
        let command = healthcheck_command(Runtime::Node, 3000, "/x'); process.exit(0); ('");
        assert!(!command[2].contains("');"), "{}", command[2]);
    }
}
