// A wizard page: the step lives in features/verification; this file is the lazy route chunk.
export { SubmitStep as VerifyRoute } from "@/features/verification/components/submit-step";
