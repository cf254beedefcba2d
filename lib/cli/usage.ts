import { ALL_PACKS } from '../policy/packs';

/** The `--help` text. */
export function usage(): string {
  return `Usage:
  regulated-mlops check <path>... [--pack <ids>] [--format text|json|sarif] [--now YYYY-MM-DD]
  regulated-mlops rules [--pack <ids>] [--format text|json]
  regulated-mlops verify-endpoint <name> --expected-config <config> [--region <r>] [--endpoint-url <url>] [--format text|json]
  regulated-mlops --help | --version

check   Runs the policy packs over rendered output:
          a CloudFormation template (JSON, or YAML with short-form tags such as !Ref, !Sub, !GetAtt),
          a cdk.out cloud assembly (every stack template, and the Kubernetes YAML beside them),
          Kubernetes manifests (YAML, multi-document).
rules   Lists the rule catalog: id, severity, title and the packs that include each rule.
verify-endpoint
        After a deploy: checks that the SageMaker endpoint is InService on the expected endpoint config. A
        deployment guardrail that rolled back leaves it InService on the OLD config, which this reports.
        Exit 0 verified, 1 rolled back / rolling back / failed / not finished / out of service, 2 usage or AWS error.
        Credentials and Region from the AWS SDK chain (environment, profile, role); --endpoint-url for a proxy.

Options:
  --pack <ids>     comma-separated pack ids (default: all): ${ALL_PACKS.map((p) => p.id).join(', ')}
  --format <fmt>   text (default), json (the compliance report; verify-endpoint: the verification), sarif (SARIF 2.1.0 for code scanning)
  --now <date>     judge on this date, YYYY-MM-DD (default: today): support windows, acknowledgment expiry
  -h, --help       show this help
  -v, --version    show the version

Exit codes: 0 no findings, 1 findings, 2 bad usage or unreadable input.
`;
}
