/**
 * @module Durations (`4s`) and sizes (`1mb`) as written in the config, to milliseconds and bytes.
 * Numbers are taken as they are (ms, bytes). Pure; a bad value gives `undefined`, the caller makes the issue.
 */

/** Durations: a number with `ms`, `s`, `m` or `h`. Also used as the schema pattern. */
export const DURATION_PATTERN = "^[0-9]+(\\.[0-9]+)?\\s*(ms|s|m|h)$";
/** Sizes: a number with `b`, `kb`, `mb` or `gb` (1kb = 1024 bytes, like Fastify and `bytes`). */
export const SIZE_PATTERN = "^[0-9]+(\\.[0-9]+)?\\s*([kKmMgG]?[bB])$";

export const DURATION_HINT = "must be a duration like 500ms, 4s, 10m, 1h or a number of milliseconds";
export const SIZE_HINT = "must be a size like 512b, 16kb, 1mb or a number of bytes";

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const sizeUnits: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/**
 * Milliseconds, or undefined when the value is not a duration.
 * @example parseDuration("4s") // 4000
 * @example parseDuration(250)  // 250
 */
export function parseDuration(value: string | number): number | undefined {
  return parseWithUnit(value, DURATION_PATTERN, durationUnits);
}

/**
 * Bytes, or undefined when the value is not a size.
 * @example parseSize("16kb") // 16384
 * @example parseSize(512)    // 512
 */
export function parseSize(value: string | number): number | undefined {
  return parseWithUnit(value, SIZE_PATTERN, sizeUnits);
}

function parseWithUnit(value: string | number, pattern: string, units: Record<string, number>): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const match = new RegExp(pattern).exec(value.trim());
  if (!match) return undefined;
  const unit = units[(match[2] ?? "").toLowerCase()];
  if (unit === undefined) return undefined;
  // Whole milliseconds / bytes: "1.5kb" is 1536, "0.5ms" rounds.
  return Math.round(Number.parseFloat(value) * unit);
}
