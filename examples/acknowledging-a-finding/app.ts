#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { synthSummary } from '../../lib';
import { buildClaimsTriageApp } from './claims-triage-app';

// Env-agnostic stack: synth needs no AWS credentials and does no lookups.
// `-c now=YYYY-MM-DD` judges the app on another day; `-c waive-encryption=true` tries the refused waiver.
const app = new App();
const compliance = buildClaimsTriageApp(app);
app.synth();
if (compliance.lastResult) console.error(synthSummary(compliance.lastResult, app.outdir));
