/**
 * @module Secrets out of a value a handler logged or the inspector keeps: every string (and
 * key) with a configured secret value in it has it replaced, a number whose digits hold a
 * secret (`20241207` in `202412071`) becomes a marker rather than a broken number, and any
 * property named like a credential header (the well-known ones, a custom API-key or signature
 * header) is hidden whatever it holds: a wrong key, a cookie, a bearer token.
 */
export const REDACTED = "[redacted]";

export interface Redaction {
  secrets: readonly string[];
  /** Lower-case header names whose values are hidden wherever they appear as a key. */
  secretHeaders: ReadonlySet<string>;
}

/** Very short values would blank out ordinary words. */
const usable = (secrets: readonly string[]) => secrets.filter((s) => s.length >= 3);

export function scrubString(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/** Sets a key as own data, even `__proto__` (a body may hold one). */
const put = (target: object, key: string, value: unknown): void => {
  // defineProperty is ~3× slower than assignment: only for the one key assignment would misread.
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else (target as Record<string, unknown>)[key] = value;
};

const plain = (value: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || Array.isArray(value);
};

/**
 * For a handler's log call: the same value when nothing in it needs hiding (the common case
 * costs a walk, no copy); else a copy of the plain objects and arrays on the way to what was
 * hidden. Class instances (an Error, a Date) are left to the logger's serializers.
 */
export function redactLogged(value: unknown, redaction: Redaction): unknown {
  const secrets = usable(redaction.secrets);
  const seen = new Set<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") return scrubString(v, secrets);
    if (typeof v === "number" || typeof v === "bigint") return secrets.some((s) => String(v).includes(s)) ? REDACTED : v;
    if (typeof v !== "object" || v === null || depth > 32 || seen.has(v) || !plain(v)) return v;
    seen.add(v);
    let copy: Record<string, unknown> | unknown[] | undefined;
    const entries = Array.isArray(v) ? v.map((item, i) => [String(i), item] as const) : Object.entries(v);
    for (const [key, item] of entries) {
      const next = redaction.secretHeaders.has(key.toLowerCase()) && item !== undefined && item !== null ? REDACTED : walk(item, depth + 1);
      const name = scrubString(key, secrets);
      if (next !== item || name !== key) {
        copy ??= Array.isArray(v) ? [...(v as unknown[])] : { ...v };
        if (name !== key) delete (copy as Record<string, unknown>)[key];
        put(copy, name, next);
      }
    }
    seen.delete(v);
    return copy ?? v;
  };
  return walk(value, 0);
}

/**
 * For the inspector: a JSON-safe copy of anything, never throwing. What JSON cannot hold or the
 * copy cannot read becomes a marker (`[circular]`, `123n`, `[unreadable]`), and past `maxBytes`
 * (an estimate of the copy's JSON size) every further value is `[truncated]`, so one turn's
 * memory is bounded however large or wide the value.
 */
export function copyRedacted(value: unknown, redaction: Redaction, maxBytes: number): unknown {
  const secrets = usable(redaction.secrets);
  let budget = maxBytes;
  const ancestors = new Set<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (budget <= 0) return "[truncated]";
    switch (typeof v) {
      case "string": {
        const text = scrubString(v.length > budget ? `${v.slice(0, budget)}…` : v, secrets);
        budget -= text.length + 3;
        return text;
      }
      case "number":
        budget -= 12;
        if (!Number.isFinite(v)) return String(v);
        return secrets.some((s) => String(v).includes(s)) ? REDACTED : v;
      case "bigint":
        budget -= 12;
        return secrets.some((s) => String(v).includes(s)) ? REDACTED : `${v}n`;
      case "boolean":
        budget -= 5;
        return v;
      case "undefined":
        return undefined;
      case "function":
      case "symbol":
        budget -= 12;
        return `[${typeof v}]`;
    }
    if (v === null) return null;
    const object = v as object;
    if (ancestors.has(object)) return "[circular]";
    if (depth > 64) return "[too deep]";
    ancestors.add(object);
    try {
      const json = (object as { toJSON?: unknown }).toJSON;
      if (typeof json === "function" && !Array.isArray(object)) return walk((json as () => unknown).call(object), depth + 1);
      if (object instanceof Error) return walk({ name: object.name, message: object.message }, depth + 1);
      if (Array.isArray(object)) {
        const out: unknown[] = [];
        for (const item of object) {
          if (budget <= 0) {
            out.push("[truncated]");
            break;
          }
          out.push(walk(item, depth + 1) ?? null);
        }
        return out;
      }
      const out: Record<string, unknown> = {};
      // for-in, not Object.keys: past the budget it stops without listing 92k keys first.
      for (const key in object) {
        if (!Object.hasOwn(object, key)) continue;
        if (budget <= 0) {
          put(out, "…", "[truncated]");
          break;
        }
        budget -= key.length + 4;
        let item: unknown;
        try {
          item = (object as Record<string, unknown>)[key];
        } catch {
          item = "[unreadable]";
        }
        const name = scrubString(key, secrets);
        put(out, name, redaction.secretHeaders.has(key.toLowerCase()) && item !== undefined && item !== null ? REDACTED : walk(item, depth + 1));
      }
      return out;
    } catch {
      // A proxy or a getter that throws on enumeration.
      return "[unreadable]";
    } finally {
      ancestors.delete(object);
    }
  };
  return walk(value, 0);
}
