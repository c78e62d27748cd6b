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
import { loginSchema, type LoginInput } from "../schemas";
import { PasswordField } from "./password-field";

interface LoginFormProps {
  submit: (body: Credentials) => Promise<ApiResult<AuthSession>>;
  onSuccess: (session: AuthSession) => void;
}

export function LoginForm({ submit, onSuccess }: LoginFormProps) {
  const { t, fieldText } = useI18n();
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<LoginInput>({ resolver: zodResolver(loginSchema), defaultValues: { email: "", password: "" } });

  const onSubmit = handleSubmit(async (values) => {
    setProblem(null);
    const result = await submit(values);
    if (result.ok) {
      onSuccess(result.data);
      return;
    }
    // invalid_credentials names no field on purpose (it must not tell which one was wrong).
    setProblem(applyServerErrors(result.problem, setError, { fields: ["email", "password"] }));
  });

  return (
    <form className="form" noValidate onSubmit={(e) => void onSubmit(e)} aria-describedby={problem ? "login-problem" : undefined}>
      <div id="login-problem">
        <FormProblemAlert problem={problem} />
      </div>
      <TextField
        label={t("field.email")}
        type="email"
        autoComplete="username"
        inputMode="email"
        autoCapitalize="off"
        spellCheck={false}
        error={errors.email?.message && fieldText(errors.email.message)}
        {...register("email")}
      />
      <PasswordField
        label={t("field.password")}
        autoComplete="current-password"
        error={errors.password?.message && fieldText(errors.password.message)}
        {...register("password")}
      />
      <Button type="submit" busy={isSubmitting}>
        {isSubmitting ? t("login.submitting") : t("login.submit")}
      </Button>
    </form>
  );
}
