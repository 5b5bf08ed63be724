import { useEffect, useState } from 'react';

export const SPEEDS = [1, 2, 4, 8, 16, 32] as const;

/**
 * Which bucket a replay has reached. Playing advances `speed` buckets per second until the end; stepping and
 * scrubbing pause it, as a video player does.
 */
export function useReplayClock(total: number, start: number) {
  const [index, setIndex] = useState(start);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(4);

  useEffect(() => {
    setIndex(start);
    setPlaying(false);
  }, [total, start]);

  useEffect(() => {
    if (!playing) return;
    const timer = window.setInterval(() => {
      setIndex((i) => {
        if (i >= total) {
          setPlaying(false);
          return i;
        }
        return i + 1;
      });
    }, 1000 / speed);
    return () => window.clearInterval(timer);
  }, [playing, speed, total]);

  const clamp = (i: number) => Math.max(1, Math.min(total, i));
  return {
    index,
    playing,
    speed,
    setSpeed,
    play: () => {
      if (index >= total) setIndex(clamp(start));
      setPlaying(true);
    },
    pause: () => setPlaying(false),
    step: (delta: number) => {
      setPlaying(false);
      setIndex((i) => clamp(i + delta));
    },
    seek: (i: number) => {
      setPlaying(false);
      setIndex(clamp(i));
    },
  };
}
