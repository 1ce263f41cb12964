/** Dialogflow ES request bodies for the production tests (the sample payload, re-keyed). */
import { randomUUID } from "node:crypto";
import { payload } from "../../fixtures/payloads/load-payload.js";

export const FIXTURES = "test/integration/production/fixtures";

const fixture = payload<{ queryResult: Record<string, unknown> } & Record<string, unknown>>("dialogflow");

/** An ES request for `intent` with `params`; a fresh responseId unless given. */
export function esRequest(intent: string, params: Record<string, unknown> = {}, responseId: string = randomUUID()): Record<string, unknown> {
  return {
    ...fixture,
    responseId,
    queryResult: { ...fixture.queryResult, parameters: params, intent: { name: `projects/p/agent/intents/${intent}`, displayName: intent }, action: "" },
  };
}

/** The reply text of an ES answer. */
export function esText(body: unknown): string | undefined {
  return (body as { fulfillmentText?: string } | undefined)?.fulfillmentText;
}
