/**
 * @module The name of a `scope: global` count in Redis. Not the route's position in the file:
 * replicas running two config releases that differ above the route must count together. An
 * explicit `concurrency.key` wins (routes sharing one name share one limit); else the webhook
 * path and the route's full match (not the shortened label logs show), hashed to a bounded key.
 */
import { hash } from "node:crypto";
import type { RouteConfig } from "../config/types.js";

export function limitKey(webhookPath: string, route: Pick<RouteConfig, "intent" | "action" | "event" | "tag" | "when" | "concurrencyKey">): string {
  if (route.concurrencyKey !== undefined) return `limit:key:${route.concurrencyKey}`;
  const match = JSON.stringify([route.intent ?? null, route.action ?? null, route.event ?? null, route.tag ?? null, route.when ?? []]);
  return `limit:route:${webhookPath}:${hash("sha256", match, "base64url").slice(0, 22)}`;
}
