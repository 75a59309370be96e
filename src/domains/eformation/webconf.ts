// CP-WEBCONF: a component's virtual-class tool (capability checklist) and learning platform, reviewed by the Region.
import type { Actor } from "../../core/auth/actor.ts";
import { requireCapability } from "../../core/auth/roles.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, forbidden } from "../../core/errors.ts";
import { audit, logTransition } from "../../core/outbox.ts";
import { check, errorsOf } from "../../core/rules.ts";
import type { Clock } from "../../core/time.ts";
import { parseInput } from "../../core/validation.ts";
import { changedMeanwhile, requireTransition } from "../../core/workflow.ts";
import * as gs from "./gathering-store.ts";
import * as rules from "./rules.ts";
import { WebconfDecisionInput, WebconfInput } from "./schema.ts";
import { getComponent } from "./use-cases.ts";

/** The component's declaration (none yet: null). */
export async function webconfOf(db: Db, actor: Actor, componentId: string) {
  await getComponent(db, actor, componentId);
  return (await gs.webconfOf(db, componentId)) ?? null;
}

/** CP-WEBCONF: the provider declares its tool and platform; every capability is required; the declaration goes (back) to the Region's review. */
export async function declareWebconf(db: Db, actor: Actor, clock: Clock, componentId: string, raw: unknown) {
  const component = await getComponent(db, actor, componentId);
  if (actor.providerId !== component.provider_id) throw forbidden("Réservé à l'organisme de la composante.");
  requireCapability(actor, "offer.write");
  const input = parseInput(WebconfInput, raw);
  const own = input.platform === "own";
  const v = check(rules.webconf(input, { kind: input.platform, name: input.platformName, url: input.platformUrl }));
  if (errorsOf(v).length) throw DomainError.fromViolations(v);
  await db.transaction().execute(async (tx) => {
    const before = await gs.lockWebconf(tx, componentId);
    if (before) requireTransition(rules.WEBCONF_TRANSITIONS, rules.webconfWording, before.status, "submitted", actor.role, { reason: null });
    await gs.upsertWebconf(tx, {
      component_id: componentId,
      provider_id: component.provider_id,
      tool_name: input.toolName,
      audio_video_16: input.audio_video_16,
      screen_sharing: input.screen_sharing,
      remote_control: input.remote_control,
      whiteboard: input.whiteboard,
      file_transfer: input.file_transfer,
      platform: input.platform,
      platform_name: own ? (input.platformName ?? null) : null,
      platform_url: own ? (input.platformUrl ?? null) : null,
      submitted_by: actor.userId,
      submitted_at: clock.now(),
    });
    await logTransition(tx, { entity: "eformation_webconf", entityId: componentId, from: before?.status ?? null, to: "submitted", actorId: actor.userId });
    await audit(tx, { actorId: actor.userId, action: "eformation.webconf", entity: "component", entityId: componentId, details: { ...input } });
  });
  return (await gs.webconfOf(db, componentId))!;
}

/** CP-WEBCONF: the Region accepts the declaration or refuses it with its reason (WEBCONF_TRANSITIONS). */
export async function decideWebconf(db: Db, actor: Actor, clock: Clock, componentId: string, raw: unknown) {
  await getComponent(db, actor, componentId);
  const input = parseInput(WebconfDecisionInput, raw);
  const reason = input.reason ? input.reason : null;
  await db.transaction().execute(async (tx) => {
    const w = await gs.lockWebconf(tx, componentId);
    if (!w) throw new DomainError("WEBCONF_MISSING", 409, "L'organisme n'a pas encore déclaré ses outils.");
    requireTransition(rules.WEBCONF_TRANSITIONS, rules.webconfWording, w.status, input.decision, actor.role, { reason });
    const moved = await tx
      .updateTable("eformation_webconf")
      .set({ status: input.decision, region_reason: reason, decided_by: actor.userId, decided_at: clock.now() })
      .where("component_id", "=", componentId)
      .where("status", "=", w.status)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 0) throw changedMeanwhile("WEBCONF_STATUS", "La déclaration");
    await logTransition(tx, { entity: "eformation_webconf", entityId: componentId, from: w.status, to: input.decision, reason, actorId: actor.userId });
    await audit(tx, { actorId: actor.userId, action: `eformation.webconf_${input.decision}`, entity: "component", entityId: componentId, details: { reason } });
  });
  return (await gs.webconfOf(db, componentId))!;
}
