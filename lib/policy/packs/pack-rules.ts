import type { PackRule } from '../pack';

/** A pack's rule list from ids, with per-rule overrides where a framework needs them. */
export function packRules(ids: readonly string[], overrides: Readonly<Record<string, Omit<PackRule, 'ruleId'>>> = {}): PackRule[] {
  return ids.map((ruleId) => ({ ruleId, ...overrides[ruleId] }));
}
