/**
 * One problem found in a construct's input: where, what was received, what is allowed, how to fix it.
 */
export interface ConfigurationProblem {
  /** The construct path, with the prop after a colon when the problem is one prop (`Stack/Bucket:retentionDays`). */
  readonly path: string;
  /** The value received, rendered for a person. */
  readonly received: string;
  /** What is allowed. */
  readonly allowed: string;
  /** What to change. */
  readonly fix: string;
}

/**
 * The error every regulated-mlops construct throws for bad input: a stable code and every problem at once,
 * so a user fixes the configuration in one pass instead of one synth per mistake.
 */
export class RegulatedMlopsError extends Error {
  /** Stable code for tests and tooling, e.g. `InvalidConfiguration`, `AcknowledgmentRefused`. */
  public readonly code: string;
  public readonly problems: ConfigurationProblem[];

  constructor(code: string, summary: string, problems: ConfigurationProblem[] = []) {
    super(RegulatedMlopsError.format(code, summary, problems));
    this.name = 'RegulatedMlopsError';
    this.code = code;
    this.problems = problems;
  }

  private static format(code: string, summary: string, problems: ConfigurationProblem[]): string {
    if (problems.length === 0) return `[${code}] ${summary}`;
    const lines = problems.map(
      (p, i) => `  ${i + 1}. ${p.path}: received ${p.received}; allowed: ${p.allowed}. Fix: ${p.fix}`,
    );
    return `[${code}] ${summary} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
  }
}

/**
 * Collects the problems of one construct's props, then throws them together.
 *
 * @example
 * const problems = new ProblemCollector(this, 'AuditTrail');
 * if (days < 1) problems.add('retentionDays', days, '1 to 36500 days', 'set retentionDays to 2557 (7 years)');
 * problems.throwIfAny();
 */
export class ProblemCollector {
  private readonly problems: ConfigurationProblem[] = [];

  constructor(
    private readonly scopePath: string,
    private readonly what: string,
  ) {}

  /** Records a problem with one prop. */
  public add(prop: string, received: unknown, allowed: string, fix: string): void {
    this.problems.push({ path: `${this.scopePath}:${prop}`, received: describeValue(received), allowed, fix });
  }

  /** Records a problem when `condition` is true. */
  public check(condition: boolean, prop: string, received: unknown, allowed: string, fix: string): void {
    if (condition) this.add(prop, received, allowed, fix);
  }

  public get count(): number {
    return this.problems.length;
  }

  /** Throws one `InvalidConfiguration` error listing every problem, if there is any. */
  public throwIfAny(): void {
    if (this.problems.length > 0) {
      throw new RegulatedMlopsError('InvalidConfiguration', `Invalid ${this.what} configuration`, this.problems);
    }
  }
}

/** Renders a value for an error message: strings quoted, objects as compact JSON, unresolved tokens named. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (undefined)';
  if (typeof value === 'string') return value.includes('${Token[') ? `an unresolved token (${value})` : `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  try {
    const json = JSON.stringify(value);
    return json.length > 200 ? `${json.slice(0, 197)}...` : json;
  } catch {
    return String(value);
  }
}
