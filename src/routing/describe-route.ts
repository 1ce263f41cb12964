/**
 * @module One-line descriptions of a route's match and target, for the CLI `routes` table
 * and for log lines. Long values are cut with `…` so the table stays readable.
 */
import type { Filter, RouteConfig, Target } from "../config/types.js";
import { ROUTE_KEYS } from "./compile-router.js";

const MAX_VALUE = 24;
const MAX_TEXT = 40;

/**
 * What a route matches on.
 * @example
 * describeMatch({ intent: "greetings", … })  // "intent=greetings"
 * describeMatch({ event: "conversation.step_reached", when: [{ key: "data.plan", in: ["pro", "team"] }], … })
 * // "event=conversation.step_reached when data.plan in [pro, team]"
 * describeMatch({ … no key, no when … })     // "(any)"
 */
export function describeMatch(route: Pick<RouteConfig, "intent" | "action" | "event" | "tag" | "when">): string {
  const parts: string[] = [];
  for (const key of ROUTE_KEYS) {
    const value = route[key];
    if (value !== undefined) parts.push(`${key}=${value}`);
  }
  if (route.when !== undefined && route.when.length > 0) {
    parts.push(`when ${route.when.map(describeFilter).join(", ")}`);
  }
  return parts.length === 0 ? "(any)" : parts.join(" ");
}

/**
 * One filter as text: `a.b=x`, `a in [x, y]`, `a exists`, `a absent`, `a ~ /re/`, `any(…, …)`, `not(…)`.
 * @example describeFilter({ key: "data.user.id", exists: true }) // "data.user.id exists"
 */
export function describeFilter(filter: Filter): string {
  if ("any" in filter) return `any(${filter.any.map(describeFilter).join(", ")})`;
  if ("not" in filter) return `not(${describeFilter(filter.not)})`;
  if ("equals" in filter) return `${filter.key}=${describeValue(filter.equals)}`;
  if ("in" in filter) return `${filter.key} in [${filter.in.map(describeValue).join(", ")}]`;
  if ("exists" in filter) return `${filter.key} ${filter.exists ? "exists" : "absent"}`;
  return `${filter.key} ~ /${cut(filter.matches, MAX_VALUE)}/`;
}

/**
 * What a route does.
 * @example
 * describeTarget(replyTarget)    // 'reply "Hi {{ params.name }}! Nice to meet you."' (cut at 40 chars)
 * describeTarget(handlerTarget)  // "./handlers/weather.ts#default"
 */
export function describeTarget(target: Target): string {
  if (target.kind === "handler") {
    const { spec, exportName } = target.handler;
    const hash = spec.indexOf("#");
    return `${hash === -1 ? spec : spec.slice(0, hash)}#${exportName}`;
  }
  const text = target.reply.text;
  if (typeof text === "string") return `reply ${JSON.stringify(cut(text, MAX_TEXT))}`;
  if (Array.isArray(text) && typeof text[0] === "string") {
    const more = text.length > 1 ? ` (+${text.length - 1})` : "";
    return `reply ${JSON.stringify(cut(text[0], MAX_TEXT))}${more}`;
  }
  const keys = Object.keys(target.reply);
  return keys.length === 0 ? "reply {}" : `reply {${keys.join(", ")}}`;
}

function describeValue(value: unknown): string {
  return cut(typeof value === "string" ? value : JSON.stringify(value) ?? String(value), MAX_VALUE);
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
