/** A small reader of the .eml drafts Funnelscope writes, for tests: headers, and each MIME part decoded. */

export interface EmlPart {
  contentType: string;
  charset: string;
  encoding: string;
  body: string;
}

export interface ParsedEml {
  headers: Map<string, string>;
  contentType: string;
  parts: EmlPart[];
}

export function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const joined = text.replace(/=\r\n/g, '');
  for (let i = 0; i < joined.length; i++) {
    const c = joined[i] as string;
    if (c === '=' && /^[0-9A-F]{2}$/.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function headersOf(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r\n[ \t]/g, ' ').split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0) headers.set(line.slice(0, at).toLowerCase(), line.slice(at + 1).trim());
  }
  return headers;
}

export function parseEml(eml: string): ParsedEml {
  const split = eml.indexOf('\r\n\r\n');
  const headers = headersOf(eml.slice(0, split));
  const type = headers.get('content-type') ?? '';
  const boundary = /boundary="([^"]+)"/.exec(type)?.[1];
  if (!boundary) throw new Error('no boundary');
  const body = eml.slice(split + 4);
  const chunks = body.split(`--${boundary}`);
  const parts = chunks.slice(1, -1).map((chunk) => {
    const content = chunk.replace(/^\r\n/, '').replace(/\r\n$/, '');
    const at = content.indexOf('\r\n\r\n');
    const partHeaders = headersOf(content.slice(0, at));
    const partType = partHeaders.get('content-type') ?? '';
    const encoding = partHeaders.get('content-transfer-encoding') ?? '';
    const raw = content.slice(at + 4);
    return {
      contentType: partType.split(';')[0]?.trim() ?? '',
      charset: /charset=([^;\s]+)/.exec(partType)?.[1] ?? '',
      encoding,
      body: encoding === 'quoted-printable' ? decodeQuotedPrintable(raw) : raw,
    };
  });
  if (!chunks.at(-1)?.startsWith('--')) throw new Error('no closing boundary');
  return { headers, contentType: type.split(';')[0]?.trim() ?? '', parts };
}
