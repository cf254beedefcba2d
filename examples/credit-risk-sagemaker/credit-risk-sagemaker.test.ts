import * as fs from 'fs';
import * as path from 'path';
import { App, CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { ALL_PACKS, APPROVED_MODEL_RESOURCE_TYPE, Compliance, REPORT_FILES } from '../../lib';
import { tempDir } from '../../test/cli/run-cli';
import { findingLines } from '../../test/compliance-harness';
import { FIXTURE_DATE } from '../../test/policy/rule-harness';
import { CreditRiskFoundationStack } from './credit-risk-foundation-stack';
import { CreditRiskServingStack } from './credit-risk-serving-stack';

// The example as `cdk synth` builds it (app.ts, with cdk.json's context), every pack enforced, judged on a fixed date.
const outdir = tempDir('credit-risk-sagemaker');
const app = new App({ outdir, context: JSON.parse(fs.readFileSync(path.join(__dirname, 'cdk.json'), 'utf-8')).context });
const foundation = new CreditRiskFoundationStack(app, 'CreditRiskFoundation');
const serving = new CreditRiskServingStack(app, 'CreditRiskServing', { foundation });
const compliance = Compliance.enforce(app, { now: new Date(FIXTURE_DATE) });
const assembly = app.synth();
const resources: Record<string, any> = assembly.getStackByName(serving.stackName).template.Resources;
const idOf = (construct: IConstruct) => serving.resolve(serving.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement)) as string;
const endpoint = resources[idOf(serving.endpoint.endpoint)].Properties;

describe('credit-risk-sagemaker example', () => {
  test('synthesizes with every pack and no finding, writing the reports and the model card beside the templates', () => {
    expect(findingLines(compliance.lastResult!)).toEqual([]);
    expect(compliance.lastResult!.packs).toHaveLength(ALL_PACKS.length);
    expect(compliance.lastResult!.acknowledged).toEqual([]);
    for (const file of Object.values(REPORT_FILES)) expect(fs.existsSync(path.join(outdir, file))).toBe(true);
    expect(fs.readFileSync(path.join(outdir, serving.card.markdownPath), 'utf-8')).toMatch(/^# Model card: credit-risk-pd\n[\s\S]*\| Status \| Approved \|/);
  });

  test('serves only what the registry approved: the model comes from the approved-model custom resource', () => {
    const approved = idOf(serving.approvedModel.resource);
    expect(resources[approved]).toMatchObject({
      Type: APPROVED_MODEL_RESOURCE_TYPE,
      Properties: { ModelPackageGroupName: serving.resolve(serving.registry.modelPackageGroupName) },
    });
    const model = resources[idOf(serving.endpoint.models[0])].Properties;
    expect(model.PrimaryContainer).toEqual({ Image: { 'Fn::GetAtt': [approved, 'ImageUri'] }, ModelDataUrl: { 'Fn::GetAtt': [approved, 'ModelDataUrl'] } });
  });

  test('releases a new version to one instance in ten first, rolled back by the new fleet\'s 5XX and latency alarms', () => {
    expect(endpoint.DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration).toEqual({
      Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 }, WaitIntervalInSeconds: 900,
    });
    const alarms = [serving.endpoint.errorAlarm, serving.endpoint.latencyAlarm].map(idOf);
    expect(endpoint.DeploymentConfig.AutoRollbackConfiguration.Alarms).toEqual(alarms.map((id) => ({ AlarmName: { Ref: id } })));
    for (const id of alarms) {
      expect(resources[id].Properties.Dimensions).toContainEqual({ Name: 'EndpointConfigName', Value: { 'Fn::GetAtt': [idOf(serving.endpoint.endpointConfig), 'EndpointConfigName'] } });
    }
    const config = resources[idOf(serving.endpoint.endpointConfig)].Properties;
    expect(config.ProductionVariants[0]).toMatchObject({ InstanceType: 'ml.m5.xlarge', InitialInstanceCount: 10 });
  });

  test('runs the drift job every 6 hours, 10 minutes past the hour, with a drift alarm over 6-hour periods', () => {
    const job = idOf(serving.drift.driftFunction!);
    const schedules = Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule' && r.Properties.Targets?.[0]?.Arn?.['Fn::GetAtt']?.[0] === job);
    expect(schedules.map((r) => r.Properties.ScheduleExpression)).toEqual(['cron(10 0/6 * * ? *)']);
    const drift = serving.drift.alarms.map((a) => resources[idOf(a)].Properties).find((p) => p.MetricName === 'MaxFeaturePSI');
    expect(drift).toMatchObject({ Threshold: 0.2, Period: 21600 });
  });

  test('the foundation stack holds the keys, trail and stores; the serving stack only imports from it', () => {
    expect(serving.dependencies.map((s) => s.stackName)).toEqual([foundation.stackName]);
    expect(foundation.dependencies).toEqual([]);
  });
});
