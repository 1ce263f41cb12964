/**
 * @module Shared, frozen failure values, so a refused request allocates nothing.
 */
import type { AuthFailure } from "./types.js";

/** 401, for every wrong credential or signature (the message never says which). */
export const AUTH_FAILED: AuthFailure = Object.freeze({ code: "WHS_ERR_AUTH_FAILED" });

/** 400, for a request whose date header is older than the platform allows. */
export const REQUEST_STALE: AuthFailure = Object.freeze({ code: "WHS_ERR_REQUEST_STALE" });

/** 503, when a check cannot be made now: the keys or certificates it needs could not be fetched. */
export const AUTH_UNAVAILABLE: AuthFailure = Object.freeze({ code: "WHS_ERR_AUTH_UNAVAILABLE" });
