import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { App, Stack } from 'aws-cdk-lib';
import { buildComplianceReport, ComplianceReport } from '../../../lib/policy/report/json-report';
import { OSCAL_VERSION, renderOscalAssessmentResults } from '../../../lib/policy/report/oscal-report';
import { REPORT_FILES } from '../../../lib/policy/report/write-reports';
import { complianceOfStacks } from '../../compliance-harness';
import {
  addAcknowledgedSandbox, addExpiredAcknowledgment, addModelCards, addUnencryptedBucket, EXPIRED, NOW, SOON, synthesize,
} from './report-apps';

// NIST's published schema (test/support/oscal/README.md). Draft-07 with Unicode property escapes in its patterns (\p{L}):
// ajv compiles it in strict mode, with Unicode regular expressions; ajv-formats adds date-time, uri, uri-reference, email.
const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../support/oscal/oscal_assessment-results_schema.json'), 'utf-8'));
const ajv = new Ajv({ strict: true, unicodeRegExp: true, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

/** The document is valid against NIST's schema; otherwise the test fails listing what is not. */
function expectValid(document: unknown): void {
  const valid = validate(document);
  expect(valid ? [] : ajv.errorsText(validate.errors, { separator: '\n' }).split('\n')).toEqual([]);
}

// One app, three evaluations: a compliant app (two model cards), an app with findings, an app with acknowledgments
// (two active, one expired).
const app = new App();
const cards = addModelCards(app);
const raw = addUnencryptedBucket(app);
const sandbox = addAcknowledgedSandbox(app);
const stale = addExpiredAcknowledgment(app);
const reportOf = (stacks: Stack[]) => buildComplianceReport(complianceOfStacks(stacks, undefined, NOW.toISOString()));
const compliant = reportOf([Stack.of(cards.rootCard), Stack.of(cards.stageCard)]);
const withFindings = reportOf([raw]);
const withAcknowledgments = reportOf([sandbox, stale]);
const documents = {
  compliant: renderOscalAssessmentResults(compliant),
  findings: renderOscalAssessmentResults(withFindings),
  acknowledgments: renderOscalAssessmentResults(withAcknowledgments),
};
const ar = (document: { 'assessment-results': Record<string, unknown> }) => document['assessment-results'] as any;
const resultOf = (document: { 'assessment-results': Record<string, unknown> }) => ar(document).results[0];

describe('the OSCAL assessment results', () => {
  test('follow the OSCAL release of the schema they are tested against', () => {
    expect(schema.$id).toBe(`http://csrc.nist.gov/ns/oscal/${OSCAL_VERSION}/oscal-ar-schema.json`);
    for (const document of Object.values(documents)) expect(ar(document).metadata['oscal-version']).toBe(OSCAL_VERSION);
  });

  test('of a compliant app are valid: every control with evidence satisfied, passing resources counted, not listed', () => {
    expect(compliant.verdict).toBe('compliant');
    expectValid(documents.compliant);
    const result = resultOf(documents.compliant);
    expect(result.findings.length).toBeGreaterThan(0);
    expect(new Set(result.findings.map((f: any) => f.target.status.state))).toEqual(new Set(['satisfied']));
    expect(result.observations.every((o: any) => o.subjects === undefined)).toBe(true);
    const rotation = result.observations.find((o: any) => o.title.startsWith('MLOPS-KMS-001:'));
    expect(rotation.props).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'pass-count', value: '2' })]));
    expect(rotation.methods).toEqual(['EXAMINE']);
    expect(rotation['relevant-evidence']).toEqual([expect.objectContaining({ href: REPORT_FILES.json })]);
    expect(result['local-definitions']['inventory-items']).toBeUndefined();
  });

  test('of an app with findings are valid: violated controls not satisfied, the failing resource a subject of each failing rule', () => {
    expect(withFindings.verdict).toBe('non-compliant');
    expectValid(documents.findings);
    const result = resultOf(documents.findings);
    const encryption = result.findings.find((f: any) => f.props.some((p: any) => p.value === '164.312(a)(2)(iv)'));
    expect(encryption.target).toEqual(expect.objectContaining({
      type: 'objective-id', 'target-id': 'hipaa_164.312_a_2_iv_obj', status: { state: 'not-satisfied', reason: 'fail' },
    }));
    const observation = result.observations.find((o: any) => o.title.startsWith('MLOPS-S3-001:'));
    expect(observation.types).toEqual(['finding']);
    expect(observation.subjects).toEqual([expect.objectContaining({
      type: 'inventory-item',
      title: withFindings.findings[0].constructPath,
      props: expect.arrayContaining([expect.objectContaining({ name: 'verdict', value: 'fail' }), expect.objectContaining({ name: 'property-path', value: 'Properties/BucketEncryption' })]),
      remarks: 'the bucket has no default encryption configuration',
    })]);
    expect(result['local-definitions']['inventory-items']).toEqual([expect.objectContaining({
      uuid: observation.subjects[0]['subject-uuid'],
      props: expect.arrayContaining([expect.objectContaining({ name: 'resource-type', value: 'AWS::S3::Bucket' })]),
    })]);
  });

  test('of an app with acknowledgments are valid: each one a risk, approved while it holds, open once expired, its expiry the deadline', () => {
    expectValid(documents.acknowledgments);
    const risks = resultOf(documents.acknowledgments).risks;
    expect(risks).toHaveLength(3);
    const prop = (risk: any, name: string) => risk.props.find((p: any) => p.name === name)?.value;
    const soon = risks.find((r: any) => prop(r, 'scope') === 'Sandbox/Quarterly');
    expect(soon).toEqual(expect.objectContaining({ status: 'deviation-approved', description: SOON.reason, deadline: `${SOON.expires}T23:59:59Z` }));
    expect([prop(soon, 'approved-by'), prop(soon, 'ticket'), prop(soon, 'rule-id')]).toEqual([SOON.approvedBy, SOON.ticket, 'MLOPS-LOGS-002']);
    const expired = risks.find((r: any) => prop(r, 'scope') === 'Stale/Legacy');
    expect(expired).toEqual(expect.objectContaining({ status: 'open', description: EXPIRED.reason, deadline: `${EXPIRED.expires}T23:59:59Z` }));
    expect(expired.statement).toContain('The acknowledgment has expired');
    const retention = resultOf(documents.acknowledgments).findings.find((f: any) => f.props.some((p: any) => p.value === '164.316(b)(2)(i)'));
    expect(retention.target.status).toEqual({ state: 'not-satisfied', reason: 'fail' });
    expect(retention['related-risks'].map((r: any) => r['risk-uuid']).sort()).toEqual(risks.map((r: any) => r.uuid).sort());
  });

  test('report a control satisfied only through acknowledgments as satisfied for another reason than a pass', () => {
    const report = reportOf([sandbox]);
    expectValid(renderOscalAssessmentResults(report));
    const retention = resultOf(renderOscalAssessmentResults(report)).findings.find((f: any) => f.props.some((p: any) => p.value === '164.316(b)(2)(i)'));
    expect(retention.target.status).toEqual({ state: 'satisfied', reason: 'other', remarks: '2 verdict(s) waived by accepted deviations (the related risks).' });
  });

  test('are rejected by the schema when a control id is not an OSCAL token, or import-ap is missing: validation is not vacuous', () => {
    const bad = structuredClone(documents.compliant) as any;
    bad['assessment-results'].results[0]['reviewed-controls']['control-selections'][0]['include-controls'][0]['control-id'] = '164.312(a)(2)(iv)';
    expect(validate(bad)).toBe(false);
    expect(validate.errors).toEqual(expect.arrayContaining([expect.objectContaining({
      instancePath: '/assessment-results/results/0/reviewed-controls/control-selections/0/include-controls/0/control-id', keyword: 'pattern',
    })]));
    const noPlan = structuredClone(documents.compliant) as any;
    delete noPlan['assessment-results']['import-ap'];
    expect(validate(noPlan)).toBe(false);
    expect(validate.errors).toEqual(expect.arrayContaining([expect.objectContaining({ keyword: 'required', params: { missingProperty: 'import-ap' } })]));
  });

  test('map control ids to OSCAL tokens, NIST SP 800-53 ids as in NIST\'s catalog, and keep the original id', () => {
    const selections = resultOf(documents.findings)['reviewed-controls']['control-selections'];
    const tokens = (pack: string) => {
      const selection = selections.find((s: any) => s.props.some((p: any) => p.name === 'pack' && p.value === pack));
      return Object.fromEntries(selection.props.filter((p: any) => p.name === 'original-control-id').map((p: any) => [p.value, p.class]));
    };
    expect(tokens('hipaa')['164.312(a)(2)(iv)']).toBe('hipaa_164.312_a_2_iv');
    expect(tokens('nist-800-53-r5')).toEqual(expect.objectContaining({ 'SC-28': 'sc-28', 'SC-28(1)': 'sc-28.1' }));
    expect(tokens('gdpr')['Art. 32(1)(a)']).toBe('gdpr_Art._32_1_a');
    expect(tokens('sr-11-7')['VI documentation']).toBe('sr-11-7_VI_documentation');
    const includes = selections.flatMap((s: any) => (s['include-controls'] ?? []).map((c: any) => c['control-id']));
    expect(new Set(includes).size).toBe(includes.length);
  });

  test('give ids that would share a token a hash of the original, so the mapping stays one to one', () => {
    const template = withFindings.controls[0];
    const report: ComplianceReport = { ...withFindings, controls: [...withFindings.controls, { ...template, control: '1.2(a)' }, { ...template, control: '1.2 a' }] };
    const document = renderOscalAssessmentResults(report);
    expectValid(document);
    const selection = resultOf(document)['reviewed-controls']['control-selections'].find((s: any) => s.props.some((p: any) => p.value === template.pack));
    const clashing = selection.props.filter((p: any) => p.value === '1.2(a)' || p.value === '1.2 a').map((p: any) => p.class);
    expect(clashing).toHaveLength(2);
    expect(clashing[0]).not.toBe(clashing[1]);
    for (const token of clashing) expect(token).toMatch(new RegExp(`^${template.pack}_1.2_a_[0-9a-f]{8}$`));
  });

  test('resolve every reference they make', () => {
    for (const document of Object.values(documents)) {
      const doc = ar(document);
      const result = doc.results[0];
      const uuids = (items: any[] | undefined) => new Set((items ?? []).map((i) => i.uuid));
      const inventory = uuids(result['local-definitions']['inventory-items']);
      const observations = uuids(result.observations);
      const risks = uuids(result.risks);
      const components = uuids(result['local-definitions']['assessment-assets'].components);
      const objectives = doc['local-definitions']['objectives-and-methods'];
      for (const o of result.observations) {
        for (const s of o.subjects ?? []) expect(inventory).toContain(s['subject-uuid']);
        for (const origin of o.origins) for (const actor of origin.actors) expect(components).toContain(actor['actor-uuid']);
      }
      for (const f of result.findings ?? []) {
        for (const r of f['related-observations']) expect(observations).toContain(r['observation-uuid']);
        for (const r of f['related-risks'] ?? []) expect(risks).toContain(r['risk-uuid']);
        expect(objectives.flatMap((o: any) => o.parts.map((p: any) => p.id))).toContain(f.target['target-id']);
      }
      for (const r of result.risks ?? []) for (const o of r['related-observations']) expect(observations).toContain(o['observation-uuid']);
      const controls = new Set(objectives.map((o: any) => o['control-id']));
      for (const s of result['reviewed-controls']['control-selections']) for (const c of s['include-controls'] ?? []) expect(controls).toContain(c['control-id']);
      expect(uuids(doc['back-matter'].resources)).toContain(doc['import-ap'].href.slice(1));
    }
  });

  test('give every object its own UUID, and the same document for two synths of the same app except its timestamps', () => {
    for (const document of Object.values(documents)) {
      const all = JSON.stringify(document).match(/"uuid":"[^"]+"/g)!;
      expect(new Set(all).size).toBe(all.length);
    }
    const build = (a: App) => {
      addUnencryptedBucket(a);
      addAcknowledgedSandbox(a);
    };
    const first = synthesize(build, NOW);
    const second = synthesize(build, new Date(NOW.getTime() + 3_600_000));
    expect(second.outdir).not.toBe(first.outdir);
    const read = (outdir: string) => fs.readFileSync(path.join(outdir, REPORT_FILES.oscal), 'utf-8');
    const timestamps = /"(last-modified|start|end|collected)": "[^"]+"/g;
    expect(read(first.outdir)).toMatch(timestamps);
    expect(read(second.outdir)).not.toBe(read(first.outdir));
    expect(read(second.outdir).replace(timestamps, '"$1": "T"')).toBe(read(first.outdir).replace(timestamps, '"$1": "T"'));
  });
});
