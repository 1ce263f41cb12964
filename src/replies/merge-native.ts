/**
 * @module `reply.native` is deep-merged into the platform body last: plain objects merge
 * key by key, arrays and other values replace. Inputs are never mutated.
 */

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function mergeNative<T>(body: T, native: Record<string, unknown> | undefined): T {
  if (native === undefined) return body;
  if (!isPlainObject(body)) return native as T;
  const out: Record<string, unknown> = { ...body };
  for (const key of Object.keys(native)) {
    // Never write through to Object.prototype.
    if (key === "__proto__") continue;
    const next = native[key];
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(next) ? mergeNative(prev, next) : next;
  }
  return out as T;
}
