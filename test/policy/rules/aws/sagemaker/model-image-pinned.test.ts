import { App, CustomResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import rule, { APPROVED_MODEL_RESOURCE_TYPE } from '../../../../../lib/policy/rules/aws/sagemaker/model-image-pinned';
import { EvaluationContext, EvaluationScope } from '../../../../../lib/policy/context';
import { templateDocument } from '../../../../../lib/policy/document';
import { runRule } from '../../../../../lib/policy/engine';
import { FIXTURE_DATE, itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-SM-023 model image pinned by digest', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const app = new App();
  const stack = new Stack(app, 'Fixtures');
  const gates = new Stack(app, 'Gates');
  const repository = new ecr.Repository(stack, 'Images');
  const digest = `sha256:${'ab'.repeat(32)}`;
  const role = 'arn:aws:iam::111122223333:role/model';
  const serviceToken = 'arn:aws:lambda:eu-west-1:111122223333:function:resolver';
  const resolver = new CustomResource(stack, 'Resolver', { serviceToken, resourceType: APPROVED_MODEL_RESOURCE_TYPE });
  const lookup = new CustomResource(stack, 'Lookup', { serviceToken, resourceType: 'Custom::ImageLookup' });
  const modelWith = (id: string, image: string) => new sagemaker.CfnModel(stack, id, { executionRoleArn: role, primaryContainer: { image } });
  modelWith('ByDigest', repository.repositoryUriForDigest(digest));
  modelWith('ByTag', repository.repositoryUriForTag('latest'));
  modelWith('Approved', resolver.getAttString('ImageUri'));
  modelWith('LookedUp', lookup.getAttString('Image'));
  // The resolver in another stack (a serving stack whose endpoints spilled into a second stack).
  const remoteResolver = new CustomResource(gates, 'Resolver', { serviceToken, resourceType: APPROVED_MODEL_RESOURCE_TYPE });
  modelWith('RemoteApproved', remoteResolver.getAttString('ImageUri'));
  const remoteLookup = new CustomResource(gates, 'Lookup', { serviceToken, resourceType: 'Custom::ImageLookup' });
  modelWith('RemoteLookedUp', remoteLookup.getAttString('Image'));
  modelWith('Overridden', repository.repositoryUriForDigest(digest))
    .addPropertyOverride('PrimaryContainer.Image', '111122223333.dkr.ecr.eu-west-1.amazonaws.com/fraud:v3');
  const verdicts = verdictsOnStack(rule, stack);
  const verdictOf = (prefix: string) => Object.entries(verdicts).find(([id]) => id.startsWith(prefix))?.[1];

  it('passes CDK repositoryUriForDigest', () => expect(verdictOf('ByDigest')).toBe('pass'));
  it('passes the image of the approved-model resolver, and says so', () => {
    expect(outcomesOnStack(rule, stack, 'Approved')).toEqual([{ status: 'pass', note: expect.stringContaining('approved-model resolver') }]);
  });
  it('cannot tell for the image of another custom resource', () => expect(verdictOf('LookedUp')).toBe('unresolvable'));
  it('fails CDK repositoryUriForTag', () => {
    expect(outcomesOnStack(rule, stack, 'ByTag')).toEqual([
      { status: 'fail', path: 'Properties/PrimaryContainer/Image', message: "Image ends in ':latest', not in @sha256:<digest>: the image is referenced by tag" },
    ]);
  });
  it('fails a pinned model broken with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/PrimaryContainer/Image', message: expect.stringContaining('fraud:v3 is referenced by tag') }),
    ]);
  });
  it('follows the approved-model resolver of another stack (Fn::ImportValue), and cannot alone', () => {
    const [own, other] = [stack, gates].map((s) => templateDocument(Template.fromStack(s).toJSON(), { source: s.stackName }));
    const scope = new EvaluationScope([own, other]);
    const run = (prefix: string) => {
      const model = [...own.byLogicalId.values()].find((r) => r.logicalId.startsWith(prefix))!;
      return runRule(rule, model, new EvaluationContext(own, new Date(FIXTURE_DATE), scope));
    };
    expect(run('RemoteApproved')).toEqual([{ status: 'pass', note: expect.stringContaining('Gates/Resolver') }]);
    expect(run('RemoteLookedUp')).toEqual([expect.objectContaining({ status: 'unresolvable', message: expect.stringContaining('Custom::ImageLookup') })]);
    expect(verdictOf('RemoteApproved')).toBe('unresolvable');
  });
  it('names the resolver type the registry construct must use', () => expect(APPROVED_MODEL_RESOURCE_TYPE).toBe('Custom::RegulatedMlopsApprovedModel'));
});
