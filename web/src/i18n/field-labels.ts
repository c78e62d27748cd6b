// The translation key of each personal-information field path, shared by the applicant's
// failure view and the review console (features do not import each other).
import type { UiKey } from "@/i18n";

export const FIELD_LABEL: Readonly<Record<string, UiKey>> = {
  issuing_country: "field.issuing_country",
  document_type: "field.document_type",
  first_name: "field.first_name",
  middle_name: "field.middle_name",
  last_name: "field.last_name",
  latin_first_name: "field.latin_first_name",
  latin_last_name: "field.latin_last_name",
  date_of_birth: "field.date_of_birth",
  nationality: "field.nationality",
  document_number: "field.document_number",
  expiry_date: "field.expiry_date",
  address: "field.address",
  "address.line1": "field.address.line1",
  "address.line2": "field.address.line2",
  "address.city": "field.address.city",
  "address.postcode": "field.address.postcode",
  "address.country": "field.address.country",
};
