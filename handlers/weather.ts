// A TypeScript handler: reads a parameter, sets a context, answers in any platform's format.
import type { Handler } from "../src/index.js";

const forecasts: Record<string, string> = { rome: "sunny", paris: "cloudy", london: "rainy" };

const weather: Handler = async (turn) => {
  const city = String(turn.params.city ?? turn.params["geo-city"] ?? "").trim();
  if (!city) {
    return { text: "Which city?", contexts: [{ name: "awaiting-city", lifespan: 2 }] };
  }
  const sky = forecasts[city.toLowerCase()] ?? "unknown";
  return {
    text: `It is ${sky} in ${city}.`,
    displayText: `${city}: ${sky}`,
    contexts: [{ name: "weather", lifespan: 2, params: { city } }],
    data: { facebook: { text: `It is ${sky} in ${city}.` } },
  };
};

export default weather;
