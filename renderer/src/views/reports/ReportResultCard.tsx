import type { ReportResult } from '../../../../shared/reports';
import { formatBytes, formatInteger } from '../../format/numbers';

/** What was written, and how it was masked. */
export function ReportResultCard({ result }: { result: ReportResult }) {
  const { policy } = result;
  return (
    <section className="panel" aria-label="Report written">
      <h3>
        {result.template === 'executive' ? 'Executive' : 'Operational'} report written (
        {result.format.toUpperCase()}, {formatInteger(result.incidents)} incidents)
      </h3>
      <table className="plain">
        <thead>
          <tr>
            <th>File</th>
            <th className="num">Size</th>
            <th>SHA-256</th>
          </tr>
        </thead>
        <tbody>
          {result.files.map((f) => (
            <tr key={f.file}>
              <td className="file-name">
                <code>{f.file}</code>
              </td>
              <td className="num">{formatBytes(f.bytes)}</td>
              <td>
                <code title={f.sha256}>{f.sha256.slice(0, 16)}…</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>Masking applied</h4>
      <ul className="notes">
        <li>
          Cohorts with fewer than {formatInteger(policy.minUsers)} users merged or left out:{' '}
          {formatInteger(result.suppressedCohorts)}.
        </li>
        <li>User, session and order pseudonyms: {policy.pseudonyms}.</li>
        <li>
          Free text {policy.freeText}: {formatInteger(result.redactedTexts)} field(s) had something removed.
        </li>
        {policy.maskedDimensions.length > 0 && (
          <li>Dimensions shown as [masked]: {policy.maskedDimensions.join(', ')}.</li>
        )}
        <li>Scanned before writing for: {policy.scan.join(', ')}.</li>
      </ul>
    </section>
  );
}
