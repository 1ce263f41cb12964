/**
 * The shared suite every platform adapter passes (hono's router `runTest` pattern).
 * Call `runAdapterSuite(adapter, cases)` from test/platforms/<name>.test.ts.
 */
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { compileKey } from "../../src/dedupe/dedupe-key.js";
import { pickPlatform } from "../../src/platforms/pick-platform.js";
import { allAdapters, detectAdapter } from "../../src/platforms/registry.js";
import type { AdapterResponse, PlatformAdapter, SampleTurn } from "../../src/platforms/types.js";
import type { Reply } from "../../src/types.js";

export interface AdapterSuiteOptions {
  /** Turns to build with sample(); each must keep its routing keys through parse(). */
  samples: SampleTurn[];
  /** True when the adapter's detect() is a fallback that accepts any object (generic). */
  acceptsAnything?: boolean;
  /** True for a platform `platform: auto` does not try (one registered with registerPlatform). */
  notInAuto?: boolean;
}

const ajv = new Ajv({ allErrors: true, strict: false });

/** Every Reply field at once; each adapter sends what its platform has and skips the rest. */
const fullReply: Reply = {
  text: ["Hello there", "Anything else?"],
  displayText: "Hello there!",
  data: { custom: { a: 1 } },
  messages: [
    { text: "More text" },
    { card: { title: "Card", subtitle: "Sub", imageUrl: "https://example.com/c.png", buttons: [{ text: "Go", postback: "https://example.com" }] } },
    { quickReplies: { title: "Pick one", replies: ["Yes", "No"] } },
    { image: { imageUrl: "https://example.com/i.png", accessibilityText: "An image" } },
    { payload: { custom: true } },
  ],
  contexts: [{ name: "weather", lifespan: 2, params: { city: "Rome" } }],
  followupEvent: { name: "follow", params: { a: "b" }, lang: "en" },
  session: { values: { kept: "v", removed: null } },
  actions: [],
  targetPage: "projects/p/locations/global/agents/a/flows/f/pages/confirm",
  mergeBehavior: "APPEND",
  dialogAction: { type: "Close" },
};

/** Replies an adapter may write the JSON of itself (AdapterResponse.json), with text that needs escaping. */
const TEXT_CASES: (Reply | null)[] = [
  { text: "Hello there" },
  { text: ["Two", "texts", ""] },
  { text: 'Quotes " and \\ backslash, new\nline, tab\t, control \u0001, emoji 😀, lone \ud800 surrogate' },
  { text: "" },
  { text: [] },
  { text: "With data", data: { a: 1 } },
  { text: "With native", native: { zz: 1 } },
  { text: "With a context", contexts: [{ name: "c" }] },
  { text: "With a message", messages: [{ text: "more" }] },
  { text: "With session and actions", session: { values: { a: 1 } }, actions: [] },
  fullReply,
  null,
];

export function runAdapterSuite(adapter: PlatformAdapter, options: AdapterSuiteOptions): void {
  describe(`adapter conformance: ${adapter.name}`, () => {
    const validateRequest = ajv.compile(adapter.requestSchema);
    const validateResponse = ajv.compile(adapter.responseSchema);
    /** A JSON answer the response schema accepts, or a text one (XML, plain) with its media type. */
    const expectValidResponse = (res: AdapterResponse) => {
      if (res.text !== undefined) {
        expect(res.body).toBeUndefined();
        expect(res.type ?? "text/plain").toMatch(/^[\w.+-]+\/[\w.+-]+/);
      } else expect(validateResponse(res.body), JSON.stringify(validateResponse.errors)).toBe(true);
    };

    it("schemas compile under ajv's default (strict) options without warnings", () => {
      const warnings: unknown[] = [];
      const logger = { log: () => undefined, warn: (w: unknown) => warnings.push(w), error: (e: unknown) => warnings.push(e) };
      const strictAjv = new Ajv({ allErrors: true, logger });
      strictAjv.compile(adapter.requestSchema);
      strictAjv.compile(adapter.responseSchema);
      expect(warnings).toEqual([]);
    });

    if (adapter.dedupeKey !== undefined) {
      it(`the default dedupe key (${adapter.dedupeKey}) reads each delivery's own id`, () => {
        const readKey = compileKey(adapter.dedupeKey!);
        const turn = options.samples[0]!;
        const first = readKey(adapter.sample({ ...turn, deliveryId: "delivery-1" }), {});
        const second = readKey(adapter.sample({ ...turn, deliveryId: "delivery-2" }), {});
        expect(first).toBe("delivery-1");
        expect(second).toBe("delivery-2");
      });
    }

    it("has a name, a description and a default timeout under 30 s", () => {
      expect(adapter.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(adapter.description.length).toBeGreaterThan(0);
      expect(adapter.defaultTimeout).toBeGreaterThan(0);
      expect(adapter.defaultTimeout).toBeLessThanOrEqual(30_000);
    });

    for (const input of options.samples) {
      const label = JSON.stringify(input);

      it(`sample() is schema-valid and detected: ${label}`, () => {
        const body = adapter.sample(input);
        expect(validateRequest(body), JSON.stringify(validateRequest.errors)).toBe(true);
        expect(adapter.detect(body)).toBe(true);
      });

      it(`parse(sample()) keeps routing keys, params and text: ${label}`, () => {
        const body = adapter.sample(input);
        const turn = adapter.parse(body, {});
        expect(turn.platform).toBe(adapter.name);
        for (const key of ["intent", "action", "event", "tag", "text"] as const) {
          if (input[key] !== undefined) expect(turn[key], key).toBe(input[key]);
        }
        for (const [name, value] of Object.entries(input.params ?? {})) {
          expect(turn.params[name], `params.${name}`).toEqual(value);
        }
        expect(turn.raw).toBe(body);
        expect(turn.session.values).toBeTypeOf("object");
        expect(Array.isArray(turn.contexts)).toBe(true);
      });

      it(`serialize(text) is a valid response: ${label}`, () => {
        const turn = adapter.parse(adapter.sample(input), {});
        const res = adapter.serialize({ text: "Hello there" }, turn);
        expect(res.status).toBe(200);
        expectValidResponse(res);
        expect(res.text ?? JSON.stringify(res.body)).toContain("Hello there");
      });
    }

    it("serialize(a reply with every field) is a valid response", () => {
      const turn = adapter.parse(adapter.sample(options.samples[0] ?? {}), {});
      const res = adapter.serialize(fullReply, turn);
      expect(res.status).toBe(200);
      expectValidResponse(res);
    });

    it("serialize(null) is the platform's 'no answer'", () => {
      const turn = adapter.parse(adapter.sample(options.samples[0] ?? {}), {});
      const res = adapter.serialize(null, turn);
      expect([200, 204]).toContain(res.status);
      if (res.status === 204) expect(res.body).toBeUndefined();
      else expectValidResponse(res);
    });

    it("native is deep-merged last and wins (JSON answers)", () => {
      const turn = adapter.parse(adapter.sample(options.samples[0] ?? {}), {});
      const res = adapter.serialize({ text: "x", native: { zzNative: { a: 1 } } }, turn);
      if (res.text === undefined) expect((res.body as Record<string, unknown>).zzNative).toEqual({ a: 1 });
      else expect(res.text).not.toContain("zzNative");
    });

    it("a JSON text it writes itself is exactly JSON.stringify(body)", () => {
      const turn = adapter.parse(adapter.sample(options.samples[0] ?? {}), {});
      for (const reply of TEXT_CASES) {
        const res = adapter.serialize(reply, turn);
        if (res.json !== undefined) expect(res.json, JSON.stringify(reply)).toBe(JSON.stringify(res.body));
      }
    });

    const { socket } = adapter;
    if (socket !== undefined) {
      it("its socket framing reads each sample as an event and sends a text answer as text frames, nothing for a 204", () => {
        for (const input of options.samples) {
          const body = adapter.sample(input);
          expect(socket.events?.(body) ?? [body]).toContainEqual(body);
          const turn = adapter.parse(body, {});
          const frames = socket.frames(adapter.serialize({ text: "Hello there" }, turn), body);
          expect(frames.length).toBeGreaterThan(0);
          for (const frame of frames) expect(frame).toBeTypeOf("string");
          expect(frames.join("")).toContain("Hello there");
          const none = adapter.serialize(null, turn);
          if (none.status === 204) expect(socket.frames(none, body)).toEqual([]);
        }
      });
    }

    it("detect() never throws on odd input", () => {
      for (const odd of [null, undefined, 1, "x", [], {}, { result: null }, { queryResult: 1 }]) {
        expect(() => adapter.detect(odd)).not.toThrow();
      }
    });

    it("requestSchema rejects bodies that are not objects", () => {
      for (const odd of [null, 1, "x", []]) expect(validateRequest(odd), JSON.stringify(odd)).toBe(false);
    });

    if (!options.acceptsAnything) {
      it("requestSchema rejects an empty object and names the missing field", () => {
        expect(validateRequest({})).toBe(false);
        expect(validateRequest.errors?.[0]?.message).toMatch(/required property/);
      });
    }

    if (!options.acceptsAnything && !options.notInAuto) {
      it("the shared selection (platform: auto) takes its own sample for it and no other adapter's", () => {
        expect(detectAdapter(adapter.sample(options.samples[0] ?? {}))).toBe(adapter);
        for (const other of allAdapters()) {
          if (other === adapter) continue;
          const body = other.sample(options.samples[0] ?? {});
          expect(pickPlatform([adapter, other], body, (a) => a), `${other.name}'s sample not taken for ${other.name} alone`).toBe(other);
        }
      });
    }
  });
}
