import { api } from '../../api';
import { KpiTile } from '../../components/KpiTile';
import { formatInteger, formatMinutes, formatPercent } from '../../format/numbers';
import { useAsync } from '../../state/useAsync';
import { useWorkspace } from '../../state/workspace';

/** How well detection has done so far, from the analyst's verdicts. */
export function DetectionKpiTiles({ version }: { version: number }) {
  const { info } = useWorkspace();
  const { state } = useAsync(() => api().incidents.kpis(info.path), [info.path, version]);
  const k = state.status === 'ok' ? state.data : null;
  const error = state.status === 'error' ? state.error : null;
  const labelled = k ? `${formatInteger(k.labelled)} labelled so far` : undefined;
  const measured = (value: number | null) => (value === null ? 'not yet' : formatPercent(value));
  return (
    <>
      <KpiTile
        label="Precision"
        value={k && measured(k.precision)}
        hint={k?.precision === null ? 'label incidents to measure it' : labelled}
        error={error}
      />
      <KpiTile
        label="False-positive rate"
        value={k && measured(k.falsePositiveRate)}
        hint={labelled}
        error={error}
      />
      <KpiTile
        label="Mean time to detect"
        value={k && formatMinutes(k.meanTimeToDetectMinutes)}
        hint="over true alarms"
        error={error}
      />
    </>
  );
}
