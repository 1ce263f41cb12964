/**
 * @module The bench's Dialogflow ES request: the sample payload
 * (`test/fixtures/payloads/dialogflow/request.json`) filled in the way a real agent sends it
 * (several parameters, three output contexts, an Actions-on-Google style
 * originalDetectIntentRequest payload) to about 2.3 KB, aimed at one intent.
 * @see https://cloud.google.com/dialogflow/es/docs/fulfillment-webhook#webhook_request
 */
import { readFileSync } from "node:fs";

const fixtureUrl = new URL("../../test/fixtures/payloads/dialogflow/request.json", import.meta.url);

/**
 * @param {string} intent the displayName to route on (the bench aims at the LAST route)
 * @returns {{ body: string, json: object }} the serialized body (what is sent) and the object
 * @example buildRequest("intent-999").body.length // ≈ 2300
 */
export function buildRequest(intent) {
  const base = JSON.parse(readFileSync(fixtureUrl, "utf8"));
  const project = "projects/pizza-bot-4f2a1/agent";
  const session = `${project}/sessions/7d1c8a2e-5b6f-4e3a-9c0d-1f2e3a4b5c6d`;
  const params = {
    name: "Ada",
    "given-name": "Ada",
    "last-name": "Lovelace",
    "geo-city": "London",
    "delivery-address": "12 St James's Square",
    "date-time": "2024-05-17T19:30:00+01:00",
    size: "large",
    toppings: ["mushrooms", "olives", "basil"],
    quantity: 2,
  };
  const body = {
    ...base,
    responseId: "2c4f8a1e-7b3d-4e5f-9a6b-0c1d2e3f4a5b-0820055c",
    session,
    queryResult: {
      ...base.queryResult,
      queryText: "I'd like two large pizzas with mushrooms, olives and basil delivered tonight",
      parameters: params,
      fulfillmentText: "",
      fulfillmentMessages: [{ text: { text: [""] } }],
      outputContexts: [
        { name: `${session}/contexts/order-pizza-followup`, lifespanCount: 2, parameters: { ...params, "size.original": "large", "toppings.original": ["mushrooms", "olives", "basil"] } },
        { name: `${session}/contexts/customer`, lifespanCount: 50, parameters: { "customer-id": "cus_8f3b2a1c", tier: "gold", "given-name": "Ada" } },
        { name: `${session}/contexts/__system_counters__`, parameters: { "no-input": 0, "no-match": 0 } },
      ],
      intent: { name: `${project}/intents/3b2c1d0e-9f8a-4b7c-8d6e-5f4a3b2c1d0e`, displayName: intent },
      intentDetectionConfidence: 0.92,
      languageCode: "en",
      action: "order.pizza",
    },
    originalDetectIntentRequest: {
      source: "google",
      version: "2",
      payload: {
        user: { locale: "en-GB", lastSeen: "2024-05-17T18:02:11Z", userVerificationStatus: "VERIFIED", userStorage: '{"data":{"visits":7}}' },
        conversation: { conversationId: "ABwppHGqK2x8Ll3pN0uQ7v", type: "ACTIVE", conversationToken: '["order-pizza-followup","customer"]' },
        inputs: [
          {
            intent: "actions.intent.TEXT",
            rawInputs: [{ inputType: "VOICE", query: "I'd like two large pizzas with mushrooms, olives and basil delivered tonight" }],
          },
        ],
        surface: { capabilities: [{ name: "actions.capability.AUDIO_OUTPUT" }, { name: "actions.capability.SCREEN_OUTPUT" }] },
        isInSandbox: false,
        requestType: "SIMULATOR",
      },
    },
  };
  return { body: JSON.stringify(body), json: body };
}
