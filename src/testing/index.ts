/**
 * @module `webhook-serve/testing`: test your handlers through the real pipeline, in-process
 * (the core itself: no port, no HTTP server), from vitest or node:test (Jest: see the README). `send()` builds the
 * platform's request with the adapter's `sample()`, adds the API key / basic credentials /
 * signature the webhook requires, and returns the HTTP answer plus the normalized reply
 * your handler (or static reply) produced. In the spirit of apiaiwebhook's test client.
 *
 * @example
 * import { createTestServer } from "webhook-serve/testing";
 * const server = await createTestServer("./config.yaml");
 * const res = await server.send({ intent: "weather", params: { city: "Oslo" } });
 * expect(res.reply?.text).toContain("Oslo");
 * await server.close();
 */
export type { Handler, HandlerContext, HandlerResult, Reply, RichMessage, Turn } from "../types.js";
export { signRequest as sign } from "../auth/sign-request.js";
export { runConversation, type ConversationResult, type ConversationSpec, type ConversationTurn, type TurnResult } from "./run-conversation.js";
export { createTestServer, type RawRequest, type SendInput, type SendResult, type TestServer, type TestServerOptions } from "./create-test-server.js";
