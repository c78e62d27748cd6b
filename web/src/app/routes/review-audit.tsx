// A review console page: the page lives in features/review; this file is the lazy route chunk.
export { AuditPage as ReviewRoute } from "@/features/review/components/audit-page";
