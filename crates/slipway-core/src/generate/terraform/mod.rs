//! Terraform under `infra/`: pinned providers, remote state with locking, the AWS stack from
//! registry modules (VPC, EKS, RDS, ElastiCache: only those the design uses), the ECR
//! repositories CI pushes to when the registry is Amazon ECR, typed variables, outputs, one
//! `.tfvars` and one backend configuration per environment, and the repository's branch
//! protection as code.
//!
//! `main.tf`, `variables.tf` and `outputs.tf` hold no user text at all: everything that comes
//! from the design reaches Terraform as a string literal in a `.tfvars` or backend file (or,
//! for branch protection, in `github.tf`), where it cannot become an expression.

mod access;
mod github;
mod plan;
mod registry;
mod stack;
mod tags;
mod variables;
pub(crate) mod versions;

use crate::bundle::{GeneratedFile, Syntax};
use crate::formats::hcl::{
    attributes, file, number, object, string, strings, BlockWriter, Expression,
};
use crate::model::{Design, EnvironmentTier};
use crate::text::single_line;
use plan::{Plan, Target};

pub fn generate(design: &Design) -> Vec<GeneratedFile> {
    if !design.infrastructure.enabled {
        return Vec::new();
    }
    let plan = Plan::new(design);
    let mut files = vec![
        hcl("infra/versions.tf", versions_tf(&plan)),
        hcl("infra/backend.tf", backend_tf(&plan)),
    ];
    for target in &plan.environments {
        files.push(hcl(
            format!("infra/backend/{}.hcl", target.slug),
            backend_config(&plan, target),
        ));
    }
    files.push(hcl("infra/main.tf", stack::main_tf(&plan)));
    files.push(hcl("infra/variables.tf", variables::variables_tf(&plan)));
    files.push(hcl("infra/outputs.tf", variables::outputs_tf(&plan)));
    if plan.branch_protection {
        files.push(hcl("infra/github.tf", github::github_tf(&plan)));
    }
    if plan.keyless {
        files.push(hcl(
            "infra/deploy_access.tf",
            access::access_tf(plan.keyless_registry, plan.image_reads),
        ));
    }
    if plan.keyless_registry {
        files.push(hcl("infra/image_push.tf", registry::push_tf(&plan)));
    }
    if plan.image_reads {
        files.push(hcl("infra/image_read.tf", registry::read_tf()));
    }
    for target in &plan.environments {
        files.push(hcl(
            format!("infra/environments/{}.tfvars", target.slug),
            tfvars(&plan, target),
        ));
    }
    files
}

/// The README's steps for the Terraform files (Markdown).
pub fn how_to_apply(design: &Design) -> Option<String> {
    let plan = Plan::new(design);
    let mut out = String::from(
        "Create the state bucket once (versioned, encrypted, public access blocked). Then, for each \
         environment, select its state and plan with its values (TF-004, TF-007):\n\n```sh\ncd infra\n",
    );
    if plan.redis {
        out.push_str(
            "export TF_VAR_redis_auth_token=...   # from your secret store, never a tfvars file\n",
        );
    }
    if plan.branch_protection {
        out.push_str(
            "export GITHUB_TOKEN=...              # repository admin, for branch protection\n",
        );
    }
    for target in &plan.environments {
        let slug = &target.slug;
        out.push_str(&format!(
            "\n# {slug}\nterraform init -reconfigure -backend-config=backend/{slug}.hcl\n\
             terraform plan -var-file=environments/{slug}.tfvars -out={slug}.tfplan\n\
             terraform apply {slug}.tfplan\n"
        ));
    }
    out.push_str("```\n\nReview every plan before applying it; production's tfvars turn on multi-AZ and deletion protection.");
    // The environment whose apply creates what the account shares.
    let owner = plan
        .environments
        .iter()
        .find(|target| target.owns_shared)
        .map_or("production", |target| target.slug.as_str());
    if plan.keyless {
        let oidc_owner = plan
            .environments
            .iter()
            .find(|target| target.owns_oidc_provider)
            .map_or(owner, |target| target.slug.as_str());
        let gitops: Vec<String> = plan
            .environments
            .iter()
            .filter(|target| !target.deploy_role)
            .map(|target| format!("`{}`", target.slug))
            .collect();
        let (each, none) = if gitops.is_empty() {
            ("Each environment's apply", String::new())
        } else {
            (
                "The apply of each environment CI deploys to",
                format!(
                    " {} {} delivered by Argo CD from inside the cluster, so no CI job reaches {} and {} no deploy role.",
                    gitops.join(", "),
                    if gitops.len() == 1 { "is" } else { "are" },
                    if gitops.len() == 1 { "it" } else { "them" },
                    if gitops.len() == 1 { "it gets" } else { "they get" },
                ),
            )
        };
        out.push_str(&format!(
            " {each} creates its deploy role (`deploy_access.tf`): copy `terraform output -raw deploy_role_arn` into the `{}` variable of the GitHub environment of the same name.{none} The {oidc_owner} environment's apply creates GitHub's OIDC provider, which is one per AWS account: apply it first.",
            crate::facts::cloud::ROLE_VARIABLE
        ));
    }
    if plan.branch_protection {
        out.push_str(
            " Branch protection is applied by the one environment whose tfvars sets `manage_branch_protection = true`.",
        );
    }
    if let Some(images) = &plan.images {
        out.push_str(&format!(
            " The image repositories CI pushes to are created by the {owner} environment's apply, in account {} (`terraform output image_repository_urls`): apply it before the first build pushes.",
            images.account
        ));
        if plan.keyless_registry {
            out.push_str(&format!(
                " The same apply creates the image push role (`image_push.tf`): copy its `terraform output -raw image_push_role_arn` into the `{}` repository variable (Settings → Secrets and variables → Actions → Variables). CI's build and the weekly image scan assume it with GitHub's OIDC token and hold no registry password{}.",
                crate::facts::cloud::PUSH_ROLE_VARIABLE,
                if plan.keyless { "; the deploy roles may read the images" } else { "" }
            ));
            if !plan.keyless {
                out.push_str(&format!(
                    " The {owner} environment's apply creates GitHub's OIDC provider, which is one per AWS account{}.",
                    if plan.image_reads { ": apply it first" } else { "" }
                ));
            }
        }
    }
    if plan.image_reads {
        let readers: Vec<String> = plan
            .environments
            .iter()
            .filter(|target| target.image_read_role)
            .map(|target| format!("`{}`", target.slug))
            .collect();
        out.push_str(&format!(
            " {} image read role (`image_read.tf`), for the deploy jobs that read the registry there without a deploy role (GitOps promotions, deploys with a `KUBECONFIG` secret): copy `terraform output -raw image_read_role_arn` into the `{}` variable of the GitHub environment of the same name. It trusts only that environment's jobs and may only pull the services' images, so no registry password is stored.",
            if readers.len() == 1 {
                format!("The apply of {} creates its", readers[0])
            } else {
                let (last, rest) = readers.split_last().unwrap_or((&readers[0], &[]));
                format!(
                    "The applies of {} and {last} each create their environment's",
                    rest.join(", ")
                )
            },
            crate::facts::cloud::READ_ROLE_VARIABLE
        ));
    }
    if plan.rds {
        out.push_str(
            " RDS keeps the database master password in Secrets Manager (`terraform output database_master_secret_arn`).",
        );
    }
    Some(out)
}

fn hcl(path: impl Into<String>, contents: String) -> GeneratedFile {
    GeneratedFile::new(path, Syntax::Hcl, contents)
}

/// The `required_version` constraint: the design's, tightened to 1.10 when the state uses
/// S3-native locking, which older Terraform does not know.
fn required_version(design: &Design) -> String {
    let declared = single_line(&design.infrastructure.terraform_version);
    let declared = declared.trim();
    if !design.infrastructure.state.use_lockfile || allows_only_1_10_or_later(declared) {
        return declared.to_owned();
    }
    if declared.is_empty() {
        ">= 1.10".to_owned()
    } else {
        format!("{declared}, >= 1.10")
    }
}

fn allows_only_1_10_or_later(constraint: &str) -> bool {
    let Some(version) = constraint.strip_prefix(">=") else {
        return false;
    };
    let mut parts = version.trim().split('.').map(str::parse::<u32>);
    match (parts.next(), parts.next()) {
        (Some(Ok(major)), Some(Ok(minor))) => (major, minor) >= (1, 10),
        (Some(Ok(major)), None) => major >= 2,
        _ => false,
    }
}

fn versions_tf(plan: &Plan) -> String {
    let mut providers = BlockWriter::new("required_providers", &[]).attr(
        "aws",
        provider_requirement("hashicorp/aws", versions::AWS_PROVIDER),
    );
    if plan.branch_protection {
        providers = providers.attr(
            "github",
            provider_requirement("integrations/github", versions::GITHUB_PROVIDER),
        );
    }
    let mut terraform = BlockWriter::new("terraform", &[]);
    terraform = if plan.design.infrastructure.state.use_lockfile {
        terraform.noted(
            "required_version",
            string(&required_version(plan.design)),
            "S3-native state locking (use_lockfile) needs Terraform 1.10 or later.",
        )
    } else {
        terraform.attr("required_version", string(&required_version(plan.design)))
    };
    let terraform = terraform.block(providers);
    file(
        &[
            &format!(
                "Terraform and provider versions for {}, generated by Slipway.",
                single_line(&plan.design.project.name)
            ),
            "Pinned so a new release cannot change what a plan does until someone bumps the",
            "constraint here on purpose (TF-003). Commit .terraform.lock.hcl after `terraform init`.",
        ],
        &[terraform.render()],
    )
}

fn provider_requirement(source: &'static str, version: &'static str) -> Expression {
    object(vec![
        ("source", string(source)),
        ("version", string(version)),
    ])
}

fn backend_tf(plan: &Plan) -> String {
    let state = &plan.design.infrastructure.state;
    let mut backend = BlockWriter::new("backend", &["s3"])
        .attr("bucket", string(&single_line(&state.bucket)))
        .attr("region", string(&single_line(&state.region)))
        .noted(
            "encrypt",
            Expression::Bool(state.encrypt),
            "State holds resource attributes and generated secrets: keep it encrypted at rest (TF-011).",
        );
    if state.use_lockfile {
        backend = backend.noted(
            "use_lockfile",
            Expression::Bool(true),
            "A lock file next to the state stops two applies from running at once (TF-002).",
        );
    }
    let table = single_line(&state.dynamodb_table);
    if !table.trim().is_empty() {
        backend = backend.noted(
            "dynamodb_table",
            string(table.trim()),
            "DynamoDB locking, for Terraform older than 1.10 (TF-002).",
        );
    }
    let mut terraform = BlockWriter::new("terraform", &[]);
    if !state.use_lockfile && table.trim().is_empty() {
        terraform = terraform.comment(
            "The design sets no state locking: two applies at once can corrupt the state (TF-002).",
        );
    }
    let terraform = terraform.block(backend);
    file(
        &[
            "Remote state in S3 (TF-001). A backend block cannot read variables, so the",
            "per-environment state key comes from backend/<env>.hcl:",
            "  terraform init -reconfigure -backend-config=backend/<env>.hcl",
            "(TF-004, VALID-015). The bucket must exist before the first init.",
        ],
        &[terraform.render()],
    )
}

fn backend_config(plan: &Plan, target: &Target) -> String {
    file(
        &[
            &format!(
                "Backend settings for the {} environment: its own state file, so a plan for one",
                single_line(&target.environment.name)
            ),
            "environment can never touch another's resources (TF-004).",
        ],
        &[attributes(vec![(
            "key",
            string(&format!(
                "{}/{}/terraform.tfstate",
                plan.project, target.slug
            )),
            None,
        )])],
    )
}

fn tfvars(plan: &Plan, target: &Target) -> String {
    let infrastructure = &plan.design.infrastructure;
    let production = target.production();
    let mut entries: Vec<(&'static str, Expression, Option<String>)> = vec![
        ("project", string(&plan.project), None),
        ("environment", string(&target.slug), None),
        (
            "region",
            string(single_line(&infrastructure.region).trim()),
            None,
        ),
        (
            "multi_az",
            Expression::Bool(production),
            Some(if production {
                "Production: a standby in a second availability zone for the database and the cache (TF-012).".to_owned()
            } else {
                "Outside production the database and the cache run without a standby: cheaper, no failover.".to_owned()
            }),
        ),
        (
            "deletion_protection",
            Expression::Bool(production),
            Some(if production {
                "Production data cannot be destroyed by a stray apply or destroy.".to_owned()
            } else {
                "Non-production environments can be torn down and rebuilt.".to_owned()
            }),
        ),
    ];
    if plan.vpc {
        entries.push((
            "vpc_cidr",
            string(single_line(&infrastructure.vpc.cidr).trim()),
            None,
        ));
        entries.push((
            "availability_zones",
            number(infrastructure.vpc.availability_zones),
            None,
        ));
    }
    if plan.eks {
        let eks = &infrastructure.eks;
        entries.extend([
            (
                "eks_cluster_version",
                string(single_line(&eks.cluster_version).trim()),
                None,
            ),
            (
                "eks_instance_type",
                string(single_line(&eks.instance_type).trim()),
                None,
            ),
            ("eks_min_nodes", number(eks.min_nodes), None),
            ("eks_max_nodes", number(eks.max_nodes), None),
            (
                "eks_public_access_cidrs",
                strings(["0.0.0.0/0"]),
                Some(
                    "Narrow this to your CI runners' and VPN's ranges when they are fixed."
                        .to_owned(),
                ),
            ),
        ]);
    }
    if plan.rds {
        let rds = &infrastructure.rds;
        entries.extend([
            (
                "db_engine_version",
                string(single_line(&rds.engine_version).trim()),
                None,
            ),
            (
                "db_instance_class",
                string(single_line(&rds.instance_class).trim()),
                None,
            ),
            (
                "db_allocated_storage",
                number(rds.allocated_storage_gb),
                None,
            ),
            (
                "db_username",
                string(single_line(&rds.username).trim()),
                None,
            ),
            (
                "db_backup_retention_days",
                number(rds.backup_retention_days),
                None,
            ),
        ]);
    }
    if plan.redis {
        let redis = &infrastructure.redis;
        entries.extend([
            (
                "redis_node_type",
                string(single_line(&redis.node_type).trim()),
                None,
            ),
            ("redis_node_count", number(redis.nodes), None),
        ]);
    }
    if let Some(images) = &plan.images {
        entries.push((
            "image_registry_region",
            string(&images.region),
            Some(format!(
                "CI pushes images to {}: apply with credentials for account {}.",
                images.host, images.account
            )),
        ));
        entries.push(if target.owns_shared {
            (
                "image_repositories",
                strings(&images.repositories),
                Some(
                    "One repository per pushed image, shared by every environment: this environment's state owns them."
                        .to_owned(),
                ),
            )
        } else {
            (
                "image_repositories",
                strings(Vec::<String>::new()),
                Some(
                    "The image repositories are shared by every environment and owned by another environment's state."
                        .to_owned(),
                ),
            )
        });
    }
    if plan.keyless {
        entries.push(if target.deploy_role {
            (
                "create_deploy_role",
                Expression::Bool(true),
                Some("CI deploys to this environment itself, with the role below.".to_owned()),
            )
        } else {
            (
                "create_deploy_role",
                Expression::Bool(false),
                Some("Argo CD delivers this environment from inside the cluster (GitOps): no CI job reaches it, so it gets no deploy role.".to_owned()),
            )
        });
    }
    if plan.image_reads {
        entries.push(if target.image_read_role {
            (
                "create_image_read_role",
                Expression::Bool(true),
                Some("A deploy job here reads the registry without a deploy role: it assumes the image read role below instead of a registry password.".to_owned()),
            )
        } else {
            (
                "create_image_read_role",
                Expression::Bool(false),
                Some("No deploy job here reads the registry without a deploy role: no image read role.".to_owned()),
            )
        });
    }
    let deploys_here = plan.keyless && target.deploy_role;
    let reads_here = target.image_read_role;
    if deploys_here || plan.keyless_registry {
        entries.push((
            "github_repository",
            string(single_line(&plan.design.repository.slug).trim()),
            Some(if deploys_here {
                "The deploy role trusts this repository's jobs in the environment below only (CONSIST-005).".to_owned()
            } else if reads_here && target.owns_shared {
                "The image push role trusts this repository's pushes to the branches below, and the image read role its jobs in the environment below, only (CONSIST-005).".to_owned()
            } else if reads_here {
                "The image read role trusts this repository's jobs in the environment below only (CONSIST-005).".to_owned()
            } else {
                "The image push role trusts this repository's pushes to the branches below only (CONSIST-005).".to_owned()
            }),
        ));
    }
    if reads_here && !deploys_here {
        entries.push((
            "github_environment",
            string(single_line(&target.environment.name).trim()),
            None,
        ));
    }
    if deploys_here {
        let namespaces = crate::facts::cloud::namespaces(plan.design);
        entries.extend([
            (
                "github_environment",
                string(single_line(&target.environment.name).trim()),
                None,
            ),
            ("deploy_namespaces", strings(namespaces), None),
        ]);
    }
    if let Some(images) = plan.images.as_ref().filter(|_| plan.keyless_registry) {
        entries.push((
            "image_push_branches",
            strings(&images.push_branches),
            Some("CI pushes images for pushes to these branches: the image push role trusts them alone.".to_owned()),
        ));
        if deploys_here || reads_here {
            let arns: Vec<String> = images
                .repositories
                .iter()
                .map(|name| {
                    format!(
                        "arn:aws:ecr:{}:{}:repository/{name}",
                        images.region, images.account
                    )
                })
                .collect();
            entries.push((
                "image_repository_arns",
                strings(arns),
                Some(if deploys_here {
                    "The deploy role may read the images CI pushed there (which exist, their attestations).".to_owned()
                } else {
                    "The image read role may read the images CI pushed there (which exist, their attestations), nothing else.".to_owned()
                }),
            ));
        }
    }
    // Only a state with a role GitHub's jobs assume reads or creates the provider.
    if deploys_here || reads_here || (plan.keyless_registry && target.owns_shared) {
        entries.extend([
            (
                "create_github_oidc_provider",
                Expression::Bool(target.owns_oidc_provider),
                Some(if target.owns_oidc_provider {
                    "GitHub's OIDC provider is one per account: this environment's state creates it.".to_owned()
                } else {
                    "GitHub's OIDC provider is one per account, created by another environment's state (set true if this environment has an account of its own).".to_owned()
                }),
            ),
        ]);
    }
    if plan.branch_protection {
        entries.push((
            "manage_branch_protection",
            Expression::Bool(target.owns_shared),
            Some(if target.owns_shared {
                "Branch protection is repository-wide: this environment's state owns it.".to_owned()
            } else {
                "Branch protection is repository-wide and owned by another environment's state."
                    .to_owned()
            }),
        ));
    }
    let mut header = vec![
        format!(
            "Values for the {} environment ({}).",
            single_line(&target.environment.name),
            match target.environment.tier {
                EnvironmentTier::Production => "production tier",
                EnvironmentTier::Staging => "staging tier",
                EnvironmentTier::Development => "development tier",
            }
        ),
        format!(
            "terraform plan -var-file=environments/{}.tfvars (TF-007).",
            target.slug
        ),
        "No secrets here: they come from TF_VAR_* variables in CI (TF-008, SECRETS-001)."
            .to_owned(),
    ];
    if plan.rds {
        header.push(
            "The database master password is generated and kept in Secrets Manager by RDS."
                .to_owned(),
        );
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    file(&header, &[attributes(entries)])
}

#[cfg(test)]
mod tests;
