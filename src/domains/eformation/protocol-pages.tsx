// CP-PROTOCOL pages: /eformation/parcours/:id/protocole (provider staff generate and sign, the trainee
// signs with their account; PDF) and /protocole/:token, the trainee's personal link (no account).
import type { OpenAPIHono } from "@hono/zod-openapi";
import { may } from "../../core/auth/roles.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { publicUrl } from "../../core/http/client.ts";
import { attempt, formBody, str } from "../../core/pages/forms.ts";
import { CsrfField, errorFor, Field, Layout, ViolationList } from "../../core/pages/layout.tsx";
import { Table } from "../../core/pages/table.tsx";
import { formatMinutes, type Violation } from "../../core/rules.ts";
import { formatDateFr } from "../../core/time.ts";
import { modalityLabels } from "../schedule/pages/labels.tsx";
import * as pr from "./protocol.ts";
import { protocolPdf } from "./protocol-pdf.ts";
import { dateTimeSecondsFr } from "../../core/french.ts";


/** The four sections of the protocol, as signed. */
function ProtocolSections(props: { ct: pr.ProtocolContent }) {
  const ct = props.ct;
  return (
    <>
      <h2 id="p-cal">Calendrier</h2>
      <p>
        Du {formatDateFr(ct.calendar.entryDate)} au {formatDateFr(ct.calendar.plannedExitDate)}.
      </p>
      {ct.calendar.slots.length === 0 ? (
        <p>Les séances ne sont pas encore planifiées.</p>
      ) : (
        <Table aria-labelledby="p-cal">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Horaires</th>
              <th scope="col">Modalité</th>
            </tr>
          </thead>
          <tbody>
            {ct.calendar.slots.map((s) => (
              <tr>
                <td>{formatDateFr(s.date)}</td>
                <td>
                  {s.start}–{s.end}
                </td>
                <td>{modalityLabels[s.modality]}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <h2 id="p-mod">Modalités</h2>
      <Table aria-labelledby="p-mod">
        <thead>
          <tr>
            <th scope="col">Modalité</th>
            <th scope="col">Heures prévues</th>
          </tr>
        </thead>
        <tbody>
          {ct.modalities.map((m) => (
            <tr>
              <td>{modalityLabels[m.modality]}</td>
              <td>{formatMinutes(m.minutes)}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <h2>Temps de travail estimé</h2>
      <p>
        Durée totale prévue : {formatMinutes(ct.workTime.totalMinutes)}, dont {formatMinutes(ct.workTime.selfStudyMinutes)} d'autoformation ({formatMinutes(ct.workTime.selfStudyRemoteMinutes)} à distance).
        {ct.workTime.weekly
          ? ` Semaine type : tutorat ${formatMinutes(ct.workTime.weekly.tutoratMinutes)}, autoformation ${formatMinutes(ct.workTime.weekly.selfStudyMinutes)}, regroupements ${formatMinutes(ct.workTime.weekly.gatheringMinutes)}.`
          : ""}
      </p>
      <h2>Modes d'évaluation</h2>
      <ul>
        {ct.evaluations.map((e) => (
          <li>{e}</li>
        ))}
      </ul>
    </>
  );
}

function Signatures(props: { signatures: { party: pr.Party; signer_name?: string; signerName?: string; signed_at?: Date; signedAt?: Date }[] }) {
  return (
    <>
      <h2>Signatures</h2>
      {props.signatures.length === 0 ? <p>Aucune signature pour le moment.</p> : null}
      <ul>
        {props.signatures.map((s) => (
          <li>
            {pr.partyLabels[s.party]} — {s.signerName ?? s.signer_name}, le {dateTimeSecondsFr((s.signedAt ?? s.signed_at) as Date)}
          </li>
        ))}
      </ul>
    </>
  );
}

async function staffPage(c: Ctx, violations: Violation[] = [], status = 200, notice?: string) {
  const actor = actorOf(c);
  const v = await pr.protocolView(depsOf(c).db, actor, c.req.param("id") ?? "");
  const base = `/eformation/parcours/${v.path.id}/protocole`;
  const staff = actor.role !== "trainee" && may(actor, "paths.write") && actor.providerId !== null;
  const party: pr.Party = actor.role === "trainee" ? "trainee" : "provider";
  const mine = v.signatures.some((s) => s.party === party);
  return c.html(
    <Layout c={c} title={`Protocole individuel — ${v.path.trainee}`}>
      <h1>Protocole individuel de formation — {v.path.trainee}</h1>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ViolationList violations={violations} title="L'action n'a pas abouti" />
      <p>
        {v.path.component} ({v.path.provider}). <a href={`/parcours/${v.path.id}`}>Retour au parcours</a>
      </p>
      {v.protocol && v.status ? (
        <>
          <p>
            Version {v.protocol.version} — <strong>{pr.protocolStatusLabels[v.status]}</strong> — empreinte SHA-256 <code>{v.protocol.contentHash}</code> —{" "}
            <a href={`${base}.pdf`}>Télécharger le protocole (PDF)</a>
          </p>
          <ProtocolSections ct={v.protocol.content} />
          <Signatures signatures={v.signatures} />
        </>
      ) : (
        <p>Le protocole n'a pas encore été généré.</p>
      )}
      {staff && v.path.eFormation ? (
        <form method="post" action={base}>
          <CsrfField c={c} />
          <p>Générer reprend le calendrier, les modalités, le temps de travail et les évaluations du parcours. Un protocole déjà signé n'est pas modifié : une nouvelle version part à la signature.</p>
          <button type="submit">{v.protocol ? "Mettre à jour le protocole" : "Générer le protocole"}</button>
        </form>
      ) : null}
      {v.protocol && !mine && (staff || actor.role === "trainee") ? (
        <form method="post" action={`${base}/signer`}>
          <CsrfField c={c} />
          <button type="submit">{party === "provider" ? "Signer pour l'organisme" : "Signer mon protocole"}</button>
        </form>
      ) : null}
    </Layout>,
    status as 200,
  );
}

async function linkPage(c: Ctx, violations: Violation[] = [], status = 200, notice?: string) {
  const token = c.req.param("token") ?? "";
  const d = await pr.linkView(depsOf(c).db, depsOf(c).clock.now(), token);
  const mine = d.signatures.some((s) => s.party === "trainee");
  return c.html(
    <Layout c={c} title="Protocole individuel de formation">
      <h1>Votre protocole individuel de formation</h1>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ViolationList violations={violations} title="La signature n'a pas été enregistrée" />
      <p>
        {d.protocol.content.component.title} — {d.protocol.content.provider}. Version {d.protocol.version}, {pr.protocolStatusLabels[d.status]}.
      </p>
      <ProtocolSections ct={d.protocol.content} />
      <Signatures signatures={d.signatures} />
      {mine ? null : (
        <form method="post" action={`/protocole/${token}/signer`}>
          <CsrfField c={c} />
          <Field name="signerName" label="Votre nom" required attrs={{ maxlength: 200 }} error={errorFor(violations, "signerName")} />
          <div class="field">
            <input type="checkbox" id="f-accept" name="accept" value="1" required />
            <label for="f-accept">J'ai lu le protocole et je le signe</label>
          </div>
          <button type="submit">Signer le protocole</button>
        </form>
      )}
    </Layout>,
    status as 200,
  );
}

export function registerProtocolPages(app: OpenAPIHono<AppEnv>) {
  app.get("/eformation/parcours/:id/protocole", (c) => staffPage(c, [], 200, c.req.query("ok") ? "Enregistré." : undefined));
  app.post("/eformation/parcours/:id/protocole", async (c) => {
    const { db, clock } = depsOf(c);
    const r = await attempt(() => pr.generateProtocol(db, actorOf(c), clock, c.req.param("id"), publicUrl(c)));
    if (!r.ok) return staffPage(c, r.violations, 422);
    return staffPage(c, [], 200, r.value.link
          ? `${r.value.changed ? `Protocole version ${r.value.version} prêt à signer.` : "Le parcours n'a pas changé : le protocole reste le même."} Nouveau lien personnel envoyé au ou à la stagiaire : ${r.value.link}`
          : "Le parcours n'a pas changé et le ou la stagiaire a déjà signé : le protocole reste le même.");
  });
  app.post("/eformation/parcours/:id/protocole/signer", async (c) => {
    const { db, clock } = depsOf(c);
    const r = await attempt(() => pr.signInApp(db, actorOf(c), clock, c.req.param("id")));
    return r.ok ? c.redirect(`/eformation/parcours/${c.req.param("id")}/protocole?ok=1`, 303) : staffPage(c, r.violations, 422);
  });
  app.get("/eformation/parcours/:id/protocole.pdf", async (c) => {
    const { pdf, filename } = await protocolPdf(depsOf(c).db, actorOf(c), c.req.param("id"));
    return c.body(new Uint8Array(pdf), 200, { "content-type": "application/pdf", "content-disposition": `attachment; filename="${filename}"`, "cache-control": "private, no-store" });
  });
  app.get("/protocole/:token", (c) => linkPage(c));
  app.post("/protocole/:token/signer", async (c) => {
    const b = await formBody(c);
    const r = await attempt(() => pr.signByLink(depsOf(c).db, depsOf(c).clock.now(), c.req.param("token"), { signerName: str(b, "signerName"), accept: str(b, "accept") === "1" }));
    return r.ok ? linkPage(c, [], 200, "Merci : votre signature est enregistrée.") : linkPage(c, r.violations, 422);
  });
}
