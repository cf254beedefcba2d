// The package's single entry point: the policy engine, the packs, and the constructs.

// Errors
export * from './core/errors';

// Policy engine
export * from './policy/rule';
export * from './policy/pack';
export * from './policy/document';
export { EvaluationContext, EvaluationScope, Unresolvable } from './policy/context';
export type { AppIndex, DocumentIndex, LocatedResource, ResourceReference } from './policy/context';
export * from './policy/engine';
export * from './policy/compliance';
export { acknowledge } from './policy/acknowledgments';
export * from './policy/acknowledgment-records';
export { CompliancePlugin, toViolations, describeFinding } from './policy/adapters/cdk-validation-plugin';
export type { CompliancePluginProps } from './policy/adapters/cdk-validation-plugin';
export * from './policy/adapters/policy-aspect';
export * from './policy/adapters/cdk8s-validation';
export * from './policy/packs';
export { RULE_CATALOG, ruleById } from './policy/rules/catalog';
export * from './policy/report/json-report';
export * from './policy/report/markdown-report';
export * from './policy/report/write-reports';
export * from './policy/report/synth-summary';
export * from './policy/report/html-report';
export * from './policy/report/model-card-links';
export * from './policy/report/oscal-report';

// Security foundation
export * from '../constructs/security/key-ring';
export * from '../constructs/security/encrypted-bucket';
export * from '../constructs/security/access-log-bucket';
export * from '../constructs/security/image-repository';
export * from '../constructs/security/private-network';
export * from '../constructs/security/audit-trail';

// Kubernetes charts (cdk8s)
export * from '../constructs/k8s/drift-metric';
export * from '../constructs/k8s/namespace-baseline';
export * from '../constructs/k8s/model-server';
export * from '../constructs/k8s/model-analysis-template';
export * from '../constructs/k8s/canary-release';
export * from '../constructs/k8s/mesh-security';
export * from '../constructs/k8s/model-monitoring';
export * from '../constructs/k8s/model-serving-chart';

// Model registry and approval gate
export * from '../constructs/registry/i-approved-model';
export * from '../constructs/registry/i-model-registry';
export * from '../constructs/registry/model-registry';
export * from '../constructs/registry/approval-workflow';
export * from '../constructs/registry/approved-model';

// SageMaker serving
export * from '../constructs/sagemaker/model-endpoint';
export * from '../constructs/sagemaker/serving-fleet';
export * from '../constructs/sagemaker/model-source';
export * from '../constructs/sagemaker/deployment-strategy';
export * from '../constructs/sagemaker/capacity-size';
export * from '../constructs/sagemaker/instance-types';
export * from './sagemaker/verify-endpoint';
export * from '../constructs/sagemaker/drift-monitor';
export * from '../constructs/sagemaker/drift-backend';
export * from '../constructs/registry/model-card';
export * from '../constructs/registry/model-card-markdown';
export * as drift from './drift';

// EKS serving
export * from '../constructs/eks/serving-cluster';
export * from '../constructs/eks/serving-node-group';
export * from '../constructs/eks/node-ami-type';
export * from '../constructs/eks/node-scheduling';
export * from '../constructs/eks/pod-security-level';
export * from '../constructs/eks/cluster-addon';
export * from '../constructs/eks/gpu-instance-types';
export * from '../constructs/eks/addons/versions';
export * from '../constructs/eks/addons/istio-mesh';
export * from '../constructs/eks/addons/kube-prometheus-stack';
export * from '../constructs/eks/addons/ebs-csi-driver';
export * from '../constructs/eks/addons/argo-rollouts';
export * from '../constructs/eks/addons/nvidia-device-plugin';
export * from '../constructs/eks/addons/dcgm-exporter';

// Ready-made stacks and the reference environment
export * from './stacks/served-model';
export * from './stacks/serving-runtime';
export * from './stacks/foundation-stack';
export * from './stacks/sagemaker-serving-stack';
export * from './stacks/eks-serving-stack';
export * from './stacks/regulated-environment';
export * from './stacks/reference-app';

// Reviewing two synths
export * from './diff/assembly-diff';
export type { LoadedAssembly, LoadedStack } from './diff/loaded-assembly';
export { compareAssemblies } from './diff/compare-assemblies';
export type { CompareOptions } from './diff/compare-assemblies';
export { readAssembly } from './cli/read-assembly';

// Kubernetes objects applied through CloudFormation (EKS manifests), as the rules read them
export * from './policy/eks-manifests';
export type { StringEnd } from './policy/context';
