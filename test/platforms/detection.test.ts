/** Detection over every platform's sample payloads: each is taken for its own platform only. */
import { describe, expect, it } from "vitest";
import { detectAdapter } from "../../src/platforms/registry.js";
import type { PlatformAdapter } from "../../src/platforms/types.js";
import { aiflow } from "../../src/platforms/aiflow.js";
import { clustaar } from "../../src/platforms/clustaar.js";
import { hutoma } from "../../src/platforms/hutoma.js";
import { lex } from "../../src/platforms/lex.js";
import { rasa } from "../../src/platforms/rasa.js";
import { fixture, expectValid } from "./golden-helpers.js";

const mine: [PlatformAdapter, string[]][] = [
  [hutoma, ["hutoma/request.json", "hutoma/request-2017.json"]],
  [clustaar, ["clustaar/request.json"]],
  [aiflow, ["aiflow/session_start.request.json", "aiflow/user_speak.request.json"]],
  [rasa, ["rasa/request.json"]],
  [lex, ["lex/request.json"]],
];

describe("detection over the sample payloads", () => {
  for (const [adapter, requests] of mine) {
    for (const path of requests) {
      it(`${path} is detected by ${adapter.name} alone and is schema-valid`, () => {
        const body = fixture(path);
        expectValid(adapter.requestSchema, body);
        for (const [other] of mine) expect(other.detect(body), other.name).toBe(other === adapter);
        expect(detectAdapter(body)?.name).toBe(adapter.name);
      });
    }
  }

  for (const path of ["apiai/request.json", "dialogflow/request.json", "dialogflow-cx/request.json"]) {
    it(`${path} is detected by none of hutoma/clustaar/aiflow/rasa/lex`, () => {
      const body = fixture(path);
      for (const [adapter] of mine) expect(adapter.detect(body), adapter.name).toBe(false);
    });
  }
});
