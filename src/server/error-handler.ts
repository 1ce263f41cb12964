/**
 * @module Every error Fastify or a step raises becomes `{ error: { code, message } }` with the
 * status from the error table. Fastify's own codes are translated (fastify's AVVIO_ERRORS_MAP idea).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { errorBody, errorCodes, isWebhookServeError, type ErrorCode } from "../errors.js";
import type { ResponseObserver } from "./log-responses.js";

const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "WHS_ERR_BODY_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "WHS_ERR_UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_EMPTY_JSON_BODY: "WHS_ERR_BODY_NOT_JSON",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "WHS_ERR_BODY_NOT_JSON",
  FST_ERR_CTP_EMPTY_TYPE: "WHS_ERR_UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_INVALID_TYPE: "WHS_ERR_UNSUPPORTED_MEDIA_TYPE",
};

/** The handler for an app whose unexpected errors `logger` records (the core's: secrets scrubbed); `observe` logs and counts the answer. */
export function errorHandler(logger: Logger, observe: ResponseObserver | undefined) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    answerError(logger, error, request, reply);
    observe?.(request, reply);
  };
}

function answerError(logger: Logger, error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  let code: ErrorCode;
  let message: string | undefined;
  if (isWebhookServeError(error)) {
    code = error.code;
    message = error.message;
  } else if (error.code !== undefined && FASTIFY_CODES[error.code] !== undefined) {
    code = FASTIFY_CODES[error.code]!;
  } else if (error.statusCode === 400 || error.statusCode === 408) {
    code = "WHS_ERR_BODY_NOT_JSON";
  } else {
    code = "WHS_ERR_INTERNAL";
    logger.error({ reqId: request.id, err: error }, "unexpected error");
  }
  const body = errorBody(code);
  if (message !== undefined) body.error.message = message;
  reply.code(errorCodes[code].status).send(body);
}
