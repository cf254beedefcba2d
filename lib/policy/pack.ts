import type { Severity, Theme } from './rule';

/** One rule's place in a pack. */
export interface PackRule {
  readonly ruleId: string;
  /** Overrides the rule's own severity within this pack. @default - the rule's severity */
  readonly severity?: Severity;
  /** Control ids that replace the theme-derived ones for this rule. @default - the controls of the rule's themes */
  readonly controls?: readonly string[];
}

/**
 * A policy pack: versioned data naming which rules a framework needs and which of its controls each rule
 * gives evidence for. The controls come from the pack's theme crosswalk (reference/controls.md §2) unless
 * a rule entry names its own.
 */
export interface Pack {
  /** Stable id used on the command line and in reports (`hipaa`, `pci-dss-4.0.1`). */
  readonly id: string;
  /** Pack data version: bumped whenever rules or mappings change. */
  readonly version: string;
  /** The framework's name as a reviewer knows it. */
  readonly framework: string;
  /** Short prefix for control ids in messages (`HIPAA`, `PCI DSS 4.0.1`). */
  readonly controlPrefix: string;
  /** Where the framework's text is. */
  readonly source: string;
  /** Control ids per theme. A theme the framework does not address maps to nothing. */
  readonly crosswalk: Readonly<Partial<Record<Theme, readonly string[]>>>;
  /** The rules of the pack. */
  readonly rules: readonly PackRule[];
  /** Titles of the controls cited, for the report. */
  readonly controlTitles?: Readonly<Record<string, string>>;
}

/** A rule as a pack cites it: the controls and severity that apply. */
export interface ResolvedMapping {
  readonly packId: string;
  readonly framework: string;
  readonly controlPrefix: string;
  readonly controls: readonly string[];
  readonly severity: Severity;
}

const SEVERITY_ORDER: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** The higher of two severities. */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_ORDER[a] >= SEVERITY_ORDER[b] ? a : b;
}

/** The controls a pack cites for a rule with these themes. */
export function controlsFor(pack: Pack, entry: PackRule, themes: readonly Theme[]): string[] {
  if (entry.controls) return [...entry.controls];
  const controls = new Set<string>();
  for (const theme of themes) for (const control of pack.crosswalk[theme] ?? []) controls.add(control);
  return [...controls];
}
