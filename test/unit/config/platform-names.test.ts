import { describe, expect, it } from "vitest";
import { canonicalPlatform, platformNames } from "../../../src/config/platform-names.js";
import { getAdapter, platformNames as registryNames } from "../../../src/platforms/registry.js";

describe("config platform names and the adapter registry", () => {
  it("accept exactly the same names", () => {
    expect([...platformNames].sort()).toEqual([...registryNames()].sort());
  });
  it("resolve every alias to the adapter of the same name", () => {
    for (const name of platformNames) {
      if (name === "auto") continue;
      expect(getAdapter(name)?.name, name).toBe(canonicalPlatform(name));
    }
  });
});
