// Trainer's screens: today's slots, and one sheet (open, rotating QR, live list, marks, kiosk,
// links, paper fallback, countersignature).
import { de } from "../../../core/french.ts";
import { CsrfField, Layout } from "../../../core/pages/layout.tsx";
import type { Ctx } from "../../../core/http/context.ts";
import type { Violation } from "../../../core/rules.ts";
import { formatDateFr, parisDate } from "../../../core/time.ts";
import type { Sheet } from "../sheet.ts";
import { Errors, formatMinutes, hhmm, IslandScript, methodLabels, modalityLabels, parisTime, SignaturePad, slotStatusLabels, statusLabels } from "./parts.tsx";
import { Table } from "../../../core/pages/table.tsx";

export interface DaySlot {
  id: string;
  start_time: string;
  end_time: string;
  modality: string;
  status: string;
  place: string | null;
  component_title: string;
  module_title: string | null;
  expected: number | string | null;
  present: number | string | null;
}

export function TodayPage(props: { c: Ctx; slots: DaySlot[]; date: string }) {
  return (
    <Layout c={props.c} title="Émargement du jour">
      <h1>Émargement du {formatDateFr(props.date)}</h1>
      <p>
        <a href="/emargement/appareils">Téléphones des stagiaires (sessions d'appareil)</a> · <a href="/emargement/aide">Demandes d'aide en autoformation</a>
      </p>
      {props.slots.length === 0 ? (
        <p>Aucun créneau aujourd'hui.</p>
      ) : (
        <Table label="Créneaux du jour">
          <caption>Créneaux du jour</caption>
          <thead>
            <tr>
              <th scope="col">Horaire</th>
              <th scope="col">Module</th>
              <th scope="col">Modalité</th>
              <th scope="col">État</th>
              <th scope="col" class="num">Présents / attendus</th>
            </tr>
          </thead>
          <tbody>
            {props.slots.map((s) => (
              <tr>
                <td>
                  <a href={`/emargement/${s.id}`}>
                    {hhmm(s.start_time)}–{hhmm(s.end_time)}
                  </a>
                </td>
                <td>{s.module_title ?? s.component_title}</td>
                <td>{modalityLabels[s.modality]}</td>
                <td>{slotStatusLabels[s.status]}</td>
                <td class="num">
                  {Number(s.present ?? 0)} / {Number(s.expected ?? 0)}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Layout>
  );
}

export function QrBlock(props: { slotId: string; svg: string; url: string; refreshSeconds: number }) {
  return (
    <div id="qr" hx-get={`/emargement/${props.slotId}/qr`} hx-trigger={`every ${props.refreshSeconds}s`} hx-swap="outerHTML">
      <div role="img" aria-label="QR code d'émargement, renouvelé toutes les 20 secondes" class="qr" dangerouslySetInnerHTML={{ __html: props.svg }} />
      <p class="hint">
        Les stagiaires scannent ce code avec l'appareil photo de leur téléphone. Il change toutes les {props.refreshSeconds} secondes.{" "}
        <a href={props.url} data-qr-url>
          Lien du code actuel
        </a>
      </p>
    </div>
  );
}

export function LiveList(props: { sheet: Sheet; canWrite: boolean; csrf: string }) {
  const { sheet } = props;
  const live = sheet.slot.status === "open";
  const signedCount = sheet.rows.filter((r) => r.status === "present" || r.status === "late").length;
  return (
    <div id="liste" hx-get={live ? `/emargement/${sheet.slot.id}/liste` : undefined} hx-trigger={live ? "every 3s" : undefined} hx-swap="outerHTML">
      <Table label="Stagiaires attendus">
        <caption>
          Stagiaires attendus — {signedCount} présent·e·s sur {sheet.rows.length}
        </caption>
        <thead>
          <tr>
            <th scope="col">Stagiaire</th>
            <th scope="col">Présence</th>
            <th scope="col">Mode</th>
            <th scope="col">Heure</th>
            <th scope="col" class="num">Réalisé</th>
            {props.canWrite ? <th scope="col">Marquer</th> : null}
          </tr>
        </thead>
        <tbody>
          {sheet.rows.map((r) => (
            <tr data-path={r.path_id}>
              <th scope="row">
                {r.last_name} {r.first_name}
              </th>
              <td>
                {r.status ? statusLabels[r.status] : <span class="badge">non signé</span>}
                {r.status === "late" ? ` (${r.late_minutes} min)` : ""}
              </td>
              <td>{r.method ? methodLabels[r.method] : "—"}</td>
              <td>{parisTime(r.signed_at)}</td>
              <td class="num">
                {!r.status ? "—" : r.proof === "declared" ? <span class="badge declared">déclarée, preuve en attente</span> : formatMinutes(r.realised_minutes ?? 0)}
              </td>
              {props.canWrite ? (
                <td>
                  <form method="post" action={`/emargement/${sheet.slot.id}/marquer`} class="inline-form">
                    <input type="hidden" name="_csrf" value={props.csrf} />
                    <input type="hidden" name="pathId" value={r.path_id} />
                    <label>
                      <span class="visually-hidden">Présence {de(`${r.first_name} ${r.last_name}`)}</span>
                      <select name="status" required>
                        {r.status ? null : (
                          <option value="" selected>
                            non signé — à décider
                          </option>
                        )}
                        {Object.entries(statusLabels).map(([v, l]) => (
                          <option value={v} selected={v === r.status}>
                            {l}
                          </option>
                        ))}
                      </select>
                    </label>{" "}
                    <label>
                      Retard (min) <input type="number" name="lateMinutes" min={0} max={1440} value={String(r.late_minutes ?? 0)} class="w-5rem" />
                    </label>{" "}
                    <label>
                      Motif <input type="text" name="reason" maxlength={500} class="w-9rem" />
                    </label>{" "}
                    <button type="submit">Enregistrer</button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}

export function SlotPage(props: { c: Ctx; sheet: Sheet; canWrite: boolean; qr?: { svg: string; url: string; refreshSeconds: number }; violations?: Violation[]; notice?: string; link?: { url: string; purpose: string } }) {
  const { c, sheet } = props;
  const s = sheet.slot;
  const title = sheet.heading.module_title ?? sheet.heading.component_title;
  const open = s.status === "open";
  const writable = props.canWrite && (s.status === "open" || s.status === "planned");
  const pending = sheet.rows.filter((r) => !r.status);
  const csrf = c.get("csrfToken") ?? "";
  return (
    <Layout c={c} title={`Émargement — ${title}`} wide>
      <p>
        <a href="/emargement">← Créneaux du jour</a>
      </p>
      <h1>
        {title} — {formatDateFr(s.slot_date)}, {hhmm(s.start_time)}–{hhmm(s.end_time)}
      </h1>
      <p>
        <span class="badge">{slotStatusLabels[s.status]}</span> {modalityLabels[s.modality]} · {formatMinutes(sheet.minutes)} · commande {sheet.heading.order_number}
        {sheet.heading.site_name ? ` · ${sheet.heading.site_name}` : ""}
        {s.place ? ` · ${s.place}` : ""}
        {sheet.heading.trainer_name ? ` · formateur·rice : ${sheet.heading.trainer_name}` : ""}
      </p>
      {props.notice ? (
        <p class="alert success" role="status">
          {props.notice}
        </p>
      ) : null}
      <Errors violations={props.violations} />
      {props.link ? (
        <div class="alert success" role="status">
          <p>Lien de signature ({props.link.purpose === "tutor" ? "tuteur" : "à distance"}) — à transmettre, il ne sera plus affiché :</p>
          <p>
            <a href={props.link.url}>{props.link.url}</a>
          </p>
        </div>
      ) : null}
      {props.canWrite && s.status === "planned" ? (
        <form method="post" action={`/emargement/${s.id}/ouvrir`}>
          <CsrfField c={c} />
          <button type="submit">Ouvrir l'émargement et afficher le QR code</button>
        </form>
      ) : null}
      {open && props.qr ? <QrBlock slotId={s.id} {...props.qr} /> : null}
      {open && props.qr ? (
        <p>
          <a href={`/emargement/${s.id}/projection`} class="button">
            Projeter le QR code en plein écran
          </a>
        </p>
      ) : null}
      <LiveList sheet={sheet} canWrite={props.canWrite && s.status !== "cancelled"} csrf={csrf} />
      {sheet.countersignature ? (
        <p class="alert success">
          Feuille contresignée par {sheet.countersignature.full_name} le {formatDateFr(parisDate(sheet.countersignature.signed_at))} à {parisTime(sheet.countersignature.signed_at)}.
        </p>
      ) : null}
      {writable && open && pending.length > 0 ? (
        <section aria-labelledby="kiosque-titre">
          <h2 id="kiosque-titre">Mode kiosque : signature sur cet appareil</h2>
          <form method="post" action={`/emargement/${s.id}/kiosque`} data-signature-form>
            <CsrfField c={c} />
            <div class="field">
              <label for="f-kiosk-path">Stagiaire</label>
              <select id="f-kiosk-path" name="pathId" required>
                {pending.map((r) => (
                  <option value={r.path_id}>
                    {r.last_name} {r.first_name}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <input type="checkbox" id="f-identity" name="identityConfirmed" value="1" required />{" "}
              <label for="f-identity">J'ai vérifié l'identité de cette personne</label>
            </div>
            <SignaturePad label="Signature du·de la stagiaire" name="signature" id="kiosque" />
            <button type="submit">Enregistrer la signature</button>
          </form>
        </section>
      ) : null}
      {writable && (s.modality === "distance" || s.modality === "company" || s.modality === "self_study") ? (
        <section aria-labelledby="liens-titre">
          <h2 id="liens-titre">Lien de signature</h2>
          <form method="post" action={`/emargement/${s.id}/lien`}>
            <CsrfField c={c} />
            <div class="field">
              <label for="f-link-path">Stagiaire</label>
              <select id="f-link-path" name="pathId">
                {sheet.rows.map((r) => (
                  <option value={r.path_id}>
                    {r.last_name} {r.first_name}
                  </option>
                ))}
              </select>
            </div>
            <input type="hidden" name="purpose" value={s.modality === "company" ? "tutor" : "remote"} />
            <button type="submit">{s.modality === "company" ? "Créer le lien du tuteur" : "Créer le lien de signature à distance"}</button>
          </form>
        </section>
      ) : null}
      {props.canWrite && s.status !== "cancelled" ? (
        <section aria-labelledby="papier-titre">
          <h2 id="papier-titre">Feuille papier (secours)</h2>
          <form method="post" action={`/emargement/${s.id}/papier`} enctype="multipart/form-data">
            <CsrfField c={c} />
            <div class="field">
              <label for="f-scan">Scan de la feuille signée (PDF, PNG ou JPEG)</label>
              <input id="f-scan" type="file" name="scan" accept="application/pdf,image/png,image/jpeg" />
            </div>
            <Table label="Présences relevées sur la feuille papier">
              <caption>Présences relevées sur la feuille papier</caption>
              <thead>
                <tr>
                  <th scope="col">Stagiaire</th>
                  <th scope="col">Présence</th>
                  <th scope="col">Retard (min)</th>
                </tr>
              </thead>
              <tbody>
                {sheet.rows.map((r) => (
                  <tr>
                    <th scope="row">
                      {r.last_name} {r.first_name}
                    </th>
                    <td>
                      <label>
                        <span class="visually-hidden">Présence papier {de(`${r.first_name} ${r.last_name}`)}</span>
                        <select name={`status_${r.path_id}`}>
                          <option value="">— inchangé —</option>
                          {Object.entries(statusLabels).map(([v, l]) => (
                            <option value={v}>{l}</option>
                          ))}
                        </select>
                      </label>
                    </td>
                    <td>
                      <label>
                        <span class="visually-hidden">Retard papier {de(`${r.first_name} ${r.last_name}`)}</span>
                        <input type="number" name={`late_${r.path_id}`} min={0} value="0" class="w-5rem" />
                      </label>
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <button type="submit">Enregistrer la feuille papier</button>
          </form>
        </section>
      ) : null}
      {writable ? (
        <section aria-labelledby="contresign-titre">
          <h2 id="contresign-titre">Contresigner et clore la feuille</h2>
          <p class="hint">Tant que vous n'avez rien décidé, un·e stagiaire sans signature reste « non signé ». En contresignant, celles et ceux encore « non signé » sont enregistré·e·s absent·e·s (CP-ABSENCE-DECLARED).</p>
          <form method="post" action={`/emargement/${s.id}/contresigner`} data-signature-form>
            <CsrfField c={c} />
            <SignaturePad label="Signature du·de la formateur·rice" name="signature" id="contresignature" />
            <button type="submit">Contresigner la feuille</button>
          </form>
        </section>
      ) : null}
      <IslandScript />
    </Layout>
  );
}
