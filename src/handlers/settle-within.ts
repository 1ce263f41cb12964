/**
 * @module Bounds user module code the server waits on (a handler module's import, its
 * `dispose()`): the result, or `TIMED_OUT` once `ms` have passed. The work itself cannot be
 * cancelled; it is only no longer waited for. The timer never keeps the process alive.
 */
import { setTimeout as delay } from "node:timers/promises";

export const TIMED_OUT = Symbol("timed out");

export async function settleWithin<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  const cancel = new AbortController();
  const expired = delay(ms, TIMED_OUT, { signal: cancel.signal, ref: false });
  expired.catch(() => undefined); // aborted once the work settles
  try {
    return await Promise.race([work, expired]);
  } finally {
    cancel.abort();
  }
}
