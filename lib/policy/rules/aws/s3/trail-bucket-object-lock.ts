import { checkEach } from '../cloudtrail/property-checks';
import { defineRule, fail, notApplicable, unresolvable } from '../../../rule';
import { TRAIL_DESTINATIONS } from './trail-destinations';

const BUCKET = 'AWS::S3::Bucket';
const TRAIL = (bucket: unknown) => ({
  Type: 'AWS::CloudTrail::Trail',
  Properties: { S3BucketName: bucket, IsLogging: true, IsMultiRegionTrail: true, EnableLogFileValidation: true },
});
const LOCKED = (retention: Record<string, unknown>) => ({
  ObjectLockEnabled: true,
  ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: retention } },
  VersioningConfiguration: { Status: 'Enabled' },
});

/** MLOPS-S3-010: the bucket a trail delivers to keeps every log file immutable for a default retention period. */
export default defineRule({
  id: 'MLOPS-S3-010',
  title: 'S3 bucket that receives CloudTrail logs has Object Lock in compliance mode with a default retention',
  resourceTypes: [BUCKET],
  severity: 'high',
  themes: ['LOGI', 'RET'],
  acknowledgeable: true,
  rationale:
    'Log file validation proves that a log file was altered or deleted; it does not stop it. An administrator (or an ' +
    'attacker holding an administrator session) can still delete the evidence of what they did. Object Lock with a ' +
    'default retention in COMPLIANCE mode makes every delivered log file and digest immutable until the retention ' +
    'ends, for every principal including the account root. GOVERNANCE mode can be bypassed with ' +
    's3:BypassGovernanceRetention, so it does not protect against a privileged insider. An organisation that ' +
    'protects the trail bucket otherwise (replication into a locked bucket of a log archive account) acknowledges this rule.',
  fix:
    'Use regulated-mlops AuditTrail, or create the trail bucket with objectLockEnabled: true and objectLockDefaultRetention: ' +
    's3.ObjectLockRetention.compliance(Duration.days(2557)) (AWS::S3::Bucket ObjectLockEnabled: true, ObjectLockConfiguration ' +
    '{ObjectLockEnabled: Enabled, Rule: {DefaultRetention: {Mode: COMPLIANCE, Days: 2557}}}). Object Lock can be turned on ' +
    'for an existing bucket only through S3 (PutObjectLockConfiguration), so a new bucket is the simpler path.',
  references: [
    'AWS Config s3-bucket-default-lock-enabled',
    'Control Tower CT.S3.PR.9',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html',
    'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html',
  ],
  scenarios: [
    {
      name: 'trail bucket locked in COMPLIANCE mode for 2557 days',
      expect: 'pass',
      resource: { Type: BUCKET, Properties: LOCKED({ Mode: 'COMPLIANCE', Days: 2557 }) },
      others: { Trail: TRAIL({ Ref: 'Subject' }) },
    },
    {
      name: 'trail names the bucket by its literal name; retention in years',
      expect: 'pass',
      resource: { Type: BUCKET, Properties: { BucketName: 'org-audit-trail', ...LOCKED({ Mode: 'COMPLIANCE', Years: 7 }) } },
      others: { Trail: TRAIL('org-audit-trail') },
    },
    {
      name: 'a bucket no trail delivers to',
      expect: 'not-applicable',
      resource: { Type: BUCKET, Properties: {} },
      others: { Other: { Type: BUCKET, Properties: LOCKED({ Mode: 'COMPLIANCE', Days: 365 }) }, Trail: TRAIL({ Ref: 'Other' }) },
    },
    { name: 'trail bucket without Object Lock', expect: 'fail', resource: { Type: BUCKET, Properties: {} }, others: { Trail: TRAIL({ Ref: 'Subject' }) } },
    {
      name: 'Object Lock enabled without a default retention',
      expect: 'fail',
      resource: { Type: BUCKET, Properties: { ObjectLockEnabled: true, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } } },
      others: { Trail: TRAIL({ Ref: 'Subject' }) },
    },
    {
      name: 'GOVERNANCE mode (bypassable)',
      expect: 'fail',
      resource: { Type: BUCKET, Properties: LOCKED({ Mode: 'GOVERNANCE', Days: 2557 }) },
      others: { Trail: TRAIL({ Ref: 'Subject' }) },
    },
    {
      name: 'Object Lock from a parameter',
      expect: 'unresolvable',
      resource: { Type: BUCKET, Properties: { ...LOCKED({ Mode: 'COMPLIANCE', Days: 2557 }), ObjectLockEnabled: { Ref: 'Lock' } } },
      others: { Trail: TRAIL({ Ref: 'Subject' }) },
    },
    {
      name: 'unlocked bucket, and a trail delivers to a bucket named by a parameter',
      expect: 'unresolvable',
      resource: { Type: BUCKET, Properties: {} },
      others: { Trail: TRAIL({ Ref: 'TrailBucketName' }) },
    },
  ],
  evaluate(bucket, ctx) {
    const { byBucket, unknown } = ctx.appIndex(TRAIL_DESTINATIONS);
    const trails = byBucket.get(ctx.document)?.get(bucket.logicalId) ?? [];
    const maybe = unknown.get(ctx.document) ?? [];
    if (trails.length === 0 && maybe.length === 0) return notApplicable('no CloudTrail trail delivers its log files to this bucket');
    const names = trails.map((t) => (t.document === ctx.document ? t.trail.logicalId : `${t.trail.logicalId} (${t.document.stack ?? t.document.source})`));
    const of = names.length > 0 ? `the log files of ${names.join(', ')}` : 'trail log files';
    const p = bucket.properties;
    const config = 'Properties/ObjectLockConfiguration';
    const retention = `${config}/Rule/DefaultRetention`;
    const outcomes = checkEach([
      () => {
        const enabled = ctx.bool(p.ObjectLockEnabled, 'Properties/ObjectLockEnabled');
        if (enabled === true) return undefined;
        return fail('Properties/ObjectLockEnabled', `ObjectLockEnabled is ${enabled === false ? 'false' : 'unset'}: ${of} can be deleted or overwritten`);
      },
      () => {
        const status = ctx.string(ctx.literal(p.ObjectLockConfiguration, config)?.ObjectLockEnabled, `${config}/ObjectLockEnabled`);
        if (status === 'Enabled') return undefined;
        return fail(`${config}/ObjectLockEnabled`, `ObjectLockConfiguration.ObjectLockEnabled is ${status ?? 'unset'}, not Enabled`);
      },
      () => {
        const rule = ctx.literal(ctx.literal(p.ObjectLockConfiguration, config)?.Rule, `${config}/Rule`);
        const defaults = ctx.literal(rule?.DefaultRetention, retention);
        if (defaults === undefined) {
          return fail(retention, `no default retention: ${of} are locked only if the writer asks for it, and CloudTrail does not`);
        }
        const mode = ctx.string(defaults.Mode, `${retention}/Mode`);
        if (mode === 'GOVERNANCE') {
          return fail(`${retention}/Mode`, 'Mode is GOVERNANCE: principals with s3:BypassGovernanceRetention can still delete log files; use COMPLIANCE');
        }
        if (mode !== 'COMPLIANCE') return fail(`${retention}/Mode`, `Mode is ${mode ?? 'unset'}, not COMPLIANCE`);
        const days = ctx.number(defaults.Days, `${retention}/Days`) ?? 0;
        const years = ctx.number(defaults.Years, `${retention}/Years`) ?? 0;
        if (days <= 0 && years <= 0) return fail(retention, 'DefaultRetention sets neither Days nor Years: no retention period');
        return undefined;
      },
    ]);
    if (trails.length > 0 || outcomes.every((o) => o.status === 'pass')) return outcomes;
    // Only a trail whose bucket is unknown may deliver here: whether the lock is required cannot be known at synth.
    return unresolvable('Properties/ObjectLockEnabled', `the bucket has no complete Object Lock, and ${maybe.map((t) => t.logicalId).join(', ')} delivers to a bucket that cannot be resolved at synth and may be this one`);
  },
});
