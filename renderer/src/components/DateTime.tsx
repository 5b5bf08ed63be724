import { useWorkspace } from '../state/workspace';

/** A moment in the workspace's time zone; hovering shows it in UTC. */
export function DateTime({ ms, dateOnly = false }: { ms: number; dateOnly?: boolean }) {
  const { dates } = useWorkspace();
  if (!Number.isFinite(ms)) return <span>—</span>;
  return (
    <time dateTime={new Date(ms).toISOString()} title={dates.utc(ms)}>
      {dateOnly ? dates.date(ms) : dates.dateTime(ms)}
    </time>
  );
}
