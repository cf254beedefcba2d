import * as fs from 'fs';
import * as path from 'path';
import type { ModelCard } from '../../../constructs/registry/model-card';
import { findModelCards } from '../../../lib/policy/report/model-card-links';
import { renderOscalAssessmentResults } from '../../../lib/policy/report/oscal-report';
import { REPORT_FILES, writeReports } from '../../../lib/policy/report/write-reports';
import { tempDir } from '../../cli/run-cli';
import { addAcknowledgedSandbox, addModelCards, MARKUP, synthesize } from './report-apps';

// One compliant app: two model cards (one in a nested stage) and an acknowledged sandbox.
let cards: { rootCard: ModelCard; stageCard: ModelCard } | undefined;
const { outdir, result, report } = synthesize((app) => {
  cards = addModelCards(app);
  addAcknowledgedSandbox(app);
});
const read = (file: string) => fs.readFileSync(path.join(outdir, file), 'utf-8');
const posix = (file: string) => file.split(path.sep).join('/');

describe('writeReports', () => {
  test('names four reports, and a synth writes them all into the cloud assembly', () => {
    expect(REPORT_FILES).toEqual({
      json: 'compliance-report.json', markdown: 'compliance-report.md', html: 'compliance-report.html', oscal: 'compliance-report.oscal.json',
    });
    for (const file of Object.values(REPORT_FILES)) expect(fs.statSync(path.join(outdir, file)).size).toBeGreaterThan(1000);
  });

  test('writes the four reports of one evaluation, and returns the JSON report', () => {
    const directory = path.join(tempDir('write-reports'), 'not-yet-there');
    const written = writeReports(result, directory);
    expect(JSON.parse(fs.readFileSync(path.join(directory, REPORT_FILES.json), 'utf-8'))).toEqual(written);
    expect(written.verdict).toBe('compliant');
    expect(fs.readFileSync(path.join(directory, REPORT_FILES.markdown), 'utf-8')).toContain('**Verdict: compliant**');
    expect(fs.readFileSync(path.join(directory, REPORT_FILES.html), 'utf-8')).toContain('data-verdict="compliant"');
    expect(JSON.parse(fs.readFileSync(path.join(directory, REPORT_FILES.oscal), 'utf-8'))).toEqual(renderOscalAssessmentResults(written));
  });

  test('links in the HTML the Markdown each ModelCard wrote: in the app\'s assembly and in the nested stage\'s', () => {
    const expected = [`assembly-Prod/${posix(cards!.stageCard.markdownPath)}`, posix(cards!.rootCard.markdownPath)];
    expect(findModelCards(outdir).map((c) => c.path)).toEqual(expected);
    const html = read(REPORT_FILES.html);
    for (const href of expected) {
      expect(fs.existsSync(path.join(outdir, href))).toBe(true);
      expect(html).toContain(`<a href="${href}">`);
    }
  });

  test('writes the OSCAL document of the same evaluation', () => {
    expect(JSON.parse(read(REPORT_FILES.oscal))).toEqual(renderOscalAssessmentResults(report));
  });
});

describe('findModelCards', () => {
  test('reads the model, status, risk rating and construct path from each card', () => {
    expect(findModelCards(outdir)).toEqual([
      { path: 'assembly-Prod/model-cards/Prod/Models/Card.md', modelName: 'credit-risk', constructPath: 'Prod/Models/Card', status: 'PendingReview', riskRating: 'Medium' },
      { path: 'model-cards/Registry/Card.md', modelName: `churn ${MARKUP}`, constructPath: 'Registry/Card', status: 'PendingReview', riskRating: 'Low' },
    ]);
  });

  test('looks in model-cards/ of the assembly and of nested assemblies at any depth, nowhere else', () => {
    const root = tempDir('model-cards');
    const write = (file: string, text = '# Model card: m\n') => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    for (const file of [
      'model-cards/a.md', 'model-cards/deeper/b.md', 'assembly-A/model-cards/c.md', 'assembly-A/assembly-A-B/model-cards/d.md',
      'model-cards/notes.txt', 'compliance-report.md', 'asset.0123/model-cards/e.md', 'assembly-A/asset.4567/model-cards/f.md',
    ]) write(file);
    write('model-cards/untitled.md', 'no heading\n');
    expect(findModelCards(root).map((c) => c.path)).toEqual([
      'assembly-A/assembly-A-B/model-cards/d.md', 'assembly-A/model-cards/c.md', 'model-cards/a.md', 'model-cards/deeper/b.md', 'model-cards/untitled.md',
    ]);
    expect(findModelCards(root).find((c) => c.path === 'model-cards/untitled.md')).toEqual({ path: 'model-cards/untitled.md', modelName: 'untitled' });
    expect(findModelCards(path.join(root, 'missing'))).toEqual([]);
  });
});
