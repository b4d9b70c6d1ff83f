//! One layout for every mail: a header with gmao and the company, the letter's paragraphs, at
//! most one button, what follows it, and a footer saying why the mail was sent. Rendered twice:
//! HTML with inline styles (what mail clients display) and plain text (what the rest read).

use gmao_domain::Locale;

/// The one thing a mail asks the reader to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub label: String,
    pub url: String,
}

/// What a message says, before layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub locale: Locale,
    pub subject: String,
    /// The company the mail is about, shown in the header (none for account mails).
    pub company: Option<String>,
    pub greeting: String,
    pub paragraphs: Vec<String>,
    pub action: Option<Action>,
    /// Below the button: how long the link works, what happens next.
    pub notes: Vec<String>,
    /// The footer: why this person receives this mail, and what to do if it was not them.
    pub reason: String,
}

/// Whether a figure's change is good news.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Bad,
    Neutral,
}

/// One key figure in a report mail: `MTBF · 120,5 h · +3,0 h`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureLine {
    pub label: String,
    pub value: String,
    /// Against the previous period, with its sign and unit.
    pub change: Option<String>,
    pub tone: Tone,
    /// How it is computed, with its figures.
    pub detail: String,
}

/// A letter ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub html: String,
    pub text: String,
}

const BRAND: &str = "#1251c4";

pub fn render(letter: &Letter) -> Rendered {
    render_with_figures(letter, &[])
}

/// A letter with a table of key figures after its paragraphs (a KPI report).
pub fn render_with_figures(letter: &Letter, figures: &[FigureLine]) -> Rendered {
    Rendered {
        subject: letter.subject.clone(),
        html: html(letter, figures),
        text: text(letter, figures),
    }
}

/// French puts a space before a colon.
fn colon(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => " :",
        Locale::En => ":",
    }
}

fn figures_text(locale: Locale, figures: &[FigureLine]) -> String {
    let colon = colon(locale);
    let mut out = String::new();
    for f in figures {
        let change = f
            .change
            .as_deref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        out.push_str(&format!(
            "- {}{colon} {}{change}\n  {}\n",
            f.label, f.value, f.detail
        ));
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

fn figures_html(figures: &[FigureLine]) -> String {
    if figures.is_empty() {
        return String::new();
    }
    let rows: String = figures
        .iter()
        .map(|f| {
            let colour = match f.tone {
                Tone::Good => "#1b7f3b",
                Tone::Bad => "#b42318",
                Tone::Neutral => "#666666",
            };
            let change = f
                .change
                .as_deref()
                .map(|c| {
                    format!(
                        "<span style=\"color:{colour};font-size:13px\">{}</span>",
                        escape(c)
                    )
                })
                .unwrap_or_default();
            format!(
                "<tr><td style=\"padding:8px 0;border-bottom:1px solid #e6e9ef\">\
                 <div style=\"font-weight:600\">{label}</div>\
                 <div style=\"font-size:12px;color:#666666\">{detail}</div></td>\
                 <td align=\"right\" style=\"padding:8px 0;border-bottom:1px solid #e6e9ef;\
                 white-space:nowrap\"><div style=\"font-size:18px;font-weight:700\">{value}</div>\
                 {change}</td></tr>",
                label = escape(&f.label),
                detail = escape(&f.detail),
                value = escape(&f.value),
            )
        })
        .collect();
    format!(
        "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" \
         style=\"margin:0 0 16px\">{rows}</table>"
    )
}

fn text(letter: &Letter, figures: &[FigureLine]) -> String {
    let mut out = String::new();
    if let Some(company) = &letter.company {
        out.push_str(&format!("gmao · {company}\n\n"));
    }
    out.push_str(&letter.greeting);
    out.push_str("\n\n");
    for paragraph in &letter.paragraphs {
        out.push_str(paragraph);
        out.push_str("\n\n");
    }
    out.push_str(&figures_text(letter.locale, figures));
    if let Some(action) = &letter.action {
        let colon = colon(letter.locale);
        out.push_str(&format!("{}{colon}\n{}\n\n", action.label, action.url));
    }
    for note in &letter.notes {
        out.push_str(note);
        out.push_str("\n\n");
    }
    out.push_str("-- \n");
    out.push_str(&letter.reason);
    out.push('\n');
    out
}

fn html(letter: &Letter, figures: &[FigureLine]) -> String {
    let lang = letter.locale.as_str();
    let mut body = String::new();
    body.push_str(&format!(
        "<p style=\"margin:0 0 16px\">{}</p>",
        escape(&letter.greeting)
    ));
    for paragraph in &letter.paragraphs {
        body.push_str(&format!(
            "<p style=\"margin:0 0 16px\">{}</p>",
            escape(paragraph)
        ));
    }
    body.push_str(&figures_html(figures));
    if let Some(action) = &letter.action {
        body.push_str(&format!(
            "<p style=\"margin:24px 0\"><a href=\"{url}\" style=\"background:{BRAND};color:#ffffff;\
             text-decoration:none;padding:12px 20px;border-radius:6px;display:inline-block;\
             font-weight:600\">{label}</a></p>\
             <p style=\"margin:0 0 16px;font-size:13px;color:#555555\">{fallback}<br>\
             <a href=\"{url}\" style=\"color:{BRAND};word-break:break-all\">{url}</a></p>",
            url = escape(&action.url),
            label = escape(&action.label),
            fallback = escape(match letter.locale {
                Locale::Fr =>
                    "Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur :",
                Locale::En => "If the button does not work, paste this link into your browser:",
            }),
        ));
    }
    for note in &letter.notes {
        body.push_str(&format!(
            "<p style=\"margin:0 0 16px;color:#333333\">{}</p>",
            escape(note)
        ));
    }
    let company = letter
        .company
        .as_deref()
        .map(|c| {
            format!(
                " <span style=\"color:#555555;font-weight:400\">· {}</span>",
                escape(c)
            )
        })
        .unwrap_or_default();
    format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>{subject}</title></head>\
         <body style=\"margin:0;padding:0;background:#f4f6fa\">\
         <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" \
         style=\"background:#f4f6fa;padding:24px 0\"><tr><td align=\"center\">\
         <table role=\"presentation\" width=\"560\" cellpadding=\"0\" cellspacing=\"0\" \
         style=\"max-width:560px;width:100%;background:#ffffff;border-radius:8px;\
         font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:15px;\
         line-height:1.5;color:#1a1a1a\">\
         <tr><td style=\"padding:20px 28px;border-bottom:1px solid #e6e9ef;font-size:18px;\
         font-weight:700;color:{BRAND}\">gmao{company}</td></tr>\
         <tr><td style=\"padding:24px 28px\">{body}</td></tr>\
         <tr><td style=\"padding:16px 28px 24px;border-top:1px solid #e6e9ef;font-size:12px;\
         color:#666666\">{reason}</td></tr>\
         </table></td></tr></table></body></html>\n",
        subject = escape(&letter.subject),
        reason = escape(&letter.reason),
    )
}

/// Text as HTML: every character that means something in markup is escaped.
fn escape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter() -> Letter {
        Letter {
            locale: Locale::Fr,
            subject: "Invitation".into(),
            company: Some("Fonderie <du> Rhône & Fils".into()),
            greeting: "Bonjour,".into(),
            paragraphs: vec!["Anne vous invite.".into()],
            action: Some(Action {
                label: "Accepter".into(),
                url: "https://gmao.example.com/invitation?token=a\"b".into(),
            }),
            notes: vec!["Valable 7 jours.".into()],
            reason: "Parce que vous avez été invité(e).".into(),
        }
    }

    #[test]
    fn html_escapes_what_people_typed_and_keeps_the_link() {
        let rendered = render(&letter());
        assert!(
            rendered
                .html
                .contains("Fonderie &lt;du&gt; Rhône &amp; Fils")
        );
        assert!(!rendered.html.contains("<du>"));
        assert!(
            rendered
                .html
                .contains("href=\"https://gmao.example.com/invitation?token=a&quot;b\"")
        );
        assert!(rendered.html.starts_with("<!doctype html>"));
        assert!(rendered.html.contains("lang=\"fr\""));
    }

    #[test]
    fn text_has_every_part_in_order() {
        let text = render(&letter()).text;
        let order = [
            "gmao · Fonderie <du> Rhône & Fils",
            "Bonjour,",
            "Anne vous invite.",
            "Accepter :\nhttps://gmao.example.com/invitation?token=a\"b",
            "Valable 7 jours.",
            "-- \nParce que vous avez été invité(e).",
        ];
        let mut from = 0;
        for part in order {
            let at = text[from..]
                .find(part)
                .unwrap_or_else(|| panic!("{part:?} missing or out of order in {text}"));
            from += at + part.len();
        }
    }
}
