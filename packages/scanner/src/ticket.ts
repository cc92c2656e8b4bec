/**
 * The ticket QR payload, version 1 (docs/ticket-format.md): 43 signed
 * bytes and their 64-byte Ed25519 signature, as base45 text.
 */
import { base45Decode } from "./base45.js";

export const TICKET_VERSION = 1;
export const BODY_LENGTH = 43;
export const SIGNATURE_LENGTH = 64;
export const PAYLOAD_LENGTH = BODY_LENGTH + SIGNATURE_LENGTH;

export interface TicketClaims {
  version: number;
  keyId: number;
  /** The Event's `metadata.uid`, lowercase hyphenated UUID. */
  eventUid: string;
  /** Lowercase hyphenated UUID. */
  ticketId: string;
  /** First 4 bytes of SHA-256 of the tier's name, 8 lowercase hex characters. */
  tierHash: string;
  /** Bitmask: bit 0 is day 1. */
  validDaysMask: number;
  /** The day numbers the ticket is valid on, ascending. */
  validDays: number[];
  admits: number;
}

export interface DecodedTicket {
  claims: TicketClaims;
  /** The signed bytes (0–42). */
  body: Uint8Array;
  signature: Uint8Array;
}

export type DecodeError = "NOT_BASE45" | "UNSUPPORTED_VERSION" | "BAD_LENGTH";

export type DecodeResult = { ok: true; ticket: DecodedTicket } | { ok: false; error: DecodeError };

/** Lowercase hex of some bytes. */
export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

/** Bytes of lowercase or uppercase hex, or `null` when it is not hex. */
export function fromHex(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** A UUID's 16 bytes (RFC 9562 order) as lowercase hyphenated text. */
export function uuidFromBytes(bytes: Uint8Array): string {
  const h = toHex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The day numbers set in a valid-days bitmask, ascending. */
export function daysOfMask(mask: number): number[] {
  const days: number[] = [];
  for (let bit = 0; bit < 32; bit++) if (((mask >>> bit) & 1) === 1) days.push(bit + 1);
  return days;
}

function decodeBytes(bytes: Uint8Array): DecodeResult {
  // The version comes before the length: a later format may have another length.
  if (bytes.length < 1 || bytes[0] !== TICKET_VERSION) return { ok: false, error: "UNSUPPORTED_VERSION" };
  if (bytes.length !== PAYLOAD_LENGTH) return { ok: false, error: "BAD_LENGTH" };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const mask = view.getUint32(38, false);
  return {
    ok: true,
    ticket: {
      claims: {
        version: view.getUint8(0),
        keyId: view.getUint8(1),
        eventUid: uuidFromBytes(bytes.subarray(2, 18)),
        ticketId: uuidFromBytes(bytes.subarray(18, 34)),
        tierHash: toHex(bytes.subarray(34, 38)),
        validDaysMask: mask,
        validDays: daysOfMask(mask),
        admits: view.getUint8(42),
      },
      body: bytes.slice(0, BODY_LENGTH),
      signature: bytes.slice(BODY_LENGTH, PAYLOAD_LENGTH),
    },
  };
}

/**
 * Reads a ticket's QR text (the signature is not checked here; see
 * `verifyTicket`). The text is taken verbatim first, since base45 text may
 * begin or end with a space; when that is not a ticket, the text with
 * surrounding white space trimmed is tried (typed or pasted codes). Only
 * one of the two can be 107 bytes long, so this never picks between two
 * payloads. Never throws.
 */
export function decodeTicket(text: string): DecodeResult {
  let first: DecodeResult | null = null;
  for (const candidate of text.trim() === text ? [text] : [text, text.trim()]) {
    const bytes = base45Decode(candidate);
    const result: DecodeResult = bytes ? decodeBytes(bytes) : { ok: false, error: "NOT_BASE45" };
    if (result.ok) return result;
    first ??= result;
  }
  return first ?? { ok: false, error: "NOT_BASE45" };
}
