import { createHash } from 'crypto';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { describeFinding } from '../policy/adapters/cdk-validation-plugin';
import type { ComplianceResult, Finding } from '../policy/engine';
import type { ResolvedMapping } from '../policy/pack';
import { maxSeverity } from '../policy/pack';
import type { Rule, Severity } from '../policy/rule';
import { TOOL } from '../policy/report/json-report';
import type { LoadedInputs } from './load-input';

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Where a code-scanning user learns about the tool (the package page). */
export const INFORMATION_URI = 'https://www.npmjs.com/package/regulated-mlops';
/** The base id relative artifact URIs are resolved against: the working directory `check` ran in. */
export const SOURCE_ROOT = '%SRCROOT%';

/** GitHub code scanning ranks alerts by `security-severity` (0-10): critical > 9, high 7-8.9, medium 4-6.9. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

/**
 * SARIF 2.1.0 for code scanning: one reporting descriptor per rule that ran (with controls as tags and a
 * security-severity), one result per finding located at the resource's line and construct path.
 */
export function formatSarif(result: ComplianceResult, inputs: LoadedInputs, cwd: string): string {
  const ruleIds = [...result.rules.keys()];
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const log = {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: TOOL.name,
            version: TOOL.version,
            semanticVersion: TOOL.version,
            informationUri: INFORMATION_URI,
            rules: [...result.rules.values()].map(({ rule, mappings }) => reportingDescriptor(rule, mappings)),
          },
        },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: pathToFileURL(cwd.endsWith(path.sep) ? cwd : cwd + path.sep).href } },
        columnKind: 'utf16CodeUnits',
        results: result.findings.map((f) => sarifResult(f, ruleIndex.get(f.ruleId)!, inputs)),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function reportingDescriptor(rule: Rule, mappings: readonly ResolvedMapping[]) {
  const severity = mappings.reduce<Severity>((s, m) => maxSeverity(s, m.severity), 'low');
  const controls = [...new Set(mappings.flatMap((m) => m.controls.map((c) => `${m.controlPrefix} ${c}`)))];
  const helpUri = rule.references.find((r) => /^https:\/\//.test(r));
  return {
    id: rule.id,
    name: pascalCase(rule.title),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: {
      text: rule.fix,
      markdown: [
        `**Fix:** ${rule.fix}`,
        ...(controls.length > 0 ? [`**Controls:** ${controls.join(', ')}`] : []),
        ...(rule.references.length > 0 ? [rule.references.map((r) => `- ${r}`).join('\n')] : []),
      ].join('\n\n'),
    },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: 'error' },
    properties: {
      // `security` makes GitHub treat the alerts as security alerts and honour security-severity.
      tags: ['security', 'compliance', ...controls],
      'security-severity': SECURITY_SEVERITY[severity],
      precision: 'very-high',
      acknowledgeable: rule.acknowledgeable,
      resourceTypes: [...rule.resourceTypes],
    },
  };
}

function sarifResult(f: Finding, ruleIndex: number, inputs: LoadedInputs) {
  const line = inputs.lineOf(f.source, f.appliedByLogicalId ?? f.logicalId);
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: 'error',
    message: { text: describeFinding(f) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(f.source),
          // Line 1 when the resource could not be placed: code scanning needs a region to show the alert.
          region: { startLine: line ?? 1 },
        },
        logicalLocations: [
          {
            fullyQualifiedName: f.constructPath ?? (f.stack ? `${f.stack}/${f.logicalId}` : f.logicalId),
            name: f.logicalId,
            kind: 'resource',
          },
        ],
      },
    ],
    // Stable across edits that move the resource: code scanning matches alerts between runs with it.
    partialFingerprints: {
      'regulatedMlopsFinding/v1': createHash('sha256').update([f.ruleId, f.source, f.logicalId, f.path].join('\u0000')).digest('hex'),
    },
    properties: {
      severity: f.severity,
      status: f.status,
      resourceType: f.type,
      property: f.path,
      controls: Object.fromEntries(f.mappings.map((m) => [m.packId, [...m.controls]])),
    },
  };
}

/** Sources inside the working directory are relative URIs against SRCROOT; others are absolute file URIs. */
function artifactLocation(source: string): { uri: string; uriBaseId?: string } {
  if (path.isAbsolute(source)) return { uri: pathToFileURL(source).href };
  return { uri: source.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
}

function pascalCase(title: string): string {
  return title
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
    .join('');
}
