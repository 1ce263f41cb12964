/**
 * auth.bearer against a key set served on 127.0.0.1; tokens are made here with jose's SignJWT
 * and keys of our own, as Bot Framework or Google would sign theirs.
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileBearer, BEARER_ALGORITHMS } from "../../../src/auth/bearer-jwt.js";
import { compileAuth } from "../../../src/auth/compile-auth.js";
import type { AuthCheck } from "../../../src/auth/types.js";
import type { BearerAuthConfig } from "../../../src/config/types.js";
import { errorCodes } from "../../../src/errors.js";
import { startLoopbackServer, type LoopbackServer } from "../../helpers/loopback-server.js";
import { NOW, plain } from "./fake-adapters.js";

const ISSUER = "https://api.botframework.com";
const AUDIENCE = "c0ffee00-app-id";
let server: LoopbackServer;
let base = "";
let jwks: object = {};
const requests: string[] = [];
let signing: CryptoKey;
let stranger: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  signing = pair.privateKey;
  stranger = (await generateKeyPair("RS256")).privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: "key-1", alg: "RS256", use: "sig" }] };
  server = await startLoopbackServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.url?.startsWith("/keys")) return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks));
    if (req.url === "/broken") return void res.writeHead(500).end();
    if (req.url === "/not-json") return void res.writeHead(200).end("<html>");
  });
  base = server.base;
});

afterAll(() => server.close());

const config = (overrides: Partial<BearerAuthConfig> = {}): BearerAuthConfig => ({
  jwks: `${base}/keys`,
  issuer: [ISSUER],
  audience: [AUDIENCE],
  algorithms: [...BEARER_ALGORITHMS],
  clockTolerance: 300_000,
  ...overrides,
});

async function token(claims: { iss?: string; aud?: string; exp?: number; nbf?: number } = {}, key = signing, kid = "key-1"): Promise<string> {
  const jwt = new SignJWT({ serviceUrl: "https://smba.trafficmanager.net/teams/" })
    .setProtectedHeader({ alg: "RS256", kid })
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience(claims.aud ?? AUDIENCE)
    .setIssuedAt(NOW / 1000 - 60)
    .setExpirationTime(claims.exp ?? NOW / 1000 + 3600);
  if (claims.nbf !== undefined) jwt.setNotBefore(claims.nbf);
  return jwt.sign(key);
}

const rawBody = Buffer.from('{"type":"message"}');
const request = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization }, rawBody, now: NOW });
const INVALID = { code: "WHS_ERR_AUTH_FAILED", headers: { "www-authenticate": 'Bearer realm="webhook-serve", error="invalid_token"' } };

describe("auth.bearer", () => {
  // The server's port is known once beforeAll ran.
  const check: AuthCheck = (req) => compileBearer(config())(req);

  it("passes a token signed by a key of the set, for our issuer and audience", async () => {
    expect(await check(request(`Bearer ${await token()}`))).toBeUndefined();
    expect(await check(request(`bearer   ${await token()}`))).toBeUndefined();
  });

  it("answers 401 with the challenge when there is no bearer token, at once", () => {
    const missing = { code: "WHS_ERR_AUTH_FAILED", headers: { "www-authenticate": 'Bearer realm="webhook-serve"' } };
    expect(check(request())).toEqual(missing);
    expect(check(request("Basic dTpw"))).toEqual(missing);
    expect(check(request("Bearer"))).toEqual(missing);
  });

  it.each([
    ["another issuer", () => token({ iss: "https://evil.example" })],
    ["another audience (another bot's token from the same key set)", () => token({ aud: "another-app" })],
    ["a key outside the set", () => token({}, stranger)],
    ["an unknown key id signed by a stranger", () => token({}, stranger, "key-2")],
    ["an expired token (beyond the tolerance)", () => token({ exp: NOW / 1000 - 301 })],
    ["a token not valid yet (beyond the tolerance)", () => token({ nbf: NOW / 1000 + 301 })],
    ["a malformed token", () => Promise.resolve("not.a.jwt")],
    ["a token with its signature cut", async () => (await token()).split(".").slice(0, 2).join(".") + "."],
  ])("refuses %s with 401 invalid_token", async (_name, make) => {
    expect(await check(request(`Bearer ${await make()}`))).toEqual(INVALID);
  });

  it("accepts expiry within the clock tolerance, and honours a tighter one", async () => {
    const late = await token({ exp: NOW / 1000 - 200 });
    expect(await check(request(`Bearer ${late}`))).toBeUndefined();
    expect(await compileBearer(config({ clockTolerance: 60_000 }))(request(`Bearer ${late}`))).toEqual(INVALID);
  });

  it("refuses an algorithm not allowed", async () => {
    expect(await compileBearer(config({ algorithms: ["ES256"] }))(request(`Bearer ${await token()}`))).toEqual(INVALID);
  });

  it("fetches the key set once for every webhook naming it", async () => {
    const url = `${base}/keys?shared`;
    const before = requests.length;
    const a = compileBearer(config({ jwks: url }));
    const b = compileBearer(config({ jwks: url }));
    expect(await a(request(`Bearer ${await token()}`))).toBeUndefined();
    expect(await b(request(`Bearer ${await token()}`))).toBeUndefined();
    expect(requests.slice(before)).toEqual(["/keys?shared"]);
  });

  it("answers 503 when the key set cannot be had (5xx, not JSON, no answer in time, refused), and never hangs", async () => {
    const t = `Bearer ${await token()}`;
    expect(await compileBearer(config({ jwks: `${base}/broken` }))(request(t))).toEqual({ code: "WHS_ERR_AUTH_UNAVAILABLE" });
    expect(await compileBearer(config({ jwks: `${base}/not-json` }))(request(t))).toEqual({ code: "WHS_ERR_AUTH_UNAVAILABLE" });
    expect(await compileBearer(config({ jwks: "http://127.0.0.1:1/keys" }))(request(t))).toEqual({ code: "WHS_ERR_AUTH_UNAVAILABLE" });
    // jose aborts a fetch that outlives the deadline.
    const hanging: typeof fetch = (url, init) => fetch(String(url).replace("/keys", "/hang"), { ...init, signal: init?.signal ?? null });
    const started = performance.now();
    expect(await compileBearer(config(), { fetch: hanging, timeout: 50 })(request(t))).toEqual({ code: "WHS_ERR_AUTH_UNAVAILABLE" });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(errorCodes.WHS_ERR_AUTH_UNAVAILABLE.status).toBe(503);
  });

  it("runs after the checks that answer at once, in compileAuth", async () => {
    const auth = compileAuth({ apiKey: { header: "api-key", value: "k" }, bearer: config() }, plain)!;
    expect(auth({ headers: { authorization: `Bearer ${await token()}` }, rawBody, now: NOW })).toEqual({ code: "WHS_ERR_AUTH_MISSING", args: ["api-key"] });
    expect(await auth({ headers: { authorization: `Bearer ${await token()}`, "api-key": "k" }, rawBody, now: NOW })).toBeUndefined();
  });
});
