import fs from 'node:fs';
import path from 'node:path';
import { DIGEST_FORMATS, type DigestRequest, type DigestResult } from '../../shared/alerts';
import { FunnelscopeError } from '../../shared/errors';
import { refuseLeaks, writeAudited, type Output } from '../report/guard';
import type { Db } from '../store/workspace';
import { buildDigest, digestScope, type DigestModel } from './digest-model';
import { digestHtml, digestJson, digestText } from './digest-render';
import { addressHeader, buildEml, DEFAULT_FROM, DEFAULT_TO } from './eml';
import { listInbox, markRead } from './inbox';

export function checkDigestRequest(request: DigestRequest): void {
  if (!request || !DIGEST_FORMATS.includes(request.format))
    throw new FunnelscopeError(
      'BAD_ARGUMENT',
      `A digest format is eml (an e-mail draft) or json, not "${String(request?.format)}".`,
    );
  if (!request.out || !path.isAbsolute(request.out))
    throw new FunnelscopeError('BAD_ARGUMENT', 'A digest needs an absolute output path (out).');
  if (!fs.existsSync(path.dirname(request.out)))
    throw new FunnelscopeError('FILE_NOT_FOUND', `The folder ${path.dirname(request.out)} does not exist.`);
  const period = request.period;
  if (period && !(Number.isFinite(period.from) && Number.isFinite(period.to) && period.from < period.to))
    throw new FunnelscopeError('BAD_ARGUMENT', 'A digest period needs from before to (epoch milliseconds).');
  // Addresses are checked before anything is built, so a typo costs nothing.
  if (request.from !== undefined) addressHeader(request.from, 'From');
  if (request.to !== undefined) addressHeader(request.to, 'To');
}

function render(model: DigestModel, request: DigestRequest): Output {
  if (request.format === 'json') {
    const json = digestJson(model);
    return { file: request.out, bytes: Buffer.from(json, 'utf8'), text: json };
  }
  const text = digestText(model);
  const html = digestHtml(model);
  const eml = buildEml({
    from: request.from ?? DEFAULT_FROM,
    to: request.to ?? DEFAULT_TO,
    subject: model.title,
    date: new Date(model.generatedAt),
    text,
    html,
  });
  // Identifiers are looked for in the raw file and in the decoded parts (quoted-printable can break a line
  // inside one); PII patterns only in what the digest says, not in the analyst's own From and To addresses.
  const content = `${model.title}\n${text}\n${html}`;
  return { file: request.out, bytes: Buffer.from(eml, 'utf8'), text: `${eml}\n${content}`, content };
}

/**
 * Writes the unread (or a period's) alerts as an e-mail draft or JSON, masked like a report, after the same
 * scan of the final bytes; refused or written, the export is audited. Nothing leaves the machine.
 */
export function exportDigest(db: Db, request: DigestRequest, now = Date.now()): DigestResult {
  checkDigestRequest(request);
  const entries = request.period
    ? listInbox(db, { from: request.period.from, to: request.period.to, limit: 10_000 })
    : listInbox(db, { unread: true, limit: 10_000 });
  // Oldest first reads as a story; the inbox lists newest first.
  entries.reverse();
  const model = buildDigest(db, entries, request, now);
  const output = render(model, request);
  const target = `alert digest ${request.format}: ${digestScope(request)} (${entries.length} alerts)`;
  refuseLeaks(
    db,
    [output],
    { target, policy: model.policy, file: request.out },
    'the digest',
    'Edit the incident note or the rule name that carries it, or mask the dimension, and export again.',
  );
  const [file] = writeAudited(db, [output], { target, policy: model.policy });
  if (request.markRead)
    markRead(
      db,
      entries.map((e) => e.id),
    );
  return {
    format: request.format,
    file: file?.file ?? request.out,
    bytes: file?.bytes ?? output.bytes.length,
    sha256: file?.sha256 ?? '',
    alerts: entries.length,
    suppressedCohorts: model.suppressedCohorts,
    redactedTexts: model.redactedTexts,
    policy: model.policy,
  };
}
