import * as path from 'path';
import { CliError } from './cli-error';
import type * as YamlSource from './yaml-source';

/** A parsed input file: JSON keeps its text (for line finding), YAML its documents (with source positions). */
export type ParsedSource =
  | { readonly syntax: 'json'; readonly value: unknown; readonly text: string }
  | { readonly syntax: 'yaml'; readonly documents: readonly YamlSource.YamlDocument[] };

/**
 * The YAML side is loaded on first use: the `yaml` package costs about 80 ms of startup, which a check of a
 * JSON template or a cdk.out (JSON only) does not need to pay.
 */
function yamlSource(): typeof YamlSource {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./yaml-source');
}

/**
 * Parses a file as JSON (`.json`, or content that starts with `{` or `[`) or YAML with the CloudFormation
 * short-form tags. A syntax error becomes a one-line CliError with the line and column.
 */
export function parseSource(text: string, file: string, shown: string): ParsedSource {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return { syntax: 'json', value: parseJson(source, shown), text: source };
  if (ext !== '.yaml' && ext !== '.yml' && /^\s*[{[]/.test(source)) {
    // `.template` and extension-less files may be either; JSON is much faster to parse, so try it first.
    try {
      return { syntax: 'json', value: JSON.parse(source), text: source };
    } catch {
      // fall through: flow-style YAML also starts with `{`
    }
  }
  return { syntax: 'yaml', documents: yamlSource().parseYaml(source, shown) };
}

/** JSON.parse with a one-line message (Node's quotes a multi-line excerpt of the input). */
export function parseJson(text: string, shown: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`not valid JSON: ${describeJsonError((e as Error).message, text)}`, shown);
  }
}

function describeJsonError(message: string, text: string): string {
  if (text.trim() === '') return 'the file is empty';
  const token = /^(Unexpected token '.*?'),/s.exec(message);
  if (token) return token[1].replace(/^U/, 'u');
  const at = /\s*in JSON at position (\d+).*$/s.exec(message);
  if (at) {
    const offset = Number(at[1]);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    return `line ${line}, column ${column}: ${lowerFirst(message.slice(0, at.index))}`;
  }
  return lowerFirst(message.split('\n')[0]);
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
