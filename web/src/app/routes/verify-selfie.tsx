// A wizard page: the step lives in features/verification; this file is the lazy route chunk.
export { SelfieStep as VerifyRoute } from "@/features/verification/components/selfie-step";
