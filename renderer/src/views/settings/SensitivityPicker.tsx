import type { SensitivityLevel } from '../../../../shared/incidents';

const LEVELS: { level: SensitivityLevel; explain: string }[] = [
  { level: 'low', explain: 'only large, sustained changes' },
  { level: 'medium', explain: 'the default balance' },
  { level: 'high', explain: 'small changes too, more false alarms' },
];

export function SensitivityPicker({
  value,
  onChange,
  name,
}: {
  value: SensitivityLevel;
  onChange(v: SensitivityLevel): void;
  name: string;
}) {
  return (
    <div role="radiogroup" aria-label={name} className="radios">
      {LEVELS.map(({ level, explain }) => (
        <label key={level} className="inline" title={explain}>
          <input type="radio" name={name} checked={value === level} onChange={() => onChange(level)} />{' '}
          {level}
        </label>
      ))}
    </div>
  );
}
