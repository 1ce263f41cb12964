/**
 * @module Routes → a Router, compiled once per config (re)load. First match in file order wins.
 * Keyed routes (intent/action/event/tag) are found through Maps, never by scanning, so
 * 1,000 routes cost about what 10 do; routes without a key are candidates for every turn.
 * Each per-key candidate list is precomputed already merged (in file order) with the
 * key-less routes, so `match()` allocates nothing.
 */
import type { RouteConfig } from "../config/types.js";
import type { Turn } from "../types.js";
import { compileFilters, type BodyPredicate, type FilterError } from "./filters.js";

/** The routing keys a route may name, in the order a turn is looked up. */
export const ROUTE_KEYS = ["intent", "action", "event", "tag"] as const;
type RouteKey = (typeof ROUTE_KEYS)[number];

/** What the router reads from a turn. */
export type RoutableTurn = Pick<Turn, RouteKey | "raw">;

export interface Router {
  /**
   * Index (in `routes`) of the first route that matches, or -1.
   * A keyed route matches when `turn[key] === route[key]` and its `when` filters hold on `turn.raw`.
   */
  match(turn: RoutableTurn): number;
}

interface KeyTable {
  readonly key: RouteKey;
  /** Value → indexes of routes with that value, merged with the key-less routes, ascending. */
  readonly merged: Map<string, readonly number[]>;
  /** Value → indexes of routes with that value only, ascending (the same array as `merged`'s when no route is key-less). */
  readonly own: Map<string, readonly number[]>;
}

/**
 * Compile routes once. A filter that cannot be compiled (bad path or regular expression) is
 * given to `onError` with its route's index, and its route never matches; without `onError`,
 * it throws.
 * @example
 * const router = compileRouter(webhook.routes);
 * const i = router.match(turn); // -1: no route, use the fallback
 */
export function compileRouter(routes: readonly RouteConfig[], onError?: (route: number, error: FilterError) => void): Router {
  // null: no filters (the common case), skip the call.
  const filters: (BodyPredicate | null)[] = routes.map((r, index) =>
    r.when !== undefined && r.when.length > 0 ? compileFilters(r.when, onError && ((error) => onError(index, error))) : null,
  );

  // The config allows one key per route; should a route carry several, the others must match too.
  const extraKeys: (RouteKey[] | null)[] = routes.map((r) => {
    const keys = ROUTE_KEYS.filter((k) => r[k] !== undefined);
    return keys.length > 1 ? keys.slice(1) : null;
  });

  const keyless: number[] = [];
  const byKey = new Map<RouteKey, Map<string, number[]>>(ROUTE_KEYS.map((k) => [k, new Map()]));
  routes.forEach((route, index) => {
    const key = ROUTE_KEYS.find((k) => route[k] !== undefined);
    if (key === undefined) {
      keyless.push(index);
      return;
    }
    const values = byKey.get(key) as Map<string, number[]>;
    const value = route[key] as string;
    const list = values.get(value);
    if (list === undefined) values.set(value, [index]);
    else list.push(index);
  });

  const tables: KeyTable[] = [];
  for (const key of ROUTE_KEYS) {
    const values = byKey.get(key) as Map<string, number[]>;
    if (values.size === 0) continue; // No route uses this key: skip the lookup entirely.
    // Plain arrays of small integers: ~30 bytes each where an Int32Array (with its buffer)
    // took ~250, which 1,000 routes paid twice.
    const merged = new Map<string, readonly number[]>();
    const own = new Map<string, readonly number[]>();
    for (const [value, list] of values) {
      own.set(value, list);
      merged.set(value, keyless.length === 0 ? list : mergeSorted(list, keyless));
    }
    tables.push({ key, merged, own });
  }
  const keylessList: readonly number[] = keyless;

  /** First index in `list` below `limit` whose filters hold, else `limit`. */
  function firstIn(list: readonly number[], turn: RoutableTurn, limit: number): number {
    for (let i = 0; i < list.length; i++) {
      const index = list[i] as number;
      if (index >= limit) return limit;
      const extra = extraKeys[index];
      if (extra != null && !extra.every((k) => turn[k] === (routes[index] as RouteConfig)[k])) continue;
      const f = filters[index];
      if (f === null || (f as BodyPredicate)(turn.raw)) return index;
    }
    return limit;
  }

  return {
    match(turn) {
      let best = routes.length;
      // The key-less routes are scanned with the first list that is found; after that a later
      // list only needs its own keyed routes (key-less ones below `best` already failed).
      let keylessScanned = false;
      for (let t = 0; t < tables.length; t++) {
        const table = tables[t] as KeyTable;
        const value = turn[table.key];
        if (value === undefined) continue;
        const list = keylessScanned ? table.own.get(value) : table.merged.get(value);
        if (list === undefined) continue;
        keylessScanned = true;
        best = firstIn(list, turn, best);
      }
      if (!keylessScanned) best = firstIn(keylessList, turn, best);
      return best === routes.length ? -1 : best;
    },
  };
}

function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && (a[i] as number) < (b[j] as number))) out.push(a[i++] as number);
    else out.push(b[j++] as number);
  }
  return out;
}
