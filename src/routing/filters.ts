/**
 * @module Route `when` filters compiled once into predicates over the raw request body:
 * `equals`, `in`, `exists`, `matches`, `any: [...]` and `not: filter`, nested freely.
 * Paths are split and regular expressions built at compile time; a predicate call only reads.
 * With a `*` path a filter holds when SOME matched element satisfies it
 * (`exists: false` holds when none exists).
 */
import type { PathSegment } from "../config/issue-path.js";
import type { Filter } from "../config/types.js";
import { compilePath } from "./json-path.js";
import { linearRegExp } from "./linear-regexp.js";

/** A compiled filter: true when the body satisfies it. */
export type BodyPredicate = (body: unknown) => boolean;

const always: BodyPredicate = () => true;

const never: BodyPredicate = () => false;

/** A filter that cannot be compiled, and where in it (`["any", 0, "matches"]`). */
export class FilterError extends Error {
  constructor(
    message: string,
    readonly path: readonly PathSegment[],
  ) {
    super(message);
  }
}

/**
 * Compile one filter; `path` is where it sits, for the error.
 * @throws FilterError on a bad path, a bad regular expression or an unknown filter shape
 *   (the runtime build reports each with its line:column).
 * @example
 * const f = compileFilter({ key: "data.plan", in: ["pro", "team"] });
 * f({ data: { plan: "pro" } }); // true
 */
export function compileFilter(filter: Filter, path: readonly PathSegment[] = []): BodyPredicate {
  if (has(filter, "any")) {
    const parts = (filter as { any: readonly Filter[] }).any.map((f, i) => compileFilter(f, [...path, "any", i]));
    return (body) => {
      for (let i = 0; i < parts.length; i++) if ((parts[i] as BodyPredicate)(body)) return true;
      return false;
    };
  }
  if (has(filter, "not")) {
    const inner = compileFilter((filter as { not: Filter }).not, [...path, "not"]);
    return (body) => !inner(body);
  }
  const key = (filter as { key: string }).key;
  const get = attempt(() => compilePath(key), [...path, "key"]);

  if (has(filter, "exists")) {
    const want = (filter as { exists: boolean }).exists === true;
    // Wildcard getters drop missing values, so "exists" is "found at least one".
    const present: BodyPredicate = get.wildcard
      ? (body) => (get(body) as unknown[]).length > 0
      : (body) => get(body) !== undefined;
    return want ? present : (body) => !present(body);
  }

  const test = compileValueTest(filter, path);
  if (!get.wildcard) return (body) => test(get(body));
  return (body) => {
    const values = get(body) as unknown[];
    for (let i = 0; i < values.length; i++) if (test(values[i])) return true;
    return false;
  };
}

/**
 * Compile a `when` list: every filter must hold. No filters: always true. With `onError`, a
 * filter that does not compile is reported (its path starts at its index) and never holds;
 * without, it throws.
 * @example compileFilters([{ key: "a", exists: true }, { not: { key: "b", equals: 1 } }])
 */
export function compileFilters(filters?: readonly Filter[], onError?: (error: FilterError) => void): BodyPredicate {
  if (filters === undefined || filters.length === 0) return always;
  const parts = filters.map((filter, i) => {
    try {
      return compileFilter(filter, [i]);
    } catch (error) {
      if (onError === undefined || !(error instanceof FilterError)) throw error;
      onError(error);
      return never;
    }
  });
  if (parts.length === 1) return parts[0] as BodyPredicate;
  return (body) => {
    for (let i = 0; i < parts.length; i++) if (!(parts[i] as BodyPredicate)(body)) return false;
    return true;
  };
}

/** The value test of a keyed filter (equals / in / matches). */
function compileValueTest(filter: Filter, path: readonly PathSegment[]): (value: unknown) => boolean {
  if (has(filter, "equals")) {
    const expected = (filter as { equals: unknown }).equals;
    // Scalars compare strictly: YAML `equals: 42` matches the number 42, not the string "42".
    if (!isComposite(expected)) return (value) => value === expected;
    return (value) => deepEqual(value, expected);
  }
  if (has(filter, "in")) {
    const list = (filter as { in: readonly unknown[] }).in;
    const scalars = new Set(list.filter((v) => !isComposite(v)));
    const composites = list.filter(isComposite);
    if (composites.length === 0) return (value) => scalars.has(value);
    return (value) => (isComposite(value) ? composites.some((c) => deepEqual(value, c)) : scalars.has(value));
  }
  if (has(filter, "matches")) {
    const re = attempt(() => compileRegExp((filter as { matches: string }).matches), [...path, "matches"]);
    return (value) =>
      typeof value === "string" ? re.test(value) : typeof value === "number" ? re.test(String(value)) : false;
  }
  throw new FilterError(`unknown filter: ${JSON.stringify(filter)}`, path);
}

/** `compile()`, its error a FilterError at `path`. */
function attempt<T>(compile: () => T, path: readonly PathSegment[]): T {
  try {
    return compile();
  } catch (error) {
    throw new FilterError((error as Error).message, path);
  }
}

/**
 * A `matches` pattern whose runaway matches fall back to linear time (linear-regexp.ts);
 * no `g`/`y`, so `test` keeps no state.
 * A leading `(?i)` makes it case-insensitive, as in most YAML-configured tools.
 */
export function compileRegExp(pattern: string): RegExp {
  if (typeof pattern !== "string") throw new Error("matches must be a string");
  return pattern.startsWith("(?i)") ? linearRegExp(pattern.slice(4), true) : linearRegExp(pattern);
}

function has(filter: object, name: string): boolean {
  return Object.hasOwn(filter, name);
}

function isComposite(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

/** Structural equality of JSON-like values: arrays in order, objects by own keys in any order. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!isComposite(a) || !isComposite(b)) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  for (const key of aKeys) {
    if (!Object.hasOwn(b, key)) return false;
    if (!deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}
