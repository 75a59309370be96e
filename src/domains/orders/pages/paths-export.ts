// An order's paths as CSV for French Excel (UTF-8 with BOM, ';', decimal comma): /commandes/:id/parcours.csv,
// linked from the order page. Hours in decimal hours; the same access as the order (another provider: 404).
import type { OpenAPIHono } from "@hono/zod-openapi";
import { stringify } from "csv-stringify/sync";
import type { AppEnv } from "../../../core/http/context.ts";
import { actorOf, depsOf } from "../../../core/http/context.ts";
import { orderPathRows } from "../../paths/use-cases.ts";
import { pathStatusLabels } from "./consumption.tsx";

const UUID = "{[0-9a-fA-F-]{36}}";
const hours = (minutes: number) => (Math.round((minutes / 60) * 100) / 100).toString().replace(".", ",");

export async function orderPathsCsv(db: Parameters<typeof orderPathRows>[0], actor: Parameters<typeof orderPathRows>[1], orderId: string) {
  const { number, rows } = await orderPathRows(db, actor, orderId);
  const body = stringify(
    [
      ["Stagiaire", "Composante", "État", "Entrée", "Sortie prévue", "Sortie réelle", "Heures prévues", "Heures réalisées", "Identifiant du parcours"],
      ...rows.map((r) => [r.traineeName, r.component, pathStatusLabels[r.status], r.entryDate, r.plannedExitDate, r.actualExitDate ?? "", hours(r.plannedMinutes), hours(r.realisedMinutes), r.pathId]),
    ],
    { delimiter: ";", record_delimiter: "\r\n" },
  );
  return { number, bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body, "utf8")]) };
}

export function registerOrderPathsExport(app: OpenAPIHono<AppEnv>) {
  app.get(`/commandes/:id${UUID}/parcours.csv`, async (c) => {
    const { number, bytes } = await orderPathsCsv(depsOf(c).db, actorOf(c), c.req.param("id"));
    return c.body(new Uint8Array(bytes), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="parcours-${number.replace(/[^\w.-]/g, "_")}.csv"`,
      "x-content-type-options": "nosniff",
    });
  });
}
