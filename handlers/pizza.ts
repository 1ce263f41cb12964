// A named export, routed with `./handlers/pizza.ts#orderPizza`, that triggers a follow-up event.
import type { Handler } from "../src/index.js";

export const orderPizza: Handler = (turn) => {
  const size = String(turn.params.size);
  return {
    text: `One ${size} pizza coming up.`,
    followupEvent: { name: "pizza-ordered", params: { size } },
  };
};
