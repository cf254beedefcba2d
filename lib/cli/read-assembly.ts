import * as fs from 'fs';
import * as path from 'path';
import { AssetManifestArtifact, CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { LoadedAssembly, LoadedStack } from '../diff/loaded-assembly';
import { constructPathsOf } from '../policy/construct-paths';
import { isPlainObject, templateDocument } from '../policy/document';
import { CliError, describeFileError } from './cli-error';
import { MANIFEST_FILE } from './cloud-assembly';
import { parseJson } from './parse-source';

/**
 * Reads a `cdk.out` directory with CDK's own cloud-assembly reader, so the stacks come in the order a synth hands
 * them to the validation plugin (each assembly's stacks in dependency order, then the nested assemblies) and a
 * report built from them is the one the synth wrote. Templates are named as the synth names them: the directory
 * as given, joined with the template's path inside it.
 *
 * @param directory the assembly, as the user typed it (relative to `cwd`, or absolute)
 */
export function readAssembly(directory: string, cwd: string): LoadedAssembly {
  const absolute = path.resolve(cwd, directory);
  const shown = (file: string) => path.join(directory, path.relative(absolute, file));
  const assembly = openAssembly(absolute, directory);
  let stacks: LoadedStack[];
  let assetHashes: Set<string>;
  try {
    stacks = assembly.stacksRecursively.map((artifact) => {
      const source = shown(artifact.templateFullPath);
      const template = readTemplate(artifact.templateFullPath, source);
      let paths: Map<string, string> | undefined;
      return {
        artifactId: artifact.id,
        stack: artifact.hierarchicalId,
        stackName: artifact.stackName,
        template,
        document: templateDocument(template, {
          source,
          stack: artifact.hierarchicalId,
          // The manifest's per-construct metadata is large: read only for templates without `aws:cdk:path` metadata.
          constructPathOf: (logicalId) => (paths ??= constructPathsOf(artifact.metadata)).get(logicalId),
        }),
      };
    });
    assetHashes = assetHashesOf(assembly);
  } catch (e) {
    if (e instanceof CliError) throw e;
    // CDK's reader fails on a nested assembly or an asset manifest it cannot read; its message names the file.
    throw new CliError(`not a readable cloud assembly: ${(e as Error).message}`, directory);
  }
  return { directory, stacks, assetHashes };
}

function openAssembly(absolute: string, shown: string): CloudAssembly {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch (e) {
    throw new CliError(describeFileError(e), shown);
  }
  if (!stat.isDirectory()) throw new CliError('not a directory: give a cdk.out cloud assembly (the directory cdk synth writes)', shown);
  if (!fs.existsSync(path.join(absolute, MANIFEST_FILE))) {
    throw new CliError(`a directory without ${MANIFEST_FILE}: not a cdk.out cloud assembly`, shown);
  }
  try {
    // The assembly may come from a newer CDK than this library's: read what this version understands.
    return new CloudAssembly(absolute, { skipVersionCheck: true, skipEnumCheck: true });
  } catch (e) {
    throw new CliError(`not a readable cloud assembly manifest: ${(e as Error).message}`, path.join(shown, MANIFEST_FILE));
  }
}

function readTemplate(file: string, source: string): Record<string, any> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch (e) {
    throw new CliError(describeFileError(e), source);
  }
  const template = parseJson(text, source);
  if (!isPlainObject(template) || !isPlainObject(template.Resources)) {
    throw new CliError('the manifest names it as a stack template, but it has no "Resources" object', source);
  }
  for (const [logicalId, resource] of Object.entries<any>(template.Resources)) {
    if (!isPlainObject(resource) || typeof resource.Type !== 'string') throw new CliError(`resource "${logicalId}" has no "Type"`, source);
  }
  return template;
}

/** The ids of every file and image asset (their content hashes), from the asset manifests and legacy asset metadata. */
function assetHashesOf(assembly: CloudAssembly, hashes = new Set<string>()): Set<string> {
  for (const artifact of assembly.artifacts) {
    if (!AssetManifestArtifact.isAssetManifestArtifact(artifact)) continue;
    const contents = artifact.contents;
    for (const id of [...Object.keys(contents.files ?? {}), ...Object.keys(contents.dockerImages ?? {})]) hashes.add(id);
  }
  for (const stack of assembly.stacks) {
    for (const asset of stack.assets) {
      hashes.add(asset.sourceHash);
      hashes.add(asset.id);
    }
  }
  for (const nested of assembly.nestedAssemblies) assetHashesOf(nested.nestedAssembly, hashes);
  return hashes;
}
