#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { Compliance, synthSummary } from '../../lib';
import { CreditRiskFoundationStack } from './credit-risk-foundation-stack';
import { CreditRiskServingStack } from './credit-risk-serving-stack';

// Env-agnostic stacks: synth needs no AWS credentials and does no lookups.
const app = new App();
const foundation = new CreditRiskFoundationStack(app, 'CreditRiskFoundation');
new CreditRiskServingStack(app, 'CreditRiskServing', { foundation, approvalToken: app.node.tryGetContext('approval') });
const compliance = Compliance.enforce(app);
app.synth();
if (compliance.lastResult) console.error(synthSummary(compliance.lastResult, app.outdir));
