/** The first rows of a file as it has them (identifiers already masked by the engine). */
export function SampleRows({ columns, rows }: { columns: string[]; rows: Record<string, string>[] }) {
  if (rows.length === 0) return <p className="muted">The file has no rows to show.</p>;
  return (
    <div className="scroll-x">
      <table className="plain sample">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c} title={row[c]}>
                  {row[c]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
