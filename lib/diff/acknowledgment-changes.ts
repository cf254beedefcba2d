import { acknowledgmentsOf, AcknowledgmentRecord, isExpired } from '../policy/acknowledgment-records';
import type { AcknowledgmentChanges, AcknowledgmentEntry, ExpiringAcknowledgment } from './assembly-diff';
import type { LoadedAssembly } from './loaded-assembly';
import { resourceLabel, resourceRef } from './resource-ref';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Acknowledgments recorded in the two assemblies' template metadata, matched by rule id and scope: added, removed,
 * changed (reason, approver, ticket, expiry), and those of the new assembly that expire within `withinDays` of
 * `date` or have expired.
 */
export function acknowledgmentChanges(
  oldAssembly: LoadedAssembly, newAssembly: LoadedAssembly, date: Date, withinDays: number,
): AcknowledgmentChanges {
  const before = recordedAcknowledgments(oldAssembly);
  const after = recordedAcknowledgments(newAssembly);
  const today = Date.parse(date.toISOString().slice(0, 10));
  const expiring: ExpiringAcknowledgment[] = [];
  for (const entry of after.values()) {
    const daysLeft = Math.round((Date.parse(entry.expires) - today) / DAY_MS);
    if (daysLeft <= withinDays) expiring.push({ ...entry, daysLeft, expired: isExpired(entry, date) });
  }
  return {
    added: [...after].filter(([key]) => !before.has(key)).map(([, entry]) => entry),
    removed: [...before].filter(([key]) => !after.has(key)).map(([, entry]) => entry),
    changed: [...after].flatMap(([key, entry]) => {
      const old = before.get(key);
      if (!old || sameTerms(old, entry)) return [];
      return [{ ruleId: entry.ruleId, scope: entry.scope, before: recordOf(old), after: recordOf(entry), resources: entry.resources }];
    }),
    expiring: expiring.sort((a, b) => a.daysLeft - b.daysLeft),
  };
}

/** Every acknowledgment of an assembly once, by rule and scope, with the resources it is recorded on. */
function recordedAcknowledgments(assembly: LoadedAssembly): Map<string, AcknowledgmentEntry & { resources: string[] }> {
  const entries = new Map<string, AcknowledgmentEntry & { resources: string[] }>();
  for (const stack of assembly.stacks) {
    for (const resource of stack.document.resources) {
      for (const record of acknowledgmentsOf(resource)) {
        const key = `${record.ruleId}\u0000${record.scope}`;
        const entry = entries.get(key) ?? { ...recordOf(record), resources: [] };
        entry.resources.push(resourceLabel(resourceRef(stack, resource.logicalId)));
        entries.set(key, entry);
      }
    }
  }
  return entries;
}

/** The record's own fields, without what was collected beside it. */
function recordOf(record: AcknowledgmentRecord): AcknowledgmentRecord {
  return {
    ruleId: record.ruleId,
    reason: record.reason,
    approvedBy: record.approvedBy,
    ...(record.ticket !== undefined ? { ticket: record.ticket } : {}),
    expires: record.expires,
    scope: record.scope,
    ...(record.automatic ? { automatic: record.automatic } : {}),
  };
}

function sameTerms(a: AcknowledgmentRecord, b: AcknowledgmentRecord): boolean {
  return a.reason === b.reason && a.approvedBy === b.approvedBy && a.ticket === b.ticket && a.expires === b.expires
    && Boolean(a.automatic) === Boolean(b.automatic);
}
