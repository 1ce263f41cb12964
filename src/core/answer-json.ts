/**
 * @module A core answer as the text a carrier writes (JSON, or the adapter's own text), with its content type. A reply
 * that cannot become JSON (a circular object, a BigInt) is a handler fault (500), logged.
 */
import type { Logger } from "pino";
import { errorBody, errorCodes, type ErrorCode } from "../errors.js";
import type { CoreAnswer, RequestInfo } from "./types.js";

export interface JsonAnswer {
  status: number;
  headers: Record<string, string>;
  /** JSON text; "" for an empty answer. */
  body: string;
  info: RequestInfo;
}

const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

export function answerJson(logger: Logger, answer: CoreAnswer, id: string): JsonAnswer {
  const { info } = answer;
  if (answer.text !== undefined) return { status: answer.status, headers: { ...answer.headers }, body: answer.text, info };
  if (answer.body === undefined) return { status: answer.status, headers: { ...answer.headers }, body: "", info };
  try {
    // A literal when there are no extra headers (most answers): no spread of `undefined`.
    const headers = answer.headers === undefined ? { "content-type": JSON_CONTENT_TYPE } : { "content-type": JSON_CONTENT_TYPE, ...answer.headers };
    return { status: answer.status, headers, body: answer.json ?? JSON.stringify(answer.body), info };
  } catch (error) {
    const code: ErrorCode = info.route !== undefined ? "WHS_ERR_HANDLER_FAILED" : "WHS_ERR_INTERNAL";
    if (info.route !== undefined) info.outcome = "error";
    logger.error({ reqId: id, webhook: info.webhook, route: info.route, err: error }, "handler reply cannot be serialized to JSON");
    return { status: errorCodes[code].status, headers: { "content-type": JSON_CONTENT_TYPE }, body: JSON.stringify(errorBody(code)), info };
  }
}
