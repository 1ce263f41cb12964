/**
 * @module Constant-time comparisons. `timingSafeEqual` needs equal lengths, and comparing
 * lengths first would leak the secret's length, so secrets are hashed to fixed-length digests
 * first. Signature digests have a public, fixed length and are compared directly.
 * @see https://nodejs.org/api/crypto.html#cryptotimingsafeequala-b
 */
import { hash, timingSafeEqual } from "node:crypto";

/** SHA-256 of bytes or of a string's UTF-8 bytes (one-shot `crypto.hash`: no Hash object per request). */
export function sha256(data: Buffer | string): Buffer {
  return hash("sha256", data, "buffer");
}

/** True when `candidate` hashes to `expectedHash` (a `sha256()` made at compile time). */
export function matchesHash(candidate: Buffer | string, expectedHash: Buffer): boolean {
  return timingSafeEqual(sha256(candidate), expectedHash);
}

/**
 * A test for "the string is exactly `secret`" in time that depends on the secret's length
 * only: the candidate's UTF-8 bytes are written into a buffer of that length (made once, not
 * per call), so no length compare comes first.
 */
export function secretEquals(secret: Buffer): (candidate: string) => boolean {
  const scratch = Buffer.alloc(secret.length);
  return (candidate) => {
    scratch.fill(0);
    // Truncates at the secret's length, and never writes half a character.
    const written = scratch.write(candidate, "utf8");
    const equal = timingSafeEqual(scratch, secret);
    return equal && written === secret.length && Buffer.byteLength(candidate) === secret.length;
  };
}

/** Constant-time equality of two digests; different lengths are simply unequal. */
export function digestsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
