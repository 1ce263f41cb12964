import { describe, expect, it } from "vitest";
import { addDeadline } from "../../../src/handlers/deadline-queue.js";

/** Timers that keep the process alive (an unref'd one is not listed). */
const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

describe("addDeadline", () => {
  it("expires calls in the order they started, after their time, and never a cancelled one", async () => {
    const expired: number[] = [];
    const started = performance.now();
    const all = [0, 1, 2, 3].map((i) => addDeadline(40, () => expired.push(i)));
    all[1]?.cancel();
    all[3]?.cancel();
    await new Promise((resolve) => addDeadline(60, () => resolve(undefined)));
    expect(expired).toEqual([0, 2]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(40);
  });

  it("keeps one timer for any number of pending calls with the same timeout, none holding the process once all settled", () => {
    const before = timers();
    const pending = Array.from({ length: 200 }, () => addDeadline(5_000, () => {}));
    expect(timers() - before).toBe(1);
    for (const deadline of pending) deadline.cancel();
    expect(timers()).toBe(before);
  });

  it("re-arms for the oldest call left when the first ones settled early", async () => {
    const first = addDeadline(30, () => {
      throw new Error("cancelled, must not expire");
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const started = performance.now();
    const second = new Promise<number>((resolve) => addDeadline(30, () => resolve(performance.now() - started)));
    first.cancel();
    expect(await second).toBeGreaterThanOrEqual(29);
  });
});
