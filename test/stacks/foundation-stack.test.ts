import { App } from 'aws-cdk-lib';
import { FoundationStack } from '../../lib/stacks/foundation-stack';
import { acknowledgmentLines, complianceOf, findingLines } from '../compliance-harness';

describe('FoundationStack', () => {
  const stack = new FoundationStack(new App(), 'Foundation');

  it('passes every pack with no acknowledgment', () => {
    const result = complianceOf(stack);
    expect(findingLines(result)).toEqual([]);
    expect(acknowledgmentLines(result)).toEqual([]);
  });

  it('records S3 data events for the training-data and model-artifact buckets', () => {
    const result = complianceOf(stack);
    const dataEvents = result.resources.flatMap((r) => r.evaluations.filter((e) => e.ruleId === 'MLOPS-CT-010').map((e) => `${r.constructPath} ${e.status}`));
    expect(dataEvents.sort()).toEqual(['Foundation/ModelArtifacts/Resource/Resource pass', 'Foundation/TrainingData/Resource/Resource pass']);
  });
});
