import { defineRule, fail, notApplicable, pass } from '../../../rule';

const MIN_DAYS = 90;
const MAX_DAYS = 2560;

/** MLOPS-KMS-001: symmetric customer-managed keys rotate their key material automatically. */
export default defineRule({
  id: 'MLOPS-KMS-001',
  title: 'KMS symmetric key has automatic rotation enabled',
  resourceTypes: ['AWS::KMS::Key'],
  severity: 'medium',
  themes: ['KEY'],
  acknowledgeable: true,
  rationale:
    'A cryptoperiod bounds how much data one key version protects and how long a leaked version stays useful. ' +
    'Automatic rotation gives every symmetric key a cryptoperiod (365 days by default, 90 to 2560 configurable) ' +
    'without re-encrypting data or changing the key id. KMS cannot rotate asymmetric or HMAC keys, nor imported ' +
    'key material: those need a documented manual procedure.',
  fix:
    'Use regulated-mlops keys, or set enableKeyRotation: true (and optionally rotationPeriod: Duration.days(90..2560)) ' +
    'on the kms.Key (EnableKeyRotation: true, RotationPeriodInDays).',
  references: [
    'AWS Config cmk-backing-key-rotation-enabled',
    'Control Tower CT.KMS.PR.1',
    'https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html',
  ],
  scenarios: [
    { name: 'rotation enabled', expect: 'pass', resource: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } },
    {
      name: 'rotation enabled every 180 days on an explicit SYMMETRIC_DEFAULT key',
      expect: 'pass',
      resource: { Type: 'AWS::KMS::Key', Properties: { KeySpec: 'SYMMETRIC_DEFAULT', EnableKeyRotation: 'true', RotationPeriodInDays: 180 } },
    },
    { name: 'EnableKeyRotation absent', expect: 'fail', resource: { Type: 'AWS::KMS::Key', Properties: {} } },
    { name: 'EnableKeyRotation false', expect: 'fail', resource: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: false } } },
    {
      name: 'RotationPeriodInDays below 90',
      expect: 'fail',
      resource: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true, RotationPeriodInDays: 30 } },
    },
    {
      name: 'imported key material (Origin EXTERNAL)',
      expect: 'fail',
      resource: { Type: 'AWS::KMS::Key', Properties: { Origin: 'EXTERNAL' } },
    },
    {
      name: 'asymmetric signing key (RSA_2048)',
      expect: 'not-applicable',
      resource: { Type: 'AWS::KMS::Key', Properties: { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' } },
    },
    {
      name: 'HMAC key',
      expect: 'not-applicable',
      resource: { Type: 'AWS::KMS::Key', Properties: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' } },
    },
    {
      name: 'rotation from a parameter',
      expect: 'unresolvable',
      resource: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: { Ref: 'Rotate' } } },
    },
    {
      name: 'key spec from a parameter',
      expect: 'unresolvable',
      resource: { Type: 'AWS::KMS::Key', Properties: { KeySpec: { Ref: 'KeySpec' }, EnableKeyRotation: true } },
    },
  ],
  evaluate(key, ctx) {
    const spec = ctx.string(key.properties.KeySpec, 'Properties/KeySpec') ?? 'SYMMETRIC_DEFAULT';
    if (spec !== 'SYMMETRIC_DEFAULT') return notApplicable(`KeySpec is ${spec}: KMS does not rotate asymmetric or HMAC keys`);
    if (ctx.string(key.properties.Origin, 'Properties/Origin') === 'EXTERNAL') {
      return fail(
        'Properties/Origin',
        'Origin is EXTERNAL: KMS cannot rotate imported key material automatically; acknowledge this with the manual re-import procedure and its period',
      );
    }
    const rotation = ctx.bool(key.properties.EnableKeyRotation, 'Properties/EnableKeyRotation');
    if (rotation !== true) {
      return fail('Properties/EnableKeyRotation', `EnableKeyRotation is ${rotation ?? 'unset'}: the key material never rotates`);
    }
    const days = ctx.number(key.properties.RotationPeriodInDays, 'Properties/RotationPeriodInDays');
    if (days !== undefined && (days < MIN_DAYS || days > MAX_DAYS)) {
      return fail('Properties/RotationPeriodInDays', `RotationPeriodInDays is ${days}, outside the ${MIN_DAYS}-${MAX_DAYS} days KMS allows`);
    }
    return pass();
  },
});
