// Seats at access sites (CP-EFORM-SITES): the path's page where provider staff reserve a PC for the
// trainee's distance slots or move them back home (/parcours/:id/site-acces), and the site's
// printable day (/sites-acces/:id/jour) where arrivals and no-shows are pointed.
import { de } from "../../../core/french.ts";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { may } from "../../../core/auth/roles.ts";
import type { AppEnv, Ctx } from "../../../core/http/context.ts";
import { actorOf, depsOf } from "../../../core/http/context.ts";
import { attempt, formBody, generalErrors, str, strs } from "../../../core/pages/forms.ts";
import { CsrfField, errorFor, Field, Layout, Select, ViolationList } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import { addDays, formatDateFr, parisDate } from "../../../core/time.ts";
import * as uc from "../use-cases.ts";
import { Table } from "../../../core/pages/table.tsx";

const STATUS_LABELS: Record<string, string> = { booked: "Réservé", arrived: "Arrivé·e", no_show: "Absent·e", cancelled: "Annulé" };
const statusBadge = (status: string | null) => <span class={`badge ${status === "arrived" ? "validated" : status === "no_show" ? "refused" : "draft"}`}>{STATUS_LABELS[status ?? ""] ?? status}</span>;

interface SeatForms {
  booking?: { roomId: string; slotIds: string[]; violations: Violation[] };
  home?: { from: string; violations: Violation[] };
  general?: Violation[];
  notice?: string;
}

async function pathPage(c: Ctx, pathId: string, forms: SeatForms = {}, status = 200) {
  const actor = actorOf(c);
  const { db, clock } = depsOf(c);
  const now = clock.now();
  const data = await uc.pathSeats(db, actor, now, pathId);
  const rooms = await uc.openRooms(db, actor);
  const canBook = may(actor, "accessSites.book");
  const free = data.slots.filter((s) => !s.booking && s.slotStatus !== "cancelled");
  const bookingForm = forms.booking ?? { roomId: "", slotIds: free.filter((s) => s.date <= addDays(parisDate(now), 7)).map((s) => s.slotId), violations: [] };
  const homeForm = forms.home ?? { from: parisDate(now), violations: [] };
  const general = [...(forms.general ?? []), ...generalErrors(bookingForm.violations, ["roomId"])];
  return c.html(
    <Layout c={c} title={`Site d'accès — ${data.path.traineeName}`}>
      <p>
        <a href={`/parcours/${data.path.id}`}>← Parcours {de(data.path.traineeName)}</a>
      </p>
      <h1>Places en site d'accès — {data.path.traineeName}</h1>
      <p>
        {data.path.component} ({data.path.eFormation ? "e-formation" : data.path.hybrid ? "formation hybride" : "formation en présentiel"}). Pour les séquences à distance, l'organisme réserve un PC dans un site Occitanie
        e-formation lorsque le positionnement l'a préconisé ; il peut ensuite repositionner le ou la stagiaire à domicile (CP-EFORM-SITES, CCTP §3.3).
      </p>
      {forms.notice ? (
        <p class="alert success" role="status">
          {forms.notice}
        </p>
      ) : null}
      {data.path.recommendsAccessSite ? null : (
        <p class="alert warning">Le positionnement ne préconise pas de site d'accès pour ce parcours : cochez cette préconisation au positionnement avant de réserver.</p>
      )}
      {general.length > 0 ? <ViolationList violations={general} /> : null}
      <section aria-labelledby="slots-title">
        <h2 id="slots-title">Créneaux à distance à venir</h2>
        {data.slots.length === 0 ? (
          <p class="muted">Aucun créneau à distance planifié pour ce parcours.</p>
        ) : (
          <Table label="Créneaux à distance et place réservée">
            <caption>Créneaux à distance et place réservée</caption>
            <thead>
              <tr>
                <th scope="col">Jour</th>
                <th scope="col">Horaire</th>
                <th scope="col">Place</th>
                <th scope="col">État</th>
                {canBook ? <th scope="col">Action</th> : null}
              </tr>
            </thead>
            <tbody>
              {data.slots.map((s) => (
                <tr>
                  <td>{formatDateFr(s.date)}</td>
                  <td>
                    {s.startTime}–{s.endTime}
                  </td>
                  <td>{s.booking ? `${s.booking.site} — ${s.booking.room}, PC ${s.booking.seatNo}` : s.slotStatus === "cancelled" ? "Créneau annulé" : "À domicile"}</td>
                  <td>{s.booking ? statusBadge(s.booking.status) : "—"}</td>
                  {canBook ? (
                    <td>
                      {s.booking && s.booking.status === "booked" ? (
                        <form method="post" action={`/reservations-sites/${s.booking.id}/annuler`}>
                          <CsrfField c={c} />
                          <button type="submit" class="secondary" aria-label={`Annuler la réservation du ${formatDateFr(s.date)} ${s.startTime}`}>
                            Annuler
                          </button>
                        </form>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
      {canBook ? (
        <section aria-labelledby="book-title">
          <h2 id="book-title">Réserver des places</h2>
          {free.length === 0 ? (
            <p class="muted">Tous les créneaux à distance à venir ont une place ou sont annulés.</p>
          ) : (
            <form method="post" action={`/parcours/${data.path.id}/site-acces`}>
              <CsrfField c={c} />
              <Select
                name="roomId"
                label="Site d'accès et salle"
                required
                emptyLabel="— Choisir —"
                value={bookingForm.roomId}
                options={rooms.map((r) => ({ value: r.id, label: `${r.siteName} (${r.commune}, ${r.departementCode}) — ${r.name}, ${r.pcs} PC` }))}
                error={errorFor(bookingForm.violations, "roomId")}
              />
              <fieldset>
                <legend>Créneaux à réserver (les 7 prochains jours sont cochés)</legend>
                {free.map((s) => (
                  <div>
                    <input type="checkbox" id={`slot-${s.slotId}`} name="slotIds" value={s.slotId} checked={bookingForm.slotIds.includes(s.slotId)} />{" "}
                    <label class="inline" for={`slot-${s.slotId}`}>
                      {`${formatDateFr(s.date)} ${s.startTime}–${s.endTime}`}
                    </label>
                  </div>
                ))}
              </fieldset>
              <div class="actions">
                <button type="submit">Réserver les créneaux cochés</button>
              </div>
            </form>
          )}
          <h2 id="home-title">Repositionner à domicile</h2>
          <form method="post" action={`/parcours/${data.path.id}/site-acces/domicile`} aria-labelledby="home-title">
            <CsrfField c={c} />
            <Field
              name="from"
              type="date"
              label="À partir du"
              value={homeForm.from}
              required
              hint="Les réservations à venir à partir de ce jour sont annulées ; le ou la stagiaire suit les séquences à distance depuis chez soi."
              error={errorFor(homeForm.violations, "from") ?? homeForm.violations.find((v) => v.severity === "error")?.message}
            />
            <div class="actions">
              <button type="submit">Repositionner à domicile</button>
            </div>
          </form>
        </section>
      ) : null}
    </Layout>,
    status as 200,
  );
}

async function dayPage(c: Ctx, siteId: string, date: string, extra: { violations?: Violation[]; notice?: string } = {}, status = 200) {
  const actor = actorOf(c);
  const day = await uc.accessSiteDay(depsOf(c).db, actor, siteId, { date });
  const canPoint = actor.role === "region_officer" || may(actor, "accessSites.attend");
  const coming = day.rooms.reduce((n, r) => n + r.bookings.length, 0);
  return c.html(
    <Layout c={c} title={`${day.site.name} — ${formatDateFr(day.date)}`}>
      <p class="no-print">
        <a href={`/sites-acces/${day.site.id}`}>← {day.site.name}</a>
      </p>
      <h1>
        {day.site.name} — journée du {formatDateFr(day.date)}
      </h1>
      <p>
        {day.site.address}, {day.site.commune}. Horaires : {day.site.openingHours}. Contact : {day.site.contactName}
        {day.site.contactPhone ? `, ${day.site.contactPhone}` : ""}. {coming} réservation{coming > 1 ? "s" : ""}.
      </p>
      {extra.notice ? (
        <p class="alert success no-print" role="status">
          {extra.notice}
        </p>
      ) : null}
      {extra.violations && extra.violations.length > 0 ? <ViolationList violations={extra.violations} /> : null}
      <form method="get" action={`/sites-acces/${day.site.id}/jour`} class="actions no-print">
        <label for="f-date">Jour</label>
        <input id="f-date" type="date" name="date" value={day.date} required />
        <button type="submit">Afficher</button>
        <a href={`/sites-acces/${day.site.id}/jour?date=${addDays(day.date, -1)}`}>Jour précédent</a>
        <a href={`/sites-acces/${day.site.id}/jour?date=${addDays(day.date, 1)}`}>Jour suivant</a>
        <button type="button" class="secondary" data-print="1">
          Imprimer
        </button>
      </form>
      {day.rooms.map((room) => (
        <section aria-labelledby={`room-${room.id}`}>
          <h2 id={`room-${room.id}`}>
            {room.name} — {room.pcs} PC
          </h2>
          {room.windows.length === 0 ? (
            <p class="muted">Aucune réservation : {room.pcs} PC libres toute la journée.</p>
          ) : (
            <>
              <Table label={`PC restants — ${room.name}`}>
                <caption>{`PC restants — ${room.name}`}</caption>
                <thead>
                  <tr>
                    <th scope="col">Créneau</th>
                    <th scope="col" class="num">PC réservés</th>
                    <th scope="col" class="num">PC restants</th>
                  </tr>
                </thead>
                <tbody>
                  {room.windows.map((w) => (
                    <tr>
                      <td>
                        {w.startTime}–{w.endTime}
                      </td>
                      <td class="num">{w.booked}</td>
                      <td class="num">{w.pcsLeft}</td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <Table label={`Qui vient — ${room.name}`}>
                <caption>{`Qui vient — ${room.name}`}</caption>
                <thead>
                  <tr>
                    <th scope="col">Horaire</th>
                    <th scope="col" class="num">PC</th>
                    <th scope="col">Stagiaire</th>
                    <th scope="col">Organisme</th>
                    <th scope="col">État</th>
                    {canPoint ? <th scope="col" class="no-print">Pointage</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {room.bookings.map((b) => (
                    <tr>
                      <td>
                        {b.startTime}–{b.endTime}
                      </td>
                      <td class="num">{b.seatNo}</td>
                      <td>{b.trainee}</td>
                      <td>{b.provider}</td>
                      <td>{statusBadge(b.status)}</td>
                      {canPoint ? (
                        <td class="no-print">
                          {b.id ? (
                            <div class="actions">
                              {b.status !== "arrived" ? (
                                <form method="post" action={`/reservations-sites/${b.id}/arrivee`}>
                                  <CsrfField c={c} />
                                  <input type="hidden" name="siteId" value={day.site.id} />
                                  <input type="hidden" name="date" value={day.date} />
                                  <button type="submit" aria-label={`Arrivée de ${b.trainee} (${b.startTime})`}>
                                    Arrivé·e
                                  </button>
                                </form>
                              ) : null}
                              {b.status !== "no_show" ? (
                                <form method="post" action={`/reservations-sites/${b.id}/absence`}>
                                  <CsrfField c={c} />
                                  <input type="hidden" name="siteId" value={day.site.id} />
                                  <input type="hidden" name="date" value={day.date} />
                                  <button type="submit" class="secondary" aria-label={`Absence de ${b.trainee} (${b.startTime})`}>
                                    Absent·e
                                  </button>
                                </form>
                              ) : null}
                            </div>
                          ) : null}
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </Table>
            </>
          )}
        </section>
      ))}
    </Layout>,
    status as 200,
  );
}

export function registerSeatPages(app: OpenAPIHono<AppEnv>) {
  app.get("/parcours/:id/site-acces", (c) => pathPage(c, c.req.param("id"), { notice: c.req.query("ok") === "reserve" ? "Places réservées." : c.req.query("ok") === "domicile" ? "Stagiaire repositionné·e à domicile : ses réservations suivantes sont annulées." : c.req.query("ok") === "annule" ? "Réservation annulée." : undefined }));

  app.post("/parcours/:id/site-acces", async (c) => {
    const id = c.req.param("id");
    const body = await formBody(c);
    const values = { pathId: id, roomId: str(body, "roomId"), slotIds: strs(body, "slotIds") };
    const r = await attempt(() => uc.bookSeats(depsOf(c).db, actorOf(c), depsOf(c).clock.now(), values));
    if (r.ok) return c.redirect(`/parcours/${id}/site-acces?ok=reserve`, 303);
    return pathPage(c, id, { booking: { roomId: values.roomId, slotIds: values.slotIds, violations: r.violations } }, 422);
  });

  app.post("/parcours/:id/site-acces/domicile", async (c) => {
    const id = c.req.param("id");
    const body = await formBody(c);
    const from = str(body, "from");
    const r = await attempt(() => uc.moveHome(depsOf(c).db, actorOf(c), depsOf(c).clock.now(), id, { from }));
    if (r.ok) return c.redirect(`/parcours/${id}/site-acces?ok=domicile`, 303);
    return pathPage(c, id, { home: { from, violations: r.violations } }, 422);
  });

  app.post("/reservations-sites/:id/annuler", async (c) => {
    const r = await uc.cancelBooking(depsOf(c).db, actorOf(c), depsOf(c).clock.now(), c.req.param("id"));
    return c.redirect(`/parcours/${r.pathId}/site-acces?ok=annule`, 303);
  });

  for (const [suffix, run] of [
    ["arrivee", uc.recordArrival],
    ["absence", uc.recordNoShow],
  ] as const) {
    app.post(`/reservations-sites/:id/${suffix}`, async (c) => {
      const body = await formBody(c);
      const r = await attempt(() => run(depsOf(c).db, actorOf(c), depsOf(c).clock.now(), c.req.param("id")));
      if (r.ok) return c.redirect(`/sites-acces/${r.value.accessSiteId}/jour?date=${r.value.date}&ok=${suffix}`, 303);
      return dayPage(c, str(body, "siteId"), str(body, "date"), { violations: r.violations }, 409);
    });
  }

  app.get("/sites-acces/:id/jour", (c) => {
    const ok = c.req.query("ok");
    const notice = ok === "arrivee" ? "Arrivée enregistrée." : ok === "absence" ? "Absence enregistrée : les places du reste de la journée sont libérées." : undefined;
    return dayPage(c, c.req.param("id"), c.req.query("date") ?? parisDate(depsOf(c).clock.now()), { notice });
  });
}
