import { PolicyEngine } from '../policy/engine';
import type { Pack } from '../policy/pack';
import { RULE_CATALOG } from '../policy/rules/catalog';
import type { CheckFormat } from './args';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { formatText } from './format-text';
import type { CliIo } from './io';
import { loadInputs } from './load-input';

/** Options of `check`. */
export interface CheckOptions {
  readonly paths: readonly string[];
  readonly packs: readonly Pack[];
  readonly format: CheckFormat;
  /** The date rules and acknowledgments are judged on. @default - today */
  readonly now?: Date;
}

/** `check`: loads the inputs, runs the packs, writes the report; exit code 1 when there is any finding. */
export function runCheck(options: CheckOptions, io: CliIo): number {
  const inputs = loadInputs(options.paths, io.cwd);
  for (const note of inputs.notes) io.stderr(`regulated-mlops: ${note}\n`);
  const engine = new PolicyEngine({ catalog: RULE_CATALOG, packs: options.packs });
  const result = engine.evaluate(inputs.documents, options.now ?? new Date());
  switch (options.format) {
    case 'json':
      io.stdout(formatJson(result));
      break;
    case 'sarif':
      io.stdout(formatSarif(result, inputs, io.cwd));
      break;
    default:
      io.stdout(formatText(result, inputs));
  }
  return result.findings.length > 0 ? 1 : 0;
}
