/**
 * @module What a conversation carries from one turn to the next, in the normalized form every
 * adapter reads (`turn.contexts`, `turn.session.values`) and writes back into its own request
 * fields (`sample({ contexts, values })`): Dialogflow v1/ES output contexts and Lex active
 * contexts with their lifespans in turns, and session values (CX session parameters, Lex
 * session attributes, Clustaar session values, Rasa slots) merged, `null` deleting one, and
 * the Dialogflow CX page a reply's `targetPage` moved to.
 */
import type { Reply, TurnContext } from "../types.js";

export interface ConversationState {
  sessionId: string;
  contexts: TurnContext[];
  values: Record<string, unknown>;
  /** Dialogflow CX: the page a reply's `targetPage` moved the session to. */
  page?: string;
}

/** Dialogflow's lifespan for a context set without one. */
const DEFAULT_LIFESPAN = 5;

/**
 * The state the next request carries: every active context lives one turn less (gone at 0),
 * then the reply's contexts are set (`lifespan: 0` clears one) and its session values merged.
 */
export function nextState(state: ConversationState, reply: Reply | null | undefined): ConversationState {
  const contexts = new Map<string, TurnContext>();
  for (const context of state.contexts) {
    const lifespan = (context.lifespan ?? DEFAULT_LIFESPAN) - 1;
    if (lifespan > 0) contexts.set(context.name, { ...context, lifespan });
  }
  for (const context of reply?.contexts ?? []) {
    const lifespan = context.lifespan ?? DEFAULT_LIFESPAN;
    if (lifespan <= 0) contexts.delete(context.name);
    else contexts.set(context.name, { name: context.name, lifespan, ...(context.params ? { params: { ...context.params } } : {}) });
  }
  const values = { ...state.values };
  for (const [key, value] of Object.entries(reply?.session?.values ?? {})) {
    if (value === null) delete values[key];
    else values[key] = value;
  }
  const page = reply?.targetPage ?? state.page;
  return { sessionId: state.sessionId, contexts: [...contexts.values()], values, ...(page !== undefined ? { page } : {}) };
}
