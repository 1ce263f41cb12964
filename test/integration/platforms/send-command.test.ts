/**
 * `webhook-serve send` for several platforms: it builds the platform's request with sample(),
 * signs it when the webhook needs a signature (Hu:toma, Clustaar with its Date, Standard
 * Webhooks), runs it through the real pipeline and prints the status and the platform reply.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../helpers/spawn-server.js";
import { expectValidResponse } from "./platform-helpers.js";

const CONFIG = "test/fixtures/platforms/config.yaml";
const SIGNATURES = "test/fixtures/platforms/signatures.yaml";

type Result = Awaited<ReturnType<typeof runCli>>;
const runs: Record<string, Result> = {};

const commands: Record<string, string[]> = {
  dialogflow: ["send", CONFIG, "--path", "/dialogflow", "--intent", "matched-intent-name", "--param", "param-name=pizza"],
  hutoma: ["send", CONFIG, "--path", "/hutoma", "--intent", "colour", "--param", "colour=red", "--text", "red please"],
  clustaar: ["send", CONFIG, "--path", "/clustaar", "--event", "conversation.step_reached", "--param", "name=Ana"],
  "standard-webhooks": ["send", SIGNATURES, "--path", "/sw", "--event", "anything"],
  unrouted: ["send", CONFIG, "--path", "/rasa", "--action", "action_missing"],
};

beforeAll(async () => {
  // Each run is its own process: two at a time, beside the other test files' servers.
  const queue = Object.entries(commands);
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) runs[next[0]] = await runCli(next[1]);
  };
  await Promise.all([worker(), worker()]);
}, 60_000);

/** The printed status line and the JSON reply after it. */
function printed(name: string): { status: string; body: unknown } {
  const { stdout } = runs[name] as Result;
  const newline = stdout.indexOf("\n");
  return { status: stdout.slice(0, newline), body: JSON.parse(stdout.slice(newline + 1)) };
}

describe("send", () => {
  it("dialogflow: prints 200 and the ES reply built from --intent and --param", () => {
    expect(runs.dialogflow?.code, runs.dialogflow?.stderr).toBe(0);
    const { status, body } = printed("dialogflow");
    expect(status).toBe("200 OK");
    expectValidResponse("dialogflow", body);
    expect(body).toMatchObject({ fulfillmentMessages: [{ text: { text: ["Got pizza"] } }, { text: { text: ["Second message"] } }, {}] });
  });

  it("hutoma: signs with X-Hub-Signature (the webhook requires it) and prints {text}", () => {
    expect(runs.hutoma?.code, runs.hutoma?.stderr).toBe(0);
    const { status, body } = printed("hutoma");
    expect(status).toBe("200 OK");
    expectValidResponse("hutoma", body);
    expect(body).toEqual({ text: "You like red, you said red please" });
  });

  it("clustaar: signs date + body and prints the actions of the step chosen by its when filter", () => {
    expect(runs.clustaar?.code, runs.clustaar?.stderr).toBe(0);
    const { status, body } = printed("clustaar");
    expect(status).toBe("200 OK");
    expectValidResponse("clustaar", body);
    expect(body).toEqual({
      actions: [
        { type: "send_text_action", alternatives: ["Hi!", "Hello!"] },
        { type: "wait_action", duration: 2 },
      ],
      session: { values: { name: "Ana", visited: "yes" } },
    });
  });

  it("standard-webhooks: adds webhook-id/timestamp/signature and gets past the check", () => {
    expect(runs["standard-webhooks"]?.code, runs["standard-webhooks"]?.stderr).toBe(0);
    expect(printed("standard-webhooks")).toEqual({ status: "200 OK", body: { text: "signed ok" } });
  });

  it("rasa: prints a non-2xx answer (unknown action: 404 {error, action_name}) and exits 1", () => {
    expect(runs.unrouted?.code).toBe(1);
    const { status, body } = printed("unrouted");
    expect(status).toBe("404 Not Found");
    expect(body).toEqual({ error: "No registered action found for name 'action_missing'.", action_name: "action_missing" });
  });
});
