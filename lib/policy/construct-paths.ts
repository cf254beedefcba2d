import * as fs from 'fs';
import * as path from 'path';
import { isPlainObject } from './document';

/** `/Stack/Bucket/Resource -> [{type: aws:cdk:logicalId, data: BucketABC}]` becomes `BucketABC -> Stack/Bucket/Resource`. */
export function constructPathsOf(metadata: Record<string, unknown>): Map<string, string> {
  const paths = new Map<string, string>();
  for (const [constructPath, entries] of Object.entries(metadata)) {
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (isPlainObject(entry) && entry.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
        paths.set(entry.data, constructPath.replace(/^\//, ''));
      }
    }
  }
  return paths;
}

/**
 * Construct paths by logical id for a synthesized template, from the manifest of the cloud assembly it is in
 * (a nested stage's templates sit beside their own manifest). Reading the manifest costs one JSON parse per
 * assembly, where walking the construct tree would resolve every logical id again.
 */
export class ManifestConstructPaths {
  private readonly manifests = new Map<string, any>();

  /** The paths of the stack whose template is `templatePath`; empty when the manifest does not list it. */
  public forTemplate(templatePath: string): Map<string, string> {
    const directory = path.dirname(templatePath);
    const manifest = this.manifest(directory);
    const artifact = Object.values<any>(manifest?.artifacts ?? {})
      .find((a) => a?.type === 'aws:cloudformation:stack' && a.properties?.templateFile === path.basename(templatePath));
    if (!artifact) return new Map();
    const metadata = { ...(isPlainObject(artifact.metadata) ? artifact.metadata : {}) };
    if (typeof artifact.additionalMetadataFile === 'string') {
      // Recent CDK versions move the per-construct metadata out of the manifest.
      Object.assign(metadata, JSON.parse(fs.readFileSync(path.join(directory, artifact.additionalMetadataFile), 'utf-8')));
    }
    return constructPathsOf(metadata);
  }

  private manifest(directory: string): any {
    if (!this.manifests.has(directory)) {
      const file = path.join(directory, 'manifest.json');
      this.manifests.set(directory, fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf-8')) : undefined);
    }
    return this.manifests.get(directory);
  }
}
