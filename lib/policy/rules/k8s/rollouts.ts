import type { EvaluationContext } from '../../context';
import type { RenderedResource } from '../../document';
import { lookup, objectAt } from './pod-spec';

/** The Argo Rollouts kind the rollout rules read. */
export const ROLLOUT_TYPES: readonly string[] = ['argoproj.io/v1alpha1/Rollout'];

/** The canary strategy of a Rollout (`spec.strategy.canary`), or undefined for a blue-green one. */
export function canaryOf(rollout: RenderedResource, ctx: EvaluationContext): Record<string, any> | undefined {
  return objectAt(ctx, lookup(ctx, rollout.properties, '', ['spec', 'strategy', 'canary']).value, 'spec/strategy/canary');
}

/** A canary Rollout as the scenarios write it. */
export function canaryRollout(canary: Record<string, any>): Record<string, any> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'model', namespace: 'serving' },
    spec: { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'model' }, strategy: { canary } },
  };
}

/** A blue-green Rollout: the canary rules do not apply to it. */
export const BLUE_GREEN_ROLLOUT = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'model', namespace: 'serving' },
  spec: { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'model' }, strategy: { blueGreen: { activeService: 'model', previewService: 'model-preview' } } },
};
