// Verifying the proofs (npm run verify-evidence, the Region's /preuves): every link of every chain
// (verifyEvidence), then every fact against the last entry that proves it (verifyFactsAgainstEvidence):
// attendance rows, countersignatures and paper scans. A field changed in SQL — on the evidence row
// or on the fact — is reported; nothing is repaired.
import { type RawBuilder, sql } from "kysely";
import type { Db } from "../../core/db/index.ts";
import { canonicalJson, linkProblem, personalProblem, sha256, type StoredLink } from "./evidence.ts";
import { personalSaltRows } from "../../core/privacy.ts";
import { type AttendanceProofFields, attendanceProof, ERASED_DRAWING } from "./proof.ts";
import { slotRows } from "../schedule/views.ts";
import { attachmentRows } from "../../core/files.ts";

export interface ChainReport {
  slots: number;
  entries: number;
  broken: { slotId: string; seq: number; id: number; problem: string }[];
}
export type Broken = ChainReport["broken"][number];

/** The entry kinds that state an attendance row (the last one of a trainee on a sheet is its proof). */
const ATTENDANCE_KINDS = ["signature", "mark", "absence", "correction", "paper", "attestation"] as const;

export interface VerifyOptions {
  /** Rows per chunk (VERIFY_CHUNK): a test makes it small to cross chunk boundaries. */
  chunkRows?: number;
}

/** Rows per chunk: whole slots, about this many rows; memory stays bounded whatever the size of the table. */
export const VERIFY_CHUNK = 20_000;

/**
 * The slot ranges (after, upto] that cut a table into chunks of about VERIFY_CHUNK rows, whole slots
 * each, in slot order: one index-only read of the (slot_id, …) index per chunk. The ranges cover every
 * slot id, so a slot present in the evidence but not in `table` (or the reverse) is in one of them.
 */
export async function* slotChunks(db: Db, table: "evidence" | "attendance", slotId: string | undefined, chunkRows = VERIFY_CHUNK): AsyncGenerator<Chunk> {
  if (slotId) {
    yield { slot: slotId };
    return;
  }
  let after: string | undefined;
  for (;;) {
    const second = table === "evidence" ? sql`seq` : sql`path_id`;
    const { rows } = await sql<{ slot_id: string }>`
      select slot_id from ${sql.table(table)} where ${after ? sql`slot_id > ${after}` : sql`true`}
      order by slot_id, ${second} offset ${chunkRows} limit 1`.execute(db);
    const upto = rows[0]?.slot_id;
    yield { after, upto };
    if (!upto) return;
    after = upto;
  }
}

/** A range of slots (after, upto], one slot, or a list of slots (those a routine run re-verifies, sealed.ts). */
export type Chunk = { after?: string; upto?: string; slot?: string; slots?: string[] };
/** The SQL condition putting `alias`.slot_id in a chunk. */
export const inChunk = (alias: string, c: Chunk, column = "slot_id") => {
  const col = sql.ref(`${alias}.${column}`);
  if (c.slot) return sql`${col} = ${c.slot}`;
  if (c.slots) return sql`${col} = any(${c.slots}::uuid[])`;
  return sql`${c.after ? sql`${col} > ${c.after}` : sql`true`} and ${c.upto ? sql`${col} <= ${c.upto}` : sql`true`}`;
};

// ——— The checks in SQL: a filter that lets through only what is certainly sound ———
// Each check below recomputes in SQL what the JavaScript verifier computes (canonical JSON, SHA-256,
// HMAC-SHA256). A row is skipped only when SQL finds it sound; every other row — tampered, or one
// whose values SQL does not print exactly as JavaScript does (a float, an array, a payload nested
// deeper than one level, a key out of ASCII, a time finer than the millisecond) — is read and judged by the JavaScript functions as
// before (linkProblem, personalProblem, attendanceDifferences). SQL can only make a sound row look
// suspicious, never the reverse: its text must equal, byte for byte, the text hashed when the row was
// written.

/** JSON text of a value, `null` for SQL NULL (to_json escapes strings as JSON.stringify does). */
const jsonText = (x: RawBuilder<unknown>) => sql<string>`coalesce(to_json(${x})::text, 'null')`;
/** toISOString() of a timestamptz, NULL when finer than the millisecond (JavaScript would truncate it). */
const isoText = (x: RawBuilder<unknown>) =>
  sql<string>`case when extract(microseconds from ${x})::bigint % 1000 = 0 then to_char(${x} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') end`;
const hex256 = (bytes: RawBuilder<unknown>) => sql<string>`encode(sha256(${bytes}), 'hex')`;
const utf8 = (text: RawBuilder<unknown>) => sql`convert_to(${text}, 'UTF8')`;

/** canonicalJson of an object whose keys are known: the keys sorted here as canonicalJson sorts them. */
function canonicalObject(fields: Record<string, RawBuilder<string>>): RawBuilder<string> {
  const keys = Object.keys(fields).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const parts = keys.map((k, i) => sql`${`${i ? "," : "{"}${JSON.stringify(k)}:`}::text || ${fields[k]}`);
  return sql<string>`(${sql.join(parts, sql` || `)} || '}')`;
}

/**
 * canonicalJson of a jsonb object whose values are scalars or objects of scalars (a correction's
 * `before`, a completed mark's `declared`); NULL for anything else (deeper, arrays, empty objects,
 * not an object), which sends the row to JavaScript. Keys sorted bytewise: a key out of ASCII that
 * JavaScript orders otherwise only makes the text differ, i.e. the row suspicious. Every value's text
 * must be there (a NULL would be skipped by string_agg and hide a key): bool_and guards it.
 */
const canonicalFlat = (j: RawBuilder<unknown>) => sql<string>`case when jsonb_typeof(${j}) = 'object' then (
    select case when bool_and(x.t is not null) then '{' || string_agg(to_json(fk)::text || ':' || x.t, ',' order by fk collate "C") || '}' end
    from jsonb_each(${j}) as f(fk, fv)
    cross join lateral (select case jsonb_typeof(fv)
      when 'array' then null
      when 'object' then (
        select case when bool_and(jsonb_typeof(iv) not in ('object', 'array')) then '{' || string_agg(to_json(ik)::text || ':' || iv::text, ',' order by ik collate "C") || '}' end
        from jsonb_each(fv) as i(ik, iv))
      else fv::text end as t) x) end`;

/** The payloads' usual key sets (a presence's proof, a countersignature's): read by key, without unnesting the object. */
const PAYLOAD_SHAPES = [
  ["attendanceId", "slotId", "pathId", "slotStartsAt", "slotEndsAt", "status", "lateMinutes", "realisedMinutes", "method", "signedAt", "signatureSha256", "deliverableSha256", "clientId", "recordedBy"],
  ["slotId", "slotStartsAt", "slotEndsAt", "trainerId", "signatureSha256", "signedAt", "absentRecorded"],
].map((keys) => [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * canonicalJson of a payload: by key when it has exactly one of PAYLOAD_SHAPES' key sets (no key
 * more, none less: `payload - keys` is empty and every key is there), else canonicalFlat. (Reading the
 * values as text, `->>`, with a jsonpath for their types and a to_json guard for escaping, measured
 * slower: docs/adr/0043.)
 */
const canonicalPayload = (j: RawBuilder<unknown>) => {
  const byShape = PAYLOAD_SHAPES.map((keys) => {
    const text = keys.map((k, i) => sql`${`${i ? "," : "{"}${JSON.stringify(k)}:`}::text || (${j} -> ${k}::text)::text`);
    return sql`when ${j} - ${keys}::text[] = '{}'::jsonb and ${j} ?& ${keys}::text[] then ${sql.join(text, sql` || `)} || '}'`;
  });
  return sql<string>`case when jsonb_typeof(${j}) = 'object' then case ${sql.join(byShape, sql` `)} else ${canonicalFlat(j)} end end`;
};

/**
 * The text columns a link (and its salted digest) prints as JSON strings. When none holds a character
 * JSON escapes (`"`, `\\`, a control character) — the usual case: one to_json over their concatenation
 * says so — each prints as itself in quotes, which is 10× cheaper than a to_json per field (EXPLAIN
 * ANALYZE, docs/adr/0043); otherwise every field goes through to_json as before.
 */
const LINK_TEXTS = ["actor_role", "kind", "method", "reason", "payload_hash", "salt_subject", "personal_digest", "ip", "user_agent"] as const;
const plainTexts = sql<boolean>`(to_json(concat(${sql.join(LINK_TEXTS.map((c) => sql.ref(`e.${c}`)))}))::text = '"' || concat(${sql.join(LINK_TEXTS.map((c) => sql.ref(`e.${c}`)))}) || '"')`;
type Quote = (x: RawBuilder<unknown>) => RawBuilder<string>;
/** A text column in quotes (only under plainTexts), `null` for SQL NULL. */
const quotedText: Quote = (x) => sql<string>`coalesce('"' || ${x} || '"', 'null')`;
/** A uuid in quotes: its text never needs escaping. */
const uuidText = (x: RawBuilder<unknown>) => sql<string>`coalesce('"' || ${x}::text || '"', 'null')`;

/** The text of a version 3 entry's salted digest (personalText): by key when it has no other personal field. */
const personalSql = (q: Quote) => sql<string>`case when e.personal is null then '{"ip":' || ${q(sql`e.ip`)} || ',"userAgent":' || ${q(sql`e.user_agent`)} || '}'
  else ${canonicalFlat(sql`jsonb_build_object('ip', e.ip, 'userAgent', e.user_agent) || case when jsonb_typeof(e.personal) = 'object' then e.personal end`)} end`;

/** The columns of a link (version 2 or 3), as chainHashV2 / chainHashV3 hash them. */
function linkSql(version: 2 | 3, q: Quote): RawBuilder<string> {
  const common: Record<string, RawBuilder<string>> = {
    v: sql`${String(version)}::text`,
    slotId: uuidText(sql`e.slot_id`),
    seq: sql`e.seq::text`,
    kind: q(sql`e.kind`),
    actorId: uuidText(sql`e.actor_id`),
    actorRole: q(sql`e.actor_role`),
    pathId: uuidText(sql`e.path_id`),
    at: sql`'"' || ${isoText(sql`e.at`)} || '"'`,
    method: q(sql`e.method`),
    reason: q(sql`e.reason`),
    payloadHash: q(sql`e.payload_hash`),
  };
  const fields =
    version === 2
      ? { ...common, ip: q(sql`e.ip`), userAgent: q(sql`e.user_agent`) }
      : { ...common, saltSubject: q(sql`e.salt_subject`), personalDigest: q(sql`e.personal_digest`) };
  return hex256(utf8(sql`coalesce(e.prev_hash, '') || '|' || ${canonicalObject(fields)}`));
}

/** The link hash and the salted digest of a row, with the fields printed by `q`. */
const linkAndPersonal = (q: Quote) => sql<boolean>`e.hash = case e.hash_version
      when 1 then ${hex256(utf8(sql`coalesce(e.prev_hash, '') || '|' || e.payload_hash || '|' || e.seq::text || '|' || ${isoText(sql`e.at`)}`))}
      when 2 then ${linkSql(2, q)}
      when 3 then ${linkSql(3, q)} end
    and case
      when e.hash_version < 3 then true
      when k.salt is null then e.ip is null and e.user_agent is null and e.personal is null
      else e.personal_digest = encode(sha256(k.opad || sha256(k.ipad || ${utf8(personalSql(q))})), 'hex') end`;

/** Whether a link is sound, in SQL (see above): the conditions of linkProblem and personalProblem. */
const soundLink = sql<boolean>`coalesce(
    e.seq = e.expected_seq
    and e.prev_hash is not distinct from e.prev_link
    and e.payload_hash = ${hex256(utf8(canonicalPayload(sql`e.payload`)))}
    and case when ${plainTexts} then ${linkAndPersonal(quotedText)} else ${linkAndPersonal(jsonText)} end,
    false)`;

type ChainRow = StoredLink & { id: string; personal: unknown; salt: Buffer | null; prev_link: string | null; expected_seq: string | number };

/**
 * One chunk of chains: its counts, and the links SQL did not find sound (with their parent's hash and
 * expected number). One pass counts and judges; the rows it doubts (none on a sound database) are read
 * whole by a second query.
 */
async function chainChunk(db: Db, chunk: Chunk) {
  const [judged] = (await plainly(db, chainChunkSql(chunk))).rows;
  const suspects = judged?.suspects ?? [];
  const rows = suspects.length ? (await plainly(db, chainRowsSql(chunk, suspects))).rows : [];
  return { entries: judged?.entries ?? 0, slots: judged?.slots ?? 0, rows };
}

/**
 * Runs a chunk's query without JIT or parallel workers: the hashing expressions make PostgreSQL's cost
 * estimate high enough to JIT-compile them, which took 10 s per 20 000-row chunk against 1.5 s of work
 * (EXPLAIN ANALYZE; the app's connections turn JIT off too, core/db, but not a DATABASE_URL pool made
 * elsewhere); a chunk is too small for workers. The chunk's rows are sorted in memory (work_mem), not
 * on disk. No nested loops: a chunk's slot range is often narrower than one bucket of the uuid
 * histogram, where PostgreSQL cannot interpolate and estimates one row — and then joined each of the
 * chunk's 20 000 links to each of its ~9 000 salts in a loop (13 s a chunk at 2 000 000 rows instead of
 * 0.5 s; docs/adr/0047); a chunk always reads thousands of rows. Settings local to a transaction: the caller's (a routine run's chunk, sealed.ts) or one of its own.
 */
function plainly<R>(db: Db, query: RawBuilder<R>) {
  const run = async (tx: Db) => {
    await chunkSettings(tx, { nestedLoops: false });
    return query.execute(tx);
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** The settings of a chunk's transaction (see plainly), local to it. */
export const chunkSettings = (tx: Db, o: { nestedLoops: boolean }) =>
  sql`select set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true), set_config('work_mem', '64MB', true),
    set_config('enable_nestloop', ${o.nestedLoops ? "on" : "off"}, true)`.execute(tx);

/** A chunk's links with their parent's hash and expected number (window over the slot's chain). */
const chainRows = (chunk: Chunk) => sql`
      select e.*, lag(e.hash) over w as prev_link, row_number() over w as expected_seq
      from evidence e where ${inChunk("e", chunk)}
      window w as (partition by e.slot_id order by e.seq)`;

/**
 * HMAC's inner and outer keys (RFC 2104) of the salts of a chunk's subjects, once per subject
 * (materialized: inlined, PostgreSQL recomputed them for every row): the salt padded with zeros to 64
 * bytes, xor 0x36… and 0x5c…. A 32-byte salt (every salt drawn by saltsFor) as four 64-bit words;
 * another length has no key here and goes to JavaScript.
 */
const hmacKeys = (chunk: Chunk) => sql`
    ps as (select s.subject, s.salt from ${personalSaltRows()} s where s.subject in (select salt_subject from evidence e where ${inChunk("e", chunk)})),
    w as (
      select ps.subject, ${sql.join(
        [0, 1, 2, 3].map((i) => sql`('x' || encode(substring(ps.salt from ${sql.lit(i * 8 + 1)} for 8), 'hex'))::bit(64)::bigint as ${sql.ref(`w${i}`)}`),
        sql`, `,
      )}
      from ps where length(ps.salt) = 32),
    k as materialized (
      -- Every salt of the chunk's subjects (a salt present but of another length: keys null, the row goes to JavaScript).
      select ps.subject, ps.salt,
        ${sql.join([0, 1, 2, 3].map((i) => sql`int8send(${sql.ref(`w${i}`)} # x'3636363636363636'::bigint)`), sql` || `)} || decode(repeat('36', 32), 'hex') as ipad,
        ${sql.join([0, 1, 2, 3].map((i) => sql`int8send(${sql.ref(`w${i}`)} # x'5c5c5c5c5c5c5c5c'::bigint)`), sql` || `)} || decode(repeat('5c', 32), 'hex') as opad
      from ps left join w on w.subject = ps.subject)`;

/** The query of chainChunk (apart, for EXPLAIN): the chunk's counts and the ids of the links SQL does not find sound. */
export const chainChunkSql = (chunk: Chunk) => sql<{ entries: number; slots: number; suspects: string[] | null }>`
    with ${hmacKeys(chunk)},
    e as (${chainRows(chunk)})
    select count(*)::int as entries, (count(*) filter (where e.expected_seq = 1))::int as slots,
      array_agg(e.id order by e.slot_id, e.seq) filter (where not ${soundLink}) as suspects
    from e left join k on k.subject = e.salt_subject`;

/** The whole rows of a chunk's suspect links, in chain order, with their salt (the JavaScript judges them). */
const chainRowsSql = (chunk: Chunk, ids: string[]) => sql<ChainRow>`
    with e as (${chainRows(chunk)})
    select e.*, ps.salt from e left join ${personalSaltRows()} ps on ps.subject = e.salt_subject
    where e.id = any(${ids}::bigint[])
    order by e.slot_id, e.seq`;

/** One chunk of chains judged: its counts and the first broken link of each broken chain. */
export async function chainPart(db: Db, chunk: Chunk): Promise<Part> {
  const { entries, slots, rows } = await chainChunk(db, chunk);
  const broken: Broken[] = [];
  let brokenSlot: string | undefined;
  for (const r of rows) {
    if (r.slot_id === brokenSlot) continue;
    // Before a slot's first broken link every link is sound: its parent is the previous row, its number the row's rank.
    const problem = linkProblem(r, r.prev_link, Number(r.expected_seq)) ?? (r.hash_version >= 3 ? personalProblem(r) : undefined);
    if (problem) {
      broken.push({ slotId: r.slot_id, seq: r.seq, id: Number(r.id), problem });
      brokenSlot = r.slot_id;
    }
  }
  return { kind: "chain", entries, slots, broken };
}

/** Re-computes every chain (or one slot's); reports the first broken link of each broken chain. */
export async function verifyEvidence(db: Db, slotId?: string, o: VerifyOptions = {}): Promise<ChainReport> {
  return runVerification(db, slotId, o, ["chain"]);
}

const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v) as Record<string, unknown> | null;
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/**
 * The fields of an attendance row its proof must state exactly (attendanceProof). The slot's times
 * are recorded in the proof but not compared: a planned slot may be rescheduled by the schedule.
 */
const PROOF_FIELDS = ["attendanceId", "slotId", "pathId", "status", "lateMinutes", "realisedMinutes", "method", "signedAt", "signatureSha256", "deliverableSha256", "clientId", "recordedBy"] as const;

/** What differs between an attendance row and the payload of its last entry (version 2: every field). */
export function attendanceDifferences(row: Parameters<typeof attendanceProof>[0], slot: Parameters<typeof attendanceProof>[1], payload: Record<string, unknown>, version: number): string[] {
  const expected = attendanceProof(row, slot) as Record<string, unknown>;
  // Version 1 entries (before the whole proof was hashed) stated the status and the minutes only.
  const fields = version === 1 ? (["status", "realisedMinutes", "lateMinutes"] as const) : PROOF_FIELDS;
  return fields.filter((f) => canonicalJson(payload[f] ?? (version === 1 && f === "lateMinutes" ? 0 : null)) !== canonicalJson(expected[f]));
}

/** An attendance row (the fields its proof covers), its slot's times and the last entry proving it. */
type AttendanceFactRow = AttendanceProofFields & {
  starts_at: Date;
  ends_at: Date;
  e_id: string | null;
  e_seq: number | null;
  e_payload: unknown;
  e_version: number | null;
};

/** The digest a proof states of a drawing or deliverable (digestOf in proof.ts): an erased one keeps it in place. */
const digestSql = (col: RawBuilder<unknown>) =>
  sql`case when ${col} is null then null when starts_with(${col}, ${ERASED_DRAWING}::text) then substr(${col}, ${ERASED_DRAWING.length + 1}::int) else ${hex256(utf8(col))} end`;

/** The proof's fields an attendance row must state (PROOF_FIELDS), as SQL text; the two numbers apart. */
const factFields = (): [(typeof PROOF_FIELDS)[number], RawBuilder<unknown>][] => [
  ["attendanceId", sql`a.id::text`],
  ["slotId", sql`a.slot_id::text`],
  ["pathId", sql`a.path_id::text`],
  ["status", sql`a.status`],
  ["lateMinutes", sql`a.late_minutes::text`],
  ["realisedMinutes", sql`a.realised_minutes::text`],
  ["method", sql`a.method`],
  ["signedAt", isoText(sql`a.signed_at`)],
  ["signatureSha256", digestSql(sql`a.signature`)],
  ["deliverableSha256", digestSql(sql`a.deliverable`)],
  ["clientId", sql`a.client_id`],
  ["recordedBy", sql`a.recorded_by::text`],
];
const NUMBER_FIELDS: readonly string[] = ["lateMinutes", "realisedMinutes"];

/**
 * The proof's fields have the JSON type the row's values have (strings, the two minutes numbers, or
 * null): one jsonpath for all (strict and silent: a missing key, or a payload that is not an object,
 * answers null, i.e. unsound).
 */
const PROOF_TYPES = `strict ${PROOF_FIELDS.map((f) => `($.${f}.type() == "${NUMBER_FIELDS.includes(f) ? "number" : "string"}" || $.${f}.type() == "null")`).join(" && ")}`;

/**
 * Whether an attendance row states exactly what its last proof (version ≥ 2) states: attendanceDifferences,
 * in SQL. Each field is compared as text (`->>`, no jsonb built per field: 10× cheaper, docs/adr/0043)
 * once the jsonpath has checked its type — a string as a string, a number as a number: with the type
 * known, equal texts are equal canonical JSON (a number whose text is not the row's integer, 180.0,
 * is only suspicious). SQL NULL is JSON null on both sides.
 */
const soundFact = sql<boolean>`coalesce(p.hash_version >= 2 and jsonb_typeof(p.payload) = 'object'
    and jsonb_path_match(p.payload, ${PROOF_TYPES}::jsonpath, '{}'::jsonb, true)
    and (a.signed_at is null or ${isoText(sql`a.signed_at`)} is not null)
    and ${sql.join(
      factFields().map(([f, x]) => sql`(p.payload ->> ${f}::text) is not distinct from ${x}`),
      sql` and `,
    )}, false)`;

/**
 * One chunk of attendance rows beside the last entry proving each (evidence(slot_id, path_id, seq)),
 * in a full join: the rows SQL did not find sound, proofs without their row (a.id null) included.
 */
async function factChunk(db: Db, chunk: Chunk) {
  return (await plainly(db, factChunkSql(chunk))).rows;
}

/** The query of factChunk (apart, for EXPLAIN). */
export const factChunkSql = (chunk: Chunk) => sql<AttendanceFactRow & { p_slot_id: string; p_path_id: string }>`
    with p as (
      select distinct on (e.slot_id, e.path_id) e.id, e.slot_id, e.path_id, e.seq, e.payload, e.hash_version
      from evidence e where ${inChunk("e", chunk)} and e.path_id is not null and e.kind in (${sql.join(ATTENDANCE_KINDS)})
      order by e.slot_id, e.path_id, e.seq desc),
    a as (
      select a.*, s.starts_at, s.ends_at from attendance a join ${slotRows()} s on s.id = a.slot_id where ${inChunk("a", chunk)} and ${inChunk("s", chunk, "id")})
    select a.id, a.slot_id, a.path_id, a.status, a.late_minutes, a.realised_minutes, a.method, a.signed_at, a.signature,
      a.deliverable, a.client_id, a.recorded_by, a.starts_at, a.ends_at,
      p.id as e_id, p.seq as e_seq, p.payload as e_payload, p.hash_version as e_version, p.slot_id as p_slot_id, p.path_id as p_path_id
    from a full join p on p.slot_id = a.slot_id and p.path_id = a.path_id
    where a.id is null or not ${soundFact}
    order by coalesce(a.slot_id, p.slot_id), coalesce(a.path_id, p.path_id)`;

/**
 * One chunk of attendance rows against the last entry proving each; and the proofs of the chunk whose
 * attendance row is gone (deleted, or moved to another slot or path), reported after every chunk's rows.
 */
export async function factPart(db: Db, chunk: Chunk): Promise<Part> {
  const rows = await factChunk(db, chunk);
  const broken: Broken[] = [];
  checkAttendanceRows(
    rows.filter((r) => r.id !== null),
    broken,
  );
  const orphans = rows
    .filter((r) => r.id === null)
    .map((o) => ({ slotId: o.p_slot_id, seq: o.e_seq ?? 0, id: Number(o.e_id), problem: `présence du parcours ${o.p_path_id} prouvée par ce maillon mais absente de la feuille (supprimée ou déplacée)` }));
  return { kind: "fact", broken, orphans };
}

function checkAttendanceRows(rows: AttendanceFactRow[], broken: Broken[]) {
  for (const r of rows) {
    const payload = json(r.e_payload);
    if (!payload) {
      broken.push({ slotId: r.slot_id, seq: 0, id: 0, problem: `présence du parcours ${r.path_id} sans aucune preuve enregistrée` });
      continue;
    }
    const slot = { id: r.slot_id, starts_at: new Date(r.starts_at), ends_at: new Date(r.ends_at) };
    const diff = attendanceDifferences(r, slot, payload, r.e_version ?? 1);
    if (diff.length) {
      broken.push({ slotId: r.slot_id, seq: r.e_seq ?? 0, id: Number(r.e_id), problem: `présence du parcours ${r.path_id} différente de la dernière preuve enregistrée (${diff.join(", ")})` });
    }
  }
}

/** Countersignatures and paper scans: what makes a paper presence proved must be what was recorded. */
export async function sheetFacts(db: Db, chunk: Chunk = {}): Promise<Broken[]> {
  const broken: Broken[] = [];
  // Keyset over slots, a small page: a scan's bytes are read to be hashed. The countersignatures are bounded
  // by the page's key too: PostgreSQL merge-joins them in slot order and, unbounded, read them all from the
  // first at every page — quadratic (150 s at 2 000 000 rows against 6.5 s at 200 000).
  for (let after: string | undefined; ; ) {
    const rows = await sheetPage(db, chunk, after);
    checkSheetRows(rows, broken);
    if (rows.length < SHEET_PAGE) break;
    after = rows[rows.length - 1].slot_id;
  }
  return broken;
}

const SHEET_PAGE = 200;

async function sheetPage(db: Db, chunk: Chunk, after: string | undefined) {
  const { rows } = await sql<{
    slot_id: string;
    trainer_id: string | null;
    signature: string | null;
    signed_at: Date | null;
    c_id: string | null;
    c_seq: number | null;
    c_payload: unknown;
    c_version: number | null;
    c_actor: string | null;
    paper_attachment_id: string | null;
    att_sha256: string | null;
    att_bytes: Buffer | null;
    p_id: string | null;
    p_seq: number | null;
    p_payload: unknown;
  }>`
    select s.id as slot_id, cs.trainer_id, cs.signature, cs.signed_at,
      c.id as c_id, c.seq as c_seq, c.payload as c_payload, c.hash_version as c_version, c.actor_id as c_actor,
      s.paper_attachment_id, att.sha256 as att_sha256, att.bytes as att_bytes,
      p.id as p_id, p.seq as p_seq, p.payload as p_payload
    from ${slotRows()} s
    left join countersignature cs on cs.slot_id = s.id and ${inChunk("cs", chunk)} ${after ? sql`and cs.slot_id > ${after}` : sql``}
    left join ${attachmentRows()} att on att.id = s.paper_attachment_id
    left join lateral (select id, seq, payload, hash_version, actor_id from evidence e where e.slot_id = s.id and e.kind = 'countersignature' order by e.seq desc limit 1) c on true
    left join lateral (select id, seq, payload from evidence e where e.slot_id = s.id and e.kind = 'paper' and e.path_id is null order by e.seq desc limit 1) p on true
    where (cs.slot_id is not null or c.id is not null or s.paper_attachment_id is not null or p.id is not null) and ${inChunk("s", chunk, "id")} ${after ? sql`and s.id > ${after}` : sql``}
    order by s.id limit ${SHEET_PAGE}`.execute(db);
  return rows;
}

function checkSheetRows(rows: Awaited<ReturnType<typeof sheetPage>>, broken: Broken[]) {
  const at = (seq: number | null, id: string | null) => ({ seq: seq ?? 0, id: Number(id ?? 0) });
  for (const r of rows) {
    const c = json(r.c_payload);
    if (r.signature && !c) broken.push({ slotId: r.slot_id, seq: 0, id: 0, problem: "contresignature sans preuve enregistrée" });
    else if (!r.signature && c) broken.push({ slotId: r.slot_id, ...at(r.c_seq, r.c_id), problem: "contresignature prouvée par ce maillon mais absente (supprimée)" });
    else if (r.signature && c) {
      const diff = [
        c.signatureSha256 !== sha256(r.signature) ? "signature" : "",
        c.signedAt !== iso(r.signed_at) ? "signedAt" : "",
        (r.c_version === 1 ? r.c_actor : c.trainerId) !== r.trainer_id ? "trainerId" : "",
      ].filter(Boolean);
      if (diff.length) broken.push({ slotId: r.slot_id, ...at(r.c_seq, r.c_id), problem: `contresignature différente de sa preuve (${diff.join(", ")})` });
    }
    const p = json(r.p_payload);
    if (r.paper_attachment_id && !p) broken.push({ slotId: r.slot_id, seq: 0, id: 0, problem: "feuille papier scannée sans preuve enregistrée" });
    else if (r.paper_attachment_id && p) {
      const bytes = r.att_bytes ? sha256(Buffer.from(r.att_bytes)) : null;
      const diff = [p.attachmentId !== r.paper_attachment_id ? "attachmentId" : "", p.sha256 !== r.att_sha256 || p.sha256 !== bytes ? "sha256" : ""].filter(Boolean);
      if (diff.length) broken.push({ slotId: r.slot_id, ...at(r.p_seq, r.p_id), problem: `feuille papier scannée différente de sa preuve (${diff.join(", ")})` });
    } else if (!r.paper_attachment_id && p) broken.push({ slotId: r.slot_id, ...at(r.p_seq, r.p_id), problem: "feuille papier scannée prouvée par ce maillon mais détachée du créneau" });
  }
}

/** Every fact (attendance rows, countersignatures, paper scans) against the last entry proving it. */
export async function verifyFactsAgainstEvidence(db: Db, slotId?: string, o: VerifyOptions = {}): Promise<Broken[]> {
  return (await runVerification(db, slotId, o, ["fact", "sheet"])).broken;
}

/** The chains and the facts: what the script and /preuves report. */
export async function verifyProofs(db: Db, slotId?: string, o: VerifyOptions = {}): Promise<ChainReport> {
  return runVerification(db, slotId, o, ["chain", "fact", "sheet"]);
}

/** What one task of a verification found. */
export type Part = { kind: "chain" | "fact" | "sheet"; entries?: number; slots?: number; broken: Broken[]; orphans?: Broken[] };

/**
 * Connections a verification keeps busy: the database does the hashing, one core per connection
 * (chains and facts used to run side by side, one connection each, the chains taking twice as long).
 */
const VERIFY_CONNECTIONS = 2;

/** The tasks of a verification: the sheets' facts (reported last), then chain chunks and fact chunks in report order. */
async function* verificationTasks(db: Db, slotId: string | undefined, o: VerifyOptions, kinds: Part["kind"][]): AsyncGenerator<{ at: number; run: () => Promise<Part> }> {
  // The sheets' pass is one sequence of pages (keyset): taken first, it runs beside the chunks instead of after them.
  if (kinds.includes("sheet")) yield { at: -1, run: async () => ({ kind: "sheet", broken: await sheetFacts(db, slotId ? { slot: slotId } : {}) }) };
  let at = 0;
  if (kinds.includes("chain")) for await (const chunk of slotChunks(db, "evidence", slotId, o.chunkRows)) yield { at: at++, run: () => chainPart(db, chunk) };
  if (kinds.includes("fact")) for await (const chunk of slotChunks(db, "attendance", slotId, o.chunkRows)) yield { at: at++, run: () => factPart(db, chunk) };
}

/**
 * Runs the tasks on VERIFY_CONNECTIONS connections, each taking the next task when done (the chunks
 * are independent), and assembles the report in task order: the same report, whatever finishes first.
 */
async function runVerification(db: Db, slotId: string | undefined, o: VerifyOptions, kinds: Part["kind"][]): Promise<ChainReport> {
  const tasks = verificationTasks(db, slotId, o, kinds);
  const parts: Part[] = [];
  let sheet: Part | undefined;
  const worker = async () => {
    // An async generator answers concurrent next() calls one after another: each task is taken once.
    for (let t = await tasks.next(); !t.done; t = await tasks.next()) {
      const part = await t.value.run();
      if (t.value.at < 0) sheet = part;
      else parts[t.value.at] = part;
    }
  };
  await Promise.all(Array.from({ length: VERIFY_CONNECTIONS }, worker));
  return {
    slots: parts.reduce((n, p) => n + (p.slots ?? 0), 0),
    entries: parts.reduce((n, p) => n + (p.entries ?? 0), 0),
    broken: [...parts.flatMap((p) => p.broken), ...parts.flatMap((p) => p.orphans ?? []), ...(sheet?.broken ?? [])],
  };
}

/**
 * How many links and attendance rows the SQL pass did not find sound and sent to JavaScript: zero on
 * an untouched database (the tests hold it, else verification slows down to the JavaScript pace).
 */
export async function sqlSuspects(db: Db, slotId?: string): Promise<{ links: number; facts: number }> {
  let links = 0;
  let facts = 0;
  for await (const chunk of slotChunks(db, "evidence", slotId)) links += (await chainChunk(db, chunk)).rows.length;
  for await (const chunk of slotChunks(db, "attendance", slotId)) facts += (await factChunk(db, chunk)).length;
  return { links, facts };
}
