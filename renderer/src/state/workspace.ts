import { createContext, useContext } from 'react';
import type { WorkspaceSettings } from '../../../shared/explore';
import type { WorkspaceInfo } from '../../../shared/workspace';
import type { DateFormatter } from '../format/dates';
import type { Theme } from './theme';

/** The open workspace and what every view needs with it: its time zone's formatter and the theme. */
export interface WorkspaceContextValue {
  info: WorkspaceInfo;
  /** null until settings.get answers (or while it is not available). */
  settings: WorkspaceSettings | null;
  dates: DateFormatter;
  theme: Theme;
  /** Reads the workspace summary and settings again (after an import). The summary can take seconds. */
  refresh(): Promise<void>;
  /** Reads the settings again (after they changed): quick. */
  refreshSettings(): Promise<void>;
}

export const WorkspaceContext = createContext<WorkspaceContextValue | null>(null);

export function useWorkspace(): WorkspaceContextValue {
  const value = useContext(WorkspaceContext);
  if (!value) throw new Error('useWorkspace outside an open workspace');
  return value;
}

export const ThemeContext = createContext<Theme>('light');

export function useThemeName(): Theme {
  return useContext(ThemeContext);
}
