import { ComplianceResult, Finding, formatControls } from '../policy/engine';
import type { LoadedInputs } from './load-input';
import { plural } from './plural';

/**
 * The human report: one block per finding (what, how bad, where in the file and in the app, which controls,
 * how to fix), then `N findings in M resources (P packs)`.
 */
export function formatText(result: ComplianceResult, inputs: LoadedInputs): string {
  const blocks = result.findings.map((f) => findingBlock(f, inputs));
  const summary =
    `${plural(result.findings.length, 'finding')} in ${plural(inputs.resourceCount, 'resource')} ` +
    `(${plural(result.packs.length, 'pack')})`;
  return [...blocks, summary].join('\n\n') + '\n';
}

function findingBlock(f: Finding, inputs: LoadedInputs): string {
  const line = inputs.lineOf(f.source, f.appliedByLogicalId ?? f.logicalId);
  const controls = formatControls(f.mappings);
  const rows: [string, string][] = [
    ['severity', f.status === 'could-not-evaluate' ? `${f.severity} (could not evaluate: fails closed)` : f.severity],
    ['location', line !== undefined ? `${f.source}:${line}` : f.source],
    ['resource', f.constructPath ? `${f.constructPath} (${f.logicalId}, ${f.type})` : `${f.logicalId} (${f.type})`],
    ['property', f.path || '(the resource)'],
    ['message', f.message],
    ['controls', controls || '(none cited by the selected packs)'],
    ['fix', f.fix],
  ];
  if (f.expiredAcknowledgment) {
    const a = f.expiredAcknowledgment;
    rows.push(['waiver', `acknowledgment by ${a.approvedBy}${a.ticket ? ` (${a.ticket})` : ''} expired on ${a.expires}`]);
  }
  rows.push(['acknowledge', f.acknowledgeable ? `allowed, with reason, approver and expiry (rule ${f.ruleId})` : 'not allowed for this rule']);
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  return [`${f.ruleId} ${f.title}`, ...rows.map(([label, value]) => `  ${`${label}:`.padEnd(width)} ${value}`)].join('\n');
}
