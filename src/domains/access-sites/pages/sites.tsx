// Pages /sites-acces and /sites-acces/:id — the Region's network of Occitanie e-formation access
// sites (CP-EFORM-SITES): list, creation and edition by the Region; read-only for provider staff.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { requireRole } from "../../../core/auth/actor.ts";
import type { AppEnv, Ctx } from "../../../core/http/context.ts";
import { actorOf, depsOf } from "../../../core/http/context.ts";
import { attempt, type FormBody, formBody, generalErrors, str } from "../../../core/pages/forms.ts";
import { CsrfField, errorFor, Field, Layout, ViolationList } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import { formatDateFr, parisDate } from "../../../core/time.ts";
import { MAX_ROOMS } from "../schema.ts";
import * as uc from "../use-cases.ts";
import { Table } from "../../../core/pages/table.tsx";

export interface SiteForm {
  name: string;
  address: string;
  postcode: string;
  commune: string;
  inseeCode: string;
  departementCode: string;
  openingHours: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  active: boolean;
  rooms: { name: string; pcs: string }[];
}

const emptyForm = (): SiteForm => ({
  name: "",
  address: "",
  postcode: "",
  commune: "",
  inseeCode: "",
  departementCode: "",
  openingHours: "Du lundi au vendredi, 9 h – 12 h 30 et 13 h 30 – 17 h",
  contactName: "",
  contactEmail: "",
  contactPhone: "",
  active: true,
  rooms: [],
});

/** The form's rooms: rows `roomName_i` / `roomPcs_i`, blank rows skipped. */
function readForm(body: FormBody): SiteForm {
  const rooms: SiteForm["rooms"] = [];
  for (let i = 0; i < MAX_ROOMS; i++) {
    const name = str(body, `roomName_${i}`).trim();
    const pcs = str(body, `roomPcs_${i}`).trim();
    if (name || pcs) rooms.push({ name, pcs });
  }
  return {
    name: str(body, "name"),
    address: str(body, "address"),
    postcode: str(body, "postcode"),
    commune: str(body, "commune"),
    inseeCode: str(body, "inseeCode"),
    departementCode: str(body, "departementCode"),
    openingHours: str(body, "openingHours"),
    contactName: str(body, "contactName"),
    contactEmail: str(body, "contactEmail"),
    contactPhone: str(body, "contactPhone"),
    active: str(body, "active") !== "0",
    rooms,
  };
}

const toInput = (f: SiteForm) => ({ ...f, rooms: f.rooms.map((r) => ({ name: r.name, pcs: r.pcs === "" ? Number.NaN : Number(r.pcs) })) });

const roomError = (violations: Violation[]) => violations.filter((v) => v.severity === "error" && (v.field === "rooms" || v.field?.startsWith("rooms.")));

function SiteFormView(props: { c: Ctx; action: string; values: SiteForm; violations: Violation[]; submit: string; edit?: boolean }) {
  const v = props.values;
  const fields = ["name", "address", "postcode", "commune", "inseeCode", "departementCode", "openingHours", "contactName", "contactEmail", "contactPhone"];
  const general = generalErrors(props.violations, fields).filter((x) => !x.field?.startsWith("rooms"));
  const rooms = [...v.rooms, { name: "", pcs: "" }, { name: "", pcs: "" }].slice(0, MAX_ROOMS);
  const roomErrors = roomError(props.violations);
  return (
    <form method="post" action={props.action}>
      <CsrfField c={props.c} />
      {general.length > 0 ? <ViolationList violations={general} /> : null}
      <div class="grid">
        <Field name="name" label="Nom du site" value={v.name} required error={errorFor(props.violations, "name")} attrs={{ maxlength: 200 }} />
        <Field name="address" label="Adresse" value={v.address} required error={errorFor(props.violations, "address")} attrs={{ maxlength: 300 }} />
        <Field name="postcode" label="Code postal" value={v.postcode} required error={errorFor(props.violations, "postcode")} attrs={{ maxlength: 5, inputmode: "numeric" }} />
        <Field name="commune" label="Commune" value={v.commune} required error={errorFor(props.violations, "commune")} attrs={{ maxlength: 120 }} />
        <Field name="inseeCode" label="Code INSEE de la commune" value={v.inseeCode} required hint="5 caractères, ex. 46042 pour Cahors." error={errorFor(props.violations, "inseeCode")} attrs={{ maxlength: 5 }} />
        <Field name="departementCode" label="Département (code)" value={v.departementCode} required hint="ex. 46" error={errorFor(props.violations, "departementCode")} attrs={{ maxlength: 2 }} />
      </div>
      <div class="field">
        <label for="f-openingHours">
          Horaires d'ouverture<span aria-hidden="true"> *</span>
        </label>
        <textarea id="f-openingHours" name="openingHours" rows={2} maxlength={500} required>
          {v.openingHours}
        </textarea>
        {errorFor(props.violations, "openingHours") ? <p class="field-error">{errorFor(props.violations, "openingHours")}</p> : null}
      </div>
      <div class="grid">
        <Field name="contactName" label="Contact sur place" value={v.contactName} required error={errorFor(props.violations, "contactName")} attrs={{ maxlength: 200 }} />
        <Field name="contactEmail" label="Courriel du contact" type="email" value={v.contactEmail} error={errorFor(props.violations, "contactEmail")} attrs={{ maxlength: 254 }} />
        <Field name="contactPhone" label="Téléphone du contact" type="tel" value={v.contactPhone} error={errorFor(props.violations, "contactPhone")} attrs={{ maxlength: 40 }} />
      </div>
      <fieldset>
        <legend>Salles équipées (une salle accueille autant de stagiaires que de PC)</legend>
        {roomErrors.length > 0 ? <ViolationList violations={roomErrors} /> : null}
        <Table label="Salles équipées">
          <caption class="muted">Laissez une ligne vide pour ne rien ajouter ; videz une ligne pour retirer la salle.</caption>
          <thead>
            <tr>
              <th scope="col">Salle</th>
              <th scope="col">Nombre de PC</th>
            </tr>
          </thead>
          <tbody>
            {rooms.map((r, i) => (
              <tr>
                <td>
                  <label class="visually-hidden" for={`f-roomName_${i}`}>{`Nom de la salle ${i + 1}`}</label>
                  <input id={`f-roomName_${i}`} name={`roomName_${i}`} value={r.name} maxlength={80} />
                </td>
                <td>
                  <label class="visually-hidden" for={`f-roomPcs_${i}`}>{`Nombre de PC de la salle ${i + 1}`}</label>
                  <input id={`f-roomPcs_${i}`} name={`roomPcs_${i}`} type="number" min={1} max={200} value={r.pcs} />
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      </fieldset>
      {props.edit ? (
        <div class="field">
          <input type="hidden" name="active" value="0" />
          <input type="checkbox" id="f-active" name="active" value="1" checked={v.active} /> <label class="inline" for="f-active">Site ouvert aux réservations</label>
        </div>
      ) : null}
      <div class="actions">
        <button type="submit">{props.submit}</button>
      </div>
    </form>
  );
}

async function listPage(c: Ctx, form: { values: SiteForm; violations: Violation[] }, status = 200) {
  const actor = actorOf(c);
  const sites = await uc.listAccessSites(depsOf(c).db, actor);
  const isRegion = actor.role === "region_officer";
  const today = parisDate(depsOf(c).clock.now());
  return c.html(
    <Layout c={c} title="Sites d'accès e-formation">
      <h1>Sites d'accès Occitanie e-formation</h1>
      <p>
        Le réseau régional de points d'accès équipés de PC, pour les stagiaires sans ordinateur ni connexion qui suivent à distance une formation hybride ou en e-formation (CP-EFORM-SITES, CCTP §3.3).
        {isRegion ? "" : " Les réservations de places se font depuis la page « Site d'accès » du parcours de chaque stagiaire."}
      </p>
      {c.req.query("ajout") === "1" ? (
        <p class="alert success" role="status">
          Le site d'accès est ouvert.
        </p>
      ) : null}
      <Table label={`Sites d'accès (${sites.length})`}>
        <caption>{`Sites d'accès (${sites.length})`}</caption>
        <thead>
          <tr>
            <th scope="col">Site</th>
            <th scope="col">Commune</th>
            <th scope="col">Département</th>
            <th scope="col" class="num">Salles</th>
            <th scope="col" class="num">PC</th>
            <th scope="col">Journée</th>
          </tr>
        </thead>
        <tbody>
          {sites.map((s) => (
            <tr>
              <td>
                <a href={`/sites-acces/${s.id}`}>{s.name}</a> {s.active ? null : <span class="badge refused">Fermé</span>}
              </td>
              <td>
                {s.commune} <span class="muted">({s.inseeCode})</span>
              </td>
              <td>
                {s.departementName} ({s.departementCode})
              </td>
              <td class="num">{s.rooms}</td>
              <td class="num">{s.pcs}</td>
              <td>
                <a href={`/sites-acces/${s.id}/jour?date=${today}`}>{`Journée de ${s.name}`}</a>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      {isRegion ? (
        <section aria-labelledby="add-title">
          <h2 id="add-title">Ouvrir un site d'accès</h2>
          <SiteFormView c={c} action="/sites-acces" values={form.values} violations={form.violations} submit="Ouvrir le site" />
        </section>
      ) : null}
    </Layout>,
    status as 200,
  );
}

interface StaffForm {
  values: { email: string; fullName: string };
  violations: Violation[];
}

/** CP-EFORM-SITES: the Region opens the accounts of the site's staff (they see this site's day only). */
function StaffSection(props: { c: Ctx; siteId: string; staff: { id: string; email: string; full_name: string; active: boolean }[]; form?: StaffForm; created: boolean }) {
  const v = props.form?.values ?? { email: "", fullName: "" };
  const violations = props.form?.violations ?? [];
  const general = generalErrors(violations, ["email", "fullName", "password"]);
  return (
    <section aria-labelledby="staff-title">
      <h2 id="staff-title">Comptes du personnel du site</h2>
      <p>Le personnel du site voit la journée de ce site (qui vient, dans quelle salle, PC restants) et pointe les arrivées ; rien d'autre.</p>
      {props.created ? (
        <p class="alert success" role="status">
          Le compte est ouvert.
        </p>
      ) : null}
      {props.staff.length === 0 ? (
        <p class="muted">Aucun compte pour ce site.</p>
      ) : (
        <Table label="Comptes du personnel du site">
          <caption>{`Comptes du personnel du site (${props.staff.length})`}</caption>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">Adresse e-mail</th>
              <th scope="col">État</th>
            </tr>
          </thead>
          <tbody>
            {props.staff.map((s) => (
              <tr>
                <td>{s.full_name}</td>
                <td>{s.email}</td>
                <td>{s.active ? "Actif" : "Désactivé"}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <form method="post" action={`/sites-acces/${props.siteId}/comptes`}>
        <CsrfField c={props.c} />
        {general.length > 0 ? <ViolationList violations={general} /> : null}
        <div class="grid">
          <Field name="fullName" label="Nom complet" value={v.fullName} required error={errorFor(violations, "fullName")} attrs={{ maxlength: 200 }} />
          <Field name="email" label="Adresse e-mail" type="email" value={v.email} required error={errorFor(violations, "email")} attrs={{ maxlength: 254 }} />
          <Field name="password" label="Mot de passe initial" type="password" value="" required hint="12 caractères au moins ; à changer à la première connexion." error={errorFor(violations, "password")} attrs={{ maxlength: 200, autocomplete: "new-password" }} />
        </div>
        <div class="actions">
          <button type="submit">Ouvrir le compte</button>
        </div>
      </form>
    </section>
  );
}

async function detailPage(c: Ctx, id: string, form?: { values: SiteForm; violations: Violation[] }, status = 200, staffForm?: StaffForm) {
  const actor = actorOf(c);
  const site = await uc.getAccessSite(depsOf(c).db, actor, id);
  const days = await uc.accessSiteBookedDays(depsOf(c).db, actor, id);
  const isRegion = actor.role === "region_officer";
  const staff = isRegion ? await uc.siteStaff(depsOf(c).db, actor, id) : [];
  const today = parisDate(depsOf(c).clock.now());
  const values: SiteForm = form?.values ?? {
    ...site,
    contactEmail: site.contactEmail ?? "",
    contactPhone: site.contactPhone ?? "",
    rooms: site.rooms.map((r) => ({ name: r.name, pcs: String(r.pcs) })),
  };
  return c.html(
    <Layout c={c} title={site.name}>
      {actor.role === "access_site_staff" ? null : (
        <p>
          <a href="/sites-acces">← Sites d'accès</a>
        </p>
      )}
      <h1>
        {site.name} {site.active ? null : <span class="badge refused">Fermé</span>}
      </h1>
      {c.req.query("ok") === "1" ? (
        <p class="alert success" role="status">
          Les modifications sont enregistrées.
        </p>
      ) : null}
      <p>
        {site.address}, {site.postcode} {site.commune} (INSEE {site.inseeCode}) — {site.openingHours}. Contact : {site.contactName}
        {site.contactPhone ? `, ${site.contactPhone}` : ""}
        {site.contactEmail ? `, ${site.contactEmail}` : ""}.
      </p>
      <p>
        <a href={`/sites-acces/${site.id}/jour?date=${today}`}>Journée du site aujourd'hui (qui vient, dans quelle salle, PC restants)</a>
      </p>
      {days.length > 0 ? (
        <section aria-labelledby="days-title">
          <h2 id="days-title">Jours réservés</h2>
          <ul>
            {days.map((d) => (
              <li>
                <a href={`/sites-acces/${site.id}/jour?date=${d.date}`}>{`${formatDateFr(d.date)} — ${d.bookings} réservation${d.bookings > 1 ? "s" : ""}`}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {isRegion ? <StaffSection c={c} siteId={site.id} staff={staff} form={staffForm} created={c.req.query("compte") === "1"} /> : null}
      {isRegion ? (
        <section aria-labelledby="edit-title">
          <h2 id="edit-title">Modifier le site</h2>
          <SiteFormView c={c} action={`/sites-acces/${site.id}`} values={values} violations={form?.violations ?? []} submit="Enregistrer" edit />
        </section>
      ) : (
        <ul>
          {site.rooms.map((r) => (
            <li>
              {r.name} : {r.pcs} PC
            </li>
          ))}
        </ul>
      )}
    </Layout>,
    status as 200,
  );
}

export function registerAccessSitePages(app: OpenAPIHono<AppEnv>) {
  app.get("/sites-acces", (c) => {
    // CP-EFORM-SITES: a site's staff have one site — their list is it (as a prescriber's /candidatures is /prescriptions).
    const actor = actorOf(c);
    if (actor.role === "access_site_staff" && actor.accessSiteId) return c.redirect(`/sites-acces/${actor.accessSiteId}`, 303);
    return listPage(c, { values: emptyForm(), violations: [] });
  });

  app.post("/sites-acces", async (c) => {
    const actor = actorOf(c);
    requireRole(actor, "region_officer");
    const values = readForm(await formBody(c));
    const r = await attempt(() => uc.createAccessSite(depsOf(c).db, actor, toInput(values)));
    if (r.ok) return c.redirect(`/sites-acces/${r.value.id}?ok=1`, 303);
    return listPage(c, { values, violations: r.violations }, 422);
  });

  app.get("/sites-acces/:id", (c) => detailPage(c, c.req.param("id")));

  app.post("/sites-acces/:id", async (c) => {
    const id = c.req.param("id");
    const values = readForm(await formBody(c));
    const r = await attempt(() => uc.updateAccessSite(depsOf(c).db, actorOf(c), id, toInput(values)));
    if (r.ok) return c.redirect(`/sites-acces/${id}?ok=1`, 303);
    return detailPage(c, id, { values, violations: r.violations }, 422);
  });

  app.post("/sites-acces/:id/comptes", async (c) => {
    const id = c.req.param("id");
    const body = await formBody(c);
    const values = { email: str(body, "email"), fullName: str(body, "fullName") };
    const r = await attempt(() => uc.createSiteStaffAccount(depsOf(c).db, actorOf(c), id, { ...values, password: str(body, "password") }));
    if (r.ok) return c.redirect(`/sites-acces/${id}?compte=1#staff-title`, 303);
    return detailPage(c, id, undefined, 422, { values, violations: r.violations });
  });
}
