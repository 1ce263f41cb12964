/**
 * @module Dotted JSON paths (`a.b.0.c`, `items.*.sku`) compiled once into getters.
 * Reads own properties only, so `__proto__`, `constructor` or `toString` never reach
 * `Object.prototype`: a request body cannot make a filter or template read inherited data.
 * Pure and allocation-free for paths without `*`.
 */

/** A compiled path: call it on a value to read the path. */
export interface PathGetter {
  /**
   * Without `*`: the value at the path, or `undefined` when any segment is missing.
   * With `*`: every value found (never `undefined` entries), in document order.
   */
  (value: unknown): unknown;
  /** True when the path has a `*` segment and the getter returns an array of matches. */
  readonly wildcard: boolean;
  /** The path as written. */
  readonly path: string;
}

/** A precompiled segment: its name, and its array index when it is a canonical non-negative integer. */
interface Segment {
  readonly key: string;
  /** -1 when the segment is not an array index. */
  readonly index: number;
  readonly wildcard: boolean;
}

const INDEX = /^(?:0|[1-9][0-9]*)$/;

/**
 * Why `path` cannot be compiled, or `undefined` when it can.
 * @example checkPath("a..b") // 'empty segment in path "a..b"'
 */
export function checkPath(path: string): string | undefined {
  if (typeof path !== "string" || path === "") return "path is empty";
  if (path.split(".").some((s) => s === "")) return `empty segment in path "${path}"`;
  return undefined;
}

/**
 * Compile a dotted path once; the getter is then a tight loop over precompiled segments.
 * Numeric segments index arrays; on plain objects they read the key of that name.
 * `*` takes every element of an array (or every own value of an object).
 * @throws Error when the path is empty or has an empty segment.
 * @example
 * const sku = compilePath("items.*.sku");
 * sku({ items: [{ sku: "a" }, { sku: "b" }] }); // ["a", "b"]
 * compilePath("a.0.b")({ a: [{ b: 1 }] });      // 1
 */
export function compilePath(path: string): PathGetter {
  let getter = compiled.get(path);
  if (getter === undefined) {
    getter = compileNew(path);
    // Shared by every route, filter and template with the same path (getters are pure): 10,000
    // routes filtering on one key hold one getter. Bounded, so reloads cannot grow it forever.
    if (compiled.size >= MAX_SHARED) compiled.clear();
    compiled.set(path, getter);
  }
  return getter;
}

const compiled = new Map<string, PathGetter>();
const MAX_SHARED = 10_000;

function compileNew(path: string): PathGetter {
  const problem = checkPath(path);
  if (problem !== undefined) throw new Error(problem);
  const segments: Segment[] = path.split(".").map((key) => ({
    key,
    index: INDEX.test(key) && key.length < 16 ? Number(key) : -1,
    wildcard: key === "*",
  }));

  const wildcard = segments.some((s) => s.wildcard);
  const getter = wildcard
    ? (value: unknown): unknown => {
        const out: unknown[] = [];
        collect(value, segments, 0, out);
        return out;
      }
    : (value: unknown): unknown => {
        let current = value;
        for (let i = 0; i < segments.length; i++) {
          current = step(current, segments[i] as Segment);
          if (current === undefined) return undefined;
        }
        return current;
      };
  return Object.assign(getter, { wildcard, path });
}

/** One non-wildcard step: own properties of objects, indexes of arrays, nothing else. */
function step(current: unknown, segment: Segment): unknown {
  if (typeof current !== "object" || current === null) return undefined;
  if (Array.isArray(current)) {
    // Only indexes: `length` and array methods are not data.
    return segment.index >= 0 && segment.index < current.length ? current[segment.index] : undefined;
  }
  return Object.hasOwn(current, segment.key) ? (current as Record<string, unknown>)[segment.key] : undefined;
}

function collect(current: unknown, segments: readonly Segment[], from: number, out: unknown[]): void {
  if (current === undefined) return;
  if (from === segments.length) {
    out.push(current);
    return;
  }
  const segment = segments[from] as Segment;
  if (!segment.wildcard) {
    collect(step(current, segment), segments, from + 1, out);
    return;
  }
  if (typeof current !== "object" || current === null) return;
  if (Array.isArray(current)) {
    for (const item of current) collect(item, segments, from + 1, out);
    return;
  }
  for (const key of Object.keys(current)) collect((current as Record<string, unknown>)[key], segments, from + 1, out);
}
