'use client';

// Shared. An on/off setting that takes effect at once, drawn as a switch and announced as one
// (role=switch), with its label beside it and, when given, a line that explains it.

import { useId } from 'react';

export type SwitchProps = {
  readonly label: string;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
  readonly description?: string;
  readonly disabled?: boolean;
};

export function Switch({ label, checked, onChange, description, disabled = false }: SwitchProps) {
  const labelId = useId();
  const descriptionId = useId();

  return (
    <div className="switch-row">
      <span className="switch-row__text">
        <span id={labelId} className="switch-row__label">
          {label}
        </span>
        {description && (
          <span id={descriptionId} className="switch-row__description">
            {description}
          </span>
        )}
      </span>
      <button
        type="button"
        role="switch"
        className="switch"
        aria-checked={checked}
        aria-labelledby={labelId}
        aria-describedby={description ? descriptionId : undefined}
        disabled={disabled}
        onClick={() => onChange(!checked)}
      >
        <span className="switch__thumb" />
      </button>
    </div>
  );
}
