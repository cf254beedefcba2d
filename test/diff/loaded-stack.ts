import type { LoadedStack } from '../../lib/diff/loaded-assembly';
import { templateDocument } from '../../lib/policy/document';

/** A stack as the comparison reads it, from a hand-written template (construct paths from `aws:cdk:path` metadata). */
export function loadedStack(artifactId: string, template: Record<string, any> = { Resources: {} }, names: { stackName?: string; stack?: string } = {}): LoadedStack {
  const stack = names.stack ?? artifactId;
  return {
    artifactId,
    stack,
    stackName: names.stackName ?? artifactId,
    template,
    document: templateDocument(template, { source: `${artifactId}.template.json`, stack }),
  };
}
