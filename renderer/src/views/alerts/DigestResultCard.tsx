import type { DigestResult } from '../../../../shared/alerts';
import { formatBytes, formatInteger } from '../../format/numbers';

/** What was written and how it was masked. */
export function DigestResultCard({ result }: { result: DigestResult }) {
  return (
    <section className="panel" aria-label="Digest written">
      <h3>
        Digest written ({result.format === 'eml' ? 'e-mail draft' : 'JSON'}, {formatInteger(result.alerts)}{' '}
        alert
        {result.alerts === 1 ? '' : 's'})
      </h3>
      <p>
        <code>{result.file}</code> · {formatBytes(result.bytes)} · SHA-256{' '}
        <code title={result.sha256}>{result.sha256.slice(0, 16)}…</code>
      </p>
      <ul className="notes">
        <li>
          Cohorts with fewer than {formatInteger(result.policy.minUsers)} users not named:{' '}
          {formatInteger(result.suppressedCohorts)}.
        </li>
        <li>Free text redacted in {formatInteger(result.redactedTexts)} field(s); no pseudonym included.</li>
        <li>Recorded in the export audit log (Reports). Nothing was sent.</li>
      </ul>
    </section>
  );
}
