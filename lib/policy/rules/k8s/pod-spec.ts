import { EvaluationContext, Unresolvable } from '../../context';
import { isPlainObject, RenderedResource } from '../../document';
import { notApplicable, RuleResult } from '../../rule';

/**
 * The Kubernetes types that carry a pod template, as `apiVersion/Kind`: the objects pod-security-admission
 * checks (a Pod directly, the controllers through their template), plus Argo Rollouts.
 */
export const WORKLOAD_TYPES: readonly string[] = [
  'v1/Pod',
  'v1/PodTemplate',
  'v1/ReplicationController',
  'apps/v1/Deployment',
  'apps/v1/StatefulSet',
  'apps/v1/DaemonSet',
  'apps/v1/ReplicaSet',
  'batch/v1/Job',
  'batch/v1/CronJob',
  'argoproj.io/v1alpha1/Rollout',
];

/** Where each kind keeps the pod template: the path of the pod spec and of the pod metadata. */
const TEMPLATE_PATHS: Readonly<Record<string, { readonly spec: string; readonly metadata: string }>> = {
  Pod: { spec: 'spec', metadata: 'metadata' },
  PodTemplate: { spec: 'template/spec', metadata: 'template/metadata' },
  ReplicationController: { spec: 'spec/template/spec', metadata: 'spec/template/metadata' },
  Deployment: { spec: 'spec/template/spec', metadata: 'spec/template/metadata' },
  StatefulSet: { spec: 'spec/template/spec', metadata: 'spec/template/metadata' },
  DaemonSet: { spec: 'spec/template/spec', metadata: 'spec/template/metadata' },
  ReplicaSet: { spec: 'spec/template/spec', metadata: 'spec/template/metadata' },
  Job: { spec: 'spec/template/spec', metadata: 'spec/template/metadata' },
  CronJob: { spec: 'spec/jobTemplate/spec/template/spec', metadata: 'spec/jobTemplate/spec/template/metadata' },
  Rollout: { spec: 'spec/template/spec', metadata: 'spec/template/metadata' },
};

/** The pod a workload runs: its spec and annotations, with their slash paths from the object root. */
export interface PodTemplate {
  readonly spec: Record<string, any>;
  /** `spec/template/spec`, `spec` for a Pod. */
  readonly path: string;
  readonly annotations: Record<string, any>;
  /** `spec/template/metadata/annotations`. */
  readonly annotationsPath: string;
}

/** The container lists of a pod spec, in the order the checks report them. */
export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';
export const CONTAINER_LISTS: readonly ContainerList[] = ['containers', 'initContainers', 'ephemeralContainers'];

/** One container of a pod template. */
export interface PodContainer {
  readonly list: ContainerList;
  /** The container's `name`, or `#<index>` when it has none. */
  readonly name: string;
  readonly container: Record<string, any>;
  /** `spec/template/spec/containers/0`. */
  readonly path: string;
}

/** A value found under an object, with its slash path (the value is undefined when the field is absent). */
export interface Located {
  readonly value: unknown;
  readonly path: string;
}

/**
 * The value under `keys` of `root`. Every object on the way must be absent or a plain object: anything else
 * (a templated string such as `{{ .Values.securityContext }}`) cannot be read, so it throws Unresolvable.
 */
export function lookup(ctx: EvaluationContext, root: unknown, rootPath: string, keys: readonly (string | number)[]): Located {
  let value: unknown = root;
  let path = rootPath;
  for (const key of keys) {
    const parent = objectAt(ctx, value, path);
    path = path === '' ? String(key) : `${path}/${key}`;
    value = parent?.[key];
  }
  return { value, path };
}

/** A plain object, undefined when absent; anything else throws Unresolvable. */
export function objectAt(ctx: EvaluationContext, value: unknown, path: string): Record<string, any> | undefined {
  const v = ctx.literal(value, path);
  if (v === undefined) return undefined;
  if (isPlainObject(v)) return v;
  throw new Unresolvable(path, `${JSON.stringify(v)} (not an object)`);
}

/** The items of a list with their paths (absent: none); a value that is not a list throws Unresolvable. */
export function itemsAt(ctx: EvaluationContext, value: unknown, path: string): { readonly item: any; readonly path: string }[] {
  if (ctx.isAbsent(value)) return [];
  if (!Array.isArray(value)) throw new Unresolvable(path, `${JSON.stringify(value)} (not a list)`);
  // Indexes of the source list, so paths point at the real item even when nulls precede it.
  return value.map((item, i) => ({ item, path: `${path}/${i}` })).filter(({ item }) => !ctx.isAbsent(item));
}

/**
 * The pod template of a workload, or why there is none: a Rollout with `workloadRef` takes its pod from a
 * Deployment (which the rules check in its own right); an object without a template runs no pod.
 */
export function podTemplateOf(resource: RenderedResource, ctx: EvaluationContext): PodTemplate | { readonly reason: string } {
  const kind = String(resource.properties.kind);
  const paths = TEMPLATE_PATHS[kind];
  if (!paths) return { reason: `${resource.type} has no pod template` };
  if (kind === 'Rollout' && resource.properties.spec?.template === undefined && resource.properties.spec?.workloadRef !== undefined) {
    return { reason: 'the Rollout takes its pod template from the workload named in spec.workloadRef, which is checked itself' };
  }
  const spec = objectAt(ctx, lookup(ctx, resource.properties, '', paths.spec.split('/')).value, paths.spec);
  if (!spec) return { reason: `${paths.spec} is absent: the object defines no pod` };
  const annotationsPath = `${paths.metadata}/annotations`;
  const annotations = objectAt(ctx, lookup(ctx, resource.properties, '', annotationsPath.split('/')).value, annotationsPath) ?? {};
  return { spec, path: paths.spec, annotations, annotationsPath };
}

/** Runs `check` on the pod template of a workload; not applicable when it has none. */
export function onPodTemplate(resource: RenderedResource, ctx: EvaluationContext, check: (pod: PodTemplate) => RuleResult): RuleResult {
  const pod = podTemplateOf(resource, ctx);
  return 'reason' in pod ? notApplicable(pod.reason) : check(pod);
}

/** The containers of a pod template (by default all three lists), with their paths. */
export function containersOf(ctx: EvaluationContext, pod: PodTemplate, lists: readonly ContainerList[] = CONTAINER_LISTS): PodContainer[] {
  const out: PodContainer[] = [];
  for (const list of lists) {
    for (const { item, path } of itemsAt(ctx, pod.spec[list], `${pod.path}/${list}`)) {
      const container = objectAt(ctx, item, path)!;
      const name = typeof container.name === 'string' ? container.name : `#${path.slice(path.lastIndexOf('/') + 1)}`;
      out.push({ list, name, container, path });
    }
  }
  return out;
}

/** The volumes of a pod template, with their names and paths. */
export function volumesOf(ctx: EvaluationContext, pod: PodTemplate): { readonly name: string; readonly volume: Record<string, any>; readonly path: string }[] {
  return itemsAt(ctx, pod.spec.volumes, `${pod.path}/volumes`).map(({ item, path }) => {
    const volume = objectAt(ctx, item, path)!;
    return { name: typeof volume.name === 'string' ? volume.name : `#${path.slice(path.lastIndexOf('/') + 1)}`, volume, path };
  });
}

/** How a container is named in messages: `container "main"`, `init container "migrate"`. */
export function describeContainer(c: PodContainer): string {
  const kind = c.list === 'initContainers' ? 'init container' : c.list === 'ephemeralContainers' ? 'ephemeral container' : 'container';
  return `${kind} "${c.name}"`;
}

/**
 * True when the pod runs in a user namespace (`hostUsers: false`): root in the container is then an
 * unprivileged user on the node, which is why pod-security-admission relaxes the runAsNonRoot, runAsUser,
 * baseline capabilities and baseline procMount checks for it.
 */
export function inUserNamespace(ctx: EvaluationContext, pod: PodTemplate): boolean {
  return ctx.bool(pod.spec.hostUsers, `${pod.path}/hostUsers`) === false;
}

/**
 * True for a Windows pod (`spec.os.name: windows`). pod-security-admission (1.25+) does not require the
 * Linux-only restricted controls (allowPrivilegeEscalation, seccomp, capabilities) of it: the API rejects them
 * on Windows pods.
 */
export function isWindowsPod(ctx: EvaluationContext, pod: PodTemplate): boolean {
  const os = lookup(ctx, pod.spec, pod.path, ['os', 'name']);
  return ctx.string(os.value, os.path) === 'windows';
}
