import type { Pack } from '../../../lib/policy/pack';
import { ALL_PACKS } from '../../../lib/policy/packs';
import { RULE_CATALOG } from '../../../lib/policy/rules/catalog';
import { RegulatedMlopsError } from '../../../lib/core/errors';

/**
 * The packs plus one pack with every rule of the catalog: the packs' lists are still being filled, and a construct's
 * defaults must pass every rule whether a pack cites it yet or not.
 */
export const EVERY_RULE_PACKS: readonly Pack[] = [...ALL_PACKS, {
  id: 'every-rule', version: '0.0.0', framework: 'Every rule of the catalog', controlPrefix: 'ALL', source: 'lib/policy/rules',
  crosswalk: {}, rules: RULE_CATALOG.map((rule) => ({ ruleId: rule.id })),
}];

/** The error `build` throws (fails the test if it throws none, or another kind). */
export function errorOf(build: () => unknown): RegulatedMlopsError {
  try {
    build();
  } catch (e) {
    if (e instanceof RegulatedMlopsError) return e;
    throw e;
  }
  throw new Error('expected a RegulatedMlopsError, but nothing was thrown');
}
