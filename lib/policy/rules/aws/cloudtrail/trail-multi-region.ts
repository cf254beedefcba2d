import { defineRule, fail } from '../../../rule';
import { checkEach } from './property-checks';

const TRAIL = 'AWS::CloudTrail::Trail';
const BUCKET = { S3BucketName: 'audit-trail-bucket' };

/** MLOPS-CT-001: the trail records every region, global services (IAM, STS), and is started. */
export default defineRule({
  id: 'MLOPS-CT-001',
  title: 'CloudTrail trail is multi-region, includes global service events and is logging',
  resourceTypes: [TRAIL],
  severity: 'high',
  themes: ['LOG'],
  acknowledgeable: false,
  rationale:
    'The trail is the audit record of who changed models, endpoints, keys and roles. A single-region trail misses ' +
    'API calls made in any other region (an attacker or a mistake simply uses another region); without global ' +
    'service events it misses IAM and STS calls (role changes, assumed sessions); a stopped trail records nothing.',
  fix:
    'Keep the cloudtrail.Trail defaults, or set isMultiRegionTrail: true and includeGlobalServiceEvents: true ' +
    '(AWS::CloudTrail::Trail IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true or unset). The Trail ' +
    'construct always starts logging; on a CfnTrail set isLogging: true (IsLogging: true).',
  references: [
    'AWS Config multi-region-cloudtrail-enabled',
    'AWS Config cloudtrail-security-trail-enabled',
    'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html',
  ],
  scenarios: [
    {
      name: 'multi-region, logging, global events by default',
      expect: 'pass',
      resource: { Type: TRAIL, Properties: { ...BUCKET, IsLogging: true, IsMultiRegionTrail: true } },
    },
    {
      name: 'multi-region with global events stated (string booleans)',
      expect: 'pass',
      resource: { Type: TRAIL, Properties: { ...BUCKET, IsLogging: 'true', IsMultiRegionTrail: 'true', IncludeGlobalServiceEvents: 'true' } },
    },
    {
      name: 'single-region trail (IsMultiRegionTrail unset)',
      expect: 'fail',
      resource: { Type: TRAIL, Properties: { ...BUCKET, IsLogging: true } },
    },
    {
      name: 'global service events excluded',
      expect: 'fail',
      resource: { Type: TRAIL, Properties: { ...BUCKET, IsLogging: true, IsMultiRegionTrail: true, IncludeGlobalServiceEvents: false } },
    },
    {
      name: 'trail created stopped',
      expect: 'fail',
      resource: { Type: TRAIL, Properties: { ...BUCKET, IsLogging: false, IsMultiRegionTrail: true } },
    },
    {
      name: 'stopped trail whose region scope comes from a parameter still fails on IsLogging',
      expect: 'fail',
      resource: { Type: TRAIL, Properties: { ...BUCKET, IsLogging: false, IsMultiRegionTrail: { Ref: 'MultiRegion' } } },
    },
    {
      name: 'logging switched by a parameter',
      expect: 'unresolvable',
      resource: { Type: TRAIL, Properties: { ...BUCKET, IsLogging: { Ref: 'EnableTrail' }, IsMultiRegionTrail: true } },
    },
  ],
  evaluate(trail, ctx) {
    const p = trail.properties;
    return checkEach([
      () => {
        const multiRegion = ctx.bool(p.IsMultiRegionTrail, 'Properties/IsMultiRegionTrail');
        if (multiRegion === true) return undefined;
        return fail(
          'Properties/IsMultiRegionTrail',
          `IsMultiRegionTrail is ${multiRegion === false ? 'false' : 'unset (CloudFormation defaults to false)'}: API calls in other regions are not recorded`,
        );
      },
      () =>
        ctx.bool(p.IncludeGlobalServiceEvents, 'Properties/IncludeGlobalServiceEvents') === false
          ? fail('Properties/IncludeGlobalServiceEvents', 'IncludeGlobalServiceEvents is false: IAM and STS calls are not recorded')
          : undefined,
      () => {
        const logging = ctx.bool(p.IsLogging, 'Properties/IsLogging');
        if (logging === true) return undefined;
        return fail('Properties/IsLogging', `IsLogging is ${logging === false ? 'false' : 'unset'}: the trail is created stopped and records nothing`);
      },
    ]);
  },
});
