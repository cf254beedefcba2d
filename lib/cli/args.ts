import type { Pack } from '../policy/pack';
import { ALL_PACKS } from '../policy/packs';
import { CliError } from './cli-error';

/** Output formats of `check`. */
export const CHECK_FORMATS = ['text', 'json', 'sarif'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];
/** Output formats of `rules`. */
export const RULES_FORMATS = ['text', 'json'] as const;
export type RulesFormat = (typeof RULES_FORMATS)[number];

/** What the command line asked for. */
export type ParsedArguments =
  | { readonly command: 'help' }
  | { readonly command: 'version' }
  | { readonly command: 'check'; readonly paths: string[]; readonly packs: Pack[]; readonly format: CheckFormat; readonly now?: Date }
  | { readonly command: 'rules'; readonly packs: Pack[]; readonly format: RulesFormat };

/** Options that take a value, per command. */
const VALUE_OPTIONS: Record<'check' | 'rules', readonly string[]> = {
  check: ['--pack', '--format', '--now'],
  rules: ['--pack', '--format'],
};

/**
 * Parses `check <path>... [--pack ids] [--format text|json|sarif] [--now YYYY-MM-DD]`, `rules [--pack ids]
 * [--format text|json]`, `--help` and `--version`. Options may come before or after the paths, as
 * `--opt value` or `--opt=value`; `--` ends the options. Anything unknown or malformed throws a CliError.
 */
export function parseArguments(argv: readonly string[]): ParsedArguments {
  // Help wins wherever it appears, so `check --help` and `check x --bogus --help` both show usage.
  const optionArgs = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (optionArgs.some((a) => a === '--help' || a === '-h')) return { command: 'help' };
  if (argv.length === 0) throw new CliError('no command given; try: regulated-mlops check <template|cdk.out|manifest> (or --help)');
  const [command, ...rest] = argv;
  if (command === 'help') return { command: 'help' };
  if (command === '--version' || command === '-v' || command === 'version') return { command: 'version' };
  if (command !== 'check' && command !== 'rules') {
    throw new CliError(`unknown ${command.startsWith('-') ? 'option' : 'command'} '${command}'; commands: check, rules (see --help)`);
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

  const packs = parsePacks(values.get('--pack'));
  if (command === 'rules') {
    if (positional.length > 0) throw new CliError(`rules takes no paths (received '${positional[0]}')`);
    return { command, packs, format: parseChoice('--format', last(values.get('--format')) ?? 'text', RULES_FORMATS) };
  }
  if (positional.length === 0) throw new CliError('check needs a path: a template (JSON or YAML), a cdk.out directory or a Kubernetes manifest');
  const now = last(values.get('--now'));
  return {
    command,
    paths: positional,
    packs,
    format: parseChoice('--format', last(values.get('--format')) ?? 'text', CHECK_FORMATS),
    ...(now !== undefined ? { now: parseDate(now) } : {}),
  };
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
function parseDate(value: string): Date {
  const date = new Date(`${value}T00:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new CliError(`option --now must be a date YYYY-MM-DD (received '${value}')`);
  }
  return date;
}

function last<T>(values: readonly T[] | undefined): T | undefined {
  return values?.[values.length - 1];
}
