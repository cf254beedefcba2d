import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cdk8s from 'cdk8s';
import { IstioMesh } from '../../constructs/eks/addons/istio-mesh';
import { ServingCluster, SYNTH_DATE_CONTEXT } from '../../constructs/eks/serving-cluster';
import { ModelServingChart } from '../../constructs/k8s/model-serving-chart';
import { ImageRepository } from '../../constructs/security/image-repository';
import { PrivateNetwork } from '../../constructs/security/private-network';
import { ACKNOWLEDGMENTS_METADATA_KEY, AcknowledgmentRecord } from '../../lib/policy/acknowledgment-records';
import { K8S_ACKNOWLEDGMENTS_ANNOTATION, templateDocument } from '../../lib/policy/document';
import { KUBERNETES_MANIFEST_TYPE } from '../../lib/policy/eks-manifests';
import { ComplianceResult, PolicyEngine } from '../../lib/policy/engine';
import type { Pack } from '../../lib/policy/pack';
import { ALL_PACKS, HIPAA_SECURITY } from '../../lib/policy/packs';
import { ledger } from '../../lib/policy/report/json-report';
import { RULE_CATALOG } from '../../lib/policy/rules/catalog';
import { containerWithSecurity, deployment, namespace, PINNED_IMAGE, podSpec } from '../../lib/policy/rules/k8s/scenario-objects';
import { complianceOf } from '../compliance-harness';
import { FIXTURE_DATE } from './rule-harness';

const DIGEST = PINNED_IMAGE.slice(PINNED_IMAGE.indexOf('@'));
const RESTRICTED = { 'pod-security.kubernetes.io/enforce': 'restricted' };
const DEFAULT_DENY = {
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'serving' },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
};
/** A namespace that passes every Kubernetes rule, with its default deny. */
const SERVING = [namespace('serving', RESTRICTED), DEFAULT_DENY];

/** A custom resource applying `manifest` to the cluster `serving-cluster`, at `Stack/Cluster/manifest-<id>`. */
function manifestResource(id: string, manifest: unknown, metadata: Record<string, unknown> = {}, cluster: unknown = 'serving-cluster') {
  return {
    [id]: {
      Type: KUBERNETES_MANIFEST_TYPE,
      Properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:kubectl', Manifest: manifest, ClusterName: cluster },
      Metadata: { 'aws:cdk:path': `Stack/Cluster/manifest-${id}/Resource/Default`, ...metadata },
    },
  };
}

/** A template whose custom resource `Apply` applies `manifest`. */
function template(manifest: unknown, metadata: Record<string, unknown> = {}) {
  return { Resources: manifestResource('Apply', manifest, metadata) };
}

/**
 * The JSON text of `objects` as CDK renders it when tokens sit inside: a `Fn::Join` of text pieces and intrinsics.
 * Each key of `tokens` is a piece of the text (a placeholder string) that becomes the intrinsic it names.
 */
function joinedManifest(objects: unknown[], tokens: Record<string, unknown>) {
  let parts: unknown[] = [JSON.stringify(objects)];
  for (const [text, intrinsic] of Object.entries(tokens)) {
    parts = parts.flatMap((part) => (typeof part !== 'string' ? [part] : part.split(text).flatMap((piece, i) => (i === 0 ? [piece] : [intrinsic, piece]))));
  }
  return { 'Fn::Join': ['', parts.filter((p) => p !== '')] };
}

function evaluate(t: unknown, packs: readonly Pack[] = ALL_PACKS): ComplianceResult {
  const document = templateDocument(t, { source: 'Stack.template.json', stack: 'Stack' });
  return new PolicyEngine({ catalog: RULE_CATALOG, packs }).evaluate([document], new Date(FIXTURE_DATE));
}

const verdicts = (result: ComplianceResult, logicalId: string) =>
  Object.fromEntries(result.resources.find((r) => r.logicalId === logicalId)!.evaluations.map((e) => [e.ruleId, e.status]));

const record = (ruleId: string, scope: string, reason = 'the tools namespace runs the node agent, which needs host access'): AcknowledgmentRecord => ({
  ruleId, reason, approvedBy: 'platform-security', expires: '2027-06-30', scope,
});

describe('EKS manifests in a template', () => {
  describe('a literal manifest', () => {
    const privileged = deployment(podSpec({ containers: [containerWithSecurity({ privileged: true })] }));
    const t = template(JSON.stringify([...SERVING, privileged]));
    const result = evaluate(t);

    test('becomes a kubernetes document of the objects, named after the custom resource that applies them', () => {
      const [applied] = templateDocument(t, { source: 'Stack.template.json', stack: 'Stack' }).appliedManifests!;
      expect(applied).toMatchObject({ kind: 'kubernetes', source: 'Stack.template.json', stack: 'Stack' });
      expect(applied.resources.map((r) => [r.logicalId, r.type, r.constructPath, r.appliedBy?.logicalId])).toEqual([
        ['Apply/Namespace/serving', 'v1/Namespace', 'Stack/Cluster/manifest-Apply/Resource/Default/Namespace/serving', 'Apply'],
        ['Apply/NetworkPolicy/serving/default-deny', 'networking.k8s.io/v1/NetworkPolicy', 'Stack/Cluster/manifest-Apply/Resource/Default/NetworkPolicy/serving/default-deny', 'Apply'],
        ['Apply/Deployment/serving/model', 'apps/v1/Deployment', 'Stack/Cluster/manifest-Apply/Resource/Default/Deployment/serving/model', 'Apply'],
      ]);
    });

    test('the Kubernetes rules judge the objects: the compliant namespace passes, the privileged container fails', () => {
      expect(verdicts(result, 'Apply/Namespace/serving')).toMatchObject({ 'MLOPS-K8S-004': 'pass', 'MLOPS-K8S-005': 'pass' });
      expect(result.findings.map((f) => [f.ruleId, f.stack, f.logicalId, f.appliedByLogicalId, f.constructPath, f.type, f.path])).toEqual([[
        'MLOPS-PSS-001', 'Stack', 'Apply/Deployment/serving/model', 'Apply',
        'Stack/Cluster/manifest-Apply/Resource/Default/Deployment/serving/model', 'apps/v1/Deployment',
        'spec/template/spec/containers/0/securityContext/privileged',
      ]]);
    });

    test('objects of different clusters are judged apart: a default deny on one cluster does not cover the other', () => {
      const twoClusters = {
        Resources: { ...manifestResource('Apply', JSON.stringify([namespace('serving', RESTRICTED)])), ...manifestResource('Other', JSON.stringify([DEFAULT_DENY]), {}, 'other-cluster') },
      };
      const split = evaluate(twoClusters);
      expect(templateDocument(twoClusters, { source: 't' }).appliedManifests!.map((d) => d.resources.map((r) => r.logicalId))).toEqual([
        ['Apply/Namespace/serving'], ['Other/NetworkPolicy/serving/default-deny'],
      ]);
      expect(verdicts(split, 'Apply/Namespace/serving')['MLOPS-K8S-004']).toBe('fail');
    });
  });

  describe('a Fn::Join manifest (values known only at deploy time)', () => {
    const workload = deployment(podSpec({
      containers: [{ ...containerWithSecurity({ runAsUser: '<uid>' }), image: `<account>.dkr.ecr.<region>.amazonaws.com/models/churn${DIGEST}` }],
    }));
    const tools = namespace('tools', { 'pod-security.kubernetes.io/enforce': '<level>' });
    const manifest = joinedManifest([...SERVING, workload, tools], {
      '<account>': { Ref: 'AWS::AccountId' },
      '<region>': { Ref: 'AWS::Region' },
      '"<uid>"': { Ref: 'RunAsUser' }, // a whole value (a number), outside any JSON string
      '<level>': { 'Fn::ImportValue': 'PodSecurityLevel' },
    });
    const result = evaluate(template(manifest));
    const applied = templateDocument(template(manifest), { source: 't' }).appliedManifests![0];

    test('gives the rules each deploy-time value as its intrinsic: inside a string, the Fn::Join of the pieces', () => {
      const container = applied.byLogicalId.get('Apply/Deployment/serving/model')!.properties.spec.template.spec.containers[0];
      expect(container.image).toEqual({
        'Fn::Join': ['', [{ Ref: 'AWS::AccountId' }, '.dkr.ecr.', { Ref: 'AWS::Region' }, `.amazonaws.com/models/churn${DIGEST}`]],
      });
      expect(container.securityContext.runAsUser).toEqual({ Ref: 'RunAsUser' });
      expect(applied.byLogicalId.get('Apply/Namespace/tools')!.properties.metadata.labels).toEqual({ 'pod-security.kubernetes.io/enforce': { 'Fn::ImportValue': 'PodSecurityLevel' } });
    });

    test('an image whose registry is a token but whose digest is literal is pinned by digest (and tagged well enough)', () => {
      expect(verdicts(result, 'Apply/Deployment/serving/model')).toMatchObject({ 'MLOPS-K8S-002': 'pass', 'MLOPS-K8S-003': 'pass' });
    });

    test('a rule reading a deploy-time value could not evaluate it: fail closed, naming the intrinsic', () => {
      expect(result.findings.map((f) => `${f.ruleId} ${f.logicalId} ${f.status} ${f.path}`).sort()).toEqual([
        'MLOPS-K8S-004 Apply/Namespace/tools fail ',
        'MLOPS-K8S-005 Apply/Namespace/tools could-not-evaluate metadata/labels/pod-security.kubernetes.io/enforce',
        'MLOPS-PSS-016 Apply/Deployment/serving/model could-not-evaluate spec/template/spec/containers/0/securityContext/runAsUser',
      ]);
      expect(result.findings.find((f) => f.ruleId === 'MLOPS-PSS-016')!.message).toMatch(/^could not evaluate: .*a Ref to RunAsUser/);
      expect(result.findings.find((f) => f.ruleId === 'MLOPS-K8S-005')!.message).toMatch(/^could not evaluate: .*a Fn::ImportValue/);
    });
  });

  describe('a manifest that cannot be read', () => {
    const K8S_RULES = RULE_CATALOG.filter((r) => r.resourceTypes.some((t) => !t.includes('::')) && ALL_PACKS.some((p) => p.rules.some((e) => e.ruleId === r.id)));

    test.each([
      ['text that is not JSON', '[{"apiVersion":"v1","kind":"Namespace"', /the Manifest is not JSON \(/],
      ['JSON that is not a list', JSON.stringify(namespace('serving')), /not a JSON array of Kubernetes objects/],
      ['a list holding something else', JSON.stringify([{ name: 'serving' }]), /document 1 is not a Kubernetes object/],
      ['a deploy-time value that breaks the JSON', { 'Fn::Join': ['', ['[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}', { Ref: 'More' }, ']']] }, /not JSON once its deploy-time values are set aside/],
      ['a deploy-time object key', joinedManifest([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { '<key>': 'x' } } }], { '<key>': { Ref: 'Key' } }), /object key known only at deploy time/],
      ['a deploy-time namespace', joinedManifest([deployment()], { serving: { Ref: 'Namespace' } }), /name or namespace of document 1 \(Deployment\) is known only at deploy time/],
      ['a Manifest that is wholly an intrinsic', { 'Fn::GetAtt': ['Chart', 'Json'] }, /neither JSON text nor a Fn::Join/],
      ['a Fn::Join holding the characters that mark deploy-time values', { 'Fn::Join': ['', ['[{"a":"\\ue000"}', { Ref: 'X' }, ']']] }, /private-use characters/],
    ])('%s: every Kubernetes rule could not evaluate the custom resource', (_name, manifest, problem) => {
      const result = evaluate(template(manifest));
      expect(result.findings.map((f) => f.ruleId).sort()).toEqual(K8S_RULES.map((r) => r.id).sort());
      for (const f of result.findings) {
        expect([f.status, f.logicalId, f.type, f.constructPath, f.path, f.appliedByLogicalId]).toEqual([
          'could-not-evaluate', 'Apply', KUBERNETES_MANIFEST_TYPE, 'Stack/Cluster/manifest-Apply/Resource/Default', 'Properties/Manifest', undefined,
        ]);
        expect(f.message).toMatch(/^could not evaluate: the Kubernetes objects this custom resource applies cannot be read: /);
        expect(f.message).toMatch(problem);
      }
    });

    test('reports nothing when no selected pack has Kubernetes rules', () => {
      expect(evaluate(template('not json'), [HIPAA_SECURITY]).findings).toEqual([]);
    });
  });

  describe('acknowledgments', () => {
    const baseline = (name: string, annotations?: Record<string, string>) => ({
      ...namespace(name, { 'pod-security.kubernetes.io/enforce': 'baseline' }),
      metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': 'baseline' }, ...(annotations ? { annotations } : {}) },
    });
    const denyIn = (ns: string) => ({ ...DEFAULT_DENY, metadata: { name: 'default-deny', namespace: ns } });
    const fromTemplate = record('MLOPS-K8S-005', 'Stack/Cluster/manifest-Apply');
    const fromAnnotation = record('MLOPS-K8S-005', 'Stack/Cluster/AgentNamespace', 'the agent namespace runs a DaemonSet with host networking');
    // The same exception recorded on the custom resource and on the object (as ServingCluster.addNamespace does).
    const twice = record('MLOPS-K8S-005', 'Stack/Cluster/ToolsNamespace');
    const t = {
      Resources: {
        ...manifestResource('Apply', JSON.stringify([baseline('tools', { [K8S_ACKNOWLEDGMENTS_ANNOTATION]: JSON.stringify([twice]) }), denyIn('tools')]), {
          [ACKNOWLEDGMENTS_METADATA_KEY]: [fromTemplate],
        }),
        ...manifestResource('Agent', JSON.stringify([baseline('agent', { [K8S_ACKNOWLEDGMENTS_ANNOTATION]: JSON.stringify([fromAnnotation]) }), denyIn('agent')])),
      },
    };
    const result = evaluate(t);

    test('the custom resource\'s metadata and the object\'s own annotation cover the object', () => {
      expect(result.findings).toEqual([]);
      expect(result.acknowledged.map((a) => `${a.ruleId} ${a.resource.logicalId} ${a.record.scope}`)).toEqual([
        'MLOPS-K8S-005 Apply/Namespace/tools Stack/Cluster/manifest-Apply',
        'MLOPS-K8S-005 Agent/Namespace/agent Stack/Cluster/AgentNamespace',
      ]);
    });

    test('one exception written on both (same rule and terms, as ServingCluster.addNamespace does) counts once', () => {
      expect(result.unusedAcknowledgments).toEqual([]);
      expect(result.acknowledged.map((a) => a.record.scope)).not.toContain(twice.scope);
    });

    test('an exception of the custom resource that waives nothing on its objects is unused', () => {
      const unused = evaluate(template(JSON.stringify(SERVING), { [ACKNOWLEDGMENTS_METADATA_KEY]: [fromTemplate] }));
      expect(unused.unusedAcknowledgments.map((u) => `${u.record.ruleId} ${u.record.scope} ${u.resource.logicalId}`)).toEqual([
        'MLOPS-K8S-005 Stack/Cluster/manifest-Apply Apply/Namespace/serving',
      ]);
    });

    test('the report\'s ledger lists them with the objects they covered', () => {
      expect(ledger(result).map((e) => [e.ruleId, e.scope, e.status, e.resources])).toEqual([
        ['MLOPS-K8S-005', 'Stack/Cluster/manifest-Apply', 'active', ['Stack/Apply/Namespace/tools']],
        ['MLOPS-K8S-005', 'Stack/Cluster/AgentNamespace', 'active', ['Stack/Agent/Namespace/agent']],
      ]);
    });
  });

  describe('a ServingCluster applying a ModelServingChart', () => {
    const app = new App({ context: { [SYNTH_DATE_CONTEXT]: FIXTURE_DATE } });
    const stack = new Stack(app, 'Serving');
    const network = new PrivateNetwork(stack, 'Network');
    const images = new ImageRepository(stack, 'Images');
    const cluster = new ServingCluster(stack, 'Cluster', { vpc: network.vpc, addons: [new IstioMesh()] });
    const chart = new ModelServingChart(new cdk8s.App(), 'fraud-detection', {
      namespace: 'fraud', model: 'fraud-detection', version: '2.1.0', image: images.imageUri(DIGEST.slice(1)), gpus: 1,
    });
    const manifest = cluster.addCdk8sChart('FraudDetection', chart);
    const manifestId = stack.resolve((manifest.node.defaultChild as any).logicalId) as string;
    const result = complianceOf(stack);
    const applied = result.resources.filter((r) => r.appliedByLogicalId === manifestId);

    test('evaluates the chart\'s objects, the Rollout (image by digest from a token registry) with no finding', () => {
      // The image's registry is the repository's account and region: the Manifest is a Fn::Join.
      expect(Object.keys(Template.fromStack(stack).toJSON().Resources[manifestId].Properties.Manifest)).toEqual(['Fn::Join']);
      expect(applied.map((r) => r.type)).toEqual(expect.arrayContaining(['v1/Namespace', 'argoproj.io/v1alpha1/Rollout', 'security.istio.io/v1/PeerAuthentication']));
      const rollout = applied.find((r) => r.type === 'argoproj.io/v1alpha1/Rollout')!;
      expect(rollout.logicalId).toBe(`${manifestId}/Rollout/fraud/fraud-detection`);
      expect(rollout.constructPath).toBe('Serving/Cluster/Resource/FraudDetection/Resource/Default/Rollout/fraud/fraud-detection');
      expect(Object.fromEntries(rollout.evaluations.map((e) => [e.ruleId, e.status]))).toMatchObject({
        'MLOPS-K8S-002': 'pass', 'MLOPS-K8S-003': 'pass', 'MLOPS-K8S-007': 'pass', 'MLOPS-K8S-008': 'pass', 'MLOPS-PSS-016': 'pass',
      });
      expect(rollout.evaluations.filter((e) => e.status !== 'pass')).toEqual([]);
      expect(result.findings.filter((f) => f.appliedByLogicalId === manifestId)).toEqual([]);
    });

    test('records the add-on namespaces\' automatic acknowledgments (MLOPS-K8S-004 open traffic, MLOPS-K8S-005 Pod Security) as held', () => {
      expect(result.acknowledged.map((a) => `${a.ruleId} ${a.resource.logicalId.replace(/^[^/]+\//, '')} ${a.record.automatic ? 'automatic' : ''}`)).toEqual([
        'MLOPS-K8S-004 Namespace/istio-system automatic',
        'MLOPS-K8S-005 Namespace/istio-system automatic',
        'MLOPS-K8S-004 Namespace/istio-cni automatic',
        'MLOPS-K8S-005 Namespace/istio-cni automatic',
      ]);
      expect(ledger(result).filter((e) => e.ruleId === 'MLOPS-K8S-005').map((e) => [e.scope, e.status])).toEqual([
        ['Serving/Cluster/Resource/manifest-IstioSystemNamespace', 'active'],
        ['Serving/Cluster/Resource/manifest-IstioCniNamespace', 'active'],
      ]);
    });
  });
});

