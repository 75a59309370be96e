// Personal data pages and API (docs/privacy.md, docs/guide): « Mes données » for every signed-in
// person (their archive, who read their record), and for the Region (its officer relays the DPO)
// the search, a person's archive, the reads of their record and the erasure on request.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { listAccounts } from "../../core/auth/accounts.ts";
import { roleLabels } from "../../core/auth/actor.ts";
import { text } from "../../core/inputs.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { attempt, formBody, str } from "../../core/pages/forms.ts";
import { CsrfField, Layout, ViolationList } from "../../core/pages/layout.tsx";
import { readsOf } from "../../core/privacy.ts";
import type { Role } from "../../core/db/schema.ts";
import { DomainError, notFound } from "../../core/errors.ts";
import type { Violation } from "../../core/rules.ts";
import { formatDateFr, parisDate } from "../../core/time.ts";
import { archiveFor, eraseOnRequest, findPersons, isPrivacyOfficer, type PersonKind, type PersonRef, personalArchive, recordsOf } from "./compose.ts";
import { Table } from "../../core/pages/table.tsx";
import { dateTimeFr } from "../../core/french.ts";

/** URL segments of each kind of person (pages, then API). */
const KINDS: { kind: PersonKind; page: string; api: string; label: string }[] = [
  { kind: "trainee", page: "stagiaires", api: "trainees", label: "Stagiaire" },
  { kind: "candidate", page: "candidats", api: "candidates", label: "Candidat·e" },
  { kind: "user", page: "comptes", api: "accounts", label: "Compte" },
];

const ErasureInput = z.object({ reason: text(500, "Motif").pipe(z.string().min(3, "Indiquez le motif de la demande (au moins 3 caractères).")) });
const IdParam = z.object({ id: z.string().uuid("Identifiant invalide.") });
const Problem = { description: "Erreur (application/problem+json)" };
const Archive = z.object({ format: z.string(), version: z.number(), exportedAt: z.string(), subject: z.object({ kind: z.string(), id: z.string() }) }).passthrough();
const Read = z.object({ at: z.string(), entity: z.string(), entityId: z.string().nullable(), action: z.string(), reader: z.string().nullable(), role: z.string().nullable(), route: z.string().nullable() });

const download = (c: Ctx, archive: unknown, name: string) =>
  c.body(JSON.stringify(archive, null, 2), 200, { "content-type": "application/json; charset=utf-8", "content-disposition": `attachment; filename="${name}"` });

type Reads = Awaited<ReturnType<typeof readsOf>>;
const readsOut = (reads: Reads) =>
  reads.map((r) => ({
    at: new Date(r.at).toISOString(),
    entity: r.entity,
    entityId: r.entity_id,
    action: r.action,
    reader: r.full_name ?? null,
    role: r.role ?? null,
    route: ((typeof r.details === "string" ? JSON.parse(r.details) : r.details) as { route?: string } | null)?.route ?? null,
  }));

const ENTITY_FR: Record<string, string> = { trainee: "fiche stagiaire", path: "parcours", candidacy: "candidature", candidate: "fiche candidat·e", user: "compte" };

/** Where the record was read: a page's address, or « l'API (application) » — no API URL in a page. */
const RouteRead = (props: { route?: string }) => (!props.route ? <>—</> : props.route.startsWith("/api/") ? <>l'API (application connectée)</> : <code>{props.route}</code>);

function ReadsTable(props: { reads: Reads; caption: string }) {
  if (!props.reads.length) return <p>Aucune consultation enregistrée.</p>;
  return (
    <Table label={props.caption}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Quand</th>
          <th scope="col">Qui</th>
          <th scope="col">Quoi</th>
          <th scope="col">Adresse consultée</th>
        </tr>
      </thead>
      <tbody>
        {props.reads.map((r) => (
          <tr>
            <td>{dateTimeFr(r.at)}</td>
            <td>
              {r.full_name ?? "—"} {r.role ? <span class="muted">({roleLabels[r.role as Role]})</span> : null}
            </td>
            <td>{r.action === "personal-data.export" ? "Export des données" : `Lecture : ${ENTITY_FR[r.entity] ?? r.entity}`}</td>
            <td>
              <RouteRead route={((typeof r.details === "string" ? JSON.parse(r.details) : r.details) as { route?: string } | null)?.route} />
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function MyDataPage(props: { c: Ctx; reads: Reads }) {
  return (
    <Layout c={props.c} title="Mes données personnelles">
      <h1>Mes données personnelles</h1>
      <p>
        La Région Occitanie et les organismes de formation conservent les données nécessaires à votre formation : identité, parcours, émargements,
        certificats, messages envoyés. Elles sont conservées trois ans après la clôture de la commande de formation, puis effacées.
      </p>
      <h2>Télécharger mes données</h2>
      <p>
        Un fichier JSON lisible par machine, avec tout ce que la plateforme conserve sur vous : <a href="/mes-donnees/archive.json">télécharger mes données (JSON)</a>.
      </p>
      <h2>Qui a consulté mon dossier</h2>
      <ReadsTable reads={props.reads} caption="Consultations de votre dossier, les plus récentes d'abord" />
      <h2>Rectifier ou effacer</h2>
      <p>
        Pour faire corriger une donnée, adressez-vous à votre organisme de formation. Pour demander l'effacement de vos données ou vous opposer à un
        traitement, écrivez au délégué à la protection des données de la Région Occitanie : la Région traite la demande sur cette plateforme.
      </p>
    </Layout>
  );
}

type Found = Awaited<ReturnType<typeof findPersons>>;
type Account = Awaited<ReturnType<typeof listAccounts>>[number];

function SearchPage(props: { c: Ctx; q: string; found: Found; accounts: Account[] }) {
  const { trainees, candidates } = props.found;
  return (
    <Layout c={props.c} title="Données personnelles" wide>
      <h1>Données personnelles (RGPD)</h1>
      <p>
        Retrouvez une personne pour exporter ses données, voir qui a consulté son dossier ou l'effacer à sa demande. Chaque consultation d'une fiche est
        elle-même enregistrée. Le registre des traitements est tenu dans la documentation de la plateforme (docs/privacy.md).
      </p>
      <form method="get" action="/rgpd" aria-label="Rechercher une personne">
        <div class="field">
          <label for="f-q">Nom, adresse e-mail ou identifiant France Travail</label>
          <input id="f-q" name="q" type="search" value={props.q} maxlength={200} minlength={2} />
        </div>
        <button type="submit">Rechercher</button>
      </form>
      {props.q ? (
        <>
          <h2>Stagiaires</h2>
          <PersonList rows={trainees.map((t) => ({ href: `/rgpd/stagiaires/${t.id}`, name: `${t.first_name} ${t.last_name}`, extra: `né·e le ${formatDateFr(t.birth_date)}` }))} />
          <h2>Candidat·es</h2>
          <PersonList rows={candidates.map((t) => ({ href: `/rgpd/candidats/${t.id}`, name: `${t.first_name} ${t.last_name}`, extra: `né·e le ${formatDateFr(t.birth_date)}` }))} />
          <h2>Comptes</h2>
          <PersonList rows={props.accounts.map((a) => ({ href: `/rgpd/comptes/${a.id}`, name: a.full_name, extra: `${a.email} — ${roleLabels[a.role as Role]}` }))} />
        </>
      ) : null}
    </Layout>
  );
}

function PersonList(props: { rows: { href: string; name: string; extra: string }[] }) {
  if (!props.rows.length) return <p>Aucun résultat.</p>;
  return (
    <ul>
      {props.rows.map((r) => (
        <li>
          <a href={r.href}>{r.name}</a> <span class="muted">{r.extra}</span>
        </li>
      ))}
    </ul>
  );
}

/** A short name of the person for the page heading, read from the archive. */
function nameOf(archive: Record<string, unknown>): string {
  const t = (archive.trainee as { trainee?: { first_name: string; last_name: string } } | undefined)?.trainee;
  if (t) return `${t.first_name} ${t.last_name}`;
  const c = (archive.candidate as { candidate?: { first_name: string; last_name: string } } | undefined)?.candidate;
  if (c) return `${c.first_name} ${c.last_name}`;
  const a = (archive.account as { account?: { full_name: string } } | undefined)?.account;
  return a?.full_name ?? "—";
}

function PersonPage(props: { c: Ctx; k: (typeof KINDS)[number]; id: string; archive: Record<string, unknown>; reads: Reads; violations?: Violation[]; reason?: string; erased?: boolean }) {
  const erasures = (props.archive.erasures as { erased_at: Date; cause: string; reason: string | null }[]) ?? [];
  const base = `/rgpd/${props.k.page}/${props.id}`;
  return (
    <Layout c={props.c} title={`${props.k.label} : données personnelles`} wide>
      <h1>
        {props.k.label} : {nameOf(props.archive)}
      </h1>
      {props.erased ? (
        <p class="alert success" role="status">
          Données effacées : la personne est pseudonymisée, ses émargements restent vérifiables.
        </p>
      ) : null}
      <p>
        <a href={`${base}/archive.json`}>Exporter ses données (JSON)</a> — l'export est enregistré comme une consultation.
      </p>
      <h2>Consultations du dossier</h2>
      <ReadsTable reads={props.reads} caption="Qui a lu ce dossier (pages et API), les plus récentes d'abord" />
      <h2>Effacements</h2>
      {erasures.length ? (
        <ul>
          {erasures.map((e) => (
            <li>
              {dateTimeFr(e.erased_at)} — {e.cause === "retention" ? "fin de la durée de conservation" : "à la demande de la personne"}
              {e.reason ? ` : ${e.reason}` : ""}
            </li>
          ))}
        </ul>
      ) : (
        <p>Aucun effacement.</p>
      )}
      <h2>Effacer à la demande de la personne</h2>
      <p>
        L'effacement pseudonymise la personne dans toute la plateforme (identité, coordonnées, textes libres, signatures dessinées, adresses IP, messages).
        Les heures réalisées, la facturation et la vérification des preuves d'émargement restent intactes. Il est définitif.
      </p>
      {props.violations?.length ? <ViolationList violations={props.violations} title="Effacement refusé" /> : null}
      <form method="post" action={`${base}/effacer`} class="narrow">
        <CsrfField c={props.c} />
        <div class="field">
          <label for="f-reason">
            Motif et référence de la demande<span aria-hidden="true"> *</span>
          </label>
          <input id="f-reason" name="reason" required maxlength={500} value={props.reason ?? ""} />
        </div>
        <div class="field checkbox">
          <input id="f-confirm" name="confirm" type="checkbox" value="1" required />
          <label for="f-confirm">Je confirme l'effacement définitif des données de cette personne.</label>
        </div>
        <button type="submit" class="danger">
          Effacer
        </button>
      </form>
    </Layout>
  );
}

export function registerPrivacy(app: OpenAPIHono<AppEnv>) {
  const own = (c: Ctx): PersonRef => ({ kind: "user", id: actorOf(c).userId });
  const ownReadsRef = (c: Ctx): PersonRef => {
    const a = actorOf(c);
    return a.traineeId ? { kind: "trainee", id: a.traineeId } : { kind: "user", id: a.userId };
  };

  app.get("/mes-donnees", async (c) => {
    const { db } = depsOf(c);
    return c.html(<MyDataPage c={c} reads={await readsOf(db, await recordsOf(db, ownReadsRef(c)))} />);
  });
  app.get("/mes-donnees/archive.json", async (c) => {
    const { db, clock } = depsOf(c);
    return download(c, await archiveFor(db, clock, actorOf(c), own(c)), `mes-donnees-${parisDate(clock.now())}.json`);
  });
  app.openapi(
    createRoute({ method: "get", path: "/api/me/personal-data", tags: ["Données personnelles"], summary: "Mes données : l'archive de tout ce que la plateforme conserve sur moi (JSON)", security: [{ bearer: [] }], responses: { 200: { description: "Archive", content: { "application/json": { schema: Archive } } }, 401: Problem } }),
    async (c) => c.json((await archiveFor(depsOf(c).db, depsOf(c).clock, actorOf(c), own(c))) as z.infer<typeof Archive>, 200),
  );

  app.get("/rgpd", async (c) => {
    const actor = actorOf(c);
    if (!isPrivacyOfficer(actor)) throw new DomainError("FORBIDDEN", 403, "Réservé à la Région.");
    const q = (c.req.query("q") ?? "").slice(0, 200);
    const { db } = depsOf(c);
    const found = await findPersons(db, actor, q);
    const accounts = q.trim().length >= 2 ? await listAccounts(db, actor, { search: q }) : [];
    return c.html(<SearchPage c={c} q={q} found={found} accounts={accounts} />);
  });

  for (const k of KINDS) {
    const ref = (id: string): PersonRef => ({ kind: k.kind, id });
    /** The officer's view of a person: 404 for anyone else, as for an unknown id. */
    const officerArchive = async (c: Ctx, id: string) => {
      const actor = actorOf(c);
      const { db, clock } = depsOf(c);
      if (!isPrivacyOfficer(actor)) throw notFound(k.label);
      const archive = await personalArchive(db, clock, ref(id));
      if (!archive) throw notFound(k.label);
      return archive as unknown as Record<string, unknown>;
    };
    const page = async (c: Ctx, id: string, extra: { violations?: Violation[]; reason?: string; erased?: boolean } = {}, status: 200 | 422 = 200) => {
      const archive = await officerArchive(c, id);
      return c.html(<PersonPage c={c} k={k} id={id} archive={archive} reads={archive.reads as Reads} {...extra} />, status);
    };
    app.get(`/rgpd/${k.page}/:id`, (c) => page(c, c.req.param("id"), { erased: c.req.query("efface") === "1" }));
    app.get(`/rgpd/${k.page}/:id/archive.json`, async (c) => {
      const { db, clock } = depsOf(c);
      await officerArchive(c, c.req.param("id"));
      return download(c, await archiveFor(db, clock, actorOf(c), ref(c.req.param("id"))), `donnees-${k.page}-${c.req.param("id")}.json`);
    });
    app.post(`/rgpd/${k.page}/:id/effacer`, async (c) => {
      const id = c.req.param("id");
      await officerArchive(c, id); // 404 first: nothing said about another's object
      const body = await formBody(c);
      const reason = str(body, "reason");
      const r = await attempt(async () => {
        if (str(body, "confirm") !== "1") throw new DomainError("ERASURE_CONFIRM", 422, "Cochez la confirmation de l'effacement.", [{ code: "ERASURE_CONFIRM", severity: "error", article: "", field: "confirm", message: "Cochez la confirmation de l'effacement." }]);
        const input = ErasureInput.safeParse({ reason });
        if (!input.success) throw new DomainError("VALIDATION", 422, input.error.issues[0]?.message ?? "Motif invalide.", input.error.issues.map((i) => ({ code: "VALIDATION", severity: "error" as const, article: "", field: "reason", message: i.message })));
        const { db, clock } = depsOf(c);
        return eraseOnRequest(db, clock, actorOf(c), ref(id), input.data.reason);
      });
      if (!r.ok) return page(c, id, { violations: r.violations, reason }, 422);
      return c.redirect(`/rgpd/${k.page}/${id}?efface=1`, 303);
    });

    const tags = ["Données personnelles"];
    const security = [{ bearer: [] }];
    app.openapi(
      createRoute({ method: "get", path: `/api/privacy/${k.api}/{id}/personal-data`, tags, security, summary: `${k.label} : l'archive de ses données personnelles (Région)`, request: { params: IdParam }, responses: { 200: { description: "Archive", content: { "application/json": { schema: Archive } } }, 404: Problem } }),
      async (c) => c.json((await archiveFor(depsOf(c).db, depsOf(c).clock, actorOf(c), ref(c.req.valid("param").id))) as z.infer<typeof Archive>, 200),
    );
    app.openapi(
      createRoute({ method: "get", path: `/api/privacy/${k.api}/{id}/reads`, tags, security, summary: `${k.label} : qui a consulté son dossier, quand, quoi (Région)`, request: { params: IdParam }, responses: { 200: { description: "Consultations", content: { "application/json": { schema: z.array(Read) } } }, 404: Problem } }),
      async (c) => {
        const archive = await officerArchive(c, c.req.valid("param").id);
        return c.json(readsOut(archive.reads as Reads), 200);
      },
    );
    app.openapi(
      createRoute({
        method: "post",
        path: `/api/privacy/${k.api}/{id}/erasure`,
        tags,
        security,
        summary: `${k.label} : effacer (pseudonymiser) à sa demande ; les preuves d'émargement restent vérifiables (Région)`,
        request: { params: IdParam, body: { content: { "application/json": { schema: ErasureInput } }, required: true } },
        responses: { 200: { description: "Effacé·e", content: { "application/json": { schema: z.object({ erasureId: z.string(), counts: z.record(z.string(), z.number()) }) } } }, 404: Problem, 422: Problem },
      }),
      async (c) => {
        const { db, clock } = depsOf(c);
        return c.json(await eraseOnRequest(db, clock, actorOf(c), ref(c.req.valid("param").id), c.req.valid("json").reason), 200);
      },
    );
  }
}
