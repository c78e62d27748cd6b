// A wizard page: the step lives in features/verification; this file is the lazy route chunk.
export { PersonalInfoStep as VerifyRoute } from "@/features/verification/components/personal-info-step";
