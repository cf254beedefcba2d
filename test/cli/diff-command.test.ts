import * as fs from 'fs';
import * as path from 'path';
import { parseArguments } from '../../lib/cli/args';
import type { AssemblyDiff } from '../../lib/diff/assembly-diff';
import { EXPIRES_SOON, PULL_ACCOUNT, REVIEW_DATE, synthesizeReviewApps } from '../diff/review-apps';
import { expectOneLineError, runCli, tempDir } from './run-cli';

/** The two versions of the review app (test/diff/review-apps.ts), as `<root>/old` and `<root>/new`. */
const dirs = synthesizeReviewApps('diff');
const diff = (...args: string[]) => runCli(['diff', ...args, '--date', REVIEW_DATE], dirs.root);

describe('diff <old cdk.out> <new cdk.out>', () => {
  const run = diff('old', 'new');
  const sections = run.stdout.trimEnd().split('\n\n');
  const section = (title: string) => {
    const found = sections.find((s) => s.startsWith(`${title} (`));
    if (!found) throw new Error(`no section ${title} in:\n${run.stdout}`);
    return found.split('\n');
  };

  test('exit 1; the header names the assemblies as given, the date and the number of items', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(sections[0]).toBe(`regulated-mlops diff old -> new (judged on ${REVIEW_DATE}): 14 items to review`);
  });

  test('every section with its count, in order', () => {
    expect(sections.slice(1).map((s) => s.split('\n')[0])).toEqual([
      'Stacks added (1)', 'Stacks removed (1)', 'IAM permissions widened (3)', 'Encryption, logging or public exposure weakened (2)',
      'Acknowledgments added (2)', 'Acknowledgments removed (0)', 'Acknowledgments changed (0)',
      `Acknowledgments expiring within 30 days of ${REVIEW_DATE} (1)`, 'Resources replaced (3)', 'Resources removed (1)',
    ]);
  });

  test('stacks: the added one, the removed one with its stateful resources', () => {
    expect(section('Stacks added')).toEqual(['Stacks added (1)', '  + Prod/Monitoring (stack Prod-Monitoring, 1 resource)']);
    const removed = section('Stacks removed');
    expect(removed[1]).toBe('  - Sandbox (stack Sandbox, 5 resources)');
    expect(removed.slice(2).sort()).toEqual([
      expect.stringMatching(/^ {6}Sandbox\/Scratch\/AccessLogs\/Resource\/Resource \(ScratchAccessLogs\w+, AWS::S3::Bucket\): STATEFUL, retained \(DeletionPolicy Retain\)$/),
      expect.stringMatching(/^ {6}Sandbox\/Scratch\/Keys\/Data\/Resource \(ScratchKeysData\w+, AWS::KMS::Key\): STATEFUL, retained \(DeletionPolicy Retain\)$/),
      expect.stringMatching(/^ {6}Sandbox\/Scratch\/Resource\/Resource \(Scratch\w+, AWS::S3::Bucket\): STATEFUL, retained \(DeletionPolicy Retain\)$/),
    ]);
  });

  test('IAM: statement, wildcards and principal of each widening, on the resource that holds it', () => {
    const lines = section('IAM permissions widened').slice(1);
    expect(lines).toHaveLength(3);
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^ {2}Platform\/TrainingRole\/DefaultPolicy\/Resource \(\w+, AWS::IAM::Policy\): statement added: Allow s3:\* on \* for AWS:\$\{TrainingRole\w+\} \[wildcard action, resource\]$/),
      expect.stringMatching(/^ {2}Platform\/Jobs\/Policy\/Resource \(\w+, AWS::SQS::QueuePolicy\): deny removed: Deny sqs:\* on \$\{Jobs\w+\.Arn\} for AWS:\* when \{"Bool":\{"aws:SecureTransport":"false"\}\}$/),
      expect.stringMatching(new RegExp(`^ {2}Prod/Registry/Images/Resource/Resource \\(\\w+, AWS::ECR::Repository\\): statement added: Allow ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer on \\$\\{Images\\w+\\.Arn\\} for AWS:arn:\\$\\{AWS::Partition\\}:iam::${PULL_ACCOUNT}:root$`)),
    ]));
  });

  test('weakened: the rule, its concern, the resource, the property and the acknowledgment; the open ingress', () => {
    const lines = section('Encryption, logging or public exposure weakened').slice(1);
    expect(lines).toEqual([
      expect.stringMatching(/^ {2}MLOPS-SQS-002 \[encryption\] Platform\/Jobs\/Resource \(Jobs\w+, AWS::SQS::Queue\): acknowledged \(was pass\)$/),
      '      SQS queue policy denies access without TLS',
      expect.stringMatching(/^ {6}property: Properties: no AWS::SQS::QueuePolicy names this queue/),
      '      acknowledged: until 2027-06-30, approved by jane.doe (CISO office) (RISK-8): The legacy scheduler only speaks plain HTTP inside the VPC until its replacement ships',
      expect.stringMatching(/^ {2}open ingress \[public-exposure\] Platform\/Network\/EndpointSecurityGroup\/Resource \((\w+), AWS::EC2::SecurityGroup\): TCP 443 from 0\.0\.0\.0\/0 into \$\{\1\.GroupId\}$/),
    ]);
  });

  test('acknowledgments: added with their terms; the one expiring in 10 days', () => {
    expect(section('Acknowledgments added').slice(1)).toEqual([
      `  + MLOPS-IAM-002 at Platform/TrainingRole: until ${EXPIRES_SOON}, approved by jane.doe (CISO office) (RISK-7): The migration job copies every bucket of the account until the cut-over [2 resources]`,
      '  + MLOPS-SQS-002 at Platform/Jobs: until 2027-06-30, approved by jane.doe (CISO office) (RISK-8): The legacy scheduler only speaks plain HTTP inside the VPC until its replacement ships [1 resource]',
    ]);
    expect(section('Acknowledgments expiring within 30 days of 2026-11-26').slice(1)).toEqual([
      `  MLOPS-IAM-002 at Platform/TrainingRole: expires ${EXPIRES_SOON} (in 10 days), approved by jane.doe (CISO office) (RISK-7): ` +
      'The migration job copies every bucket of the account until the cut-over',
    ]);
  });

  test('replacements with the property that causes each; the removed queue policy', () => {
    const lines = section('Resources replaced').slice(1);
    expect(lines).toHaveLength(3);
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^ {2}Platform\/Network\/Serving\/Resource \(NetworkServing\w+, AWS::EC2::SecurityGroup\): will be replaced \(caused by GroupDescription\)$/),
      expect.stringMatching(/^ {2}Platform\/Network\/EndpointSecurityGroup\/from PlatformNetworkServing\w+:443 \(\w+, AWS::EC2::SecurityGroupIngress\): will be replaced \(caused by SourceSecurityGroupId \(refers to replaced NetworkServing\w+\)\)$/),
      expect.stringMatching(/^ {2}Platform\/Network\/Serving\/to PlatformNetworkEndpointSecurityGroup\w+:443 \(\w+, AWS::EC2::SecurityGroupEgress\): will be replaced \(caused by GroupId \(refers to replaced NetworkServing\w+\)\)$/),
    ]));
    expect(section('Resources removed').slice(1)).toEqual([expect.stringMatching(/^ {2}Platform\/Jobs\/Policy\/Resource \(Jobs\w+, AWS::SQS::QueuePolicy\): deleted$/)]);
  });

  test('--format json: the machine-readable diff, the same counts', () => {
    const json = diff('old', 'new', '--format', 'json');
    expect(json.code).toBe(1);
    const parsed: AssemblyDiff = JSON.parse(json.stdout);
    expect(parsed).toMatchObject({
      old: 'old', new: 'new', date: REVIEW_DATE, expiringWithinDays: 30, needsReview: true,
      counts: { stacksAdded: 1, stacksRemoved: 1, iam: 3, weakened: 2, acknowledgmentsAdded: 2, acknowledgmentsRemoved: 0, acknowledgmentsChanged: 0, acknowledgmentsExpiring: 1, replacements: 3, removals: 1 },
    });
    expect(parsed.iam.map((w) => w.change).sort()).toEqual(['deny-removed', 'statement-added', 'statement-added']);
  });

  test('an assembly against itself: nothing to review, exit 0', () => {
    const same = diff('old', 'old');
    expect(same.code).toBe(0);
    expect(same.stderr).toBe('');
    expect(same.stdout.split('\n')[0]).toBe(`regulated-mlops diff old -> old (judged on ${REVIEW_DATE}): nothing to review`);
    expect(same.stdout.match(/^\S.* \((\d+)\)$/gm)).toHaveLength(10);
    expect(same.stdout).not.toMatch(/\((?!0\))\d+\)$/m);
    expect(JSON.parse(diff('old', 'old', '--format', 'json').stdout)).toMatchObject({ needsReview: false, iam: [], weakened: [], replacements: [], removals: [] });
  });

  test('--expiring-within: an unchanged acknowledgment is listed only when it expires within the window', () => {
    expect(diff('new', 'new').code).toBe(1);
    expect(diff('new', 'new', '--expiring-within', '10').code).toBe(1);
    const narrow = diff('new', 'new', '--expiring-within', '9');
    expect(narrow.code).toBe(0);
    expect(narrow.stdout).toContain(`Acknowledgments expiring within 9 days of ${REVIEW_DATE} (0)`);
  });

  test('arguments', () => {
    expect(parseArguments(['diff', 'a', '--format=json', 'b', '--expiring-within', '7', '--date', '2027-01-31'])).toEqual({
      command: 'diff', oldAssembly: 'a', newAssembly: 'b', date: new Date('2027-01-31T00:00:00.000Z'), expiringWithinDays: 7, format: 'json',
    });
    expect(parseArguments(['diff', 'a', 'b'])).toEqual({ command: 'diff', oldAssembly: 'a', newAssembly: 'b', expiringWithinDays: 30, format: 'text' });
  });
});

describe('diff: bad input is one line and exit 2', () => {
  const dir = tempDir('diff-bad');

  test.each([
    [['diff'], 'diff compares two cloud assemblies: regulated-mlops diff <old cdk.out> <new cdk.out> (received none)'],
    [['diff', 'a'], "(received 'a')"],
    [['diff', 'a', 'b', 'c'], "(received 'a', 'b', 'c')"],
    [['diff', 'a', 'b', '--format', 'sarif'], "option --format must be one of text, json (received 'sarif')"],
    [['diff', 'a', 'b', '--expiring-within', '-3'], "option --expiring-within must be a whole number of days, 0 or more (received '-3')"],
    [['diff', 'a', 'b', '--expiring-within', 'soon'], "option --expiring-within must be a whole number of days, 0 or more (received 'soon')"],
    [['diff', 'a', 'b', '--pack', 'hipaa'], "unknown option '--pack' for diff"],
  ])('%j: %s', (argv, message) => {
    expectOneLineError(runCli(argv), message);
  });

  test('a missing directory, old or new', () => {
    expectOneLineError(runCli(['diff', 'nope', dirs.new], dir), 'regulated-mlops: nope: no such file or directory');
    expectOneLineError(runCli(['diff', dirs.old, 'gone'], dir), 'regulated-mlops: gone: no such file or directory');
  });

  test('not an assembly: a directory without a manifest, a file', () => {
    fs.mkdirSync(path.join(dir, 'plain'));
    expectOneLineError(runCli(['diff', dirs.old, 'plain'], dir), 'regulated-mlops: plain: a directory without manifest.json: not a cdk.out cloud assembly');
    fs.writeFileSync(path.join(dir, 'template.json'), '{"Resources": {}}');
    expectOneLineError(runCli(['diff', 'template.json', dirs.new], dir), 'regulated-mlops: template.json: not a directory');
  });
});
