/**
 * The reply has one source per key: the shared keys in src/platforms/reply-schema.ts, each
 * platform's own on its adapter (`replyFields`, with the type on `PlatformReplyFields`). The
 * type checks here fail `npm run typecheck` when the TypeScript `Reply` and the schema the
 * routing file is checked against (src/config/raw-config.ts, generated from it) disagree.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type { RawReply } from "../../../src/config/raw-config.js";
import { allAdapters, replySchema } from "../../../src/platforms/registry.js";
import { sharedReplyKeys } from "../../../src/platforms/reply-schema.js";
import type { Reply, RichMessage } from "../../../src/types.js";

/** Every key of every member of a union. */
type KeysOf<T> = T extends unknown ? keyof T : never;
type RawMessage = NonNullable<RawReply["messages"]>[number];
/** The Reply the shipped platforms make: the typecheck also sees the test-only platform's key. */
type ShippedReply = Omit<Reply, "media">;

describe("the reply's keys", () => {
  it("are the same in the Reply type and the reply schema, each with the same value type", () => {
    expectTypeOf<keyof ShippedReply>().toEqualTypeOf<keyof RawReply>();
    expectTypeOf<KeysOf<RichMessage>>().toEqualTypeOf<keyof RawMessage>();
    // Where the type is narrower than a schema can say (Lex's ElicitSlot needs its slot), it is
    // still a value the schema accepts.
    expectTypeOf<Omit<Required<ShippedReply>, "lang" | "text">>().toExtend<Omit<Required<RawReply>, "lang" | "text">>();
    expectTypeOf<Reply["text"]>().toEqualTypeOf<RawReply["text"]>();
    expectTypeOf<RichMessage>().toExtend<RawMessage>();
    const properties = Object.keys((replySchema() as { properties: object }).properties);
    expect(properties).toEqual(expect.arrayContaining([...sharedReplyKeys, "targetPage", "slots", "displayText"]));
  });

  it("belong to one platform each, and none shadows a shared key", () => {
    const owners = new Map<string, string>();
    for (const adapter of allAdapters()) {
      for (const key of Object.keys(adapter.replyFields ?? {})) {
        expect(sharedReplyKeys, `${adapter.name}.${key}`).not.toContain(key);
        expect(owners.get(key), `${adapter.name}.${key}`).toBeUndefined();
        owners.set(key, adapter.name);
      }
    }
    expect(owners.get("targetPage")).toBe("dialogflow-cx");
  });

  it("are what each platform's docs row names (no stray key in replyDocs)", () => {
    const known = new Set(Object.keys((replySchema() as { properties: object }).properties));
    for (const adapter of allAdapters()) {
      expect(Object.keys(adapter.replyDocs ?? {}).filter((key) => !known.has(key)), adapter.name).toEqual([]);
    }
  });
});
