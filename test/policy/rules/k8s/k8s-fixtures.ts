import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { parseAllDocuments } from 'yaml';
import { EvaluationContext } from '../../../../lib/policy/context';
import { kubernetesDocument, RenderedDocument } from '../../../../lib/policy/document';
import { runRule } from '../../../../lib/policy/engine';
import type { Rule, RuleOutcome } from '../../../../lib/policy/rule';
import { PINNED_IMAGE } from '../../../../lib/policy/rules/k8s/scenario-objects';
import { FIXTURE_DATE } from '../../rule-harness';

/** Reads a multi-document YAML manifest the way the CLI does. */
export function yamlDocument(text: string, source = 'manifests.yaml'): RenderedDocument {
  return kubernetesDocument(parseAllDocuments(text).map((d) => d.toJSON()), source);
}

/** The outcomes of a rule on one object of a document (to assert paths and messages). */
export function outcomesOn(rule: Rule, document: RenderedDocument, logicalId: string): readonly RuleOutcome[] {
  const resource = document.byLogicalId.get(logicalId);
  if (!resource) throw new Error(`no object ${logicalId} in ${document.source}`);
  return runRule(rule, resource, new EvaluationContext(document, new Date(FIXTURE_DATE)));
}

/** The logical ids of the two Deployments of `kplusDocument`. */
export const KPLUS_DEFAULT = 'Deployment/serving/plus27-default';
export const KPLUS_PATCHED = 'Deployment/serving/plus27-patched';

/**
 * Two cdk8s-plus-27 Deployments, synthesized once per test file: one with the plus-27 defaults, and one
 * patched the way the library's charts patch it (pod seccompProfile RuntimeDefault, capabilities drop ALL).
 */
export function kplusDocument(): RenderedDocument {
  const chart = new Chart(Testing.app(), 'serving', { namespace: 'serving' });
  new kplus.Deployment(chart, 'Plus27Default', { metadata: { name: 'plus27-default' }, containers: [{ image: PINNED_IMAGE, portNumber: 8080 }] });
  const patched = new kplus.Deployment(chart, 'Plus27Patched', {
    metadata: { name: 'plus27-patched' },
    containers: [{ image: PINNED_IMAGE, portNumber: 8080, securityContext: { capabilities: { drop: ['ALL' as kplus.Capability] } } }],
  });
  ApiObject.of(patched).addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));
  return kubernetesDocument(Testing.synth(chart), 'kplus');
}

/** The paths of the failures among outcomes, in order. */
export function failurePaths(outcomes: readonly RuleOutcome[]): string[] {
  return outcomes.flatMap((o) => (o.status === 'fail' ? [o.path] : []));
}
