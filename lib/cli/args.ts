import type { Pack } from '../policy/pack';
import { ALL_PACKS } from '../policy/packs';
import { CliError } from './cli-error';

/** Output formats of `check`. */
export const CHECK_FORMATS = ['text', 'json', 'sarif'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];
/** Output formats of `rules`. */
export const RULES_FORMATS = ['text', 'json'] as const;
export type RulesFormat = (typeof RULES_FORMATS)[number];
/** Output formats of `diff`. */
export const DIFF_FORMATS = ['text', 'json'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];
/** How far ahead `diff` looks for expiring acknowledgments, in days. */
export const DEFAULT_EXPIRING_WITHIN_DAYS = 30;

/** What the command line asked for. */
export type ParsedArguments =
  | { readonly command: 'help' }
  | { readonly command: 'version' }
  | { readonly command: 'check'; readonly paths: string[]; readonly packs: Pack[]; readonly format: CheckFormat; readonly now?: Date }
  | { readonly command: 'rules'; readonly packs: Pack[]; readonly format: RulesFormat }
  | { readonly command: 'report'; readonly assembly: string; readonly packs: Pack[]; readonly date?: Date; readonly out?: string }
  | {
    readonly command: 'diff'; readonly oldAssembly: string; readonly newAssembly: string; readonly date?: Date;
    readonly expiringWithinDays: number; readonly format: DiffFormat;
  };

type Command = 'check' | 'rules' | 'report' | 'diff';

/** Options that take a value, per command. */
const VALUE_OPTIONS: Record<Command, readonly string[]> = {
  check: ['--pack', '--format', '--now'],
  rules: ['--pack', '--format'],
  report: ['--pack', '--date', '--out'],
  diff: ['--date', '--expiring-within', '--format'],
};

/**
 * Parses `check <path>... [--pack ids] [--format text|json|sarif] [--now YYYY-MM-DD]`, `rules [--pack ids]
 * [--format text|json]`, `report <cdk.out> [--pack ids] [--date YYYY-MM-DD] [--out dir]`, `diff <old cdk.out>
 * <new cdk.out> [--date YYYY-MM-DD] [--expiring-within days] [--format text|json]`, `--help` and `--version`.
 * Options may come before or after the paths, as `--opt value` or `--opt=value`; `--` ends the options. Anything
 * unknown or malformed throws a CliError.
 */
export function parseArguments(argv: readonly string[]): ParsedArguments {
  // Help wins wherever it appears, so `check --help` and `check x --bogus --help` both show usage.
  const optionArgs = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (optionArgs.some((a) => a === '--help' || a === '-h')) return { command: 'help' };
  if (argv.length === 0) throw new CliError('no command given; try: regulated-mlops check <template|cdk.out|manifest> (or --help)');
  const [command, ...rest] = argv;
  if (command === 'help') return { command: 'help' };
  if (command === '--version' || command === '-v' || command === 'version') return { command: 'version' };
  if (!isCommand(command)) {
    throw new CliError(`unknown ${command.startsWith('-') ? 'option' : 'command'} '${command}'; commands: check, report, diff, rules, verify-endpoint (see --help)`);
  }

  const values = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--') {
      positional.push(...rest.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!VALUE_OPTIONS[command].includes(name)) throw new CliError(`unknown option '${name}' for ${command} (see --help)`);
    const value = eq > 0 ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new CliError(`option ${name} needs a value`);
    values.set(name, [...(values.get(name) ?? []), value]);
  }

  const option = (name: string) => last(values.get(name));
  const date = (name: string) => {
    const value = option(name);
    return value !== undefined ? parseDate(name, value) : undefined;
  };
  switch (command) {
    case 'rules':
      if (positional.length > 0) throw new CliError(`rules takes no paths (received '${positional[0]}')`);
      return { command, packs: parsePacks(values.get('--pack')), format: parseChoice('--format', option('--format') ?? 'text', RULES_FORMATS) };
    case 'report': {
      if (positional.length !== 1) {
        throw new CliError(positional.length === 0
          ? 'report needs the cloud assembly: regulated-mlops report <cdk.out>'
          : `report takes one cloud assembly (received ${quoted(positional)})`);
      }
      const [out, when] = [option('--out'), date('--date')];
      return {
        command, assembly: positional[0], packs: parsePacks(values.get('--pack')),
        ...(when ? { date: when } : {}), ...(out !== undefined ? { out } : {}),
      };
    }
    case 'diff': {
      if (positional.length !== 2) {
        throw new CliError(`diff compares two cloud assemblies: regulated-mlops diff <old cdk.out> <new cdk.out> (received ${positional.length === 0 ? 'none' : quoted(positional)})`);
      }
      const when = date('--date');
      return {
        command,
        oldAssembly: positional[0],
        newAssembly: positional[1],
        ...(when ? { date: when } : {}),
        expiringWithinDays: parseDays('--expiring-within', option('--expiring-within')),
        format: parseChoice('--format', option('--format') ?? 'text', DIFF_FORMATS),
      };
    }
    case 'check': {
      if (positional.length === 0) throw new CliError('check needs a path: a template (JSON or YAML), a cdk.out directory or a Kubernetes manifest');
      const now = date('--now');
      return {
        command,
        paths: positional,
        packs: parsePacks(values.get('--pack')),
        format: parseChoice('--format', option('--format') ?? 'text', CHECK_FORMATS),
        ...(now ? { now } : {}),
      };
    }
  }
}

function isCommand(value: string): value is Command {
  return Object.keys(VALUE_OPTIONS).includes(value);
}

function quoted(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}

/** Comma-separated pack ids (the option may repeat); every pack when none is given. */
function parsePacks(values: readonly string[] | undefined): Pack[] {
  if (!values) return [...ALL_PACKS];
  const ids = values.flatMap((v) => v.split(',')).map((id) => id.trim()).filter(Boolean);
  if (ids.length === 0) throw new CliError('option --pack needs at least one pack id');
  const unknown = ids.filter((id) => !ALL_PACKS.some((p) => p.id === id));
  if (unknown.length > 0) {
    throw new CliError(`unknown pack ${unknown.map((id) => `'${id}'`).join(', ')}; valid packs: ${ALL_PACKS.map((p) => p.id).join(', ')}`);
  }
  return ALL_PACKS.filter((p) => ids.includes(p.id));
}

function parseChoice<T extends string>(name: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) throw new CliError(`option ${name} must be one of ${choices.join(', ')} (received '${value}')`);
  return value as T;
}

/** A calendar date, as UTC midnight (how rules and acknowledgment expiry compare dates). */
function parseDate(name: string, value: string): Date {
  const date = new Date(`${value}T00:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new CliError(`option ${name} must be a date YYYY-MM-DD (received '${value}')`);
  }
  return date;
}

/** A whole number of days, 0 or more. */
function parseDays(name: string, value: string | undefined): number {
  if (value === undefined) return DEFAULT_EXPIRING_WITHIN_DAYS;
  if (!/^\d{1,5}$/.test(value)) throw new CliError(`option ${name} must be a whole number of days, 0 or more (received '${value}')`);
  return Number(value);
}

function last<T>(values: readonly T[] | undefined): T | undefined {
  return values?.[values.length - 1];
}
