/**
 * Every platform through the built CLI on a real port (test/fixtures/platforms/config.yaml):
 * the shared fixture answered in the platform's format (checked against the adapter's response
 * schema), a handler route and a static templated reply, the platform's "no answer" and
 * no-route behaviour, Clustaar `when` filters, Rasa's action listing and `platform: auto`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, spawnServer, type RunningServer } from "../../helpers/spawn-server.js";
import { clustaarSignature, errorCode, expectValidResponse, fixture, hutomaSignature } from "./platform-helpers.js";

const CONFIG = "test/fixtures/platforms/config.yaml";

let server: RunningServer;

beforeAll(async () => {
  server = await spawnServer([CONFIG], { timeoutMs: 30_000 });
});
afterAll(async () => {
  await server?.stop();
});

type Json = Record<string, unknown>;

/** POST and return status + body, asserting nothing yet. */
async function send(path: string, body: unknown, headers: Record<string, string> = {}) {
  return post(`${server.url}${path}`, body, headers);
}

/** POST a body and expect a 200 answer the platform accepts. */
async function answer(platform: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Json> {
  const res = await send(path, body, headers);
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expectValidResponse(platform, res.body);
  return res.body as Json;
}

function withResult(base: Json, key: string, patch: Json): Json {
  return { ...base, [key]: { ...(base[key] as Json), ...patch } };
}

describe("apiai (Dialogflow v1)", () => {
  const request = fixture("apiai");

  it("answers the shared fixture with the templated static reply", async () => {
    const body = await answer("apiai", "/apiai", request);
    expect(body.speech).toBe("Hi Ana from Rome!");
  });

  it("runs a TypeScript handler", async () => {
    const body = await answer("apiai", "/apiai", withResult(request, "result", { action: "weather", parameters: { city: "Oslo" } }));
    expect(body).toMatchObject({ speech: "Sunny in Oslo.", displayText: "Sunny", contextOut: [{ name: "weather", lifespan: 2, parameters: { city: "Oslo" } }] });
  });

  it("answers 404 WHS_ERR_NO_ROUTE when nothing matches", async () => {
    const res = await send("/apiai", withResult(request, "result", { action: "unknown" }));
    expect(res.status).toBe(404);
    expect(errorCode(res.body)).toBe("WHS_ERR_NO_ROUTE");
  });
});

describe("dialogflow (ES)", () => {
  const request = fixture("dialogflow");

  it("answers the shared fixture from a handler with full context names, followup event and rich messages", async () => {
    const body = await answer("dialogflow", "/dialogflow", request);
    expect(body.fulfillmentText).toContain("Got param-value");
    expect(body.fulfillmentMessages).toEqual([
      { text: { text: ["Got param-value"] } },
      { text: { text: ["Second message"] } },
      { quickReplies: { title: "Pick one", quickReplies: ["yes", "no"] } },
    ]);
    expect(body.payload).toEqual({ google: { expectUserResponse: true } });
    expect(body.outputContexts).toEqual([
      { name: "projects/project-id/agent/sessions/session-id/contexts/ordering", lifespanCount: 3, parameters: { step: 1 } },
    ]);
    expect(body.followupEventInput).toEqual({ name: "next-step", languageCode: "en", parameters: { from: "matched-intent-name" } });
  });

  it("routes by action to a static templated reply", async () => {
    const req = withResult(request, "queryResult", { action: "static.reply", intent: { displayName: "other" }, queryText: "hello there" });
    const body = await answer("dialogflow", "/dialogflow", req);
    expect(body.fulfillmentText).toBe("You said hello there (param-value)");
    expect(body.outputContexts).toEqual([{ name: "projects/project-id/agent/sessions/session-id/contexts/static", lifespanCount: 1 }]);
  });

  it("answers 404 WHS_ERR_NO_ROUTE when nothing matches", async () => {
    const res = await send("/dialogflow", withResult(request, "queryResult", { action: "nope", intent: { displayName: "nope" } }));
    expect(res.status).toBe(404);
    expect(errorCode(res.body)).toBe("WHS_ERR_NO_ROUTE");
  });

  it("answers 400 naming the field for a body that is not an ES request", async () => {
    const res = await send("/dialogflow", { ...request, queryResult: "text" });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe("WHS_ERR_BODY_SHAPE");
    expect(JSON.stringify(res.body)).toContain("queryResult");
  });
});

describe("dialogflow-cx", () => {
  const request = fixture("dialogflow-cx");

  it("answers the shared fixture: messages, mergeBehavior, session parameters (null deletes), targetPage, payload", async () => {
    const body = await answer("dialogflow-cx", "/cx", request);
    expect(body).toEqual({
      fulfillmentResponse: { messages: [{ text: { text: ["A LARGE pizza."] } }, { text: { text: ["Which topping?"] } }], mergeBehavior: "REPLACE" },
      sessionInfo: { parameters: { size: "LARGE", draft: null } },
      targetPage: "projects/p/locations/global/agents/a/flows/f/pages/topping",
      payload: { channel: "web" },
    });
  });

  it("routes by tag to a static reply, one text message per string", async () => {
    const body = await answer("dialogflow-cx", "/cx", { ...request, fulfillmentInfo: { tag: "static-tag" } });
    expect(body.fulfillmentResponse).toEqual({ messages: [{ text: { text: ["Size LARGE"] } }, { text: { text: ["Anything else?"] } }] });
  });

  it("answers 404 WHS_ERR_NO_ROUTE for an unknown tag", async () => {
    const res = await send("/cx", { ...request, fulfillmentInfo: { tag: "unknown-tag" } });
    expect(res.status).toBe(404);
    expect(errorCode(res.body)).toBe("WHS_ERR_NO_ROUTE");
  });
});

describe("hutoma (signed)", () => {
  const request = fixture("hutoma");
  const signed = (body: unknown) => {
    const text = JSON.stringify(body);
    return [text, hutomaSignature("hutoma-secret", text)] as const;
  };

  it("answers the shared fixture with {text} from the static reply", async () => {
    const [text, headers] = signed(request);
    const body = await answer("hutoma", "/hutoma", text, headers);
    expect(body).toEqual({ text: "You like blue, you said i like the colour blue" });
  });

  it("runs a JavaScript handler", async () => {
    const [text, headers] = signed({ ...request, intentName: "js.handler" });
    const body = await answer("hutoma", "/hutoma", text, headers);
    expect(body.text).toBe('echo i like the colour blue {"colour":"blue"}');
  });

  it("refuses the fixture without a signature (401)", async () => {
    const res = await send("/hutoma", request);
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe("WHS_ERR_AUTH_FAILED");
  });
});

describe("clustaar (signed)", () => {
  const request = fixture("clustaar");
  const step = (id: string): Json => ({ ...request, data: { ...(request.data as Json), step: { id, name: "A step", actions: [] } } });
  const signedPost = (body: unknown) => {
    const text = JSON.stringify(body);
    return send("/clustaar", text, clustaarSignature("clustaar-secret", text));
  };

  it("answers the shared fixture (step 1234, chosen by a when filter) with a send_text_action", async () => {
    const res = await signedPost(request);
    expect(res.status, res.text).toBe(200);
    expectValidResponse("clustaar", res.body);
    expect(res.body).toEqual({ actions: [{ type: "send_text_action", alternatives: ["Hello tintin"] }], session: null });
  });

  it("picks the handler route by data.step.id: alternatives, handler actions, session values", async () => {
    const res = await signedPost(step("507f191e810c19729de860ea"));
    expect(res.status, res.text).toBe(200);
    expectValidResponse("clustaar", res.body);
    expect(res.body).toEqual({
      actions: [
        { type: "send_text_action", alternatives: ["Hi!", "Hello!"] },
        { type: "wait_action", duration: 2 },
      ],
      session: { values: { name: "tintin", visited: "yes" } },
    });
  });

  it("answers 404 when no when filter holds", async () => {
    const res = await signedPost(step("999"));
    expect(res.status).toBe(404);
    expect(errorCode(res.body)).toBe("WHS_ERR_NO_ROUTE");
  });
});

describe("aiflow (sipgate AI Flow)", () => {
  it("answers session_start with a speak action", async () => {
    const body = await answer("aiflow", "/aiflow", fixture("aiflow", "session_start.request.json"));
    expect(body).toEqual({ type: "speak", session_id: "550e8400-e29b-41d4-a716-446655440000", text: "Welcome, caller +9876543210" });
  });

  it("answers the user_speak fixture from a handler (when filter on text)", async () => {
    const body = await answer("aiflow", "/aiflow", fixture("aiflow", "user_speak.request.json"));
    expect(body).toEqual({ type: "speak", session_id: "550e8400-e29b-41d4-a716-446655440000", text: "You said: Hello, I need help" });
  });

  it("reads the older `transcript` field as the text", async () => {
    const { text: _text, ...rest } = fixture("aiflow", "user_speak.request.json");
    const body = await answer("aiflow", "/aiflow", { ...rest, transcript: "help please" });
    expect(body.text).toBe("You said: help please");
  });

  it("answers 204 with an empty body for no answer and for no route", async () => {
    const base = fixture("aiflow", "user_speak.request.json");
    for (const text of ["silence", "something unrouted"]) {
      const res = await send("/aiflow", { ...base, text });
      expect(res.status, text).toBe(204);
      expect(res.text, text).toBe("");
    }
    const res = await send("/aiflow", { ...base, type: "user_barge_in" });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
  });
});

describe("rasa (custom action server)", () => {
  const request = fixture("rasa");

  it("answers the shared fixture from a handler: responses and slot events", async () => {
    const body = await answer("rasa", "/rasa", request);
    expect(body).toEqual({
      events: [{ event: "slot", timestamp: null, name: "temperature", value: 21 }],
      responses: [{ text: "Weather for 2687378567977106: sunny" }],
    });
  });

  it("answers a static reply route", async () => {
    const body = await answer("rasa", "/rasa", { ...request, next_action: "action_greet" });
    expect(body).toEqual({ events: [], responses: [{ text: "Hello 2687378567977106" }] });
  });

  it("answers an unknown action 404 {error, action_name} like the Rasa SDK", async () => {
    const res = await send("/rasa", { ...request, next_action: "action_missing" });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: "No registered action found for name 'action_missing'.", action_name: "action_missing" });
  });

  it("lists the routed actions at GET /rasa/actions", async () => {
    const res = await fetch(`${server.url}/rasa/actions`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ name: "action_tell_weather" }, { name: "action_greet" }]);
  });
});

describe("lex (Amazon Lex V2)", () => {
  const request = fixture("lex");

  it("answers the shared fixture (DialogCodeHook) from a handler with ElicitSlot and session attributes", async () => {
    const body = await answer("lex", "/lex", request);
    const state = body.sessionState as Json;
    expect(state.dialogAction).toEqual({ type: "ElicitSlot", slotToElicit: "CheckInDate" });
    expect(state.sessionAttributes).toEqual({ city: "Paris" });
    expect(state.intent).toMatchObject({ name: "BookHotel", state: "InProgress" });
    expect(body.messages).toEqual([{ contentType: "PlainText", content: "When do you arrive in Paris?" }]);
  });

  it("uses invocationSource as a filter: FulfillmentCodeHook gets the static reply, closed", async () => {
    const body = await answer("lex", "/lex", { ...request, invocationSource: "FulfillmentCodeHook" });
    const state = body.sessionState as Json;
    expect(state.dialogAction).toEqual({ type: "Close" });
    expect(state.intent).toMatchObject({ name: "BookHotel", state: "Fulfilled" });
    expect(body.messages).toEqual([{ contentType: "PlainText", content: "Booked a room in Paris." }]);
  });

  it("passes a handler's invalid dialog action through outside development (checked in reply-checking.test.ts)", async () => {
    const req = { ...request, sessionState: { ...(request.sessionState as Json), intent: { name: "BadShape", state: "InProgress", slots: {} } } };
    const res = await send("/lex", req);
    expect(res.status).toBe(200);
    expect((res.body as { sessionState: Json }).sessionState.dialogAction).toEqual({ type: "ElicitSlot" });
  });

  it("answers 404 WHS_ERR_NO_ROUTE for an unrouted intent", async () => {
    const req = { ...request, sessionState: { ...(request.sessionState as Json), intent: { name: "Other", state: "InProgress", slots: {} } } };
    const res = await send("/lex", req);
    expect(res.status).toBe(404);
    expect(errorCode(res.body)).toBe("WHS_ERR_NO_ROUTE");
  });
});

describe("generic JSON", () => {
  it("routes by type to a handler and sends its reply object as JSON, native merged last", async () => {
    const body = await answer("generic", "/generic", { type: "order.created", order: { id: "o-1", items: [1, 2, 3] } });
    expect(body).toEqual({ received: "o-1", total: 3, status: "queued" });
  });

  it("answers a static templated reply as the reply object", async () => {
    const body = await answer("generic", "/generic", { type: "ping", id: 7 });
    expect(body).toEqual({ text: "pong 7", data: { ok: true } });
  });

  it("answers 204 for no answer and 404 for no route", async () => {
    const quiet = await send("/generic", { type: "quiet" });
    expect(quiet.status).toBe(204);
    expect(quiet.text).toBe("");
    const none = await send("/generic", { type: "other" });
    expect(none.status).toBe(404);
    expect(errorCode(none.body)).toBe("WHS_ERR_NO_ROUTE");
  });
});

describe("platform: auto", () => {
  it("answers v1, ES and CX requests on one URL, each in its own format", async () => {
    const v1 = await answer("apiai", "/auto", fixture("apiai"));
    expect(v1.speech).toBe("v1 hello Ana");
    expect(v1).not.toHaveProperty("fulfillmentText");

    const es = await answer("dialogflow", "/auto", fixture("dialogflow"));
    expect(es.fulfillmentText).toBe("es hello param-value");
    expect(es).not.toHaveProperty("speech");

    const cx = await answer("dialogflow-cx", "/auto", fixture("dialogflow-cx"));
    expect(cx.fulfillmentResponse).toEqual({ messages: [{ text: { text: ["cx hello LARGE"] } }] });
  });

  it("answers an unknown shape 400 WHS_ERR_PLATFORM_UNKNOWN naming the platforms tried", async () => {
    const res = await send("/auto", { hello: "world" });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe("WHS_ERR_PLATFORM_UNKNOWN");
    const message = (res.body as { error: { message: string } }).error.message;
    for (const name of ["dialogflow-cx", "dialogflow", "apiai", "hutoma", "clustaar", "aiflow", "rasa", "lex"]) expect(message).toContain(name);
  });

  it("answers a body shaped like two platforms 400 WHS_ERR_PLATFORM_AMBIGUOUS naming both", async () => {
    const both = { ...(fixture("rasa") as Record<string, unknown>), ...(fixture("lex") as Record<string, unknown>) };
    const res = await send("/auto", both);
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe("WHS_ERR_PLATFORM_AMBIGUOUS");
    const message = (res.body as { error: { message: string } }).error.message;
    expect(message).toContain("lex");
    expect(message).toContain("rasa");
  });

  it("answers Hu:toma, Clustaar and Lex fixtures in their own formats", async () => {
    expect(await answer("hutoma", "/auto", fixture("hutoma"))).toEqual({ text: "hutoma hello blue" });
    const clustaar = await answer("clustaar", "/auto", fixture("clustaar"));
    expect(clustaar.actions).toEqual([{ type: "send_text_action", alternatives: ["clustaar hello tintin"] }]);
    const lex = await answer("lex", "/auto", fixture("lex"));
    expect(lex.messages).toEqual([{ contentType: "PlainText", content: "lex hello Paris" }]);
  });

  it("gives each detected platform its own no-route answer (Rasa 404 {error, action_name}, AI Flow 204)", async () => {
    const rasa = await send("/auto", fixture("rasa"));
    expect(rasa.status).toBe(404);
    expect(rasa.body).toEqual({ error: "No registered action found for name 'action_tell_weather'.", action_name: "action_tell_weather" });
    const aiflow = await send("/auto", fixture("aiflow", "user_speak.request.json"));
    expect(aiflow.status).toBe(204);
    expect(aiflow.text).toBe("");
  });
});

describe("the server survives all of the above", () => {
  it("still answers /healthz", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });
});
