#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { Compliance } from '../lib/policy/compliance';
import { FoundationStack } from '../lib/stacks/foundation-stack';

// Env-agnostic stacks: synth needs no AWS credentials and does no lookups.
const app = new App();
new FoundationStack(app, 'RegulatedMlopsFoundation');
Compliance.enforce(app);
app.synth();
