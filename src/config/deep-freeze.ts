/**
 * @module Object.freeze all the way down, so a loaded config cannot be changed by the
 * code that reads it (handlers, reloads).
 */
import { LazyPosition } from "./source-position.js";

/** Freezes `value` and everything reachable from it (a lazily located position aside: its `path` is read-only); returns it for chaining. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value) || value instanceof LazyPosition) return value;
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  return value;
}
