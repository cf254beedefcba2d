import { Document, isMap, isScalar, isSeq, LineCounter, Node, parseAllDocuments } from 'yaml';
import { CliError } from './cli-error';
import { CLOUDFORMATION_TAGS } from './cloudformation-yaml';

/** One document of a YAML file, with what the loader asks of it (values and source lines). */
export interface YamlDocument {
  /** A document with no content (`---` with nothing after it, or comments only). */
  readonly empty: boolean;
  /** The 1-based line where the content starts. */
  readonly line?: number;
  /** True when the content is a mapping with this key at the top. */
  hasKey(key: string): boolean;
  /** The content as plain JavaScript; CliError when it cannot be built (too many aliases). */
  toJs(): unknown;
  /** The 1-based line of each key of the mapping under a top-level key (`Resources`). */
  keyLines(key: string): Map<string, number>;
  /** The 1-based line of each item of the sequence under a top-level key (`items` of a List). */
  itemLines(key: string): (number | undefined)[];
}

/**
 * Parses YAML with the CloudFormation short-form tags, every document of the stream. A syntax error becomes a
 * one-line CliError with the line and column.
 */
export function parseYaml(text: string, shown: string): YamlDocument[] {
  const counter = new LineCounter();
  const parsed = parseAllDocuments(text, { customTags: [...CLOUDFORMATION_TAGS], lineCounter: counter, prettyErrors: false });
  // A stream with comments only is an empty array, not a document.
  const documents = [...parsed];
  for (const document of documents) {
    const error = document.errors[0];
    if (error) {
      const { line, col } = counter.linePos(error.pos[0]);
      throw new CliError(`not valid YAML: line ${line}, column ${col}: ${error.message.split('\n')[0]}`, shown);
    }
  }
  return documents.map((document) => yamlDocument(document, counter, shown));
}

function yamlDocument(document: Document.Parsed, counter: LineCounter, shown: string): YamlDocument {
  const contents = document.contents;
  const under = (key: string) => (isMap(contents) ? contents.get(key, true) : undefined);
  return {
    empty: contents === null,
    line: lineOf(contents, counter),
    hasKey: (key) => isMap(contents) && contents.has(key),
    toJs: () => {
      try {
        return document.toJS();
      } catch (e) {
        throw new CliError(`not valid YAML: ${(e as Error).message.split('\n')[0]}`, shown);
      }
    },
    keyLines: (key) => {
      const lines = new Map<string, number>();
      const map = under(key);
      if (!isMap(map)) return lines;
      for (const pair of map.items) {
        const line = lineOf(pair.key, counter);
        if (isScalar(pair.key) && line !== undefined) lines.set(String(pair.key.value), line);
      }
      return lines;
    },
    itemLines: (key) => {
      const seq = under(key);
      return isSeq(seq) ? seq.items.map((item) => lineOf(item, counter)) : [];
    },
  };
}

function lineOf(node: unknown, counter: LineCounter): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? counter.linePos(range[0]).line : undefined;
}
