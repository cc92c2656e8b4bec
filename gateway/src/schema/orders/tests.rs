use super::*;

#[test]
fn every_stored_state_has_a_graphql_state() {
    for s in store::OrderState::ALL {
        assert_eq!(store::OrderState::from(OrderState::from(s)), s);
    }
}

use crate::schema::promoter::venues::GeoInput;

#[test]
fn the_buyer_is_the_login() {
    let email = Login::Email("ada@example.com".into());
    let b = buyer_for(&email, BuyerInput::default()).unwrap();
    assert_eq!(b.email, "ada@example.com");
    let b = buyer_for(
        &email,
        BuyerInput {
            email: Some(" ADA@example.com ".into()),
            name: Some("Ada".into()),
            phone: Some("+44 7700 900123".into()),
            area: Some(GeoInput {
                latitude: 53.9591,
                longitude: -1.0815,
            }),
        },
    )
    .unwrap();
    assert_eq!(
        (b.email.as_str(), b.phone.as_str()),
        ("ada@example.com", "+447700900123")
    );
    // Only the 0.1-degree cell goes on (rounded down, so west is -11).
    let area = b.area.unwrap();
    assert_eq!((area.lat_tenths, area.lon_tenths), (539, -11));
    for (latitude, longitude) in [(91.0, 0.0), (0.0, -180.5), (f64::NAN, 0.0)] {
        let e = buyer_for(
            &email,
            BuyerInput {
                area: Some(GeoInput {
                    latitude,
                    longitude,
                }),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(e.message.contains("buyer.area."), "{}", e.message);
    }
    assert!(
        buyer_for(
            &email,
            BuyerInput {
                email: Some("eve@example.com".into()),
                ..Default::default()
            }
        )
        .is_err()
    );
    let phone = Login::Phone("+447700900123".into());
    assert!(
        buyer_for(&phone, BuyerInput::default()).is_err(),
        "e-mail needed"
    );
    let b = buyer_for(
        &phone,
        BuyerInput {
            email: Some("ada@example.com".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(b.phone, "+447700900123");
    assert!(
        buyer_for(
            &phone,
            BuyerInput {
                email: Some("ada@example.com".into()),
                phone: Some("+15550100".into()),
                ..Default::default()
            }
        )
        .is_err()
    );
    assert!(
        buyer_for(
            &email,
            BuyerInput {
                phone: Some("0770".into()),
                ..Default::default()
            }
        )
        .is_err()
    );
}
