import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Compliance } from '../../lib/policy/compliance';
import { K8S_POD_SECURITY } from '../../lib/policy/packs';
import { evaluateChart } from '../../lib/policy/adapters/cdk8s-validation';

const NOW = new Date('2026-11-26');

function privilegedPodChart(app: App, id: string): Chart {
  const chart = new Chart(app, id, { namespace: 'serving' });
  new ApiObject(chart, 'Pod', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: `${id.toLowerCase()}-pod` },
    spec: { containers: [{ name: 'app', image: 'registry.example/app@sha256:' + 'a'.repeat(64), securityContext: { privileged: true } }] },
  });
  return chart;
}

describe('cdk8s adapter', () => {
  it('evaluateChart runs the packs over the rendered objects', () => {
    const result = evaluateChart(privilegedPodChart(Testing.app(), 'Plain'), { packs: [K8S_POD_SECURITY], now: NOW });
    expect(result.findings.map((f) => `${f.ruleId} ${f.logicalId} ${f.path}`)).toContain('MLOPS-PSS-001 Pod/serving/plain-pod spec/containers/0/securityContext/privileged');
  });

  it('enforceChart fails the synthesis of every enforced chart, once each, without recursing', () => {
    const app = Testing.app();
    const charts = ['First', 'Second'].map((id) => privilegedPodChart(app, id));
    charts.forEach((chart) => Compliance.enforceChart(chart, { packs: [K8S_POD_SECURITY], now: NOW }));
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.match(/MLOPS-PSS-001 Pod\/serving\/first-pod/g)).toHaveLength(1);
    expect(message.match(/MLOPS-PSS-001 Pod\/serving\/second-pod/g)).toHaveLength(1);
    expect(message).toContain('Fix:');
  });
});
