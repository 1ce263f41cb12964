/**
 * The alexa scheme against a test CA (test/fixtures/auth/alexa/make-certs.sh made it with
 * openssl): chains are served by a local HTTPS server on 127.0.0.1 under the test root, and the
 * scheme's injected fetch sends Amazon's URLs there (test/helpers/alexa-test-ca.ts). Bodies
 * are signed with node:crypto and the leaf's key, independently of the scheme.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alexaCertUrl, createAlexaScheme } from "../../../src/auth/alexa-signature.js";
import type { AuthCheck, AuthFailure } from "../../../src/auth/types.js";
import { errorCodes } from "../../../src/errors.js";
import { CERT_URL, fixture, signedAlexaRequest, startChainServer, TEST_ROOT, type ChainServer } from "../../helpers/alexa-test-ca.js";
import { hmacConfig } from "./fake-adapters.js";

// Inside the fixtures' validity (2025–2045), whatever day the tests run.
const NOW = Date.UTC(2030, 5, 1, 12, 0, 0);

let chains: ChainServer;
let fetched: string[] = [];
beforeAll(async () => {
  chains = await startChainServer();
  fetched = chains.fetched;
});
afterAll(() => chains.close());

const scheme = (options: Parameters<typeof createAlexaScheme>[0] = {}) => createAlexaScheme({ fetchText: chains.fetchText, trustedRoots: [TEST_ROOT], ...options });
const compile = (options?: Parameters<typeof createAlexaScheme>[0]): AuthCheck => scheme(options).compile(hmacConfig([]), {});

const alexaRequest = (timestamp: string, certUrl = CERT_URL, key?: string) => signedAlexaRequest(timestamp, NOW, certUrl, key);
const fresh = (certUrl?: string, key?: string) => alexaRequest(new Date(NOW - 1000).toISOString(), certUrl, key);

const FAILED: AuthFailure = { code: "WHS_ERR_AUTH_FAILED" };

describe("alexaCertUrl (Amazon's rules for SignatureCertChainUrl)", () => {
  it.each([
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
    "HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
  ])("accepts %s", (url) => {
    expect(alexaCertUrl(url)).toBe("https://s3.amazonaws.com/echo.api/echo-api-cert.pem");
  });

  it.each([
    "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://notamazon.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
    "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
    "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../other/cert.pem",
    "https://s3.amazonaws.com.evil.example/echo.api/cert.pem",
    "https://user@s3.amazonaws.com/echo.api/cert.pem",
    "not a url",
  ])("refuses %s", (url) => {
    expect(alexaCertUrl(url)).toBeUndefined();
  });
});

describe("the alexa scheme", () => {
  it("passes a body signed with the chain's leaf key; the chain is fetched once, then the check is synchronous", async () => {
    const check = compile();
    const before = fetched.length;
    const first = check(fresh());
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toBeUndefined();
    const second = check(fresh());
    expect(second).toBeUndefined();
    expect(fetched.slice(before)).toEqual(["/echo.api/echo-api-cert.pem"]);
  });

  it("fetches a chain once for requests that arrive while it loads", async () => {
    const check = compile();
    const before = fetched.length;
    const answers = await Promise.all([check(fresh()), check(fresh()), check(fresh())]);
    expect(answers).toEqual([undefined, undefined, undefined]);
    expect(fetched.length - before).toBe(1);
  });

  it("refuses a changed body, and a signature by another key", async () => {
    const check = compile();
    const req = fresh();
    expect(await check({ ...req, rawBody: Buffer.from(req.rawBody.toString().replace("LaunchRequest", "IntentRequest")) })).toEqual(FAILED);
    expect(await check(fresh(CERT_URL, fixture("server.key")))).toEqual(FAILED);
    expect(await check({ ...req, headers: { ...req.headers, "signature-256": "bm90IGEgc2lnbmF0dXJl" } })).toEqual(FAILED);
  });

  it("answers 400 naming a missing header", () => {
    const check = compile();
    const req = fresh();
    const failure = check({ ...req, headers: { "signature-256": "x" } }) as AuthFailure;
    expect(failure).toEqual({ code: "WHS_ERR_AUTH_MISSING", args: ["signaturecertchainurl"] });
    expect(errorCodes[failure.code].status).toBe(400);
    expect(check({ ...req, headers: { signaturecertchainurl: CERT_URL } })).toEqual({ code: "WHS_ERR_AUTH_MISSING", args: ["signature-256"] });
  });

  it("refuses a certificate URL off Amazon's bucket without fetching it", () => {
    const check = compile();
    const before = fetched.length;
    expect(check(fresh("https://s3.amazonaws.com/other/echo-api-cert.pem"))).toEqual(FAILED);
    expect(check(fresh("https://example.com/echo.api/echo-api-cert.pem"))).toEqual(FAILED);
    expect(fetched.length).toBe(before);
  });

  it("refuses request.timestamp more than 150 s away (400), or missing (401), before any fetch", () => {
    const check = compile();
    const before = fetched.length;
    const stale = check(alexaRequest(new Date(NOW - 151_000).toISOString())) as AuthFailure;
    expect(stale).toEqual({ code: "WHS_ERR_REQUEST_STALE" });
    expect(check(alexaRequest(new Date(NOW + 151_000).toISOString()))).toEqual({ code: "WHS_ERR_REQUEST_STALE" });
    expect(check(alexaRequest("yesterday"))).toEqual(FAILED);
    const req = fresh();
    expect(check({ ...req, body: { request: {} } })).toEqual(FAILED);
    expect(fetched.length).toBe(before);
  });

  it.each([
    ["an expired leaf", "expired"],
    ["a leaf not for echo-api.amazon.com (a wildcard is not enough)", "wrong-san"],
    ["a chain under a root that is not trusted (same names, other keys)", "untrusted"],
    ["a leaf without its intermediate", "leaf-only"],
    ["a leaf naming the intermediate as issuer but not signed by it", "forged"],
    ["an answer that is no PEM", "junk"],
    ["a URL the bucket does not have (404)", "missing"],
  ])("refuses %s", async (_name, file) => {
    expect(await compile()(fresh(`https://s3.amazonaws.com/echo.api/${file}.pem`))).toEqual(FAILED);
  });

  it("remembers a refused chain for a while instead of fetching it for every request", async () => {
    const check = compile();
    const before = fetched.length;
    const url = "https://s3.amazonaws.com/echo.api/untrusted.pem";
    expect(await check(fresh(url))).toEqual(FAILED);
    expect(check(fresh(url))).toEqual(FAILED);
    expect(fetched.length - before).toBe(1);
  });

  it("refuses once the cached chain's validity has passed", async () => {
    const check = compile();
    expect(await check(fresh())).toBeUndefined();
    const later = Date.UTC(2046, 0, 1);
    const req = alexaRequest(new Date(later).toISOString());
    expect(await check({ ...req, now: later })).toEqual(FAILED);
  });

  it("answers 503 when the chain cannot be fetched (5xx, no answer in time), and does not hang", async () => {
    const broken = await compile()(fresh("https://s3.amazonaws.com/echo.api/broken.pem"));
    expect(broken).toEqual({ code: "WHS_ERR_AUTH_UNAVAILABLE" });
    expect(errorCodes.WHS_ERR_AUTH_UNAVAILABLE.status).toBe(503);
    expect(await compile({ timeout: 50 })(fresh("https://s3.amazonaws.com/echo.api/hang.pem"))).toEqual({ code: "WHS_ERR_AUTH_UNAVAILABLE" });
  });

  it("answers 503 when the fetch throws something unexpected, and never rejects", async () => {
    const check = compile({ fetchText: () => Promise.reject(new TypeError("fetch failed")) });
    expect(await check(fresh())).toEqual({ code: "WHS_ERR_AUTH_UNAVAILABLE" });
  });

  it("trusts Node's bundled roots by default, so the test root is refused", async () => {
    expect(await createAlexaScheme({ fetchText: chains.fetchText }).compile(hmacConfig([]), {})(fresh())).toEqual(FAILED);
  });
});
