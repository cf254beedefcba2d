import type {
  ModelCardBusinessDetails, ModelCardEvaluation, ModelCardIntendedUses, ModelCardTrainingData,
} from '../../constructs/registry/model-card';
import type { RiskTier } from '../../constructs/registry/model-registry';

/**
 * A model the environment serves, as the model inventory knows it: the foundation gives it a registry (model package
 * group), an approval workflow and a model card; each runtime then serves its approved versions.
 */
export interface ServedModel {
  /**
   * The model's name: lower-case letters, digits and hyphens, starting with a letter, at most 40 characters. It names
   * the registry group (prefixed with the stage's name inside a Stage, `prod-credit-risk`, so environments can share an
   * account), the model card, the endpoint construct and the Kubernetes workload, so changing it replaces them.
   */
  readonly name: string;
  /** What the model does, in one sentence (registry and model card). */
  readonly description: string;
  /** The accountable owner (team or person), tagged on the registry for the model inventory. */
  readonly owner: string;
  /** The model-risk tier (SR 11-7): decides the validation depth the approval workflow expects. */
  readonly riskTier: RiskTier;
  /** Intended uses and risk rating, for the model card. */
  readonly intendedUses: ModelCardIntendedUses;
  /** Where the training data came from, for the model card. */
  readonly trainingData: ModelCardTrainingData[];
  /**
   * Evaluation results with their thresholds, for the model card.
   * @default - none recorded
   */
  readonly evaluations?: ModelCardEvaluation[];
  /**
   * Business context, for the model card.
   * @default - none recorded
   */
  readonly businessDetails?: ModelCardBusinessDetails;
}
