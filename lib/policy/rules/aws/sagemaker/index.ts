import type { Rule } from '../../../rule';
import endpointConfigVolumeKms from './endpoint-config-volume-kms';
import modelNetworkIsolation from './model-network-isolation';
import modelInVpc from './model-in-vpc';
import endpointConfigDataCapture from './endpoint-config-data-capture';
import monitoringJobIsolationInTransit from './monitoring-job-isolation-in-transit';
import monitoringJobKms from './monitoring-job-kms';
import notebookNoDirectInternet from './notebook-no-direct-internet';
import modelPackageGroupPolicyScoped from './model-package-group-policy-scoped';
import modelPackageGroupInventoryTags from './model-package-group-inventory-tags';
import endpointGuardedDeployment from './endpoint-guarded-deployment';
import rollbackAlarmsScoped from './rollback-alarms-scoped';
import endpointConfigMinInstances from './endpoint-config-min-instances';
import modelImagePinned from './model-image-pinned';
import endpointDriftMonitoring from './endpoint-drift-monitoring';
import modelCardRiskAndKey from './model-card-risk-and-key';

/** The SAGEMAKER rules. */
export const SAGEMAKER_RULES: Rule[] = [
  endpointConfigVolumeKms,
  modelNetworkIsolation,
  modelInVpc,
  endpointConfigDataCapture,
  monitoringJobIsolationInTransit,
  monitoringJobKms,
  notebookNoDirectInternet,
  modelPackageGroupPolicyScoped,
  modelPackageGroupInventoryTags,
  endpointGuardedDeployment,
  rollbackAlarmsScoped,
  endpointConfigMinInstances,
  modelImagePinned,
  endpointDriftMonitoring,
  modelCardRiskAndKey,
];
