/**
 * @module webhook-serve as a Fastify plugin (`webhook-serve/fastify`): the webhooks of one
 * routing file, the probes and `/metrics`, in their own encapsulated context (its body
 * parser, error handler and hooks stay inside it), under the prefix it is registered with.
 * The user's own hooks and plugins (`onRequest`, `@fastify/helmet`, `@fastify/rate-limit`)
 * run on its routes as on any other. The CLI registers this same plugin. A webhook with
 * `transport: websocket` also takes WebSocket upgrades on its path (use-websocket.ts); an app
 * that uses @fastify/websocket itself registers it before this plugin, which then shares it.
 * @example
 * import Fastify from "fastify";
 * import webhookServe from "webhook-serve/fastify";
 * const app = Fastify();
 * await app.register(webhookServe, { config: "./config.yaml", prefix: "/bots" });
 * @see https://fastify.dev/docs/latest/Reference/Plugins/
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyPluginOptions } from "fastify";
import { loadPipeline, type ConfigSource, type PipelineLoadOptions } from "../core/load-pipeline.js";
import type { Pipeline } from "../core/handle.js";
import { createMetrics, type Metrics } from "../metrics/metrics.js";
import { dispatchRoute, type AnswerObserver } from "./dispatch-route.js";
import { errorHandler } from "./error-handler.js";
import { notFoundHandler } from "./framework-errors.js";
import { observeScope, responseObserver, type ResponseObserver } from "./log-responses.js";
import { useRawBodyParser } from "./raw-body-parser.js";
import { useInspector, type InspectorOptions } from "./use-inspector.js";
import { useMetrics } from "./use-metrics.js";
import { useWebSocket } from "./use-websocket.js";

export interface WebhookServeOptions extends PipelineLoadOptions, FastifyPluginOptions {
  /** The routing file: a path, a raw object as in YAML, or a loaded Config. */
  config?: ConfigSource;
  /** Routes under this prefix (Fastify's own `register` option). */
  prefix?: string;
  /** @internal The CLI's parts: a core it built and closes itself. */
  pipeline?: Pipeline;
  /** @internal The CLI's metrics (it counts reloads and faults too); `false`: none. */
  metrics?: Metrics | false;
  /** @internal The live inspector (`--inspect`). */
  inspector?: InspectorOptions;
  /** @internal The CLI's access-log and metrics observer (its metrics count reloads too). */
  observe?: ResponseObserver;
  /** @internal ms between WebSocket keepalive pings (tests). @default 30000 */
  socketPingInterval?: number;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

async function webhookServe(app: FastifyInstance, options: WebhookServeOptions): Promise<void> {
  let pipeline = options.pipeline;
  if (pipeline === undefined) {
    if (options.config === undefined) throw new TypeError("webhook-serve: give the plugin a config (a file path or an object)");
    const loaded = await loadPipeline(options.config, options);
    app.addHook("onClose", () => loaded.close());
    pipeline = loaded;
  }
  const { server } = pipeline.runtime.config;
  const { logger, state } = pipeline;
  const metrics = options.metrics ?? (server.metrics ? createMetrics() : false);
  const observe = options.observe ?? responseObserver(pipeline, metrics === false ? undefined : metrics);
  useRawBodyParser(app, pipeline.holder, server);
  app.setErrorHandler(errorHandler(logger, observe));
  // A prefix has a 404 handler of its own; without one, the app's answers unknown paths.
  if (options.prefix !== undefined && options.prefix !== "") app.setNotFoundHandler(notFoundHandler(pipeline.holder, app.prefix, observe));

  // Routes that answer through Fastify's own send, observed by a hook in their own scope.
  let onAnswer: AnswerObserver | undefined;
  await app.register(async (scope) => {
    scope.setErrorHandler(errorHandler(logger, undefined));
    observeScope(scope, observe);
    scope.get("/healthz", async () => ({ status: "ok" }));
    scope.get("/readyz", async (_request, reply) => {
      if (state.draining) return reply.code(503).send({ status: "draining" });
      return { status: "ready" };
    });
    if (metrics !== false) useMetrics(scope, metrics, pipeline);
    if (options.inspector) onAnswer = useInspector(scope, pipeline, options.inspector);
  });
  // One catch-all route: a path a reload adds is served at once.
  const dispatch = dispatchRoute(pipeline, app.prefix, onAnswer, observe);
  // With a websocket webhook at start, GET is the WebSocket carrier's route (its own scope, its own hooks).
  const sockets = pipeline.runtime.config.webhooks.some((webhook) => webhook.transport === "websocket");
  app.route({ method: sockets ? METHODS.filter((method) => method !== "GET") : METHODS, url: "*", bodyLimit: server.bodyLimit, handler: dispatch });
  if (sockets) await useWebSocket(app, pipeline, { dispatch, observe, metrics: metrics === false ? undefined : metrics, pingInterval: options.socketPingInterval ?? 30_000 });
}

// Fastify names the plugin in its errors and in `app.printPlugins()`.
Object.defineProperty(webhookServe, Symbol.for("fastify.display-name"), { value: "webhook-serve" });

const plugin: FastifyPluginAsync<WebhookServeOptions> = webhookServe;
export default plugin;
export { plugin as webhookServe };
