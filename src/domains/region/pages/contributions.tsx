// Forbidden contributions (CP-CONTRIBUTION-RECOVERY, CCTP §2.5): pages /contributions (list), /contributions/nouveau
// (the Region records a finding), /contributions/:id (refund with its proof, recovery claim), and the JSON API.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { isProviderStaff } from "../../../core/auth/actor.ts";
import type { AppEnv, Ctx } from "../../../core/http/context.ts";
import { actorOf, depsOf } from "../../../core/http/context.ts";
import { publicUrl } from "../../../core/http/client.ts";
import { attempt, type FormBody, formBody, str } from "../../../core/pages/forms.ts";
import { CsrfField, errorFor, Field, Layout, Select, ViolationList } from "../../../core/pages/layout.tsx";
import { formatEuros, type Violation } from "../../../core/rules.ts";
import { formatDateFr } from "../../../core/time.ts";
import { traineeRows } from "../../paths/views.ts";
import { BASE64_MAX, MAX_FILENAME_LENGTH } from "../../../core/files.ts";
import { type Finding, getFinding, listFindings, recordFinding, recordRecovery, recordRefund, refundProof } from "../contributions.ts";
import { listProviders } from "../use-cases.ts";
import { Table } from "../../../core/pages/table.tsx";

/** « 150 », « 150,5 », « 150,50 » € → cents; -1 when unreadable (the schema then refuses it). */
export function parseEuros(s: string): number {
  const m = /^\s*(\d{1,9})(?:[,.](\d{1,2}))?\s*(?:€)?\s*$/.exec(s);
  return m ? Number(m[1]) * 100 + Number((m[2] ?? "0").padEnd(2, "0")) : -1;
}

const stateOf = (f: Finding) => (f.refunded_on ? `Remboursé le ${formatDateFr(f.refunded_on)}` : `Remboursement exigé au plus tard le ${formatDateFr(f.refund_due_on)}`);

function ListPage({ c, rows }: { c: Ctx; rows: Finding[] }) {
  const actor = actorOf(c);
  return (
    <Layout c={c} title="Participations interdites">
      <h1>Participations financières interdites</h1>
      <p>
        Aucune participation ne peut être demandée au stagiaire (CCTP §2.5). La Région constate, exige le remboursement du stagiaire (preuve conservée) et peut émettre un titre de recette
        contre l'organisme (CP-CONTRIBUTION-RECOVERY).
      </p>
      {actor.role === "region_officer" ? (
        <p>
          <a href="/contributions/nouveau">Enregistrer un constat</a>
        </p>
      ) : null}
      {rows.length === 0 ? (
        <p>Aucun constat.</p>
      ) : (
        <Table label="Constats">
          <caption>Constats</caption>
          <thead>
            <tr>
              <th scope="col">Constat du</th>
              <th scope="col">Organisme</th>
              <th scope="col">Stagiaire</th>
              <th scope="col">Montant</th>
              <th scope="col">Remboursement</th>
              <th scope="col">Titre de recette</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((f) => (
              <tr>
                <td>
                  <a href={`/contributions/${f.id}`}>{formatDateFr(f.found_on)}</a>
                </td>
                <td>{f.provider_name}</td>
                <td>
                  {f.first_name} {f.last_name}
                </td>
                <td>{formatEuros(f.amount_cents)}</td>
                <td>{stateOf(f)}</td>
                <td>{f.recovery_cents ? `${formatEuros(f.recovery_cents)} le ${formatDateFr(f.recovery_claimed_on)}` : "—"}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Layout>
  );
}

async function NewPage({ c, providerId, values, violations }: { c: Ctx; providerId?: string; values: FormBody; violations: Violation[] }) {
  const { db } = depsOf(c);
  const actor = actorOf(c);
  const providers = await listProviders(db, actor);
  const provider = providers.find((p) => p.id === providerId);
  const trainees = provider
    ? await db.selectFrom(traineeRows().as("t")).select(["t.id", "t.first_name", "t.last_name", "t.birth_date"]).where("t.provider_id", "=", provider.id).orderBy("t.last_name").orderBy("t.first_name").limit(2000).execute()
    : [];
  const v = (n: string) => str(values, n);
  return (
    <Layout c={c} title="Enregistrer un constat">
      <h1>Enregistrer un constat de participation interdite</h1>
      <form method="get" action="/contributions/nouveau">
        <Select name="organisme" label="Organisme concerné" options={providers.map((p) => ({ value: p.id, label: p.name }))} value={providerId} required />
        <button type="submit" class="secondary">
          Choisir cet organisme
        </button>
      </form>
      {provider ? (
        <form method="post" action={`/contributions/nouveau?organisme=${provider.id}`}>
          <h2>Constat chez {provider.name}</h2>
          <CsrfField c={c} />
          {violations.length > 0 ? <ViolationList violations={violations} title="Le constat n'a pas été enregistré" /> : null}
          <Select
            name="traineeId"
            label="Stagiaire"
            options={trainees.map((t) => ({ value: t.id, label: `${t.last_name} ${t.first_name} (né·e le ${formatDateFr(t.birth_date)})` }))}
            value={v("traineeId")}
            required
            error={errorFor(violations, "traineeId")}
          />
          <Field name="foundOn" label="Date du constat" type="date" value={v("foundOn")} required error={errorFor(violations, "foundOn")} />
          <Field name="amount" label="Montant payé par le stagiaire (euros)" value={v("amount")} required hint="Par exemple 150,00" error={errorFor(violations, "amountCents")} attrs={{ inputmode: "decimal", maxlength: 20 }} />
          <div class={errorFor(violations, "description") ? "field has-error" : "field"}>
            <label for="f-description">Ce qui a été payé, et comment cela a été constaté *</label>
            <textarea id="f-description" name="description" rows={3} maxlength={2000} required>
              {v("description")}
            </textarea>
          </div>
          <Field name="refundDueOn" label="Remboursement exigé au plus tard le" type="date" value={v("refundDueOn")} required error={errorFor(violations, "refundDueOn")} />
          <button type="submit">Enregistrer le constat</button>
        </form>
      ) : null}
      <p>
        <a href="/contributions">Retour aux constats</a>
      </p>
    </Layout>
  );
}

function DetailPage({ c, f, violations }: { c: Ctx; f: Finding; violations: Violation[] }) {
  const actor = actorOf(c);
  return (
    <Layout c={c} title="Constat de participation interdite">
      <h1>
        Constat du {formatDateFr(f.found_on)} — {f.first_name} {f.last_name}
      </h1>
      {violations.length > 0 ? <ViolationList violations={violations} title="Rien n'a été enregistré" /> : null}
      <dl>
        <dt>Organisme</dt>
        <dd>{f.provider_name}</dd>
        <dt>Montant payé par le stagiaire</dt>
        <dd>{formatEuros(f.amount_cents)}</dd>
        <dt>Constat</dt>
        <dd>{f.description}</dd>
        <dt>Remboursement au stagiaire</dt>
        <dd>
          {stateOf(f)}
          {f.refund_proof_attachment_id ? (
            <>
              {" "}
              — <a href={`/contributions/${f.id}/preuve`}>preuve du remboursement</a>
            </>
          ) : null}
        </dd>
        <dt>Titre de recette contre l'organisme</dt>
        <dd>{f.recovery_cents ? `${formatEuros(f.recovery_cents)}, émis le ${formatDateFr(f.recovery_claimed_on)}` : "Aucun"}</dd>
      </dl>
      {!f.refunded_on && (actor.role === "region_officer" || isProviderStaff(actor)) ? (
        <form method="post" action={`/contributions/${f.id}/remboursement`} enctype="multipart/form-data">
          <h2>Justifier le remboursement</h2>
          <CsrfField c={c} />
          <Field name="refundedOn" label="Date du remboursement" type="date" required error={errorFor(violations, "refundedOn")} />
          <div class={errorFor(violations, "proof") ? "field has-error" : "field"}>
            <label for="f-proof">Preuve (virement, reçu signé du stagiaire : PDF, JPEG ou PNG) *</label>
            <input id="f-proof" name="proof" type="file" accept="application/pdf,image/jpeg,image/png" required />
          </div>
          <button type="submit">Enregistrer le remboursement</button>
        </form>
      ) : null}
      {!f.recovery_claimed_on && actor.role === "region_officer" ? (
        <form method="post" action={`/contributions/${f.id}/titre`}>
          <h2>Émettre un titre de recette</h2>
          <CsrfField c={c} />
          <Field name="recovery" label="Montant (euros)" required error={errorFor(violations, "recoveryCents")} attrs={{ inputmode: "decimal", maxlength: 20 }} />
          <Field name="claimedOn" label="Date du titre" type="date" required error={errorFor(violations, "claimedOn")} />
          <button type="submit">Enregistrer le titre de recette</button>
        </form>
      ) : null}
      <p>
        <a href="/contributions">Retour aux constats</a>
      </p>
    </Layout>
  );
}

const fileOf = async (body: FormBody, name: string) => {
  const f = body[name];
  return f instanceof File && f.size > 0 ? { filename: f.name, contentType: f.type, bytes: new Uint8Array(await f.arrayBuffer()) } : undefined;
};

// ——— JSON API ———

const ProofJson = z.object({ filename: z.string().min(1).max(MAX_FILENAME_LENGTH), contentType: z.enum(["application/pdf", "image/jpeg", "image/png"]), base64: z.string().min(1).max(BASE64_MAX) });

const tags = ["Participations interdites"];
const security = [{ bearer: [] }];
const IdParam = z.object({ id: z.uuid("Identifiant invalide.") });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: z.object({ code: z.string(), detail: z.string() }) } } });
const FindingOut = z.object({
  id: z.string(),
  providerId: z.string(),
  providerName: z.string(),
  traineeId: z.string(),
  traineeName: z.string(),
  foundOn: z.string(),
  amountCents: z.number().int(),
  description: z.string(),
  refundDueOn: z.string(),
  refundedOn: z.string().nullable(),
  refundProof: z.boolean(),
  recoveryCents: z.number().int().nullable(),
  recoveryClaimedOn: z.string().nullable(),
});
const out = (f: Finding): z.infer<typeof FindingOut> => ({
  id: f.id,
  providerId: f.provider_id,
  providerName: f.provider_name,
  traineeId: f.trainee_id,
  traineeName: `${f.first_name} ${f.last_name}`,
  foundOn: f.found_on,
  amountCents: f.amount_cents,
  description: f.description,
  refundDueOn: f.refund_due_on,
  refundedOn: f.refunded_on,
  refundProof: !!f.refund_proof_attachment_id,
  recoveryCents: f.recovery_cents,
  recoveryClaimedOn: f.recovery_claimed_on,
});
const json = <S extends z.ZodType>(schema: S) => ({ body: { content: { "application/json": { schema } }, required: true } });

export function registerContributions(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({ method: "get", path: "/api/contribution-findings", tags, security, summary: "Constats de participation interdite (Région : tous ; organisme : les siens) (CP-CONTRIBUTION-RECOVERY)", request: { query: z.object({ providerId: z.uuid().optional() }) }, responses: { 200: { description: "Constats", content: { "application/json": { schema: z.array(FindingOut) } } } } }),
    async (c) => c.json((await listFindings(depsOf(c).db, actorOf(c), c.req.valid("query"))).map(out), 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/contribution-findings",
      tags,
      security,
      summary: "La Région enregistre un constat : montant payé par le stagiaire, date limite du remboursement (CP-CONTRIBUTION-RECOVERY, CCTP §2.5)",
      request: json(z.object({ traineeId: z.string().max(40), foundOn: z.string().max(10), amountCents: z.number().int(), description: z.string().max(2000), refundDueOn: z.string().max(10) })),
      responses: { 201: { description: "Constat enregistré", content: { "application/json": { schema: FindingOut } } }, 400: problem("Saisie invalide"), 403: problem("Réservé à la Région"), 404: problem("Stagiaire introuvable") },
    }),
    async (c) => {
      const { db } = depsOf(c);
      const id = await recordFinding(db, actorOf(c), c.req.valid("json"), publicUrl(c));
      return c.json(out(await getFinding(db, actorOf(c), id)), 201);
    },
  );
  app.openapi(
    createRoute({ method: "get", path: "/api/contribution-findings/{id}", tags, security, summary: "Un constat", request: { params: IdParam }, responses: { 200: { description: "Constat", content: { "application/json": { schema: FindingOut } } }, 404: problem("Introuvable") } }),
    async (c) => c.json(out(await getFinding(depsOf(c).db, actorOf(c), c.req.valid("param").id)), 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/contribution-findings/{id}/refund",
      tags,
      security,
      summary: "Justifier le remboursement du stagiaire, preuve jointe en base64 (obligatoire : CP-CONTRIBUTION-RECOVERY)",
      request: { params: IdParam, ...json(z.object({ refundedOn: z.string().max(10), proof: ProofJson.optional() })) },
      responses: { 200: { description: "Constat", content: { "application/json": { schema: FindingOut } } }, 400: problem("Saisie invalide"), 404: problem("Introuvable"), 409: problem("Déjà remboursé"), 422: problem("Preuve manquante (CP-CONTRIBUTION-RECOVERY)") },
    }),
    async (c) => {
      const { db } = depsOf(c);
      const { id } = c.req.valid("param");
      const { proof, ...input } = c.req.valid("json");
      await recordRefund(db, actorOf(c), id, input, proof ? { filename: proof.filename, contentType: proof.contentType, bytes: new Uint8Array(Buffer.from(proof.base64, "base64")) } : undefined);
      return c.json(out(await getFinding(db, actorOf(c), id)), 200);
    },
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/contribution-findings/{id}/recovery",
      tags,
      security,
      summary: "La Région émet un titre de recette contre l'organisme (CP-CONTRIBUTION-RECOVERY)",
      request: { params: IdParam, ...json(z.object({ recoveryCents: z.number().int(), claimedOn: z.string().max(10) })) },
      responses: { 200: { description: "Constat", content: { "application/json": { schema: FindingOut } } }, 400: problem("Saisie invalide"), 403: problem("Réservé à la Région"), 404: problem("Introuvable"), 409: problem("Déjà émis") },
    }),
    async (c) => {
      const { db } = depsOf(c);
      const { id } = c.req.valid("param");
      await recordRecovery(db, actorOf(c), id, c.req.valid("json"));
      return c.json(out(await getFinding(db, actorOf(c), id)), 200);
    },
  );

  // ——— Pages ———
  app.get("/contributions", async (c) => c.html(<ListPage c={c} rows={await listFindings(depsOf(c).db, actorOf(c))} />));
  app.get("/contributions/nouveau", async (c) => c.html(await NewPage({ c, providerId: c.req.query("organisme"), values: {}, violations: [] })));
  app.post("/contributions/nouveau", async (c) => {
    const body = await formBody(c);
    const input = { traineeId: str(body, "traineeId"), foundOn: str(body, "foundOn"), amountCents: parseEuros(str(body, "amount")), description: str(body, "description"), refundDueOn: str(body, "refundDueOn") };
    const r = await attempt(() => recordFinding(depsOf(c).db, actorOf(c), input, publicUrl(c)));
    if (r.ok) return c.redirect(`/contributions/${r.value}`, 303);
    return c.html(await NewPage({ c, providerId: c.req.query("organisme"), values: body, violations: r.violations }), 422);
  });
  app.get("/contributions/:id", async (c) => c.html(<DetailPage c={c} f={await getFinding(depsOf(c).db, actorOf(c), c.req.param("id"))} violations={[]} />));
  app.post("/contributions/:id/remboursement", async (c) => {
    const body = await formBody(c);
    const id = c.req.param("id");
    const { db } = depsOf(c);
    const r = await attempt(async () => recordRefund(db, actorOf(c), id, { refundedOn: str(body, "refundedOn") }, await fileOf(body, "proof")));
    if (r.ok) return c.redirect(`/contributions/${id}`, 303);
    return c.html(<DetailPage c={c} f={await getFinding(db, actorOf(c), id)} violations={r.violations} />, 422);
  });
  app.post("/contributions/:id/titre", async (c) => {
    const body = await formBody(c);
    const id = c.req.param("id");
    const { db } = depsOf(c);
    const r = await attempt(() => recordRecovery(db, actorOf(c), id, { recoveryCents: parseEuros(str(body, "recovery")), claimedOn: str(body, "claimedOn") }));
    if (r.ok) return c.redirect(`/contributions/${id}`, 303);
    return c.html(<DetailPage c={c} f={await getFinding(db, actorOf(c), id)} violations={r.violations} />, 422);
  });
  app.get("/contributions/:id/preuve", async (c) => {
    const a = await refundProof(depsOf(c).db, actorOf(c), c.req.param("id"));
    return c.body(new Uint8Array(a.bytes), 200, { "content-type": a.content_type, "content-disposition": `attachment; filename="${a.filename.replace(/[^\w.-]/g, "_")}"`, "x-content-type-options": "nosniff" });
  });
}

