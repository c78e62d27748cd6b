// A wizard page: the step lives in features/verification; this file is the lazy route chunk.
export { DocumentStep as VerifyRoute } from "@/features/verification/components/document-step";
