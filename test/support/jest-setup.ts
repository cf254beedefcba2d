// aws-cdk-lib 2.276 runs its built-in CloudFormation validation (318 cfn-lint style rules, WASM) on every synth and
// reports them as warnings; loading it costs about five seconds per test file. The tests exercise our own rules and
// plugin, so they synthesize without it. `cdk synth` of the reference app (README, CI) keeps it on.
process.env.CDK_VALIDATION = 'false';
