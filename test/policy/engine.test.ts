import { templateDocument } from '../../lib/policy/document';
import { PolicyEngine } from '../../lib/policy/engine';
import type { Pack } from '../../lib/policy/pack';
import { defineRule, fail, notApplicable, pass, Rule } from '../../lib/policy/rule';

const NOW = new Date('2026-11-26');

function testRule(id: string, types: string[], evaluate: Rule['evaluate'], acknowledgeable = true): Rule {
  return defineRule({
    id, title: `rule ${id}`, resourceTypes: types, severity: 'medium', themes: ['ENC'], acknowledgeable,
    rationale: 'r', fix: 'f', references: [], scenarios: [], evaluate,
  });
}

function pack(ruleIds: string[]): Pack {
  return { id: 'test', version: '1', framework: 'Test', controlPrefix: 'T', source: 's', crosswalk: { ENC: ['C-1'] }, rules: ruleIds.map((ruleId) => ({ ruleId })) };
}

const doc = (resources: Record<string, any>) => templateDocument({ Resources: resources }, { source: 't.json' });

describe('PolicyEngine', () => {
  it('dispatches by resource type: a rule only sees resources of its types', () => {
    const seen: string[] = [];
    const rule = testRule('MLOPS-T-001', ['AWS::S3::Bucket'], (r) => {
      seen.push(r.logicalId);
      return pass();
    });
    new PolicyEngine({ catalog: [rule], packs: [pack(['MLOPS-T-001'])] }).evaluate(
      [doc({ A: { Type: 'AWS::S3::Bucket' }, B: { Type: 'AWS::SQS::Queue' }, C: { Type: 'AWS::S3::Bucket' } })], NOW,
    );
    expect(seen).toEqual(['A', 'C']);
  });

  it('runs only the rules of the selected packs', () => {
    const a = testRule('MLOPS-T-001', ['AWS::S3::Bucket'], () => fail('Properties', 'a'));
    const b = testRule('MLOPS-T-002', ['AWS::S3::Bucket'], () => fail('Properties', 'b'));
    const result = new PolicyEngine({ catalog: [a, b], packs: [pack(['MLOPS-T-002'])] }).evaluate([doc({ A: { Type: 'AWS::S3::Bucket' } })], NOW);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['MLOPS-T-002']);
  });

  it('fails closed when a rule throws: "could not evaluate", never a pass', () => {
    const rule = testRule('MLOPS-T-001', ['AWS::S3::Bucket'], () => {
      throw new Error('boom');
    });
    const result = new PolicyEngine({ catalog: [rule], packs: [pack(['MLOPS-T-001'])] }).evaluate([doc({ A: { Type: 'AWS::S3::Bucket' } })], NOW);
    expect(result.findings).toEqual([expect.objectContaining({ status: 'could-not-evaluate', message: expect.stringContaining('boom') })]);
  });

  it('fails closed when a value depends on an intrinsic it cannot resolve', () => {
    const rule = testRule('MLOPS-T-001', ['AWS::KMS::Key'], (r, ctx) => (ctx.bool(r.properties.EnableKeyRotation, 'Properties/EnableKeyRotation') ? pass() : fail('Properties/EnableKeyRotation', 'off')));
    const result = new PolicyEngine({ catalog: [rule], packs: [pack(['MLOPS-T-001'])] }).evaluate(
      [doc({ K: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: { 'Fn::If': ['IsProd', true, false] } } } })], NOW,
    );
    expect(result.findings).toEqual([
      expect.objectContaining({ status: 'could-not-evaluate', path: 'Properties/EnableKeyRotation', message: expect.stringContaining('Fn::If') }),
    ]);
  });

  it('treats a rule that returns no verdict as could-not-evaluate', () => {
    const rule = testRule('MLOPS-T-001', ['AWS::S3::Bucket'], () => []);
    const result = new PolicyEngine({ catalog: [rule], packs: [pack(['MLOPS-T-001'])] }).evaluate([doc({ A: { Type: 'AWS::S3::Bucket' } })], NOW);
    expect(result.findings[0].status).toBe('could-not-evaluate');
  });

  it('counts not-applicable verdicts without listing them', () => {
    const rule = testRule('MLOPS-T-001', ['AWS::S3::Bucket'], () => notApplicable('n/a'));
    const result = new PolicyEngine({ catalog: [rule], packs: [pack(['MLOPS-T-001'])] }).evaluate([doc({ A: { Type: 'AWS::S3::Bucket' } })], NOW);
    expect(result.notApplicableCount).toBe(1);
    expect(result.resources[0].evaluations).toEqual([]);
  });

  it('builds a document index once per document, however many resources ask', () => {
    let builds = 0;
    const index = { id: 'count', build: () => ++builds };
    const rule = testRule('MLOPS-T-001', ['AWS::S3::Bucket'], (_r, ctx) => (ctx.index(index) > 0 ? pass() : fail('', 'x')));
    const resources = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`B${i}`, { Type: 'AWS::S3::Bucket' }]));
    new PolicyEngine({ catalog: [rule], packs: [pack(['MLOPS-T-001'])] }).evaluate([doc(resources), doc(resources)], NOW);
    expect(builds).toBe(2);
  });

  it('cites the controls of every selected pack and the highest severity', () => {
    const rule = testRule('MLOPS-T-001', ['AWS::S3::Bucket'], () => fail('Properties', 'x'));
    const strict: Pack = { ...pack(['MLOPS-T-001']), id: 'strict', controlPrefix: 'S', crosswalk: { ENC: ['S-9'] }, rules: [{ ruleId: 'MLOPS-T-001', severity: 'critical' }] };
    const result = new PolicyEngine({ catalog: [rule], packs: [pack(['MLOPS-T-001']), strict] }).evaluate([doc({ A: { Type: 'AWS::S3::Bucket' } })], NOW);
    expect(result.findings[0]).toMatchObject({ severity: 'critical', mappings: [{ packId: 'test', controls: ['C-1'] }, { packId: 'strict', controls: ['S-9'] }] });
  });

  it('refuses packs that name rules the catalog does not have', () => {
    expect(() => new PolicyEngine({ catalog: [], packs: [pack(['MLOPS-T-404'])] })).toThrow(/test:MLOPS-T-404/);
  });

  it('follows a cross-stack Fn::ImportValue to the exporting stack', () => {
    const producer = templateDocument({
      Resources: { Bucket: { Type: 'AWS::S3::Bucket' } },
      Outputs: { Out: { Value: { 'Fn::GetAtt': ['Bucket', 'Arn'] }, Export: { Name: 'Producer:BucketArn' } } },
    }, { source: 'producer.json' });
    let located: string | undefined;
    const rule = testRule('MLOPS-T-001', ['AWS::CloudTrail::Trail'], (r, ctx) => {
      located = ctx.locate(r.properties.Target)?.resource.type;
      return pass();
    });
    new PolicyEngine({ catalog: [rule], packs: [pack(['MLOPS-T-001'])] }).evaluate(
      [producer, doc({ T: { Type: 'AWS::CloudTrail::Trail', Properties: { Target: { 'Fn::ImportValue': 'Producer:BucketArn' } } } })], NOW,
    );
    expect(located).toBe('AWS::S3::Bucket');
  });
});
