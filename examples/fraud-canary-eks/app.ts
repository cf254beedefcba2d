#!/usr/bin/env node
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { Compliance, synthSummary } from '../../lib';
import { EXAMPLE_RELEASE, FraudDetectionChart } from './fraud-detection-chart';
import { FraudServingClusterStack } from './fraud-serving-cluster-stack';

// Env-agnostic stack: synth needs no AWS credentials and does no lookups. Kubernetes versions are judged on today.
const app = new App();
// The same chart twice: applied by CloudFormation (the stack), and as plain YAML in cdk.out/manifests/ for a GitOps
// controller (Argo CD, Flux) to sync instead.
const manifests = new cdk8s.App({ outdir: path.join(app.outdir, 'manifests'), outputFileExtension: '.k8s.yaml' });
const chart = new FraudDetectionChart(manifests, 'fraud-detection', {
  version: app.node.tryGetContext('version') ?? EXAMPLE_RELEASE.version,
  image: app.node.tryGetContext('image') ?? EXAMPLE_RELEASE.image,
});
new FraudServingClusterStack(app, 'FraudServing', { chart });
const compliance = Compliance.enforce(app);
app.synth();
manifests.synth();
if (compliance.lastResult) console.error(synthSummary(compliance.lastResult, app.outdir));
