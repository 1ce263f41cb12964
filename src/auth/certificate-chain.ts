/**
 * @module An X.509 certificate chain as a sender serves it (PEM, leaf first), checked with
 * node:crypto's X509Certificate: every certificate within its validity dates, each issued and
 * signed by the next (a CA), the last one issued by a trusted root, and the leaf naming the
 * expected host in its subject alternative names.
 * @see https://nodejs.org/api/crypto.html#class-x509certificate
 */
import { X509Certificate } from "node:crypto";
import { rootCertificates } from "node:tls";

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

/**
 * The certificates of a PEM bundle, in order.
 * @throws Error when it holds none, or one does not parse.
 */
export function parsePemChain(text: string): X509Certificate[] {
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw new Error("no PEM certificate");
  return blocks.map((pem) => new X509Certificate(pem));
}

/** Trusted roots by subject, to find a certificate's issuer without trying them all. */
export type TrustedRoots = ReadonlyMap<string, readonly X509Certificate[]>;

/** Indexes roots (PEM text or parsed) by subject. */
export function trustedRoots(roots: readonly (string | X509Certificate)[]): TrustedRoots {
  const bySubject = new Map<string, X509Certificate[]>();
  for (const root of roots) {
    const cert = typeof root === "string" ? new X509Certificate(root) : root;
    const list = bySubject.get(cert.subject) ?? [];
    list.push(cert);
    bySubject.set(cert.subject, list);
  }
  return bySubject;
}

let systemRoots: TrustedRoots | undefined;

/** Node's bundled Mozilla roots (`tls.rootCertificates`), parsed once on first use (≈ 45 ms). */
export function nodeRoots(): TrustedRoots {
  systemRoots ??= trustedRoots(rootCertificates);
  return systemRoots;
}

/** The span in which a whole chain is valid: the latest notBefore and the earliest notAfter (epoch ms). */
export interface ValidChain {
  leaf: X509Certificate;
  notBefore: number;
  notAfter: number;
}

const within = (cert: X509Certificate, now: number) => Date.parse(cert.validFrom) <= now && now <= Date.parse(cert.validTo);

/** Issued and signed by `issuer` (names match and the signature verifies with its key). */
const issuedBy = (cert: X509Certificate, issuer: X509Certificate) => cert.checkIssued(issuer) && cert.verify(issuer.publicKey);

/**
 * The chain's leaf and validity span when it holds at `now`, else why not (a short reason for
 * logs; never shown to a client).
 */
export function verifyChain(chain: readonly X509Certificate[], options: { roots: TrustedRoots; subjectAltName: string; now: number }): ValidChain | string {
  const { roots, now } = options;
  const leaf = chain[0];
  if (leaf === undefined) return "empty chain";
  // Exact DNS entry: a wildcard certificate for the parent domain is not the host asked for.
  const names = (leaf.subjectAltName ?? "").split(", ");
  if (!names.includes(`DNS:${options.subjectAltName}`)) return `leaf certificate is not for ${options.subjectAltName}`;
  let notBefore = -Infinity;
  let notAfter = Infinity;
  for (let i = 0; i < chain.length; i++) {
    const cert = chain[i]!;
    if (!within(cert, now)) return "a certificate is expired or not yet valid";
    notBefore = Math.max(notBefore, Date.parse(cert.validFrom));
    notAfter = Math.min(notAfter, Date.parse(cert.validTo));
    const root = (roots.get(cert.issuer) ?? []).find((r) => within(r, now) && issuedBy(cert, r));
    if (root !== undefined) {
      notBefore = Math.max(notBefore, Date.parse(root.validFrom));
      notAfter = Math.min(notAfter, Date.parse(root.validTo));
      return { leaf, notBefore, notAfter };
    }
    const next = chain[i + 1];
    if (next === undefined || !next.ca || !issuedBy(cert, next)) return "chain does not lead to a trusted root";
  }
  return "chain does not lead to a trusted root";
}
