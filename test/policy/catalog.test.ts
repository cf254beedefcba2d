import * as fs from 'fs';
import * as path from 'path';
import { controlsFor } from '../../lib/policy/pack';
import { ALL_PACKS } from '../../lib/policy/packs';
import { RULE_CATALOG } from '../../lib/policy/rules/catalog';
import { evaluateScenario, verdictOf } from './rule-harness';

/** Every test file under test/policy/rules, read once. */
function ruleTestSources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.test.ts')) out.push(fs.readFileSync(full, 'utf-8'));
    }
  };
  walk(path.join(__dirname, 'rules'));
  return out;
}

describe('rule catalog', () => {
  const tests = ruleTestSources();

  it('has unique ids', () => {
    const ids = RULE_CATALOG.map((r) => r.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  describe.each(RULE_CATALOG.map((r) => [r.id, r] as const))('%s', (id, rule) => {
    it('has complete metadata', () => {
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.rationale.length).toBeGreaterThan(40);
      expect(rule.fix.length).toBeGreaterThan(20);
      expect(rule.references.length).toBeGreaterThan(0);
      expect(rule.resourceTypes.length).toBeGreaterThan(0);
      expect(rule.themes.length).toBeGreaterThan(0);
    });

    it('documents a passing and a failing scenario, and behaves as they say', () => {
      const expectations = rule.scenarios.map((s) => s.expect);
      expect(expectations).toContain('pass');
      expect(expectations).toContain('fail');
      for (const scenario of rule.scenarios) {
        expect({ scenario: scenario.name, verdict: verdictOf(evaluateScenario(rule, scenario)) }).toEqual({ scenario: scenario.name, verdict: scenario.expect });
      }
    });

    it('has its own test file', () => {
      expect(tests.filter((source) => source.includes(id)).length).toBeGreaterThanOrEqual(1);
    });

    it('belongs to at least one pack, and cites a control in every pack it belongs to', () => {
      const packs = ALL_PACKS.filter((p) => p.rules.some((r) => r.ruleId === id));
      expect(packs.length).toBeGreaterThan(0);
      for (const pack of packs) {
        const entry = pack.rules.find((r) => r.ruleId === id)!;
        expect({ pack: pack.id, controls: controlsFor(pack, entry, rule.themes).length > 0 }).toEqual({ pack: pack.id, controls: true });
      }
    });
  });
});

describe('packs', () => {
  it('have unique ids and semantic versions', () => {
    expect(new Set(ALL_PACKS.map((p) => p.id)).size).toBe(ALL_PACKS.length);
    for (const pack of ALL_PACKS) expect(pack.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('name only rules of the catalog, each once', () => {
    const known = new Set(RULE_CATALOG.map((r) => r.id));
    for (const pack of ALL_PACKS) {
      const ids = pack.rules.map((r) => r.ruleId);
      expect({ pack: pack.id, unknown: ids.filter((id) => !known.has(id)), duplicates: ids.filter((id, i) => ids.indexOf(id) !== i) }).toEqual({ pack: pack.id, unknown: [], duplicates: [] });
    }
  });

  // Golden: a change to a pack's rules, controls or severities shows up here and must be deliberate (`jest -u`).
  it.each(ALL_PACKS.map((p) => [p.id, p] as const))('%s matches its golden mapping', (_id, pack) => {
    const byId = new Map(RULE_CATALOG.map((r) => [r.id, r]));
    const mapping = pack.rules.map((entry) => {
      const rule = byId.get(entry.ruleId)!;
      return `${entry.ruleId} [${entry.severity ?? rule.severity}] ${controlsFor(pack, entry, rule.themes).join(', ')}`;
    });
    expect({ id: pack.id, version: pack.version, framework: pack.framework, rules: mapping }).toMatchSnapshot();
  });
});
