#!/usr/bin/env node
'use strict';
// Entry of `npx regulated-mlops`. Runs the compiled CLI (dist/, built by `npm run build`, which `npm ci` runs
// through `prepare`); without it, or with REGULATED_MLOPS_FROM_SOURCE=1, runs the TypeScript source via ts-node.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const compiled = path.join(root, 'dist', 'bin', 'cli.js');

if (process.env.REGULATED_MLOPS_FROM_SOURCE !== '1' && fs.existsSync(compiled)) {
  require(compiled);
} else {
  let tsNode;
  try {
    tsNode = require('ts-node');
  } catch {
    process.stderr.write(`regulated-mlops: ${path.relative(process.cwd(), compiled) || compiled} is missing and ts-node is not installed: run \`npm run build\`\n`);
    process.exitCode = 2;
  }
  if (tsNode) {
    // Our tsconfig, not the one of whatever directory the command runs in.
    tsNode.register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
    require(path.join(root, 'bin', 'cli.ts'));
  }
}
