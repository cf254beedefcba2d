import type { Duration } from 'cdk8s';
import type { ProblemCollector } from '../../../lib/core/errors';

/** RFC 1123 label: what Kubernetes accepts for namespaces, Services and most object names. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A label value: up to 63 characters, alphanumeric at both ends, `-`, `_` and `.` inside. */
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Records a problem unless `value` is an RFC 1123 label of at most `maxLength` characters. */
export function checkDnsLabel(problems: ProblemCollector, prop: string, value: string, maxLength = 63, why = ''): void {
  if (!DNS_LABEL.test(value) || value.length > maxLength) {
    problems.add(prop, value, `an RFC 1123 label of at most ${maxLength} characters: lowercase letters, digits and '-', starting and ending alphanumeric${why}`,
      `rename it, e.g. '${suggestLabel(value, maxLength)}'`);
  }
}

/** Records a problem unless `value` is a non-empty Kubernetes label value. */
export function checkLabelValue(problems: ProblemCollector, prop: string, value: string): void {
  if (!LABEL_VALUE.test(value) || value.length > 63) {
    problems.add(prop, value, 'a label value: 1 to 63 characters, letters, digits, -, _ and ., alphanumeric at both ends',
      "use the model version as released, e.g. '2.1.0'");
  }
}

/** Records a problem unless `value` is a whole number from `min` to `max`. */
export function checkInteger(problems: ProblemCollector, prop: string, value: number, min: number, max: number, fix: string): void {
  if (!Number.isInteger(value) || value < min || value > max) problems.add(prop, value, `a whole number from ${min} to ${max}`, fix);
}

function suggestLabel(value: string, maxLength: number): string {
  const cleaned = value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, maxLength).replace(/-+$/, '');
  return cleaned || 'model';
}

/** Records a problem unless `duration` is at least `minSeconds` long. */
export function checkMinDuration(problems: ProblemCollector, prop: string, duration: Duration, minSeconds: number, allowed: string, fix: string): void {
  const seconds = duration.toSeconds({ integral: false });
  problems.check(seconds < minSeconds, prop, `${seconds} seconds`, allowed, fix);
}
