/**
 * @module The WebSocket carrier (`transport: websocket`), on when the config a server starts
 * with has such a webhook: @fastify/websocket (which wraps `ws`) in a scope of its own that
 * holds the plugin's GET route, so its hooks cost no POST. An upgrade on a websocket webhook
 * is checked before it is accepted (a valid handshake, the webhook's header auth, not
 * draining), and refused with the error table's answer; an upgrade anywhere else gets what the
 * same GET gets (404, 405, a handshake, a listing), then the socket is closed. Each message
 * goes through the core (core/handle-frame.ts) on the runtime current when it arrives; the
 * answers go back in arrival order, each with its access line and metrics like a request.
 * Pings find dead peers; on close, every answer in flight is sent before its socket closes (1001).
 *
 * Node hands every request with an `Upgrade` header to the 'upgrade' listener, and no longer
 * minds its socket. So the listener is ours: a WebSocket upgrade goes on to @fastify/websocket,
 * its socket closed after a refusal, after requestTimeout if nothing answers it, and on
 * close (a paused socket never sees its peer hang up); any other
 * protocol (`Upgrade: h2c`) is served as a plain request and its connection closed, except one
 * with a body, which Node has already taken off the request (400).
 */
import { EventEmitter, once } from "node:events";
import { ServerResponse, type IncomingMessage, type Server } from "node:http";
import type { Duplex } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { RawData, WebSocket } from "ws";
import type {} from "@fastify/websocket";
import type { AuthFailure } from "../auth/types.js";
import { logAccess } from "../core/access-log.js";
import { answerJson } from "../core/answer-json.js";
import { answerFrame, framesOf, type FrameEvent, type SocketContext } from "../core/handle-frame.js";
import { fail, type Pipeline } from "../core/handle.js";
import { errorBody } from "../errors.js";
import type { BodyLimits } from "../core/read-body.js";
import type { CoreAnswer } from "../core/types.js";
import type { Metrics } from "../metrics/metrics.js";
import type { CompiledWebhook } from "../runtime/runtime.js";
import type { ResponseObserver } from "./log-responses.js";
import { hostIsValid } from "./host-header.js";
import { keepInfo } from "./request-slots.js";
import { countResponse } from "./use-metrics.js";

export interface WebSocketCarrier {
  /** The plugin's route handler: plain GETs on any path, and the answer to refused upgrades elsewhere. */
  dispatch: (request: FastifyRequest, reply: FastifyReply) => Promise<void> | undefined;
  observe: ResponseObserver | undefined;
  metrics: Metrics | undefined;
  /** ms between keepalive pings; a socket that did not answer the last one is closed. */
  pingInterval: number;
}

/** Events of one socket in flight before it is read no further (until half of them are answered). */
const MAX_IN_FLIGHT = 64;
/** RFC 6455 §4.2.1: a base64 16-byte nonce, protocol version 13 (8 still accepted by `ws`). */
const KEY = /^[+/0-9A-Za-z]{22}==$/;
const EMPTY = Buffer.alloc(0);
/** RFC 6455 §7.4.1: the endpoint is going away (server shutdown). */
const GOING_AWAY = 1001;

interface Connection {
  socket: WebSocket;
  /** Answered a ping since the last round. */
  alive: boolean;
  /** Sends every answer in flight, then closes with 1001. */
  drain(): Promise<void>;
}

export async function useWebSocket(app: FastifyInstance, pipeline: Pipeline, carrier: WebSocketCarrier): Promise<void> {
  // Loaded only by a config that has a websocket webhook: the HTTP-only server stays as it was.
  const { default: websocket } = await import("@fastify/websocket");
  const { logger } = pipeline;
  const { server } = pipeline.runtime.config;
  // ws refuses a larger message itself (close 1009) before buffering it; the core checks again.
  const limits: BodyLimits = { bodyLimit: server.bodyLimit, maxDepth: server.maxDepth };
  const prefix = app.prefix;
  const connections = new Set<Connection>();
  /** Upgrade sockets `ws` has not taken over (yet): closed on shutdown. */
  const unclaimed = new Set<Duplex>();

  await app.register(async (scope) => {
    // An app that registered @fastify/websocket itself keeps its one upgrade listener (its
    // hooks, on every route, close what it does not upgrade).
    if (!scope.hasDecorator("websocketServer")) {
      const upgrades = new EventEmitter();
      const onUpgrade = upgradeListener(app.server, upgrades, unclaimed, server.requestTimeout);
      app.server.on("upgrade", onUpgrade);
      scope.addHook("preClose", (done) => {
        app.server.off("upgrade", onUpgrade);
        for (const socket of unclaimed) socket.destroy();
        done();
      });
      await scope.register(websocket, {
        // It listens on `upgrades`, which ours feeds.
        options: { server: upgrades as unknown as Server, perMessageDeflate: false, maxPayload: limits.bodyLimit },
        // Ours drains (below); the default closes every socket at once.
        preClose: (done) => done(),
        errorHandler: (error, socket) => {
          logger.info({ err: error.message }, "websocket error");
          // A protocol error (a message over bodyLimit: 1009) already started the close with its code.
          if (socket.readyState === socket.OPEN) socket.terminate();
        },
      });
    }

    const keepalive = setInterval(() => {
      for (const connection of connections) {
        if (!connection.alive) connection.socket.terminate();
        else {
          connection.alive = false;
          connection.socket.ping();
        }
      }
    }, carrier.pingInterval);
    keepalive.unref();
    scope.addHook("preClose", async () => {
      clearInterval(keepalive);
      await Promise.all([...connections].map((connection) => connection.drain()));
    });

    scope.route({
      method: "GET",
      url: "*",
      handler: carrier.dispatch,
      preValidation(request, reply, done) {
        if (!request.ws) return done();
        const { path, query } = splitUrl(request.url, prefix);
        const webhook = pipeline.runtime.webhooks.get(path);
        if (webhook?.config.transport !== "websocket") {
          // The answer the same GET gets, then the socket closes (a 404 is answered outside this scope's hooks).
          reply.raw.once("finish", () => reply.raw.socket?.destroy());
          void carrier.dispatch(request, reply)?.catch((error: unknown) => reply.send(error));
          return;
        }
        const decide = (refusal: CoreAnswer | undefined) => {
          if (refusal !== undefined) return refuse(request, reply, refusal);
          const info = { webhook: path, platform: webhook.platform };
          if (carrier.metrics !== undefined) countResponse(carrier.metrics, info, 101, reply.elapsedTime / 1000);
          logAccess(pipeline, { reqId: request.id, method: request.method, url: request.url, ip: request.ip, status: 101, ms: reply.elapsedTime, info });
          done();
        };
        const refusal = upgradeRefusal(pipeline, webhook, request, path, query);
        // A check that fetches keys (a bearer token's JWKS) answers later.
        if (refusal instanceof Promise) refusal.then(decide, (error: unknown) => done(error as Error));
        else decide(refusal);
      },
      wsHandler(socket, request) {
        const { path, query } = splitUrl(request.url, prefix);
        const framing = pipeline.runtime.webhooks.get(path)?.adapters[0]?.adapter.socket;
        // A reload between the check and the upgrade took the webhook away.
        if (framing === undefined) return socket.close(GOING_AWAY, "webhook removed");
        unclaimed.delete(request.raw.socket);
        const connection = serve(socket, request, { path, headers: request.headers, query, framing, limits });
        connections.add(connection);
        socket.on("close", (code) => {
          connections.delete(connection);
          logger.debug({ reqId: request.id, webhook: path, code }, "websocket closed");
        });
      },
    });
  });

  function refuse(request: FastifyRequest, reply: FastifyReply, answer: CoreAnswer): void {
    keepInfo(request, answer.info);
    const out = answerJson(logger, answer, request.id);
    reply.code(out.status).headers(out.headers).send(out.body);
    carrier.observe?.(request, reply);
  }

  /** One socket: its messages to the core, the answers back in arrival order. */
  function serve(socket: WebSocket, request: FastifyRequest, context: SocketContext): Connection {
    let tail: Promise<void> = Promise.resolve();
    let inFlight = 0;
    let messages = 0;
    const connection: Connection = { socket, alive: true, drain };

    socket.on("pong", () => (connection.alive = true));
    socket.on("message", (data, isBinary) => {
      const started = performance.now();
      for (const event of answerFrame(pipeline, context, bytesOf(data), isBinary, `${request.id}:${++messages}`)) queue(event, started);
    });

    function queue(event: FrameEvent, started: number): void {
      if (++inFlight === MAX_IN_FLIGHT) socket.pause();
      const answer = event.answer instanceof Promise ? event.answer.catch((error: unknown) => unexpected(event, error)) : event.answer;
      tail = tail
        .then(() => answer)
        .then((settled) => {
          send(event, settled, started);
          if (--inFlight === MAX_IN_FLIGHT / 2 && socket.isPaused) socket.resume();
        });
    }

    // Never throws: a rejected tail would drop every later answer.
    function send(event: FrameEvent, answer: CoreAnswer, started: number): void {
      try {
        const { frames, status } = framesOf(logger, event, answer);
        if (socket.readyState === socket.OPEN) for (const frame of frames) socket.send(frame);
        const ms = performance.now() - started;
        if (carrier.metrics !== undefined) countResponse(carrier.metrics, answer.info, status, ms / 1000);
        logAccess(pipeline, { reqId: event.id, method: "WS", url: request.url, ip: request.ip, status, ms, info: answer.info });
      } catch (error) {
        logger.error({ reqId: event.id, err: error }, "websocket answer could not be sent");
      }
    }

    async function drain(): Promise<void> {
      // Messages that arrive meanwhile are answered too (503 once the server drains).
      for (let last = tail; ; last = tail) {
        await last;
        if (last === tail) break;
      }
      if (socket.isPaused) socket.resume();
      if (socket.readyState === socket.CLOSED) return;
      const closed = once(socket, "close");
      if (socket.readyState === socket.OPEN) socket.close(GOING_AWAY, "server shutting down");
      await closed;
    }

    return connection;
  }

  function unexpected(event: FrameEvent, error: unknown): CoreAnswer {
    logger.error({ reqId: event.id, err: error }, "unexpected error");
    return fail({}, "WHS_ERR_INTERNAL");
  }
}

const BAD_REQUEST = JSON.stringify(errorBody("WHS_ERR_BAD_REQUEST"));

/** The server's one 'upgrade' listener while the carrier is on (see the module's comment). */
function upgradeListener(server: Server, upgrades: EventEmitter, unclaimed: Set<Duplex>, idle: number) {
  return (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (/^websocket$/i.test(request.headers.upgrade ?? "")) {
      // Until `ws` takes it over (and clears the timeout), an unanswered upgrade's socket closes after requestTimeout.
      unclaimed.add(socket);
      socket.once("close", () => unclaimed.delete(socket));
      (socket as Duplex & { setTimeout(ms: number, done: () => void): void }).setTimeout(idle, () => socket.destroy());
      upgrades.emit("upgrade", request, socket, head);
      return;
    }
    const response = new ServerResponse(request);
    response.assignSocket(socket as never);
    response.shouldKeepAlive = false;
    response.once("finish", () => socket.destroy());
    const length = request.headers["content-length"];
    if (request.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0")) {
      response.writeHead(400, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(BAD_REQUEST) }).end(BAD_REQUEST);
      return;
    }
    server.emit("request", request, response);
  };
}

/** The refusal of an upgrade on a websocket webhook, before it is accepted; undefined accepts it. */
function upgradeRefusal(pipeline: Pipeline, webhook: CompiledWebhook, request: FastifyRequest, path: string, query: string): CoreAnswer | undefined | Promise<CoreAnswer | undefined> {
  const info = { webhook: path, platform: webhook.platform };
  if (pipeline.state.draining) return fail(info, "WHS_ERR_UNAVAILABLE", undefined, { connection: "close" });
  // An upgrade skips the server's request listener, where plain requests get this check.
  if (!hostIsValid(request.raw)) return fail(info, "WHS_ERR_BAD_REQUEST");
  // What `ws` checks, answered from the error table instead of its plain-text 400.
  const key = request.headers["sec-websocket-key"];
  const version = request.headers["sec-websocket-version"];
  if (typeof key !== "string" || !KEY.test(key.trim()) || (version !== "13" && version !== "8")) return fail(info, "WHS_ERR_BAD_REQUEST");
  // Header checks only: an upgrade has no body (the config refuses a signature on a websocket webhook).
  const denied = webhook.adapters[0]?.auth?.({ headers: request.headers, rawBody: EMPTY, now: Date.now(), url: query === "" ? path : `${path}?${query}`, body: undefined });
  const answer = (failure: AuthFailure | undefined) => (failure === undefined ? undefined : fail(info, failure.code, failure.args, failure.headers));
  return denied instanceof Promise ? denied.then(answer) : answer(denied);
}

function splitUrl(url: string, prefix: string): { path: string; query: string } {
  const at = url.indexOf("?");
  const full = at === -1 ? url : url.slice(0, at);
  return { path: prefix === "" ? full : full.slice(prefix.length), query: at === -1 ? "" : url.slice(at + 1) };
}

/** A message as one buffer (`ws` hands fragments over joined, as a Buffer by default). */
function bytesOf(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}
