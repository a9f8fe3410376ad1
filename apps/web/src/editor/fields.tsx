import type { ReactNode } from "react";

export type Errors = Map<string, string>;

/** zod issues -> first message per top-level path ("where.0.value" kept whole too). */
export function errorsByPath(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Errors {
  const m = new Map<string, string>();
  for (const i of issues) {
    const full = i.path.map(String).join(".");
    if (!m.has(full)) m.set(full, i.message);
    const top = String(i.path[0] ?? "");
    if (!m.has(top)) m.set(top, i.message);
  }
  return m;
}

export function Field({ label, error, children }: { label: string; error?: string; children: ReactNode }) {
  return (
    <label className={error ? "field invalid" : "field"}>
      {label}
      {children}
      {error && <span className="field-error" role="alert">{error}</span>}
    </label>
  );
}

export function TextInput({ value, onChange, placeholder, list, name, disabled }: { value: unknown; onChange: (v: string | undefined) => void; placeholder?: string; list?: string; name: string; disabled?: boolean }) {
  return (
    <input
      name={name}
      data-testid={`config-${name}`}
      value={value === undefined || value === null ? "" : String(value)}
      placeholder={placeholder}
      list={list}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)}
    />
  );
}

export function NumberInput({ value, onChange, name, disabled, step }: { value: unknown; onChange: (v: number | undefined) => void; name: string; disabled?: boolean; step?: number }) {
  return (
    <input
      type="number"
      name={name}
      data-testid={`config-${name}`}
      step={step ?? "any"}
      disabled={disabled}
      value={typeof value === "number" ? value : ""}
      onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
    />
  );
}

export function Select({ value, onChange, options, name, disabled, allowEmpty }: { value: unknown; onChange: (v: string | undefined) => void; options: readonly (string | [string, string])[]; name: string; disabled?: boolean; allowEmpty?: string }) {
  return (
    <select name={name} data-testid={`config-${name}`} disabled={disabled} value={value === undefined ? "" : String(value)} onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)}>
      {allowEmpty !== undefined && <option value="">{allowEmpty}</option>}
      {options.map((o) => {
        const [v, l] = Array.isArray(o) ? o : [o, o];
        return <option key={v} value={v}>{l}</option>;
      })}
    </select>
  );
}
