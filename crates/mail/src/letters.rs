//! What each mail says, in the recipient's language. Each function takes what the message
//! needs (names, the link) and answers a [`Letter`] for the layout.

use gmao_domain::Locale;

use crate::layout::{Action, Letter};

fn pick(locale: Locale, fr: &str, en: &str) -> String {
    match locale {
        Locale::Fr => fr.to_owned(),
        Locale::En => en.to_owned(),
    }
}

fn hello(locale: Locale, name: Option<&str>) -> String {
    match (locale, name) {
        (Locale::Fr, Some(name)) => format!("Bonjour {name},"),
        (Locale::Fr, None) => "Bonjour,".to_owned(),
        (Locale::En, Some(name)) => format!("Hello {name},"),
        (Locale::En, None) => "Hello,".to_owned(),
    }
}

/// After sign-up (or on request): prove the address by choosing the password once more.
///
/// Account mails greet nobody by name: until the address is proven, the name on the account
/// may have been typed by a stranger, and a mail gmao sends to anyone's address carries no text
/// a stranger chose.
pub fn verify_email(locale: Locale, link: &str, valid_days: u32) -> Letter {
    Letter {
        locale,
        subject: pick(
            locale,
            "Confirmez votre adresse e-mail",
            "Confirm your email address",
        ),
        company: None,
        greeting: hello(locale, None),
        paragraphs: vec![pick(
            locale,
            "Pour terminer la création de votre compte gmao, confirmez que cette adresse est bien la vôtre.",
            "To finish setting up your gmao account, confirm that this address is yours.",
        )],
        action: Some(Action {
            label: pick(locale, "Confirmer mon adresse", "Confirm my address"),
            url: link.to_owned(),
        }),
        notes: vec![match locale {
            Locale::Fr => format!(
                "Le lien est valable {valid_days} jours. En confirmant, vous choisissez votre mot de passe : \
                 les sessions ouvertes avant la confirmation sont fermées."
            ),
            Locale::En => format!(
                "The link works for {valid_days} days. Confirming, you choose your password: sessions \
                 opened before the confirmation are closed."
            ),
        }],
        reason: pick(
            locale,
            "Vous recevez ce message parce qu'un compte gmao a été créé avec cette adresse. Si ce n'est pas vous, ignorez-le : sans confirmation, ce compte ne peut rejoindre aucune entreprise.",
            "You receive this message because a gmao account was created with this address. If it was not you, ignore it: unconfirmed, the account cannot join any company.",
        ),
    }
}

/// Sign-up with an address that has an account: nothing was created; log in instead. The
/// company name the stranger typed is not repeated: a mail gmao sends to anyone's address
/// carries no text a stranger chose.
pub fn account_exists(locale: Locale, login_link: &str, reset_link: &str) -> Letter {
    Letter {
        locale,
        subject: pick(
            locale,
            "Votre adresse a servi à une demande d'inscription",
            "Your address was used to sign up",
        ),
        company: None,
        greeting: hello(locale, None),
        paragraphs: vec![
            pick(
                locale,
                "Quelqu'un, peut-être vous, a voulu créer une entreprise sur gmao avec cette adresse, qui a déjà un compte. Rien n'a été créé.",
                "Someone, perhaps you, tried to create a company on gmao with this address, which already has an account. Nothing was created.",
            ),
            pick(
                locale,
                "Si c'était vous : connectez-vous, puis créez l'entreprise depuis le sélecteur d'entreprise (« Créer une autre entreprise »).",
                "If it was you: log in, then create the company from the company switcher (\u{201c}Create another company\u{201d}).",
            ),
        ],
        action: Some(Action {
            label: pick(locale, "Se connecter", "Log in"),
            url: login_link.to_owned(),
        }),
        notes: vec![match locale {
            Locale::Fr => format!("Mot de passe oublié ? Choisissez-en un nouveau : {reset_link}"),
            Locale::En => format!("Forgot your password? Choose a new one: {reset_link}"),
        }],
        reason: pick(
            locale,
            "Vous recevez ce message parce qu'une inscription a été tentée avec votre adresse. Si ce n'est pas vous, ignorez-le : votre compte n'a pas changé.",
            "You receive this message because someone tried to sign up with your address. If it was not you, ignore it: your account has not changed.",
        ),
    }
}

/// Someone of a company invites the reader to join it.
pub struct Invitation<'a> {
    pub locale: Locale,
    pub name: &'a str,
    pub inviter: &'a str,
    pub company: &'a str,
    pub role: &'a str,
    pub link: &'a str,
    pub valid_days: u32,
}

pub fn invitation(i: &Invitation<'_>) -> Letter {
    let locale = i.locale;
    Letter {
        locale,
        subject: match locale {
            Locale::Fr => format!(
                "{} vous invite à rejoindre {} sur gmao",
                i.inviter, i.company
            ),
            Locale::En => format!("{} invites you to join {} on gmao", i.inviter, i.company),
        },
        company: Some(i.company.to_owned()),
        greeting: hello(locale, Some(i.name)),
        paragraphs: vec![match locale {
            Locale::Fr => format!(
                "{} vous invite à rejoindre l'espace de maintenance de {} sur gmao, avec le rôle « {} ».",
                i.inviter, i.company, i.role
            ),
            Locale::En => format!(
                "{} invites you to join the maintenance workspace of {} on gmao, as \u{201c}{}\u{201d}.",
                i.inviter, i.company, i.role
            ),
        }],
        action: Some(Action {
            label: pick(locale, "Accepter l'invitation", "Accept the invitation"),
            url: i.link.to_owned(),
        }),
        notes: vec![match locale {
            Locale::Fr => format!(
                "L'invitation est valable {} jours et ne sert qu'une fois. Si vous avez déjà un compte \
                 gmao, vous l'utiliserez ; sinon vous en créerez un.",
                i.valid_days
            ),
            Locale::En => format!(
                "The invitation works for {} days, once. If you already have a gmao account you will \
                 use it; otherwise you will create one.",
                i.valid_days
            ),
        }],
        reason: match locale {
            Locale::Fr => format!(
                "Vous recevez ce message parce que {} vous a invité(e) sur gmao. Si vous ne connaissez \
                 pas cette entreprise, ignorez-le : sans acceptation, rien ne se passe.",
                i.company
            ),
            Locale::En => format!(
                "You receive this message because {} invited you to gmao. If you do not know this \
                 company, ignore it: unless you accept, nothing happens.",
                i.company
            ),
        },
    }
}

/// A password reset was asked for this address.
pub fn password_reset(locale: Locale, link: &str) -> Letter {
    Letter {
        locale,
        subject: pick(
            locale,
            "Choisissez un nouveau mot de passe",
            "Choose a new password",
        ),
        company: None,
        greeting: hello(locale, None),
        paragraphs: vec![pick(
            locale,
            "Une réinitialisation du mot de passe de votre compte gmao a été demandée.",
            "A password reset was requested for your gmao account.",
        )],
        action: Some(Action {
            label: pick(
                locale,
                "Choisir un nouveau mot de passe",
                "Choose a new password",
            ),
            url: link.to_owned(),
        }),
        notes: vec![pick(
            locale,
            "Le lien est valable une heure et ne sert qu'une fois. Une fois le mot de passe changé, toutes vos sessions sont fermées.",
            "The link works for one hour, once. Once the password is changed, all your sessions are closed.",
        )],
        reason: pick(
            locale,
            "Vous recevez ce message parce qu'une réinitialisation a été demandée pour cette adresse. Si ce n'est pas vous, ignorez-le : votre mot de passe ne change pas.",
            "You receive this message because a reset was requested for this address. If it was not you, ignore it: your password does not change.",
        ),
    }
}

/// The password of the account was just changed (by a reset, a verification or the person).
pub fn password_changed(locale: Locale, reset_link: &str) -> Letter {
    Letter {
        locale,
        subject: pick(
            locale,
            "Votre mot de passe a été changé",
            "Your password was changed",
        ),
        company: None,
        greeting: hello(locale, None),
        paragraphs: vec![pick(
            locale,
            "Le mot de passe de votre compte gmao vient d'être changé, et les autres sessions ont été fermées.",
            "The password of your gmao account was just changed, and other sessions were closed.",
        )],
        action: None,
        notes: vec![match locale {
            Locale::Fr => format!(
                "Si ce n'est pas vous, choisissez tout de suite un nouveau mot de passe : {reset_link}"
            ),
            Locale::En => {
                format!("If it was not you, choose a new password right away: {reset_link}")
            }
        }],
        reason: pick(
            locale,
            "Vous recevez ce message pour la sécurité de votre compte : nous prévenons de chaque changement de mot de passe.",
            "You receive this message for your account's safety: every password change is notified.",
        ),
    }
}

/// What a scheduled KPI report mail needs.
pub struct KpiReport<'a> {
    pub locale: Locale,
    /// The recipient's name, for members.
    pub name: Option<&'a str>,
    pub company: &'a str,
    /// The schedule's name.
    pub report: &'a str,
    /// "novembre 2026".
    pub period: &'a str,
    /// The dashboard, on the same period and filters.
    pub dashboard_link: &'a str,
    /// The attached file's format, `PDF`, `XLSX` or `CSV`.
    pub format: &'a str,
    /// For outside recipients: where they stop receiving it.
    pub unsubscribe_link: Option<&'a str>,
}

/// A scheduled report: the key figures go in the body (by the layout), the file attached.
pub fn kpi_report(r: &KpiReport<'_>) -> Letter {
    let l = r.locale;
    let (company, report, period, format) = (r.company, r.report, r.period, r.format);
    Letter {
        locale: l,
        subject: match l {
            Locale::Fr => format!("{report} : indicateurs de {period}"),
            Locale::En => format!("{report}: indicators for {period}"),
        },
        company: Some(company.to_owned()),
        greeting: hello(l, r.name),
        paragraphs: vec![match l {
            Locale::Fr => format!(
                "Voici les indicateurs de maintenance de {company} pour {period}, comparés à la période précédente."
            ),
            Locale::En => format!(
                "Here are the maintenance indicators of {company} for {period}, compared with the period before."
            ),
        }],
        action: Some(Action {
            label: pick(l, "Ouvrir le tableau de bord", "Open the dashboard"),
            url: r.dashboard_link.to_owned(),
        }),
        notes: vec![match l {
            Locale::Fr => format!(
                "Le rapport complet ({format}) est joint : chiffres clés, tendances, causes d'arrêt, équipements les plus touchés et heures par technicien."
            ),
            Locale::En => format!(
                "The full report ({format}) is attached: key figures, trends, causes of downtime, worst machines and hours by technician."
            ),
        }],
        reason: match (l, r.unsubscribe_link) {
            (Locale::Fr, Some(link)) => format!(
                "Vous recevez ce rapport parce que {company} vous a inscrit au rapport « {report} ». Pour ne plus le recevoir : {link}"
            ),
            (Locale::En, Some(link)) => format!(
                "You receive this report because {company} added you to the report \"{report}\". To stop receiving it: {link}"
            ),
            (Locale::Fr, None) => format!(
                "Vous recevez ce rapport en tant que membre de {company}, inscrit au rapport « {report} ». Pour ne plus le recevoir, demandez-le à la personne qui gère les rapports."
            ),
            (Locale::En, None) => format!(
                "You receive this report as a member of {company} listed on the report \"{report}\". To stop receiving it, ask whoever manages the reports."
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::render;

    #[test]
    fn every_letter_speaks_both_languages_and_carries_its_link() {
        let link = "https://gmao.example.com/x?token=abc";
        let make = |locale| {
            vec![
                verify_email(locale, link, 3),
                account_exists(locale, link, link),
                invitation(&Invitation {
                    locale,
                    name: "Karim",
                    inviter: "Anne Martin",
                    company: "Fonderie du Rhône",
                    role: "Technicien",
                    link,
                    valid_days: 7,
                }),
                password_reset(locale, link),
                password_changed(locale, link),
                kpi_report(&KpiReport {
                    locale,
                    name: Some("Anne"),
                    company: "Fonderie du Rhône",
                    report: "Indicateurs mensuels",
                    period: "novembre 2026",
                    dashboard_link: link,
                    format: "PDF",
                    unsubscribe_link: Some(link),
                }),
            ]
        };
        for (fr, en) in make(Locale::Fr).into_iter().zip(make(Locale::En)) {
            assert_ne!(fr.subject, en.subject);
            assert_ne!(fr.reason, en.reason);
            for letter in [&fr, &en] {
                let rendered = render(letter);
                assert!(rendered.text.contains(link), "{}", rendered.text);
                assert!(!letter.reason.is_empty());
            }
        }
        let invited = invitation(&Invitation {
            locale: Locale::Fr,
            name: "Karim",
            inviter: "Anne Martin",
            company: "Fonderie du Rhône",
            role: "Technicien",
            link,
            valid_days: 7,
        });
        assert_eq!(
            invited.subject,
            "Anne Martin vous invite à rejoindre Fonderie du Rhône sur gmao"
        );
        assert_eq!(invited.company.as_deref(), Some("Fonderie du Rhône"));
    }
}
