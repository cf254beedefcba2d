import { parseSource } from '../../lib/cli/parse-source';

function parse(yaml: string): any {
  const parsed = parseSource(yaml, 'template.yaml', 'template.yaml');
  if (parsed.syntax !== 'yaml') throw new Error('expected YAML');
  return parsed.documents[0].toJs();
}

describe('CloudFormation YAML short-form tags', () => {
  test.each([
    ['!Ref Env', { Ref: 'Env' }],
    ['!Condition IsProd', { Condition: 'IsProd' }],
    ['!Sub "${AWS::StackName}-data"', { 'Fn::Sub': '${AWS::StackName}-data' }],
    ['!Sub ["${A}-x", {A: !Ref B}]', { 'Fn::Sub': ['${A}-x', { A: { Ref: 'B' } }] }],
    ['!GetAtt Bucket.Arn', { 'Fn::GetAtt': ['Bucket', 'Arn'] }],
    ['!GetAtt Db.Endpoint.Address', { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] }],
    ['!GetAtt [Db, Endpoint.Port]', { 'Fn::GetAtt': ['Db', 'Endpoint.Port'] }],
    ['!Join ["", [a, !Ref B]]', { 'Fn::Join': ['', ['a', { Ref: 'B' }]] }],
    ['!If [C, !Ref A, !Ref "AWS::NoValue"]', { 'Fn::If': ['C', { Ref: 'A' }, { Ref: 'AWS::NoValue' }] }],
    ['!Equals [!Ref Env, prod]', { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }],
    ['!Not [!Condition C]', { 'Fn::Not': [{ Condition: 'C' }] }],
    ['!And [!Condition A, !Condition B]', { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!Or [!Condition A, !Equals [a, b]]', { 'Fn::Or': [{ Condition: 'A' }, { 'Fn::Equals': ['a', 'b'] }] }],
    ['!Select [0, !GetAZs ""]', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }],
    ['!Split [",", !ImportValue Subnets]', { 'Fn::Split': [',', { 'Fn::ImportValue': 'Subnets' }] }],
    ['!FindInMap [M, !Ref "AWS::Region", K]', { 'Fn::FindInMap': ['M', { Ref: 'AWS::Region' }, 'K'] }],
    ['!ImportValue !Sub "${Net}-vpc"', null],
    ['!Base64 !Sub "echo ${X}"', null],
    ['!Cidr [!GetAtt Vpc.CidrBlock, 4, 8]', { 'Fn::Cidr': [{ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, 4, 8] }],
    ['!GetAZs !Ref "AWS::Region"', null],
    ['!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}', { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } }],
  ])('%s', (source, expected) => {
    if (expected === null) {
      // Two tags on one node is not YAML: CloudFormation's own parser rejects it too; the long form is required.
      expect(() => parse(`Value: ${source}\n`)).toThrow(/not valid YAML/);
      return;
    }
    expect(parse(`Value: ${source}\n`).Value).toEqual(expected);
  });

  test('block scalars, block sequences and mappings inside tags', () => {
    expect(parse([
      'A: !Base64 |',
      '  #!/bin/bash',
      '  echo hi',
      'B: !Sub',
      '  - "${Name}-x"',
      '  - Name: !Ref N',
      'C: !ImportValue',
      '  Fn::Sub: "${Net}-vpc"',
      '',
    ].join('\n'))).toEqual({
      A: { 'Fn::Base64': '#!/bin/bash\necho hi\n' },
      B: { 'Fn::Sub': ['${Name}-x', { Name: { Ref: 'N' } }] },
      C: { 'Fn::ImportValue': { 'Fn::Sub': '${Net}-vpc' } },
    });
  });

  test('anchors and aliases through a tagged sequence; dates stay strings', () => {
    expect(parse('A: &j !Join [",", [a, b]]\nB: *j\nVersion: 2012-10-17\n')).toEqual({
      A: { 'Fn::Join': [',', ['a', 'b']] }, B: { 'Fn::Join': [',', ['a', 'b']] }, Version: '2012-10-17',
    });
  });
});
