/**
 * The GraphQL documents the scanner sends and the shapes of their answers
 * (the scan role's part of gateway/schema.graphql).
 */
import type { Admission, ScanAnswer, ScannerKit, ScanOutcome } from "@sellout/scanner/verify";

export interface AuthTokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
}

export interface ScanDay {
  event: string;
  title: string;
  venue: string;
  day: number;
  doorsAt: string;
  startsAt: string;
  endsAt: string;
  checkedIn: number;
}

export interface OfflineScanInput {
  scanId: string;
  code: string;
  gate: string;
  day: number;
  scannedAt: string;
}

/** FAILED: not recorded now (the ledger was unreachable); keep it and send it again. */
export type SyncOutcome = "RECORDED" | "DUPLICATE" | "CONFLICT" | "FAILED";

export interface SyncedScan {
  scanId: string;
  outcome: SyncOutcome;
  answer: ScanAnswer;
}

export interface ScanConflict {
  scanId: string;
  ticketId: string | null;
  tier: string;
  day: number;
  gate: string;
  device: string;
  staff: string;
  scannedAt: string;
  syncedAt: string;
  outcome: ScanOutcome;
  message: string;
  standing: Admission | null;
}

export interface NamedCheckIns {
  name: string;
  checkedIn: number;
  admissions: number;
}

export interface DayCheckIns {
  day: number;
  checkedIn: number;
  admissions: number;
  redeemed: number;
  byGate: NamedCheckIns[];
  byTier: NamedCheckIns[];
}

export interface LiveCheckInCounts {
  days: DayCheckIns[];
}

const TOKENS = "accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt";
const ADMISSION = "at gate device staff offline";
const ANSWER = `outcome message ticketId tier tierDisplayName holderName day admissions standing { ${ADMISSION} } validDays retry`;

export const REQUEST_LOGIN_CODE = `mutation RequestLoginCode($email: String) {
  requestLoginCode(email: $email) { channel expiresInSeconds }
}`;

export const LOGIN = `mutation Login($email: String, $code: String!) {
  login(email: $email, code: $code) { ${TOKENS} }
}`;

export const REFRESH = `mutation Refresh($refreshToken: String!) {
  refresh(refreshToken: $refreshToken) { ${TOKENS} }
}`;

export const SCAN_DAYS = `query ScanDays {
  scanDays { event title venue day doorsAt startsAt endsAt checkedIn }
}`;

export const SCANNER_KIT = `query ScannerKit($event: String!) {
  scannerKit(event: $event) {
    eventUid
    keys { keyId publicKey }
    days { day doorsAt startsAt endsAt scanFrom scanUntil }
    tiers { name displayName hash addOn }
    gates { name displayName tiers reentry }
    revoked
    asOf
  }
}`;

export const SCAN = `mutation Scan($event: String!, $code: String!, $gate: String!, $device: String!, $scanId: ID!) {
  scan(event: $event, code: $code, gate: $gate, device: $device, scanId: $scanId) { ${ANSWER} }
}`;

export const SYNC_SCANS = `mutation SyncScans($event: String!, $device: String!, $scans: [OfflineScanInput!]!) {
  syncScans(event: $event, device: $device, scans: $scans) { scanId outcome answer { ${ANSWER} } }
}`;

export const SCAN_CONFLICTS = `query ScanConflicts($event: String!, $device: String) {
  scanConflicts(event: $event, device: $device) {
    scanId ticketId tier day gate device staff scannedAt syncedAt outcome message standing { ${ADMISSION} }
  }
}`;

export const CHECK_IN_COUNTS = `subscription CheckInCounts($event: String!) {
  checkInCounts(event: $event) {
    days { day checkedIn admissions redeemed byGate { name checkedIn admissions } byTier { name checkedIn admissions } }
  }
}`;

export type { Admission, ScanAnswer, ScannerKit, ScanOutcome };
