// Pure rules of the access-sites domain (CP-EFORM-SITES, CCTP §3.2.2.1 and §3.3). The two hard
// guarantees — a PC never double-booked, a trainee never in two places at once — are exclusion
// constraints of the database (ADR 0019); these functions say why a booking is refused before it
// is tried, and word the refusal the database gives when two bookings race.
import { de } from "../../core/french.ts";
import { err, type RuleResult, type Violation } from "../../core/rules.ts";

export const SITES_ARTICLE = "CCTP §3.2.2.1, §3.3";
export const RECRUIT_ARTICLE = "CCTP §3.3";

export interface BookingFacts {
  slot: { modality: string; status: string; startsAt: Date; eFormation: boolean; hybridStatus: string; label: string };
  path: { status: string; onSlot: boolean; recommendsAccessSite: boolean | null; traineeName: string };
  site: { active: boolean; name: string };
  now: Date;
}

/**
 * CP-EFORM-SITES: a seat is reserved for a distance slot of a hybrid or e-formation component, not
 * cancelled and not begun, for a trainee of that slot whose positioning recommended an access site,
 * at an open access site.
 */
export function seatBookable(f: BookingFacts): Violation[] {
  const v: Violation[] = [];
  const { slot, path } = f;
  if (slot.modality !== "distance") {
    v.push(err("CP-EFORM-SITES", SITES_ARTICLE, `Le créneau ${slot.label} n'est pas une séquence à distance : une place en site d'accès ne se réserve que pour la formation à distance (CP-EFORM-SITES).`, "slotIds"));
  }
  if (!slot.eFormation && slot.hybridStatus !== "approved") {
    v.push(err("CP-EFORM-SITES", SITES_ARTICLE, "Les sites d'accès Occitanie e-formation accueillent les séquences à distance des composantes hybrides ou en e-formation uniquement (CP-EFORM-SITES).", "slotIds"));
  }
  if (slot.status === "cancelled") v.push(err("CP-EFORM-SITES", SITES_ARTICLE, `Le créneau ${slot.label} est annulé : aucune place n'y est réservée.`, "slotIds"));
  else if (slot.startsAt.getTime() <= f.now.getTime()) v.push(err("CP-EFORM-SITES", SITES_ARTICLE, `Le créneau ${slot.label} a commencé : la réservation se fait avant son début.`, "slotIds"));
  if (!path.onSlot) v.push(err("CP-EFORM-SITES", SITES_ARTICLE, `${path.traineeName} n'est pas inscrit·e au créneau ${slot.label}.`, "slotIds"));
  if (path.status !== "validated" && path.status !== "draft") v.push(err("CP-EFORM-SITES", SITES_ARTICLE, `Le parcours ${de(path.traineeName)} est clos : aucune place n'est réservée.`, "pathId"));
  if (path.recommendsAccessSite !== true) {
    v.push(
      err(
        "CP-EFORM-SITES",
        SITES_ARTICLE,
        `Le positionnement ${de(path.traineeName)} ne préconise pas de suivre la formation à distance depuis un site d'accès : cochez cette préconisation au positionnement avant de réserver (CP-EFORM-SITES, CCTP §3.3).`,
        "pathId",
      ),
    );
  }
  if (!f.site.active) v.push(err("CP-EFORM-SITES", SITES_ARTICLE, `Le site d'accès « ${f.site.name} » est fermé : choisissez-en un autre.`, "roomId"));
  return v;
}

/** CP-EFORM-SITES: the room has no free PC over the slot (capacity = its PCs). */
export const roomFull = (room: { name: string; pcs: number; site: string }, slotLabel: string): Violation =>
  err("CP-EFORM-SITES", SITES_ARTICLE, `La salle « ${room.name} » (${room.site}) est complète pour le créneau ${slotLabel} : ses ${room.pcs} PC sont tous réservés (CP-EFORM-SITES).`, "roomId", { pcs: room.pcs });

/** CP-EFORM-SITES: the trainee already holds a seat somewhere over an overlapping time. */
export const traineeElsewhere = (traineeName: string, slotLabel: string): Violation =>
  err("CP-EFORM-SITES", SITES_ARTICLE, `${traineeName} a déjà une place réservée sur un créneau qui chevauche ${slotLabel} : un·e stagiaire n'est jamais réservé·e à deux endroits à la fois (CP-EFORM-SITES).`, "slotIds");

/** CP-EFORM-SITES: a move back home starts today at the earliest (past bookings stay as they were). */
export function homeFromAllowed(from: string, today: string): RuleResult {
  if (from >= today) return undefined;
  return err("CP-EFORM-SITES", SITES_ARTICLE, "Le retour à domicile vaut pour les créneaux à venir : choisissez une date à partir d'aujourd'hui.", "from");
}

/** Arrival and no-show are recorded on the slot's day only; a no-show once the slot has begun. */
export function attendanceRecordable(kind: "arrived" | "no_show", slotDate: string, today: string, startsAt: Date, now: Date, status: string): RuleResult {
  if (status !== "booked" && !(kind === "no_show" && status === "arrived") && !(kind === "arrived" && status === "no_show")) {
    return err("CP-EFORM-SITES", SITES_ARTICLE, "Cette réservation est annulée : rien à pointer.", "status");
  }
  if (slotDate !== today) return err("CP-EFORM-SITES", SITES_ARTICLE, "L'arrivée et l'absence se pointent le jour du créneau.", "status");
  if (kind === "no_show" && now.getTime() < startsAt.getTime()) {
    return err("CP-EFORM-SITES", SITES_ARTICLE, "Le créneau n'a pas commencé : l'absence se constate après son début.", "status");
  }
  return undefined;
}

/** PCs left in a room over a window: its PCs less the active bookings overlapping it. */
export const pcsLeft = (pcs: number, activeOverlapping: number) => Math.max(0, pcs - activeOverlapping);

/**
 * CP-EFORM-REGIONAL-RECRUIT: e-formation recruits region-wide — a candidacy is never limited to the
 * lot's départements; trainees are counted per département of residence (unknown ones apart).
 */
/** How a candidacy without a recorded département of residence is counted. */
export const UNKNOWN_DEPARTEMENT = "Département non renseigné";

export function traineesPerDepartement(rows: { departementCode: string | null; departementName: string | null }[]) {
  const counts = new Map<string, { code: string | null; name: string; trainees: number }>();
  for (const r of rows) {
    const key = r.departementCode ?? "";
    const entry = counts.get(key) ?? { code: r.departementCode, name: r.departementName ?? UNKNOWN_DEPARTEMENT, trainees: 0 };
    entry.trainees++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => (a.code === null ? 1 : b.code === null ? -1 : a.code.localeCompare(b.code)));
}
