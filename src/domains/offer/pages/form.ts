// The form helpers live in core; re-exported for this domain's pages.
export * from "../../../core/pages/forms.ts";
