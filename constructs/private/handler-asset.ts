import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RegulatedMlopsError } from '../../lib/core/errors';

/**
 * The Lambda code for one of the library's handlers: a folder holding the compiled `index.js`.
 *
 * Handlers are written in TypeScript beside their construct (`<folder>/index.ts`) and compiled by
 * `npm run build` (which `npm ci` runs through `prepare`). Running from `dist/` the compiled folder is
 * beside this file; running from source (ts-node, jest) it is the same folder under `dist/`. Lambda's
 * Node.js runtime ships AWS SDK v3, so the folder needs nothing else.
 *
 * @param sourceDir the handler folder under the package root, e.g. `constructs/registry/approved-model-handler`
 */
export function handlerCode(sourceDir: string): lambda.Code {
  return lambda.Code.fromAsset(compiledHandlerDir(sourceDir));
}

/** The folder with the compiled handler, or an error saying to build. */
export function compiledHandlerDir(sourceDir: string): string {
  const packageRoot = findPackageRoot(__dirname);
  const candidates = [path.join(packageRoot, sourceDir), path.join(packageRoot, 'dist', sourceDir)];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'index.js')));
  if (!found) {
    throw new RegulatedMlopsError('HandlerNotBuilt', `The Lambda handler ${sourceDir}/index.ts has not been compiled`, [{
      path: sourceDir, received: `no index.js in ${candidates.join(' or ')}`, allowed: 'a compiled handler', fix: 'run `npm run build` (npm ci does it through prepare)',
    }]);
  }
  return found;
}

function findPackageRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
  // Inside dist/ there is no package.json, so the first one found is the package's own.
  return dir;
}
