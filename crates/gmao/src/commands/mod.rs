//! One module per subcommand.

pub mod demo;
pub mod mail;
pub mod migrate;
pub mod pm;
pub mod reports;
pub mod serve;
pub mod tenant;
pub mod user;
pub mod worker;

use std::io::BufRead;

use crate::cli::PasswordArgs;

/// The password a command should set: from stdin, from GMAO_NEW_PASSWORD, or generated. The
/// second value says whether it was generated (and must be shown once).
pub fn password_from(args: &PasswordArgs) -> anyhow::Result<(String, bool)> {
    if args.password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false));
    }
    if let Ok(password) = std::env::var("GMAO_NEW_PASSWORD")
        && !password.is_empty()
    {
        return Ok((password, false));
    }
    Ok((generate_password(), true))
}

fn generate_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let groups: Vec<String> = (0..4)
        .map(|_| {
            (0..5)
                .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
                .collect()
        })
        .collect();
    groups.join("-")
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_passwords_pass_the_policy() {
        for _ in 0..50 {
            let password = super::generate_password();
            assert_eq!(password.len(), 23);
            assert!(
                gmao_domain::password::check(&password, Default::default()).is_ok(),
                "{password}"
            );
        }
    }
}
