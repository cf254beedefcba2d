import * as fs from 'fs';
import * as path from 'path';
import { isPlainObject, kubernetesDocument, RenderedDocument, templateDocument } from '../policy/document';
import { CliError, describeFileError } from './cli-error';
import { MANIFEST_FILE, readCloudAssembly } from './cloud-assembly';
import { jsonResourceLines } from './json-lines';
import { ParsedSource, parseSource } from './parse-source';

/** Everything `check` read, ready for the engine. */
export interface LoadedInputs {
  readonly documents: readonly RenderedDocument[];
  /** Resources read, whether or not a selected rule applies to their type. */
  readonly resourceCount: number;
  /** Files skipped inside a cloud assembly, for stderr. */
  readonly notes: readonly string[];
  /** The 1-based line where a resource is defined in its source file, when known. */
  lineOf(source: string, logicalId: string): number | undefined;
}

/**
 * Reads each path: a `cdk.out` directory (its manifest), a CloudFormation template (JSON or YAML), or
 * Kubernetes manifests (multi-document YAML). Anything else throws a CliError naming the file.
 */
export function loadInputs(paths: readonly string[], cwd: string): LoadedInputs {
  return new InputLoader(cwd).load(paths);
}

class InputLoader {
  private readonly documents: RenderedDocument[] = [];
  private readonly notes: string[] = [];
  /** Lines per source, computed on first use: the JSON report never needs them. */
  private readonly lineIndexes = new Map<string, { compute: () => Map<string, number>; lines?: Map<string, number> }>();
  private readonly seen = new Set<string>();

  constructor(private readonly cwd: string) {}

  public load(paths: readonly string[]): LoadedInputs {
    for (const p of paths) this.loadPath(path.resolve(this.cwd, p));
    return {
      documents: this.documents,
      resourceCount: this.documents.reduce((n, d) => n + d.resources.length, 0),
      notes: this.notes,
      lineOf: (source, logicalId) => {
        const index = this.lineIndexes.get(source);
        if (!index) return undefined;
        index.lines ??= index.compute();
        return index.lines.get(logicalId);
      },
    };
  }

  /** Paths inside the working directory are shown relative to it (as CI logs and SARIF want), others absolute. */
  private readonly show = (file: string): string => {
    const relative = path.relative(this.cwd, file);
    if (relative === '') return '.';
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  };

  private loadPath(file: string): void {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (e) {
      throw new CliError(describeFileError(e), this.show(file));
    }
    if (stat.isDirectory()) {
      if (!fs.existsSync(path.join(file, MANIFEST_FILE))) {
        throw new CliError(`a directory without ${MANIFEST_FILE}: give a cdk.out cloud assembly, a template or a manifest file`, this.show(file));
      }
      this.loadAssembly(file);
      return;
    }
    const parsed = this.parse(file);
    if (this.loadTemplate(file, parsed)) return;
    if (this.loadKubernetes(file, parsed)) return;
    throw new CliError(unrecognised(parsed), this.show(file));
  }

  private loadAssembly(directory: string): void {
    const { stacks, yamlFiles } = readCloudAssembly(directory, this.show);
    for (const stack of stacks) {
      const parsed = this.parse(stack.templateFile);
      if (!this.loadTemplate(stack.templateFile, parsed, stack.stack, (id) => stack.constructPaths.get(id))) {
        throw new CliError('the manifest names it as a stack template, but it has no "Resources" object', this.show(stack.templateFile));
      }
    }
    for (const file of yamlFiles) {
      const parsed = this.parse(file);
      // Other YAML in the assembly (not ours to judge) is skipped, but said so: silence would hide a typo in `kind`.
      if (!this.loadKubernetes(file, parsed)) this.notes.push(`${this.show(file)}: skipped (not Kubernetes manifests)`);
    }
  }

  private parse(file: string): ParsedSource {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf-8');
    } catch (e) {
      throw new CliError(describeFileError(e), this.show(file));
    }
    return parseSource(text, file, this.show(file));
  }

  /** Loads a CloudFormation template; false when the content has no `Resources`. */
  private loadTemplate(file: string, parsed: ParsedSource, stack?: string, constructPathOf?: (id: string) => string | undefined): boolean {
    const shown = this.show(file);
    let template: unknown;
    let lines: () => Map<string, number>;
    if (parsed.syntax === 'json') {
      template = parsed.value;
      lines = () => jsonResourceLines(parsed.text);
    } else {
      const documents = parsed.documents.filter((d) => !d.empty);
      if (!documents[0]?.hasKey('Resources')) return false;
      if (documents.length > 1) throw new CliError(`a CloudFormation template is one YAML document; this file has ${documents.length}`, shown);
      template = documents[0].toJs();
      lines = () => documents[0].keyLines('Resources');
    }
    if (!isPlainObject(template) || !('Resources' in template)) return false;
    if (!isPlainObject(template.Resources)) throw new CliError('"Resources" is not an object', shown);
    for (const [logicalId, resource] of Object.entries<any>(template.Resources)) {
      if (!isPlainObject(resource) || typeof resource.Type !== 'string') throw new CliError(`resource "${logicalId}" has no "Type"`, shown);
    }
    this.add(file, templateDocument(template, { source: shown, stack, constructPathOf }), lines);
    return true;
  }

  /** Loads Kubernetes objects (a `List` is expanded); false when some document is not a Kubernetes object. */
  private loadKubernetes(file: string, parsed: ParsedSource): boolean {
    const shown = this.show(file);
    const objects: unknown[] = [];
    const lines: (number | undefined)[] = [];
    const push = (value: unknown, line: number | undefined, itemLines: () => (number | undefined)[] = () => []) => {
      if (isPlainObject(value) && value.kind === 'List' && Array.isArray(value.items)) {
        const items = itemLines();
        value.items.forEach((item: unknown, i: number) => {
          objects.push(item);
          lines.push(items[i] ?? line);
        });
        return;
      }
      objects.push(value);
      lines.push(line);
    };
    if (parsed.syntax === 'json') {
      if (!isPlainObject(parsed.value)) return false;
      push(parsed.value, 1);
    } else {
      for (const document of parsed.documents) {
        if (document.empty) continue; // `---` separators with nothing between them
        push(document.toJs(), document.line, () => document.itemLines('items'));
      }
    }
    if (objects.length === 0 || !objects.every(isKubernetesObject)) return false;
    const document = kubernetesDocument(objects, shown);
    // kubernetesDocument keeps the objects' order, so resource i came from object i.
    const byId = new Map(document.resources.map((r, i) => [r.logicalId, lines[i]] as const));
    this.add(file, document, () => new Map([...byId].filter((e): e is [string, number] => e[1] !== undefined)));
    return true;
  }

  private add(file: string, document: RenderedDocument, lines: () => Map<string, number>): void {
    // The same file named twice (or a template given beside its cdk.out) is checked once.
    const real = fs.realpathSync(file);
    if (this.seen.has(real)) return;
    this.seen.add(real);
    this.documents.push(document);
    this.lineIndexes.set(document.source, { compute: lines });
  }
}

function isKubernetesObject(value: unknown): boolean {
  return isPlainObject(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string';
}

/** Why a parsed file is neither a template nor manifests. */
function unrecognised(parsed: ParsedSource): string {
  const what = 'neither a CloudFormation template (no "Resources" object) nor Kubernetes manifests ("apiVersion" and "kind")';
  if (parsed.syntax === 'json') return `${what}`;
  const documents = parsed.documents.filter((d) => !d.empty);
  if (documents.length === 0) return 'the file is empty (no YAML document)';
  if (documents.length === 1) return what;
  const bad = documents.findIndex((d) => !isKubernetesObject(d.toJs()));
  const line = documents[bad]?.line;
  return `document ${bad + 1}${line ? ` (line ${line})` : ''} is not a Kubernetes object: it needs "apiVersion" and "kind"`;
}
