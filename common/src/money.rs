//! Money in integer minor units. Sellout never stores or computes money as
//! a float.

use std::fmt;

use crate::proto::v1 as pb;

/// An ISO 4217 currency code: exactly three ASCII upper-case letters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// Parses a code such as `"USD"`. Lower case is rejected rather than
    /// silently fixed, so a typo in a manifest is seen where it was made.
    pub fn parse(code: &str) -> Result<Self, MoneyError> {
        let b = code.as_bytes();
        if b.len() == 3 && b.iter().all(u8::is_ascii_uppercase) {
            Ok(Self([b[0], b[1], b[2]]))
        } else {
            Err(MoneyError::BadCurrency(code.to_owned()))
        }
    }

    /// The three-letter code.
    pub fn as_str(&self) -> &str {
        // Only ASCII upper-case letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An amount in minor units of one currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Money {
    /// Amount in minor units (cents for USD).
    pub minor: i64,
    /// The amount's currency.
    pub currency: Currency,
}

impl Money {
    /// An amount of `minor` units of `currency`.
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// Adds two amounts of the same currency; fails on a currency mismatch
    /// or an overflow instead of wrapping.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(self.currency, other.currency));
        }
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, self.currency))
    }
}

impl From<Money> for pb::Money {
    fn from(m: Money) -> Self {
        pb::Money {
            amount_minor: m.minor,
            currency: m.currency.to_string(),
        }
    }
}

impl TryFrom<pb::Money> for Money {
    type Error = MoneyError;
    fn try_from(m: pb::Money) -> Result<Self, MoneyError> {
        Ok(Money::new(m.amount_minor, Currency::parse(&m.currency)?))
    }
}

/// Invalid money arithmetic or input.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Not an ISO 4217 code.
    #[error(
        "{0:?} is not a currency code: use three upper-case letters such as \"USD\" or \"EUR\""
    )]
    BadCurrency(String),
    /// Two amounts in different currencies were combined.
    #[error("cannot combine amounts in {0} and {1}")]
    CurrencyMismatch(Currency, Currency),
    /// The result does not fit in 64 bits.
    #[error("amount out of range")]
    Overflow,
}

#[cfg(test)]
mod tests {
    use prost::Message;

    use super::*;

    #[test]
    fn currency_codes_are_three_upper_case_letters() {
        assert_eq!(Currency::parse("USD").unwrap().as_str(), "USD");
        for bad in ["usd", "US", "USDD", "U$D", ""] {
            assert_eq!(
                Currency::parse(bad),
                Err(MoneyError::BadCurrency(bad.into()))
            );
        }
    }

    #[test]
    fn adding_checks_currency_and_overflow() {
        let usd = Currency::parse("USD").unwrap();
        let eur = Currency::parse("EUR").unwrap();
        assert_eq!(
            Money::new(150, usd).checked_add(Money::new(-50, usd)),
            Ok(Money::new(100, usd))
        );
        assert_eq!(
            Money::new(1, usd).checked_add(Money::new(1, eur)),
            Err(MoneyError::CurrencyMismatch(usd, eur))
        );
        assert_eq!(
            Money::new(i64::MAX, usd).checked_add(Money::new(1, usd)),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn protobuf_round_trip() {
        let m = Money::new(-2599, Currency::parse("EUR").unwrap());
        let bytes = pb::Money::from(m).encode_to_vec();
        let back = Money::try_from(pb::Money::decode(bytes.as_slice()).unwrap()).unwrap();
        assert_eq!(back, m);
        let bad = pb::Money {
            amount_minor: 1,
            currency: "euro".into(),
        };
        assert!(Money::try_from(bad).is_err());
    }
}
