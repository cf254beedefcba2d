import type { Pack } from '../policy/pack';
import { RULE_CATALOG } from '../policy/rules/catalog';
import type { RulesFormat } from './args';
import type { CliIo } from './io';
import { plural } from './plural';

/** `rules`: the catalog rules of the selected packs, with their default severity and the packs that include them. */
export function runRules(options: { readonly packs: readonly Pack[]; readonly format: RulesFormat }, io: CliIo): number {
  const rows = RULE_CATALOG.map((rule) => ({
    id: rule.id,
    severity: rule.severity,
    title: rule.title,
    packs: options.packs.filter((p) => p.rules.some((r) => r.ruleId === rule.id)).map((p) => p.id),
    acknowledgeable: rule.acknowledgeable,
    resourceTypes: [...rule.resourceTypes],
  })).filter((r) => r.packs.length > 0);

  if (options.format === 'json') {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const table = [['ID', 'SEVERITY', 'TITLE', 'PACKS'], ...rows.map((r) => [r.id, r.severity, r.title, r.packs.join(',')])];
  const widths = [0, 1, 2].map((c) => Math.max(...table.map((row) => row[c].length)));
  const lines = table.map((row) => row.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]) : cell)).join('  ').trimEnd());
  io.stdout(`${lines.join('\n')}\n${plural(rows.length, 'rule')} in ${plural(options.packs.length, 'pack')}\n`);
  return 0;
}
