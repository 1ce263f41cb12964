/**
 * @module The same hand-written Dialogflow ES webhook on bare node:http: read the body, check
 * basic auth by hand, JSON.parse, read the intent, answer a small `{ fulfillmentText }`. The
 * floor every Node server pays. Not part of the package.
 * Usage: node bench/peers/node-http-es-webhook.js <port> <user> <password>   (binds 127.0.0.1 only)
 */
import { timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

const [port = "0", user = "", password = ""] = process.argv.slice(2);
const expected = Buffer.from(`Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`);

const send = (res, status, body) => {
  const out = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(out) });
  res.end(out);
};

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const given = Buffer.from(req.headers.authorization ?? "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return send(res, 401, { error: "unauthorized" });
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return send(res, 400, { error: "invalid JSON" });
    }
    const result = body?.queryResult;
    if (typeof result?.intent?.displayName !== "string") return send(res, 400, { error: "not a Dialogflow ES request" });
    if (result.intent.displayName === "intent-999") return send(res, 200, { fulfillmentText: `Hello ${result.parameters?.["given-name"] ?? "there"}` });
    send(res, 200, { fulfillmentText: "Sorry?" });
  });
});

server.listen(Number(port), "127.0.0.1", () => {
  process.stderr.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
