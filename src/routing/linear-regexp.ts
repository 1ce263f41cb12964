/**
 * @module `matches` patterns that cannot backtrack for long: V8 runs them on its fast
 * backtracking engine and, past 50,000 backtracks in one match, switches that match to its
 * linear-time engine, so no pattern a config author writes (`^(a+)+$`, say) can stall the event
 * loop, while ordinary patterns keep their ~40 ns speed (the linear engine alone is ~50x slower).
 * The switch needs a pattern the linear engine can run: backreferences and lookarounds are
 * refused at load with a reason; `(?i)` is kept by folding the pattern's letters into
 * classes (`a` → `[aA]`) instead of the `i` flag, which the linear engine lacks.
 * @see https://v8.dev/blog/non-backtracking-regexp
 */
import v8 from "node:v8";

let enabled = false;

/**
 * Turns on V8's linear engine and the fallback to it, once, when a config first uses a
 * `matches` pattern (never on import). Process-wide, but they only add the `l` flag and the
 * fallback: no RegExp changes its results, only a match past 50,000 backtracks its engine.
 */
function enableLinearFallback(): void {
  if (enabled) return;
  enabled = true;
  v8.setFlagsFromString("--enable-experimental-regexp-engine");
  v8.setFlagsFromString("--enable-experimental-regexp-engine-on-excessive-backtracks");
}

/**
 * A pattern as a RegExp whose matches fall back to linear time (no `g`/`y`, so `test` keeps no state).
 * @throws Error when the pattern is invalid or uses a feature that needs backtracking.
 * @example linearRegExp("^(a+)+$").test("a".repeat(30) + "!") // false, at once
 */
export function linearRegExp(pattern: string, caseInsensitive = false): RegExp {
  enableLinearFallback();
  try {
    new RegExp(pattern); // a syntax error reads better from the ordinary engine
  } catch (error) {
    throw new Error(`invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`);
  }
  const source = caseInsensitive ? foldCase(pattern) : pattern;
  try {
    // Only a check that the fallback can take over; matching uses the fast engine below.
    // eslint-disable-next-line no-invalid-regexp -- `l` is V8's linear engine, enabled above
    new RegExp(source, "l");
  } catch {
    throw new Error(
      `regular expression ${JSON.stringify(pattern)} cannot be matched in linear time: backreferences (\\1, \\k<name>), and lookarounds ((?=…), (?!…), (?<=…), (?<!…)) are not supported`,
    );
  }
  return new RegExp(source);
}

/** `abc` → `[aA][bB][cC]`, `[a-f]` → `[a-fA-F]`: the `i` flag spelled out for the linear engine. */
export function foldCase(pattern: string): string {
  let out = "";
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    if (ch === "\\") {
      const end = escapeEnd(pattern, i);
      out += pattern.slice(i, end);
      i = end;
    } else if (ch === "[") {
      const { text, end } = foldClass(pattern, i);
      out += text;
      i = end;
    } else if (ch === "(" && pattern[i + 1] === "?" && pattern[i + 2] === "<" && pattern[i + 3] !== "=" && pattern[i + 3] !== "!") {
      const close = pattern.indexOf(">", i);
      const end = close < 0 ? pattern.length : close + 1;
      out += pattern.slice(i, end); // a group's name keeps its case
      i = end;
    } else {
      out += hasCase(ch) ? `[${ch.toLowerCase()}${ch.toUpperCase()}]` : ch;
      i++;
    }
  }
  return out;
}

function hasCase(ch: string): boolean {
  return ch.toLowerCase() !== ch.toUpperCase();
}

/** Where the escape starting at `i` (a backslash) ends. */
function escapeEnd(pattern: string, i: number): number {
  const next = pattern[i + 1];
  if ((next === "p" || next === "P" || next === "k" || next === "u") && (pattern[i + 2] === "{" || pattern[i + 2] === "<")) {
    const close = pattern.indexOf(pattern[i + 2] === "{" ? "}" : ">", i);
    return close < 0 ? pattern.length : close + 1;
  }
  if (next === "x") return i + 4;
  if (next === "u") return i + 6;
  if (next === "c") return i + 3;
  return i + 2;
}

/** A character class with each letter's other case added (ranges of one case get their twin). */
function foldClass(pattern: string, start: number): { text: string; end: number } {
  let i = start + 1;
  if (pattern[i] === "^") i++;
  if (pattern[i] === "]") i++; // a leading ] is literal
  const extra: string[] = [];
  while (i < pattern.length && pattern[i] !== "]") {
    if (pattern[i] === "\\") {
      i = escapeEnd(pattern, i);
      continue;
    }
    const ch = pattern[i] as string;
    if (pattern[i + 1] === "-" && pattern[i + 2] !== undefined && pattern[i + 2] !== "]" && pattern[i + 2] !== "\\") {
      const to = pattern[i + 2] as string;
      if (/[a-z]/.test(ch) && /[a-z]/.test(to)) extra.push(`${ch.toUpperCase()}-${to.toUpperCase()}`);
      else if (/[A-Z]/.test(ch) && /[A-Z]/.test(to)) extra.push(`${ch.toLowerCase()}-${to.toLowerCase()}`);
      i += 3;
      continue;
    }
    if (hasCase(ch)) extra.push(ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase());
    i++;
  }
  const end = Math.min(i + 1, pattern.length);
  const body = pattern.slice(start, i);
  return { text: `${body}${extra.join("")}${pattern.slice(i, end)}`, end };
}
