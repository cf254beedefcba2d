import { ASSET_HASH_PLACEHOLDER, withoutAssetHashes } from '../../lib/diff/asset-hashes';

const HASH = 'a02a284d0427e3f6d530e7479bad11bff08a9218897afd6fa41a6c4136fa7020';
const OTHER = 'f178182c7c3aac6ad18bdaae53a2d38f72b2cf690d17b9efa635c7ce37f77d71';

describe('withoutAssetHashes', () => {
  const template = {
    Resources: {
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: { Code: { S3Bucket: 'cdk-assets', S3Key: `${HASH}.zip` }, Description: `built from ${OTHER}` },
        Metadata: { 'aws:asset:path': `asset.${HASH}` },
      },
      Image: { Type: 'AWS::SageMaker::Model', Properties: { PrimaryContainer: { Image: { 'Fn::Sub': `\${AWS::AccountId}.dkr.ecr.eu-west-1.amazonaws.com/repo:${HASH}` } } } },
    },
  };

  test('replaces every known hash, in keys, nested strings and intrinsic arguments, and leaves other strings alone', () => {
    const result = withoutAssetHashes(template, new Set([HASH]));
    expect(result.Resources.Fn.Properties.Code.S3Key).toBe(`${ASSET_HASH_PLACEHOLDER}.zip`);
    expect(result.Resources.Fn.Metadata['aws:asset:path']).toBe(`asset.${ASSET_HASH_PLACEHOLDER}`);
    expect(result.Resources.Image.Properties.PrimaryContainer.Image['Fn::Sub']).toBe(`\${AWS::AccountId}.dkr.ecr.eu-west-1.amazonaws.com/repo:${ASSET_HASH_PLACEHOLDER}`);
    // A hash that is not one of the assembly's assets (an image digest, say) is content, not an asset id.
    expect(result.Resources.Fn.Properties.Description).toBe(`built from ${OTHER}`);
    expect(template.Resources.Fn.Properties.Code.S3Key).toBe(`${HASH}.zip`);
  });

  test('two templates that differ only in an asset hash become equal', () => {
    const other = JSON.parse(JSON.stringify(template).split(HASH).join(OTHER.replace(/^f/, 'e')));
    const hashes = new Set([HASH, OTHER.replace(/^f/, 'e')]);
    expect(other).not.toEqual(template);
    expect(withoutAssetHashes(other, hashes)).toEqual(withoutAssetHashes(template, hashes));
  });

  test('no hashes: the value itself', () => {
    expect(withoutAssetHashes(template, new Set())).toBe(template);
  });
});
