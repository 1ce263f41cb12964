import { runAdapterSuite } from "./conformance.js";
import { rasa } from "../../src/platforms/rasa.js";

runAdapterSuite(rasa, {
  samples: [
    { action: "action_tell_weather", intent: "ask_weather", params: { location: "Berlin" }, text: "weather?", sessionId: "u1" },
    { action: "action_hello" },
    {},
  ],
});
