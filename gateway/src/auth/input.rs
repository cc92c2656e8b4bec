//! What people type to log in, normalised into a [`Login`]: e-mail
//! addresses lower-cased and checked, phone numbers stripped of spaces and
//! punctuation and checked to be E.164. Pure, for testing.

use super::Login;

/// Longest e-mail address accepted (RFC 5321's path limit).
const MAX_EMAIL: usize = 254;

/// Why a login was refused; the message tells the person what to fix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadLogin(pub String);

/// An e-mail address: trimmed, lower-cased, a valid address whose domain
/// has a dot (`ana@example.com`).
pub fn email(raw: &str) -> Result<Login, BadLogin> {
    let e = raw.trim().to_lowercase();
    let bad = || {
        BadLogin(format!(
            "{:?} is not an e-mail address (like ana@example.com)",
            raw.chars().take(80).collect::<String>()
        ))
    };
    if e.is_empty() || e.len() > MAX_EMAIL {
        return Err(bad());
    }
    let address: lettre::Address = e.parse().map_err(|_| bad())?;
    let domain = address.domain();
    if !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.starts_with('[')
    {
        return Err(bad());
    }
    Ok(Login::Email(e))
}

/// A phone number in international form: spaces, dashes, dots and
/// brackets are dropped, a leading `00` becomes `+`, and the result must
/// be E.164 (`+447700900123`).
pub fn phone(raw: &str) -> Result<Login, BadLogin> {
    let mut p: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{a0}'))
        .collect();
    if let Some(rest) = p.strip_prefix("00") {
        p = format!("+{rest}");
    }
    if sellout_notify::sms::is_e164(&p) {
        Ok(Login::Phone(p))
    } else {
        Err(BadLogin(format!(
            "{:?} is not a phone number in international form (like +44 7700 900123)",
            raw.chars().take(40).collect::<String>()
        )))
    }
}

/// Exactly one of `email` and `phone`, normalised.
pub fn login(email_in: Option<&str>, phone_in: Option<&str>) -> Result<Login, BadLogin> {
    match (email_in, phone_in) {
        (Some(e), None) => email(e),
        (None, Some(p)) => phone(p),
        (Some(_), Some(_)) => Err(BadLogin(
            "give either an e-mail address or a phone number, not both".into(),
        )),
        (None, None) => Err(BadLogin(
            "give an e-mail address (email) or a phone number (phone)".into(),
        )),
    }
}

/// A login code as typed: six digits, spaces ignored.
pub fn code(raw: &str) -> Result<String, BadLogin> {
    let c: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if c.len() == super::codes::CODE_DIGITS && c.bytes().all(|b| b.is_ascii_digit()) {
        Ok(c)
    } else {
        Err(BadLogin(
            "the code is the 6 digits of the message we sent".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mail_addresses_are_lower_cased_and_checked() {
        assert_eq!(
            email("  Ana.Lopez@Example.COM ").unwrap(),
            Login::Email("ana.lopez@example.com".into())
        );
        assert_eq!(
            email("a+tickets@mail.example.co.uk").unwrap(),
            Login::Email("a+tickets@mail.example.co.uk".into())
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.com",
            "ana@localhost",
            "ana@@example.com",
            "Ana <ana@example.com>",
            "ana@example.com\r\nBcc: eve@example.com",
            "ana@.example.com",
            "ana@[127.0.0.1]",
        ] {
            assert!(email(bad).is_err(), "{bad:?} accepted");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(email(&long).is_err());
    }

    #[test]
    fn phone_numbers_become_e164() {
        for (raw, want) in [
            ("+44 7700 900123", "+447700900123"),
            ("+1 (555) 010-0199", "+15550100199"),
            ("0044 7700.900.123", "+447700900123"),
            ("\u{a0}+33612345678 ", "+33612345678"),
        ] {
            assert_eq!(phone(raw).unwrap(), Login::Phone(want.into()), "{raw}");
        }
        for bad in [
            "",
            "07700 900123",
            "+0123456789",
            "+12",
            "+44 7700 90012a",
            "+1234567890123456",
        ] {
            assert!(phone(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn exactly_one_of_email_and_phone() {
        assert!(login(Some("a@b.io"), None).is_ok());
        assert!(login(None, Some("+447700900123")).is_ok());
        assert!(login(Some("a@b.io"), Some("+447700900123")).is_err());
        assert!(login(None, None).is_err());
    }

    #[test]
    fn codes_are_six_digits() {
        assert_eq!(code(" 123 456 ").unwrap(), "123456");
        for bad in ["12345", "1234567", "12345a", "", "١٢٣٤٥٦"] {
            assert!(code(bad).is_err(), "{bad:?} accepted");
        }
    }
}
