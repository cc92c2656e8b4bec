//! Money and times as buyers read them in an e-mail.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use sellout_common::money::Money;

use super::EmailError;

/// How many minor units make one major unit of `code` (ISO 4217:
/// 2 for GBP, 0 for JPY, 3 for KWD). Codes ISO 4217 does not know, or
/// gives no exponent (XAU), are refused.
pub fn exponent(code: &str) -> Result<u32, EmailError> {
    iso_currency::Currency::from_code(code)
        .and_then(|c| c.exponent())
        .map(u32::from)
        .ok_or_else(|| EmailError::UnknownCurrency(code.to_owned()))
}

/// The symbol written before the amount. Only symbols that name one
/// currency to an English-speaking buyer are used ("$" alone would be
/// ambiguous between USD, CAD and AUD); every other currency is written
/// with its code, e.g. "CHF 75.00".
fn prefix(code: &str) -> String {
    match code {
        "GBP" => "£".into(),
        "EUR" => "€".into(),
        "USD" => "$".into(),
        "JPY" => "¥".into(),
        "CAD" => "CA$".into(),
        "AUD" => "A$".into(),
        "NZD" => "NZ$".into(),
        "INR" => "₹".into(),
        "KRW" => "₩".into(),
        other => format!("{other}\u{a0}"),
    }
}

/// Formats `money` for people: its currency's symbol (or code), thousands
/// separated by commas, exactly as many decimals as the currency has.
/// GBP 7500 is "£75.00", JPY 5000 "¥5,000", USD -1999 "-$19.99".
pub fn money(money: Money) -> Result<String, EmailError> {
    let code = money.currency.as_str();
    let exp = exponent(code)?;
    let abs = money.minor.unsigned_abs();
    let unit = 10u64.pow(exp);
    let (major, minor) = (abs / unit, abs % unit);
    let digits = major.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if money.minor < 0 { "-" } else { "" };
    let mut out = format!("{sign}{}{grouped}", prefix(code));
    if exp > 0 {
        out.push_str(&format!(".{minor:0width$}", width = exp as usize));
    }
    Ok(out)
}

/// Looks up an IANA time zone such as "Europe/London".
pub fn time_zone(name: &str) -> Result<TimeZone, EmailError> {
    TimeZone::get(name).map_err(|_| EmailError::UnknownTimeZone(name.to_owned()))
}

/// A date as in "Saturday 13 June 2026" in `tz`.
pub fn date(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%A %-d %B %Y").to_string()
}

/// A time of day as in "19:30" in `tz`.
pub fn time(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%H:%M").to_string()
}

/// The zone's abbreviation at `at`, e.g. "BST" (or an offset such as
/// "+0530" where the zone has no abbreviation).
pub fn zone_abbreviation(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%Z").to_string()
}

#[cfg(test)]
mod tests {
    use sellout_common::money::Currency;

    use super::*;

    fn m(minor: i64, code: &str) -> Money {
        Money::new(minor, Currency::parse(code).unwrap())
    }

    #[test]
    fn money_uses_the_currency_exponent_and_symbol() {
        for (minor, code, want) in [
            (7500, "GBP", "£75.00"),
            (5000, "JPY", "¥5,000"),
            (123_456_789, "USD", "$1,234,567.89"),
            (-1999, "USD", "-$19.99"),
            (5, "EUR", "€0.05"),
            (0, "GBP", "£0.00"),
            (1_234_567, "KWD", "KWD\u{a0}1,234.567"),
            (7500, "CHF", "CHF\u{a0}75.00"),
            (100_000, "CAD", "CA$1,000.00"),
            (999, "JPY", "¥999"),
            (i64::MIN, "JPY", "-¥9,223,372,036,854,775,808"),
        ] {
            assert_eq!(money(m(minor, code)).unwrap(), want, "{minor} {code}");
        }
    }

    #[test]
    fn unknown_currencies_are_refused() {
        assert_eq!(
            money(m(100, "ZZZ")),
            Err(EmailError::UnknownCurrency("ZZZ".into()))
        );
        // Gold has no minor unit.
        assert!(money(m(100, "XAU")).is_err());
    }

    #[test]
    fn times_are_shown_in_the_venue_zone() {
        let tz = time_zone("Europe/London").unwrap();
        let at: Timestamp = "2026-06-13T18:30:00Z".parse().unwrap();
        assert_eq!(date(at, &tz), "Saturday 13 June 2026");
        assert_eq!(time(at, &tz), "19:30");
        assert_eq!(zone_abbreviation(at, &tz), "BST");
        let tokyo = time_zone("Asia/Tokyo").unwrap();
        assert_eq!(date(at, &tokyo), "Sunday 14 June 2026");
        assert_eq!(time(at, &tokyo), "03:30");
        assert!(time_zone("Mars/Olympus_Mons").is_err());
    }
}
