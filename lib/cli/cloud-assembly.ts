import * as fs from 'fs';
import * as path from 'path';
import { constructPathsOf } from '../policy/construct-paths';
import { isPlainObject } from '../policy/document';
import { CliError, describeFileError } from './cli-error';
import { parseJson } from './parse-source';

/** A stack template of a cloud assembly, with what the manifest says about it. */
export interface AssemblyStack {
  /** Absolute path of the template file. */
  readonly templateFile: string;
  /** The stack's display name (its construct path, `Stage/Stack`), else the artifact id. */
  readonly stack: string;
  /** Construct path by logical id, from the `aws:cdk:logicalId` metadata entries. */
  readonly constructPaths: ReadonlyMap<string, string>;
}

/** What a `cdk.out` directory holds for the checker. */
export interface AssemblyContents {
  readonly stacks: AssemblyStack[];
  /** Absolute paths of the YAML files beside the manifests (cdk8s output, `*.k8s.yaml`). */
  readonly yamlFiles: string[];
}

export const MANIFEST_FILE = 'manifest.json';

/**
 * Walks a cloud assembly: stack artifacts give their template, nested assemblies (stages) are followed into
 * their directory. Manifest problems are reported against the manifest file.
 *
 * @param show renders an absolute path for messages
 */
export function readCloudAssembly(directory: string, show: (file: string) => string): AssemblyContents {
  const contents: AssemblyContents = { stacks: [], yamlFiles: [] };
  walk(directory, show, contents, new Set());
  return contents;
}

function walk(directory: string, show: (file: string) => string, out: AssemblyContents, visited: Set<string>): void {
  const real = fs.realpathSync(directory);
  if (visited.has(real)) return; // a manifest pointing back at an ancestor must not loop
  visited.add(real);
  const manifestFile = path.join(directory, MANIFEST_FILE);
  const manifest = readJson(manifestFile, show);
  const artifacts = manifest.artifacts ?? {};
  if (!isPlainObject(artifacts)) throw new CliError('"artifacts" is not an object', show(manifestFile));

  for (const [id, artifact] of Object.entries<any>(artifacts)) {
    if (!isPlainObject(artifact)) continue;
    if (artifact.type === 'aws:cloudformation:stack') {
      const templateFile = artifact.properties?.templateFile;
      if (typeof templateFile !== 'string') {
        throw new CliError(`stack artifact "${id}" has no properties.templateFile`, show(manifestFile));
      }
      const metadata = { ...(isPlainObject(artifact.metadata) ? artifact.metadata : {}) };
      if (typeof artifact.additionalMetadataFile === 'string') {
        // Recent CDK versions move the (large) per-construct metadata out of the manifest.
        Object.assign(metadata, readJson(path.join(directory, artifact.additionalMetadataFile), show));
      }
      out.stacks.push({
        templateFile: path.join(directory, templateFile),
        stack: typeof artifact.displayName === 'string' ? artifact.displayName : id,
        constructPaths: constructPathsOf(metadata),
      });
    } else if (artifact.type === 'cdk:cloud-assembly') {
      const nested = artifact.properties?.directoryName;
      if (typeof nested !== 'string') {
        throw new CliError(`nested assembly artifact "${id}" has no properties.directoryName`, show(manifestFile));
      }
      walk(path.join(directory, nested), show, out, visited);
    }
  }
  for (const name of fs.readdirSync(directory).sort()) {
    if (/\.ya?ml$/i.test(name) && fs.statSync(path.join(directory, name)).isFile()) out.yamlFiles.push(path.join(directory, name));
  }
}

function readJson(file: string, show: (file: string) => string): any {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch (e) {
    throw new CliError(describeFileError(e), show(file));
  }
  const value = parseJson(text, show(file));
  if (!isPlainObject(value)) throw new CliError('not a JSON object', show(file));
  return value;
}
