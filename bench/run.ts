/**
 * `npm run bench`: synth time of the fleet app bare, with all regulated-mlops packs and with cdk-nag v3
 * (AwsSolutions + HIPAA + NIST 800-53 R5 + PCI DSS 3.2.1), each run in a fresh process, interleaved;
 * then the time of `regulated-mlops check` on one 4000-resource template. Prints figures, asserts nothing.
 *   node dist/bench/run.js [--runs N] [--default-runs N]
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FLEET, RESOURCES_PER_UNIT } from './fleet-app';
import { median, min, overhead, ratio, seconds, table } from './stats';
import { Mode, MODES, RESULT_PREFIX, SynthResult } from './synth-once';

const ROOT = path.resolve(__dirname, '..', '..');
const CHILD = path.join(__dirname, 'synth-once.js');
const CPU_PROBE = path.join(__dirname, 'cpu-probe.js');
const CLI = path.join(ROOT, 'bin', 'regulated-mlops.js');
const TARGET_OVERHEAD_PCT = 10;
const TARGET_CHECK_MS = 2000;
const CHECK_RUNS = 3;
const LABELS: Record<Mode, string> = { bare: 'bare', 'plugin-floor': 'CDK plugin floor (no-op plugin)', 'regulated-mlops': 'regulated-mlops (all packs)', 'cdk-nag': `cdk-nag ${version('cdk-nag')} (4 packs)` };

interface EndpointFleetResult {
  readonly endpoints: number;
  readonly ms: number;
  readonly maxRssMb: number;
  readonly findings?: number;
  readonly stacks: number;
  readonly resources: number;
}

interface Timed<T> {
  readonly wallMs: number;
  readonly result: T;
}

function version(pkg: string): string {
  return JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), 'utf-8')).version;
}

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} needs a whole number, got '${args[i + 1]}'`);
  return n;
}

/** Runs `node [nodeArgs] <script> args` in a fresh process; stderr (validation reports can be large) goes to a log file. */
function spawnNode(script: string, args: string[], env: NodeJS.ProcessEnv, logDir: string, nodeArgs: string[] = []) {
  const log = path.join(logDir, `${path.basename(script)}-${args[0]}-${Date.now()}.stderr`);
  const fd = fs.openSync(log, 'w');
  const start = process.hrtime.bigint();
  const out = spawnSync(process.execPath, [...nodeArgs, script, ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf-8',
    stdio: ['ignore', 'pipe', fd],
    maxBuffer: 512 * 1024 * 1024,
    timeout: 20 * 60 * 1000,
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  fs.closeSync(fd);
  const stderrTail = () => fs.readFileSync(log, 'utf-8').slice(-2000);
  return { out, wallMs, stderrTail };
}

/** Runs synth-once and parses its result line. */
function child<T>(args: string[], env: NodeJS.ProcessEnv, logDir: string): Timed<T> {
  const { out, wallMs, stderrTail } = spawnNode(CHILD, args, env, logDir);
  const line = (out.stdout ?? '').split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (out.status !== 0 || !line) {
    throw new Error(`synth-once ${args.join(' ')} failed (exit ${out.status}, ${out.error ?? out.signal ?? ''}):\n${stderrTail()}`);
  }
  return { wallMs, result: JSON.parse(line.slice(RESULT_PREFIX.length)) as T };
}

function summarize(runs: Timed<SynthResult>[]) {
  const ms = runs.map((r) => r.result.ms);
  const cpu = runs.map((r) => r.result.cpuMs);
  const first = runs[0].result;
  return {
    runsMs: ms,
    medianMs: median(ms),
    minMs: min(ms),
    runsCpuMs: cpu,
    cpuMedianMs: median(cpu),
    processMedianMs: Math.round(median(runs.map((r) => r.wallMs))),
    maxRssMb: Math.max(...runs.map((r) => r.result.maxRssMb)),
    resources: first.resources,
    validationFailed: first.validationFailed,
    rules: first.rules,
    findings: first.findings,
    /** Rule counts differ between runs when someone rebuilt dist/ during the bench: the figures then mix code versions. */
    rulesChangedBetweenRuns: new Set(runs.map((r) => r.result.rules)).size > 1,
    violationsByPlugin: first.violationsByPlugin,
  };
}
type Summary = ReturnType<typeof summarize>;

/** Times `regulated-mlops check <template> --format json` (wall and CPU), or says why it cannot. */
function timeCheck(logDir: string) {
  const file = path.join(logDir, 'fleet-4000.template.json');
  const generated = child<{ resources: number }>(['template', file], { ...process.env, CDK_VALIDATION: 'false' }, logDir).result;
  const base = { template: path.basename(file), resources: generated.resources, targetMs: TARGET_CHECK_MS };
  if (!fs.existsSync(CLI)) return { ...base, available: false as const, reason: `${path.relative(ROOT, CLI)} does not exist` };
  const cpuFile = path.join(logDir, 'check.cpu');
  const wall: number[] = [];
  const cpu: number[] = [];
  let exitCode: number | null = null;
  for (let i = 0; i < CHECK_RUNS; i++) {
    fs.rmSync(cpuFile, { force: true });
    const env = { ...process.env, BENCH_CPU_FILE: cpuFile };
    const { out, wallMs, stderrTail } = spawnNode(CLI, ['check', file, '--format', 'json'], env, logDir, ['-r', CPU_PROBE]);
    if (!isJson(out.stdout)) {
      const said = `${out.stdout ?? ''}${stderrTail()}`.trim().split('\n')[0]?.slice(0, 160);
      return { ...base, available: false as const, reason: `no JSON report on stdout (exit ${out.status}${said ? `, printed: ${said}` : ''})` };
    }
    exitCode = out.status;
    wall.push(Math.round(wallMs));
    if (fs.existsSync(cpuFile)) cpu.push(Number(fs.readFileSync(cpuFile, 'utf-8')));
  }
  const cpuMedianMs = cpu.length ? median(cpu) : undefined;
  return { ...base, available: true as const, exitCode, runsMs: wall, medianMs: median(wall), minMs: min(wall), runsCpuMs: cpu, cpuMedianMs };
}

function isJson(text: string | null | undefined): boolean {
  try {
    JSON.parse(text ?? '');
    return true;
  } catch {
    return false;
  }
}

function describeChecks(m: Summary): string {
  const ours = m.rules === undefined ? [] : [`${m.rules} rules, ${m.findings ?? '?'} findings`];
  const plugins = Object.entries(m.violationsByPlugin).map(([p, n]) => `${p} ${n}`);
  return [...ours, ...plugins].join('; ') || '-';
}

function verdict(ok: boolean): string {
  return ok ? 'within target' : 'OVER TARGET';
}

function main(args: string[]): void {
  const runs = Math.max(1, option(args, '--runs', 3));
  const defaultRuns = option(args, '--default-runs', 1);
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rmlops-bench-'));
  const validationOff = { ...process.env, CDK_VALIDATION: 'false' };
  const validationDefault = { ...process.env };
  delete validationDefault.CDK_VALIDATION;
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const loadBefore = os.loadavg()[0];

  progress(`bench: ${FLEET.stacks} stacks x ${FLEET.resourcesPerStack} resources; ${runs} interleaved run(s) per mode after 1 untimed warm-up; logs in ${logDir}`);
  child<SynthResult>(['bare'], validationOff, logDir);
  const byMode = new Map<Mode, Timed<SynthResult>[]>(MODES.map((m) => [m, []]));
  for (let r = 1; r <= runs; r++) {
    for (const mode of MODES) {
      const t = child<SynthResult>([mode], validationOff, logDir);
      byMode.get(mode)!.push(t);
      progress(`  run ${r}/${runs} ${mode}: ${seconds(t.result.ms)} wall, ${seconds(t.result.cpuMs)} CPU, ${t.result.maxRssMb} MB`);
    }
  }
  const defaults: Timed<SynthResult>[] = [];
  for (let r = 1; r <= defaultRuns; r++) {
    const t = child<SynthResult>(['bare'], validationDefault, logDir);
    defaults.push(t);
    progress(`  bare, built-in validation on (default) ${r}/${defaultRuns}: ${seconds(t.result.ms)} wall, ${seconds(t.result.cpuMs)} CPU`);
  }
  progress('  timing check...');
  const check = timeCheck(logDir);
  progress('  timing endpoint fleets of 100 and 200...');
  const endpointFleets = [100, 200].map((n) => child<EndpointFleetResult>(['endpoints', String(n)], validationOff, logDir).result);
  const loadAfter = os.loadavg()[0];

  const s = Object.fromEntries(MODES.map((m) => [m, summarize(byMode.get(m)!)])) as Record<Mode, Summary>;
  const [bare, floor, ours, nag] = MODES.map((m) => s[m].medianMs);
  const [bareCpu, floorCpu, oursCpu, nagCpu] = MODES.map((m) => s[m].cpuMedianMs);
  const oursPct = (ours / bare - 1) * 100;
  const oursCpuPct = (oursCpu / bareCpu - 1) * 100;
  const defaultBare = defaults.length ? summarize(defaults) : undefined;

  const rows = [
    ['mode', 'median', 'min', 'CPU median', 'peak RSS', 'vs bare (wall)', 'vs bare (CPU)', 'rules / violations'],
    ...MODES.map((m) => [
      LABELS[m],
      seconds(s[m].medianMs),
      seconds(s[m].minMs),
      seconds(s[m].cpuMedianMs),
      `${s[m].maxRssMb} MB`,
      m === 'bare' ? '-' : ratio(s[m].medianMs, bare),
      m === 'bare' ? '-' : ratio(s[m].cpuMedianMs, bareCpu),
      describeChecks(s[m]),
    ]),
  ];
  const changed = MODES.filter((m) => s[m].rulesChangedBetweenRuns);
  const lines = [
    '',
    ...(changed.length ? ['WARNING: the number of rules changed between runs (dist/ was rebuilt during the bench); rerun for consistent figures.'] : []),
    `Fleet: ${s.bare.resources} resources in ${FLEET.stacks} stacks (units of KMS key, bucket + policy, role + policy, queue + policy, endpoint config = ${RESOURCES_PER_UNIT}).`,
    `Node ${process.version}, ${os.cpus().length} cores, aws-cdk-lib ${version('aws-cdk-lib')}; ${runs} run(s) per mode, interleaved, each in a fresh process.`,
    'Built-in CloudFormation validation: OFF in every mode (CDK_VALIDATION=false), so the bare baseline is smallest.',
    'Time = build the app + synth (+ loading the checker modules), measured inside the child; CPU = user + system over the same span.',
    '',
    table(rows),
    '',
    `Ratios on wall medians: regulated-mlops/bare ${ratio(ours, bare)}, cdk-nag/bare ${ratio(nag, bare)}, regulated-mlops/cdk-nag ${(ours / nag).toFixed(2)}x.`,
    `CDK's own cost of any validation plugin (a plugin that reports nothing): ${overhead(floor, bare)} wall, ${overhead(floorCpu, bareCpu)} CPU; ours above that floor: ${overhead(ours, floor)} wall, ${overhead(oursCpu, floorCpu)} CPU.`,
    `Our overhead: ${overhead(ours, bare)} wall (target <= ${TARGET_OVERHEAD_PCT}%): ${verdict(oursPct <= TARGET_OVERHEAD_PCT)}; ${overhead(oursCpu, bareCpu)} CPU: ${verdict(oursCpuPct <= TARGET_OVERHEAD_PCT)}.`,
    defaultBare
      ? `Bare with the default setting (built-in validation on): median ${seconds(defaultBare.medianMs)} wall, ${seconds(defaultBare.cpuMedianMs)} CPU over ${defaults.length} run(s): ${overhead(defaultBare.medianMs, bare)} wall, ${overhead(defaultBare.cpuMedianMs, bareCpu)} CPU vs bare with validation off.`
      : 'Bare with the default setting (built-in validation on): not measured (--default-runs 0).',
    check.available
      ? `check (one template, ${check.resources} resources, --format json, exit ${check.exitCode}): median ${seconds(check.medianMs)} wall, min ${seconds(check.minMs)}${check.cpuMedianMs === undefined ? '' : `, ${seconds(check.cpuMedianMs)} CPU`} over ${CHECK_RUNS} runs (target < ${seconds(TARGET_CHECK_MS)}): ${verdict(check.medianMs < TARGET_CHECK_MS)}.`
      : `check: not available (${check.reason}).`,
    ...endpointFleets.map((f) => `Endpoint fleet of ${f.endpoints} (model, config, endpoint, alarms, drift job each; every pack enforced): ${seconds(f.ms)}, ${f.resources} resources in ${f.stacks} stacks, peak ${f.maxRssMb} MB, ${f.findings} findings.`),
    `Fleet scaling t(200)/t(100): ${(endpointFleets[1].ms / endpointFleets[0].ms).toFixed(2)} (target <= 2.1): ${verdict(endpointFleets[1].ms / endpointFleets[0].ms <= 2.1)}.`,
    `Noise: one machine, 1-min load average ${loadBefore.toFixed(1)} before / ${loadAfter.toFixed(1)} after on ${os.cpus().length} cores. Other load inflates wall time in every mode; CPU time is steadier. Rerun on a quiet machine or with --runs 5.`,
  ];
  console.log(lines.join('\n'));

  const results = {
    date: new Date().toISOString(),
    machine: { node: process.version, cores: os.cpus().length, platform: `${os.platform()} ${os.arch()}`, loadAverage1m: { before: loadBefore, after: loadAfter } },
    versions: { 'aws-cdk-lib': version('aws-cdk-lib'), 'cdk-nag': version('cdk-nag') },
    fleet: { stacks: FLEET.stacks, resources: s.bare.resources },
    runsPerMode: runs,
    builtinValidation: false,
    modes: s,
    ratios: {
      wall: { floorOverBare: floor / bare, oursOverBare: ours / bare, oursOverFloor: ours / floor, nagOverBare: nag / bare, oursOverNag: ours / nag },
      cpu: { floorOverBare: floorCpu / bareCpu, oursOverBare: oursCpu / bareCpu, oursOverFloor: oursCpu / floorCpu, nagOverBare: nagCpu / bareCpu },
    },
    ourOverheadPct: { wall: oursPct, cpu: oursCpuPct, target: TARGET_OVERHEAD_PCT },
    defaultSettingBare: defaultBare ?? null,
    check,
    endpointFleets,
  };
  const outFile = path.join(ROOT, '.bench', 'results.json');
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Figures written to ${path.relative(ROOT, outFile)}.`);
  fs.rmSync(logDir, { recursive: true, force: true });
}

main(process.argv.slice(2));
