/**
 * @module Resident set size of another process, read from /proc/<pid>/status (Linux), and a
 * sampler that keeps the peak while a load round runs.
 * @see https://man7.org/linux/man-pages/man5/proc_pid_status.5.html
 */
import { readFileSync } from "node:fs";
import { setInterval, clearInterval } from "node:timers";

/** @returns {number | undefined} VmRSS in MB, undefined when the process is gone */
export function rssMb(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Sample every `everyMs` until `stop()`, which returns the peak in MB. */
export function samplePeakRss(pid, everyMs = 50) {
  let peak = rssMb(pid) ?? 0;
  const timer = setInterval(() => {
    const now = rssMb(pid);
    if (now !== undefined && now > peak) peak = now;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const now = rssMb(pid);
      if (now !== undefined && now > peak) peak = now;
      return peak;
    },
  };
}
