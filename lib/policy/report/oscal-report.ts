import { createHash } from 'crypto';
import * as path from 'path';
import type { ComplianceReport, ControlCoverage, LedgerEntry } from './json-report';
import { nameBasedUuid } from './name-based-uuid';
import { REPORT_FILES } from './report-files';
import { ruleEvidence } from './rule-evidence';

/** The OSCAL release whose assessment-results JSON schema the document is written for and tested against. */
export const OSCAL_VERSION = '1.0.6';

/** The namespace of the props this tool defines (props without `ns` belong to NIST's OSCAL namespace). */
export const OSCAL_PROPS_NAMESPACE = 'urn:regulated-mlops:oscal';

/** An OSCAL assessment-results document (`compliance-report.oscal.json`). */
export interface OscalAssessmentResults {
  readonly 'assessment-results': Record<string, unknown>;
}

type Json = Record<string, unknown>;
type Resource = ComplianceReport['resources'][number];

const RISK_STATUS: Record<LedgerEntry['status'], string> = {
  active: 'deviation-approved', expired: 'open', invalid: 'deviation-requested', unused: 'closed',
};
const RISK_STATEMENT: Record<LedgerEntry['status'], string> = {
  active: 'The acknowledgment holds: the rule\'s findings on the resources it covers are waived until it expires.',
  expired: 'The acknowledgment has expired: the findings it covered fail the synth again.',
  invalid: 'The acknowledgment could not be honoured (the rule may not be acknowledged, or a field is missing or malformed).',
  unused: 'The acknowledgment waives nothing (the rule passes where it applies): it should be removed.',
};
/** OSCAL tokens: an XML NCName (a letter or `_`, then letters, digits, `.`, `-`, `_`). */
const TOKEN = /^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$/u;

/**
 * Renders the evaluation as an OSCAL assessment-results document, for GRC tools:
 * - one result for the evaluation; its reviewed controls are the controls the packs' rules cite, as OSCAL tokens (a
 *   control id such as `164.312(a)(2)(iv)` is not one) with the original id kept in a prop;
 * - one observation per rule (method EXAMINE: the synthesized templates are examined), its verdict counts, and the
 *   resources it failed, could not evaluate or found acknowledged as subjects; every verdict per resource is in
 *   `compliance-report.json`, the observations' evidence;
 * - one finding per control with evidence, its target `satisfied` or `not-satisfied`;
 * - one risk per acknowledgment, an accepted deviation: `deviation-approved` while it holds, with its reason, approver,
 *   ticket and its expiry as the deadline;
 * - `import-ap` points to a back-matter resource describing the packs: they are the assessment basis, no OSCAL
 *   assessment plan exists.
 * UUIDs are name-based (RFC 4122 v5) on the app's stacks, packs and the item, so two synths of the same app write the
 * same document except for its timestamps.
 */
export function renderOscalAssessmentResults(report: ComplianceReport): OscalAssessmentResults {
  const subject = appIdentity(report);
  const uuids = new Map<string, string>();
  // Findings refer to the same observations many times over: each UUID is hashed once.
  const uuid = (kind: string, key = '') => {
    const name = `${kind}\u0000${subject}\u0000${key}`;
    let id = uuids.get(name);
    if (!id) uuids.set(name, id = nameBasedUuid(name));
    return id;
  };
  const at = report.evaluatedAt;
  const frameworks = new Map(report.packs.map((p) => [p.id, p.framework]));
  const tokens = controlTokens(report.controls);
  const tokenOf = (c: { pack: string; control: string }) => tokens.get(controlKey(c))!;
  const toolUuid = uuid('component', 'tool');
  const origins = [{ actors: [{ type: 'tool', 'actor-uuid': toolUuid }] }];
  const observationUuid = (ruleId: string) => uuid('observation', ruleId);
  const riskUuid = (a: LedgerEntry) => uuid('risk', `${a.ruleId}\u0000${a.scope}\u0000${a.expires}`);
  const basisUuid = uuid('back-matter', 'assessment-basis');

  const evidence = ruleEvidence(report);
  const problemResources = new Set<Resource>();
  for (const rule of evidence.values()) for (const p of rule.problems) problemResources.add(p.resource);
  const inventoryUuid = (r: Resource) => uuid('inventory-item', `${stackOf(r)}/${r.logicalId}`);

  const observations = report.rules.map((rule) => {
    const { counts, problems: ruleProblems } = evidence.get(rule.id)!;
    const evaluated = counts.pass + counts.fail + counts['could-not-evaluate'] + counts.acknowledged;
    return {
      uuid: observationUuid(rule.id),
      title: `${rule.id}: ${rule.title}`,
      description: evaluated === 0
        ? `${rule.id} applied to no resource that was evaluated.`
        : `${rule.id} examined ${evaluated} resource(s) in the synthesized templates: ${counts.pass} pass, ${counts.fail} fail, `
          + `${counts['could-not-evaluate']} could not be evaluated, ${counts.acknowledged} acknowledged.`,
      props: [
        prop('rule-id', rule.id), prop('severity', rule.severity), prop('acknowledgeable', String(rule.acknowledgeable)),
        prop('pass-count', String(counts.pass)), prop('fail-count', String(counts.fail)),
        prop('could-not-evaluate-count', String(counts['could-not-evaluate'])), prop('acknowledged-count', String(counts.acknowledged)),
      ],
      methods: ['EXAMINE'],
      types: [ruleProblems.some((p) => p.status !== 'acknowledged') ? 'finding' : 'control-objective'],
      origins,
      ...nonEmpty('subjects', ruleProblems.map((p) => ({
        'subject-uuid': inventoryUuid(p.resource),
        type: 'inventory-item',
        title: resourceLabel(p.resource),
        props: [prop('verdict', p.status), ...p.paths.filter((x) => x.trim() !== '').map((x) => prop('property-path', x))],
        ...(p.messages.length > 0 ? { remarks: p.messages.join('\n') } : {}),
      }))),
      'relevant-evidence': [{
        href: REPORT_FILES.json,
        description: `Every verdict of ${rule.id} on every resource it applies to: resources[].results with ruleId ${rule.id}.`,
      }],
      collected: at,
    };
  });

  const risks = report.acknowledgments.map((a) => ({
    uuid: riskUuid(a),
    title: `Acknowledged ${a.ruleId} at ${a.scope}`,
    description: a.reason,
    statement: `${ruleTitle(report, a.ruleId)}: findings waived for ${a.resources.length} resource(s) under ${a.scope}, approved by `
      + `${a.approvedBy}${a.ticket ? ` (${a.ticket})` : ''}${isOpenEnded(a) ? ', without expiry' : `, until ${a.expires}`}. `
      + RISK_STATEMENT[a.status] + (a.problem ? ` ${a.problem}` : ''),
    props: [
      prop('rule-id', a.ruleId), prop('scope', a.scope), prop('approved-by', a.approvedBy),
      ...(a.ticket ? [prop('ticket', a.ticket)] : []), prop('expires', a.expires), prop('acknowledgment-status', a.status),
      prop('automatic', String(a.automatic ?? false)), ...a.resources.map((r) => prop('resource', r)),
    ],
    status: RISK_STATUS[a.status],
    origins,
    ...(isOpenEnded(a) ? {} : { deadline: `${a.expires}T23:59:59Z` }),
    'related-observations': [{ 'observation-uuid': observationUuid(a.ruleId) }],
  }));

  const evidenced = report.controls.filter((c) => c.status !== 'not-evidenced');
  const withoutEvidence = report.controls.filter((c) => c.status === 'not-evidenced');
  const findings = evidenced.map((c) => {
    const r = c.resources;
    const related = report.acknowledgments.filter((a) => c.rules.includes(a.ruleId) && (a.status === 'active' || a.status === 'expired'));
    const state = c.status === 'satisfied' ? 'satisfied' : 'not-satisfied';
    const reason = c.status === 'violated' ? 'fail' : r.acknowledged > 0 ? 'other' : 'pass';
    return {
      uuid: uuid('finding', controlKey(c)),
      title: `${frameworks.get(c.pack) ?? c.pack} ${c.control}${c.title ? ` ${c.title}` : ''}`,
      description: `${state === 'satisfied' ? 'Satisfied' : 'Not satisfied'}: ${r.pass} passing, ${r.fail} failing, ${r.couldNotEvaluate} `
        + `unevaluable and ${r.acknowledged} acknowledged verdict(s) from ${c.rules.join(', ')}.`,
      props: [prop('pack', c.pack), prop('original-control-id', c.control)],
      origins,
      target: {
        type: 'objective-id',
        'target-id': objectiveId(tokenOf(c)),
        status: {
          state, reason,
          ...(reason === 'other' ? { remarks: `${r.acknowledged} verdict(s) waived by accepted deviations (the related risks).` } : {}),
        },
      },
      'related-observations': c.rules.map((id) => ({ 'observation-uuid': observationUuid(id) })),
      ...nonEmpty('related-risks', related.map((a) => ({ 'risk-uuid': riskUuid(a) }))),
    };
  });

  const inventory = [...problemResources].map((r) => ({
    uuid: inventoryUuid(r),
    description: `${r.type} ${resourceLabel(r)} (logical id ${r.logicalId} in ${stackOf(r)})`,
    props: [
      prop('resource-type', r.type), prop('logical-id', r.logicalId), prop('stack', stackOf(r)),
      ...(r.constructPath ? [prop('construct-path', r.constructPath)] : []),
    ],
  }));

  const packs = report.packs.map((p) => `${p.framework} (${p.id} v${p.version})`).join('; ');
  const result = {
    uuid: uuid('result'),
    title: `regulated-mlops evaluation: ${report.verdict}`,
    description: `The rules of ${report.packs.length} pack(s) (${packs}) evaluated at synth on ${report.summary.resourcesEvaluated} `
      + `resource(s) of ${report.summary.documents} document(s): ${report.summary.findings} finding(s), `
      + `${report.summary.acknowledgments} active acknowledgment(s).`,
    start: at,
    end: at,
    props: [
      prop('verdict', report.verdict), prop('resources-evaluated', String(report.summary.resourcesEvaluated)),
      prop('rules-run', String(report.summary.rulesRun)), prop('findings-count', String(report.summary.findings)),
    ],
    'local-definitions': {
      ...nonEmpty('inventory-items', inventory),
      'assessment-assets': {
        components: [{
          uuid: toolUuid, type: 'software', title: `${report.tool.name} ${report.tool.version}`,
          description: 'The policy engine: rules evaluated on the synthesized CloudFormation templates and Kubernetes manifests.',
          status: { state: 'operational' },
        }],
        'assessment-platforms': [{
          uuid: uuid('assessment-platform'), title: `${report.tool.name} ${report.tool.version} (cdk synth)`,
          'uses-components': [{ 'component-uuid': toolUuid }],
        }],
      },
    },
    'reviewed-controls': {
      description: 'The controls the rules of each pack cite. Control ids are OSCAL tokens; each selection\'s original-control-id '
        + 'props give the framework\'s own id (value) for each token (class).',
      'control-selections': report.packs.map((p) => {
        const controls = report.controls.filter((c) => c.pack === p.id);
        return {
          description: `${p.framework}: pack ${p.id} version ${p.version}.`,
          props: [
            prop('pack', p.id), prop('pack-version', p.version),
            ...controls.map((c) => ({ ...prop('original-control-id', c.control), class: tokenOf(c) })),
          ],
          ...nonEmpty('include-controls', controls.map((c) => ({ 'control-id': tokenOf(c) }))),
        };
      }),
    },
    observations,
    ...nonEmpty('risks', risks),
    ...nonEmpty('findings', findings),
    ...(withoutEvidence.length > 0 ? {
      remarks: `No finding for ${withoutEvidence.length} control(s) without evidence (no resource of their rules' types was evaluated): `
        + `${withoutEvidence.map((c) => `${c.pack} ${c.control}`).join(', ')}.`,
    } : {}),
  };

  return {
    'assessment-results': {
      uuid: uuid('assessment-results'),
      metadata: {
        title: `Compliance assessment results: ${report.verdict}`,
        'last-modified': at,
        version: report.tool.version,
        'oscal-version': OSCAL_VERSION,
        props: [prop('tool', `${report.tool.name} ${report.tool.version}`)],
      },
      'import-ap': {
        href: `#${basisUuid}`,
        remarks: 'No OSCAL assessment plan exists: the policy packs enforced at synth are the assessment basis, described in the back-matter resource.',
      },
      'local-definitions': {
        'objectives-and-methods': report.controls.map((c) => ({
          'control-id': tokenOf(c),
          description: `${frameworks.get(c.pack) ?? c.pack} ${c.control}${c.title ? `: ${c.title}` : ''}`,
          props: [prop('pack', c.pack), prop('original-control-id', c.control)],
          parts: [{
            id: objectiveId(tokenOf(c)),
            name: 'objective',
            prose: `No violation of ${c.rules.join(', ')} in the synthesized templates and manifests.`,
          }],
        })),
      },
      results: [result],
      'back-matter': {
        resources: [
          {
            uuid: basisUuid,
            title: 'Assessment basis: the regulated-mlops policy packs',
            description: `No OSCAL assessment plan exists. The packs enforced are the plan: versioned lists of rules, each citing the `
              + `framework controls it gives evidence for (${packs}). The rules and their controls are listed in ${REPORT_FILES.json}.`,
            props: report.packs.map((p) => prop('pack', `${p.id} ${p.version}`)),
            rlinks: [{ href: REPORT_FILES.json, 'media-type': 'application/json' }],
          },
          {
            uuid: uuid('back-matter', 'html-report'),
            title: 'Compliance report for people: control matrix, acknowledgment ledger, model cards',
            rlinks: [{ href: REPORT_FILES.html, 'media-type': 'text/html' }],
          },
        ],
      },
    },
  };
}

/**
 * OSCAL tokens for the control ids: NIST SP 800-53 ids as in NIST's OSCAL catalog (`SC-28(1)` → `sc-28.1`), others as
 * `<pack>_<id>` with every run of other characters made `_` (`164.312(a)(2)(iv)` → `hipaa_164.312_a_2_iv`). Ids that
 * would share a token get a hash of the original as a suffix.
 */
function controlTokens(controls: readonly ControlCoverage[]): Map<string, string> {
  const candidates = new Map<string, string>();
  for (const c of controls) candidates.set(controlKey(c), candidateToken(c.pack, c.control));
  const uses = new Map<string, number>();
  for (const token of candidates.values()) uses.set(token, (uses.get(token) ?? 0) + 1);
  const tokens = new Map<string, string>();
  for (const [key, token] of candidates) {
    tokens.set(key, uses.get(token)! > 1 ? `${token}_${createHash('sha256').update(key).digest('hex').slice(0, 8)}` : token);
  }
  return tokens;
}

function candidateToken(pack: string, control: string): string {
  const nist = /^nist-800-53/.test(pack) ? /^([A-Z]{2})-(\d+)(?:\((\d+)\))?$/.exec(control) : null;
  if (nist) return `${nist[1].toLowerCase()}-${nist[2]}${nist[3] ? `.${nist[3]}` : ''}`;
  const slug = (text: string) => text.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^_+|_+$/g, '');
  const token = `${slug(pack)}_${slug(control)}`;
  return TOKEN.test(token) ? token : `_${token}`;
}

function objectiveId(token: string): string {
  return `${token}_obj`;
}

function controlKey(c: { pack: string; control: string }): string {
  return `${c.pack}\u0000${c.control}`;
}

/** What identifies the app across synths: its stacks (or document names) and the packs enforced, not the output directory. */
function appIdentity(report: ComplianceReport): string {
  const documents = [...new Set(report.resources.map(stackOf))].sort();
  return `${report.packs.map((p) => p.id).join(',')}\u0000${documents.join('\n')}`;
}

function stackOf(r: { stack?: string; source: string }): string {
  return r.stack ?? path.basename(r.source);
}

function resourceLabel(r: Resource): string {
  return r.constructPath ?? `${stackOf(r)}/${r.logicalId}`;
}

function ruleTitle(report: ComplianceReport, ruleId: string): string {
  return report.rules.find((r) => r.id === ruleId)?.title ?? ruleId;
}

/** Automatic acknowledgments (an AWS limitation, not a risk decision) have no expiry. */
function isOpenEnded(a: LedgerEntry): boolean {
  return a.expires.startsWith('9999');
}

/** A prop in this tool's namespace; OSCAL string values are one line without surrounding spaces. */
function prop(name: string, value: string): Json {
  return { name, ns: OSCAL_PROPS_NAMESPACE, value: value.replace(/\s+/g, ' ').trim() || '-' };
}

/** `{ [key]: items }`, or nothing: OSCAL arrays hold at least one item. */
function nonEmpty<T>(key: string, items: T[]): Record<string, T[]> {
  return items.length > 0 ? { [key]: items } : {};
}
