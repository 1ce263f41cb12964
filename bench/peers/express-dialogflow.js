/**
 * @module The peer a Node user writes today: express + dialogflow-fulfillment 0.6.1 with an
 * intentMap of the same intents as the bench config (`intent-0` … `intent-<N-1>`), each
 * answering `agent.add(text)`. Peer for `npm run bench`; not part of the package.
 * Usage: node bench/peers/express-dialogflow.js <port> [intentCount=1000]   (127.0.0.1 only)
 * @see https://github.com/dialogflow/dialogflow-fulfillment-nodejs
 */
import express from "express";
import dialogflowFulfillment from "dialogflow-fulfillment";

const { WebhookClient } = dialogflowFulfillment;
const port = Number(process.argv[2] ?? process.env.PORT ?? 0);
const intentCount = Number(process.argv[3] ?? 1000);

const intentMap = new Map();
for (let i = 0; i < intentCount; i++) {
  intentMap.set(`intent-${i}`, (agent) => {
    const name = agent.parameters.name;
    agent.add(`Hello ${typeof name === "string" && name !== "" ? name : "friend"}`);
  });
}

const app = express();
app.use(express.json());
app.post("/*", (request, response) => {
  const agent = new WebhookClient({ request, response });
  agent.handleRequest(intentMap).catch((error) => {
    if (!response.headersSent) response.status(500).json({ error: String(error) });
  });
});

const server = app.listen(port, "127.0.0.1", () => {
  process.stderr.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
