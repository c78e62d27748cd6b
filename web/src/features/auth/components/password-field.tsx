import { useState, type ComponentProps } from "react";
import { TextField } from "@/components/ui/text-field";
import { useI18n } from "@/i18n";

type PasswordFieldProps = Omit<ComponentProps<typeof TextField>, "type">;

/** A password input with a "show password" switch (instead of a second confirmation field). */
export function PasswordField(props: PasswordFieldProps) {
  const { t } = useI18n();
  const [visible, setVisible] = useState(false);
  return (
    <div className="password-field">
      <TextField {...props} type={visible ? "text" : "password"} spellCheck={false} autoCapitalize="off" />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={visible}
          onChange={(e) => {
            setVisible(e.target.checked);
          }}
        />
        {t("field.showPassword")}
      </label>
    </div>
  );
}
