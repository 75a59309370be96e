import type { Child } from "hono/jsx";

/**
 * Every data table of the pages (issue 10, point 4): on a narrow screen a wide table scrolls
 * sideways inside its own box, never the page, with its first column kept in view (app.css,
 * `.table-box`). The box is a labelled region (a <section> with a name) reachable by Tab, so a keyboard user can scroll it too.
 */
export function Table(props: ({ label: string } | { "aria-labelledby": string }) & { class?: string; children?: Child }) {
  const labelledBy = "aria-labelledby" in props ? props["aria-labelledby"] : undefined;
  return (
    <section class="table-box" aria-label={"label" in props ? props.label : undefined} aria-labelledby={labelledBy} tabindex={0}>
      <table class={props.class} aria-labelledby={labelledBy}>
        {props.children}
      </table>
    </section>
  );
}
