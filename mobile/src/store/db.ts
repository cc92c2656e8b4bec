/**
 * What the scanner keeps on the device, in IndexedDB: each event's
 * scanner kit, the scans made offline and not yet synced, the device's own
 * admissions (ticket + day, for ALREADY_ADMITTED offline), and small
 * facts (last sync, last known conflicts and counts).
 */
import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import type { Admission, ScanConflict, ScannerKit } from "../api/documents";

export interface QueuedScan {
  scanId: string;
  event: string;
  code: string;
  gate: string;
  day: number;
  scannedAt: string;
  /** Order made, for syncing in order. */
  seq: number;
}

interface SeenRow {
  /** `${event}|${seenKey(ticket, day)}` */
  id: string;
  event: string;
  key: string;
  admission: Admission;
}

interface ScannerDB extends DBSchema {
  kits: { key: string; value: { event: string; kit: ScannerKit; fetchedAt: string } };
  queue: { key: string; value: QueuedScan; indexes: { bySeq: number } };
  seen: { key: string; value: SeenRow; indexes: { byEvent: string } };
  meta: { key: string; value: unknown };
}

let dbPromise: Promise<IDBPDatabase<ScannerDB>> | null = null;

function db() {
  dbPromise ??= openDB<ScannerDB>("sellout-scanner", 1, {
    upgrade(d) {
      d.createObjectStore("kits", { keyPath: "event" });
      d.createObjectStore("queue", { keyPath: "scanId" }).createIndex("bySeq", "seq");
      d.createObjectStore("seen", { keyPath: "id" }).createIndex("byEvent", "event");
      d.createObjectStore("meta");
    },
  });
  return dbPromise;
}

export async function loadKit(event: string): Promise<{ kit: ScannerKit; fetchedAt: string } | undefined> {
  return (await db()).get("kits", event);
}

export async function saveKit(event: string, kit: ScannerKit): Promise<void> {
  await (await db()).put("kits", { event, kit, fetchedAt: new Date().toISOString() });
}

export async function enqueue(scan: Omit<QueuedScan, "seq">): Promise<void> {
  const d = await db();
  const last = await d.transaction("queue").store.index("bySeq").openCursor(null, "prev");
  await d.put("queue", { ...scan, seq: (last?.value.seq ?? 0) + 1 });
}

/** The queued scans, in the order made. */
export async function queued(): Promise<QueuedScan[]> {
  return (await db()).getAllFromIndex("queue", "bySeq");
}

export async function queueLength(): Promise<number> {
  return (await db()).count("queue");
}

export async function dequeue(scanIds: string[]): Promise<void> {
  const tx = (await db()).transaction("queue", "readwrite");
  await Promise.all([...scanIds.map((id) => tx.store.delete(id)), tx.done]);
}

export async function loadSeen(event: string): Promise<Map<string, Admission>> {
  const rows = await (await db()).getAllFromIndex("seen", "byEvent", event);
  return new Map(rows.map((r) => [r.key, r.admission]));
}

export async function recordSeen(event: string, key: string, admission: Admission): Promise<void> {
  await (await db()).put("seen", { id: `${event}|${key}`, event, key, admission });
}

export async function getMeta<T>(key: string): Promise<T | undefined> {
  return (await (await db()).get("meta", key)) as T | undefined;
}

export async function setMeta(key: string, value: unknown): Promise<void> {
  await (await db()).put("meta", value, key);
}

export type { ScanConflict };
