// A review console page: the page lives in features/review; this file is the lazy route chunk.
export { CasePage as ReviewRoute } from "@/features/review/components/case-page";
