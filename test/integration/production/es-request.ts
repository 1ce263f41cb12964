/** Dialogflow ES request bodies for the production tests (the shared fixture, re-keyed). */
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";

export const FIXTURES = "test/integration/production/fixtures";

const fixture = JSON.parse(readFileSync(new URL("../../../../shared/fixtures/dialogflow/request.json", import.meta.url), "utf8")) as {
  queryResult: Record<string, unknown>;
} & Record<string, unknown>;

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
