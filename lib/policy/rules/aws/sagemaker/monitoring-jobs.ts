import type { EvaluationContext } from '../../../context';
import type { RenderedResource } from '../../../document';
import { fail, notApplicable, RuleOutcome } from '../../../rule';

/** The four Model Monitor job definition types, with the name of their output config property. */
export const JOB_DEFINITION_OUTPUT_CONFIG: Readonly<Record<string, string>> = Object.freeze({
  'AWS::SageMaker::DataQualityJobDefinition': 'DataQualityJobOutputConfig',
  'AWS::SageMaker::ModelQualityJobDefinition': 'ModelQualityJobOutputConfig',
  'AWS::SageMaker::ModelBiasJobDefinition': 'ModelBiasJobOutputConfig',
  'AWS::SageMaker::ModelExplainabilityJobDefinition': 'ModelExplainabilityJobOutputConfig',
});

const MONITORING_SCHEDULE = 'AWS::SageMaker::MonitoringSchedule';

/** Every resource type that declares how a monitoring job runs. */
export const MONITORING_JOB_TYPES: readonly string[] = [...Object.keys(JOB_DEFINITION_OUTPUT_CONFIG), MONITORING_SCHEDULE];

/** A property of a monitoring job with its slash path from the resource root. */
export interface Located {
  readonly path: string;
  /** The property object (empty when absent). */
  readonly value: Record<string, any>;
  /** Its name as a reader knows it: `DataQualityJobOutputConfig`, `MonitoringOutputConfig`. */
  readonly name: string;
}

/** The settings of one monitoring job, wherever they are declared. */
export interface MonitoringJob {
  readonly networkConfig: Located;
  /** The output config (its KmsKeyId encrypts the reports in S3). */
  readonly outputConfig: Located;
  /** The cluster config (its VolumeKmsKeyId encrypts the processing volume). */
  readonly clusterConfig: Located;
}

/**
 * The job a job definition or a schedule with an inline `MonitoringJobDefinition` declares; `'by-name'` for a
 * schedule that only names a job definition, `'none'` for a schedule that declares neither (an invalid
 * template). Throws Unresolvable on intrinsics.
 */
export function monitoringJobOf(resource: RenderedResource, ctx: EvaluationContext): MonitoringJob | 'by-name' | 'none' {
  const locate = (path: string, name: string, value: unknown): Located => ({ path, name, value: ctx.literal(value, path) ?? {} });
  if (resource.type !== MONITORING_SCHEDULE) {
    const output = JOB_DEFINITION_OUTPUT_CONFIG[resource.type];
    const p = resource.properties;
    const resources = locate('Properties/JobResources', 'JobResources', p.JobResources).value;
    return {
      networkConfig: locate('Properties/NetworkConfig', 'NetworkConfig', p.NetworkConfig),
      outputConfig: locate(`Properties/${output}`, output, p[output]),
      clusterConfig: locate('Properties/JobResources/ClusterConfig', 'JobResources.ClusterConfig', resources.ClusterConfig),
    };
  }
  const configPath = 'Properties/MonitoringScheduleConfig';
  const config = ctx.literal(resource.properties.MonitoringScheduleConfig, configPath) ?? {};
  const base = `${configPath}/MonitoringJobDefinition`;
  const inline = ctx.literal(config.MonitoringJobDefinition, base);
  if (inline === undefined) {
    return ctx.isPresent(config.MonitoringJobDefinitionName, `${configPath}/MonitoringJobDefinitionName`) ? 'by-name' : 'none';
  }
  const resources = locate(`${base}/MonitoringResources`, 'MonitoringResources', inline.MonitoringResources).value;
  return {
    networkConfig: locate(`${base}/NetworkConfig`, 'MonitoringJobDefinition.NetworkConfig', inline.NetworkConfig),
    outputConfig: locate(`${base}/MonitoringOutputConfig`, 'MonitoringJobDefinition.MonitoringOutputConfig', inline.MonitoringOutputConfig),
    clusterConfig: locate(`${base}/MonitoringResources/ClusterConfig`, 'MonitoringJobDefinition.MonitoringResources.ClusterConfig', resources.ClusterConfig),
  };
}

/** The verdict on a schedule without an inline job: not applicable when it names a job definition, else a failure. */
export function scheduleWithoutInlineJob(kind: 'by-name' | 'none'): RuleOutcome {
  return kind === 'by-name'
    ? notApplicable('the schedule runs the job definition named in MonitoringJobDefinitionName, which is checked on its own')
    : fail('Properties/MonitoringScheduleConfig', 'the schedule declares neither MonitoringJobDefinition nor MonitoringJobDefinitionName');
}
