import { runAdapterSuite } from "./conformance.js";
import { clustaar } from "../../src/platforms/clustaar.js";

runAdapterSuite(clustaar, {
  samples: [
    { event: "conversation.step_reached", params: { name: "tintin" }, text: "hello", sessionId: "123" },
    { event: "conversation.step_reached" },
    {},
  ],
});
