import { Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { ProblemCollector } from '../../lib/core/errors';
import type { IApprovedModel } from '../registry/i-approved-model';

const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** Container environment keys as SageMaker accepts them. */
const ENV_KEY = /^[a-zA-Z_][a-zA-Z0-9_]{0,1023}$/;
const MAX_ENVIRONMENT = 100;

/** A model artifact (`model.tar.gz`) in S3. */
export interface ModelArtifact {
  /** The bucket. Its `encryptionKey`, when known, is granted for decryption. */
  readonly bucket: s3.IBucket;
  /** The object key, e.g. `fraud/v12/model.tar.gz`. */
  readonly key: string;
}

/** A model given by its serving image, pinned by digest, and optionally its artifact. */
export interface ImageModelSourceOptions {
  /** The ECR repository of the serving image (`ImageRepository.repository`). */
  readonly repository: ecr.IRepository;
  /** The image digest: `sha256:` and 64 lowercase hex digits (never a tag: tags move). */
  readonly digest: string;
  /**
   * The model artifact SageMaker downloads into the container.
   * @default - none: the model is inside the image
   */
  readonly modelData?: ModelArtifact;
  /**
   * Environment variables of the serving container (at most 100).
   * @default - none
   */
  readonly environment?: { [key: string]: string };
}

/** Where the images and artifacts of an approved model live, so the execution role can be scoped to them. */
export interface ApprovedModelSourceOptions {
  /** The ECR repository the package group's images are pushed to. */
  readonly imageRepository: ecr.IRepository;
  /** The bucket the package group's artifacts are written to. Its `encryptionKey`, when known, is granted for decryption. */
  readonly artifactBucket: s3.IBucket;
  /**
   * The object keys the execution role may read: the version is resolved at deploy time, so its key is not known
   * at synth.
   * @default '*'
   */
  readonly artifactKeyPattern?: string;
  /**
   * Environment variables of the serving container (at most 100).
   * @default - none
   */
  readonly environment?: { [key: string]: string };
}

/** @internal What a model source contributes to the model and its execution role. */
export interface BoundModelSource {
  readonly image: string;
  readonly modelDataUrl?: string;
  readonly environment?: { [key: string]: string };
  /** The approved package version, recorded on the model for lineage. */
  readonly modelPackageArn?: string;
  readonly repositoryArn: string;
  /** The artifact objects the role reads, and whether that is a key pattern rather than one object. */
  readonly artifactObjectArn?: string;
  readonly artifactPattern: boolean;
  readonly artifactKeyArn?: string;
}

/**
 * The model an endpoint serves: the newest approved version of a registry group (resolved at deploy time), or an
 * image pinned by digest with its artifact. Either way the image is referenced by digest.
 *
 * @example
 * ModelSource.fromApprovedModel(approved, { imageRepository: images.repository, artifactBucket: models.bucket });
 * ModelSource.fromImage({ repository: images.repository, digest: 'sha256:6f0d...', modelData: { bucket: models.bucket, key: 'fraud/v12/model.tar.gz' } });
 */
export abstract class ModelSource {
  /**
   * The approved model version a registry resolved at deploy time (`ApprovedModel`): its image (pinned by digest)
   * and artifact. An unapproved model never reaches the endpoint.
   */
  public static fromApprovedModel(approved: IApprovedModel, options: ApprovedModelSourceOptions): ModelSource {
    return new ApprovedModelSource(approved, options);
  }

  /** A serving image pinned by digest, and optionally its artifact in S3. */
  public static fromImage(options: ImageModelSourceOptions): ModelSource {
    return new ImageModelSource(options);
  }

  /** @internal Validates into `problems` (props under `prop`) and returns what the model needs. */
  public abstract _bind(problems: ProblemCollector, prop: string): BoundModelSource;
}

class ApprovedModelSource extends ModelSource {
  constructor(private readonly approved: IApprovedModel, private readonly options: ApprovedModelSourceOptions) {
    super();
  }

  public _bind(problems: ProblemCollector, prop: string): BoundModelSource {
    const pattern = this.options.artifactKeyPattern ?? '*';
    if (!Token.isUnresolved(pattern)) {
      problems.check(pattern === '' || pattern.startsWith('/'), `${prop}.artifactKeyPattern`, pattern,
        "an S3 key or key pattern, without a leading '/'", "use the package group's artifact prefix, e.g. 'fraud/*'");
    }
    validateEnvironment(this.options.environment, problems, `${prop}.environment`);
    const bucket = this.options.artifactBucket;
    return {
      image: this.approved.imageUri,
      modelDataUrl: this.approved.modelDataUrl,
      environment: this.options.environment,
      modelPackageArn: this.approved.modelPackageArn,
      repositoryArn: this.options.imageRepository.repositoryArn,
      artifactObjectArn: bucket.arnForObjects(pattern),
      artifactPattern: Token.isUnresolved(pattern) || pattern.includes('*'),
      artifactKeyArn: bucket.encryptionKey?.keyArn,
    };
  }
}

class ImageModelSource extends ModelSource {
  constructor(private readonly options: ImageModelSourceOptions) {
    super();
  }

  public _bind(problems: ProblemCollector, prop: string): BoundModelSource {
    const { repository, digest, modelData } = this.options;
    if (!Token.isUnresolved(digest)) {
      problems.check(!DIGEST.test(digest), `${prop}.digest`, digest, "an image digest: 'sha256:' and 64 lowercase hex digits",
        'pass the imageDigest of the pushed image (docker push output, or aws ecr describe-images), not a tag');
    }
    if (modelData && !Token.isUnresolved(modelData.key)) {
      problems.check(modelData.key === '' || modelData.key.startsWith('/') || modelData.key.includes('*'), `${prop}.modelData.key`, modelData.key,
        "the key of one object, without a leading '/' or wildcards", "name the artifact, e.g. 'fraud/v12/model.tar.gz'");
    }
    validateEnvironment(this.options.environment, problems, `${prop}.environment`);
    return {
      image: repository.repositoryUriForDigest(digest),
      modelDataUrl: modelData ? `s3://${modelData.bucket.bucketName}/${modelData.key}` : undefined,
      environment: this.options.environment,
      repositoryArn: repository.repositoryArn,
      artifactObjectArn: modelData ? modelData.bucket.arnForObjects(modelData.key) : undefined,
      artifactPattern: false,
      artifactKeyArn: modelData?.bucket.encryptionKey?.keyArn,
    };
  }
}

function validateEnvironment(environment: { [key: string]: string } | undefined, problems: ProblemCollector, prop: string): void {
  if (!environment) return;
  const keys = Object.keys(environment);
  problems.check(keys.length > MAX_ENVIRONMENT, prop, `${keys.length} variables`, `at most ${MAX_ENVIRONMENT} variables`,
    'move configuration into the model artifact or the image');
  const bad = keys.filter((k) => !ENV_KEY.test(k));
  problems.check(bad.length > 0, prop, bad, 'names of letters, digits and _ that do not start with a digit', 'rename the variables');
}
