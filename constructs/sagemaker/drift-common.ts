import { Duration, Token } from 'aws-cdk-lib';
import type { ProblemCollector } from '../../lib/core/errors';
import type { DriftBackendContext } from './drift-backend';

/** Helpers shared by the drift backends. */

/** Schedules run every N whole hours with N dividing a day, so runs fall at the same hours every day. */
export const SCHEDULE_HOURS: readonly number[] = [1, 2, 3, 4, 6, 8, 12, 24];

/** The hours of a schedule (after validation). */
export function scheduleHours(schedule: Duration | undefined): number {
  return schedule ? schedule.toHours() : 1;
}

/** Records a problem unless `schedule` is a whole number of hours dividing a day. */
export function validateSchedule(schedule: Duration | undefined, problems: ProblemCollector, prop: string): void {
  if (schedule === undefined || schedule.isUnresolved()) return;
  const hours = schedule.toHours({ integral: false });
  problems.check(!SCHEDULE_HOURS.includes(hours), prop, schedule.toHumanString(),
    `whole hours that divide a day: ${SCHEDULE_HOURS.join(', ')}`, 'use Duration.hours(1) (hourly) or Duration.hours(24) (daily)');
}

/** Records a problem unless `value` is a number within [min, max] (and a whole one when `integer`). */
export function validateRange(value: number | undefined, problems: ProblemCollector, prop: string, min: number, max: number, fix: string, integer = false): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  problems.check(!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value)), prop, value,
    `${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`, fix);
}

/** The hour field of a cron running every `hours` hours from midnight UTC: `*`, `0/6`, `0`. */
export function cronHours(hours: number): string {
  if (hours === 1) return '*';
  return hours === 24 ? '0' : `0/${hours}`;
}

/** `<prefix>/<endpoint>/`: where SageMaker writes the endpoint's captured data. */
export function capturePrefixOf(ctx: DriftBackendContext): string {
  return `${ctx.capturePrefix ? `${ctx.capturePrefix}/` : ''}${ctx.endpointName}/`;
}
