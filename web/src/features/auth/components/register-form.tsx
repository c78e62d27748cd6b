import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { FormProblemAlert } from "@/components/form-problem";
import { useI18n } from "@/i18n";
import type { ApiResult } from "@/lib/api/result";
import type { AuthSession } from "@/lib/api/types";
import { applyServerErrors, type FormProblem } from "@/lib/form/server-errors";
import type { Credentials } from "@/lib/api/types";
import { PASSWORD_MIN_LENGTH, registerSchema, type RegisterInput } from "../schemas";
import { PasswordField } from "./password-field";

interface RegisterFormProps {
  submit: (body: Credentials) => Promise<ApiResult<AuthSession>>;
  onSuccess: (session: AuthSession) => void;
}

export function RegisterForm({ submit, onSuccess }: RegisterFormProps) {
  const { t, fieldText } = useI18n();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<RegisterInput>({ resolver: zodResolver(registerSchema), defaultValues: { email: "", password: "" } });

  const onSubmit = handleSubmit(async (values) => {
    setProblem(null);
    const result = await submit(values);
    if (result.ok) {
      onSuccess(result.data);
      return;
    }
    setProblem(
      applyServerErrors(result.problem, setError, { fields: ["email", "password"], codeFields: { email_taken: "email" } }),
    );
  });

  return (
    <form className="form" noValidate onSubmit={(e) => void onSubmit(e)} aria-describedby={problem ? "register-problem" : undefined}>
      <div id="register-problem">
        <FormProblemAlert problem={problem} />
      </div>
      <TextField
        label={t("field.email")}
        type="email"
        autoComplete="email"
        inputMode="email"
        autoCapitalize="off"
        spellCheck={false}
        error={errors.email?.message && fieldText(errors.email.message)}
        {...register("email")}
      />
      <PasswordField
        label={t("field.password")}
        hint={t("field.passwordHint", { min: PASSWORD_MIN_LENGTH })}
        autoComplete="new-password"
        error={errors.password?.message && fieldText(errors.password.message)}
        {...register("password")}
      />
      <Button type="submit" busy={isSubmitting}>
        {isSubmitting ? t("register.submitting") : t("register.submit")}
      </Button>
    </form>
  );
}
