import { defineRule, fail, notApplicable, pass } from '../../rule';
import { itemsAt, lookup } from './pod-spec';
import { BLUE_GREEN_ROLLOUT, canaryOf, canaryRollout, ROLLOUT_TYPES } from './rollouts';

const TEMPLATES = [{ templateName: 'model-error-rate' }, { templateName: 'model-drift-psi' }];

/** MLOPS-K8S-008: every canary Rollout runs an analysis that can abort it. */
export default defineRule({
  id: 'MLOPS-K8S-008',
  title: 'Argo Rollout canary runs an analysis (background or step)',
  resourceTypes: ROLLOUT_TYPES,
  severity: 'high',
  themes: ['CHG', 'MON'],
  acknowledgeable: true,
  rationale:
    'Without an AnalysisTemplate a canary is promoted by the clock alone: a model version with a higher error rate, ' +
    'latency or drift reaches 100% unless someone watches. An analysis aborts the Rollout and returns traffic to the ' +
    'stable version, and its AnalysisRuns are the evidence of the validation before full release.',
  fix:
    'Add spec.strategy.canary.analysis.templates (background analysis from a starting step) or an analysis step ' +
    '(spec.strategy.canary.steps[*].analysis.templates) naming an AnalysisTemplate on Prometheus (error rate, p99 latency, ' +
    'drift PSI). The library\'s canary chart construct wires both.',
  references: ['https://argoproj.github.io/argo-rollouts/features/analysis/'],
  scenarios: [
    { name: 'background analysis', expect: 'pass', resource: canaryRollout({ analysis: { templates: TEMPLATES, startingStep: 1 }, steps: [{ setWeight: 10 }, { pause: { duration: '30m' } }] }) },
    { name: 'analysis step', expect: 'pass', resource: canaryRollout({ steps: [{ setWeight: 10 }, { analysis: { templates: TEMPLATES } }] }) },
    { name: 'blue-green Rollout', expect: 'not-applicable', resource: BLUE_GREEN_ROLLOUT },
    { name: 'pauses only', expect: 'fail', resource: canaryRollout({ steps: [{ setWeight: 10 }, { pause: { duration: '1h' } }] }) },
    { name: 'empty template lists', expect: 'fail', resource: canaryRollout({ analysis: { templates: [] }, steps: [{ setWeight: 10 }, { analysis: { templates: [] } }] }) },
    { name: 'templates from an unrendered Helm value', expect: 'unresolvable', resource: canaryRollout({ analysis: { templates: '{{ .Values.templates }}' }, steps: [{ setWeight: 10 }] }) },
  ],
  evaluate(rollout, ctx) {
    const canary = canaryOf(rollout, ctx);
    if (!canary) return notApplicable('the Rollout has no canary strategy');
    const background = lookup(ctx, canary, 'spec/strategy/canary', ['analysis', 'templates']);
    if (itemsAt(ctx, background.value, background.path).length > 0) return pass('background analysis');
    for (const step of itemsAt(ctx, canary.steps, 'spec/strategy/canary/steps')) {
      const templates = lookup(ctx, step.item, step.path, ['analysis', 'templates']);
      if (itemsAt(ctx, templates.value, templates.path).length > 0) return pass(`analysis step ${step.path.slice(step.path.lastIndexOf('/') + 1)}`);
    }
    return fail('spec/strategy/canary', 'the canary has no analysis templates, in the background or in a step: it is promoted on time alone');
  },
});
