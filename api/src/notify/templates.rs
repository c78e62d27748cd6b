//! The texts of notifications in every language: email (subject, text and HTML parts from
//! the minijinja templates in `api/templates/notify/`) and one-segment SMS. Only the first
//! name is ever put in a message; no other PII.

use std::sync::LazyLock;

use minijinja::{AutoEscape, Environment, Value, context};

use super::{Event, Language};
use crate::catalogue::StepKind;

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| if name.ends_with(".html") { AutoEscape::Html } else { AutoEscape::None });
    // The templates are part of the binary; a broken one fails the unit tests below.
    let _ = env.add_template("email.txt", include_str!("../../templates/notify/email.txt.j2"));
    let _ = env.add_template("email.html", include_str!("../../templates/notify/email.html.j2"));
    env
});

/// A rendered email.
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What a message is about. `reasons` are reason codes (action required only).
pub struct MessageContext<'a> {
    pub language: Language,
    pub event: Event,
    pub first_name: Option<&'a str>,
    pub reasons: &'a [String],
    pub link: &'a str,
}

/// The web app's route for a step (the SPA routes `/verify/<step>`; liveness lives on the selfie page).
fn step_slug(step: StepKind) -> &'static str {
    match step {
        StepKind::PersonalInfo => "personal-info",
        StepKind::Document => "document",
        StepKind::Selfie => "selfie",
        StepKind::Liveness => "selfie",
    }
}

/// Where the message sends the applicant: the first step to fix after a retryable
/// rejection (in wizard order), otherwise the verification's status page.
pub fn deep_link(app_url: &str, event: Event, steps_to_fix: &[StepKind]) -> String {
    let first = [StepKind::PersonalInfo, StepKind::Document, StepKind::Selfie, StepKind::Liveness]
        .into_iter()
        .find(|s| steps_to_fix.contains(s));
    match (event, first) {
        (Event::ActionRequired, Some(step)) => format!("{app_url}/verify/{}", step_slug(step)),
        _ => format!("{app_url}/"),
    }
}

pub fn email(ctx: &MessageContext<'_>) -> Result<RenderedEmail, minijinja::Error> {
    let l = ctx.language;
    let greeting = match (l, ctx.first_name) {
        (Language::En, Some(n)) => format!("Hello {n},"),
        (Language::En, None) => "Hello,".to_owned(),
        (Language::ZhCn, Some(n)) => format!("{n}，您好："),
        (Language::ZhCn, None) => "您好：".to_owned(),
        (Language::Es, Some(n)) => format!("Hola, {n}:"),
        (Language::Es, None) => "Hola:".to_owned(),
    };
    let reasons: Vec<&str> = match ctx.event {
        Event::ActionRequired => {
            let mut out: Vec<&str> = ctx.reasons.iter().map(|c| reason_sentence(l, c)).collect();
            out.dedup();
            out
        }
        _ => Vec::new(),
    };
    let subject = subject(l, ctx.event);
    let vars = context! {
        lang => l.as_str(),
        subject => subject,
        greeting => greeting,
        intro => intro(l, ctx.event),
        reasons => reasons,
        action => action(l, ctx.event),
        // minijinja's HTML escaping also turns `/` into `&#x2f;`, which mail clients show
        // in the visible link: the link (ours, from configuration) is escaped here instead.
        link => Value::from_safe_string(escape_html(ctx.link)),
        footer => footer(l),
    };
    let text_vars = context! { link => ctx.link, ..vars.clone() };
    Ok(RenderedEmail {
        subject: subject.to_owned(),
        text: TEMPLATES.get_template("email.txt")?.render(&text_vars)?,
        html: TEMPLATES.get_template("email.html")?.render(&vars)?,
    })
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// The SMS text: one segment (160 GSM-7 characters, or 70 UCS-2 ones for Chinese). The
/// link is left out if it would make the message longer than that.
pub fn sms(language: Language, event: Event, link: &str) -> String {
    let with_link = sms_text(language, event, Some(link));
    if fits_one_segment(&with_link) { with_link } else { sms_text(language, event, None) }
}

fn sms_text(l: Language, event: Event, link: Option<&str>) -> String {
    let tail = link.map(|u| format!(" {u}")).unwrap_or_default();
    match (l, event) {
        (Language::En, Event::SubmissionReceived) => {
            format!(
                "ekyc: we received your identity verification and are checking it. We will tell you the result.{tail}"
            )
        }
        (Language::En, Event::ActionRequired) => {
            format!("ekyc: your identity verification needs a change from you. See what to fix:{tail}")
        }
        (Language::En, Event::Approved) => format!("ekyc: your identity is verified.{tail}"),
        (Language::En, Event::Rejected) => {
            format!("ekyc: we could not verify your identity. This decision is final.{tail}")
        }
        (Language::ZhCn, Event::SubmissionReceived) => format!("【ekyc】已收到您的身份验证申请，正在审核。{tail}"),
        (Language::ZhCn, Event::ActionRequired) => format!("【ekyc】您的身份验证需要修改，请查看：{tail}"),
        (Language::ZhCn, Event::Approved) => format!("【ekyc】您的身份验证已通过。{tail}"),
        (Language::ZhCn, Event::Rejected) => format!("【ekyc】您的身份验证未通过，此决定为最终结果。{tail}"),
        // Spanish is written without á/í/ó/ú, which are outside GSM-7 and would halve the
        // room in a segment.
        (Language::Es, Event::SubmissionReceived) => {
            format!(
                "ekyc: hemos recibido tus datos de identidad y los estamos revisando. Te avisaremos del resultado.{tail}"
            )
        }
        (Language::Es, Event::ActionRequired) => {
            format!("ekyc: tenemos que pedirte un cambio en tus datos de identidad. Mira qué corregir:{tail}")
        }
        (Language::Es, Event::Approved) => format!("ekyc: tu identidad ha sido verificada.{tail}"),
        (Language::Es, Event::Rejected) => {
            format!("ekyc: no hemos podido verificar tu identidad y la respuesta es definitiva.{tail}")
        }
    }
}

const GSM7: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// One SMS segment: 160 characters of the GSM-7 alphabet, otherwise 70 UTF-16 units.
pub fn fits_one_segment(text: &str) -> bool {
    if text.chars().all(|c| GSM7.contains(c)) { text.chars().count() <= 160 } else { text.encode_utf16().count() <= 70 }
}

pub fn subject(l: Language, event: Event) -> &'static str {
    match (l, event) {
        (Language::En, Event::SubmissionReceived) => "We received your identity verification",
        (Language::En, Event::ActionRequired) => "Action needed: your identity verification",
        (Language::En, Event::Approved) => "Your identity is verified",
        (Language::En, Event::Rejected) => "Your identity verification was not successful",
        (Language::ZhCn, Event::SubmissionReceived) => "我们已收到您的身份验证申请",
        (Language::ZhCn, Event::ActionRequired) => "需要您处理：身份验证",
        (Language::ZhCn, Event::Approved) => "您的身份验证已通过",
        (Language::ZhCn, Event::Rejected) => "您的身份验证未通过",
        (Language::Es, Event::SubmissionReceived) => "Hemos recibido tu verificación de identidad",
        (Language::Es, Event::ActionRequired) => "Acción necesaria: tu verificación de identidad",
        (Language::Es, Event::Approved) => "Tu identidad está verificada",
        (Language::Es, Event::Rejected) => "Tu verificación de identidad no ha sido aprobada",
    }
}

fn intro(l: Language, event: Event) -> &'static str {
    match (l, event) {
        (Language::En, Event::SubmissionReceived) => {
            "Thank you: we have received your identity verification and are checking it now. We will write again as soon as there is a result."
        }
        (Language::En, Event::ActionRequired) => {
            "We could not complete your identity verification yet. Please fix the following and submit again:"
        }
        (Language::En, Event::Approved) => "Good news: your identity has been verified. There is nothing more to do.",
        (Language::En, Event::Rejected) => {
            "We are sorry: we could not verify your identity, and this decision is final."
        }
        (Language::ZhCn, Event::SubmissionReceived) => {
            "感谢您的提交：我们已收到您的身份验证申请，正在审核中。结果出来后我们会立即通知您。"
        }
        (Language::ZhCn, Event::ActionRequired) => "您的身份验证暂时无法完成。请修改以下内容后重新提交：",
        (Language::ZhCn, Event::Approved) => "好消息：您的身份已通过验证，无需再做任何操作。",
        (Language::ZhCn, Event::Rejected) => "很抱歉：我们无法验证您的身份，此决定为最终结果。",
        (Language::Es, Event::SubmissionReceived) => {
            "Gracias: hemos recibido tu verificación de identidad y la estamos revisando. Te escribiremos en cuanto haya un resultado."
        }
        (Language::Es, Event::ActionRequired) => {
            "Todavía no hemos podido completar tu verificación de identidad. Corrige lo siguiente y vuelve a enviarla:"
        }
        (Language::Es, Event::Approved) => {
            "Buenas noticias: tu identidad ha sido verificada. No tienes que hacer nada más."
        }
        (Language::Es, Event::Rejected) => {
            "Lo sentimos: no hemos podido verificar tu identidad y esta decisión es definitiva."
        }
    }
}

fn action(l: Language, event: Event) -> &'static str {
    match (l, event) {
        (Language::En, Event::ActionRequired) => "Fix it now",
        (Language::En, _) => "See your verification",
        (Language::ZhCn, Event::ActionRequired) => "立即修改",
        (Language::ZhCn, _) => "查看验证状态",
        (Language::Es, Event::ActionRequired) => "Corregir ahora",
        (Language::Es, _) => "Ver tu verificación",
    }
}

fn footer(l: Language) -> &'static str {
    match l {
        Language::En => {
            "You receive this message because you started an identity verification. You can turn these notifications off in your notification settings."
        }
        Language::ZhCn => "您收到此邮件是因为您发起了身份验证。您可以在通知设置中关闭这些通知。",
        Language::Es => {
            "Recibes este mensaje porque iniciaste una verificación de identidad. Puedes desactivar estos avisos en tus ajustes de notificaciones."
        }
    }
}

/// One sentence per reason code, saying what to fix.
pub fn reason_sentence(l: Language, code: &str) -> &'static str {
    match l {
        Language::En => reason_en(code),
        Language::ZhCn => reason_zh(code),
        Language::Es => reason_es(code),
    }
}

fn reason_en(code: &str) -> &'static str {
    match code {
        "blurred_photo" => "The photo of your document is blurred: retake it holding the camera steady.",
        "dark_photo" => "The photo of your document is too dark: retake it in good light.",
        "glare_on_photo" => "There is glare on the photo of your document: avoid direct light and reflections.",
        "cut_off_document" => "Part of your document is cut off: make sure all four edges are in the picture.",
        "covered_photo" => "Part of your document is covered: keep your fingers and other objects off it.",
        "damaged_document" => "Your document looks damaged: use an undamaged document.",
        "no_document_in_image" => "We could not find a document in your photo: photograph the document itself.",
        "low_resolution" => "The photo of your document is too small: move closer or use a better camera.",
        "incorrect_side" => "The wrong side of your document was photographed: photograph the side we asked for.",
        "photo_of_screen" => "The photo seems to show a screen: photograph the original document.",
        "data_mismatch" => "The information you entered does not match your document: check it against the document.",
        "mrz_unreadable" => {
            "The machine-readable lines of your document could not be read: retake the photo with those lines sharp and fully visible."
        }
        "document_expired" => "Your document has expired: use a valid document.",
        "under_age" => "You must be of legal age to be verified.",
        "face_not_found" => "We could not find your face in the selfie: take it again facing the camera.",
        "multiple_faces" => "More than one face is in your selfie: take it again on your own.",
        "face_mismatch" => "Your selfie does not match the photo on your document: take a new selfie yourself.",
        "liveness_failed" => "The liveness check did not succeed: repeat it, following the instructions on screen.",
        "duplicate_identity" => "This identity is already verified on another account.",
        "suspected_forgery" => "Your document could not be accepted as genuine.",
        _ => "Something in your verification needs your attention: open it to see what.",
    }
}

fn reason_zh(code: &str) -> &'static str {
    match code {
        "blurred_photo" => "证件照片模糊：请保持相机稳定后重新拍摄。",
        "dark_photo" => "证件照片太暗：请在光线充足处重新拍摄。",
        "glare_on_photo" => "证件照片有反光：请避开直射光和反光。",
        "cut_off_document" => "证件有部分未拍到：请确保四条边都在画面内。",
        "covered_photo" => "证件有部分被遮挡：请勿用手指或其他物品遮挡证件。",
        "damaged_document" => "证件似乎已损坏：请使用完好的证件。",
        "no_document_in_image" => "照片中未找到证件：请直接拍摄证件本身。",
        "low_resolution" => "证件照片分辨率太低：请靠近一些或使用更好的相机拍摄。",
        "incorrect_side" => "拍摄的证件面不正确：请拍摄要求的那一面。",
        "photo_of_screen" => "照片似乎是屏幕翻拍：请拍摄证件原件。",
        "data_mismatch" => "您填写的信息与证件不符：请对照证件核对。",
        "mrz_unreadable" => "无法读取证件的机读码：请重新拍摄，确保这几行字符清晰完整。",
        "document_expired" => "您的证件已过期：请使用有效证件。",
        "under_age" => "您必须达到法定年龄才能完成验证。",
        "face_not_found" => "自拍中未检测到您的面部：请正对相机重新拍摄。",
        "multiple_faces" => "自拍中有多张人脸：请单独重新拍摄。",
        "face_mismatch" => "自拍与证件照片不符：请本人重新自拍。",
        "liveness_failed" => "活体检测未通过：请按照屏幕提示重新进行。",
        "duplicate_identity" => "该身份已在其他账户中完成验证。",
        "suspected_forgery" => "您的证件无法被认定为真实有效。",
        _ => "您的验证中有内容需要处理：请打开查看详情。",
    }
}

fn reason_es(code: &str) -> &'static str {
    match code {
        "blurred_photo" => "La foto de tu documento está borrosa: repítela con la cámara estable.",
        "dark_photo" => "La foto de tu documento está demasiado oscura: repítela con buena luz.",
        "glare_on_photo" => "Hay reflejos en la foto de tu documento: evita la luz directa y los brillos.",
        "cut_off_document" => "Parte de tu documento ha quedado fuera: asegúrate de que se vean los cuatro bordes.",
        "covered_photo" => "Parte de tu documento está tapada: no pongas los dedos ni otros objetos encima.",
        "damaged_document" => "Tu documento parece dañado: usa un documento en buen estado.",
        "no_document_in_image" => "No encontramos ningún documento en tu foto: fotografía el documento.",
        "low_resolution" => "La foto de tu documento es demasiado pequeña: acércate más o usa una cámara mejor.",
        "incorrect_side" => "Se fotografió la cara equivocada de tu documento: fotografía la cara que te pedimos.",
        "photo_of_screen" => "La foto parece mostrar una pantalla: fotografía el documento original.",
        "data_mismatch" => "Los datos que introdujiste no coinciden con tu documento: compruébalos con el documento.",
        "mrz_unreadable" => {
            "No pudimos leer las líneas de lectura mecánica de tu documento: repite la foto con esas líneas nítidas y completas."
        }
        "document_expired" => "Tu documento ha caducado: usa un documento válido.",
        "under_age" => "Debes ser mayor de edad para verificarte.",
        "face_not_found" => "No encontramos tu cara en el selfie: hazlo de nuevo mirando a la cámara.",
        "multiple_faces" => "Hay más de una cara en tu selfie: hazlo de nuevo sin nadie más.",
        "face_mismatch" => "Tu selfie no coincide con la foto de tu documento: hazte un selfie nuevo tú mismo.",
        "liveness_failed" => "La prueba de vida no se completó: repítela siguiendo las instrucciones en pantalla.",
        "duplicate_identity" => "Esta identidad ya está verificada en otra cuenta.",
        "suspected_forgery" => "Tu documento no pudo aceptarse como auténtico.",
        _ => "Hay algo en tu verificación que requiere tu atención: ábrela para verlo.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verification::model::REASON_CODES;

    #[test]
    fn every_reason_has_its_own_sentence_in_every_language() {
        for l in Language::ALL {
            let fallback = reason_sentence(l, "no_such_reason");
            let mut seen = std::collections::HashSet::new();
            for code in REASON_CODES {
                let s = reason_sentence(l, code);
                assert_ne!(s, fallback, "{code} in {l:?}");
                assert!(seen.insert(s), "{code} repeats a sentence in {l:?}");
            }
        }
    }

    #[test]
    fn every_sms_fits_one_segment_with_a_long_link() {
        let link = "https://identity.example-exchange.com/verify/personal-info";
        for l in Language::ALL {
            for e in Event::ALL {
                let text = sms(l, e, link);
                assert!(fits_one_segment(&text), "{l:?} {e:?}: {text}");
                // With a link of ordinary length, the link is in.
                assert!(sms(l, e, "https://kyc.example.com/").contains("https://kyc.example.com"), "{l:?} {e:?}");
            }
        }
        assert!(fits_one_segment(&"a".repeat(160)) && !fits_one_segment(&"a".repeat(161)));
        assert!(!fits_one_segment(&"á".repeat(71)) && fits_one_segment(&"中".repeat(70)));
    }

    #[test]
    fn emails_have_both_parts_the_link_and_an_escaped_name() {
        let reasons = vec!["blurred_photo".to_owned(), "data_mismatch".to_owned()];
        let ctx = MessageContext {
            language: Language::Es,
            event: Event::ActionRequired,
            first_name: Some("<b>Ana</b>"),
            reasons: &reasons,
            link: "https://kyc.example.com/verify/personal-info",
        };
        let m = email(&ctx).unwrap();
        assert_eq!(m.subject, "Acción necesaria: tu verificación de identidad");
        for part in [&m.text, &m.html] {
            assert!(part.contains("https://kyc.example.com/verify/personal-info"));
            assert!(part.contains(reason_es("blurred_photo").split(':').next().unwrap()));
        }
        assert!(m.text.contains("Hola, <b>Ana</b>:"));
        assert!(m.html.contains("Hola, &lt;b&gt;Ana&lt;") && !m.html.contains("<b>"), "{}", m.html);
        assert!(m.html.contains("lang=\"es\""));
        assert!(m.html.contains("href=\"https://kyc.example.com/verify/personal-info\""));
        assert!(!m.text.contains("\n\n\n"), "{}", m.text);
    }

    #[test]
    fn deep_links_go_to_the_first_step_to_fix() {
        let app = "https://kyc.example.com";
        assert_eq!(
            deep_link(app, Event::ActionRequired, &[StepKind::Selfie, StepKind::Document]),
            "https://kyc.example.com/verify/document"
        );
        assert_eq!(deep_link(app, Event::Approved, &[StepKind::Selfie]), "https://kyc.example.com/");
    }
}
