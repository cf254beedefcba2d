import { defineRule, fail, pass } from '../../../rule';

const TRAIL = 'AWS::CloudTrail::Trail';
const BASE = { S3BucketName: 'audit-trail-bucket', IsLogging: true, IsMultiRegionTrail: true };

/** MLOPS-CT-002: the trail writes signed digest files, so tampering with delivered logs is detectable. */
export default defineRule({
  id: 'MLOPS-CT-002',
  title: 'CloudTrail trail has log file integrity validation enabled',
  resourceTypes: [TRAIL],
  severity: 'high',
  themes: ['LOGI'],
  acknowledgeable: false,
  rationale:
    'Audit evidence is only evidence if it can be shown unaltered. With validation on, CloudTrail delivers signed ' +
    'hourly digest files that prove whether a log file was modified or deleted after delivery.',
  fix:
    'Keep the cloudtrail.Trail default or set enableFileValidation: true (AWS::CloudTrail::Trail EnableLogFileValidation: true).',
  references: [
    'AWS Config cloud-trail-log-file-validation-enabled',
    'Control Tower CT.CLOUDTRAIL.PR.2',
    'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html',
  ],
  scenarios: [
    { name: 'validation enabled', expect: 'pass', resource: { Type: TRAIL, Properties: { ...BASE, EnableLogFileValidation: true } } },
    { name: 'validation unset (CloudFormation default false)', expect: 'fail', resource: { Type: TRAIL, Properties: BASE } },
    { name: 'validation disabled', expect: 'fail', resource: { Type: TRAIL, Properties: { ...BASE, EnableLogFileValidation: 'false' } } },
    {
      name: 'validation chosen by a parameter',
      expect: 'unresolvable',
      resource: { Type: TRAIL, Properties: { ...BASE, EnableLogFileValidation: { Ref: 'Validate' } } },
    },
  ],
  evaluate(trail, ctx) {
    const path = 'Properties/EnableLogFileValidation';
    const enabled = ctx.bool(trail.properties.EnableLogFileValidation, path);
    if (enabled === true) return pass();
    return fail(path, `EnableLogFileValidation is ${enabled === false ? 'false' : 'unset (CloudFormation defaults to false)'}: no digest files prove the logs unaltered`);
  },
});
