/**
 * createCloudFunction with real Node req/res: a node:http server on a loopback socket calls
 * the function, once as plain Cloud Run (the body still in the stream) and once as the
 * Functions Framework does (JSON already parsed into req.body, exact bytes in req.rawBody).
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCloudFunction, type CloudRequest } from "../../../src/serverless/index.js";

const CONFIG = fileURLToPath(new URL("./fixtures/config.yaml", import.meta.url));
const fn = createCloudFunction(CONFIG);

/** What the Functions Framework does before calling the function (body-parser with `verify` keeping rawBody). */
async function likeFunctionsFramework(req: IncomingMessage): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const r = req as CloudRequest;
  r.rawBody = raw;
  r.body = JSON.parse(raw.toString("utf8"));
}

let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const framework = req.headers["x-test-framework"] === "1";
    void (framework ? likeFunctionsFramework(req) : Promise.resolve()).then(() => fn(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const greeting = JSON.stringify({ id: "g1", result: { action: "greetings", parameters: { name: "Bo" } } });
// Odd spacing: re-serializing the parsed body would change the bytes and break the signature.
const ping = '{ "type":   "ping" }';
const signature = `sha256=${createHmac("sha256", "s3cr3t-sign").update(ping).digest("hex")}`;

describe("createCloudFunction", () => {
  it("answers a plain Node request (Cloud Run) from the stream", async () => {
    const res = await fetch(`${url}/apiai`, { method: "POST", headers: { "content-type": "application/json", "api-key": "k3y-value" }, body: greeting });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ speech: "Hi Bo!" });
  });

  it("uses req.rawBody for signatures when the Functions Framework pre-parsed the body", async () => {
    const headers = { "content-type": "application/json", "x-signature": signature, "x-test-framework": "1" };
    const res = await fetch(`${url}/signed`, { method: "POST", headers, body: ping });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ text: "pong" });
    const tampered = await fetch(`${url}/signed`, { method: "POST", headers, body: '{"type":"ping"}' });
    expect(tampered.status).toBe(401);
  });

  it("passes error answers through with their status and JSON body", async () => {
    const res = await fetch(`${url}/nowhere`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "WHS_ERR_NOT_FOUND", message: "No webhook at this path" } });
  });

  it("stops reading a streamed body at bodyLimit and answers 413", async () => {
    const huge = JSON.stringify({ id: "h", result: { action: "greetings", pad: "x".repeat(2 * 1024 * 1024) } });
    const res = await fetch(`${url}/apiai`, { method: "POST", headers: { "content-type": "application/json", "api-key": "k3y-value" }, body: huge }).catch(
      // The server may close the connection before the client finished sending.
      () => undefined,
    );
    expect(res, "the 413 answer arrives before the connection closes").toBeDefined();
    if (res !== undefined) {
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ error: { code: "WHS_ERR_BODY_TOO_LARGE" } });
    }
    // Still serving.
    expect((await fetch(`${url}/apiai`, { method: "POST", headers: { "content-type": "application/json", "api-key": "k3y-value" }, body: greeting })).status).toBe(200);
  });
});
