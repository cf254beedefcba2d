import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import { wholeDays } from '../private/durations';
import { IKeyRing, KeyPurpose, KeyRing } from './key-ring';

/** Properties of an `ImageRepository`. */
export interface ImageRepositoryProps {
  /**
   * The customer-managed key images are encrypted with. Not with `keys`. Create-only: changing it replaces the
   * repository.
   * @default - the MODEL_ARTIFACTS key of `keys`, or of a `KeyRing` created here
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The key ring to take the MODEL_ARTIFACTS key from. Not with `encryptionKey`.
   * @default - a `KeyRing` created here (child 'Keys')
   */
  readonly keys?: IKeyRing;
  /**
   * Tag prefixes that mark a release image (`v1.4.0`, `release-2026-03`).
   * @default ['v', 'release-']
   */
  readonly releaseTagPrefixes?: string[];
  /**
   * How many of the newest images of each release prefix are kept (1 to 1000); older releases expire.
   * Deployments pin images by digest, so raise this above the number of releases that may still be serving or
   * need to be reproduced.
   * @default 30
   */
  readonly keepTaggedReleases?: number;
  /**
   * How long untagged images (superseded layers of a tag, failed pushes) are kept, in whole days.
   * @default Duration.days(7)
   */
  readonly untaggedExpiry?: Duration;
  /**
   * Further lifecycle rules, evaluated after the release rules and before the untagged one. Each must select
   * tagged images by prefixes or patterns that cannot match a release tag; leave `rulePriority` unset.
   * @default - none
   */
  readonly lifecycleRules?: ecr.LifecycleRule[];
  /**
   * AWS account ids (12 digits) whose principals may pull images. No other account is named in the
   * repository policy, and it never allows everyone.
   * @default - no cross-account pull
   */
  readonly pullAccounts?: string[];
  /**
   * What happens to the repository when the stack is deleted. A repository that still holds images is not deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The actions another account needs to pull an image. */
const PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'];
/** An ECR image tag: starts with a letter, digit or underscore; up to 128 characters. */
const TAG_PREFIX = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * A private ECR repository for model serving images.
 *
 * Under the hood: KMS encryption with the MODEL_ARTIFACTS key, scan on push, immutable tags, and a lifecycle
 * policy that keeps the newest `keepTaggedReleases` images of each release tag prefix, expires untagged images
 * after `untaggedExpiry`, and never lets another rule expire a release. The repository policy exists only with
 * `pullAccounts`, and then allows pull (BatchGetImage, GetDownloadUrlForLayer, BatchCheckLayerAvailability) to
 * those accounts' roots only, which delegate to their own IAM principals.
 *
 * Downstream code references images by digest (`imageUri(digest)`), never by tag. This construct does not
 * implement `ecr.IRepository`: pass `repository` where one is needed.
 *
 * @example
 * const images = new ImageRepository(this, 'ServingImages', { keys, pullAccounts: ['111122223333'] });
 * images.grantPush(buildRole);
 * const image = images.imageUri('sha256:6f0d...');
 */
export class ImageRepository extends Construct {
  /** References a repository by ARN (images in it must still be referenced by digest). */
  public static fromRepositoryArn(scope: Construct, id: string, repositoryArn: string): ecr.IRepository {
    return ecr.Repository.fromRepositoryArn(scope, id, repositoryArn);
  }

  /** The repository. */
  public readonly repository: ecr.Repository;
  /** The key images are encrypted with. */
  public readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps = {}) {
    super(scope, id);
    const prefixes = props.releaseTagPrefixes ?? ['v', 'release-'];
    validate(this.node.path, props, prefixes);

    this.encryptionKey = props.encryptionKey ?? (props.keys ?? new KeyRing(this, 'Keys')).key(KeyPurpose.MODEL_ARTIFACTS);
    const keep = props.keepTaggedReleases ?? 30;
    // ECR selects an image for a rule only if it has a tag for every prefix in the list, so one rule per prefix.
    // A rule never expires images that match a higher-priority rule, so the release rules come first.
    const releaseRules: ecr.LifecycleRule[] = prefixes.map((prefix) => ({
      description: `Keep the newest ${keep} release images tagged ${prefix}*`,
      tagStatus: ecr.TagStatus.TAGGED, tagPrefixList: [prefix], maxImageCount: keep,
    }));
    const untagged: ecr.LifecycleRule = {
      description: 'Expire untagged images',
      tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: props.untaggedExpiry ?? Duration.days(7),
    };
    const rules = [...releaseRules, ...props.lifecycleRules ?? [], untagged];

    this.repository = new ecr.Repository(this, 'Resource', {
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: this.encryptionKey,
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      lifecycleRules: rules.map((rule, i) => ({ ...rule, rulePriority: i + 1 })),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    if (props.pullAccounts?.length) {
      this.repository.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'CrossAccountPull',
        principals: props.pullAccounts.map((account) => new iam.AccountPrincipal(account)),
        actions: PULL_ACTIONS,
      }));
    }
  }

  /** The repository's ARN. */
  public get repositoryArn(): string {
    return this.repository.repositoryArn;
  }

  /** The repository's name. */
  public get repositoryName(): string {
    return this.repository.repositoryName;
  }

  /** The repository's URI (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`). */
  public get repositoryUri(): string {
    return this.repository.repositoryUri;
  }

  /** Lets `grantee` pull images (ECR authorizes; the key is used by ECR on the caller's behalf). */
  public grantPull(grantee: iam.IGrantable): iam.Grant {
    return this.repository.grantPull(grantee);
  }

  /** Lets `grantee` push images. Tags stay immutable: a pushed release tag cannot be moved. */
  public grantPush(grantee: iam.IGrantable): iam.Grant {
    return this.repository.grantPush(grantee);
  }

  /** The URI of the image with `digest` (`sha256:` and 64 hex digits): `<repositoryUri>@sha256:...`. */
  public imageUri(digest: string): string {
    if (!Token.isUnresolved(digest)) {
      const problems = new ProblemCollector(this.node.path, 'ImageRepository');
      problems.check(!DIGEST.test(digest), 'imageUri(digest)', digest, "an image digest: 'sha256:' and 64 lowercase hex digits",
        'pass the imageDigest of the pushed image (docker push output, or aws ecr describe-images), not a tag');
      problems.throwIfAny();
    }
    return this.repository.repositoryUriForDigest(digest);
  }
}

function validate(path: string, props: ImageRepositoryProps, prefixes: readonly string[]): void {
  const problems = new ProblemCollector(path, 'ImageRepository');
  problems.check(props.encryptionKey !== undefined && props.keys !== undefined, 'keys', 'a key ring together with encryptionKey',
    'encryptionKey or keys, not both', 'pass the key ring as keys, or the key as encryptionKey');

  const keep = props.keepTaggedReleases;
  if (keep !== undefined && !Token.isUnresolved(keep)) {
    problems.check(!Number.isInteger(keep) || keep < 1 || keep > 1000, 'keepTaggedReleases', keep, 'a whole number from 1 to 1000',
      'keep at least as many releases as may still be serving or need to be reproduced, e.g. 30');
  }
  wholeDays(props.untaggedExpiry, problems, 'untaggedExpiry', 'Duration.days(7)');

  problems.check(prefixes.length === 0, 'releaseTagPrefixes', prefixes, 'at least one prefix', "omit releaseTagPrefixes for ['v', 'release-']");
  const literal = (prefix: string) => !Token.isUnresolved(prefix) && TAG_PREFIX.test(prefix);
  prefixes.forEach((prefix, i) => {
    if (Token.isUnresolved(prefix)) return;
    if (!literal(prefix)) {
      problems.add(`releaseTagPrefixes[${i}]`, prefix, 'the start of an image tag: letters, digits, _ . -, not starting with . or -, no wildcard',
        "use a literal prefix such as 'v'");
      return;
    }
    const earlier = prefixes.slice(0, i).filter(literal).find((other) => other.startsWith(prefix) || prefix.startsWith(other));
    if (earlier !== undefined) {
      const shorter = earlier.length <= prefix.length ? earlier : prefix;
      problems.add(`releaseTagPrefixes[${i}]`, prefix, `prefixes that do not repeat or contain one another ('${earlier}' is listed)`,
        `keep only '${shorter}': it already selects the other's tags`);
    }
  });

  props.lifecycleRules?.forEach((rule, i) => {
    const at = `lifecycleRules[${i}]`;
    const selects = (rule.tagPrefixList?.length ?? 0) + (rule.tagPatternList?.length ?? 0);
    const status = rule.tagStatus ?? (selects > 0 ? ecr.TagStatus.TAGGED : ecr.TagStatus.ANY);
    problems.check(rule.rulePriority !== undefined, `${at}.rulePriority`, rule.rulePriority, 'unset',
      'leave rulePriority unset: release rules always come first, extra rules follow in the order given');
    if (status === ecr.TagStatus.ANY) {
      problems.add(`${at}.tagStatus`, 'TagStatus.ANY', 'TagStatus.TAGGED with tagPrefixList or tagPatternList that cannot match a release tag',
        'select the non-release tags to expire (e.g. tagPrefixList: [\'dev-\']); releases are kept by keepTaggedReleases');
    } else if (status === ecr.TagStatus.UNTAGGED) {
      problems.add(`${at}.tagStatus`, 'TagStatus.UNTAGGED', 'TagStatus.TAGGED (ECR allows a single untagged rule, built from untaggedExpiry)',
        'set untaggedExpiry instead of an untagged rule');
    } else {
      const clash = [
        ...(rule.tagPrefixList ?? []).filter((t) => prefixes.some((p) => t.startsWith(p) || p.startsWith(t))),
        ...(rule.tagPatternList ?? []).filter((t) => prefixes.some((p) => patternMayStartWith(t, p))),
      ].find((t) => !Token.isUnresolved(t));
      if (clash !== undefined) {
        problems.add(`${at}`, `a rule selecting '${clash}'`, `tags that cannot start with a release prefix (${prefixes.join(', ')})`,
          'narrow the rule to non-release tags; change keepTaggedReleases to keep fewer or more releases');
      }
    }
  });

  if (props.pullAccounts) {
    problems.check(props.pullAccounts.length === 0, 'pullAccounts', [], 'at least one account id, or no pullAccounts', 'omit pullAccounts for no cross-account pull');
    props.pullAccounts.forEach((account, i) => {
      if (Token.isUnresolved(account)) return;
      problems.check(!/^\d{12}$/.test(account), `pullAccounts[${i}]`, account, 'a 12-digit AWS account id',
        'name the account by its id (not an ARN, alias or *); its administrators then grant pull to their own roles');
      problems.check(props.pullAccounts!.indexOf(account) !== i, `pullAccounts[${i}]`, account, 'each account once', 'remove the duplicate');
    });
  }
  problems.throwIfAny();
}

/** Whether a tag pattern (`*` matches any characters) may match a tag that starts with `prefix`. */
function patternMayStartWith(pattern: string, prefix: string): boolean {
  const wildcard = pattern.indexOf('*');
  if (wildcard < 0) return pattern.startsWith(prefix);
  const head = pattern.slice(0, wildcard);
  return head.startsWith(prefix) || prefix.startsWith(head);
}
