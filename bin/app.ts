#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { Compliance } from '../lib/policy/compliance';
import { synthSummary } from '../lib/policy/report/synth-summary';
import { addReferenceEnvironments } from '../lib/stacks/reference-app';
import { parseServingRuntime } from '../lib/stacks/serving-runtime';

// Env-agnostic stacks: synth needs no AWS credentials and does no lookups.
const app = new App();
const runtime = parseServingRuntime(app.node.tryGetContext('runtime'), 'bin/app.ts');
addReferenceEnvironments(app, { runtime });
const compliance = Compliance.enforce(app);
app.synth();

// A violation has already stopped the synth (CDK printed the findings); this is the summary of a compliant one.
if (compliance.lastResult) console.error(synthSummary(compliance.lastResult, app.outdir));
