/**
 * @module The fuzzer: bodies generated and mutated from the platforms' real sample payloads
 * (fields dropped, retyped, duplicated; unicode, huge numbers, deep nesting, prototype keys,
 * truncated JSON, random JSON) with fuzzed headers (content types, encodings, signatures),
 * sent over HTTP to a running server (127.0.0.1 only). Every answer must be a documented
 * status with an error-table code, never a 500 (no handler of the fuzz config fails), never
 * a hang; the server must still answer /healthz after each batch.
 * @see https://fast-check.dev/docs/core-blocks/arbitraries/
 */
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import fc from "fast-check";

const PAYLOADS = new URL("../../test/fixtures/payloads/", import.meta.url);
const load = (file) => readFileSync(new URL(file, PAYLOADS), "utf8");

/** Each webhook of test/fixtures/fuzz/config.yaml with the real requests it is seeded from. */
export const TARGETS = [
  { path: "/apiai", seeds: [load("apiai/request.json")] },
  { path: "/dialogflow", seeds: [load("dialogflow/request.json")] },
  { path: "/cx", seeds: [load("dialogflow-cx/request.json")] },
  { path: "/hutoma", seeds: [load("hutoma/request.json"), load("hutoma/request-2017.json")] },
  { path: "/clustaar", seeds: [load("clustaar/request.json")] },
  { path: "/aiflow", seeds: [load("aiflow/session_start.request.json"), load("aiflow/user_speak.request.json")] },
  { path: "/rasa", seeds: [load("rasa/request.json")] },
  { path: "/lex", seeds: [load("lex/request.json")] },
  { path: "/generic", seeds: ['{"type":"welcome","data":{"value":"aaaa"},"params":{"a":1}}'] },
  { path: "/auto", seeds: [load("apiai/request.json"), load("rasa/request.json"), load("lex/request.json")] },
];

/** Statuses the error table documents for a request a client can send (no handler fault here). */
export const ALLOWED_STATUS = new Set([200, 204, 400, 401, 404, 405, 413, 415, 429]);

const weird = fc.oneof(
  fc.constantFrom(null, true, false, 0, -0, 1e308, -1e308, 2 ** 53 + 1, "", "__proto__", "constructor", [], {}),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Every path (array of keys) into a JSON value, root excluded. */
function paths(value, prefix = [], out = []) {
  if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) {
      out.push([...prefix, key]);
      if (out.length < 400) paths(value[key], [...prefix, key], out);
    }
  }
  return out;
}

function setAt(root, path, value) {
  let node = root;
  for (const key of path.slice(0, -1)) node = node[key];
  if (value === undefined) delete node[path.at(-1)];
  else Object.defineProperty(node, path.at(-1), { value, enumerable: true, writable: true, configurable: true });
}

/** One mutation of a seed's parsed copy; returns the body text to send. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant("drop"), pick: fc.nat() }),
  fc.record({ op: fc.constant("retype"), pick: fc.nat(), value: weird }),
  fc.record({ op: fc.constant("proto"), pick: fc.nat(), key: fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty"), value: weird }),
  fc.record({ op: fc.constant("deep"), pick: fc.nat(), levels: fc.integer({ min: 20, max: 3000 }) }),
  fc.record({ op: fc.constant("duplicate"), pick: fc.nat(), value: weird }),
  fc.record({ op: fc.constant("truncate"), at: fc.nat() }),
  fc.record({ op: fc.constant("random"), value: fc.jsonValue({ maxDepth: 6 }) }),
  fc.record({ op: fc.constant("big-number"), pick: fc.nat(), digits: fc.integer({ min: 20, max: 400 }) }),
);

function applyMutations(seedText, mutations) {
  let text = seedText;
  for (const m of mutations) {
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      return text; // already broken: send as is
    }
    const all = paths(body);
    const path = all.length > 0 ? all[(m.pick ?? 0) % all.length] : undefined;
    switch (m.op) {
      case "drop":
        if (path) setAt(body, path, undefined);
        text = JSON.stringify(body);
        break;
      case "retype":
        if (path) setAt(body, path, m.value);
        text = JSON.stringify(body);
        break;
      case "proto": {
        const parent = path ? path.slice(0, -1) : [];
        let node = body;
        for (const key of parent) node = node?.[key];
        if (node !== null && typeof node === "object") Object.defineProperty(node, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
        text = JSON.stringify(body);
        break;
      }
      case "deep": {
        const nested = `${'{"n":'.repeat(m.levels)}1${"}".repeat(m.levels)}`;
        text = JSON.stringify(body);
        if (path) setAt(body, path, "\u0000deep\u0000");
        text = JSON.stringify(body).replace('"\\u0000deep\\u0000"', nested);
        break;
      }
      case "duplicate": {
        // Duplicate keys exist only in text: JSON.parse keeps the last one.
        const json = JSON.stringify(body);
        text = json.startsWith("{") && json.length > 2 ? `{"${String(path?.[0] ?? "k")}":${JSON.stringify(m.value) ?? "null"},${json.slice(1)}` : json;
        break;
      }
      case "truncate":
        text = text.slice(0, text.length === 0 ? 0 : m.at % text.length);
        break;
      case "random":
        text = JSON.stringify(m.value);
        break;
      case "big-number":
        if (path) setAt(body, path, "\u0000num\u0000");
        text = JSON.stringify(body).replace('"\\u0000num\\u0000"', "9".repeat(m.digits));
        break;
    }
  }
  return text;
}

const headerCase = fc.record({
  contentType: fc.oneof(
    { weight: 12, arbitrary: fc.constant("application/json") },
    { weight: 1, arbitrary: fc.constantFrom("application/json; charset=utf-8", "application/vnd.api+json", "text/plain", "application/x-www-form-urlencoded", "", "application/json; charset=latin1") },
  ),
  // Bodies are compressed for real with the encoding named, unless `corrupt`.
  encoding: fc.oneof(
    { weight: 10, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom("identity", "gzip", "deflate", "br", "zstd", "GZIP", "gzip, br") },
  ),
  corrupt: fc.boolean(),
  extra: fc.dictionary(
    fc.constantFrom("x-hub-signature", "webhook-id", "webhook-timestamp", "webhook-signature", "date", "authorization", "x-request-id", "x-forwarded-for"),
    fc.string({ unit: "grapheme-ascii", maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
  ),
});

const COMPRESS = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };

/** A whole case: which webhook, which seed, the mutations and the headers. */
export const fuzzCase = fc.record({
  target: fc.nat(),
  seed: fc.nat(),
  mutations: fc.array(mutation, { minLength: 0, maxLength: 4 }),
  headers: headerCase,
});

/** The HTTP request a case becomes. */
export function toRequest(c) {
  const target = TARGETS[c.target % TARGETS.length];
  const seed = target.seeds[c.seed % target.seeds.length];
  const text = applyMutations(seed, c.mutations);
  const headers = { ...c.headers.extra };
  if (c.headers.contentType !== "") headers["content-type"] = c.headers.contentType;
  let body = Buffer.from(text, "utf8");
  const { encoding } = c.headers;
  if (encoding !== undefined) {
    headers["content-encoding"] = encoding;
    const compress = COMPRESS[encoding.toLowerCase()];
    if (compress !== undefined) body = c.headers.corrupt ? body : compress(body);
  }
  return { path: target.path, text, body, headers };
}

/** Why an answer breaks the contract, or undefined when it keeps it. */
export function verdict(status, text, codes) {
  if (!ALLOWED_STATUS.has(status)) return `status ${status}: ${text.slice(0, 200)}`;
  if (status >= 400) {
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      return `status ${status} with a body that is not JSON: ${text.slice(0, 200)}`;
    }
    const code = parsed?.error?.code;
    // Rasa's own "no action" body is `{ error, action_name }` (rasa-sdk's 404).
    if (typeof code !== "string" && typeof parsed?.action_name !== "string") return `status ${status} without an error code: ${text.slice(0, 200)}`;
    if (typeof code === "string" && !codes.has(code)) return `undocumented code ${code}`;
  }
  return undefined;
}

/**
 * Runs `count` cases per webhook against `baseUrl`, `concurrency` at a time.
 * @param {{ baseUrl: string, count: number, seed: number, codes: Set<string>, concurrency?: number, timeoutMs?: number }} options
 * @returns {Promise<{ sent: number, byStatus: Record<number, number>, failures: { request: object, why: string }[] }>}
 */
export async function runFuzz({ baseUrl, count, seed, codes, concurrency = 16, timeoutMs = 5000 }) {
  const total = count * TARGETS.length;
  const cases = fc.sample(fuzzCase, { numRuns: total, seed });
  // Spread each webhook's share evenly: case i goes to webhook i mod N.
  cases.forEach((c, i) => (c.target = i % TARGETS.length));
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const byStatus = {};
  const failures = [];
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const req = toRequest(cases[next++]);
      try {
        const { status, text } = await post(`${baseUrl}${req.path}`, req, agent, timeoutMs);
        byStatus[status] = (byStatus[status] ?? 0) + 1;
        const why = verdict(status, text, codes);
        if (why !== undefined && failures.length < 50) failures.push({ request: describe(req), why });
      } catch (error) {
        if (failures.length < 50) failures.push({ request: describe(req), why: `no answer: ${error.message}` });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return { sent: cases.length, byStatus, failures };
}

/** A failed request as it can be replayed: path, headers and the body before compression. */
function describe(req) {
  return { path: req.path, headers: req.headers, body: req.text.slice(0, 2000) };
}

function post(url, req, agent, timeoutMs) {
  return new Promise((resolve, reject) => {
    const { body } = req;
    const r = request(url, { method: "POST", agent, headers: { ...req.headers, "content-length": body.length } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    r.setTimeout(timeoutMs, () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    r.on("error", reject);
    r.end(body);
  });
}
