use super::*;
use crate::facts::cloud::{slug, unique_slug};
use crate::model::{Branch, EnvironmentTier};

fn parse(file: &GeneratedFile) -> hcl::Body {
    hcl::parse(&file.contents)
        .unwrap_or_else(|error| panic!("{} does not parse: {error}\n{}", file.path, file.contents))
}

fn file<'a>(files: &'a [GeneratedFile], path: &str) -> &'a GeneratedFile {
    files
        .iter()
        .find(|file| file.path == path)
        .unwrap_or_else(|| panic!("no {path} among {:?}", paths(files)))
}

fn paths(files: &[GeneratedFile]) -> Vec<&str> {
    files.iter().map(|file| file.path.as_str()).collect()
}

/// An expression as `hcl-rs` reads it.
fn expression(source: &str) -> hcl::Expression {
    source.parse().expect("an HCL expression")
}

fn attribute(body: &hcl::Body, key: &str) -> hcl::Expression {
    body.attributes()
        .find(|attribute| attribute.key() == key)
        .unwrap_or_else(|| panic!("no attribute {key}"))
        .expr()
        .clone()
}

fn block<'a>(body: &'a hcl::Body, identifier: &str, labels: &[&str]) -> &'a hcl::Body {
    body.blocks()
        .find(|block| {
            block.identifier() == identifier
                && block
                    .labels()
                    .iter()
                    .map(|label| label.as_str())
                    .eq(labels.iter().copied())
        })
        .map(|block| block.body())
        .unwrap_or_else(|| panic!("no block {identifier} {labels:?}"))
}

fn preset(id: &str) -> Design {
    (crate::presets::find(id).expect("preset").build)()
}

#[test]
fn every_file_of_every_preset_parses_back() {
    for preset in crate::presets::all() {
        let files = generate(&(preset.build)());
        assert!(!files.is_empty(), "{}", preset.id);
        for file in &files {
            assert_eq!(file.syntax, Syntax::Hcl);
            parse(file);
        }
    }
}

#[test]
fn production_tfvars_turn_on_multi_az_and_deletion_protection() {
    let files = generate(&preset("fastapi-react"));
    let production = parse(file(&files, "infra/environments/production.tfvars"));
    let staging = parse(file(&files, "infra/environments/staging.tfvars"));
    for key in [
        "multi_az",
        "deletion_protection",
        "manage_branch_protection",
    ] {
        assert_eq!(
            attribute(&production, key),
            hcl::Expression::Bool(true),
            "{key}"
        );
        assert_eq!(
            attribute(&staging, key),
            hcl::Expression::Bool(false),
            "{key}"
        );
    }
    assert_eq!(
        attribute(&production, "environment"),
        hcl::Expression::String("production".into())
    );
    assert_eq!(
        attribute(&production, "redis_node_count"),
        hcl::Expression::Number(2.into())
    );
}

#[test]
fn the_stack_wires_encryption_multi_az_and_protection_to_the_variables() {
    let files = generate(&preset("fastapi-react"));
    let main = parse(file(&files, "infra/main.tf"));
    let rds = block(&main, "module", &["rds"]);
    assert_eq!(attribute(rds, "multi_az"), expression("var.multi_az"));
    assert_eq!(
        attribute(rds, "deletion_protection"),
        expression("var.deletion_protection")
    );
    assert_eq!(
        attribute(rds, "storage_encrypted"),
        hcl::Expression::Bool(true)
    );
    assert_eq!(
        attribute(rds, "skip_final_snapshot"),
        hcl::Expression::Bool(false)
    );
    assert_eq!(
        attribute(rds, "manage_master_user_password"),
        hcl::Expression::Bool(true)
    );
    let redis = block(&main, "module", &["redis"]);
    assert_eq!(
        attribute(redis, "at_rest_encryption_enabled"),
        hcl::Expression::Bool(true)
    );
    assert_eq!(
        attribute(redis, "transit_encryption_enabled"),
        hcl::Expression::Bool(true)
    );
    let eks = block(&main, "module", &["eks"]);
    assert_eq!(
        attribute(eks, "subnet_ids"),
        expression("module.vpc.private_subnets")
    );
    let variables = parse(file(&files, "infra/variables.tf"));
    let token = block(&variables, "variable", &["redis_auth_token"]);
    assert_eq!(attribute(token, "sensitive"), hcl::Expression::Bool(true));
    assert!(token
        .attributes()
        .all(|attribute| attribute.key() != "default"));
    let outputs = parse(file(&files, "infra/outputs.tf"));
    let endpoint = block(&outputs, "output", &["database_endpoint"]);
    assert_eq!(
        attribute(endpoint, "sensitive"),
        hcl::Expression::Bool(true)
    );
}

#[test]
fn only_the_modules_the_design_uses_are_declared() {
    let modules = |id: &str| -> Vec<String> {
        let main = parse(file(&generate(&preset(id)), "infra/main.tf"));
        main.blocks()
            .filter(|block| block.identifier() == "module")
            .map(|block| block.labels()[0].as_str().to_owned())
            .collect()
    };
    assert_eq!(modules("fastapi-react"), ["vpc", "eks", "rds", "redis"]);
    assert_eq!(modules("node-api"), ["vpc", "eks", "rds"]);
    assert_eq!(modules("go-service"), ["vpc", "eks"]);
    assert_eq!(modules("worker-cron"), ["vpc", "rds"]);
    let variables = parse(file(&generate(&preset("go-service")), "infra/variables.tf"));
    assert!(variables
        .blocks()
        .all(|block| !block.labels()[0].as_str().starts_with("db_")));
}

#[test]
fn every_environment_gets_its_own_state_key_and_tfvars() {
    let mut design = preset("node-api");
    let mut copy = design.environments[0].clone();
    copy.name = "Staging".into();
    design.environments.push(copy);
    let files = generate(&design);
    let keys: Vec<hcl::Expression> = files
        .iter()
        .filter(|file| file.path.starts_with("infra/backend/"))
        .map(|file| attribute(&parse(file), "key"))
        .collect();
    assert_eq!(
        keys,
        [
            hcl::Expression::String("node-api/staging/terraform.tfstate".into()),
            hcl::Expression::String("node-api/production/terraform.tfstate".into()),
            hcl::Expression::String("node-api/staging-2/terraform.tfstate".into()),
        ]
    );
    assert!(paths(&files).contains(&"infra/environments/staging-2.tfvars"));
}

#[test]
fn branch_protection_follows_the_design() {
    let files = generate(&preset("node-api"));
    let github = parse(file(&files, "infra/github.tf"));
    let main = block(
        &github,
        "resource",
        &["github_branch_protection", "branch_main"],
    );
    assert_eq!(
        attribute(main, "pattern"),
        hcl::Expression::String("main".into())
    );
    assert_eq!(
        attribute(main, "required_linear_history"),
        hcl::Expression::Bool(true)
    );
    assert_eq!(
        attribute(main, "allows_force_pushes"),
        hcl::Expression::Bool(false)
    );
    assert_eq!(
        attribute(main, "allows_deletions"),
        hcl::Expression::Bool(false)
    );
    let reviews = block(main, "required_pull_request_reviews", &[]);
    assert_eq!(
        attribute(reviews, "required_approving_review_count"),
        hcl::Expression::Number(2.into())
    );
    let checks = block(main, "required_status_checks", &[]);
    assert_eq!(attribute(checks, "strict"), hcl::Expression::Bool(true));
    assert_eq!(
        attribute(checks, "contexts"),
        hcl::Expression::Array(vec!["lint".into(), "test".into(), "security".into()])
    );
    let dev = block(
        &github,
        "resource",
        &["github_branch_protection", "branch_dev"],
    );
    let reviews = block(dev, "required_pull_request_reviews", &[]);
    assert_eq!(
        attribute(reviews, "required_approving_review_count"),
        hcl::Expression::Number(1.into())
    );
    assert!(file(&files, "infra/github.tf")
        .contents
        .contains("#checkov:skip=CKV_GIT_5:"));

    let mut design = preset("node-api");
    design.repository.branches.clear();
    let files = generate(&design);
    assert!(!paths(&files).contains(&"infra/github.tf"));
    assert!(!file(&files, "infra/versions.tf")
        .contents
        .contains("github"));
}

#[test]
fn no_infrastructure_means_no_terraform() {
    let mut design = preset("node-api");
    design.infrastructure.enabled = false;
    assert!(generate(&design).is_empty());
}

#[test]
fn locking_needs_a_new_enough_terraform_or_a_dynamodb_table() {
    let mut design = preset("node-api");
    assert_eq!(required_version(&design), ">= 1.10");
    design.infrastructure.terraform_version = ">= 1.5".into();
    assert_eq!(required_version(&design), ">= 1.5, >= 1.10");
    design.infrastructure.terraform_version = ">= 1.11".into();
    assert_eq!(required_version(&design), ">= 1.11");
    design.infrastructure.state.use_lockfile = false;
    design.infrastructure.state.dynamodb_table = "terraform-locks".into();
    design.infrastructure.terraform_version = ">= 1.5".into();
    assert_eq!(required_version(&design), ">= 1.5");
    let backend = parse(file(&generate(&design), "infra/backend.tf"));
    let s3 = block(block(&backend, "terraform", &[]), "backend", &["s3"]);
    assert_eq!(
        attribute(s3, "dynamodb_table"),
        hcl::Expression::String("terraform-locks".into())
    );
    assert!(s3
        .attributes()
        .all(|attribute| attribute.key() != "use_lockfile"));
}

#[test]
fn slugs_fit_aws_names() {
    assert_eq!(
        slug("My Very Long Project Name", 16, "app"),
        "my-very-long-pro"
    );
    assert_eq!(slug("3d printer", 16, "app"), "app-3d-printer");
    assert_eq!(slug("${var.x}", 12, "env"), "var-x");
    assert_eq!(slug("***", 12, "env"), "env");
    assert_eq!(
        unique_slug("prod", &["prod".into(), "prod-2".into()]),
        "prod-3"
    );
}

const HOSTILE: &str = "${jsonencode(var.x)}\"\n}\nresource \"null_resource\" \"evil\" {";

/// Every `jsonencode` in the re-formatted file sits behind an escaped `$${`: it is text inside
/// a string literal, never a function call or an interpolation. (The one call the generator
/// writes itself encodes a local, the image repositories' lifecycle policy.)
fn assert_only_literal(text: &str, path: &str) {
    let body: hcl::Body =
        hcl::parse(text).unwrap_or_else(|error| panic!("{path}: {error}\n{text}"));
    let formatted = hcl::format::to_string(&body).unwrap();
    for (index, _) in formatted.match_indices("jsonencode(") {
        if formatted[index..].starts_with("jsonencode(local.untagged_image_expiry)") {
            continue;
        }
        assert!(
            formatted[..index].ends_with("$${"),
            "{path}: jsonencode outside a literal\n{formatted}"
        );
    }
    assert!(
        body.blocks()
            .all(|block| block.labels().iter().all(|label| label.as_str() != "evil")),
        "{path}: injected block\n{text}"
    );
}

#[test]
fn hostile_design_text_stays_inside_string_literals() {
    let mut design = preset("fastapi-react");
    design.project.name = HOSTILE.into();
    design.repository.slug = format!("acme/{HOSTILE}");
    design.repository.branches[0].name = HOSTILE.into();
    design.repository.branches[0].deploys_to = HOSTILE.into();
    design.repository.branches[0].protection.required_checks = vec![HOSTILE.into()];
    design.repository.branches.push(Branch {
        name: "%{ if true }x%{ endif }".into(),
        ..Branch::dev()
    });
    design.environments[1].name = HOSTILE.into();
    design.environments[1].tier = EnvironmentTier::Production;
    let infrastructure = &mut design.infrastructure;
    infrastructure.region = HOSTILE.into();
    infrastructure.terraform_version = HOSTILE.into();
    infrastructure.state.bucket = HOSTILE.into();
    infrastructure.state.dynamodb_table = HOSTILE.into();
    infrastructure.vpc.cidr = HOSTILE.into();
    infrastructure.eks.instance_type = HOSTILE.into();
    infrastructure.eks.cluster_version = HOSTILE.into();
    infrastructure.rds.username = HOSTILE.into();
    infrastructure.rds.engine_version = HOSTILE.into();
    infrastructure.redis.node_type = HOSTILE.into();

    let files = generate(&design);
    for file in &files {
        assert!(
            !file.path.contains(['$', '{', '"', '\n', ' ']),
            "unsafe path {}",
            file.path
        );
        assert_only_literal(&file.contents, &file.path);
    }
    let github = parse(file(&files, "infra/github.tf"));
    let protected: Vec<hcl::Expression> = github
        .blocks()
        .filter(|block| block.identifier() == "resource")
        .map(|block| attribute(block.body(), "pattern"))
        .collect();
    assert_eq!(
        protected,
        [
            hcl::Expression::String(HOSTILE.into()),
            hcl::Expression::String("dev".into()),
            hcl::Expression::String("%{ if true }x%{ endif }".into()),
        ]
    );
    let production = files
        .iter()
        .filter(|file| file.path.starts_with("infra/environments/"))
        .map(parse)
        .find(|body| attribute(body, "multi_az") == hcl::Expression::Bool(true))
        .expect("a production tfvars");
    assert_eq!(
        attribute(&production, "region"),
        hcl::Expression::String(HOSTILE.replace('\n', " "))
    );
    assert_eq!(
        attribute(&production, "project"),
        hcl::Expression::String("jsonencode-var-x".into())
    );
}

const ECR: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

fn with_ecr(id: &str) -> Design {
    let mut design = preset(id);
    design.pipeline.registry = ECR.into();
    design
}

fn strings_of(expression: hcl::Expression) -> Vec<String> {
    match expression {
        hcl::Expression::Array(items) => items
            .into_iter()
            .map(|item| match item {
                hcl::Expression::String(text) => text,
                other => panic!("not a string: {other:?}"),
            })
            .collect(),
        other => panic!("not an array: {other:?}"),
    }
}

#[test]
fn an_ecr_registry_gets_one_repository_per_service_ci_pushes() {
    let design = with_ecr("web-api-worker");
    assert_eq!(design.services.len(), 3);
    let files = generate(&design);
    let production = parse(file(&files, "infra/environments/production.tfvars"));
    let staging = parse(file(&files, "infra/environments/staging.tfvars"));
    // Named as CI tags the images: the workflow's IMAGE_REPOSITORY_* without the host.
    let expected: Vec<String> = design
        .services
        .iter()
        .map(|service| {
            crate::generate::actions::image_repository(&design, service)
                .strip_prefix(&format!("{ECR}/"))
                .expect("the image lives in the registry")
                .to_owned()
        })
        .collect();
    assert_eq!(
        expected,
        ["acme/shop/web", "acme/shop/api", "acme/shop/worker"]
    );
    assert_eq!(
        strings_of(attribute(&production, "image_repositories")),
        expected
    );
    // Shared by every environment: only the owning environment's state creates them.
    assert!(strings_of(attribute(&staging, "image_repositories")).is_empty());
    for tfvars in [&production, &staging] {
        assert_eq!(
            attribute(tfvars, "image_registry_region"),
            hcl::Expression::String("eu-west-1".into())
        );
    }

    let main = parse(file(&files, "infra/main.tf"));
    let repository = block(&main, "resource", &["aws_ecr_repository", "service"]);
    assert_eq!(
        attribute(repository, "for_each"),
        expression("var.image_repositories")
    );
    assert_eq!(
        attribute(repository, "provider"),
        expression("aws.registry")
    );
    assert_eq!(
        attribute(repository, "image_tag_mutability"),
        hcl::Expression::String("IMMUTABLE".into())
    );
    assert_eq!(
        attribute(
            block(repository, "image_scanning_configuration", &[]),
            "scan_on_push"
        ),
        hcl::Expression::Bool(true)
    );
    assert_eq!(
        attribute(
            block(repository, "encryption_configuration", &[]),
            "encryption_type"
        ),
        hcl::Expression::String("KMS".into())
    );
    let policy = block(&main, "resource", &["aws_ecr_lifecycle_policy", "service"]);
    assert_eq!(
        attribute(policy, "for_each"),
        expression("aws_ecr_repository.service")
    );
    let locals = file(&files, "infra/main.tf").contents.clone();
    assert!(locals.contains("tagStatus   = \"untagged\""), "{locals}");
    assert!(locals.contains("type = \"expire\""), "{locals}");
    let provider = main
        .blocks()
        .filter(|block| block.identifier() == "provider")
        .find(|block| {
            block
                .body()
                .attributes()
                .any(|attribute| attribute.key() == "alias")
        })
        .expect("the registry's provider");
    assert_eq!(
        attribute(provider.body(), "region"),
        expression("var.image_registry_region")
    );

    let variables = parse(file(&files, "infra/variables.tf"));
    block(&variables, "variable", &["image_repositories"]);
    block(&variables, "variable", &["image_registry_region"]);
    let outputs = parse(file(&files, "infra/outputs.tf"));
    block(&outputs, "output", &["image_repository_urls"]);
    assert!(how_to_apply(&design)
        .unwrap()
        .contains("terraform output image_repository_urls"));
}

#[test]
fn only_pushed_images_get_a_repository() {
    let mut design = with_ecr("web-api-worker");
    design.services[2].kubernetes.enabled = false;
    let files = generate(&design);
    let production = parse(file(&files, "infra/environments/production.tfvars"));
    assert_eq!(
        strings_of(attribute(&production, "image_repositories")),
        ["acme/shop/web", "acme/shop/api"]
    );
    // One service: the image is the repository slug itself.
    let files = generate(&with_ecr("node-api"));
    let production = parse(file(&files, "infra/environments/production.tfvars"));
    assert_eq!(
        strings_of(attribute(&production, "image_repositories")),
        ["acme/node-api"]
    );
    // Nothing on Kubernetes: CI pushes nothing, so no repository.
    let mut design = with_ecr("web-api-worker");
    for service in &mut design.services {
        service.kubernetes.enabled = false;
    }
    assert!(!file(&generate(&design), "infra/main.tf")
        .contents
        .contains("aws_ecr"));
}

#[test]
fn github_s_registry_needs_no_repositories() {
    for registry in [
        "ghcr.io",
        "registry.example.com",
        "123.dkr.ecr.amazonaws.com.evil",
    ] {
        let mut design = preset("web-api-worker");
        design.pipeline.registry = registry.into();
        let files = generate(&design);
        for file in &files {
            assert!(
                !file.contents.contains("aws_ecr"),
                "{registry}: {}",
                file.path
            );
            assert!(
                !file.contents.contains("image_repositories"),
                "{registry}: {}",
                file.path
            );
        }
    }
}

#[test]
fn hostile_registry_and_slug_stay_inside_string_literals() {
    let mut design = with_ecr("web-api-worker");
    design.repository.slug = format!("acme/{HOSTILE}");
    design.services[0].name = HOSTILE.into();
    let files = generate(&design);
    for file in &files {
        assert_only_literal(&file.contents, &file.path);
    }
    let production = parse(file(&files, "infra/environments/production.tfvars"));
    let names = strings_of(attribute(&production, "image_repositories"));
    assert_eq!(names.len(), 3);
    for name in names {
        assert!(
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-/".contains(c)),
            "{name}"
        );
    }
    // A host that only looks like ECR once its other characters are dropped is not ECR.
    design.pipeline.registry = format!("{HOSTILE}{ECR}");
    assert!(!file(&generate(&design), "infra/main.tf")
        .contents
        .contains("aws_ecr"));
}

/// The deploy jobs of the workflows and the deploy roles of the Terraform name the same
/// repository, environments, variable, cluster and region, for every preset (CONSIST-005).
#[test]
fn the_workflows_and_the_deploy_roles_agree_for_every_preset() {
    use crate::facts::cloud::ROLE_VARIABLE;
    for preset in crate::presets::all() {
        let design = (preset.build)();
        let files = generate(&design);
        if !crate::facts::cloud::keyless(&design) {
            assert!(
                !paths(&files).contains(&"infra/deploy_access.tf"),
                "{}",
                preset.id
            );
            continue;
        }
        let access = parse(file(&files, "infra/deploy_access.tf"));
        let trust = block(
            &access,
            "data",
            &["aws_iam_policy_document", "deploy_trust"],
        );
        let claim = |name: &str| {
            block(trust, "statement", &[])
                .blocks()
                .find(|condition| {
                    condition.identifier() == "condition"
                        && attribute(condition.body(), "variable")
                            == hcl::Expression::String(format!(
                                "token.actions.githubusercontent.com:{name}"
                            ))
                })
                .map(|condition| attribute(condition.body(), "values"))
                .unwrap()
        };
        assert_eq!(claim("aud"), expression(r#"["sts.amazonaws.com"]"#));
        assert_eq!(
            claim("sub"),
            expression(
                r#"["repo:${var.github_repository}:environment:${var.github_environment}"]"#
            )
        );
        let outputs = file(&files, "infra/outputs.tf").contents.clone();
        assert!(
            outputs.contains(&format!("the {ROLE_VARIABLE} variable")),
            "{}",
            preset.id
        );
        let bundle = crate::generate(&design);
        let readme = &bundle.file("README.md").unwrap().contents;
        assert!(
            readme.contains(&format!("`{ROLE_VARIABLE}`")),
            "{}",
            preset.id
        );
        let tfvars: Vec<hcl::Body> = files
            .iter()
            .filter(|file| file.path.starts_with("infra/environments/"))
            .map(parse)
            .collect();
        let mut checked = 0;
        for path in [
            ".github/workflows/deploy.yml",
            ".github/workflows/rollback.yml",
        ] {
            let workflow: serde_json::Value =
                serde_norway::from_str(&bundle.file(path).unwrap().contents).unwrap();
            for (id, job) in workflow["jobs"].as_object().unwrap() {
                let steps = job["steps"].as_array().unwrap();
                let Some(assume) = steps
                    .iter()
                    .find(|step| step["with"]["role-to-assume"].is_string())
                else {
                    continue;
                };
                let environment = job["environment"]["name"].as_str().unwrap();
                let values = tfvars
                    .iter()
                    .find(|body| {
                        attribute(body, "github_environment")
                            == hcl::Expression::String(environment.into())
                    })
                    .unwrap_or_else(|| {
                        panic!("{} {path} {id}: no state trusts {environment}", preset.id)
                    });
                let text = |key: &str| match attribute(values, key) {
                    hcl::Expression::String(text) => text,
                    other => panic!("{key}: {other:?}"),
                };
                assert_eq!(
                    format!(
                        "repo:{}:environment:{}",
                        text("github_repository"),
                        text("github_environment")
                    ),
                    format!("repo:{}:environment:{environment}", design.repository.slug),
                );
                assert_eq!(
                    assume["with"]["role-to-assume"],
                    format!("${{{{ vars.{ROLE_VARIABLE} }}}}")
                );
                assert_eq!(assume["with"]["aws-region"], text("region").as_str());
                let cluster = format!("--name {}-{} ", text("project"), text("environment"));
                assert!(
                    steps.iter().any(|step| step["run"]
                        .as_str()
                        .is_some_and(|run| run.contains(&cluster))),
                    "{} {path} {id}: {cluster}",
                    preset.id
                );
                checked += 1;
            }
        }
        let pushed = design
            .environments
            .iter()
            .filter(|env| !env.gitops())
            .count();
        assert!(checked >= pushed, "{}", preset.id);
    }
}

/// A design that deploys staging from CI and lets Argo CD deliver production: only staging's
/// state creates a deploy role (and, being the only one, GitHub's OIDC provider); production's
/// tfvars, the README and the workflows say nothing of a role for it.
#[test]
fn only_the_environments_ci_deploys_to_get_a_deploy_role() {
    use crate::facts::cloud::ROLE_VARIABLE;
    let mut design = preset("web-api-worker");
    let production = design
        .environments
        .iter()
        .position(|env| env.tier == EnvironmentTier::Production)
        .unwrap();
    design.environments[production].delivery = crate::model::Delivery::Gitops;
    assert!(crate::facts::cloud::keyless(&design));
    let files = generate(&design);
    let access = parse(file(&files, "infra/deploy_access.tf"));
    for (kind, labels) in [
        ("data", ["aws_iam_policy_document", "deploy_trust"]),
        ("resource", ["aws_iam_role", "deploy"]),
        ("data", ["aws_iam_policy_document", "deploy"]),
        ("resource", ["aws_iam_role_policy", "deploy"]),
        ("resource", ["aws_eks_access_entry", "deploy"]),
        ("resource", ["aws_eks_access_policy_association", "deploy"]),
    ] {
        assert_eq!(
            attribute(block(&access, kind, &labels), "count"),
            expression("var.create_deploy_role ? 1 : 0"),
            "{labels:?}"
        );
    }
    let staging = parse(file(&files, "infra/environments/staging.tfvars"));
    assert_eq!(
        attribute(&staging, "create_deploy_role"),
        hcl::Expression::Bool(true)
    );
    assert_eq!(
        attribute(&staging, "github_environment"),
        hcl::Expression::String("staging".into())
    );
    // Production would own the provider, but it has no role: staging's state creates it.
    assert_eq!(
        attribute(&staging, "create_github_oidc_provider"),
        hcl::Expression::Bool(true)
    );
    let production = parse(file(&files, "infra/environments/production.tfvars"));
    assert_eq!(
        attribute(&production, "create_deploy_role"),
        hcl::Expression::Bool(false)
    );
    for key in [
        "github_repository",
        "github_environment",
        "deploy_namespaces",
        "create_github_oidc_provider",
    ] {
        assert!(
            production
                .attributes()
                .all(|attribute| attribute.key() != key),
            "{key}"
        );
    }
    // What the account and the repository share stays with production's state.
    assert_eq!(
        attribute(&production, "manage_branch_protection"),
        hcl::Expression::Bool(true)
    );
    let variables = parse(file(&files, "infra/variables.tf"));
    for name in [
        "github_repository",
        "github_environment",
        "deploy_namespaces",
        "create_github_oidc_provider",
    ] {
        block(&variables, "variable", &[name])
            .attributes()
            .find(|attribute| attribute.key() == "default")
            .unwrap_or_else(|| panic!("{name} has no default"));
    }
    let outputs = parse(file(&files, "infra/outputs.tf"));
    assert_eq!(
        attribute(block(&outputs, "output", &["deploy_role_arn"]), "value"),
        expression("one(aws_iam_role.deploy[*].arn)")
    );
    let steps = how_to_apply(&design).unwrap();
    assert!(
        steps.contains("The apply of each environment CI deploys to creates its deploy role"),
        "{steps}"
    );
    assert!(
        steps.contains("`production` is delivered by Argo CD from inside the cluster"),
        "{steps}"
    );
    assert!(
        steps.contains("The staging environment's apply creates GitHub's OIDC provider"),
        "{steps}"
    );
    // The workflows assume the role for staging only.
    let bundle = crate::generate(&design);
    let deploy = &bundle
        .file(".github/workflows/deploy.yml")
        .unwrap()
        .contents;
    let workflow: serde_json::Value = serde_norway::from_str(deploy).unwrap();
    let mut assumed = Vec::new();
    for job in workflow["jobs"].as_object().unwrap().values() {
        let assumes = job["steps"].as_array().is_some_and(|steps| {
            steps
                .iter()
                .any(|step| step["with"]["role-to-assume"].is_string())
        });
        if assumes {
            assumed.push(job["environment"]["name"].as_str().unwrap().to_owned());
        }
    }
    assert!(!assumed.is_empty());
    assert!(assumed.iter().all(|env| env == "staging"), "{assumed:?}");
    let readme = &bundle.file("README.md").unwrap().contents;
    let production_line = readme
        .lines()
        .find(|line| line.starts_with("- `production`:"))
        .unwrap();
    assert!(
        !production_line.contains(ROLE_VARIABLE),
        "{production_line}"
    );
}

/// Every environment's tfvars says whether it gets a deploy role, for every preset: those CI
/// deploys to, and no GitOps one.
#[test]
fn the_tfvars_give_a_deploy_role_exactly_to_the_environments_ci_deploys_to() {
    for preset in crate::presets::all() {
        let design = (preset.build)();
        if !crate::facts::cloud::keyless(&design) {
            continue;
        }
        let files = generate(&design);
        let slugs = crate::facts::cloud::environment_slugs(&design);
        let mut owners = 0;
        for (environment, slug) in design.environments.iter().zip(slugs) {
            let values = parse(file(&files, &format!("infra/environments/{slug}.tfvars")));
            assert_eq!(
                attribute(&values, "create_deploy_role"),
                hcl::Expression::Bool(!environment.gitops()),
                "{} {slug}",
                preset.id
            );
            if values.attributes().any(|a| {
                a.key() == "create_github_oidc_provider" && *a.expr() == hcl::Expression::Bool(true)
            }) {
                owners += 1;
            }
        }
        assert_eq!(owners, 1, "{}", preset.id);
    }
}

#[test]
fn a_keyless_ecr_push_gets_a_role_trusted_by_the_image_branches_alone() {
    let design = with_ecr("web-api-worker");
    assert!(crate::facts::cloud::keyless(&design));
    let files = generate(&design);
    let push = parse(file(&files, "infra/image_push.tf"));
    // The deploys' file already holds GitHub's OIDC provider: one per account.
    assert!(!file(&files, "infra/image_push.tf")
        .contents
        .contains("aws_iam_openid_connect_provider"));
    let trust = block(
        &push,
        "data",
        &["aws_iam_policy_document", "image_push_trust"],
    );
    let statement = block(trust, "statement", &[]);
    let subject = statement
        .blocks()
        .filter(|block| block.identifier() == "condition")
        .find(|condition| {
            attribute(condition.body(), "variable")
                == hcl::Expression::String("token.actions.githubusercontent.com:sub".into())
        })
        .expect("a sub condition");
    assert_eq!(
        attribute(subject.body(), "values"),
        expression(
            r#"[for branch in var.image_push_branches : "repo:${var.github_repository}:ref:refs/heads/${branch}"]"#
        )
    );
    let role = block(&push, "resource", &["aws_iam_role", "image_push"]);
    assert_eq!(
        attribute(role, "count"),
        expression("length(var.image_repositories) > 0 ? 1 : 0")
    );
    let rights = file(&files, "infra/image_push.tf").contents.clone();
    assert!(rights.contains("aws_ecr_repository.service : repository.arn"));
    assert!(rights.contains("\"ecr:PutImage\""));
    assert!(!rights.contains("ecr:Delete") && !rights.contains("ecr:*"));

    // The branches are the ones CI pushes images for; every environment names them.
    let production = parse(file(&files, "infra/environments/production.tfvars"));
    assert_eq!(
        strings_of(attribute(&production, "image_push_branches")),
        crate::generate::actions::jobs::image_branches(&design)
    );
    // The deploy roles read those repositories, by ARN.
    let staging = parse(file(&files, "infra/environments/staging.tfvars"));
    assert_eq!(
        strings_of(attribute(&staging, "image_repository_arns"))[0],
        "arn:aws:ecr:eu-west-1:123456789012:repository/acme/shop/web"
    );
    let access = parse(file(&files, "infra/deploy_access.tf"));
    block(
        &access,
        "resource",
        &["aws_iam_role_policy", "deploy_images"],
    );

    // The workflow reads the role from the variable the output's description names.
    let outputs = file(&files, "infra/outputs.tf").contents.clone();
    assert!(outputs.contains("output \"image_push_role_arn\""));
    assert!(outputs.contains(crate::facts::cloud::PUSH_ROLE_VARIABLE));
    let ci = crate::generate(&design)
        .file(crate::generate::actions::ci::PATH)
        .unwrap()
        .contents
        .clone();
    assert!(ci.contains(&format!(
        "role-to-assume: \"${{{{ vars.{} }}}}\"",
        crate::facts::cloud::PUSH_ROLE_VARIABLE
    )));
    assert!(how_to_apply(&design)
        .unwrap()
        .contains(crate::facts::cloud::PUSH_ROLE_VARIABLE));
}

#[test]
fn a_keyless_ecr_push_without_eks_brings_the_oidc_provider() {
    let mut design = with_ecr("web-api-worker");
    design.infrastructure.eks.enabled = false;
    let files = generate(&design);
    assert!(!paths(&files).contains(&"infra/deploy_access.tf"));
    let push = file(&files, "infra/image_push.tf").contents.clone();
    assert!(push.contains("resource \"aws_iam_openid_connect_provider\" \"github\""));
    // The deploys reach their clusters with a KUBECONFIG secret: each environment's image read
    // role, trusted through the same provider, lets them read the images.
    assert_eq!(
        attribute(
            block(
                &parse(file(&files, "infra/image_push.tf")),
                "resource",
                &["aws_iam_openid_connect_provider", "github"]
            ),
            "count"
        ),
        expression("(length(var.image_repositories) > 0 || var.create_image_read_role) && var.create_github_oidc_provider ? 1 : 0")
    );
    let production = parse(file(&files, "infra/environments/production.tfvars"));
    assert_eq!(
        attribute(&production, "create_github_oidc_provider"),
        hcl::Expression::Bool(true)
    );
    for slug in ["staging", "production"] {
        let values = parse(file(&files, &format!("infra/environments/{slug}.tfvars")));
        assert_eq!(
            attribute(&values, "create_image_read_role"),
            hcl::Expression::Bool(true),
            "{slug}"
        );
        assert_eq!(
            attribute(&values, "github_environment"),
            hcl::Expression::String(slug.into())
        );
        assert_eq!(
            strings_of(attribute(&values, "image_repository_arns")).len(),
            3
        );
        // The other states read the provider the production state creates.
        assert!(values
            .attributes()
            .any(|attribute| attribute.key() == "create_github_oidc_provider"));
    }
    assert!(how_to_apply(&design).unwrap().contains(": apply it first"));

    // Static registry secrets keep the Terraform free of roles.
    design.pipeline.cloud_auth = crate::model::CloudAuth::KubeconfigSecret;
    let files = generate(&design);
    assert!(!paths(&files).contains(&"infra/image_push.tf"));
}

/// Keyless ECR pushes with production delivered by Argo CD: production's state has no deploy
/// role but owns the image repositories, so it still reads GitHub's OIDC provider for the image
/// push role, and staging's state, the one with a deploy role, creates it.
#[test]
fn a_gitops_production_that_owns_the_image_repositories_still_trusts_github() {
    let mut design = with_ecr("web-api-worker");
    for env in &mut design.environments {
        if env.tier == EnvironmentTier::Production {
            env.delivery = crate::model::Delivery::Gitops;
        }
    }
    let files = generate(&design);
    let access = parse(file(&files, "infra/deploy_access.tf"));
    assert_eq!(
        attribute(
            block(&access, "data", &["aws_iam_openid_connect_provider", "github"]),
            "count"
        ),
        expression("(var.create_deploy_role || length(var.image_repositories) > 0 || var.create_image_read_role) && !var.create_github_oidc_provider ? 1 : 0")
    );
    let production = parse(file(&files, "infra/environments/production.tfvars"));
    assert_eq!(
        attribute(&production, "create_deploy_role"),
        hcl::Expression::Bool(false)
    );
    assert_eq!(
        attribute(&production, "create_github_oidc_provider"),
        hcl::Expression::Bool(false)
    );
    assert_eq!(
        attribute(&production, "github_repository"),
        hcl::Expression::String(design.repository.slug.clone())
    );
    // Its promotion reads the images with production's image read role, staging's deploy with
    // the deploy role.
    assert_eq!(
        attribute(&production, "create_image_read_role"),
        hcl::Expression::Bool(true)
    );
    assert_eq!(
        strings_of(attribute(&production, "image_repository_arns")).len(),
        3
    );
    let staging = parse(file(&files, "infra/environments/staging.tfvars"));
    assert_eq!(
        attribute(&staging, "create_github_oidc_provider"),
        hcl::Expression::Bool(true)
    );
    assert_eq!(
        attribute(&staging, "create_image_read_role"),
        hcl::Expression::Bool(false)
    );
    assert!(!strings_of(attribute(&staging, "image_repository_arns")).is_empty());
}

/// The deploy jobs that read a keyless Amazon ECR without a deploy role (here go-service's
/// GitOps promotions) get an image read role in their environment's state: trusted by that
/// environment's jobs alone, allowed to log in and pull the services' images, nothing else.
#[test]
fn a_promotion_reading_ecr_gets_a_read_only_role_trusted_by_its_environment() {
    let design = with_ecr("go-service");
    assert!(design.environments.iter().all(|env| env.gitops()));
    let files = generate(&design);
    assert!(!paths(&files).contains(&"infra/deploy_access.tf"));
    let read = parse(file(&files, "infra/image_read.tf"));
    let trust = block(
        &read,
        "data",
        &["aws_iam_policy_document", "image_read_trust"],
    );
    let statement = block(trust, "statement", &[]);
    let claims: Vec<(hcl::Expression, hcl::Expression)> = statement
        .blocks()
        .filter(|block| block.identifier() == "condition")
        .map(|condition| {
            (
                attribute(condition.body(), "variable"),
                attribute(condition.body(), "values"),
            )
        })
        .collect();
    assert_eq!(
        claims,
        [
            (
                hcl::Expression::String("token.actions.githubusercontent.com:aud".into()),
                expression(r#"["sts.amazonaws.com"]"#)
            ),
            (
                hcl::Expression::String("token.actions.githubusercontent.com:sub".into()),
                expression(
                    r#"["repo:${var.github_repository}:environment:${var.github_environment}"]"#
                )
            ),
        ]
    );
    let role = block(&read, "resource", &["aws_iam_role", "image_read"]);
    assert_eq!(
        attribute(role, "count"),
        expression("var.create_image_read_role ? 1 : 0")
    );
    assert_eq!(
        attribute(role, "name"),
        expression(r#""${local.name}-image-read""#)
    );
    let rights = block(&read, "data", &["aws_iam_policy_document", "image_read"]);
    let statements: Vec<(Vec<String>, hcl::Expression)> = rights
        .blocks()
        .map(|statement| {
            (
                strings_of(attribute(statement.body(), "actions")),
                attribute(statement.body(), "resources"),
            )
        })
        .collect();
    assert_eq!(
        statements,
        [
            (
                vec!["ecr:GetAuthorizationToken".to_owned()],
                expression(r#"["*"]"#)
            ),
            (
                super::access::ECR_READ.map(str::to_owned).to_vec(),
                expression("var.image_repository_arns")
            ),
        ]
    );
    // The provider sits with the image push role, which this design's only role file before.
    assert!(file(&files, "infra/image_push.tf")
        .contents
        .contains("var.create_image_read_role) && var.create_github_oidc_provider"));
    let mut owners = 0;
    for slug in ["staging", "production"] {
        let values = parse(file(&files, &format!("infra/environments/{slug}.tfvars")));
        assert_eq!(
            attribute(&values, "create_image_read_role"),
            hcl::Expression::Bool(true)
        );
        assert_eq!(
            attribute(&values, "github_environment"),
            hcl::Expression::String(slug.into())
        );
        assert_eq!(
            strings_of(attribute(&values, "image_repository_arns")),
            ["arn:aws:ecr:eu-west-1:123456789012:repository/acme/go-service"]
        );
        if attribute(&values, "create_github_oidc_provider") == hcl::Expression::Bool(true) {
            owners += 1;
        }
    }
    assert_eq!(owners, 1);
    // The ARN reaches the workflow through the variable the output and the README name.
    let outputs = file(&files, "infra/outputs.tf").contents.clone();
    assert!(outputs.contains("output \"image_read_role_arn\""));
    assert!(outputs.contains(crate::facts::cloud::READ_ROLE_VARIABLE));
    let readme = how_to_apply(&design).unwrap();
    assert!(readme.contains("image_read_role_arn"), "{readme}");
    assert!(readme.contains(crate::facts::cloud::READ_ROLE_VARIABLE));

    // GHCR: the promotions read with GitHub's token, and no state gets an image read role.
    let files = generate(&preset("go-service"));
    assert!(!paths(&files).contains(&"infra/image_read.tf"));
    assert!(!file(&files, "infra/variables.tf")
        .contents
        .contains("create_image_read_role"));
}
