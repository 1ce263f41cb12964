/** @module pino's levels, the `logLevel` key's and `--log-level`'s choices. */

/** Most severe first; `silent` writes nothing. */
export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export type LogLevel = (typeof logLevels)[number];
