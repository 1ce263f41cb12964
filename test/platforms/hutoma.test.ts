import { runAdapterSuite } from "./conformance.js";
import { hutoma } from "../../src/platforms/hutoma.js";

runAdapterSuite(hutoma, {
  samples: [
    { intent: "colour", params: { colour: "blue" }, text: "i like the colour blue", sessionId: "chat-1" },
    { intent: "greet" },
    {},
  ],
});
