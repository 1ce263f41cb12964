import { runAdapterSuite } from "./conformance.js";
import { aiflow } from "../../src/platforms/aiflow.js";

runAdapterSuite(aiflow, {
  samples: [
    { event: "user_speak", text: "Hello, I need help", sessionId: "550e8400-e29b-41d4-a716-446655440000" },
    { event: "session_start", params: { direction: "outbound" } },
    { text: "hi" },
    {},
  ],
});
