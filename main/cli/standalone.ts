/**
 * Commands that work on a plain file rather than a workspace (benchmark adapters such as `localize` and
 * `score-series`). Each parses its own arguments, writes its own output and returns the exit code; a
 * usage mistake throws `CliUsageError` so the CLI prints it with the usage hint and exits with 2.
 */
import { localizeCommand } from './localize';
import { scoreSeriesCommand } from './score-series';

export class CliUsageError extends Error {}

export interface StandaloneCommand {
  /** One usage line for `funnelscope --help`. */
  usage: string;
  run(args: string[]): Promise<number>;
}

export const STANDALONE_COMMANDS: Record<string, StandaloneCommand> = {
  localize: localizeCommand,
  'score-series': scoreSeriesCommand,
};
