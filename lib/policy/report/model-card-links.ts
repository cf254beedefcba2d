import * as fs from 'fs';
import * as path from 'path';

/**
 * Where `ModelCard` writes its Markdown in an assembly: `MODEL_CARDS_DIRECTORY` of constructs/registry/model-card.ts (the
 * report tests synthesize a card and find it here). Not imported: that module loads the SageMaker and KMS constructs,
 * which the command line does not need.
 */
const MODEL_CARD_DIRECTORY = 'model-cards';

/** A Markdown model card found in a cloud assembly, as the HTML report links it. */
export interface ModelCardLink {
  /** The card file, relative to the report's directory, with `/` separators. */
  readonly path: string;
  /** The model's name (the card's `# Model card: <name>` heading); the file name when the heading is missing. */
  readonly modelName: string;
  /** The construct path of the `ModelCard` that wrote it (its resource is `<constructPath>/Resource`). */
  readonly constructPath?: string;
  readonly status?: string;
  readonly riskRating?: string;
}

/**
 * The Markdown model cards of a cloud assembly: `<directory>/model-cards/**.md` and the same in every nested stage
 * assembly (`assembly-<stage>/`, at any depth), because a `ModelCard` writes into the assembly of its own stage while
 * the reports are written into the app's. Sorted by path, so the report is the same on every synth.
 */
export function findModelCards(directory: string): ModelCardLink[] {
  const files: string[] = [];
  collectAssemblyCards(directory, '', files);
  return files.sort().map((file) => describeCard(directory, file));
}

function collectAssemblyCards(directory: string, relative: string, files: string[]): void {
  for (const entry of readDirectory(path.join(directory, relative))) {
    if (!entry.isDirectory()) continue;
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.name === MODEL_CARD_DIRECTORY) collectMarkdown(directory, child, files);
    else if (entry.name.startsWith('assembly-')) collectAssemblyCards(directory, child, files);
  }
}

function collectMarkdown(directory: string, relative: string, files: string[]): void {
  for (const entry of readDirectory(path.join(directory, relative))) {
    const child = `${relative}/${entry.name}`;
    if (entry.isDirectory()) collectMarkdown(directory, child, files);
    else if (entry.isFile() && entry.name.endsWith('.md')) files.push(child);
  }
}

function readDirectory(directory: string): fs.Dirent[] {
  return fs.existsSync(directory) ? fs.readdirSync(directory, { withFileTypes: true }) : [];
}

/** Reads what the report shows from the card's Markdown (written by `renderModelCardMarkdown`). */
function describeCard(directory: string, file: string): ModelCardLink {
  const text = fs.readFileSync(path.join(directory, file), 'utf-8');
  const row = (label: string) => new RegExp(`^\\| ${label} \\| \\**([^|*]+?)\\** \\|$`, 'm').exec(text)?.[1];
  return {
    path: file,
    modelName: /^# Model card: (.+)$/m.exec(text)?.[1] ?? path.posix.basename(file, '.md'),
    constructPath: /generated from `([^`]+)`/.exec(text)?.[1],
    status: row('Status'),
    riskRating: row('Risk rating'),
  };
}
