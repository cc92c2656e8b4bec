/**
 * Base45 (RFC 9285), strict: a text whose length leaves one character
 * over, a character outside the alphabet, or a group whose value does not
 * fit its bytes (a triple over 65535, a final pair over 255) is refused,
 * so one payload has exactly one text.
 */

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

const VALUES: ReadonlyMap<string, number> = new Map([...ALPHABET].map((c, i) => [c, i] as const));

/** The bytes a base45 text stands for, or `null` when it is not base45. */
export function base45Decode(text: string): Uint8Array | null {
  if (text.length % 3 === 1) return null;
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  let o = 0;
  for (let i = 0; i < text.length; i += 3) {
    const c = VALUES.get(text.charAt(i));
    const d = VALUES.get(text.charAt(i + 1));
    if (c === undefined || d === undefined) return null;
    if (i + 2 < text.length) {
      const e = VALUES.get(text.charAt(i + 2));
      if (e === undefined) return null;
      const n = c + d * 45 + e * 45 * 45;
      if (n > 0xffff) return null;
      out[o++] = n >> 8;
      out[o++] = n & 0xff;
    } else {
      const n = c + d * 45;
      if (n > 0xff) return null;
      out[o++] = n;
    }
  }
  return out;
}

/** The base45 text of some bytes. */
export function base45Encode(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 2) {
    const hi = bytes[i] ?? 0;
    if (i + 1 < bytes.length) {
      let n = hi * 256 + (bytes[i + 1] ?? 0);
      for (let k = 0; k < 3; k++) {
        out += ALPHABET.charAt(n % 45);
        n = Math.floor(n / 45);
      }
    } else {
      out += ALPHABET.charAt(hi % 45) + ALPHABET.charAt(Math.floor(hi / 45));
    }
  }
  return out;
}
