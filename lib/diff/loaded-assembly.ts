import type { RenderedDocument } from '../policy/document';

/** One stack template of a cloud assembly, as the comparison reads it. */
export interface LoadedStack {
  /** The manifest's artifact id (unique across the nested assemblies of one synth). */
  readonly artifactId: string;
  /** The stack's hierarchical id, `Stage/Stack` (what a synth names it in reports). */
  readonly stack: string;
  /** The CloudFormation stack name: what a deployment updates. */
  readonly stackName: string;
  /** The parsed template. */
  readonly template: Record<string, any>;
  /** The template read for the policy engine, with construct paths from the manifest. */
  readonly document: RenderedDocument;
}

/** A synthesized cloud assembly: every stack template, nested stages included, in the order a synth validates them. */
export interface LoadedAssembly {
  /** The directory, as the user named it. */
  readonly directory: string;
  readonly stacks: readonly LoadedStack[];
  /**
   * The hashes of the assembly's file and image assets. They appear in templates (S3 keys, image tags) and change
   * whenever an asset's content does, which is not a security change.
   */
  readonly assetHashes: ReadonlySet<string>;
}
