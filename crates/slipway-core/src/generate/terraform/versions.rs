//! Registry module and provider versions. The EKS module's v20 line caps the AWS provider
//! below 6.0, so every pin here is chosen to resolve together.

pub const AWS_PROVIDER: &str = "~> 5.95";
pub const GITHUB_PROVIDER: &str = "~> 6.6";
pub const VPC_MODULE: &str = "5.21.0";
pub const EKS_MODULE: &str = "20.37.2";
pub const RDS_MODULE: &str = "6.10.0";
pub const ELASTICACHE_MODULE: &str = "1.4.1";
