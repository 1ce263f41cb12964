/**
 * @module Small pure readers for untrusted JSON: adapters use them to pick fields out of
 * request bodies without throwing, whatever shape arrives.
 */

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `value` when it is a JSON object, else an empty object. */
export function recordOr(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** `value` when it is a string, else undefined. */
export function stringOr(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** `value` when it is a finite number, else undefined. */
export function numberOr(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** `value` when it is an array, else an empty array. */
export function arrayOr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * A copy of `obj` without the keys whose value is undefined, so serialized bodies
 * carry only the fields that are present.
 * @example compact({ a: 1, b: undefined }) // { a: 1 }
 */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  // for…in over a fresh object literal: no entry arrays per call (this runs on every request).
  const out: Record<string, unknown> = {};
  for (const key in obj) {
    const value = obj[key];
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}

/**
 * Assign a key taken from a request body: a key that is literally `__proto__` becomes an own
 * property instead of replacing the object's prototype.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
