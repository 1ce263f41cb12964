/**
 * @module "Why didn't my route match?": every route of a webhook checked against one turn, in
 * file order, with the first condition that failed (the key, what the route wants, what the
 * turn has). The same decision as the router (first match in file order wins), made slowly
 * and out loud: for `send --explain` and for the debug line of a turn no route matched.
 */
import type { Filter, RouteConfig } from "../config/types.js";
import { ROUTE_KEYS, type RoutableTurn } from "./compile-router.js";
import { describeFilter, describeMatch } from "./describe-route.js";
import { compileFilter } from "./filters.js";
import { compilePath } from "./json-path.js";

interface RouteVerdict {
  /** `intent=order.pizza when …`, as `routes` prints it. */
  route: string;
  matched: boolean;
  /** True for the route that answers (the first that matched). */
  answers: boolean;
  /** Why it did not match: `data.step.id: equals "507f" but was "abc"`. */
  because?: string;
}

export function explainRoutes(routes: readonly RouteConfig[], turn: RoutableTurn): RouteVerdict[] {
  let answered = false;
  return routes.map((route) => {
    const because = firstFailure(route, turn);
    const matched = because === undefined;
    const answers = matched && !answered;
    if (answers) answered = true;
    return { route: describeMatch(route), matched, answers, ...(because !== undefined ? { because } : {}) };
  });
}

/** One line per route: `✓ …  (answers)`, `✗ …  <why>`. */
export function formatVerdicts(verdicts: readonly RouteVerdict[]): string[] {
  return verdicts.map((v) => (v.matched ? `✓ ${v.route}${v.answers ? "  (answers)" : "  (matches, but an earlier route answers)"}` : `✗ ${v.route}  ${v.because}`));
}

function firstFailure(route: RouteConfig, turn: RoutableTurn): string | undefined {
  for (const key of ROUTE_KEYS) {
    const want = route[key];
    if (want !== undefined && turn[key] !== want) return `${key}: wants ${show(want)} but was ${turn[key] === undefined ? "absent" : show(turn[key])}`;
  }
  for (const filter of route.when ?? []) {
    if (!compileFilter(filter)(turn.raw)) return explainFilter(filter, turn.raw);
  }
  return undefined;
}

/** A value as JSON, cut to stay on one line. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function explainFilter(filter: Filter, body: unknown): string {
  if ("any" in filter || "not" in filter) return `${describeFilter(filter)} does not hold`;
  const actual = compilePath(filter.key)(body);
  const was = actual === undefined ? "absent" : show(actual);
  if ("equals" in filter) return `${filter.key}: equals ${show(filter.equals)} but was ${was}`;
  if ("in" in filter) return `${filter.key}: in ${show(filter.in)} but was ${was}`;
  if ("exists" in filter) return `${filter.key}: ${filter.exists ? "must exist but is absent" : `must be absent but was ${was}`}`;
  return `${filter.key}: matches /${filter.matches}/ but was ${was}`;
}
