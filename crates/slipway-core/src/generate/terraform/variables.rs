//! `variables.tf` (typed, described, validated inputs) and `outputs.tf`.

use super::plan::Plan;
use crate::formats::hcl::{code, file, string, BlockWriter, Expression};

/// One `variable` block.
struct Variable {
    name: &'static str,
    kind: &'static str,
    description: &'static str,
    sensitive: bool,
    default: Option<&'static str>,
    validations: Vec<(&'static str, &'static str)>,
}

impl Variable {
    fn new(name: &'static str, kind: &'static str, description: &'static str) -> Self {
        Variable {
            name,
            kind,
            description,
            sensitive: false,
            default: None,
            validations: Vec::new(),
        }
    }

    /// A default, for a variable only some environments set.
    fn default(mut self, value: &'static str) -> Self {
        self.default = Some(value);
        self
    }

    fn check(mut self, condition: &'static str, error_message: &'static str) -> Self {
        self.validations.push((condition, error_message));
        self
    }

    fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    fn render(self) -> String {
        let mut block = BlockWriter::new("variable", &[self.name])
            .attr("description", string(self.description))
            .attr("type", code(self.kind))
            .attr("nullable", Expression::Bool(false));
        if let Some(value) = self.default {
            block = block.attr("default", code(value));
        }
        if self.sensitive {
            block = block.noted(
                "sensitive",
                Expression::Bool(true),
                "No default and never in a tfvars file: set TF_VAR_<name> from a CI secret (TF-008).",
            );
        }
        for (condition, error_message) in self.validations {
            block = block.block(
                BlockWriter::new("validation", &[])
                    .attr("condition", code(condition))
                    .attr("error_message", string(error_message)),
            );
        }
        block.render()
    }
}

pub fn variables_tf(plan: &Plan) -> String {
    let mut variables = vec![
        Variable::new("project", "string", "Project slug, the first part of every resource name.")
            .check(
                r#"can(regex("^[a-z][a-z0-9-]{0,15}$", var.project))"#,
                "Use 1-16 lowercase letters, digits and hyphens, starting with a letter.",
            ),
        Variable::new(
            "environment",
            "string",
            "Environment slug (staging, production, ...), the second part of every resource name.",
        )
        .check(
            r#"can(regex("^[a-z][a-z0-9-]{0,11}$", var.environment))"#,
            "Use 1-12 lowercase letters, digits and hyphens, starting with a letter.",
        ),
        Variable::new("region", "string", "AWS region every resource is created in.").check(
            r#"can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))"#,
            "Use an AWS region name such as us-east-1.",
        ),
        Variable::new(
            "multi_az",
            "bool",
            "Spread the database, the cache and NAT across availability zones with automatic failover (production, TF-012).",
        ),
        Variable::new(
            "deletion_protection",
            "bool",
            "Refuse to delete stateful resources (production).",
        ),
    ];
    if plan.vpc {
        variables.extend([
            Variable::new("vpc_cidr", "string", "Address range of the VPC (TF-006).")
                .check(
                    "can(cidrnetmask(var.vpc_cidr))",
                    "Use an IPv4 CIDR block such as 10.0.0.0/16.",
                )
                .check(
                    r#"try(tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 20, false)"#,
                    "AWS allows /16 to /28 VPCs; the subnet layout needs /16 to /20.",
                ),
            Variable::new(
                "availability_zones",
                "number",
                "How many availability zones the subnets span.",
            )
            .check(
                "var.availability_zones >= 2 && var.availability_zones <= 6 && floor(var.availability_zones) == var.availability_zones",
                "Use 2 to 6 zones: RDS subnet groups and EKS need at least two (TF-012).",
            ),
        ]);
    }
    if plan.eks {
        variables.extend([
            Variable::new("eks_cluster_version", "string", "Kubernetes version of the EKS control plane.")
                .check(
                    r#"can(regex("^1\\.[0-9]+$", var.eks_cluster_version))"#,
                    "Use a Kubernetes minor version such as 1.31.",
                ),
            Variable::new("eks_instance_type", "string", "EC2 instance type of the worker nodes.")
                .check(
                    r#"can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.eks_instance_type))"#,
                    "Use an EC2 instance type such as t3.medium.",
                ),
            Variable::new("eks_min_nodes", "number", "Fewest worker nodes the node group runs.")
                .check(
                    "var.eks_min_nodes >= 1 && floor(var.eks_min_nodes) == var.eks_min_nodes",
                    "Run at least one node.",
                ),
            Variable::new("eks_max_nodes", "number", "Most worker nodes the node group scales to.")
                .check(
                    "var.eks_max_nodes >= 1 && var.eks_max_nodes <= 100 && floor(var.eks_max_nodes) == var.eks_max_nodes",
                    "Use 1 to 100 nodes (and no fewer than eks_min_nodes).",
                ),
            Variable::new(
                "eks_public_access_cidrs",
                "list(string)",
                "Address ranges allowed to reach the Kubernetes API endpoint.",
            )
            .check(
                "length(var.eks_public_access_cidrs) > 0 && alltrue([for cidr in var.eks_public_access_cidrs : can(cidrnetmask(cidr))])",
                "List at least one IPv4 CIDR block.",
            ),
        ]);
    }
    if plan.rds {
        variables.extend([
            Variable::new("db_engine_version", "string", "PostgreSQL version, major or major.minor.")
                .check(
                    r#"can(regex("^[0-9]+(\\.[0-9]+)?$", var.db_engine_version))"#,
                    "Use a PostgreSQL version such as 16 or 16.4.",
                ),
            Variable::new("db_instance_class", "string", "RDS instance class of the database.")
                .check(
                    r#"can(regex("^db\\.[a-z0-9-]+\\.[a-z0-9]+$", var.db_instance_class))"#,
                    "Use an RDS instance class such as db.t3.micro.",
                ),
            Variable::new(
                "db_allocated_storage",
                "number",
                "Initial storage in GiB; autoscaling may grow it to five times this.",
            )
            .check(
                "var.db_allocated_storage >= 20 && var.db_allocated_storage <= 13107",
                "Use 20 to 13107 GiB (five times it must stay within the 65536 GiB RDS limit).",
            ),
            Variable::new("db_username", "string", "Master user name of the database.")
                .check(
                    r#"can(regex("^[a-zA-Z][a-zA-Z0-9_]{0,62}$", var.db_username))"#,
                    "Start with a letter; use up to 63 letters, digits and underscores.",
                )
                .check(
                    r#"!contains(["admin", "rdsadmin", "postgres"], lower(var.db_username)) && !startswith(lower(var.db_username), "pg_") && !startswith(lower(var.db_username), "rds")"#,
                    "That name is reserved by PostgreSQL on RDS (VALID-013); app_admin works.",
                ),
            Variable::new(
                "db_backup_retention_days",
                "number",
                "Days of automated backups and point-in-time recovery (TF-009 asks for at least 7).",
            )
            .check(
                "var.db_backup_retention_days >= 1 && var.db_backup_retention_days <= 35",
                "RDS keeps automated backups for 1 to 35 days.",
            ),
        ]);
    }
    if plan.redis {
        variables.extend([
            Variable::new("redis_node_type", "string", "ElastiCache node type of the Redis nodes.")
                .check(
                    r#"can(regex("^cache\\.[a-z0-9-]+\\.[a-z0-9]+$", var.redis_node_type))"#,
                    "Use an ElastiCache node type such as cache.t3.micro.",
                ),
            Variable::new(
                "redis_node_count",
                "number",
                "Nodes in the replication group: one primary plus replicas; two or more enable failover.",
            )
            .check(
                "var.redis_node_count >= 1 && var.redis_node_count <= 6 && floor(var.redis_node_count) == var.redis_node_count",
                "Use 1 to 6 nodes.",
            ),
            Variable::new(
                "redis_auth_token",
                "string",
                "AUTH token clients present to Redis over TLS.",
            )
            .sensitive()
            .check(
                r#"length(var.redis_auth_token) >= 16 && length(var.redis_auth_token) <= 128 && can(regex("^[!#-.0-?A-~]+$", var.redis_auth_token))"#,
                "Use 16 to 128 printable characters without spaces, \", / or @.",
            ),
        ]);
    }
    if plan.images.is_some() {
        variables.extend([
            Variable::new(
                "image_registry_region",
                "string",
                "AWS region of the ECR registry CI pushes images to.",
            )
            .check(
                r#"can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.image_registry_region))"#,
                "Use an AWS region name such as eu-west-1.",
            ),
            Variable::new(
                "image_repositories",
                "set(string)",
                "ECR repositories CI pushes service images to; empty in every environment but the one whose state owns them.",
            )
            .check(
                r#"alltrue([for name in var.image_repositories : length(name) >= 2 && length(name) <= 256 && can(regex("^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$", name))])"#,
                "ECR repository names are 2-256 lowercase letters, digits and single . _ - separators, in /-separated parts.",
            ),
        ]);
    }
    if plan.keyless || plan.keyless_registry {
        variables.push(
            Variable::new(
                "github_repository",
                "string",
                if plan.image_reads {
                    "OWNER/REPO of the repository whose jobs may assume the image push role, the deploy role or the image read role."
                } else if plan.keyless {
                    "OWNER/REPO of the repository whose jobs may assume the deploy role or the image push role; empty in a state that has neither."
                } else {
                    "OWNER/REPO of the repository whose image pushes may assume the image push role."
                },
            )
            .default(r#""""#)
            .check(
                r#"var.github_repository == "" || can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))"#,
                "Use the repository as OWNER/REPO.",
            ),
        );
    }
    if plan.keyless {
        variables.push(Variable::new(
            "create_deploy_role",
            "bool",
            "Whether CI deploys to this environment itself and needs its deploy role; false where Argo CD delivers (GitOps).",
        ));
    }
    if plan.keyless || plan.image_reads {
        let description = match (plan.keyless, plan.image_reads) {
            (true, false) => "GitHub environment whose deploy jobs may assume the deploy role (environments with a deploy role).",
            (false, _) => "GitHub environment whose deploy jobs may assume the image read role (environments with an image read role).",
            (true, true) => "GitHub environment whose deploy jobs may assume the deploy role or the image read role (environments with either).",
        };
        variables.push(
            Variable::new("github_environment", "string", description)
                .default(r#""""#)
                .check(
                    "length(var.github_environment) <= 255",
                    "Use the GitHub environment's name (1-255 characters).",
                ),
        );
    }
    if plan.keyless {
        variables.extend([
            Variable::new("deploy_namespaces", "list(string)", "Kubernetes namespaces the deploy role may edit (environments with a deploy role).")
                .default("[]")
                .check(
                    r#"alltrue([for name in var.deploy_namespaces : can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", name))])"#,
                    "List namespace names (DNS-1123 labels).",
                ),
        ]);
    }
    if plan.keyless_registry {
        variables.push(
            Variable::new(
                "image_push_branches",
                "list(string)",
                "Branches whose workflow runs may assume the image push role (CI pushes images for them).",
            )
            .check(
                r#"length(var.image_push_branches) > 0 && alltrue([for branch in var.image_push_branches : can(regex("^[A-Za-z0-9._/-]+$", branch))])"#,
                "List at least one branch name.",
            ),
        );
        if plan.image_reads {
            variables.push(Variable::new(
                "create_image_read_role",
                "bool",
                "Whether a deploy job of this environment reads the registry without a deploy role (a GitOps promotion, a deploy with a KUBECONFIG secret) and needs its image read role.",
            ));
        }
        if plan.keyless || plan.image_reads {
            variables.push(
                Variable::new(
                    "image_repository_arns",
                    "list(string)",
                    match (plan.keyless, plan.image_reads) {
                        (true, false) => "ECR repositories the deploy role may read images from (environments with a deploy role).",
                        (false, _) => "ECR repositories the image read role may read images from (environments with an image read role).",
                        (true, true) => "ECR repositories the deploy role or the image read role may read images from (environments with either).",
                    },
                )
                .default("[]")
                .check(
                    r#"alltrue([for arn in var.image_repository_arns : can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/.+$", arn))])"#,
                    "Use ECR repository ARNs (arn:aws:ecr:REGION:ACCOUNT:repository/NAME).",
                ),
            );
        }
    }
    if plan.keyless || plan.keyless_registry {
        variables.push(
            Variable::new(
                "create_github_oidc_provider",
                "bool",
                "Whether this environment's state creates GitHub's OIDC provider (one per AWS account).",
            )
            .default("false"),
        );
    }
    if plan.branch_protection {
        variables.push(Variable::new(
            "manage_branch_protection",
            "bool",
            "Whether this environment's state manages the repository's branch protection (exactly one should).",
        ));
    }
    let sections: Vec<String> = variables.into_iter().map(Variable::render).collect();
    file(
        &[
            "Inputs of the configuration. Every environment sets them in environments/<env>.tfvars;",
            "secrets come from TF_VAR_<name> environment variables instead.",
        ],
        &sections,
    )
}

/// One `output` block.
fn output(
    name: &'static str,
    description: &'static str,
    value: &'static str,
    sensitive: bool,
) -> String {
    let mut block = BlockWriter::new("output", &[name])
        .attr("description", string(description))
        .attr("value", code(value));
    if sensitive {
        block = block.attr("sensitive", Expression::Bool(true));
    }
    block.render()
}

pub fn outputs_tf(plan: &Plan) -> String {
    let mut sections = Vec::new();
    if plan.vpc {
        sections.push(output(
            "vpc_id",
            "ID of the VPC.",
            "module.vpc.vpc_id",
            false,
        ));
        sections.push(output(
            "private_subnet_ids",
            "Private subnets, for workloads that need to reach the data stores.",
            "module.vpc.private_subnets",
            false,
        ));
    }
    if plan.eks {
        sections.push(output(
            "cluster_name",
            "Name of the EKS cluster.",
            "module.eks.cluster_name",
            false,
        ));
        sections.push(output(
            "cluster_endpoint",
            "Kubernetes API endpoint of the cluster.",
            "module.eks.cluster_endpoint",
            false,
        ));
        sections.push(output(
            "configure_kubectl",
            "Command that adds the cluster to your kubeconfig.",
            r#""aws eks update-kubeconfig --region ${var.region} --name ${module.eks.cluster_name}""#,
            false,
        ));
    }
    if plan.rds {
        sections.push(output(
            "database_endpoint",
            "host:port of the database; sensitive so internal addresses stay out of CI logs.",
            "module.rds.db_instance_endpoint",
            true,
        ));
        sections.push(output(
            "database_master_secret_arn",
            "Secrets Manager secret that holds the master credentials (for External Secrets).",
            "module.rds.db_instance_master_user_secret_arn",
            true,
        ));
    }
    if plan.redis {
        sections.push(output(
            "redis_primary_endpoint",
            "Primary endpoint of Redis (TLS on port 6379); sensitive so it stays out of CI logs.",
            "module.redis.replication_group_primary_endpoint_address",
            true,
        ));
    }
    if plan.images.is_some() {
        sections.push(output(
            "image_repository_urls",
            "URL of each image repository, by name: what CI pushes to and the clusters pull from.",
            "{ for name, repository in aws_ecr_repository.service : name => repository.repository_url }",
            false,
        ));
    }
    if plan.keyless_registry {
        sections.push(output(
            "image_push_role_arn",
            "Role CI's build assumes with GitHub's OIDC token to push images: the AWS_IMAGE_PUSH_ROLE_ARN repository variable (null in the environments that do not own the repositories).",
            "one(aws_iam_role.image_push[*].arn)",
            false,
        ));
    }
    if plan.image_reads {
        sections.push(output(
            "image_read_role_arn",
            "Role the deploy jobs that hold no deploy role (GitOps promotions, KUBECONFIG deploys) assume with GitHub's OIDC token to read images: the AWS_IMAGE_READ_ROLE_ARN variable of this GitHub environment. Null where none reads the registry.",
            "one(aws_iam_role.image_read[*].arn)",
            false,
        ));
    }
    if plan.keyless {
        sections.push(output(
            "deploy_role_arn",
            "Role the deploy jobs assume with GitHub's OIDC token: the AWS_DEPLOY_ROLE_ARN variable of this GitHub environment. Null where Argo CD delivers (no deploy role).",
            "one(aws_iam_role.deploy[*].arn)",
            false,
        ));
    }
    file(
        &[
            "Values other tools need after an apply: `terraform output -raw <name>`.",
            "Sensitive outputs are hidden in plan and apply logs; read them explicitly.",
        ],
        &sections,
    )
}
