/**
 * @module The core for socket carriers: one WebSocket message on a webhook path in, the core's
 * answer to each event in it out, then those answers as text frames. Each event goes through
 * `Pipeline.answer`, the function an HTTP POST goes through (auth on the upgrade's headers,
 * schema, routing, handlers under their deadline, the adapter's serialize), on the runtime
 * current when the message arrives. The message is held to `bodyLimit` and parsed as JSON
 * within `maxDepth`; the platform's framing (PlatformAdapter.socket) splits it into events and
 * turns each answer into frames. An error (status 400 and up) goes back as its error body, one
 * frame, and the socket stays open.
 */
import type { Logger } from "pino";
import type { BodyLimits } from "./read-body.js";
import { answerJson } from "./answer-json.js";
import { fail, type Pipeline } from "./handle.js";
import type { CoreAnswer, CoreRequest } from "./types.js";
import { errorBody, type ErrorCode } from "../errors.js";
import { parseJson } from "../platforms/body-decoders.js";
import type { AdapterResponse, SocketFraming } from "../platforms/types.js";
import type { Headers } from "../types.js";

/** What a socket keeps from its upgrade request. */
export interface SocketContext {
  /** The webhook path (without the plugin's prefix). */
  path: string;
  /** The upgrade's headers: every event is checked against the webhook's auth with them, as a POST is. */
  headers: Headers;
  /** The upgrade's query string, without `?`. */
  query: string;
  /** The framing at the upgrade, kept for a reload that removes the webhook. */
  framing: SocketFraming;
  /** The limits the server started with (as for POST bodies, a change needs a restart). */
  limits: BodyLimits;
}

/** One event of a message, and the core's answer to it, ready now or later. */
export interface FrameEvent {
  /** The request id its log lines carry. */
  id: string;
  /** The event as parsed; undefined when the message was refused whole. */
  body: unknown;
  answer: CoreAnswer | Promise<CoreAnswer>;
  /** The framing its answer is written with. */
  framing: SocketFraming;
}

/**
 * A message → its events, each already handed to the core (handlers run concurrently; the
 * carrier sends the answers in this order). `id` is the message's; several events get `.1`, `.2`.
 */
export function answerFrame(pipeline: Pipeline, socket: SocketContext, data: Buffer, isBinary: boolean, id: string): FrameEvent[] {
  // A reload may change the platform's framing; a webhook it removed answers 404 with the old one.
  const framing = pipeline.runtime.webhooks.get(socket.path)?.adapters[0]?.adapter.socket ?? socket.framing;
  const refused = (code: ErrorCode, args?: (string | number)[]) => [{ id, body: undefined, answer: fail({ webhook: socket.path }, code, args), framing }];
  if (isBinary) return refused("WHS_ERR_FRAME_NOT_TEXT");
  if (data.length > socket.limits.bodyLimit) return refused("WHS_ERR_BODY_TOO_LARGE");
  const parsed = parseJson(data, socket.limits.maxDepth);
  if (!parsed.ok) return refused(parsed.code, parsed.args);
  let events: readonly unknown[];
  try {
    events = framing.events?.(parsed.value) ?? [parsed.value];
  } catch (error) {
    // Adapters are total (the conformance suite); this is a bug, answered like one.
    pipeline.logger.error({ reqId: id, webhook: socket.path, err: error }, "socket framing failed to split a frame");
    return refused("WHS_ERR_INTERNAL");
  }
  return events.map((body, i) => {
    const eventId = events.length === 1 ? id : `${id}.${i + 1}`;
    // The shape dispatch-route builds: every key present. No bodyType: the framing read it, not a media type.
    const request: CoreRequest = { method: "POST", path: socket.path, headers: socket.headers, rawBody: data, body, bodyType: undefined, id: eventId, query: socket.query };
    let answer: CoreAnswer | Promise<CoreAnswer>;
    try {
      answer = pipeline.answer(request);
    } catch (error) {
      pipeline.logger.error({ reqId: eventId, err: error }, "unexpected error");
      answer = fail({ webhook: socket.path }, "WHS_ERR_INTERNAL");
    }
    return { id: eventId, body, answer, framing };
  });
}

/** An answer → the text frames to send (the framing's, or the error body for an error) and the status the access line gives. */
export function framesOf(logger: Logger, event: FrameEvent, answer: CoreAnswer): { frames: readonly string[]; status: number } {
  if (answer.status >= 400) return { frames: [answerJson(logger, answer, event.id).body], status: answer.status };
  const response: AdapterResponse = { status: answer.status, body: answer.body };
  if (answer.json !== undefined) response.json = answer.json;
  if (answer.text !== undefined) {
    response.text = answer.text;
    const type = answer.headers?.["content-type"];
    if (type !== undefined) response.type = type;
  }
  try {
    return { frames: event.framing.frames(response, event.body), status: answer.status };
  } catch (error) {
    // A reply that cannot become JSON (a circular object, a BigInt): a handler fault, as over HTTP.
    const { info } = answer;
    const code: ErrorCode = info.route !== undefined ? "WHS_ERR_HANDLER_FAILED" : "WHS_ERR_INTERNAL";
    if (info.route !== undefined) info.outcome = "error";
    logger.error({ reqId: event.id, webhook: info.webhook, route: info.route, err: error }, "handler reply cannot be sent as socket frames");
    return { frames: [JSON.stringify(errorBody(code))], status: 500 };
  }
}
