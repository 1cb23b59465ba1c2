use serde::{Deserialize, Serialize};

/// Infrastructure as code (Terraform on AWS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Infrastructure {
    pub enabled: bool,
    pub region: String,
    /// `required_version` constraint; `use_lockfile` needs 1.10 (docs/defaults.md#a17-terraform).
    pub terraform_version: String,
    pub state: StateBackend,
    pub vpc: VpcModule,
    pub eks: EksModule,
    pub rds: RdsModule,
    pub redis: RedisModule,
}

impl Default for Infrastructure {
    fn default() -> Self {
        Infrastructure {
            enabled: true,
            region: "us-east-1".to_owned(),
            // `use_lockfile` (the default lock) needs Terraform 1.10 (TF-003).
            terraform_version: ">= 1.10".to_owned(),
            state: StateBackend::default(),
            vpc: VpcModule::default(),
            eks: EksModule::default(),
            rds: RdsModule::default(),
            redis: RedisModule::default(),
        }
    }
}

/// Remote state with locking; the per-environment key comes from `-backend-config` files
/// because a backend block cannot read variables (VALID-015).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StateBackend {
    pub bucket: String,
    pub region: String,
    /// S3-native lock file (`use_lockfile`), which supersedes DynamoDB locking (A17).
    pub use_lockfile: bool,
    /// DynamoDB lock table, for Terraform older than 1.10.
    pub dynamodb_table: String,
    pub encrypt: bool,
}

impl Default for StateBackend {
    fn default() -> Self {
        StateBackend {
            bucket: "terraform-state".to_owned(),
            region: "us-east-1".to_owned(),
            use_lockfile: true,
            dynamodb_table: String::new(),
            encrypt: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VpcModule {
    pub enabled: bool,
    pub cidr: String,
    pub availability_zones: u32,
}

impl Default for VpcModule {
    fn default() -> Self {
        VpcModule {
            enabled: true,
            cidr: "10.0.0.0/16".to_owned(),
            availability_zones: 3,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EksModule {
    pub enabled: bool,
    pub cluster_version: String,
    pub instance_type: String,
    pub min_nodes: u32,
    pub max_nodes: u32,
}

impl Default for EksModule {
    fn default() -> Self {
        EksModule {
            enabled: true,
            cluster_version: "1.31".to_owned(),
            instance_type: "t3.medium".to_owned(),
            min_nodes: 2,
            max_nodes: 6,
        }
    }
}

/// RDS defaults (docs/defaults.md#terraform), with a non-reserved username (VALID-013).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RdsModule {
    pub enabled: bool,
    pub engine_version: String,
    pub instance_class: String,
    pub allocated_storage_gb: u32,
    pub username: String,
    pub backup_retention_days: u32,
    /// `storage_encrypted` (TF-011).
    pub storage_encrypted: bool,
    /// Keep a final snapshot on destroy (`skip_final_snapshot = false`, TF-010).
    pub final_snapshot: bool,
    /// Production runs a standby in a second availability zone (TF-012).
    pub multi_az: bool,
    /// The `rds.force_ssl = 1` parameter: clients must use TLS (READY-005).
    pub force_ssl: bool,
}

impl Default for RdsModule {
    fn default() -> Self {
        RdsModule {
            enabled: true,
            engine_version: "16.4".to_owned(),
            instance_class: "db.t3.micro".to_owned(),
            allocated_storage_gb: 20,
            username: "app_admin".to_owned(),
            backup_retention_days: 7,
            storage_encrypted: true,
            final_snapshot: true,
            multi_az: true,
            force_ssl: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RedisModule {
    pub enabled: bool,
    pub node_type: String,
    /// Nodes in the replication group (production wants at least 2, VALID-019).
    pub nodes: u32,
    /// `at_rest_encryption_enabled` (TF-011).
    pub at_rest_encryption: bool,
    /// `transit_encryption_enabled`: clients must use TLS (READY-005).
    pub transit_encryption: bool,
}

impl Default for RedisModule {
    fn default() -> Self {
        RedisModule {
            enabled: false,
            node_type: "cache.t3.micro".to_owned(),
            nodes: 2,
            at_rest_encryption: true,
            transit_encryption: true,
        }
    }
}
