/**
 * Preloaded with `node -r dist/bench/cpu-probe.js` into a command the bench times from outside: on exit, writes
 * the process's CPU time (user + system, all threads, in ms) to $BENCH_CPU_FILE. CPU time is less sensitive
 * than wall time to other load on the machine.
 */
import * as fs from 'fs';

const file = process.env.BENCH_CPU_FILE;
if (file) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    fs.writeFileSync(file, String(Math.round((user + system) / 1000)));
  });
}
