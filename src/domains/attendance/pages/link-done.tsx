import type { Ctx } from "../../../core/http/context.ts";
import { Layout } from "../../../core/pages/layout.tsx";
import { formatMinutes, parisTime, statusLabels } from "./parts.tsx";

export function LinkDonePage(props: { c: Ctx; recorded: { status: string; realised_minutes: number; signed_at: Date | null } }) {
  return (
    <Layout c={props.c} title="Signature enregistrée">
      <h1>Signature enregistrée</h1>
      <p class="alert success" role="status">
        {statusLabels[props.recorded.status]} — {formatMinutes(props.recorded.realised_minutes)}, signé à {parisTime(props.recorded.signed_at)}. Merci, vous pouvez fermer cette page.
      </p>
    </Layout>
  );
}
