import { useNavigate } from "react-router";
import { FormProblemAlert } from "@/components/form-problem";
import { Spinner } from "@/components/ui/spinner";
import { useI18n } from "@/i18n";
import { toFormProblem } from "@/lib/form/server-errors";
import { savePersonalInfo } from "../api/verification-api";
import { useCatalogue } from "../hooks/use-catalogue";
import { stepPath } from "../lib/state";
import { PersonalInfoForm } from "./personal-info-form";
import { WizardShell } from "./wizard-shell";

export function PersonalInfoStep() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const catalogue = useCatalogue();
  return (
    <WizardShell step="personal_info" title={t("info.title")}>
      {(v) => (
        <>
          <p className="lead">{t("info.intro")}</p>
          {catalogue.status === "loading" && <Spinner label={t("info.loadingCatalogue")} />}
          {catalogue.status === "error" && <FormProblemAlert problem={toFormProblem(catalogue.problem)} />}
          {catalogue.status === "ready" && (
            <PersonalInfoForm
              verification={v}
              countries={catalogue.countries}
              requiresAddress={catalogue.levels.find((l) => l.name === v.level)?.requires_address ?? false}
              save={(body) => savePersonalInfo(v.id, body)}
              onSaved={(saved) => {
                const next = saved.next && saved.next !== "personal_info" ? saved.next : "document";
                void navigate(stepPath(next as Parameters<typeof stepPath>[0]));
              }}
            />
          )}
        </>
      )}
    </WizardShell>
  );
}
