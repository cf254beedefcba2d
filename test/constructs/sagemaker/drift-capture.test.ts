import { captureFileRows, captureLineRows, csvRows } from '../../../constructs/sagemaker/drift-job-handler/capture';

const NAMES = ['income', 'age', 'channel'];
const line = (data: string, encoding: string, observedContentType = 'text/csv') =>
  JSON.stringify({ captureData: { endpointInput: { observedContentType, mode: 'INPUT', data, encoding } }, eventMetadata: { eventId: '1' } });

describe('reading captured input', () => {
  it('parses CSV with quotes, escaped quotes, several rows and CRLF', () => {
    expect(csvRows('1,"a,b",3\r\n4,"say ""hi""",\n')).toEqual([['1', 'a,b', '3'], ['4', 'say "hi"', '']]);
  });

  it('fails on an unterminated quote', () => {
    expect(() => csvRows('1,"open')).toThrow(/unterminated/);
  });

  it('maps CSV columns to features by position', () => {
    expect(captureLineRows(line('50,40,web', 'CSV'), NAMES)).toEqual([['50', '40', 'web']]);
  });

  it('maps a JSON object to features by name, absent ones undefined', () => {
    expect(captureLineRows(line('{"channel":"web","income":50}', 'JSON', 'application/json'), NAMES)).toEqual([[50, undefined, 'web']]);
  });

  it('maps JSON arrays and instances to features by position', () => {
    expect(captureLineRows(line('[[1,2,"a"],[3,4,"b"]]', 'JSON'), NAMES)).toEqual([[1, 2, 'a'], [3, 4, 'b']]);
    expect(captureLineRows(line('[1,2,"a"]', 'JSON'), NAMES)).toEqual([[1, 2, 'a']]);
    expect(captureLineRows(line('{"instances":[{"features":[1,2,"a"]},{"income":3}]}', 'JSON'), NAMES)).toEqual([[1, 2, 'a'], [3, undefined, undefined]]);
  });

  it('decodes base64 by the observed content type', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    expect(captureLineRows(line(b64('1,2,a'), 'BASE64', 'text/csv; charset=utf-8'), NAMES)).toEqual([['1', '2', 'a']]);
    expect(captureLineRows(line(b64('{"age":3}'), 'BASE64', 'application/json'), NAMES)).toEqual([[undefined, 3, undefined]]);
    expect(() => captureLineRows(line(b64('x'), 'BASE64', 'image/png'), NAMES)).toThrow(/neither CSV nor JSON/);
  });

  it('counts unreadable lines and keeps the first reasons', () => {
    const file = [line('1,2,a', 'CSV'), '', 'garbage', line('x', 'XML'), JSON.stringify({}), line('null', 'JSON')].join('\n');
    const rows = captureFileRows(file, NAMES);
    expect(rows.rows).toEqual([['1', '2', 'a']]);
    expect(rows.skipped).toBe(4);
    expect(rows.problems).toEqual([
      expect.stringMatching(/^line 3: /),
      "line 4: unknown encoding 'XML'",
      'line 5: no captureData.endpointInput.data',
      'line 6: JSON input is null, not an object or array',
    ]);
  });
});
