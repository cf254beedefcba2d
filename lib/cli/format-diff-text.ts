import type { AcknowledgmentRecord } from '../policy/acknowledgment-records';
import type { AssemblyDiff, IamWidening, PolicyStatement, Removal, ReplacementCause, ResourceRef, WeakenedControl } from '../diff/assembly-diff';
import { resourceLabel } from '../diff/resource-ref';
import { plural } from './plural';

/**
 * The diff for a person: a header with the verdict, then one section per kind of change, each with its count (shown
 * when empty too, so a reviewer sees what was checked) and one entry per item.
 */
export function formatDiffText(diff: AssemblyDiff): string {
  const { counts: n, acknowledgments: a } = diff;
  const sections: [title: string, count: number, lines: string[]][] = [
    ['Stacks added', n.stacksAdded, diff.stacks.added.map((s) => `+ ${s.stack} (stack ${s.stackName}, ${plural(s.resources, 'resource')})`)],
    ['Stacks removed', n.stacksRemoved, diff.stacks.removed.flatMap((s) => [
      `- ${s.stack} (stack ${s.stackName}, ${plural(s.resources, 'resource')})`,
      ...s.stateful.map((r) => `    ${removal(r)}`),
    ])],
    ['IAM permissions widened', n.iam, diff.iam.map(iam)],
    ['Encryption, logging or public exposure weakened', n.weakened, diff.weakened.flatMap(weakened)],
    ['Acknowledgments added', n.acknowledgmentsAdded, a.added.map((e) => `+ ${acknowledgment(e)} [${plural(e.resources.length, 'resource')}]`)],
    ['Acknowledgments removed', n.acknowledgmentsRemoved, a.removed.map((e) => `- ${acknowledgment(e)} [${plural(e.resources.length, 'resource')}]`)],
    ['Acknowledgments changed', n.acknowledgmentsChanged, a.changed.flatMap((c) => [
      `~ ${c.ruleId} at ${c.scope}`, `    was: ${terms(c.before)}`, `    now: ${terms(c.after)}`,
    ])],
    [`Acknowledgments expiring within ${plural(diff.expiringWithinDays, 'day')} of ${diff.date}`, n.acknowledgmentsExpiring, a.expiring.map((e) =>
      `${e.ruleId} at ${e.scope}: ${e.expired ? `EXPIRED on ${e.expires}` : `expires ${e.expires} (${e.daysLeft === 0 ? 'its last day' : `in ${plural(e.daysLeft, 'day')}`})`}, ` +
      `approved by ${e.approvedBy}${e.ticket ? ` (${e.ticket})` : ''}: ${e.reason}`)],
    ['Resources replaced', n.replacements, diff.replacements.map((r) =>
      `${where(r)}: ${r.impact === 'will-replace' ? 'will be replaced' : 'may be replaced'}` +
      ` (${r.causes.length > 0 ? `caused by ${r.causes.map(cause).join(', ')}` : 'cause not named'})${r.stateful ? ', STATEFUL' : ''}`)],
    ['Resources removed', n.removals, diff.removals.map(removal)],
  ];
  const total = sections.reduce((sum, [, count]) => sum + count, 0);
  const header = `regulated-mlops diff ${diff.old} -> ${diff.new} (judged on ${diff.date}): ${diff.needsReview ? `${plural(total, 'item')} to review` : 'nothing to review'}`;
  const body = sections.map(([title, count, lines]) => [`${title} (${count})`, ...lines.map((l) => `  ${l}`)].join('\n'));
  return `${[header, ...body].join('\n\n')}\n`;
}

function where(ref: ResourceRef): string {
  return `${resourceLabel(ref)} (${ref.constructPath ? `${ref.logicalId}, ` : ''}${ref.type})`;
}

function iam(w: IamWidening): string {
  switch (w.change) {
    case 'statement-added':
      return `${where(w)}: statement added: ${statement(w.statement)}${w.wildcards.length > 0 ? ` [wildcard ${w.wildcards.join(', ')}]` : ''}`;
    case 'deny-removed':
      return `${where(w)}: deny removed: ${statement(w.statement)}`;
    case 'managed-policy-attached':
      return `${where(w)}: managed policy ${w.managedPolicyArn} attached to ${w.identity}`;
  }
}

function statement(s: PolicyStatement): string {
  if (s.unparsed !== undefined) return `built by an intrinsic function: ${s.unparsed}`;
  const list = (key: 'actions' | 'resources' | 'principals', values: readonly string[]) =>
    `${s.negated.includes(key) ? 'all but ' : ''}${values.join(', ') || '(none)'}`;
  const condition = s.condition !== undefined ? ` when ${JSON.stringify(s.condition)}` : '';
  return `${s.effect} ${list('actions', s.actions)} on ${list('resources', s.resources)} for ${list('principals', s.principals)}${condition}`;
}

function weakened(w: WeakenedControl): string[] {
  if (w.kind === 'open-ingress') {
    return [`open ingress [${w.concerns.join(', ')}] ${where(w)}: ${w.protocol} from ${w.peer} into ${w.group}`];
  }
  const lines = [
    `${w.ruleId} [${w.concerns.join(', ')}] ${where(w)}: ${w.status} (${w.before === 'absent' ? 'new resource' : `was ${w.before}`})`,
    `    ${w.title}`,
    `    property: ${w.property || '(the resource)'}: ${w.message}`,
  ];
  if (w.acknowledgment) lines.push(`    acknowledged: ${terms(w.acknowledgment)}`);
  return lines;
}

function acknowledgment(record: AcknowledgmentRecord): string {
  return `${record.ruleId} at ${record.scope}: ${terms(record)}`;
}

/** `until 2026-12-06, approved by jane (RISK-7)[, automatic]: reason`. */
function terms(record: AcknowledgmentRecord): string {
  return `until ${record.expires}, approved by ${record.approvedBy}${record.ticket ? ` (${record.ticket})` : ''}` +
    `${record.automatic ? ', automatic' : ''}: ${record.reason}`;
}

function cause(c: ReplacementCause): string {
  return c.replacedReference ? `${c.property} (refers to replaced ${c.replacedReference})` : c.property;
}

function removal(r: Removal): string {
  const flags = [r.stateful ? 'STATEFUL' : '', r.retained ? 'retained (DeletionPolicy Retain)' : 'deleted'].filter(Boolean);
  return `${where(r)}: ${flags.join(', ')}`;
}
