import { ApiObject, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import type { ModelServer } from './model-server';
import { checkDnsLabel } from './private/validation';

/** A workload allowed to call the model, by its Kubernetes service account (its mesh identity). */
export interface Caller {
  /** The caller's namespace. */
  readonly namespace: string;
  /** The caller's service account. */
  readonly serviceAccount: string;
}

/** Mesh settings (shared with `ModelServingChart`). */
export interface MeshSecurityOptions {
  /**
   * The workloads allowed to call the model. More can be added with `allowFrom`.
   * @default - none: nothing reaches the model until a caller is allowed
   */
  readonly callers?: Caller[];
  /**
   * The mesh's trust domain, the first part of every SPIFFE identity.
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
  /**
   * Whether to create the namespace's PeerAuthentication `default` (STRICT). Turn it off when another model in
   * the namespace, or the platform, already creates it: there is one per namespace.
   * @default true
   */
  readonly namespaceMtls?: boolean;
}

/** Properties of a `MeshSecurity`. */
export interface MeshSecurityProps extends MeshSecurityOptions {
  /** The model server to protect. */
  readonly server: ModelServer;
}

/**
 * Who may reach a model: mutual TLS only, and only the named callers.
 *
 * Under the hood: a PeerAuthentication `default` in the model's namespace with `mtls.mode: STRICT` (sidecars
 * refuse plaintext); and, from the first caller on, an AuthorizationPolicy `<model>-callers` (ALLOW, selecting the
 * model's pods) admitting requests whose mTLS identity is one of the callers' service accounts
 * (`<trustDomain>/ns/<namespace>/sa/<serviceAccount>`) on the model's port, plus a NetworkPolicy
 * `<model>-callers` admitting the callers' namespaces to that port through the namespace's default deny. With the
 * namespace's `allow-nothing` policy, every other request is denied.
 */
export class MeshSecurity extends Construct {
  private readonly server: ModelServer;
  private readonly trustDomain: string;
  private readonly callers: Caller[] = [];
  private callerPolicy?: kplus.NetworkPolicy;

  constructor(scope: Construct, id: string, props: MeshSecurityProps) {
    super(scope, id);
    this.server = props.server;
    this.trustDomain = props.trustDomain ?? 'cluster.local';
    const problems = new ProblemCollector(this.node.path, 'MeshSecurity');
    problems.check(!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(this.trustDomain), 'trustDomain', this.trustDomain, 'a DNS name',
      "use the mesh's trust domain (meshConfig.trustDomain), 'cluster.local' by default");
    problems.throwIfAny();

    if (props.namespaceMtls ?? true) {
      new ApiObject(this, 'PeerAuthentication', {
        apiVersion: 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: { name: 'default', namespace: this.server.namespace },
        spec: { mtls: { mode: 'STRICT' } },
      });
    }
    if (props.callers?.length) this.allowFrom(...props.callers);
  }

  /** The SPIFFE principals of the allowed callers. */
  public get principals(): string[] {
    return this.callers.map((c) => `${this.trustDomain}/ns/${c.namespace}/sa/${c.serviceAccount}`);
  }

  /** Allows these workloads to call the model. */
  public allowFrom(...callers: Caller[]): void {
    const problems = new ProblemCollector(this.node.path, 'MeshSecurity');
    callers.forEach((c, i) => {
      checkDnsLabel(problems, `allowFrom(callers[${i}].namespace)`, c.namespace);
      checkDnsLabel(problems, `allowFrom(callers[${i}].serviceAccount)`, c.serviceAccount);
    });
    problems.throwIfAny();
    if (!this.callerPolicy) this.callerPolicy = this.createCallerPolicies();
    const known = new Set(this.callers.map((c) => c.namespace));
    for (const caller of callers) {
      if (this.callers.some((c) => c.namespace === caller.namespace && c.serviceAccount === caller.serviceAccount)) continue;
      this.callers.push(caller);
      if (known.has(caller.namespace)) continue;
      known.add(caller.namespace);
      // NetworkPolicies cannot select by service account: the namespace is let through and the mesh policy
      // narrows it to the named identities.
      this.callerPolicy.addIngressRule(kplus.Namespaces.select(this, `Namespace-${caller.namespace}`, { names: [caller.namespace] }),
        [kplus.NetworkPolicyPort.tcp(this.server.port)]);
    }
  }

  private createCallerPolicies(): kplus.NetworkPolicy {
    const name = `${this.server.model}-callers`;
    const metadata = { name, namespace: this.server.namespace, labels: this.server.selectorLabels };
    new ApiObject(this, 'AuthorizationPolicy', {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata,
      spec: {
        selector: { matchLabels: this.server.selectorLabels },
        action: 'ALLOW',
        rules: [{
          from: [{ source: { principals: Lazy.any({ produce: () => this.principals }) } }],
          to: [{ operation: { ports: [String(this.server.port)] } }],
        }],
      },
    });
    return new kplus.NetworkPolicy(this, 'NetworkPolicy', {
      metadata,
      selector: kplus.Pods.select(this, 'ModelPods', { labels: this.server.selectorLabels }),
    });
  }
}
