/**
 * @module `createServer()`: the whole server as a Fastify instance, for embedding. It is not
 * ready yet: add hooks, plugins and routes before `listen()` or `ready()`.
 */
import type { FastifyInstance } from "fastify";
import { loadPipeline, type ConfigSource, type PipelineLoadOptions } from "../core/load-pipeline.js";
import { createHttpServer, type HttpServer } from "./http-server.js";

/** How `createServer` loads its config. */
export type CreateServerOptions = PipelineLoadOptions;

/**
 * The server as the CLI runs it, not yet listening.
 * @example
 * const app = await createServer("./config.yaml");
 * app.addHook("onRequest", async (request) => { ... });
 * const res = await app.inject({ method: "POST", url: "/dialogflow", payload });
 */
export async function createServer(config: ConfigSource, options: CreateServerOptions = {}): Promise<FastifyInstance> {
  return (await loadHttpServer(config, options)).fastify;
}

/** The core and the Fastify server carrying it (not yet ready). */
export async function loadHttpServer(config: ConfigSource, options: CreateServerOptions = {}): Promise<HttpServer> {
  return createHttpServer(await loadPipeline(config, options));
}
