/**
 * The shapes of the scan role's GraphQL types that the scanner uses
 * (gateway/schema.graphql: ScannerKit, ScanAnswer and their parts).
 */

export interface ScannerKey {
  keyId: number;
  /** Raw 32-byte Ed25519 public key, lowercase hex. */
  publicKey: string;
}

export interface ScanKitDay {
  day: number;
  doorsAt: string;
  startsAt: string;
  endsAt: string;
  /** Scanning for this day is open from `scanFrom` (inclusive) to `scanUntil` (exclusive), RFC 3339. */
  scanFrom: string;
  scanUntil: string;
}

export interface ScanKitTier {
  name: string;
  displayName: string;
  /** First 4 bytes of SHA-256 of `name`, 8 lowercase hex characters. */
  hash: string;
  addOn: boolean;
}

export interface ScanGate {
  name: string;
  displayName: string;
  /** Tier names this gate admits; empty: every tier. */
  tiers: string[];
  reentry: boolean;
}

export interface ScannerKit {
  eventUid: string;
  keys: ScannerKey[];
  days: ScanKitDay[];
  tiers: ScanKitTier[];
  /** Empty: the event names no gates, any gate text is fine. */
  gates: ScanGate[];
  /** Revoked ticket ids, lowercase hyphenated UUIDs. */
  revoked: string[];
  asOf: string;
}

export type ScanOutcome =
  | "ADMITTED"
  | "ALREADY_ADMITTED"
  | "REDEEMED"
  | "REVOKED"
  | "WRONG_EVENT"
  | "WRONG_DAY"
  | "NOT_YET_VALID"
  | "WRONG_GATE"
  | "INVALID";

export interface Admission {
  at: string;
  gate: string;
  device: string;
  staff: string;
  offline: boolean;
}

export interface ScanAnswer {
  outcome: ScanOutcome;
  /** For door staff, in words. */
  message: string;
  ticketId: string | null;
  tier: string | null;
  tierDisplayName: string | null;
  holderName: string | null;
  /** The event day scanned for (0 when none). */
  day: number;
  /** People this ticket admits. */
  admissions: number;
  standing: Admission | null;
  validDays: number[];
  retry: boolean;
}
