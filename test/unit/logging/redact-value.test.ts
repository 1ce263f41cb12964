/** Copying what a handler logged or the inspector keeps: secrets out, markers for what JSON cannot hold, never a throw. */
import { describe, expect, it } from "vitest";
import { copyRedacted, redactLogged } from "../../../src/logging/redact-value.js";

const redaction = { secrets: ["20241207", "s3cret-value"], secretHeaders: new Set(["x-token", "cookie"]) };

describe("copyRedacted", () => {
  it("replaces what it cannot copy with markers and never throws", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const getter = Object.defineProperty({}, "boom", {
      enumerable: true,
      get() {
        throw new Error("no");
      },
    });
    const proxy = new Proxy({}, { ownKeys: () => { throw new Error("no"); } });
    expect(copyRedacted({ cyclic, big: 10n, fn: () => 1, getter, proxy, nan: Number.NaN }, redaction, 10_000)).toEqual({
      cyclic: { a: 1, self: "[circular]" },
      big: "10n",
      fn: "[function]",
      getter: { boom: "[unreadable]" },
      proxy: "[unreadable]",
      nan: "NaN",
    });
  });

  it("hides secrets in strings, keys and numbers, and credential headers at any depth", () => {
    const copy = copyRedacted({ orderNo: 202412071, note: "key s3cret-value here", deep: { seen: { "X-Token": "wrong", cookie: "a=b" } } }, redaction, 10_000);
    expect(copy).toEqual({ orderNo: "[redacted]", note: "key [redacted] here", deep: { seen: { "X-Token": "[redacted]", cookie: "[redacted]" } } });
  });

  it("keeps a __proto__ key as data, and stops at the byte budget", () => {
    const copy = copyRedacted(JSON.parse('{"__proto__":{"polluted":true}}'), redaction, 1000) as Record<string, unknown>;
    expect(Object.keys(copy)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const wide = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]));
    expect(JSON.stringify(copyRedacted(wide, redaction, 4096)).length).toBeLessThan(4096 + 64);
  });
});

describe("redactLogged", () => {
  it("returns the same object when nothing needs hiding, and a copy otherwise", () => {
    const clean = { a: 1, b: { c: "x" } };
    expect(redactLogged(clean, redaction)).toBe(clean);
    const headers = { seen: { cookie: "a=b", accept: "*/*" } };
    expect(redactLogged(headers, redaction)).toEqual({ seen: { cookie: "[redacted]", accept: "*/*" } });
    expect(headers.seen.cookie).toBe("a=b");
    const error = new Error("s3cret-value");
    expect((redactLogged({ err: error }, redaction) as { err: unknown }).err).toBe(error);
  });
});
