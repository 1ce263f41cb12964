/**
 * @module The request a handler call belongs to, carried through its callbacks and promises
 * (AsyncLocalStorage), so a rejection it leaves unhandled or an exception its timer throws is
 * logged with the request id and route that caused it.
 * @see https://nodejs.org/api/async_context.html#class-asynclocalstorage
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface HandlerScope {
  reqId?: string;
  webhook: string;
  route?: string;
}

export const handlerScope = new AsyncLocalStorage<HandlerScope>();
