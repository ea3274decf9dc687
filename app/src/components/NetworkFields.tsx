import { useId } from 'preact/hooks';
import type { Bandwidth, ProxySetting } from '../../../electron/shared/ipc.js';

/** One direction's limit: "Don't limit" or "Limit to ___ KB/s" (stored in bytes per second, 0 = no limit). */
function LimitField({ label, value, onChange }: { label: string; value: number; onChange: (bps: number) => void }) {
  const id = useId();
  const limited = value > 0;
  return (
    <fieldset class="limit" aria-label={`${label} speed`}>
      <legend>{label}</legend>
      <label class="check">
        <input type="radio" name={`${id}-mode`} checked={!limited} onChange={() => onChange(0)} />
        <span>Don't limit</span>
      </label>
      <label class="check">
        <input type="radio" name={`${id}-mode`} checked={limited} onChange={() => onChange(limited ? value : 1_000_000)} />
        <span>Limit to</span>
        <input
          id={`${id}-kbps`}
          type="number"
          min={1}
          step={100}
          inputMode="numeric"
          aria-label={`${label} limit in KB/s`}
          disabled={!limited}
          value={limited ? Math.round(value / 1000) : ''}
          onInput={(e) => onChange(Math.max(1, Math.round(Number(e.currentTarget.value) || 1)) * 1000)}
        />
        <span class="unit">KB/s</span>
      </label>
    </fieldset>
  );
}

export function BandwidthFields({ value, onChange }: { value: Bandwidth; onChange: (next: Bandwidth) => void }) {
  return (
    <div class="row-fields">
      <LimitField label="Upload" value={value.uploadBps} onChange={(uploadBps) => onChange({ ...value, uploadBps })} />
      <LimitField label="Download" value={value.downloadBps} onChange={(downloadBps) => onChange({ ...value, downloadBps })} />
    </div>
  );
}

export function ProxyFields({ value, onChange }: { value: ProxySetting; onChange: (next: ProxySetting) => void }) {
  const id = useId();
  const url = value.mode === 'manual' ? value.url : '';
  return (
    <fieldset class="stacked" aria-label="Proxy">
      <legend>Proxy</legend>
      <label class="check">
        <input type="radio" name={`${id}-proxy`} checked={value.mode === 'system'} onChange={() => onChange({ mode: 'system' })} />
        <span>Use the system's proxy settings</span>
      </label>
      <label class="check">
        <input type="radio" name={`${id}-proxy`} checked={value.mode === 'none'} onChange={() => onChange({ mode: 'none' })} />
        <span>No proxy</span>
      </label>
      <label class="check">
        <input type="radio" name={`${id}-proxy`} checked={value.mode === 'manual'} onChange={() => onChange({ mode: 'manual', url })} />
        <span>This proxy:</span>
        <input
          type="text"
          aria-label="Proxy address"
          placeholder="http://proxy.example.org:3128"
          disabled={value.mode !== 'manual'}
          value={url}
          onInput={(e) => onChange({ mode: 'manual', url: e.currentTarget.value })}
        />
      </label>
    </fieldset>
  );
}
