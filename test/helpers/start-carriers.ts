/**
 * A config served through the carriers the integration tests compare: the CLI's server on a
 * socket, the plugin under `/bots` in a user's own Fastify app, and the pipeline itself (the
 * in-memory carrier, through `handleBytes`).
 */
import type { AddressInfo } from "node:net";
import Fastify, { type FastifyInstance } from "fastify";
import { pino } from "pino";
import type { Pipeline } from "../../src/core/handle.js";
import { loadPipeline } from "../../src/core/load-pipeline.js";
import { createHttpServer, type HttpServer } from "../../src/server/http-server.js";
import webhookServe from "../../src/server/webhook-plugin.js";

export interface Carriers {
  pipeline: Pipeline;
  server: HttpServer;
  /** The server's port on 127.0.0.1. */
  port: number;
  /** A user's app with the plugin registered under `/bots`. */
  userApp: FastifyInstance;
  close(): Promise<void>;
}

export async function startCarriers(configFile: string): Promise<Carriers> {
  const pipeline = await loadPipeline(configFile, { logger: pino({ level: "silent" }) });
  const server = createHttpServer(pipeline);
  await server.fastify.listen({ host: "127.0.0.1", port: 0 });
  const userApp = Fastify();
  await userApp.register(webhookServe, { config: configFile, logger: pino({ level: "silent" }), prefix: "/bots" });
  return {
    pipeline,
    server,
    port: (server.fastify.server.address() as AddressInfo).port,
    userApp,
    async close() {
      await server.fastify.close();
      await userApp.close();
    },
  };
}
