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
 * True when `candidate` is exactly `secret`, in time that depends on the secret's length only:
 * the candidate is copied into a buffer of that length, so no length compare comes first.
 */
export function equalsSecret(candidate: Buffer, secret: Buffer): boolean {
  const same = Buffer.alloc(secret.length);
  candidate.copy(same, 0, 0, secret.length);
  const equal = timingSafeEqual(same, secret);
  return equal && candidate.length === secret.length;
}

/** Constant-time equality of two digests; different lengths are simply unequal. */
export function digestsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
