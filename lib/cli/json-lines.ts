const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const NEWLINE = 10;

/**
 * The 1-based line of each key directly inside the top-level `"Resources"` object of a JSON template
 * (`"MyBucket": {`). One forward scan that stops where `Resources` closes, so it stays linear on large
 * templates; it assumes valid JSON (the file was parsed first).
 */
export function jsonResourceLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let line = 1;
  let depth = 0;
  let awaitingResources = false;
  let resourcesDepth = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE) {
      line++;
    } else if (c === QUOTE) {
      const start = i;
      const end = closingQuote(text, i);
      i = end;
      let next = end + 1;
      while (next < text.length && isJsonSpace(text.charCodeAt(next))) next++;
      if (text.charCodeAt(next) !== COLON) continue;
      const raw = text.slice(start, end + 1);
      const key: string = raw.includes('\\') ? JSON.parse(raw) : raw.slice(1, -1);
      if (depth === 1) awaitingResources = key === 'Resources';
      else if (depth === resourcesDepth) lines.set(key, line);
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (awaitingResources && depth === 2) {
        awaitingResources = false;
        if (c === 123) resourcesDepth = 2;
      }
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (depth === resourcesDepth) return lines;
      depth--;
    }
  }
  return lines;
}

/** Index of the quote closing the string that opens at `open` (a quote preceded by an even run of backslashes). */
function closingQuote(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end > 0) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length - 1;
}

function isJsonSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
