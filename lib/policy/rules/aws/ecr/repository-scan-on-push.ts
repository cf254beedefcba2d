import { defineRule, fail, pass } from '../../../rule';

/** MLOPS-ECR-002: repositories scan every pushed image for vulnerabilities. */
export default defineRule({
  id: 'MLOPS-ECR-002',
  title: 'ECR repository scans images on push',
  resourceTypes: ['AWS::ECR::Repository'],
  severity: 'medium',
  themes: ['VUL'],
  acknowledgeable: true,
  rationale:
    'Serving images bundle an OS, a Python runtime and ML libraries with a steady stream of CVEs. Scanning every ' +
    'image as it is pushed gives the release gate a vulnerability report before the image reaches an endpoint, ' +
    'and gives auditors evidence of vulnerability management for each deployed version.',
  fix:
    'Set imageScanOnPush: true on ecr.Repository (ImageScanningConfiguration.ScanOnPush: true). If the registry uses ' +
    'Amazon Inspector enhanced scanning (AWS::ECR::RegistryScanningConfiguration), acknowledge this rule for the ' +
    'repository and cite the registry scanning rule that covers it.',
  references: [
    'AWS Config ecr-private-image-scanning-enabled',
    'Control Tower CT.ECR.PR.2',
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html',
  ],
  scenarios: [
    { name: 'scan on push', expect: 'pass', resource: { Type: 'AWS::ECR::Repository', Properties: { ImageScanningConfiguration: { ScanOnPush: true } } } },
    { name: 'scan on push as a string', expect: 'pass', resource: { Type: 'AWS::ECR::Repository', Properties: { ImageScanningConfiguration: { ScanOnPush: 'true' } } } },
    { name: 'no scanning configuration', expect: 'fail', resource: { Type: 'AWS::ECR::Repository', Properties: {} } },
    { name: 'scan on push off', expect: 'fail', resource: { Type: 'AWS::ECR::Repository', Properties: { ImageScanningConfiguration: { ScanOnPush: false } } } },
    {
      name: 'scan on push from a parameter',
      expect: 'unresolvable',
      resource: { Type: 'AWS::ECR::Repository', Properties: { ImageScanningConfiguration: { ScanOnPush: { Ref: 'ScanImages' } } } },
    },
  ],
  evaluate(repository, ctx) {
    const base = 'Properties/ImageScanningConfiguration';
    const config = repository.properties.ImageScanningConfiguration;
    if (!ctx.isPresent(config, base)) return fail(base, 'the repository has no ImageScanningConfiguration, so images are not scanned on push');
    const scanOnPush = ctx.bool(config.ScanOnPush, `${base}/ScanOnPush`);
    if (scanOnPush !== true) return fail(`${base}/ScanOnPush`, `ScanOnPush is ${scanOnPush ?? 'unset'}, so pushed images are not scanned`);
    return pass();
  },
});
