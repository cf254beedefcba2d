/**
 * Resource types that hold data, keys or records: deleting or replacing one loses (or, retained, orphans) what
 * it holds, which a replacement or removal in a diff must say.
 */
export const STATEFUL_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
  'AWS::Logs::LogGroup',
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::EFS::FileSystem',
  'AWS::ECR::Repository',
  'AWS::SQS::Queue',
  'AWS::Kinesis::Stream',
  'AWS::SecretsManager::Secret',
  'AWS::Backup::BackupVault',
  'AWS::Cognito::UserPool',
  'AWS::SageMaker::ModelPackageGroup',
  'AWS::SageMaker::FeatureGroup',
  'AWS::SageMaker::ModelCard',
  'AWS::CloudTrail::EventDataStore',
]);
