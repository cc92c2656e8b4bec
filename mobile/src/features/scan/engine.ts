/**
 * The door's scanning engine for one event, day and gate: online scans
 * through the gateway, offline decisions with the scanner kit, the queue
 * of offline admissions and its sync, conflicts, and live counts. Plain
 * TypeScript with a subscribe/snapshot pair for React's useSyncExternalStore.
 */
import { seenKey, verifyTicket, type SeenSet } from "@sellout/scanner/verify";
import {
  CHECK_IN_COUNTS,
  SCAN,
  SCAN_CONFLICTS,
  SCANNER_KIT,
  SYNC_SCANS,
  type Admission,
  type LiveCheckInCounts,
  type ScanAnswer,
  type ScanConflict,
  type ScannerKit,
  type SyncedScan,
} from "../../api/documents";
import { ApiError, gql, isTransient, NetworkError } from "../../api/graphql";
import { subscribe } from "../../api/live";
import * as store from "../../store/db";

export const KIT_REFRESH_MS = 30_000;
export const CONFLICT_POLL_MS = 5_000;
// Well under the gateway's 256 KiB request limit (a scan is ~300 bytes
// of JSON) and its 1,000 scans a call.
export const SYNC_BATCH = 200;
const SCAN_TIMEOUT_MS = 5_000;

export interface Place {
  event: string;
  /** The event day picked (for the counts). */
  day: number;
  /** The gate's name (a kit gate's `name`, or free text). */
  gate: string;
  device: string;
  staff: string;
  /** The day's check-ins as scanDays reported them, until live counts arrive. */
  checkedIn: number;
}

export interface Counts {
  event: number | null;
  gate: number | null;
  /** True while the live subscription delivers; false: last known figures. */
  live: boolean;
}

export interface EngineState {
  kit: ScannerKit | null;
  kitFetchedAt: string | null;
  online: boolean;
  queueLength: number;
  lastSync: string | null;
  syncError: string | null;
  conflicts: ScanConflict[];
  counts: Counts;
}

export interface ScanResult {
  answer: ScanAnswer;
  /** Decided on this device (no answer from the gateway). */
  offline: boolean;
  scanId: string;
  code: string;
}

const ADMITTING = new Set(["ADMITTED", "REDEEMED"]);

export class ScanEngine {
  private state: EngineState;
  private readonly listeners = new Set<() => void>();
  private seen = new Map<string, Admission>();
  private reachable = true;
  private syncing: Promise<void> | null = null;
  private stops: (() => void)[] = [];
  private generation = 0;

  constructor(readonly place: Place) {
    this.state = {
      kit: null,
      kitFetchedAt: null,
      online: navigator.onLine,
      queueLength: 0,
      lastSync: null,
      syncError: null,
      conflicts: [],
      counts: { event: place.checkedIn, gate: null, live: false },
    };
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getSnapshot = () => this.state;

  private set(patch: Partial<EngineState>) {
    this.state = { ...this.state, ...patch };
    this.listeners.forEach((l) => l());
  }

  private get event() {
    return this.place.event;
  }

  private isOnline() {
    return navigator.onLine && this.reachable;
  }

  private markReachable(ok: boolean) {
    this.reachable = ok;
    this.set({ online: this.isOnline() });
  }

  private async failed<T>(p: Promise<T>): Promise<T> {
    try {
      const v = await p;
      this.markReachable(true);
      return v;
    } catch (e) {
      if (e instanceof NetworkError) this.markReachable(false);
      else if (e instanceof ApiError) this.markReachable(true);
      throw e;
    }
  }

  /** Loads what the device has, then starts the timers, listeners and live counts. */
  async start() {
    const generation = ++this.generation;
    const [cachedKit, seen, queueLength, lastSync, conflicts, counts] = await Promise.all([
      store.loadKit(this.event),
      store.loadSeen(this.event),
      store.queueLength(),
      store.getMeta<string>("lastSync"),
      store.getMeta<ScanConflict[]>(`conflicts:${this.event}`),
      store.getMeta<Counts>(`counts:${this.event}:${this.place.day}:${this.place.gate}`),
    ]);
    if (generation !== this.generation) return; // stopped meanwhile
    this.seen = seen;
    this.set({
      kit: cachedKit?.kit ?? null,
      kitFetchedAt: cachedKit?.fetchedAt ?? null,
      queueLength,
      lastSync: lastSync ?? null,
      conflicts: conflicts ?? [],
      counts: counts ? { ...counts, live: false } : this.state.counts,
    });

    const onOnline = () => {
      this.reachable = true;
      this.set({ online: this.isOnline() });
      void this.refreshKit();
      void this.sync();
    };
    const onOffline = () => this.set({ online: false });
    window.addEventListener("online", onOnline);
    window.addEventListener("offline", onOffline);
    const kitTimer = setInterval(() => {
      if (navigator.onLine) void this.refreshKit();
    }, KIT_REFRESH_MS);
    const pollTimer = setInterval(() => {
      if (!navigator.onLine) return;
      if (this.state.queueLength > 0) void this.sync();
      else void this.pollConflicts();
    }, CONFLICT_POLL_MS);
    this.stops.push(
      () => window.removeEventListener("online", onOnline),
      () => window.removeEventListener("offline", onOffline),
      () => clearInterval(kitTimer),
      () => clearInterval(pollTimer),
      this.startCounts(),
    );

    if (navigator.onLine) {
      await this.refreshKit();
      void this.sync();
    }
  }

  stop() {
    this.generation++;
    this.stops.forEach((s) => s());
    this.stops = [];
  }

  private startCounts(): () => void {
    let unsubscribe: (() => void) | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      unsubscribe = subscribe<{ checkInCounts: LiveCheckInCounts }>(
        CHECK_IN_COUNTS,
        { event: this.event },
        (data) => this.onCounts(data.checkInCounts),
        () => {
          this.set({ counts: { ...this.state.counts, live: false } });
          if (!stopped) retry = setTimeout(open, 10_000);
        },
      );
    };
    open();
    const onOffline = () => this.set({ counts: { ...this.state.counts, live: false } });
    window.addEventListener("offline", onOffline);
    return () => {
      stopped = true;
      clearTimeout(retry);
      unsubscribe?.();
      window.removeEventListener("offline", onOffline);
    };
  }

  private onCounts(live: LiveCheckInCounts) {
    const day = live.days.find((d) => d.day === this.place.day);
    const gate = day?.byGate.find((g) => g.name === this.place.gate);
    const counts: Counts = { event: day?.checkedIn ?? 0, gate: gate?.checkedIn ?? 0, live: true };
    this.set({ counts });
    void store.setMeta(`counts:${this.event}:${this.place.day}:${this.place.gate}`, counts);
  }

  /** Fetches the scanner kit and keeps it on the device. */
  async refreshKit(): Promise<void> {
    try {
      const data = await this.failed(gql<{ scannerKit: ScannerKit }>(SCANNER_KIT, { event: this.event }));
      await store.saveKit(this.event, data.scannerKit);
      this.set({ kit: data.scannerKit, kitFetchedAt: new Date().toISOString() });
    } catch {
      // keep the kit we have
    }
  }

  private async remember(answer: ScanAnswer, fallback: Admission | null) {
    if (!answer.ticketId || answer.day === 0) return;
    const admission = answer.standing ?? fallback;
    if (!admission) return;
    const key = seenKey(answer.ticketId, answer.day);
    this.seen.set(key, admission);
    await store.recordSeen(this.event, key, admission);
  }

  /** What the device alone answers for a code now. */
  decideLocally(code: string, now: Date): ScanAnswer | null {
    const kit = this.state.kit;
    if (!kit) return null;
    const seen: SeenSet = this.seen;
    return verifyTicket(code, kit, now, this.place.gate, seen, { device: this.place.device, staff: this.place.staff });
  }

  /** One physical scan: the gateway's answer when it can be reached, else the device's. */
  async scan(code: string): Promise<ScanResult> {
    const now = new Date();
    const scanId = crypto.randomUUID();
    const local = this.decideLocally(code, now);

    if (navigator.onLine) {
      const vars = { event: this.event, code, gate: this.place.gate, device: this.place.device, scanId };
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          const data = await this.failed(gql<{ scan: ScanAnswer }>(SCAN, vars, { timeoutMs: SCAN_TIMEOUT_MS }));
          const answer = data.scan;
          if (ADMITTING.has(answer.outcome) || answer.outcome === "ALREADY_ADMITTED")
            await this.remember(answer, local?.standing ?? null);
          return { answer, offline: false, scanId, code };
        } catch (e) {
          // The gateway answered but refused: say so, never decide here
          // (deciding on the device would switch off first-scan-wins).
          if (e instanceof ApiError)
            return { answer: refused(`Not checked, do not admit yet: ${e.message}`), offline: false, scanId, code };
          // a network failure is retried once with the same scanId, then decided here
          if (!(e instanceof NetworkError) || !navigator.onLine) break;
        }
      }
    }

    if (!local) {
      return {
        answer: refused("Cannot check this ticket offline: the event's scanner data is not on this device yet."),
        offline: true,
        scanId,
        code,
      };
    }
    if (ADMITTING.has(local.outcome)) {
      await store.enqueue({
        scanId,
        event: this.event,
        code,
        gate: this.place.gate,
        day: local.day,
        scannedAt: now.toISOString(),
      });
      await this.remember(local, local.standing);
      this.set({ queueLength: await store.queueLength() });
    }
    return { answer: local, offline: true, scanId, code };
  }

  /** Sends the queued offline scans (every event's, in order), then asks for conflicts. */
  sync(): Promise<void> {
    this.syncing ??= this.doSync().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  private async doSync() {
    try {
      let all = await store.queued();
      while (all.length > 0) {
        const first = all[0];
        if (!first) break;
        const batch = all.filter((q) => q.event === first.event).slice(0, SYNC_BATCH);
        const data = await this.failed(
          gql<{ syncScans: SyncedScan[] }>(SYNC_SCANS, {
            event: first.event,
            device: this.place.device,
            scans: batch.map(({ scanId, code, gate, day, scannedAt }) => ({ scanId, code, gate, day, scannedAt })),
          }),
        );
        await store.dequeue(data.syncScans.filter((s) => s.outcome !== "FAILED").map((s) => s.scanId));
        if (first.event === this.event) this.addSyncConflicts(batch, data.syncScans);
        const left = await store.queued();
        if (left.length >= all.length) break; // the gateway took none: try again later
        all = left;
      }
      const queueLength = await store.queueLength();
      if (queueLength > 0) {
        this.set({
          queueLength,
          syncError: "Some scans could not be recorded yet; they stay queued and are sent again.",
        });
        return;
      }
      const lastSync = new Date().toISOString();
      await store.setMeta("lastSync", lastSync);
      this.set({ lastSync, syncError: null, queueLength });
    } catch (e) {
      this.set({
        queueLength: await store.queueLength(),
        syncError: isTransient(e) ? null : `Sync failed: ${e instanceof Error ? e.message : String(e)}`,
      });
      return;
    }
    await this.pollConflicts();
  }

  private addSyncConflicts(batch: store.QueuedScan[], synced: SyncedScan[]) {
    const found: ScanConflict[] = [];
    for (const s of synced) {
      if (s.outcome !== "CONFLICT") continue;
      const q = batch.find((b) => b.scanId === s.scanId);
      found.push({
        scanId: s.scanId,
        ticketId: s.answer.ticketId,
        tier: s.answer.tier ?? "",
        day: s.answer.day || (q?.day ?? 0),
        gate: q?.gate ?? this.place.gate,
        device: this.place.device,
        staff: this.place.staff,
        scannedAt: q?.scannedAt ?? "",
        syncedAt: new Date().toISOString(),
        outcome: s.answer.outcome,
        message: s.answer.message,
        standing: s.answer.standing,
      });
    }
    if (found.length > 0) this.mergeConflicts(found);
  }

  private mergeConflicts(found: ScanConflict[]) {
    const byId = new Map(this.state.conflicts.map((c) => [c.scanId, c]));
    for (const c of found) byId.set(c.scanId, c);
    const conflicts = [...byId.values()].sort((a, b) => b.syncedAt.localeCompare(a.syncedAt));
    this.set({ conflicts });
    void store.setMeta(`conflicts:${this.event}`, conflicts);
  }

  /** Asks the gateway for the conflicts that concern this device. */
  async pollConflicts(): Promise<void> {
    try {
      const data = await this.failed(
        gql<{ scanConflicts: ScanConflict[] }>(SCAN_CONFLICTS, { event: this.event, device: this.place.device }),
      );
      this.mergeConflicts(data.scanConflicts);
    } catch {
      // keep the last known
    }
  }
}

/** A scan that could not be checked (the gateway refused it, or the device has no kit): admit nobody. */
function refused(message: string): ScanAnswer {
  return {
    outcome: "INVALID",
    message,
    ticketId: null,
    tier: null,
    tierDisplayName: null,
    holderName: null,
    day: 0,
    admissions: 0,
    standing: null,
    validDays: [],
    retry: false,
  };
}
