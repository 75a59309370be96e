// What other domains may call of the kpi domain: the compliance board (the Region's home counts its lines).
export { type ComplianceLine, complianceBoard } from "./compliance.ts";
