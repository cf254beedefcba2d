import { defineRule, fail, notApplicable, pass } from '../../rule';
import { itemsAt, lookup } from './pod-spec';
import { BLUE_GREEN_ROLLOUT, canaryOf, canaryRollout, ROLLOUT_TYPES } from './rollouts';

/** The largest share of traffic a new model version may take in its first canary step. */
const MAX_FIRST_WEIGHT = 25;

/** MLOPS-K8S-007: an Argo Rollout canary starts with at most 25% of the traffic. */
export default defineRule({
  id: 'MLOPS-K8S-007',
  title: `Argo Rollout canary sends at most ${MAX_FIRST_WEIGHT}% of traffic in its first weighted step`,
  resourceTypes: ROLLOUT_TYPES,
  severity: 'medium',
  themes: ['CHG'],
  acknowledgeable: true,
  rationale:
    'A canary limits how many requests a bad model version can serve before analysis or an operator stops it. A ' +
    `first step above ${MAX_FIRST_WEIGHT}% (or no setWeight step, which promotes straight to 100%) exposes most ` +
    'customers to an unvalidated model; 10% is the library default.',
  fix:
    `Make the first non-zero setWeight step ${MAX_FIRST_WEIGHT} or less (spec.strategy.canary.steps[*].setWeight), followed by a ` +
    'pause or an analysis step. The library\'s canary chart construct takes the first weight as a prop (default 10).',
  references: ['https://argoproj.github.io/argo-rollouts/features/canary/', 'https://argoproj.github.io/argo-rollouts/features/traffic-management/istio/'],
  scenarios: [
    { name: '10% then pause', expect: 'pass', resource: canaryRollout({ steps: [{ setWeight: 10 }, { pause: { duration: '30m' } }, { setWeight: 50 }] }) },
    { name: 'scale first, then 25%', expect: 'pass', resource: canaryRollout({ steps: [{ setCanaryScale: { replicas: 1 } }, { setWeight: 0 }, { setWeight: 25 }, { pause: {} }] }) },
    { name: 'blue-green Rollout', expect: 'not-applicable', resource: BLUE_GREEN_ROLLOUT },
    { name: 'first step 50%', expect: 'fail', resource: canaryRollout({ steps: [{ setWeight: 50 }, { pause: {} }] }) },
    { name: 'canary without steps (straight to 100%)', expect: 'fail', resource: canaryRollout({ canaryService: 'model-canary', stableService: 'model-stable' }) },
    { name: 'weight from an unrendered Helm value', expect: 'unresolvable', resource: canaryRollout({ steps: [{ setWeight: '{{ .Values.weight }}' }] }) },
  ],
  evaluate(rollout, ctx) {
    const canary = canaryOf(rollout, ctx);
    if (!canary) return notApplicable('the Rollout has no canary strategy');
    const steps = itemsAt(ctx, canary.steps, 'spec/strategy/canary/steps');
    for (const step of steps) {
      const weight = lookup(ctx, step.item, step.path, ['setWeight']);
      const value = ctx.number(weight.value, weight.path);
      if (value === undefined || value === 0) continue;
      if (value > MAX_FIRST_WEIGHT) return fail(weight.path, `the first canary step sends ${value}% of traffic to the new version (at most ${MAX_FIRST_WEIGHT}%)`);
      return pass();
    }
    return fail(
      steps.length > 0 ? 'spec/strategy/canary/steps' : 'spec/strategy/canary',
      'no setWeight step sends part of the traffic: the new version gets 100% once the steps (if any) complete',
    );
  },
});
