/**
 * One timed synthesis of the fleet app, run in a fresh process by `run.ts`:
 *   node dist/bench/synth-once.js <bare|plugin-floor|regulated-mlops|cdk-nag>
 * `plugin-floor` registers a validation plugin that reports nothing: what CDK itself costs once any plugin is
 * registered (it rebuilds the construct tree and writes its validation report), which every checker pays.
 *   node dist/bench/synth-once.js template <file>   (writes the fleet as one template; not timed)
 * Prints one line `BENCH_RESULT {json}`. Built-in CloudFormation validation follows the environment
 * (CDK_VALIDATION=false turns it off), so the orchestrator sets it the same way for every mode.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, STACK_RESOURCE_LIMIT_CONTEXT } from 'aws-cdk-lib';
import { buildFleet, countResources, FLEET } from './fleet-app';

export const RESULT_PREFIX = 'BENCH_RESULT ';
export const MODES = ['bare', 'plugin-floor', 'regulated-mlops', 'cdk-nag'] as const;
export type Mode = (typeof MODES)[number];

/** What a child prints. */
export interface SynthResult {
  readonly mode: Mode;
  /** Wall time of building the app and synthesizing it (plus loading the checker modules). */
  readonly ms: number;
  /** CPU time (user + system, all threads) over the same span. */
  readonly cpuMs: number;
  readonly maxRssMb: number;
  readonly resources: number;
  readonly stacks: number;
  readonly builtinValidation: boolean;
  readonly validationFailed: boolean;
  /** regulated-mlops only: rules enforced by ALL_PACKS and findings of the evaluation. */
  readonly rules?: number;
  readonly findings?: number;
  /** Violating resources per failing validation plugin, read from validation-report.json after timing. */
  readonly violationsByPlugin: Record<string, number>;
}

/** Registers the mode's checks; returns how many rules ours enforces and found. Plugin modules load here, inside the timed region. */
async function addChecks(app: App, mode: Mode): Promise<() => { rules?: number; findings?: number }> {
  if (mode === 'regulated-mlops') {
    const { Compliance } = await import('../lib/policy/compliance');
    const { ALL_PACKS } = await import('../lib/policy/packs');
    const plugin = Compliance.enforce(app, { packs: ALL_PACKS, now: new Date(), writeReports: true });
    return () => ({ rules: plugin.ruleIds.length, findings: plugin.lastResult?.findings.length });
  }
  if (mode === 'plugin-floor') {
    const { Validations } = await import('aws-cdk-lib');
    Validations.of(app).addPlugins({ name: 'no-op', validate: () => ({ success: true, violations: [] }) });
  }
  if (mode === 'cdk-nag') {
    const { Validations } = await import('aws-cdk-lib');
    const nag = await import('cdk-nag');
    Validations.of(app).addPlugins(new nag.AwsSolutionsChecks(), new nag.HIPAASecurityChecks(), new nag.NIST80053R5Checks(), new nag.PCIDSS321Checks());
  }
  return () => ({});
}

async function timedSynth(mode: Mode): Promise<SynthResult> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `rmlops-bench-${mode}-`));
  try {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    const app = new App({ outdir });
    const checked = await addChecks(app, mode);
    buildFleet(app);
    let validationFailed = false;
    try {
      app.synth();
    } catch (e) {
      // Findings fail the synth by design; the time to reach that verdict is what we measure.
      // aws-cdk-lib names the error ValidationFailed; older versions said so only in the message.
      const error = e as Error;
      if (error.name !== 'ValidationFailed' && !/Validation ?failed/i.test(String(error.message))) throw e;
      validationFailed = true;
    }
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const cpu = process.cpuUsage(cpuStart);
    const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    return {
      mode,
      ms: Math.round(ms),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      maxRssMb,
      resources: countResources(app),
      stacks: FLEET.stacks,
      builtinValidation: process.env.CDK_VALIDATION !== 'false',
      validationFailed,
      ...checked(),
      violationsByPlugin: readViolations(outdir),
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Counts violating resources per plugin in CDK's validation report, if one was written. */
function readViolations(outdir: string): Record<string, number> {
  const file = path.join(outdir, 'validation-report.json');
  if (!fs.existsSync(file)) return {};
  const report = JSON.parse(fs.readFileSync(file, 'utf-8'));
  const counts: Record<string, number> = {};
  for (const plugin of report.pluginReports ?? []) {
    const violations: any[] = plugin.violations ?? [];
    counts[plugin.pluginName] = violations.reduce((n, v) => n + (v.violatingConstructs?.length ?? 1), 0);
  }
  return counts;
}

/** Writes the whole fleet (same units) as a single template, for timing `check`. Returns its resource count. */
function writeSingleTemplate(file: string, resources: number): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmlops-bench-template-'));
  try {
    // One template above CloudFormation's 500-resource limit: lift CDK's check (context value 0 = no limit).
    const app = new App({ outdir, builtinCloudFormationValidation: false, context: { [STACK_RESOURCE_LIMIT_CONTEXT]: 0 } });
    buildFleet(app, { stacks: 1, resourcesPerStack: resources });
    const stack = app.synth().stacks[0];
    fs.writeFileSync(file, JSON.stringify(stack.template, null, 1));
    return Object.keys(stack.template.Resources ?? {}).length;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<void> {
  const [mode, file] = argv;
  if (mode === 'template') {
    if (!file) throw new Error('usage: synth-once template <file>');
    const resources = writeSingleTemplate(file, FLEET.stacks * FLEET.resourcesPerStack);
    console.log(RESULT_PREFIX + JSON.stringify({ file, resources }));
    return;
  }
  if (mode === 'endpoints') {
    const count = Number(file);
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmlops-bench-endpoints-'));
    try {
      const { Compliance } = await import('../lib/policy/compliance');
      const { buildEndpointFleet } = await import('./endpoint-fleet');
      const start = process.hrtime.bigint();
      const app = new App({ outdir });
      const plugin = Compliance.enforce(app);
      const shape = buildEndpointFleet(app, count);
      app.synth();
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      console.log(RESULT_PREFIX + JSON.stringify({ endpoints: count, ms, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), findings: plugin.lastResult?.findings.length, ...shape }));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
    return;
  }
  if (!(MODES as readonly string[]).includes(mode)) throw new Error(`usage: synth-once <${MODES.join('|')}|template <file>>`);
  console.log(RESULT_PREFIX + JSON.stringify(await timedSynth(mode as Mode)));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
