/**
 * @module The server's response class: once draining, every answer says `Connection: close`
 * and its connection closes after it, including answers to requests that were in flight when
 * the drain began. A keep-alive answer would invite the client's next request onto a
 * connection the drain is about to close (and it would then get a 503 or a reset).
 * @see https://nodejs.org/api/http.html#httpcreateserveroptions-requestlistener (`ServerResponse`)
 */
import { ServerResponse, type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders } from "node:http";

/** `ServerResponse` that drops keep-alive while `state.draining`. */
export function closingResponse(state: { readonly draining: boolean }): typeof ServerResponse<IncomingMessage> {
  return class ClosingResponse extends ServerResponse<IncomingMessage> {
    // Every answer's headers pass here: `end()` without it calls it too (`_implicitHeader`).
    override writeHead(statusCode: number, ...rest: [(string | OutgoingHttpHeaders | OutgoingHttpHeader[])?, (OutgoingHttpHeaders | OutgoingHttpHeader[])?]): this {
      // Node then writes `Connection: close` and ends the socket after this answer.
      if (state.draining) this.shouldKeepAlive = false;
      return (super.writeHead as (...args: unknown[]) => this)(statusCode, ...rest);
    }
  };
}
