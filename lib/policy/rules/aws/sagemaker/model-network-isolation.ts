import { defineRule, fail, pass } from '../../../rule';

const PATH = 'Properties/EnableNetworkIsolation';
const model = (extra: Record<string, any>) => ({
  Type: 'AWS::SageMaker::Model',
  Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/model', PrimaryContainer: { Image: 'image@sha256:0' }, ...extra },
});

/** MLOPS-SM-002: model containers run with network isolation. */
export default defineRule({
  id: 'MLOPS-SM-002',
  title: 'SageMaker model runs its containers with network isolation',
  resourceTypes: ['AWS::SageMaker::Model'],
  severity: 'high',
  themes: ['NET'],
  acknowledgeable: true,
  rationale:
    'With network isolation the inference container gets no network access and no AWS credentials, so a compromised ' +
    'or malicious model (or a dependency it loads) cannot exfiltrate inference data or call AWS APIs. SageMaker still ' +
    'downloads the artifacts with the execution role. Containers that fetch weights at run time need an acknowledgment.',
  fix:
    'Set enableNetworkIsolation: true on CfnModel (CloudFormation AWS::SageMaker::Model EnableNetworkIsolation: true) and ' +
    'package everything the container needs in the model artifact or image.',
  references: [
    'AWS Config sagemaker-model-isolation-enabled',
    'https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html',
  ],
  scenarios: [
    { name: 'network isolation on', expect: 'pass', resource: model({ EnableNetworkIsolation: true }) },
    { name: 'network isolation on, as a string', expect: 'pass', resource: model({ EnableNetworkIsolation: 'true' }) },
    { name: 'network isolation unset (default false)', expect: 'fail', resource: model({}) },
    { name: 'network isolation off', expect: 'fail', resource: model({ EnableNetworkIsolation: false }) },
    { name: 'network isolation from a parameter', expect: 'unresolvable', resource: model({ EnableNetworkIsolation: { Ref: 'Isolate' } }) },
  ],
  evaluate(resource, ctx) {
    const isolated = ctx.bool(resource.properties.EnableNetworkIsolation, PATH);
    if (isolated === true) return pass();
    return fail(
      PATH,
      `EnableNetworkIsolation is ${isolated === false ? 'false' : 'unset (default false)'}: the inference container can reach ` +
        'the network and gets AWS credentials',
    );
  },
});
