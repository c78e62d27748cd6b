// A wizard page: the step lives in features/verification; this file is the lazy route chunk.
export { LivenessStep as VerifyRoute } from "@/features/verification/components/liveness-step";
