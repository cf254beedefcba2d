/**
 * The Markdown rendering of a model card: the same facts as the `AWS::SageMaker::ModelCard` resource, for people who
 * read the cloud assembly (reviewers, auditors) rather than the SageMaker console. A pure function of a plain
 * document, so it is tested without synthesizing anything.
 */

/** A metric as the card shows it. */
export interface ModelCardMetricDocument {
  readonly name: string;
  /** `number`, `string` or `boolean` (the card's metric types). */
  readonly type: string;
  readonly value: number | string | boolean;
  /** `>=`, `<=`, `>` or `<` and the value the metric must meet. */
  readonly threshold?: { readonly comparison: string; readonly value: number };
  readonly notes?: string;
}

/** An evaluation (or the fairness assessment) as the card shows it. */
export interface ModelCardEvaluationDocument {
  readonly name: string;
  readonly datasets: readonly string[];
  readonly metrics: readonly ModelCardMetricDocument[];
  readonly observations?: string;
}

/** Everything the Markdown card shows; values already resolved to text (deploy-time values as their expressions). */
export interface ModelCardDocument {
  readonly cardName: string;
  readonly modelName: string;
  readonly description: string;
  readonly status: string;
  readonly owner?: string;
  readonly riskRating: string;
  readonly explanationsForRiskRating?: string;
  readonly purposeOfModel: string;
  readonly intendedUses: string;
  readonly factorsAffectingModelEfficiency?: string;
  readonly business?: { readonly problem?: string; readonly stakeholders?: string; readonly lineOfBusiness?: string };
  readonly trainingData: readonly { readonly location: string; readonly version: string; readonly description?: string }[];
  readonly trainingObservations?: string;
  readonly evaluations: readonly ModelCardEvaluationDocument[];
  readonly fairness?: ModelCardEvaluationDocument;
  readonly approver?: string;
  readonly ethicalConsiderations?: string;
  readonly caveatsAndRecommendations?: string;
  readonly modelPackageGroup?: string;
  /** The key the card's content is encrypted with (ARN or expression). */
  readonly encryptionKey: string;
  /** Where the card comes from (construct path). */
  readonly source: string;
}

/** Whether `value` meets `threshold` (`>=`, `<=`, `>`, `<`). */
export function meetsThreshold(value: number, comparison: string, threshold: number): boolean {
  switch (comparison) {
    case '>=': return value >= threshold;
    case '<=': return value <= threshold;
    case '>': return value > threshold;
    case '<': return value < threshold;
    default: throw new Error(`unknown threshold comparison '${comparison}'`);
  }
}

/** The card as Markdown. */
export function renderModelCardMarkdown(card: ModelCardDocument): string {
  const lines: string[] = [
    `# Model card: ${text(card.modelName)}`,
    '',
    `SageMaker model card \`${card.cardName}\`, generated from \`${card.source}\`.`,
    '',
    '| | |',
    '|---|---|',
    `| Status | ${cell(card.status)} |`,
    `| Risk rating | **${cell(card.riskRating)}** |`,
    `| Approver | ${cell(card.approver ?? 'not approved')} |`,
    ...(card.owner ? [`| Owner | ${cell(card.owner)} |`] : []),
    ...(card.modelPackageGroup ? [`| Model package group | \`${cell(card.modelPackageGroup)}\` |`] : []),
    `| Encryption key | \`${cell(card.encryptionKey)}\` |`,
    '',
    text(card.description),
    '',
    '## Risk rating',
    '',
    `**${text(card.riskRating)}**${card.explanationsForRiskRating ? `: ${text(card.explanationsForRiskRating)}` : ''}`,
    '',
    '## Intended uses',
    '',
    `- Purpose: ${text(card.purposeOfModel)}`,
    `- Intended uses: ${text(card.intendedUses)}`,
    ...(card.factorsAffectingModelEfficiency ? [`- Factors affecting efficacy: ${text(card.factorsAffectingModelEfficiency)}`] : []),
  ];
  const business = card.business;
  if (business && (business.problem || business.stakeholders || business.lineOfBusiness)) {
    lines.push('', '## Business details', '');
    if (business.problem) lines.push(`- Business problem: ${text(business.problem)}`);
    if (business.stakeholders) lines.push(`- Stakeholders: ${text(business.stakeholders)}`);
    if (business.lineOfBusiness) lines.push(`- Line of business: ${text(business.lineOfBusiness)}`);
  }
  lines.push('', '## Training data', '');
  if (card.trainingData.length === 0) lines.push('None recorded.');
  else {
    lines.push('| Location | Version | Description |', '|---|---|---|');
    for (const d of card.trainingData) lines.push(`| \`${cell(d.location)}\` | ${cell(d.version)} | ${cell(d.description ?? '')} |`);
  }
  if (card.trainingObservations) lines.push('', text(card.trainingObservations));

  lines.push('', '## Evaluation', '');
  if (card.evaluations.length === 0) lines.push('None recorded.');
  for (const evaluation of card.evaluations) lines.push(...evaluationSection(evaluation, '###'));
  if (card.fairness) lines.push('', '## Fairness', '', ...evaluationSection(card.fairness, '###').slice(2));

  const notes: [string, string | undefined][] = [
    ['Ethical considerations', card.ethicalConsiderations],
    ['Caveats and recommendations', card.caveatsAndRecommendations],
  ];
  for (const [title, body] of notes) if (body) lines.push('', `## ${title}`, '', text(body));
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function evaluationSection(evaluation: ModelCardEvaluationDocument, heading: string): string[] {
  const lines = [`${heading} ${text(evaluation.name)}`, ''];
  if (evaluation.datasets.length > 0) lines.push(`Datasets: ${evaluation.datasets.map((d) => `\`${cell(d)}\``).join(', ')}`, '');
  lines.push('| Metric | Value | Threshold | Result | Notes |', '|---|---|---|---|---|');
  for (const m of evaluation.metrics) {
    const threshold = m.threshold ? `${m.threshold.comparison} ${m.threshold.value}` : '';
    const result = m.threshold && typeof m.value === 'number'
      ? (meetsThreshold(m.value, m.threshold.comparison, m.threshold.value) ? 'meets' : '**does not meet**')
      : '';
    lines.push(`| ${cell(m.name)} | ${cell(String(m.value))} | ${cell(threshold)} | ${result} | ${cell(m.notes ?? '')} |`);
  }
  if (evaluation.observations) lines.push('', text(evaluation.observations));
  lines.push('');
  return lines;
}

/** Text in a table cell: no line breaks, pipes escaped. */
function cell(value: string): string {
  return value.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** Running text: kept as written, trailing spaces trimmed. */
function text(value: string): string {
  return value.trim();
}
