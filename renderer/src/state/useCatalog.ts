import type { MetricDefinition } from '../../../shared/metrics';
import { api } from '../api';
import { useAsync } from './useAsync';
import { useWorkspace } from './workspace';

/** The metrics this workspace can show (built-in ones plus measures of imported metric tables). */
export function useCatalog() {
  const { info } = useWorkspace();
  return useAsync<MetricDefinition[]>(() => api().metrics.catalog(info.path), [info.path]);
}
