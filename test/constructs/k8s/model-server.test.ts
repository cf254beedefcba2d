import { Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { CanaryRelease } from '../../../constructs/k8s/canary-release';
import { ModelServer, ModelServerProps, ServerWorkload } from '../../../constructs/k8s/model-server';
import { expectSchemaValid } from '../../support/k8s-schema/schema-validation';
import { errorOf } from '../security/construct-test-helpers';
import { chartFindingLines, IMAGE, objectOf } from './k8s-test-helpers';

const BASE: ModelServerProps = { namespace: 'fraud', model: 'fraud-detection', version: '2.1.0', image: IMAGE };

const app = Testing.app();
const chart = new Chart(app, 'ModelServer');
new ModelServer(chart, 'Gpu', { ...BASE, gpus: 1 });
new ModelServer(chart, 'Cpu', {
  ...BASE, model: 'scorecard', version: '7', port: 9000, metricsPort: 9100, metricsPath: '/prometheus', replicas: 3, user: 1000, group: 2000,
  resources: { cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.units(1) } }, scratchPaths: ['/tmp', '/models/cache'],
  env: { MODEL_NAME: 'scorecard' }, args: ['--port=9000'], readinessPath: '/ready', livenessPath: '/live', startupTimeout: Duration.minutes(2), maxUnavailable: 2,
});
const rollout = new ModelServer(chart, 'Rollout', {
  ...BASE, model: 'fraud-rollout', gpus: 2, workload: ServerWorkload.ROLLOUT,
  gpuTaints: [{ key: 'nvidia.com/gpu', value: 'true' }], gpuNodeLabels: { workload: 'gpu' },
});
new CanaryRelease(chart, 'Canary', { server: rollout });
const twin = new ModelServer(chart, 'Twin', { ...BASE, model: 'fraud-twin', gpus: 2, gpuTaints: [{ key: 'nvidia.com/gpu', value: 'true' }], gpuNodeLabels: { workload: 'gpu' } });

const objects = Testing.synth(chart);
const deployment = objectOf(objects, 'Deployment', 'fraud-detection');
const pod = deployment.spec.template.spec;
const container = pod.containers[0];
const cpu = objectOf(objects, 'Deployment', 'scorecard');
const cpuPod = cpu.spec.template.spec;
const rolloutObject = objectOf(objects, 'Rollout', 'fraud-rollout');

describe('ModelServer defaults (GPU model)', () => {
  test('runs one container from the image digest, pulled only when absent', () => {
    expect(pod.containers).toHaveLength(1);
    expect(container).toMatchObject({ name: 'server', image: IMAGE, imagePullPolicy: 'IfNotPresent' });
  });

  test('requests and limits nvidia.com/gpu as a quantity (a plain JSON patch loses the value: null in the YAML)', () => {
    expect(container.resources).toEqual({
      requests: { 'cpu': '2', 'memory': '8192Mi', 'nvidia.com/gpu': '1' },
      limits: { 'cpu': '4', 'memory': '8192Mi', 'nvidia.com/gpu': '1' },
    });
  });

  test('tolerates the GPU taint and requires the GPU node label', () => {
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'nvidia.com/gpu.present', operator: 'In', values: ['true'] }] },
    ]);
  });

  test('the pod runs as a numeric non-root user with seccomp RuntimeDefault', () => {
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.hostNetwork).toBe(false);
  });

  test('the container cannot escalate, drops ALL capabilities and has a read-only root filesystem', () => {
    expect(container.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, privileged: false, allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
    });
  });

  test('/tmp is a size-limited emptyDir, the only writable path', () => {
    expect(pod.volumes).toEqual([{ name: 'scratch-0', emptyDir: { sizeLimit: '1024Mi' } }]);
    expect(container.volumeMounts).toEqual([{ name: 'scratch-0', mountPath: '/tmp' }]);
  });

  test('probes readiness and liveness over HTTP, and gives the model 10 minutes to load', () => {
    const probe = (path: string, failureThreshold: number) => ({ httpGet: { path, port: 8080, scheme: 'HTTP' }, periodSeconds: 10, failureThreshold });
    expect(container.readinessProbe).toEqual(probe('/v2/health/ready', 3));
    expect(container.livenessProbe).toEqual(probe('/v2/health/live', 3));
    expect(container.startupProbe).toEqual(probe('/v2/health/live', 60));
  });

  test('uses its own service account, without a token', () => {
    expect(objectOf(objects, 'ServiceAccount', 'fraud-detection')).toMatchObject({ metadata: { namespace: 'fraud' }, automountServiceAccountToken: false });
    expect(pod).toMatchObject({ serviceAccountName: 'fraud-detection', automountServiceAccountToken: false });
  });

  test('pods carry the name and version labels; the selector is the name only, so it survives a new version', () => {
    expect(deployment.spec.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'fraud-detection', 'app.kubernetes.io/version': '2.1.0' });
    expect(deployment.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'fraud-detection' } });
    expect(deployment.spec.replicas).toBe(2);
  });

  test('pods announce their metrics for Istio metrics merging', () => {
    expect(deployment.spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080', 'prometheus.io/path': '/metrics', 'kubectl.kubernetes.io/default-container': 'server',
    });
  });

  test('a ClusterIP Service selects the pods by name on the port named http', () => {
    expect(objectOf(objects, 'Service', 'fraud-detection').spec).toMatchObject({
      type: 'ClusterIP', selector: { 'app.kubernetes.io/name': 'fraud-detection' }, ports: [{ name: 'http', port: 8080, targetPort: 8080 }],
    });
  });

  test('a PodDisruptionBudget lets one pod go at a time', () => {
    expect(objectOf(objects, 'PodDisruptionBudget', 'fraud-detection').spec).toEqual({
      maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'fraud-detection' } },
    });
  });
});

describe('ModelServer options', () => {
  test('a CPU model has no GPU resources, tolerations or node affinity', () => {
    expect(JSON.stringify(cpuPod)).not.toContain('nvidia.com');
    expect(cpuPod.tolerations).toBeUndefined();
    expect(cpuPod.affinity).toBeUndefined();
  });

  test('resources override field by field, the rest keep their defaults', () => {
    expect(cpuPod.containers[0].resources).toEqual({ requests: { cpu: '500m', memory: '8192Mi' }, limits: { cpu: '1', memory: '8192Mi' } });
  });

  test('user, group, ports, probes, scratch paths, env and args reach the pod', () => {
    const c = cpuPod.containers[0];
    expect(cpuPod.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 2000, fsGroup: 2000 });
    expect(c.ports).toEqual([{ containerPort: 9000, name: 'http' }, { containerPort: 9100, name: 'metrics' }]);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 9000, scheme: 'HTTP' });
    expect(c.startupProbe).toMatchObject({ httpGet: { path: '/live' }, failureThreshold: 12 });
    expect(c.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/tmp', '/models/cache']);
    expect(c.env).toEqual([{ name: 'MODEL_NAME', value: 'scorecard' }]);
    expect(c.args).toEqual(['--port=9000']);
    expect(cpu.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/port': '9100', 'prometheus.io/path': '/prometheus' });
    expect(cpu.spec.replicas).toBe(3);
    expect(objectOf(objects, 'PodDisruptionBudget', 'scorecard').spec.maxUnavailable).toBe(2);
  });

  test('a taint with a value is tolerated with Equal; custom node labels drive the affinity', () => {
    const spec = rolloutObject.spec.template.spec;
    expect(spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions)
      .toEqual([{ key: 'workload', operator: 'In', values: ['gpu'] }]);
    expect(spec.containers[0].resources.limits['nvidia.com/gpu']).toBe('2');
  });

  test('ROLLOUT renders an Argo Rollout owning the same pod template a Deployment would', () => {
    const withoutAddress = (template: any) => ({ ...template, metadata: { ...template.metadata, labels: { ...template.metadata.labels, 'cdk8s.io/metadata.addr': undefined } } });
    const twinTemplate = objectOf(objects, 'Deployment', 'fraud-twin').spec.template;
    const relabel = (t: any) => JSON.parse(JSON.stringify(withoutAddress(t)).replace(/fraud-(rollout|twin)/g, 'fraud-x'));
    expect(relabel(rolloutObject.spec.template)).toEqual(relabel(twinTemplate));
    expect(rolloutObject.spec.workloadRef).toBeUndefined();
    expect(rolloutObject.spec).toMatchObject({ replicas: 2, selector: { matchLabels: { 'app.kubernetes.io/name': 'fraud-rollout' } } });
    expect(twin.workloadKind).toBe(ServerWorkload.DEPLOYMENT);
  });

  test('serviceHost is the cluster-local DNS name of the Service', () => {
    expect(rollout.serviceHost).toBe('fraud-rollout.fraud.svc.cluster.local');
  });
});

describe('ModelServer compliance', () => {
  test('every object validates against the upstream schemas', () => {
    expectSchemaValid(objects);
  });

  test('defaults and options pass every pack and every rule of the catalog', () => {
    expect(chartFindingLines(chart)).toEqual([]);
  });

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('ModelServer refuses bad input with the fix', () => {
  const build = (props: Partial<ModelServerProps>) => errorOf(() => new ModelServer(Testing.chart(), 'Server', { ...BASE, ...props }));

  test('fails if the image is not pinned by digest', () => {
    const error = build({ image: 'registry.example.com/fraud:2.1.0' });
    expect(error.code).toBe('InvalidConfiguration');
    expect(error.message).toContain("test/Server:image: received 'registry.example.com/fraud:2.1.0'; allowed: an image pinned by digest");
    expect(error.message).toContain('Fix: reference the image by the digest');
  });

  test('fails if the user id is 0 (root)', () => {
    expect(build({ user: 0 }).message).toMatch(/Server:user: received 0; allowed: a numeric user id from 1 to 2147483647: 0 is root.*Fix: run as the non-root user the image declares/);
  });

  test('fails if GPUs are requested with no GPU toleration', () => {
    const error = build({ gpus: 1, gpuTaints: [] });
    expect(error.message).toContain('Server:gpuTaints: received []; allowed: at least one taint when gpus is above 0');
    expect(error.message).toContain('Fix: omit gpuTaints to tolerate nvidia.com/gpu:NoSchedule');
  });

  test('fails if GPUs are requested with no GPU node label', () => {
    expect(build({ gpus: 1, gpuNodeLabels: {} }).message).toContain('Server:gpuNodeLabels: received {}; allowed: at least one node label');
  });

  test('fails if GPU scheduling is set on a CPU model', () => {
    expect(build({ gpuTaints: [{ key: 'nvidia.com/gpu' }] }).message).toContain('Server:gpuTaints: received [{"key":"nvidia.com/gpu"}]; allowed: GPU scheduling only with gpus above 0');
  });

  test('fails with every problem at once: names, version, ports, counts, paths', () => {
    const error = build({
      namespace: 'Fraud_NS', model: 'a'.repeat(54), version: '-bad-', port: 15020, replicas: 0, gpus: 1.5, group: -1,
      readinessPath: 'ready', startupTimeout: Duration.seconds(5), scratchPaths: ['tmp'], maxUnavailable: 0,
    });
    expect(error.problems.map((p) => p.path.replace('test/Server:', ''))).toEqual([
      'namespace', 'model', 'version', 'port', 'replicas', 'gpus', 'group', 'readinessPath', 'startupTimeout', 'scratchPaths[0]', 'maxUnavailable',
    ]);
    expect(error.message).toContain("namespace: received 'Fraud_NS'; allowed: an RFC 1123 label of at most 63 characters");
    expect(error.message).toContain("Fix: rename it, e.g. 'fraud-ns'");
    expect(error.message).toContain('port: received 15020; allowed: a port outside 15000 to 15099, which the Istio sidecar uses');
  });

  test('fails at synthesis if a ROLLOUT server has no CanaryRelease', () => {
    const lonely = Testing.chart();
    new ModelServer(lonely, 'Server', { ...BASE, workload: ServerWorkload.ROLLOUT, resources: { memory: { request: Size.gibibytes(4), limit: Size.gibibytes(4) } } });
    expect(() => Testing.synth(lonely)).toThrow(/the fraud-detection Rollout has no strategy: create a CanaryRelease/);
  });
});
