// QR signing from trainees' phones: the hot path (a whole room signs the same sheet within a
// minute at 9:00). Signatures of one slot that arrive while a write for that slot is in flight are
// grouped (group commit): one transaction, one slot lock, consecutive evidence links, one commit.
// Nothing waits when the slot is idle (a lone signature is written at once) and every request is
// answered only after its own row is committed. Rules, answers and error codes are those of a
// signature written alone; a failed group is rolled back and each signature retried alone.
import type { Transaction } from "kysely";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";
import { notFound } from "../../core/errors.ts";
import { check } from "../../core/rules.ts";
import { deviceNotRegistered, devicesByTokenHash } from "./access.ts";
import { checkParentLink, evidenceRow, type LastLink, sha256 } from "./evidence.ts";
import { evidenceSubject, saltsFor } from "../../core/privacy.ts";
import { awaitsSignature } from "./proof.ts";
import { readCode } from "./qr.ts";
import { attendanceWindow, methodFitsModality, qrCodeValid, queuedSignatureTime } from "./rules.ts";
import type { SignInput } from "./schema.ts";
import { attendanceSettings } from "./settings.ts";
import { type EvidenceInfo, fail, insertAttendance, lockSlot, type NewRow, planAttendance, type RequestMeta, requireSignable, type Signer, type SignResult, signerNotExpected } from "./signing.ts";
import { type AttendanceRow, attendanceOf, type SlotRow, signersOnSlot, slotById } from "./store.ts";

type Tx = Transaction<DB>;

interface Signing {
  now: Date;
  signer: Signer | SignerClaim;
  meta: RequestMeta;
  input: SignInput;
  issuedAt: Date | undefined;
  queuedAt: Date | undefined;
  /** When the signature was made: `signedAt` of a queued one, else now. */
  reference: Date;
}

/**
 * QR signing from the trainee's phone. Online, the code must be at most qrMaxAgeSeconds old now.
 * A signature queued offline carries `signedAt` (when it was drawn): it is accepted later, once,
 * if the code is genuine, was at most qrMaxAgeSeconds old at `signedAt`, and `signedAt` lies inside
 * the slot's window and not after the server's now (give or take the tolerated clock drift).
 */
export async function signWithCode(db: Db, now: Date, signer: Signer | SignerClaim, meta: RequestMeta, input: SignInput): Promise<SignResult> {
  const issuedAt = readCode(attendanceSettings().secret, input.slotId, input.code);
  const queuedAt = input.signedAt ? new Date(input.signedAt) : undefined;
  const s: Signing = { now, signer, meta, input, issuedAt, queuedAt, reference: queuedAt ?? now };
  // A resolved signer is checked here as before; a device claim is checked with its group.
  if (!isClaim(signer)) checkQueuedTime(s);
  return submit(db, s);
}

/** A phone's device cookie not yet checked, and the logged-in trainee to fall back on. */
export interface SignerClaim {
  deviceToken: string;
  login?: Signer;
}
const isClaim = (s: Signer | SignerClaim): s is SignerClaim => "deviceToken" in s;

/** A queued signature's claimed time, against the server's receipt (now). */
function checkQueuedTime(s: Signing) {
  const settings = attendanceSettings();
  if (s.queuedAt) fail(check(queuedSignatureTime(s.queuedAt, s.now, settings.queueMaxHours, settings.clockSkewSeconds)));
}

/** Resolves device claims (one query for all) in the order signerOf would: valid device, else logged-in trainee, else 401. */
async function resolveSigners(db: Db | Tx, jobs: Signing[]): Promise<Map<Signing, Signer | { error: unknown }>> {
  const out = new Map<Signing, Signer | { error: unknown }>();
  const claims = jobs.filter((j) => isClaim(j.signer));
  const devices = claims.length ? await devicesByTokenHash(db, [...new Set(claims.map((j) => sha256((j.signer as SignerClaim).deviceToken)))]) : [];
  const byHash = new Map(devices.map((d) => [d.token_hash, d]));
  for (const j of jobs) {
    let signer: Signer | undefined;
    if (!isClaim(j.signer)) signer = j.signer;
    else {
      const d = byHash.get(sha256(j.signer.deviceToken));
      signer = d && d.expires_at.getTime() > j.now.getTime() ? { traineeId: d.trainee_id, userId: null, via: "device", deviceId: d.id } : j.signer.login;
    }
    if (!signer) {
      out.set(j, { error: deviceNotRegistered() });
      continue;
    }
    try {
      checkQueuedTime(j);
      out.set(j, signer);
    } catch (error) {
      out.set(j, { error });
    }
  }
  return out;
}

/** Slot status and rules, checked under the slot lock (throws the DomainError a lone signature would). */
function checkSigning(slot: SlotRow, s: Signing) {
  const settings = attendanceSettings();
  // A queued signature may arrive after the sheet was closed; a live one needs the slot open.
  requireSignable(slot, s.queuedAt ? ["open", "closed"] : ["open"]);
  fail(
    check(
      qrCodeValid(s.issuedAt, s.reference, settings.qrMaxAgeSeconds, settings.clockSkewSeconds),
      attendanceWindow(slot, s.reference, settings.earlyMinutes),
      methodFitsModality("qr", slot.modality),
    ),
  );
}

const rowOf = (slot: SlotRow, pathId: string, s: Signing, signer: Signer): NewRow => ({
  slot,
  pathId,
  status: "present",
  method: "qr",
  signedAt: s.reference,
  codeIssuedAt: s.issuedAt ?? null,
  signature: s.input.signature,
  clientId: s.input.clientId,
  recordedBy: signer.userId,
});

const evidenceOf = (s: Signing, signer: Signer): EvidenceInfo => ({
  kind: "signature",
  actorId: signer.userId ?? signer.traineeId,
  actorRole: signer.via === "device" ? "trainee_device" : "trainee",
  at: s.now,
  meta: s.meta,
  extra: { codeIssuedAt: s.issuedAt?.toISOString(), queued: !!s.queuedAt, deviceId: signer.deviceId ?? null },
});

const linkOf = (r: { last_seq: number | null; last_hash: string | null } | undefined): LastLink =>
  r?.last_seq != null && r.last_hash != null ? { seq: r.last_seq, hash: r.last_hash } : undefined;

/** One signature in its own transaction (also the retry of a failed group). */
async function signAlone(db: Db, s: Signing): Promise<SignResult> {
  const resolved = (await resolveSigners(db, [s])).get(s);
  if (!resolved || "error" in resolved) throw resolved?.error;
  const signer = resolved;
  return db.transaction().execute(async (tx) => {
    const slot = await lockSlot(tx, s.input.slotId);
    const [found] = await signersOnSlot(tx, slot.id, [signer.traineeId]);
    if (!found) throw signerNotExpected();
    if (found.attendance_id) {
      const existing = await attendanceOf(tx, slot.id, found.path_id);
      // A declared presence (trainer's mark) is completed by this signature (insertAttendance).
      if (existing && !awaitsSignature(existing)) return { attendance: existing, created: false };
    }
    checkSigning(slot, s);
    return insertAttendance(tx, rowOf(slot, found.path_id, s, signer), evidenceOf(s, signer), { last: linkOf(found) });
  });
}

interface Job extends Signing {
  resolve(r: SignResult): void;
  reject(e: unknown): void;
}
type Outcome = { ok: SignResult } | { error: unknown };

/** Bounds one statement's size (signatures are up to 300 kB each). */
const MAX_GROUP = 32;
const queues = new WeakMap<Db, Map<string, Job[]>>();

function submit(db: Db, s: Signing): Promise<SignResult> {
  return new Promise((resolve, reject) => {
    let bySlot = queues.get(db);
    if (!bySlot) queues.set(db, (bySlot = new Map()));
    const queue = bySlot.get(s.input.slotId);
    if (queue) {
      queue.push({ ...s, resolve, reject });
      return;
    }
    // Nothing in flight for this slot: write at once; later arrivals queue behind this write.
    const jobs: Job[] = [{ ...s, resolve, reject }];
    bySlot.set(s.input.slotId, jobs);
    void drain(db, bySlot, s.input.slotId, jobs);
  });
}

async function drain(db: Db, bySlot: Map<string, Job[]>, slotId: string, queue: Job[]) {
  while (queue.length) {
    const group = queue.splice(0, MAX_GROUP);
    try {
      queue.unshift(...(await writeGroup(db, slotId, group)));
    } catch (error) {
      // Never leave a request hanging (writeGroup settles every job itself; this is the safety net).
      for (const job of group) job.reject(error);
    }
  }
  bySlot.delete(slotId);
}

/**
 * Writes a group; settles each job and returns those to run in the next group (a second signature
 * of the same path or clientId: it must see the first one committed, as it would alone).
 */
async function writeGroup(db: Db, slotId: string, jobs: Job[]): Promise<Job[]> {
  const outcomes = new Map<Job, Outcome>();
  const deferred: Job[] = [];
  // Phones whose cookie matched no expected trainee: unknown device, expired, or not on this slot.
  // Rare; each is answered by the lone path after the group, which tells the cases apart.
  const alone: Job[] = [];
  try {
    await db.transaction().execute(async (tx) => {
      const slot = await slotById(tx, slotId, true);
      if (!slot) {
        for (const job of jobs) outcomes.set(job, { error: notFound("Créneau") });
        return;
      }
      const hashOf = new Map<Job, string>();
      for (const job of jobs) if (isClaim(job.signer)) hashOf.set(job, sha256(job.signer.deviceToken));
      const loginIds = jobs.flatMap((j) => (isClaim(j.signer) ? [] : [j.signer.traineeId]));
      const found = await signersOnSlot(tx, slotId, [...new Set(loginIds)], [...new Set(hashOf.values())]);
      const byHash = new Map(found.filter((f) => f.token_hash).map((f) => [f.token_hash as string, f]));
      const signers = new Map<Job, Signer>();
      for (const job of jobs) {
        let signer: Signer | undefined;
        if (isClaim(job.signer)) {
          const d = byHash.get(hashOf.get(job) as string);
          if (d?.expires_at && d.expires_at.getTime() > job.now.getTime()) signer = { traineeId: d.trainee_id, userId: null, via: "device", deviceId: d.device_id ?? undefined };
        } else signer = job.signer;
        if (!signer) {
          alone.push(job);
          continue;
        }
        try {
          checkQueuedTime(job);
          signers.set(job, signer);
        } catch (error) {
          outcomes.set(job, { error });
        }
      }
      if (!signers.size) return;
      const byTrainee = new Map<string, (typeof found)[number]>();
      for (const f of found) if (!byTrainee.has(f.trainee_id)) byTrainee.set(f.trainee_id, f);
      const existingIds = [...new Set(found.flatMap((f) => (f.attendance_id ? [f.attendance_id] : [])))];
      const existing = new Map<string, AttendanceRow>();
      if (existingIds.length) for (const r of await tx.selectFrom("attendance").selectAll().where("id", "in", existingIds).execute()) existing.set(r.path_id, r);

      // The salts keying each path's IP and device in the evidence (version 3): one query for the group.
      const salts = await saltsFor(tx, found.map((f) => evidenceSubject({ pathId: f.path_id, actorId: null, slotId })));
      let last = linkOf(found[0]);
      const paths = new Set<string>();
      const clientIds = new Set<string>();
      const planned: { job: Job; plan: ReturnType<typeof planAttendance>; evidence: ReturnType<typeof evidenceRow> }[] = [];
      for (const [job, signer] of signers) {
        const f = byTrainee.get(signer.traineeId);
        if (!f) {
          outcomes.set(job, { error: signerNotExpected() });
          continue;
        }
        const row = existing.get(f.path_id);
        if (row && awaitsSignature(row)) {
          // Completing a declared presence is an update, written by the lone path after the group.
          alone.push(job);
          continue;
        }
        if (row) {
          outcomes.set(job, { ok: { attendance: row, created: false } });
          continue;
        }
        if (paths.has(f.path_id) || clientIds.has(job.input.clientId)) {
          deferred.push(job);
          continue;
        }
        try {
          checkSigning(slot, job);
        } catch (error) {
          outcomes.set(job, { error });
          continue;
        }
        const plan = planAttendance(rowOf(slot, f.path_id, job, signer), evidenceOf(job, signer));
        const evidence = evidenceRow(last, plan.entry, salts.get(evidenceSubject(plan.entry)) as Buffer);
        last = { seq: evidence.seq, hash: evidence.hash };
        planned.push({ job, plan, evidence });
        paths.add(f.path_id);
        clientIds.add(job.input.clientId);
      }
      if (!planned.length) return;
      // The group's first link checks the chain's last one; the others chain to links written here.
      await checkParentLink(tx, slot.id, linkOf(found[0]), planned[0].job.now);
      // Plain INSERTs (no ON CONFLICT): any conflict fails the whole group, never a silent gap in the chain.
      const inserted = await tx
        .with("e", (qb) => qb.insertInto("evidence").values(planned.map((p) => p.evidence)))
        .insertInto("attendance")
        .values(planned.map((p) => p.plan.values))
        .returningAll()
        .execute();
      const byId = new Map(inserted.map((r) => [r.id, r]));
      for (const p of planned) {
        const row = byId.get(p.plan.values.id);
        outcomes.set(p.job, row ? { ok: { attendance: row, created: true } } : { error: new Error("ligne d'émargement absente après insertion") });
      }
    });
  } catch {
    // Rolled back (e.g. a clientId already used on another slot): each signature is retried alone
    // and gets the answer it would have had alone.
    for (const job of [...jobs]) {
      await signAlone(db, job).then(job.resolve, job.reject);
    }
    return [];
  }
  for (const job of alone) await signAlone(db, job).then(job.resolve, job.reject);
  for (const [job, o] of outcomes) {
    if ("ok" in o) job.resolve(o.ok);
    else job.reject(o.error);
  }
  return deferred;
}
