import { App, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { DriftMonitor } from '../../../../../constructs/sagemaker/drift-monitor';
import { EncryptedBucket } from '../../../../../constructs/security/encrypted-bucket';
import { EvaluationContext, EvaluationScope } from '../../../../../lib/policy/context';
import { templateDocument } from '../../../../../lib/policy/document';
import { runRule } from '../../../../../lib/policy/engine';
import rule, { ENVIRONMENT_TAG } from '../../../../../lib/policy/rules/aws/sagemaker/endpoint-drift-monitoring';
import { FIXTURE_DATE, itBehavesAsItsScenariosSay, outcomesOnStack, verdictOf, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-SM-030 production endpoints have drift monitoring', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: endpoints in one stack, their drift monitor in another.
  const app = new App();
  const stack = new Stack(app, 'Serving');
  const endpoint = (id: string) => new sagemaker.CfnEndpoint(stack, id, { endpointConfigName: `${id.toLowerCase()}-config` });
  const monitored = endpoint('Monitored');
  endpoint('Unmonitored');
  const staging = endpoint('Staging');
  Tags.of(staging).add(ENVIRONMENT_TAG, 'staging');
  new sagemaker.CfnEndpoint(stack, 'Named', { endpointConfigName: 'named-config', endpointName: 'fraud' });
  const escaped = endpoint('Escaped');
  const capture = new EncryptedBucket(stack, 'Capture');
  const baseline = { bucket: capture.bucket, key: 'baseline.json' };
  new DriftMonitor(stack, 'Drift', { endpointName: monitored.attrEndpointName, captureBucket: capture.bucket, baseline });
  new DriftMonitor(stack, 'NamedDrift', { endpointName: 'fraud', captureBucket: capture.bucket, baseline });
  const broken = new DriftMonitor(stack, 'EscapedDrift', { endpointName: escaped.attrEndpointName, captureBucket: capture.bucket, baseline });
  (broken.driftFunction!.node.defaultChild as lambda.CfnFunction).addPropertyOverride('Environment.Variables.DRIFT_ENDPOINT_NAME', 'someone-else');

  const other = new Stack(app, 'Monitoring');
  const crossStack = endpoint('CrossStack');
  const otherCapture = new EncryptedBucket(other, 'Capture');
  new DriftMonitor(other, 'Drift', { endpointName: crossStack.attrEndpointName, captureBucket: otherCapture.bucket, baseline: { bucket: otherCapture.bucket, key: 'b.json' } });

  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictFor = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes an endpoint whose drift job is marked with a reference to it', () => expect(verdictFor('Monitored')).toBe('pass'));
  it('passes an endpoint with a fixed name whose drift job names it', () => expect(verdictFor('Named')).toBe('pass'));
  it('fails an endpoint nothing monitors', () => {
    expect(outcomesOnStack(rule, stack, 'Unmonitored')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties', message: expect.stringContaining('no MonitoringSchedule names this endpoint') }),
    ]);
  });
  it('skips an endpoint tagged as staging', () => expect(verdictFor('Staging')).toBe('not-applicable'));
  it('fails an endpoint whose drift job marker was changed with addPropertyOverride (reads the rendered template)', () => {
    expect(verdictFor('Escaped')).toBe('fail');
  });
  it('follows a drift monitor of another stack through the export of the endpoint name', () => {
    const documents = [stack, other].map((s) => templateDocument(Template.fromStack(s).toJSON(), { source: s.stackName }));
    const scope = new EvaluationScope(documents);
    const subject = documents[0].byLogicalId.get(stack.getLogicalId(crossStack))!;
    expect(verdictOf(runRule(rule, subject, new EvaluationContext(documents[0], new Date(FIXTURE_DATE), scope)))).toBe('pass');
    // Evaluated alone, the serving stack has no monitor for it.
    expect(verdictFor('CrossStack')).toBe('fail');
  });
});
