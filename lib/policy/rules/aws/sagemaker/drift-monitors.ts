import { AppIndex, EvaluationContext, Unresolvable } from '../../../context';
import { isPlainObject, RenderedDocument, RenderedResource } from '../../../document';

/**
 * The environment variable that marks a function as the drift job of an endpoint (the regulated-mlops DriftMonitor
 * sets it; any drift job can): its value is the endpoint's name, literal or by reference.
 */
export const DRIFT_ENDPOINT_MARKER = 'DRIFT_ENDPOINT_NAME';

/** Which endpoint a drift monitor watches. */
export type MonitoredEndpoint =
  /** An endpoint of a document of the evaluation, referenced (`Ref`, `Fn::GetAtt`, or an import of its export). */
  | { readonly kind: 'resource'; readonly document: RenderedDocument; readonly logicalId: string }
  /** An endpoint by its literal name. */
  | { readonly kind: 'name'; readonly name: string }
  /** A value that cannot be resolved at synth: it may name any endpoint. */
  | { readonly kind: 'unknown'; readonly reason: string };

/** One drift monitor: a monitoring schedule or a marked drift job, and the endpoint it watches. */
export interface DriftMonitorMarker {
  readonly document: RenderedDocument;
  readonly monitor: RenderedResource;
  /** `MonitoringSchedule` or `drift job`. */
  readonly kind: string;
  readonly endpoint: MonitoredEndpoint;
}

/**
 * Every drift monitor of the evaluation: each `AWS::SageMaker::MonitoringSchedule` (its `EndpointName`, or the
 * endpoints of its inline job's inputs) and each `AWS::Lambda::Function` whose environment has `DRIFT_ENDPOINT_NAME`.
 */
export const DRIFT_MONITORS: AppIndex<readonly DriftMonitorMarker[]> = {
  id: 'sagemaker/drift-monitors',
  build(scope) {
    const markers: DriftMonitorMarker[] = [];
    for (const document of scope.documents) {
      // The index reads no date: the epoch stands in for the synth date.
      const ctx = new EvaluationContext(document, new Date(0), scope);
      const add = (monitor: RenderedResource, kind: string, path: string, read: () => unknown) => {
        let endpoint: MonitoredEndpoint | undefined;
        try {
          endpoint = endpointOf(read(), path, ctx);
        } catch (e) {
          if (!(e instanceof Unresolvable)) throw e;
          endpoint = { kind: 'unknown', reason: `${e.path} of ${monitor.logicalId} is ${e.detail}` };
        }
        if (endpoint) markers.push({ document, monitor, kind, endpoint });
      };
      for (const schedule of ctx.resourcesOfType('AWS::SageMaker::MonitoringSchedule')) {
        add(schedule, 'MonitoringSchedule', 'Properties/EndpointName', () => schedule.properties.EndpointName);
        const configPath = 'Properties/MonitoringScheduleConfig';
        const inputsPath = `${configPath}/MonitoringJobDefinition/MonitoringInputs`;
        let inputs: unknown[] = [];
        try {
          const config = ctx.literal(schedule.properties.MonitoringScheduleConfig, configPath);
          inputs = ctx.array(ctx.literal(config?.MonitoringJobDefinition, `${configPath}/MonitoringJobDefinition`)?.MonitoringInputs, inputsPath) ?? [];
        } catch (e) {
          if (!(e instanceof Unresolvable)) throw e;
          markers.push({ document, monitor: schedule, kind: 'MonitoringSchedule', endpoint: { kind: 'unknown', reason: `${e.path} of ${schedule.logicalId} is ${e.detail}` } });
        }
        inputs.forEach((input, i) => {
          const path = `${inputsPath}/${i}/EndpointInput/EndpointName`;
          add(schedule, 'MonitoringSchedule', path, () => ctx.literal(ctx.literal(input, `${inputsPath}/${i}`)?.EndpointInput, `${inputsPath}/${i}/EndpointInput`)?.EndpointName);
        });
      }
      for (const fn of ctx.resourcesOfType('AWS::Lambda::Function')) {
        const path = `Properties/Environment/Variables/${DRIFT_ENDPOINT_MARKER}`;
        add(fn, 'drift job', path, () => {
          const variables = ctx.literal(ctx.literal(fn.properties.Environment, 'Properties/Environment')?.Variables, 'Properties/Environment/Variables');
          return isPlainObject(variables) ? variables[DRIFT_ENDPOINT_MARKER] : undefined;
        });
      }
    }
    return markers;
  },
};

/** The endpoint a value names; undefined when absent. Throws Unresolvable on values it cannot follow. */
function endpointOf(value: unknown, path: string, ctx: EvaluationContext): MonitoredEndpoint | undefined {
  if (ctx.isAbsent(value)) return undefined;
  const located = ctx.locate(value);
  if (located) {
    if (located.resource.type !== 'AWS::SageMaker::Endpoint') {
      throw new Unresolvable(path, `a reference to ${located.resource.type} ${located.resource.logicalId}, not to an endpoint`);
    }
    return { kind: 'resource', document: located.document, logicalId: located.resource.logicalId };
  }
  const name = ctx.string(value, path);
  return name === undefined ? undefined : { kind: 'name', name };
}
