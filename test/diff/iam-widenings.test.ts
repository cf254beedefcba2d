import { iamWidenings } from '../../lib/diff/iam-widenings';
import { compareStacks } from '../../lib/diff/stack-comparison';
import { loadedStack } from './loaded-stack';

const statement = (s: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [s] });
const OWN_ACCOUNT = { AWS: 'arn:aws:iam::111122223333:root' };

/** A role, a bucket policy and a key policy, each with one statement; `change` edits a copy. */
function template(change: (resources: Record<string, any>) => void = () => undefined): Record<string, any> {
  const resources: Record<string, any> = {
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: { AssumeRolePolicyDocument: statement({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'sagemaker.amazonaws.com' } }) },
      Metadata: { 'aws:cdk:path': 'App/Role/Resource' },
    },
    Policy: {
      Type: 'AWS::IAM::Policy',
      Properties: { PolicyName: 'p', Roles: [{ Ref: 'Role' }], PolicyDocument: statement({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::data/*' }) },
    },
    Data: { Type: 'AWS::S3::Bucket', Properties: {} },
    DataPolicy: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: { Bucket: { Ref: 'Data' }, PolicyDocument: statement({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*', Principal: OWN_ACCOUNT }) },
    },
    Key: {
      Type: 'AWS::KMS::Key',
      Properties: { KeyPolicy: statement({ Effect: 'Allow', Action: 'kms:*', Resource: '*', Principal: OWN_ACCOUNT }) },
    },
  };
  change(resources);
  return { Resources: resources };
}

const widenings = (change: (resources: Record<string, any>) => void) =>
  iamWidenings(compareStacks(loadedStack('App', template()), loadedStack('App', template(change)), new Set()));

describe('iamWidenings', () => {
  test('a managed policy attached to a role, on the role', () => {
    expect(widenings((r) => { r.Role.Properties.ManagedPolicyArns = ['arn:aws:iam::aws:policy/AdministratorAccess']; })).toEqual([{
      stack: 'App', logicalId: 'Role', type: 'AWS::IAM::Role', constructPath: 'App/Role/Resource',
      change: 'managed-policy-attached', identity: '${Role}', managedPolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    }]);
  });

  test('a trust policy opened to every principal', () => {
    expect(widenings((r) => { r.Role.Properties.AssumeRolePolicyDocument.Statement.push({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: '*' } }); })).toEqual([
      expect.objectContaining({ logicalId: 'Role', change: 'statement-added', wildcards: ['principal'], statement: expect.objectContaining({ principals: ['AWS:*'] }) }),
    ]);
  });

  test('a bucket policy and a key policy granting everyone: on the policy and on the key (`*` in a key policy is the key itself)', () => {
    const found = widenings((r) => {
      r.DataPolicy.Properties.PolicyDocument.Statement.push({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*', Principal: '*' });
      r.Key.Properties.KeyPolicy.Statement.push({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Principal: { AWS: '*' } });
    });
    expect(found.map((w) => [w.logicalId, w.type, w.change, w.change === 'statement-added' ? w.wildcards : []])).toEqual([
      ['DataPolicy', 'AWS::S3::BucketPolicy', 'statement-added', ['principal']],
      ['Key', 'AWS::KMS::Key', 'statement-added', ['principal']],
    ]);
  });

  test('an Allow of every action but some: a wildcard action', () => {
    const found = widenings((r) => { r.Policy.Properties.PolicyDocument.Statement.push({ Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::data/*' }); });
    expect(found).toEqual([expect.objectContaining({
      logicalId: 'Policy', change: 'statement-added', wildcards: ['action'], statement: expect.objectContaining({ actions: ['iam:*'], negated: ['actions'] }),
    })]);
  });

  test('a statement rewritten to allow less is not a widening; one rewritten to allow more is', () => {
    expect(widenings((r) => { r.Policy.Properties.PolicyDocument.Statement[0].Action = ['s3:GetObject']; })).toEqual([]);
    expect(widenings((r) => { r.Policy.Properties.PolicyDocument.Statement[0].Action = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']; })).toEqual([
      expect.objectContaining({ logicalId: 'Policy', change: 'statement-added', wildcards: [], statement: expect.objectContaining({ actions: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'] }) }),
    ]);
  });

  test('a Deny removed; a Deny added is not a widening', () => {
    const deny = { Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::data/*', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    const withDeny = template((r) => { r.DataPolicy.Properties.PolicyDocument.Statement.push(deny); });
    const compare = (a: Record<string, any>, b: Record<string, any>) => iamWidenings(compareStacks(loadedStack('App', a), loadedStack('App', b), new Set()));
    expect(compare(withDeny, template())).toEqual([expect.objectContaining({ logicalId: 'DataPolicy', change: 'deny-removed', statement: expect.objectContaining({ effect: 'Deny', principals: ['*'] }) })]);
    expect(compare(template(), withDeny)).toEqual([]);
  });

  test('a whole policy resource added to a new stack: each of its statements', () => {
    const found = iamWidenings(compareStacks(undefined, loadedStack('App', template()), new Set()));
    expect(found.map((w) => `${w.logicalId} ${w.change}`).sort()).toEqual(['DataPolicy statement-added', 'Key statement-added', 'Policy statement-added', 'Role statement-added']);
  });
});
