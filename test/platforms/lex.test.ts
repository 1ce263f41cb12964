import { runAdapterSuite } from "./conformance.js";
import { lex } from "../../src/platforms/lex.js";

runAdapterSuite(lex, {
  samples: [
    { intent: "BookHotel", event: "FulfillmentCodeHook", params: { Location: "Paris", Extras: ["wifi", "breakfast"] }, text: "book a hotel", lang: "en_GB" },
    { intent: "OrderFlowers", event: "DialogCodeHook" },
    {},
  ],
});
