import type { Rule } from '../../../rule';
import endpointConfigVolumeKms from './endpoint-config-volume-kms';
import modelNetworkIsolation from './model-network-isolation';
import modelInVpc from './model-in-vpc';
import endpointConfigDataCapture from './endpoint-config-data-capture';
import monitoringJobIsolationInTransit from './monitoring-job-isolation-in-transit';
import monitoringJobKms from './monitoring-job-kms';
import notebookNoDirectInternet from './notebook-no-direct-internet';

/** The SAGEMAKER rules. */
export const SAGEMAKER_RULES: Rule[] = [
  endpointConfigVolumeKms,
  modelNetworkIsolation,
  modelInVpc,
  endpointConfigDataCapture,
  monitoringJobIsolationInTransit,
  monitoringJobKms,
  notebookNoDirectInternet,
];
