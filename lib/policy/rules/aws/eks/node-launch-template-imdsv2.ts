import { defineRule, fail, pass, RuleOutcome } from '../../../rule';
import {
  LAUNCH_TEMPLATE, launchTemplate, NODEGROUP, nodegroup, nodegroupHasVisibleLaunchTemplate, nodegroupsUsing, NOT_A_NODE_TEMPLATE,
} from './node-launch-templates';

const BASE = 'Properties/LaunchTemplateData/MetadataOptions';
const IMDSV2_HOP_1 = { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' };
const withTemplate = (data: Record<string, any>) => ({ NodeTemplate: launchTemplate(data) });

/** MLOPS-EKS-010: node launch templates require IMDSv2 and keep the metadata service one hop away. */
export default defineRule({
  id: 'MLOPS-EKS-010',
  title: 'EKS node launch templates require IMDSv2 with a hop limit of 1',
  resourceTypes: [LAUNCH_TEMPLATE, NODEGROUP],
  severity: 'high',
  themes: ['NET', 'IAM'],
  acknowledgeable: true,
  rationale:
    'The instance metadata service hands out the node role\'s credentials. IMDSv1 answers any GET, so one SSRF in a ' +
    'model server leaks them; IMDSv2 needs a PUT-issued session token. A hop limit of 1 stops the token response at ' +
    'the node\'s own network namespace, so pods (which sit one hop further) cannot reach the node role at all and ' +
    'must use their own service-account role.',
  fix:
    'Give every managed node group a launch template with MetadataOptions {HttpTokens: required, ' +
    'HttpPutResponseHopLimit: 1} (CloudFormation AWS::EC2::LaunchTemplate LaunchTemplateData.MetadataOptions; CDK ' +
    'ec2.CfnLaunchTemplate metadataOptions, or ec2.LaunchTemplate requireImdsv2: true, httpPutResponseHopLimit: 1) and ' +
    'pass it as launchTemplateSpec to the node group (AWS::EKS::Nodegroup LaunchTemplate).',
  references: [
    'AWS Config ec2-launch-template-imdsv2-check',
    'Control Tower CT.EC2.PR.1, CT.EC2.PR.2',
    'https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_restrict_access_to_the_instance_profile_assigned_to_the_worker_node',
    'https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html',
  ],
  scenarios: [
    { name: 'launch template with IMDSv2 and hop limit 1', expect: 'pass', resource: launchTemplate({ MetadataOptions: IMDSV2_HOP_1 }), others: { Nodes: nodegroup() } },
    {
      name: 'hop limit 2 (pods can reach the node role)',
      expect: 'fail',
      resource: launchTemplate({ MetadataOptions: { ...IMDSV2_HOP_1, HttpPutResponseHopLimit: 2 } }),
      others: { Nodes: nodegroup() },
    },
    { name: 'IMDSv1 allowed', expect: 'fail', resource: launchTemplate({ MetadataOptions: { ...IMDSV2_HOP_1, HttpTokens: 'optional' } }), others: { Nodes: nodegroup() } },
    { name: 'no MetadataOptions (AMI and EKS defaults)', expect: 'fail', resource: launchTemplate({}), others: { Nodes: nodegroup() } },
    {
      name: 'metadata service turned off',
      expect: 'pass',
      resource: launchTemplate({ MetadataOptions: { HttpEndpoint: 'disabled' } }),
      others: { Nodes: nodegroup() },
    },
    { name: 'launch template no node group uses', expect: 'not-applicable', resource: launchTemplate({}) },
    {
      name: 'hop limit from a parameter',
      expect: 'unresolvable',
      resource: launchTemplate({ MetadataOptions: { ...IMDSV2_HOP_1, HttpPutResponseHopLimit: { Ref: 'HopLimit' } } }),
      others: { Nodes: nodegroup() },
    },
    { name: 'node group with a launch template of this template', expect: 'pass', resource: nodegroup({}, 'NodeTemplate'), others: withTemplate({ MetadataOptions: IMDSV2_HOP_1 }) },
    { name: 'node group without a launch template', expect: 'fail', resource: nodegroup({ LaunchTemplate: undefined }) },
    { name: 'node group with a launch template from elsewhere', expect: 'unresolvable', resource: nodegroup({ LaunchTemplate: { Id: 'lt-0123456789abcdef0' } }) },
  ],
  evaluate(resource, ctx) {
    if (resource.type === NODEGROUP) {
      return nodegroupHasVisibleLaunchTemplate(resource, ctx, 'EKS launches the nodes with its own launch template, which does not set a hop limit of 1 and is not in the template to check');
    }
    if (nodegroupsUsing(resource, ctx).length === 0) return NOT_A_NODE_TEMPLATE;
    const data = ctx.literal(resource.properties.LaunchTemplateData, 'Properties/LaunchTemplateData') ?? {};
    const options = ctx.literal(data.MetadataOptions, BASE) ?? {};
    if (ctx.string(options.HttpEndpoint, `${BASE}/HttpEndpoint`) === 'disabled') {
      return pass('the instance metadata service is disabled on these nodes, so no credentials can be read from it');
    }
    const outcomes: RuleOutcome[] = [];
    const tokens = ctx.string(options.HttpTokens, `${BASE}/HttpTokens`);
    if (tokens !== 'required') {
      outcomes.push(fail(`${BASE}/HttpTokens`, `HttpTokens is ${tokens ?? 'unset'}: IMDSv1 is allowed, so any request forged through a pod reads the node role's credentials`));
    }
    const hops = ctx.number(options.HttpPutResponseHopLimit, `${BASE}/HttpPutResponseHopLimit`);
    if (hops !== 1) {
      outcomes.push(fail(
        `${BASE}/HttpPutResponseHopLimit`,
        hops === undefined
          ? 'HttpPutResponseHopLimit is unset: the AMI and EKS defaults decide, and they may let pods one hop away reach the node role'
          : `HttpPutResponseHopLimit is ${hops}: pods, one hop away from the node, can get an IMDSv2 token and the node role's credentials`,
      ));
    }
    return outcomes.length > 0 ? outcomes : pass();
  },
});
