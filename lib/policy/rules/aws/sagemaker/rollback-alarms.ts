import type { DocumentIndex, EvaluationContext } from '../../../context';
import type { RenderedResource } from '../../../document';

export const ALARM = 'AWS::CloudWatch::Alarm';
export const COMPOSITE_ALARM = 'AWS::CloudWatch::CompositeAlarm';

/** Alarms (metric and composite) of the document by their literal AlarmName, for rollback alarms named by string. */
export const ALARMS_BY_NAME: DocumentIndex<Map<string, RenderedResource>> = {
  id: 'sagemaker/alarms-by-name',
  build(ctx) {
    const map = new Map<string, RenderedResource>();
    for (const alarm of [...ctx.resourcesOfType(ALARM), ...ctx.resourcesOfType(COMPOSITE_ALARM)]) {
      const name = alarm.properties.AlarmName;
      if (typeof name === 'string') map.set(name, alarm);
    }
    return map;
  },
};

/** One metric an alarm watches: its namespace and dimensions, with the path of the dimensions list. */
export interface AlarmMetric {
  readonly path: string;
  readonly namespace?: string;
  readonly metricName?: string;
  /** Dimension name → value as rendered (literal or intrinsic). */
  readonly dimensions: ReadonlyMap<string, unknown>;
}

/**
 * The metrics an `AWS::CloudWatch::Alarm` watches: the single metric (Namespace, MetricName, Dimensions), or every
 * MetricStat of a metric-math alarm (Metrics[]); expressions themselves have no dimensions. Throws Unresolvable on
 * intrinsics.
 */
export function alarmMetrics(alarm: RenderedResource, ctx: EvaluationContext): AlarmMetric[] {
  const p = alarm.properties;
  const dimensionsOf = (value: unknown, path: string) => {
    const map = new Map<string, unknown>();
    (ctx.array(value, path) ?? []).forEach((d, i) => {
      const dimension = ctx.literal(d, `${path}/${i}`) ?? {};
      const name = ctx.string(dimension.Name, `${path}/${i}/Name`);
      if (name !== undefined) map.set(name, dimension.Value);
    });
    return map;
  };
  const metrics = ctx.array(p.Metrics, 'Properties/Metrics');
  if (metrics === undefined) {
    return [{
      path: 'Properties/Dimensions',
      namespace: ctx.string(p.Namespace, 'Properties/Namespace'),
      metricName: ctx.string(p.MetricName, 'Properties/MetricName'),
      dimensions: dimensionsOf(p.Dimensions, 'Properties/Dimensions'),
    }];
  }
  const out: AlarmMetric[] = [];
  metrics.forEach((item, i) => {
    const base = `Properties/Metrics/${i}/MetricStat/Metric`;
    const query = ctx.literal(item, `Properties/Metrics/${i}`) ?? {};
    const stat = ctx.literal(query.MetricStat, `Properties/Metrics/${i}/MetricStat`);
    if (stat === undefined) return;
    const metric = ctx.literal(stat.Metric, base) ?? {};
    out.push({
      path: `${base}/Dimensions`,
      namespace: ctx.string(metric.Namespace, `${base}/Namespace`),
      metricName: ctx.string(metric.MetricName, `${base}/MetricName`),
      dimensions: dimensionsOf(metric.Dimensions, `${base}/Dimensions`),
    });
  });
  return out;
}
