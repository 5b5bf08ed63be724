import type { KeyboardEvent } from 'react';
import { SPEEDS } from './useReplayClock';

interface Props {
  index: number;
  total: number;
  playing: boolean;
  speed: number;
  now: string;
  nowTitle: string;
  onPlay(): void;
  onPause(): void;
  onStep(delta: number): void;
  onSeek(index: number): void;
  onSpeed(speed: number): void;
}

/** Play/pause (Space), step (← →), scrub, and speed in buckets per second. */
export function ReplayControls(props: Props) {
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.target instanceof HTMLInputElement && event.target.type === 'range') return;
    if (event.key === ' ') {
      event.preventDefault();
      if (props.playing) props.onPause();
      else props.onPlay();
    } else if (event.key === 'ArrowRight') props.onStep(1);
    else if (event.key === 'ArrowLeft') props.onStep(-1);
  }
  return (
    <div className="replay-controls" role="toolbar" aria-label="Replay controls" onKeyDown={onKeyDown}>
      <button type="button" onClick={() => props.onStep(-1)} aria-label="Step back one bucket">
        ‹ Step
      </button>
      {props.playing ? (
        <button type="button" className="primary" onClick={props.onPause}>
          Pause
        </button>
      ) : (
        <button type="button" className="primary" onClick={props.onPlay}>
          Play
        </button>
      )}
      <button type="button" onClick={() => props.onStep(1)} aria-label="Step forward one bucket">
        Step ›
      </button>
      <input
        type="range"
        className="scrub"
        min={1}
        max={props.total}
        value={props.index}
        aria-label="Replay position"
        aria-valuetext={props.now}
        onChange={(e) => props.onSeek(Number(e.target.value))}
      />
      <span className="replay-now" title={props.nowTitle} data-testid="replay-now">
        {props.now}
      </span>
      <label className="inline">
        Speed{' '}
        <select
          value={props.speed}
          onChange={(e) => props.onSpeed(Number(e.target.value))}
          aria-label="Speed"
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s} buckets/s
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
