// Trainee's screens on the phone: today's slots, signing one (QR or self-study), a link (remote /
// tutor), the phone's enrolment. They work with the device cookie, without the staff layout's nav.
import type { Child } from "hono/jsx";
import type { Ctx } from "../../../core/http/context.ts";
import { Layout } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import { formatDateFr } from "../../../core/time.ts";
import { Errors, formatMinutes, hhmm, IslandScript, modalityLabels, parisTime, SignaturePad, statusLabels } from "./parts.tsx";

export interface SignerSlot {
  id: string;
  slot_date: string;
  start_time: string;
  end_time: string;
  modality: string;
  status: string;
  title: string;
  objectives: string | null;
  deliverables: string | null;
  resources: string | null;
  virtual_room_url: string | null;
}

export interface Recorded {
  status: string;
  realised_minutes: number;
  signed_at: Date | null;
  /** A presence declared by the trainer, its proof awaited: the trainee's signature completes it. */
  declared?: boolean;
}

/** Recorded and nothing left to sign (a declared presence still awaits the trainee's signature). */
const settled = (r: Recorded | undefined): r is Recorded => !!r && !r.declared;

function Done(props: { row: Recorded }) {
  if (props.row.declared) {
    return (
      <p class="alert warning" role="status">
        Présence déclarée par votre formateur·rice, preuve en attente : signez pour qu'elle compte dans vos heures réalisées.
      </p>
    );
  }
  return (
    <p class="alert success" role="status">
      {props.row.status === "present" || props.row.status === "late" ? "Votre présence est enregistrée" : `Enregistré : ${statusLabels[props.row.status]}`}
      {props.row.signed_at ? ` (signée à ${parisTime(props.row.signed_at)})` : ""} — {formatMinutes(props.row.realised_minutes)} réalisées.
    </p>
  );
}

export function MySlotsPage(props: { c: Ctx; name?: string; slots: (SignerSlot & { recorded?: Recorded })[] }) {
  return (
    <Layout c={props.c} title="Mes émargements du jour">
      <h1>Mes créneaux du jour</h1>
      {props.name ? <p>Bonjour {props.name}.</p> : null}
      {props.slots.length === 0 ? <p>Aucun créneau prévu aujourd'hui.</p> : null}
      <ul class="cards">
        {props.slots.map((s) => (
          <li class="card">
            <p>
              <strong>
                {hhmm(s.start_time)}–{hhmm(s.end_time)}
              </strong>{" "}
              {s.title} ({modalityLabels[s.modality]})
            </p>
            {s.recorded ? <Done row={s.recorded} /> : null}
            {settled(s.recorded) ? null : s.modality === "self_study" ? (
              <a href={`/signer/${s.id}`}>Déclarer la séquence réalisée et signer</a>
            ) : (
              <p class="hint">Scannez le QR code affiché par votre formateur·rice pour signer.</p>
            )}
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export function SignPage(props: { c: Ctx; slot: SignerSlot; code?: string; recorded?: Recorded; violations?: Violation[]; name?: string; help?: { question: string; asked_at: Date; answer: string | null }[] }) {
  const s = props.slot;
  const selfStudy = s.modality === "self_study";
  return (
    <Layout c={props.c} title="Émarger">
      <h1>Émarger : {s.title}</h1>
      <p>
        {formatDateFr(s.slot_date)}, {hhmm(s.start_time)}–{hhmm(s.end_time)} · {modalityLabels[s.modality]}
        {props.name ? ` · ${props.name}` : ""}
      </p>
      <Errors violations={props.violations} />
      <div id="resultat" aria-live="polite">
        {props.recorded ? <Done row={props.recorded} /> : null}
      </div>
      {settled(props.recorded) ? null : selfStudy ? (
        <form method="post" action={`/signer/${s.id}`} data-signature-form data-offline-queue={`/api/attendance/slots/${s.id}/self-study`} data-slot={s.id}>
          <section aria-labelledby="seq-titre">
            <h2 id="seq-titre">La séquence d'autoformation</h2>
            <dl>
              <dt>Objectifs</dt>
              <dd>{s.objectives ?? "—"}</dd>
              <dt>Livrables attendus</dt>
              <dd>{s.deliverables ?? "—"}</dd>
              {s.resources ? (
                <>
                  <dt>Ressources</dt>
                  <dd>{s.resources}</dd>
                </>
              ) : null}
            </dl>
          </section>
          <div class="field">
            <label for="f-deliverable">Livrable produit (description, lien ou titre du document)</label>
            <textarea id="f-deliverable" name="deliverable" rows={3} required></textarea>
          </div>
          <input type="hidden" name="clientId" value="" />
          <SignaturePad label="Votre signature" />
          <button type="submit">J'ai réalisé la séquence : je signe</button>
        </form>
      ) : props.code ? (
        <form method="post" action={`/signer/${s.id}`} data-signature-form data-offline-queue="/api/attendance/sign" data-slot={s.id}>
          <input type="hidden" name="code" value={props.code} />
          <input type="hidden" name="clientId" value="" />
          <SignaturePad label="Votre signature" />
          <button type="submit">Signer ma présence</button>
        </form>
      ) : (
        <p class="alert warning">Scannez le QR code affiché par votre formateur·rice pour signer ce créneau.</p>
      )}
      {selfStudy ? <HelpSection slotId={s.id} help={props.help ?? []} c={props.c} /> : null}
      <p>
        <a href="/signer">Mes créneaux du jour</a>
      </p>
      <IslandScript />
    </Layout>
  );
}

function HelpSection(props: { c: Ctx; slotId: string; help: { question: string; asked_at: Date; answer: string | null }[] }) {
  const csrf = props.c.get("csrfToken");
  return (
    <section aria-labelledby="aide-titre">
      <h2 id="aide-titre">Besoin d'aide ?</h2>
      <p class="hint">Un·e formateur·rice vous répond dans les 2 heures (CP-SELFSTUDY-ASSIST-2H).</p>
      <form method="post" action={`/signer/${props.slotId}/aide`}>
        {csrf ? <input type="hidden" name="_csrf" value={csrf} /> : null}
        <div class="field">
          <label for="f-question">Votre question</label>
          <textarea id="f-question" name="question" rows={3} required></textarea>
        </div>
        <button type="submit">Envoyer la demande d'aide</button>
      </form>
      {props.help.length ? (
        <ul>
          {props.help.map((h) => (
            <li>
              {parisTime(h.asked_at)} — {h.question} : {h.answer ?? <em>en attente de réponse</em>}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

export function LinkPage(props: {
  c: Ctx;
  link: { purpose: "remote" | "tutor"; first_name: string; last_name: string; slot_date: string; start_time: string; end_time: string; virtual_room_url: string | null };
  token: string;
  violations?: Violation[];
  recorded?: Recorded;
}) {
  const l = props.link;
  const tutor = l.purpose === "tutor";
  return (
    <Layout c={props.c} title={tutor ? "Attestation du tuteur" : "Émargement à distance"}>
      <h1>{tutor ? "Attester la présence en entreprise" : "Émarger à distance"}</h1>
      <p>
        {l.first_name} {l.last_name} — {formatDateFr(l.slot_date)}, {hhmm(l.start_time)}–{hhmm(l.end_time)}
      </p>
      <Errors violations={props.violations} />
      {props.recorded ? (
        <Done row={props.recorded} />
      ) : (
        <form method="post" action={`/lien/${props.token}`} data-signature-form>
          {tutor ? (
            <>
              <div class="field">
                <label for="f-signer">Votre nom (tuteur·rice)</label>
                <input id="f-signer" name="signerName" required maxlength={200} />
              </div>
              <fieldset>
                <legend>Le·la stagiaire était-il·elle présent·e sur cette période ?</legend>
                <input type="radio" id="f-present-1" name="present" value="1" checked /> <label for="f-present-1">Présent·e</label>{" "}
                <input type="radio" id="f-present-0" name="present" value="0" /> <label for="f-present-0">Absent·e</label>
              </fieldset>
            </>
          ) : null}
          <SignaturePad label={tutor ? "Signature du·de la tuteur·rice" : "Votre signature"} />
          <button type="submit">{tutor ? "Attester et signer" : "Signer ma présence"}</button>
        </form>
      )}
      <IslandScript />
    </Layout>
  );
}

export function DeviceClaimPage(props: { c: Ctx; token: string; error?: string; children?: Child }) {
  return (
    <Layout c={props.c} title="Enregistrer ce téléphone">
      <h1>Enregistrer ce téléphone pour émarger</h1>
      {props.error ? (
        <p class="alert error" role="alert">
          {props.error}
        </p>
      ) : (
        <form method="post" action={`/appareil/${props.token}`}>
          <p>Ce téléphone vous permettra d'émarger pendant 120 jours sans mot de passe. N'enregistrez que votre propre téléphone.</p>
          <button type="submit">Enregistrer ce téléphone</button>
        </form>
      )}
    </Layout>
  );
}
