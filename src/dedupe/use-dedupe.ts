/**
 * @module Wires dedupe into a Fastify app: one Deduper per app, closed with the app. Its
 * store outlives config reloads (a changed `server.dedupe` needs a restart); a webhook
 * that gains `dedupe` in a reload uses the memory store with the default ttl.
 */
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { ServerConfig } from "../config/types.js";
import { createDeduper, type Deduper } from "./deduper.js";

export function useDedupe(fastify: FastifyInstance, server: ServerConfig, logger: Logger): Deduper {
  const deduper = createDeduper({ server: server.dedupe, logger });
  fastify.addHook("onClose", async () => deduper.close());
  return deduper;
}
