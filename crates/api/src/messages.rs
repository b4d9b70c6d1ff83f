//! Error messages in French and English, chosen by code. Clients that translate themselves use
//! the `code`; these sentences serve everyone else (and API users reading a response).

use gmao_domain::Locale;
use serde_json::Value;

fn pick(locale: Locale, fr: String, en: String) -> String {
    match locale {
        Locale::Fr => fr,
        Locale::En => en,
    }
}

fn param(params: &Value, key: &str) -> String {
    match params.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The top-level message of an error.
pub fn message(code: &str, details: &Value, locale: Locale) -> String {
    let (fr, en): (&str, &str) = match code {
        "invalid_json" => (
            "Le corps de la requête n'est pas du JSON valide.",
            "The request body is not valid JSON.",
        ),
        "invalid_request" => (
            "La requête est mal formée : un champ manque ou n'a pas le bon type.",
            "The request is malformed: a field is missing or has the wrong type.",
        ),
        "invalid_parameter" => (
            "Un paramètre de la requête est invalide.",
            "A request parameter is invalid.",
        ),
        "invalid_sort" => (
            "Ce critère de tri n'est pas disponible.",
            "This sort order is not available.",
        ),
        "unsupported_content_type" => (
            "Ce type de contenu n'est pas accepté ; envoyez du JSON.",
            "This content type is not accepted; send JSON.",
        ),
        "payload_too_large" => (
            "Le corps de la requête est trop volumineux.",
            "The request body is too large.",
        ),
        "route_not_found" => (
            "Cette adresse n'existe pas dans l'API.",
            "This address does not exist in the API.",
        ),
        "method_not_allowed" => (
            "Cette méthode n'est pas permise à cette adresse.",
            "This method is not allowed at this address.",
        ),
        "unauthenticated" => ("Vous devez vous connecter.", "You need to log in."),
        "invalid_token" => (
            "Le jeton d'accès est invalide.",
            "The access token is invalid.",
        ),
        "token_expired" => (
            "Le jeton d'accès a expiré ; renouvelez-le.",
            "The access token has expired; refresh it.",
        ),
        "session_ended" => (
            "Votre session est terminée ; reconnectez-vous.",
            "Your session has ended; please log in again.",
        ),
        "invalid_credentials" => (
            "Adresse e-mail, mot de passe ou entreprise incorrects.",
            "Incorrect email, password or company.",
        ),
        "invalid_refresh_token" => (
            "Le jeton de renouvellement est invalide ou expiré ; reconnectez-vous.",
            "The refresh token is invalid or expired; please log in again.",
        ),
        "refresh_token_reused" => (
            "Ce jeton de renouvellement a déjà servi : par sécurité, la session est fermée. Reconnectez-vous.",
            "This refresh token was already used: for safety, the session is closed. Please log in again.",
        ),
        "too_many_attempts" => (
            "Trop de tentatives. Réessayez dans quelques minutes.",
            "Too many attempts. Try again in a few minutes.",
        ),
        "forbidden" => (
            "Votre rôle ne permet pas cette action.",
            "Your role does not allow this action.",
        ),
        "tenant_suspended" => (
            "L'accès à cette entreprise est suspendu.",
            "Access to this company is suspended.",
        ),
        "account_disabled" => ("Ce compte est désactivé.", "This account is deactivated."),
        "no_tenant" => (
            "Cette action demande une connexion à une entreprise.",
            "This action requires being logged in to a company.",
        ),
        "not_platform_operator" => (
            "Réservé aux opérateurs de la plateforme.",
            "Reserved for platform operators.",
        ),
        "cannot_grant_role" => (
            "Vous ne pouvez pas attribuer un rôle qui a plus de droits que le vôtre.",
            "You cannot give a role with more permissions than your own.",
        ),
        "cannot_manage_member" => (
            "Le rôle de cette personne a des droits que vous n'avez pas : vous ne pouvez pas le lui retirer ni la désactiver.",
            "This person's role has permissions you do not have: you cannot take it away or deactivate them.",
        ),
        "cannot_change_role" => (
            "Ce rôle a des droits que vous n'avez pas : vous ne pouvez pas le modifier.",
            "This role has permissions you do not have: you cannot change it.",
        ),
        "cannot_grant_permission" => (
            "Vous ne pouvez pas accorder une permission que vous n'avez pas.",
            "You cannot grant a permission you do not have.",
        ),
        "site_scope_exceeded" => (
            "Cette action dépasse les sites auxquels vous avez accès.",
            "This action goes beyond the sites you have access to.",
        ),
        "cannot_change_self" => (
            "Vous ne pouvez pas changer votre propre rôle ou taux horaire, ni vous désactiver.",
            "You cannot change your own role or hourly rate, nor deactivate yourself.",
        ),
        "not_found" => ("Introuvable.", "Not found."),
        "tenant_required" => (
            "Vous appartenez à plusieurs entreprises : choisissez laquelle.",
            "You belong to several companies: choose one.",
        ),
        "slug_taken" => (
            "Cet identifiant d'espace est déjà pris.",
            "This workspace identifier is already taken.",
        ),
        "email_taken" => (
            "Cette adresse e-mail est déjà utilisée.",
            "This email address is already in use.",
        ),
        "code_taken" => ("Ce code est déjà utilisé.", "This code is already in use."),
        "name_taken" => ("Ce nom est déjà utilisé.", "This name is already in use."),
        "category_taken" => (
            "Cette catégorie a déjà son modèle de caractéristiques.",
            "This category already has its specification template.",
        ),
        "has_children" => (
            "Supprimez d'abord ce qui dépend de cet élément.",
            "Delete what depends on this item first.",
        ),
        "has_history" => (
            "Cet élément a un historique (demandes, bons de travail, relevés) : archivez-le plutôt que de le supprimer.",
            "This item has history (requests, work orders, readings): archive it instead of deleting it.",
        ),
        "in_use" => (
            "Cet élément est utilisé par des bons de travail : désactivez-le plutôt que de le supprimer.",
            "This item is used by work orders: deactivate it instead of deleting it.",
        ),
        "equipment_archived" => (
            "Cet équipement est archivé : restaurez-le d'abord.",
            "This equipment is archived: restore it first.",
        ),
        "too_many_entries" => (
            "Trop d'interventions dans cette période : réduisez-la ou filtrez par site.",
            "Too much work in this period: shorten it or filter by site.",
        ),
        "plan_archived" => (
            "Ce plan de maintenance est archivé et ne peut plus être modifié.",
            "This maintenance plan is archived and can no longer be changed.",
        ),
        "not_assigned" => (
            "Ce bon de travail ne vous est pas attribué.",
            "This work order is not assigned to you.",
        ),
        "not_your_time_entry" => (
            "Vous ne pouvez modifier que vos propres saisies de temps.",
            "You can only change your own time entries.",
        ),
        "unsupported_file_type" => (
            "Type de fichier non accepté : photos (JPEG, PNG, WebP, GIF, HEIF, AVIF) ou PDF.",
            "File type not accepted: photos (JPEG, PNG, WebP, GIF, HEIF, AVIF) or PDF.",
        ),
        "invalid_transition" => (
            "Cette action n'est pas possible dans l'état actuel du bon de travail.",
            "This action is not possible in the work order's current state.",
        ),
        "work_order_cancelled" => (
            "Ce bon de travail est annulé : il n'appelle pas de suite.",
            "This work order is cancelled: it takes no follow-up.",
        ),
        "work_order_finished" => (
            "Ce bon de travail est terminé : il ne peut plus être modifié.",
            "This work order is finished: it can no longer be changed.",
        ),
        "work_order_not_in_progress" => (
            "La liste de contrôle se remplit une fois le travail démarré.",
            "The checklist is filled in once the work has started.",
        ),
        "request_already_decided" => (
            "Cette demande a déjà été traitée.",
            "This request has already been decided.",
        ),
        "open_work_orders" => (
            "Des bons de travail sont encore ouverts sur cet équipement : terminez-les ou annulez-les d'abord.",
            "Work orders are still open on this equipment: finish or cancel them first.",
        ),
        "occurrence_generated" => (
            "Le bon de travail de cette échéance existe déjà : annulez-le plutôt que de sauter l'échéance.",
            "This occurrence's work order already exists: cancel it instead of skipping the occurrence.",
        ),
        "reading_exists" => (
            "Un relevé existe déjà à cet instant.",
            "A reading already exists at that time.",
        ),
        "checklist_incomplete" => {
            let labels = details
                .get("items")
                .and_then(Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|i| i.get("label").and_then(Value::as_str))
                        .collect::<Vec<_>>()
                        .join(" ; ")
                })
                .unwrap_or_default();
            return pick(
                locale,
                format!(
                    "Des points obligatoires de la liste de contrôle restent à remplir : {labels}."
                ),
                format!("Required checklist items are still open: {labels}."),
            );
        }
        "import_refused" => {
            let count = details
                .get("problems")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            return pick(
                locale,
                format!("Import refusé, rien n'a été enregistré : {count} problème(s) à corriger."),
                format!("Import refused, nothing was recorded: {count} problem(s) to fix."),
            );
        }
        "already_preparing" => (
            "Ce rapport est déjà en cours de préparation ; attendez qu'il parte.",
            "This report is already being prepared; wait until it goes out.",
        ),
        "role_in_use" => (
            "Ce rôle est attribué à des membres ; changez d'abord leur rôle.",
            "This role is given to members; change their role first.",
        ),
        "builtin_role_read_only" => (
            "Les rôles prédéfinis ne se modifient pas ; créez un rôle personnalisé.",
            "Built-in roles cannot be changed; create a custom role.",
        ),
        "already_member" => (
            "Cette personne est déjà membre de l'entreprise.",
            "This person is already a member of the company.",
        ),
        "last_admin" => (
            "L'entreprise doit garder au moins un administrateur actif ayant accès à tous les sites.",
            "The company must keep at least one active administrator with access to every site.",
        ),
        "wrong_password" => (
            "Le mot de passe actuel est incorrect.",
            "The current password is incorrect.",
        ),
        "internal_error" => (
            "Une erreur interne est survenue. Réessayez ; si elle persiste, contactez le support.",
            "An internal error occurred. Try again; if it persists, contact support.",
        ),
        "invalid_characters" => (
            "Le texte envoyé contient des caractères non autorisés (caractère nul ou de contrôle).",
            "The text sent contains characters that are not allowed (a null or control character).",
        ),
        "password_change_required" => (
            "Choisissez d'abord votre propre mot de passe : celui qui vous a été donné doit être changé.",
            "Choose your own password first: the one you were given must be changed.",
        ),
        "already_verified" => (
            "Votre adresse e-mail est déjà confirmée.",
            "Your email address is already confirmed.",
        ),
        "email_not_verified" => (
            "Confirmez d'abord votre adresse e-mail (le lien vous a été envoyé).",
            "Confirm your email address first (the link was sent to you).",
        ),
        "link_expired" => (
            "Ce lien n'est plus valable : il a déjà servi, a expiré ou a été remplacé. Demandez-en un nouveau.",
            "This link no longer works: it was used, has expired or was replaced. Ask for a new one.",
        ),
        "invitation_pending" => (
            "Une invitation est déjà en attente pour cette adresse : renvoyez-la plutôt.",
            "An invitation is already waiting for this address: resend it instead.",
        ),
        "invitation_closed" => (
            "Cette invitation a déjà été acceptée ou révoquée.",
            "This invitation was already accepted or revoked.",
        ),
        "invitation_state_changed" => (
            "Le compte de cette adresse vient de changer : rouvrez le lien d'invitation.",
            "The account of this address just changed: open the invitation link again.",
        ),
        "server_busy" => (
            "Le serveur est très sollicité ; réessayez dans quelques secondes.",
            "The server is very busy; try again in a few seconds.",
        ),
        "service_unavailable" => (
            "Le service est momentanément indisponible.",
            "The service is temporarily unavailable.",
        ),
        "validation_failed" => {
            let fields = details
                .get("fields")
                .and_then(Value::as_object)
                .map(|f| f.keys().cloned().collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            return pick(
                locale,
                format!("Certains champs sont invalides : {fields}."),
                format!("Some fields are invalid: {fields}."),
            );
        }
        other => {
            // A field code raised as the top-level code: say which field and why.
            if let Some((_, entry)) = details
                .get("fields")
                .and_then(Value::as_object)
                .and_then(|f| f.iter().next())
            {
                return field_message(other, entry, locale);
            }
            return pick(
                locale,
                format!("Requête refusée ({other})."),
                format!("Request refused ({other})."),
            );
        }
    };
    pick(locale, fr.to_owned(), en.to_owned())
}

/// The message of one rejected field.
pub fn field_message(code: &str, params: &Value, locale: Locale) -> String {
    match code {
        "required" => pick(locale, "Ce champ est obligatoire.".into(), "This field is required.".into()),
        "too_long" => pick(
            locale,
            format!("{} caractères au plus.", param(params, "max")),
            format!("At most {} characters.", param(params, "max")),
        ),
        "invalid_characters" => pick(locale, "Contient des caractères non autorisés.".into(), "Contains characters that are not allowed.".into()),
        "invalid_code" => pick(
            locale,
            "Lettres, chiffres, « - », « _ » et « . » uniquement (32 au plus).".into(),
            "Letters, digits, '-', '_' and '.' only (32 at most).".into(),
        ),
        "invalid_time_zone" => pick(locale, "Fuseau horaire inconnu (exemple : Europe/Paris).".into(), "Unknown time zone (for example Europe/Paris).".into()),
        "invalid_email" => pick(locale, "Adresse e-mail invalide.".into(), "Invalid email address.".into()),
        "invalid_slug" => pick(
            locale,
            "De 3 à 40 caractères : lettres minuscules, chiffres et tirets, en commençant par une lettre.".into(),
            "3 to 40 characters: lowercase letters, digits and hyphens, starting with a letter.".into(),
        ),
        "reserved_slug" => pick(locale, "Cet identifiant est réservé ; choisissez-en un autre.".into(), "This identifier is reserved; choose another one.".into()),
        "weak_password" => match param(params, "reason").as_str() {
            "too_short" => pick(
                locale,
                format!("Le mot de passe doit compter au moins {} caractères.", param(params, "min")),
                format!("The password must have at least {} characters.", param(params, "min")),
            ),
            "too_long" => pick(
                locale,
                format!("Le mot de passe doit compter au plus {} caractères.", param(params, "max")),
                format!("The password must have at most {} characters.", param(params, "max")),
            ),
            "needs_variety" => pick(
                locale,
                "Le mot de passe doit mêler des lettres et des chiffres ou symboles.".into(),
                "The password must mix letters with digits or symbols.".into(),
            ),
            "too_common" => pick(locale, "Ce mot de passe est trop courant.".into(), "This password is too common.".into()),
            "contains_personal_info" => pick(
                locale,
                "Le mot de passe ne doit contenir ni votre nom, ni votre e-mail, ni celui de l'entreprise.".into(),
                "The password must not contain your name, your email or the company's name.".into(),
            ),
            _ => pick(locale, "Mot de passe trop faible.".into(), "Password too weak.".into()),
        },
        "invalid_locale" => pick(locale, "Langue inconnue : « fr » ou « en ».".into(), "Unknown language: 'fr' or 'en'.".into()),
        "unknown_role" => pick(locale, "Ce rôle n'existe pas.".into(), "This role does not exist.".into()),
        "unknown_site" => pick(locale, "Ce site n'existe pas ou ne vous est pas accessible.".into(), "This site does not exist or is not accessible to you.".into()),
        "unknown_plant" => pick(locale, "Cette usine n'existe pas ou ne vous est pas accessible.".into(), "This plant does not exist or is not accessible to you.".into()),
        "unknown_permission" => pick(
            locale,
            format!("Permission inconnue : {}.", param(params, "value")),
            format!("Unknown permission: {}.", param(params, "value")),
        ),
        "password_required_for_new_account" => pick(
            locale,
            "Cette adresse n'a pas encore de compte : donnez un mot de passe initial.".into(),
            "This email has no account yet: give an initial password.".into(),
        ),
        "wrong_password" => pick(locale, "Le mot de passe actuel est incorrect.".into(), "The current password is incorrect.".into()),
        "same_password" => pick(locale, "Choisissez un mot de passe différent de l'actuel.".into(), "Choose a password different from the current one.".into()),
        "empty" => pick(locale, "Rien à modifier.".into(), "Nothing to change.".into()),
        "unknown_production_line" => pick(locale, "Cette ligne de production n'existe pas ou ne vous est pas accessible.".into(), "This production line does not exist or is not accessible to you.".into()),
        "unknown_equipment" => pick(locale, "Cet équipement n'existe pas, est archivé, ou ne vous est pas accessible.".into(), "This equipment does not exist, is archived, or is not accessible to you.".into()),
        "location_required" => pick(locale, "Indiquez où se trouve l'équipement : ligne, usine ou site.".into(), "Say where the equipment stands: line, plant or site.".into()),
        "inconsistent_location" => pick(locale, "La ligne, l'usine et le site donnés ne correspondent pas.".into(), "The line, plant and site given do not match.".into()),
        "invalid_parent" => pick(locale, "L'équipement parent doit exister sur le même site, sans former de boucle.".into(), "The parent equipment must exist on the same site, without making a loop.".into()),
        "invalid_specifications" => pick(locale, "Les caractéristiques sont une liste de 50 clés au plus, avec des valeurs simples.".into(), "Specifications are at most 50 keys with simple values.".into()),
        "before_purchase_date" => pick(locale, "La date d'installation précède la date d'achat.".into(), "The installation date is before the purchase date.".into()),
        "invalid_assignee" => pick(locale, "Cette personne ne peut pas recevoir de travail sur ce site.".into(), "This person cannot be given work on this site.".into()),
        "unknown_failure_code" => pick(locale, "Ce code de défaillance n'existe pas ou n'est pas du bon type.".into(), "This failure code does not exist or is of the wrong kind.".into()),
        "invalid_number" => pick(locale, "Nombre invalide.".into(), "Invalid number.".into()),
        "invalid_date" => pick(locale, "Date invalide.".into(), "Invalid date.".into()),
        "reading_in_future" => pick(locale, "Un relevé ne peut pas être daté dans le futur.".into(), "A reading cannot be dated in the future.".into()),
        "reading_negative" => pick(locale, "Un compteur cumulatif ne peut pas être négatif.".into(), "A cumulative meter cannot be negative.".into()),
        "reading_below_previous" => pick(
            locale,
            format!("Le compteur ne peut pas descendre : le relevé précédent indiquait {}.", param(params, "previous_value")),
            format!("The meter cannot go down: the previous reading was {}.", param(params, "previous_value")),
        ),
        "reading_above_next" => pick(
            locale,
            format!("Ce relevé dépasse le suivant ({}).", param(params, "next_value")),
            format!("This reading is above the next one ({}).", param(params, "next_value")),
        ),
        "reading_exists" => pick(locale, "Un relevé existe déjà à cet instant.".into(), "A reading already exists at that time.".into()),
        "nonexistent_local_time" => pick(locale, "Cette heure n'existe pas (changement d'heure).".into(), "This time does not exist (daylight saving change).".into()),
        "unknown_meter" => pick(locale, "Ce compteur n'existe pas sur cet équipement.".into(), "This meter does not exist on this equipment.".into()),
        "not_skipped" => pick(locale, "Cette échéance n'est pas sautée.".into(), "This occurrence is not skipped.".into()),
        "unknown_occurrence" => pick(locale, "Cette échéance ne fait pas partie des prochaines du plan.".into(), "This occurrence is not one of the plan's coming ones.".into()),
        "weekdays_need_weekly_rule" => pick(locale, "Les jours de la semaine ne s'appliquent qu'à une règle hebdomadaire.".into(), "Weekdays apply to weekly rules only.".into()),
        "day_of_month_needs_monthly_rule" => pick(locale, "Le jour du mois ne s'applique qu'à une règle mensuelle ou annuelle.".into(), "The day of the month applies to monthly or yearly rules only.".into()),
        "invalid_bounds" => pick(locale, "Le minimum dépasse le maximum.".into(), "The minimum is above the maximum.".into()),
        "out_of_range" => pick(locale, "Valeur hors limites.".into(), "Value out of range.".into()),
        "too_many_decimals" => pick(
            locale,
            format!("{} décimales au plus.", param(params, "max")),
            format!("At most {} decimals.", param(params, "max")),
        ),
        "invalid_currency" => pick(locale, "Code de devise invalide : trois lettres majuscules (EUR, CHF…).".into(), "Invalid currency code: three capital letters (EUR, CHF…).".into()),
        "too_many_items" => pick(
            locale,
            format!("{} éléments au plus.", param(params, "max")),
            format!("At most {} items.", param(params, "max")),
        ),
        "invalid_key" => pick(locale, "Clé invalide : lettres minuscules, chiffres et « _ », en commençant par une lettre (40 au plus).".into(), "Invalid key: lowercase letters, digits and '_', starting with a letter (40 at most).".into()),
        "duplicate_key" => pick(locale, "Cette clé est déjà utilisée plus haut.".into(), "This key is already used above.".into()),
        "kind_fixed" => pick(locale, "Le type d'un modèle ne change pas : créez-en un autre.".into(), "A template's kind cannot change: create another one.".into()),
        "in_future" => pick(locale, "Cette date est dans le futur.".into(), "This date is in the future.".into()),
        "before_start" => pick(locale, "La fin précède le début.".into(), "The end is before the start.".into()),
        "invalid_period" => pick(locale, "Période invalide (24 heures au plus, fin après le début).".into(), "Invalid period (24 hours at most, end after start).".into()),
        "window_too_long" => pick(
            locale,
            format!("Période trop longue : {} ans au plus.", param(params, "max_years")),
            format!("Period too long: {} years at most.", param(params, "max_years")),
        ),
        "too_many_periods" => pick(
            locale,
            format!("Trop de périodes : {} au plus ; regroupez par semaine ou par mois.", param(params, "max")),
            format!("Too many periods: {} at most; group by week or month.", param(params, "max")),
        ),
        "cannot_receive" => pick(
            locale,
            "Ces personnes ne peuvent pas lire les indicateurs des sites du rapport.".into(),
            "These people may not read the indicators of the report's sites.".into(),
        ),
        "too_many_recipients" => pick(
            locale,
            format!("{} destinataires au plus de chaque sorte.", param(params, "max")),
            format!("At most {} recipients of each kind.", param(params, "max")),
        ),
        "too_many_schedules" => pick(
            locale,
            format!("{} rapports programmés au plus par entreprise.", param(params, "max")),
            format!("At most {} scheduled reports per company.", param(params, "max")),
        ),
        "invalid_time" => pick(locale, "Heure invalide (HH:MM).".into(), "Invalid time (HH:MM).".into()),
        "range_too_long" => pick(
            locale,
            format!("Période trop longue : jusqu'au {} au plus.", param(params, "max")),
            format!("Period too long: up to {} at most.", param(params, "max")),
        ),
        other => pick(locale, format!("Valeur refusée ({other})."), format!("Value refused ({other}).")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn weak_password_reasons_have_their_own_sentences() {
        let short = field_message(
            "weak_password",
            &json!({"reason": "too_short", "min": 10}),
            Locale::En,
        );
        assert_eq!(short, "The password must have at least 10 characters.");
        let common = field_message(
            "weak_password",
            &json!({"reason": "too_common"}),
            Locale::Fr,
        );
        assert_eq!(common, "Ce mot de passe est trop courant.");
    }

    #[test]
    fn every_top_level_code_has_two_distinct_languages() {
        for code in [
            "slug_taken",
            "invalid_credentials",
            "forbidden",
            "not_found",
            "too_many_attempts",
            "last_admin",
        ] {
            let fr = message(code, &json!({}), Locale::Fr);
            let en = message(code, &json!({}), Locale::En);
            assert_ne!(fr, en, "{code}");
            assert!(!fr.contains(code), "{code} has no French sentence");
        }
    }

    /// The codes raised anywhere in the server (`conflict("…")`, `forbidden("…")`,
    /// `bad_request("…")`, `ApiError::new(status, "…")`), read from the sources.
    fn raised_codes() -> std::collections::BTreeSet<String> {
        fn visit(dir: &std::path::Path, found: &mut std::collections::BTreeSet<String>) {
            for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{dir:?}: {e}")) {
                let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
                if path.is_dir() {
                    visit(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    for token in ["conflict(", "forbidden(", "bad_request(", "ApiError::new("] {
                        for (at, _) in text.match_indices(token) {
                            let mut rest = &text[at + token.len()..];
                            if token == "ApiError::new(" {
                                rest = rest.split_once(',').map_or("", |(_, r)| r);
                            }
                            if let Some(literal) = rest.trim_start().strip_prefix('"') {
                                let code = literal.split('"').next().unwrap_or_default();
                                if !code.is_empty()
                                    && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                                {
                                    found.insert(code.to_owned());
                                }
                            }
                        }
                    }
                }
            }
        }
        let mut found = std::collections::BTreeSet::new();
        visit(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
            &mut found,
        );
        found
    }

    #[test]
    fn every_code_the_server_raises_has_its_own_sentences() {
        let codes = raised_codes();
        assert!(
            codes.contains("role_in_use") && codes.contains("import_refused"),
            "{codes:?}"
        );
        let missing: Vec<String> = codes
            .into_iter()
            .filter(|code| {
                let fr = message(code, &json!({}), Locale::Fr);
                let en = message(code, &json!({}), Locale::En);
                fr.contains(code.as_str()) || en.contains(code.as_str())
            })
            .collect();
        assert!(missing.is_empty(), "codes without sentences: {missing:?}");
    }
}
