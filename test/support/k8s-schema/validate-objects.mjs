// Validates Kubernetes objects against the upstream schemas of the pinned @kubernetes-models packages.
// Those packages are ESM-only and jest runs CommonJS, so tests run this script once per test file with
// every object as a JSON array on stdin; it prints one JSON array of problems (empty when all are valid).
import { readFileSync } from 'node:fs';

/** The module that holds the model class of an apiVersion and kind, or undefined when no pinned package has it. */
function modulePath(apiVersion, kind) {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return `kubernetes-models/${apiVersion}/${kind}`;
  const group = apiVersion.slice(0, slash);
  if (group.endsWith('.istio.io')) return `@kubernetes-models/istio/${apiVersion}/${kind}`;
  if (group === 'argoproj.io') return `@kubernetes-models/argo-rollouts/${apiVersion}/${kind}`;
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  // Kubernetes API groups are either unqualified (apps, batch, policy) or end in k8s.io.
  if (!group.includes('.') || group.endsWith('.k8s.io')) return `kubernetes-models/${apiVersion}/${kind}`;
  return undefined;
}

function idOf(obj, index) {
  const meta = obj?.metadata ?? {};
  const name = meta.name ?? `#${index + 1}`;
  return `${obj?.kind ?? '?'}/${meta.namespace ? `${meta.namespace}/` : ''}${name}`;
}

const objects = JSON.parse(readFileSync(0, 'utf-8'));
const problems = [];
for (const [index, obj] of objects.entries()) {
  const id = idOf(obj, index);
  if (typeof obj?.apiVersion !== 'string' || typeof obj?.kind !== 'string') {
    problems.push({ id, path: '', message: 'has no apiVersion or kind' });
    continue;
  }
  const path = modulePath(obj.apiVersion, obj.kind);
  let Model;
  try {
    Model = path && (await import(path))[obj.kind];
  } catch {
    Model = undefined;
  }
  if (!Model) {
    problems.push({ id, path: '', message: `no pinned schema package knows ${obj.apiVersion} ${obj.kind}` });
    continue;
  }
  try {
    new Model(obj).validate();
  } catch (e) {
    const errors = Array.isArray(e?.errors) ? e.errors : [{ instancePath: '', message: String(e?.message ?? e) }];
    for (const error of errors) problems.push({ id, path: error.instancePath || '/', message: error.message ?? JSON.stringify(error) });
  }
}
process.stdout.write(JSON.stringify(problems));
