import { describe, expect, it } from "vitest";
import { compileAuth } from "../../../src/auth/compile-auth.js";
import { signRequest } from "../../../src/auth/sign-request.js";
import { clustaar, clustaarSignature, hmacConfig, hutoma, swConfig } from "./fake-adapters.js";
import { payloadsReadme } from "../../fixtures/payloads/load-payload.js";
import { clustaarVector, hutomaVector, standardWebhooksVector } from "./vectors.js";

const readme = payloadsReadme();

describe("signature vectors of test/fixtures/payloads/README.md", () => {
  it("are the ones listed there", () => {
    for (const text of [hutomaVector.secret, hutomaVector.body, hutomaVector.header, clustaarVector.header, standardWebhooksVector.secret, standardWebhooksVector.signature]) {
      expect(readme).toContain(text);
    }
    expect(readme).toContain(`${standardWebhooksVector.id}.${standardWebhooksVector.timestamp}.${standardWebhooksVector.body}`);
  });

  it("hutoma: verifies and signs", () => {
    const rawBody = Buffer.from(hutomaVector.body);
    const signature = hmacConfig([hutomaVector.secret]);
    const check = compileAuth({ signature }, hutoma)!;
    expect(check({ headers: { "x-hub-signature": hutomaVector.header }, rawBody, now: Date.now() })).toBeUndefined();
    expect(signRequest(signature, hutoma, rawBody, {}, Date.now())).toEqual({ "x-hub-signature": hutomaVector.header });
  });

  it("clustaar: verifies with no Date header (signs date=None) and signs the same without a freshness rule", () => {
    const rawBody = Buffer.from(clustaarVector.body);
    const signature = hmacConfig([clustaarVector.secret]);
    const check = compileAuth({ signature }, clustaar)!;
    expect(check({ headers: { "x-hub-signature": clustaarVector.header }, rawBody, now: Date.now() })).toBeUndefined();
    // signRequest adds a Date for an adapter with a freshness rule; without one, it signs "date=None" like the reference.
    expect(signRequest(signature, { signature: clustaarSignature }, rawBody, {}, Date.now())).toEqual({ "x-hub-signature": clustaarVector.header });
  });

  it("standard-webhooks: verifies and signs", () => {
    const v = standardWebhooksVector;
    const rawBody = Buffer.from(v.body);
    const now = Number(v.timestamp) * 1000;
    const check = compileAuth({ signature: swConfig([v.secret]) }, {})!;
    const headers = { "webhook-id": v.id, "webhook-timestamp": v.timestamp, "webhook-signature": v.signature };
    expect(check({ headers, rawBody, now })).toBeUndefined();
    expect(signRequest(swConfig([v.secret]), {}, rawBody, {}, now, v.id)).toEqual(headers);
  });
});
