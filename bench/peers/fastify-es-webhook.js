/**
 * @module The Dialogflow ES webhook a user would write by hand on bare Fastify, with the same
 * checks the bench's webhook-serve config makes: basic auth compared by hand, the intent read
 * from `queryResult.intent.displayName`, a small `{ fulfillmentText }` answer. The baseline
 * `npm run bench` divides by. Not part of the package.
 * Usage: node bench/peers/fastify-es-webhook.js <port> <user> <password>   (binds 127.0.0.1 only)
 */
import { timingSafeEqual } from "node:crypto";
import Fastify from "fastify";

const [port = "0", user = "", password = ""] = process.argv.slice(2);
const expected = Buffer.from(`Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`);
const app = Fastify({ logger: false });

app.post("/dialogflow", async (request, reply) => {
  const given = Buffer.from(request.headers.authorization ?? "");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reply.code(401).send({ error: "unauthorized" });
  const result = request.body?.queryResult;
  if (typeof result?.intent?.displayName !== "string") return reply.code(400).send({ error: "not a Dialogflow ES request" });
  if (result.intent.displayName === "intent-999") return { fulfillmentText: `Hello ${result.parameters?.["given-name"] ?? "there"}` };
  return { fulfillmentText: "Sorry?" };
});

await app.listen({ host: "127.0.0.1", port: Number(port) });
process.stderr.write(`listening on http://127.0.0.1:${app.server.address().port}\n`);
process.on("SIGTERM", () => app.close().then(() => process.exit(0)));
