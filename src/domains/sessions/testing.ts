// Test helpers of the sessions domain: complete meeting content and a session body.
import { INFO_CONTENT_ITEMS } from "./rules.ts";

/** Every CP-INFO-CONTENT item filled in. */
export const completeContent = (): Record<string, string> => Object.fromEntries(INFO_CONTENT_ITEMS.map((i) => [i.key, `Présentation : ${i.label.toLowerCase()}.`]));

export const sessionBody = (orderLineId: string, siteId: string | null, over: Record<string, unknown> = {}) => ({
  orderLineId,
  siteId,
  startDate: "2026-03-16",
  endDate: "2026-06-30",
  places: 12,
  recruitmentOpen: true,
  recruitmentStart: "2026-02-15",
  recruitmentEnd: "2026-03-13",
  ...over,
});

export const meetingBody = (orderLineId: string, siteId: string | null, over: Record<string, unknown> = {}) => ({
  orderLineId,
  siteId,
  meetingDate: "2026-03-10",
  startTime: "09:30",
  endTime: "11:30",
  content: completeContent(),
  ...over,
});
