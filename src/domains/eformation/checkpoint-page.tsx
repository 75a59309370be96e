// /eformation/sessions/:id/point-15-jours: the 15-day checkpoint (CP-EFORM-CHECKPOINT-15D) — candidates,
// planning, virtual class and software on one page; the Region confirms or postpones the session.
import { de } from "../../core/french.ts";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { attempt, type FormBody, formBody, str } from "../../core/pages/forms.ts";
import { CsrfField, errorFor, Field, Layout, ViolationList } from "../../core/pages/layout.tsx";
import type { Violation } from "../../core/rules.ts";
import { parisDate } from "../../core/time.ts";
import * as uc from "./use-cases.ts";
import { webconfWording } from "./rules.ts";

const candidacyLabels: Record<string, string> = {
  received: "reçues",
  invited: "invitées",
  summoned: "convoquées",
  selected: "retenues",
  waiting_list: "en liste d'attente",
  not_retained: "non retenues",
  entered: "entrées en formation",
  withdrawn: "désistements",
};

function CheckpointPage(props: { c: Ctx; v: uc.CheckpointView; values?: FormBody; violations?: Violation[]; notice?: string }) {
  const { c, v } = props;
  const s = v.session;
  const isRegion = actorOf(c).role === "region_officer";
  const e = props.violations ?? [];
  const fv = props.values ?? {};
  return (
    <Layout c={c} title={`Point à 15 jours — ${s.component_title}`}>
      <h1>Point d'étape à 15 jours — {s.component_title}</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <p>
        Session {de(s.provider_name)}, du {uc.frDate(s.start_date)} au {uc.frDate(s.end_date)} ({s.places} places). Le point avec la Région s'ouvre le {uc.frDate(v.opensOn)} (CP-EFORM-CHECKPOINT-15D).
      </p>
      <h2>Candidats inscrits</h2>
      {v.candidacies.length === 0 ? (
        <p>Aucune candidature.</p>
      ) : (
        <ul>
          {v.candidacies.map((k) => (
            <li>
              {k.count} {candidacyLabels[k.status] ?? k.status}
            </li>
          ))}
        </ul>
      )}
      <p>
        {v.paths.length} stagiaire{v.paths.length > 1 ? "s" : ""} avec un parcours{v.paths.length ? " : " : "."}
        {v.paths.map((p) => `${p.first_name} ${p.last_name}`).join(", ")}
      </p>
      <h2>Planning</h2>
      {v.planning.slots === 0 ? (
        <p>Aucun créneau planifié pour les stagiaires de la session.</p>
      ) : (
        <p>
          {v.planning.slots} créneaux du {uc.frDate(v.planning.first)} au {uc.frDate(v.planning.last)}, dont {v.planning.distance} à distance
          {v.planning.withoutLink ? ` (${v.planning.withoutLink} sans lien de classe virtuelle)` : ""}.
        </p>
      )}
      <h2>Outil de classe virtuelle</h2>
      <p>
        {v.webconf ? `Outil déclaré : ${v.webconf.tool} — ${webconfWording.labels[v.webconf.status]}${v.webconf.reason ? ` (${v.webconf.reason})` : ""}.` : "Aucun outil déclaré par l'organisme (CP-WEBCONF)."}{" "}
        <a href={`/eformation/composantes/${s.component_id}`}>Déclaration d'outils de la composante</a>
      </p>
      {v.virtualRooms.length === 0 ? <p>Aucun lien de classe virtuelle sur les créneaux à distance.</p> : <ul>{v.virtualRooms.map((u) => <li>{u}</li>)}</ul>}
      <h2>Logiciels des sites d'accès</h2>
      <p>
        {v.software.noSoftware
          ? "Aucun logiciel spécifique déclaré."
          : `${v.software.software.length} logiciel(s) transmis, ${v.software.software.filter((w) => w.status === "validated" && w.licences_provided).length} validé(s) avec licences.`}{" "}
        <a href={`/eformation/sessions/${s.id}`}>Détail des logiciels</a>
      </p>
      {v.software.warnings.length ? <ViolationList violations={v.software.warnings} /> : null}
      <h2>Décisions de la Région</h2>
      {v.history.length === 0 ? (
        <p>Aucune décision pour l'instant.</p>
      ) : (
        <ul>
          {v.history.map((h) => (
            <li>
              {parisDate(new Date(h.decided_at)).split("-").reverse().join("/")} —{" "}
              {h.decision === "postponed"
                ? `reportée du ${uc.frDate(h.old_start)} au ${uc.frDate(h.new_start)} (fin le ${uc.frDate(h.new_end)}), ${h.paths_moved} parcours et ${h.slots_moved} créneaux décalés : ${h.reason}`
                : "confirmée"}{" "}
              {h.decided_by_name ? `par ${h.decided_by_name}` : ""}
            </li>
          ))}
        </ul>
      )}
      {isRegion ? (
        v.closed ? (
          <ViolationList violations={[v.closed]} title="Point d'étape fermé" />
        ) : (
          <form method="post" action={`/eformation/sessions/${s.id}/point-15-jours`}>
            <h2>Confirmer ou reporter la session</h2>
            <CsrfField c={c} />
            {e.length > 0 ? <ViolationList violations={e} title="La décision n'a pas été enregistrée" /> : null}
            <fieldset>
              <legend>Décision</legend>
              <div>
                <input type="radio" id="k-confirmed" name="decision" value="confirmed" required checked={str(fv, "decision") === "confirmed"} />
                <label for="k-confirmed">Confirmer le démarrage</label>
              </div>
              <div>
                <input type="radio" id="k-postponed" name="decision" value="postponed" checked={str(fv, "decision") === "postponed"} />
                <label for="k-postponed">Reporter la session</label>
              </div>
            </fieldset>
            <Field name="newStart" label="Nouvelle date de début (report)" type="date" value={str(fv, "newStart")} error={errorFor(e, "newStart")} />
            <Field name="newEnd" label="Nouvelle date de fin (report)" type="date" value={str(fv, "newEnd")} error={errorFor(e, "newEnd")} />
            <div class={errorFor(e, "reason") ? "field has-error" : "field"}>
              <label for="f-reason">Motif (obligatoire pour un report)</label>
              <textarea id="f-reason" name="reason" rows={3} maxlength={2000} aria-invalid={errorFor(e, "reason") ? "true" : undefined}>
                {str(fv, "reason")}
              </textarea>
              {errorFor(e, "reason") ? <p class="field-error">{errorFor(e, "reason")}</p> : null}
            </div>
            <button type="submit">Enregistrer la décision</button>
          </form>
        )
      ) : null}
      <p>
        <a href={`/eformation/sessions/${s.id}`}>Retour à la session</a>
      </p>
    </Layout>
  );
}

export function registerCheckpointPage(app: OpenAPIHono<AppEnv>) {
  app.get("/eformation/sessions/:id/point-15-jours", async (c) => {
    const { db, clock } = depsOf(c);
    const released = Number(c.req.query("places") ?? 0) || 0;
    const notice =
      c.req.query("ok") === "postponed"
        ? `Session reportée : parcours, planning et places en site d'accès décalés, personnes concernées prévenues.${released > 0 ? ` ${released} place${released > 1 ? "s" : ""} en site d'accès à réserver de nouveau (voir le courriel à l'organisme).` : ""}`
        : c.req.query("ok") === "confirmed"
          ? "Session confirmée."
          : undefined;
    return c.html(<CheckpointPage c={c} v={await uc.checkpointView(db, actorOf(c), clock, c.req.param("id"))} notice={notice} />);
  });
  app.post("/eformation/sessions/:id/point-15-jours", async (c) => {
    const { db, clock } = depsOf(c);
    const actor = actorOf(c);
    const id = c.req.param("id");
    await uc.getSession(db, actor, id);
    const body = await formBody(c);
    const decision = str(body, "decision");
    const input = decision === "postponed" ? { decision, newStart: str(body, "newStart"), newEnd: str(body, "newEnd"), reason: str(body, "reason") } : { decision, reason: str(body, "reason") || undefined };
    const result = await attempt(() => uc.decideCheckpoint(db, actor, clock, id, input));
    if (result.ok) return c.redirect(`/eformation/sessions/${id}/point-15-jours?ok=${result.value.decision}${result.value.seats.released.length ? `&places=${result.value.seats.released.length}` : ""}`, 303);
    return c.html(<CheckpointPage c={c} v={await uc.checkpointView(db, actor, clock, id)} values={body} violations={result.violations} />, 422);
  });
}
