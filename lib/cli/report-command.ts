import * as path from 'path';
import { PolicyEngine } from '../policy/engine';
import type { Pack } from '../policy/pack';
import type { ComplianceReport } from '../policy/report/json-report';
import { REPORT_FILES, writeReports } from '../policy/report/write-reports';
import { RULE_CATALOG } from '../policy/rules/catalog';
import { CliError } from './cli-error';
import type { CliIo } from './io';
import { plural } from './plural';
import { readAssembly } from './read-assembly';

/** Options of `report`. */
export interface ReportOptions {
  /** The cloud assembly (`cdk.out`), as the user typed it. */
  readonly assembly: string;
  readonly packs: readonly Pack[];
  /** The date rules and acknowledgments are judged on. @default - today */
  readonly date?: Date;
  /** Where the reports go. @default - the assembly directory, beside the templates (where a synth writes them) */
  readonly out?: string;
}

/**
 * `report`: evaluates every template of a cloud assembly, nested stages included, as the validation plugin does on
 * a synth (the acknowledgments recorded in the templates' metadata included) and writes the compliance reports.
 * Prints one line (verdict, counts, the files written); exit code 1 when there is any finding.
 */
export function runReport(options: ReportOptions, io: CliIo): number {
  const assembly = readAssembly(options.assembly, io.cwd);
  const engine = new PolicyEngine({ catalog: RULE_CATALOG, packs: options.packs });
  const result = engine.evaluate(assembly.stacks.map((s) => s.document), options.date ?? new Date());
  const out = options.out ?? options.assembly;
  let report: ComplianceReport;
  try {
    report = writeReports(result, path.resolve(io.cwd, out));
  } catch (e) {
    throw new CliError(`cannot write the reports: ${(e as Error).message}`, out);
  }
  const files = Object.values(REPORT_FILES).map((file) => path.join(out, file));
  const s = report.summary;
  io.stdout(
    `${report.verdict}: ${plural(s.findings, 'finding')}, ${plural(s.acknowledgments, 'acknowledgment')} in force, ` +
    `${plural(s.resourcesEvaluated, 'resource')} evaluated in ${plural(assembly.stacks.length, 'stack')} (${plural(result.packs.length, 'pack')}); ` +
    `wrote ${files.join(', ')}\n`,
  );
  return result.findings.length > 0 ? 1 : 0;
}
