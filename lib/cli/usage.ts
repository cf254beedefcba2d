import { ALL_PACKS } from '../policy/packs';

/** The `--help` text. */
export function usage(): string {
  return `Usage:
  regulated-mlops check <path>... [--pack <ids>] [--format text|json|sarif] [--now YYYY-MM-DD]
  regulated-mlops report <cdk.out> [--pack <ids>] [--date YYYY-MM-DD] [--out <dir>]
  regulated-mlops diff <old cdk.out> <new cdk.out> [--date YYYY-MM-DD] [--expiring-within <days>] [--format text|json]
  regulated-mlops rules [--pack <ids>] [--format text|json]
  regulated-mlops verify-endpoint <name> --expected-config <config> [--region <r>] [--endpoint-url <url>] [--format text|json]
  regulated-mlops --help | --version

check   Runs the policy packs over rendered output:
          a CloudFormation template (JSON, or YAML with short-form tags such as !Ref, !Sub, !GetAtt),
          a cdk.out cloud assembly (every stack template, and the Kubernetes YAML beside them),
          Kubernetes manifests (YAML, multi-document).
report  Writes the compliance reports of a cdk.out again, as a synth does: every stack template, nested stages
          included, judged by the packs with the acknowledgments recorded in the templates. Into the assembly
          unless --out names a directory. Prints the verdict, the counts and the files written.
diff    What a security reviewer must look at between two synths: stacks added or removed, IAM permissions
          widened (statements, wildcards, managed policies, resource policies), encryption or logging removed and
          public exposure added, acknowledgments added, removed, changed or expiring, resources replaced or removed.
          Changes of asset hashes alone are not reported. Exit 0 nothing to review, 1 something to review, 2 error.
rules   Lists the rule catalog: id, severity, title and the packs that include each rule.
verify-endpoint
        After a deploy: checks that the SageMaker endpoint is InService on the expected endpoint config. A
        deployment guardrail that rolled back leaves it InService on the OLD config, which this reports.
        Exit 0 verified, 1 rolled back / rolling back / failed / not finished / out of service, 2 usage or AWS error.
        Credentials and Region from the AWS SDK chain (environment, profile, role); --endpoint-url for a proxy.

Options:
  --pack <ids>     comma-separated pack ids (default: all): ${ALL_PACKS.map((p) => p.id).join(', ')}
  --format <fmt>   text (default), json (the compliance report; diff: the changes; verify-endpoint: the verification),
                   sarif (check: SARIF 2.1.0 for code scanning)
  --now <date>     check: judge on this date, YYYY-MM-DD (default: today): support windows, acknowledgment expiry
  --date <date>    report, diff: the same, YYYY-MM-DD (default: today)
  --out <dir>      report: where to write the reports (default: the cdk.out directory)
  --expiring-within <days>
                   diff: list acknowledgments expiring within this many days of --date (default: 30)
  -h, --help       show this help
  -v, --version    show the version

Exit codes: 0 no findings, 1 findings, 2 bad usage or unreadable input.
  (diff: 0 nothing to review, 1 something to review, 2 bad usage or unreadable input)
`;
}
