// The phone's page for a continue-on-your-phone link: no sign-in, only the capture steps.
export { PhoneCapture as HandoffRoute } from "@/features/verification/components/phone-capture";
