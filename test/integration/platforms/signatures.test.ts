/**
 * Signatures through the built CLI (test/fixtures/platforms/signatures.yaml): the three test
 * vectors of test/fixtures/payloads/README.md sent byte for byte, re-spaced bodies against the
 * original signature, stale timestamps, rotated secrets, missing headers and the HMAC knobs.
 */
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, spawnServer, type RunningServer } from "../../helpers/spawn-server.js";
import { clustaarSignature, errorCode, expectValidResponse, fixture, hutomaSignature, standardWebhooksSignature } from "./platform-helpers.js";

const CONFIG = "test/fixtures/platforms/signatures.yaml";

// test/fixtures/payloads/README.md, "Signature test vectors".
const HUTOMA_VECTOR = {
  key: "0123456789abcdef0123456789abcdef01234567",
  body: '{"intentName":"colour","chatResult":{"query":"blue"}}',
  header: { "x-hub-signature": "sha256=f849db60c068f473f3da1e98c7743f6c9e13064ab922bcb624fbc04a740eb3dc" },
};
const CLUSTAAR_VECTOR = { key: "test", body: "{}", header: { "x-hub-signature": "sha1=fc2bdea0e6a9e0dc333dece7568b5c3337a92342" } };
const SW_VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  body: '{"test": 2432232314}',
  headers: {
    "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "webhook-timestamp": "1614265330",
    "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
  },
};
const SW_NEW_SECRET = "whsec_bmV3LXNlY3JldC1ieXRlcw==";

let server: RunningServer;

beforeAll(async () => {
  server = await spawnServer([CONFIG], { timeoutMs: 30_000 });
});
afterAll(async () => {
  await server?.stop();
});

const send = (path: string, body: string, headers: Record<string, string>) => post(`${server.url}${path}`, body, headers);

function expectUnauthorized(res: { status: number; body: unknown }): void {
  expect(res.status).toBe(401);
  expect(errorCode(res.body)).toBe("WHS_ERR_AUTH_FAILED");
}

/** The same JSON with other bytes: a space after every `:` and `,` outside strings is enough. */
function respace(json: string): string {
  const out = JSON.stringify(JSON.parse(json), null, 1);
  expect(out).not.toBe(json);
  expect(JSON.parse(out)).toEqual(JSON.parse(json));
  return out;
}

describe("hutoma: X-Hub-Signature sha256 over the exact bytes", () => {
  it("accepts the README vector byte for byte (signed with the old, rotated-out secret)", async () => {
    // The vector's header is what our own HMAC computes, so the test's signer is right too.
    expect(hutomaSignature(HUTOMA_VECTOR.key, HUTOMA_VECTOR.body)).toEqual(HUTOMA_VECTOR.header);
    const res = await send("/hutoma", HUTOMA_VECTOR.body, HUTOMA_VECTOR.header);
    expect(res.status, res.text).toBe(200);
    expectValidResponse("hutoma", res.body);
    expect(res.body).toEqual({ text: "You like blue" });
  });

  it("refuses the vector's JSON re-spaced against the original signature", async () => {
    expectUnauthorized(await send("/hutoma", respace(HUTOMA_VECTOR.body), HUTOMA_VECTOR.header));
    expectUnauthorized(await send("/hutoma", `${HUTOMA_VECTOR.body}\n`, HUTOMA_VECTOR.header));
  });

  it("rotation: the new secret passes, the old passes (above), an unknown one fails", async () => {
    const body = JSON.stringify(fixture("hutoma"));
    const ok = await send("/hutoma", body, hutomaSignature("new-hutoma-secret", body));
    expect(ok.status, ok.text).toBe(200);
    expectUnauthorized(await send("/hutoma", body, hutomaSignature("some-other-secret", body)));
  });

  it("refuses a missing header, a wrong prefix and a digest in the wrong algorithm", async () => {
    expectUnauthorized(await send("/hutoma", HUTOMA_VECTOR.body, {}));
    const digest = HUTOMA_VECTOR.header["x-hub-signature"].slice("sha256=".length);
    expectUnauthorized(await send("/hutoma", HUTOMA_VECTOR.body, { "x-hub-signature": `sha1=${digest}` }));
    expectUnauthorized(await send("/hutoma", HUTOMA_VECTOR.body, { "x-hub-signature": digest }));
    const sha1 = createHmac("sha1", HUTOMA_VECTOR.key).update(HUTOMA_VECTOR.body).digest("hex");
    expectUnauthorized(await send("/hutoma", HUTOMA_VECTOR.body, { "x-hub-signature": `sha256=${sha1}` }));
  });

  it("signs the UTF-8 bytes as sent, whatever the charset parameter; an escaped twin of the same JSON fails", async () => {
    const body = '{"intentName":"colour","chatResult":{"query":"café ☕"}}';
    const headers = { ...hutomaSignature("new-hutoma-secret", body), "content-type": "application/json; charset=UTF-8" };
    const ok = await send("/hutoma", body, headers);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toEqual({ text: "You like café ☕" });
    expectUnauthorized(await send("/hutoma", body.replace("é", "\\u00e9"), headers));
  });

  it("never echoes the secret or the signature in the error body", async () => {
    const res = await send("/hutoma", respace(HUTOMA_VECTOR.body), HUTOMA_VECTOR.header);
    expect(res.text).not.toContain(HUTOMA_VECTOR.key);
    expect(res.text).not.toContain("f849db60");
  });
});

describe("clustaar: X-Hub-Signature sha1 over `date=<Date>\\n<body>`", () => {
  it("passes the README vector's signature (no Date header: `date=None`), then refuses `{}` as a Clustaar body", async () => {
    const res = await send("/clustaar", CLUSTAAR_VECTOR.body, CLUSTAAR_VECTOR.header);
    // Not 401: the signature over "date=None\n{}" held; `{}` then fails the request schema.
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe("WHS_ERR_BODY_SHAPE");
  });

  it("refuses the vector re-spaced, and the vector's signature once a Date header is added", async () => {
    expectUnauthorized(await send("/clustaar", "{ }", CLUSTAAR_VECTOR.header));
    expectUnauthorized(await send("/clustaar", CLUSTAAR_VECTOR.body, { ...CLUSTAAR_VECTOR.header, date: new Date().toUTCString() }));
  });

  it("answers a fresh signed fixture, with either rotated secret; refuses an unknown one", async () => {
    const body = JSON.stringify(fixture("clustaar"));
    for (const secret of ["test", "old-clustaar-secret"]) {
      const res = await send("/clustaar", body, clustaarSignature(secret, body));
      expect(res.status, `${secret}: ${res.text}`).toBe(200);
      expectValidResponse("clustaar", res.body);
      expect(res.body).toEqual({ actions: [{ type: "send_text_action", alternatives: ["step 1234"] }], session: null });
    }
    expectUnauthorized(await send("/clustaar", body, clustaarSignature("unknown", body)));
  });

  it("refuses a re-spaced fixture against the original signature", async () => {
    const body = JSON.stringify(fixture("clustaar"));
    const headers = clustaarSignature("test", body);
    expectUnauthorized(await send("/clustaar", respace(body), headers));
  });

  it("refuses a correctly signed request whose Date is older than 10 s with 400 WHS_ERR_REQUEST_STALE", async () => {
    const body = JSON.stringify(fixture("clustaar"));
    const stale = new Date(Date.now() - 15_000).toUTCString();
    const res = await send("/clustaar", body, clustaarSignature("test", body, stale));
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe("WHS_ERR_REQUEST_STALE");
    // 5 s old still passes.
    const recent = new Date(Date.now() - 5_000).toUTCString();
    expect((await send("/clustaar", body, clustaarSignature("test", body, recent))).status).toBe(200);
  });

  it("refuses a missing signature header", async () => {
    const body = JSON.stringify(fixture("clustaar"));
    expectUnauthorized(await send("/clustaar", body, { date: new Date().toUTCString() }));
  });
});

describe("standard-webhooks on a generic webhook", () => {
  it("accepts the README vector where the tolerance is configured huge", async () => {
    const res = await send("/sw-vector", SW_VECTOR.body, SW_VECTOR.headers);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ text: "vector ok" });
  });

  it("refuses the same vector as stale under the default 5 min tolerance (the secret is accepted there)", async () => {
    expectUnauthorized(await send("/sw", SW_VECTOR.body, SW_VECTOR.headers));
    // The same secret and body, timestamped now, pass: it was the timestamp that failed.
    const fresh = standardWebhooksSignature(SW_VECTOR.secret, SW_VECTOR.body);
    expect((await send("/sw", SW_VECTOR.body, fresh)).status).toBe(200);
    // 6 minutes old and 6 minutes ahead both fail.
    const now = Math.floor(Date.now() / 1000);
    expectUnauthorized(await send("/sw", SW_VECTOR.body, standardWebhooksSignature(SW_VECTOR.secret, SW_VECTOR.body, now - 360)));
    expectUnauthorized(await send("/sw", SW_VECTOR.body, standardWebhooksSignature(SW_VECTOR.secret, SW_VECTOR.body, now + 360)));
  });

  it("refuses the vector re-spaced against its original signature", async () => {
    expectUnauthorized(await send("/sw-vector", '{"test":2432232314}', SW_VECTOR.headers));
  });

  it("rotation: new and old secrets pass, an unknown one fails; one matching entry in a list is enough", async () => {
    const body = '{"type":"anything"}';
    expect((await send("/sw", body, standardWebhooksSignature(SW_NEW_SECRET, body))).status).toBe(200);
    expect((await send("/sw", body, standardWebhooksSignature(SW_VECTOR.secret, body))).status).toBe(200);
    const unknown = standardWebhooksSignature("whsec_dW5rbm93bi1zZWNyZXQ=", body);
    expectUnauthorized(await send("/sw", body, unknown));
    const good = standardWebhooksSignature(SW_NEW_SECRET, body);
    const list = { ...good, "webhook-signature": `${unknown["webhook-signature"]} ${good["webhook-signature"]}` };
    expect((await send("/sw", body, list)).status).toBe(200);
  });

  it("refuses any missing header", async () => {
    const body = '{"type":"anything"}';
    const headers = standardWebhooksSignature(SW_NEW_SECRET, body);
    for (const name of Object.keys(headers)) {
      const { [name]: _dropped, ...rest } = headers;
      expectUnauthorized(await send("/sw", body, rest));
    }
  });
});

describe("hmac with every knob: header, sha512, base64, no prefix", () => {
  const body = '{"type":"custom"}';
  const digest = (secret: string, bytes: string) => createHmac("sha512", secret).update(bytes).digest("base64");

  it("accepts the configured header and encoding", async () => {
    const res = await send("/hmac-custom", body, { "x-signature": digest("custom-secret", body) });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ text: "custom ok" });
  });

  it("refuses hex, a re-spaced body, the default header and a missing header", async () => {
    expectUnauthorized(await send("/hmac-custom", body, { "x-signature": createHmac("sha512", "custom-secret").update(body).digest("hex") }));
    expectUnauthorized(await send("/hmac-custom", respace(body), { "x-signature": digest("custom-secret", body) }));
    expectUnauthorized(await send("/hmac-custom", body, { "x-hub-signature-256": digest("custom-secret", body) }));
    expectUnauthorized(await send("/hmac-custom", body, {}));
  });
});
