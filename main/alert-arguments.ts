/**
 * Checks of the alerts and playbooks calls' arguments before they reach a worker, so that a script or the CLI
 * gets a BAD_ARGUMENT that says what to pass (the workers check the content again where it needs the data).
 */
import {
  DIGEST_FORMATS,
  PLAYBOOK_KINDS,
  type DigestRequest,
  type InboxQuery,
  type PlaybookKind,
} from '../shared/alerts';
import { FunnelscopeError } from '../shared/errors';

function bad(message: string): never {
  throw new FunnelscopeError('BAD_ARGUMENT', message);
}

const isId = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;

export function checkRuleId(id: unknown): number {
  if (!isId(id)) bad(`A rule id is a positive whole number (see alerts.listRules), not "${String(id)}".`);
  return id;
}

export function checkAlertIds(ids: unknown): number[] {
  if (!Array.isArray(ids) || !ids.every(isId))
    bad('Give the alerts to mark as a list of entry ids (positive whole numbers, see alerts.inbox).');
  return ids;
}

export function checkInboxQuery(query: InboxQuery): InboxQuery {
  if (!query || typeof query !== 'object') bad('An inbox query is an object: {unread?, from?, to?, limit?}.');
  for (const bound of ['from', 'to'] as const)
    if (query[bound] !== undefined && !Number.isFinite(query[bound]))
      bad(`${bound} is a time in epoch milliseconds.`);
  if (query.limit !== undefined && !(isId(query.limit) && query.limit <= 10_000))
    bad('limit is a whole number from 1 to 10000.');
  return query;
}

export function checkDigestShape(request: DigestRequest): DigestRequest {
  if (!request || typeof request !== 'object') bad('A digest request is an object: {format, out, …}.');
  if (!DIGEST_FORMATS.includes(request.format))
    bad(`A digest format is eml (an e-mail draft) or json, not "${String(request.format)}".`);
  if (typeof request.out !== 'string' || request.out.trim() === '')
    bad('Choose where to write the digest (out: an absolute file path).');
  return request;
}

export function checkPlaybookKind(kind: unknown): PlaybookKind {
  if (typeof kind !== 'string' || !(PLAYBOOK_KINDS as readonly string[]).includes(kind))
    bad(`"${String(kind)}" is not an incident kind; use one of ${PLAYBOOK_KINDS.join(', ')}.`);
  return kind as PlaybookKind;
}

export function checkSteps(steps: unknown): string[] {
  if (!Array.isArray(steps) || !steps.every((s) => typeof s === 'string'))
    bad('Playbook steps are a list of lines of text.');
  return steps;
}
