// Secrets at rest (docs/security.md): with HOOKD_ENCRYPTION_KEY set, signing secrets, the JWT private
// key and target header values (header_sealing.ts) are stored sealed with AES-256-GCM, so a
// copied database file or a downloaded backup reveals none of them. Sealed values carry a
// marker, so a database holds sealed and plain values only while start-up (collections/seal_existing.ts)
// is sealing what an older start left plain.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const TEXT_MARK = "enc:v1:";
const BYTES_MARK = new TextEncoder().encode("hkenc1");
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** SealFailed: a sealed value that this key does not open (another key, or damaged). */
export class SealFailed extends Error {}

/** AtRest seals values before they are stored and opens them when read; without a key it stores them plain. */
export interface AtRest {
  readonly sealing: boolean;
  sealBytes(plain: Uint8Array): Uint8Array;
  openBytes(stored: Uint8Array): Uint8Array;
  sealText(plain: string): string;
  openText(stored: string): string;
}

/** isSealedBytes tells whether stored bytes are sealed. */
export function isSealedBytes(b: Uint8Array): boolean {
  return b.length > BYTES_MARK.length && BYTES_MARK.every((v, i) => b[i] === v);
}

/** isSealedText tells whether stored text is sealed. */
export function isSealedText(s: string): boolean {
  return s.startsWith(TEXT_MARK);
}

/** atRest builds the sealer for a key (HOOKD_ENCRYPTION_KEY), or a plain one for none. */
export function atRest(secret: string | undefined): AtRest {
  if (!secret) return plain;
  // The setting is a passphrase of at least 32 characters; its SHA-256 is the AES-256 key.
  const key = createHash("sha256").update(secret).digest();
  const seal = (data: Uint8Array) => {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    return Buffer.concat([iv, cipher.update(data), cipher.final(), cipher.getAuthTag()]);
  };
  const open = (sealed: Uint8Array) => {
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new SealFailed("sealed value too short");
    const iv = sealed.subarray(0, IV_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new SealFailed("HOOKD_ENCRYPTION_KEY does not open this value");
    }
  };
  return {
    sealing: true,
    sealBytes: (b) => (isSealedBytes(b) ? b : new Uint8Array(Buffer.concat([BYTES_MARK, seal(b)]))),
    openBytes: (b) => (isSealedBytes(b) ? new Uint8Array(open(b.subarray(BYTES_MARK.length))) : b),
    sealText: (s) => (isSealedText(s) ? s : TEXT_MARK + seal(Buffer.from(s, "utf8")).toString("base64")),
    openText: (s) => (isSealedText(s) ? open(Buffer.from(s.slice(TEXT_MARK.length), "base64")).toString("utf8") : s),
  };
}

const plain: AtRest = {
  sealing: false,
  sealBytes: (b) => b,
  openBytes: (b) => {
    if (isSealedBytes(b)) throw new SealFailed("this value is sealed; set HOOKD_ENCRYPTION_KEY");
    return b;
  },
  sealText: (s) => s,
  openText: (s) => {
    if (isSealedText(s)) throw new SealFailed("this value is sealed; set HOOKD_ENCRYPTION_KEY");
    return s;
  },
};
