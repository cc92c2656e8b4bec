//! Ids chosen by callers, and checkout errors.

use sellout_common::proto::v1::{CheckoutError, ErrorCode};

/// A checkout error with `code` and `message` (no availability figure).
pub fn error(code: ErrorCode, message: String) -> CheckoutError {
    CheckoutError {
        code: code as i32,
        message,
        available: 0,
    }
}

/// Ids chosen by callers (orders, holds, refunds): 1 to 100 of
/// `A-Z a-z 0-9 - _` (a UUID fits), so they are safe in subjects, headers,
/// document paths and logs.
pub fn valid_id(what: &str, id: &str) -> Result<(), CheckoutError> {
    let ok = (1..=100).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(error(
            ErrorCode::BadRequest,
            format!("{what} must be 1 to 100 letters, digits, '-' or '_' (use a UUID)"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_short_and_safe_in_subjects_and_headers() {
        for ok in [
            "a",
            "0b5e7c1e-1234-4000-8000-00000000abcd",
            "hold_1",
            &"x".repeat(100),
        ] {
            assert!(valid_id("id", ok).is_ok(), "{ok}");
        }
        for bad in ["", "a.b", "a b", "a\nb", "a*", "a>", "ü", &"x".repeat(101)] {
            let e = valid_id("holdId", bad).unwrap_err();
            assert_eq!(e.code(), ErrorCode::BadRequest, "{bad:?}");
            assert!(e.message.starts_with("holdId must be"), "{}", e.message);
        }
    }
}
