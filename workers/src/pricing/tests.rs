use super::*;
use proptest::prelude::*;

fn line(tier: &str, kind: LineKind, unit_price: i64, quantity: u32) -> LineInput {
    LineInput {
        tier: tier.into(),
        kind,
        unit_price,
        quantity,
    }
}

fn charge(name: &str, target: Target, amount: Amount) -> Charge {
    Charge {
        name: name.into(),
        target,
        amount,
    }
}

fn tax(name: &str, target: Target, rate_bps: u32) -> Tax {
    Tax {
        name: name.into(),
        target,
        rate_bps,
    }
}

const UK: StripeRate = StripeRate {
    percent_bps: 150,
    fixed_minor: 20,
};
const US: StripeRate = StripeRate {
    percent_bps: 290,
    fixed_minor: 30,
};

/// (what, input, face, discount, promoter fees, tax, platform fees,
/// Stripe fee, total). Every row worked out by hand in the comment
/// above it.
#[test]
fn hand_checked_orders() {
    let cases: Vec<(&str, PriceInput, [i64; 7])> = vec![
        // 2 × £75.00. Booking fee 150 × 2 = 300; order processing
        // 2.5 % of 15000 = 375. VAT 20 % of 15000 + 300 + 375 = 15675
        // → 3135. Platform 49 × 2 = 98 + 1 % of 15000 = 150 → 248.
        // Promoter nets 18810, need 19058. Stripe 1.5 % + 20:
        // T = 19369: fee round(290.535) + 20 = 311, 19369 − 311 =
        // 19058; T = 19368 nets 19057. Stripe line 311.
        (
            "two GBP tickets, every kind of charge",
            PriceInput {
                lines: vec![line("weekend", LineKind::Admission, 7500, 2)],
                promoter_fees: vec![
                    charge("Booking fee", Target::Ticket, Amount::Flat(150)),
                    charge("Order processing", Target::Order, Amount::Percent(250)),
                ],
                taxes: vec![tax("VAT", Target::Order, 2000)],
                platform_fees: vec![
                    charge("Platform", Target::Ticket, Amount::Flat(49)),
                    charge("Platform %", Target::Order, Amount::Percent(100)),
                ],
                stripe: Some(UK),
                ..Default::default()
            },
            [15000, 0, 675, 3135, 248, 311, 19369],
        ),
        // 3 × $20.00 with 10 % off tickets → 6000 − 600 = 5400; a $15
        // parking add-on undiscounted. 5 % fee on tickets: 270. Sales
        // tax 8.25 % on tickets: (5400 + 270) × 0.0825 = 467.775 →
        // 468. Promoter nets 5400 + 1500 + 270 + 468 = 7638. Stripe
        // 2.9 % + 30: T = 7897 → fee round(229.013) + 30 = 259, nets
        // 7638; T = 7896 → fee 259, nets 7637. Stripe line 259.
        (
            "USD tickets with a promo code, an add-on, tax on tickets only",
            PriceInput {
                lines: vec![
                    line("ga", LineKind::Admission, 2000, 3),
                    line("parking", LineKind::AddOn, 1500, 1),
                ],
                discounts: vec![charge("SPRING10", Target::Ticket, Amount::Percent(1000))],
                promoter_fees: vec![charge("Service", Target::Ticket, Amount::Percent(500))],
                taxes: vec![tax("Sales tax", Target::Ticket, 825)],
                stripe: Some(US),
                ..Default::default()
            },
            [7500, 600, 270, 468, 0, 259, 7897],
        ),
        // A free ticket with a flat booking fee: free stays free.
        (
            "free ticket pays no fee and no Stripe",
            PriceInput {
                lines: vec![line("crew", LineKind::Admission, 0, 1)],
                promoter_fees: vec![charge("Booking fee", Target::Ticket, Amount::Flat(150))],
                platform_fees: vec![charge("Platform", Target::Order, Amount::Flat(99))],
                stripe: Some(UK),
                ..Default::default()
            },
            [0, 0, 0, 0, 0, 0, 0],
        ),
        // 500 off the order, split over 2000 and 1000 by largest
        // remainder: 333.33 → 333, 166.67 → 167. No fees, no Stripe.
        (
            "per-order discount allocated across lines",
            PriceInput {
                lines: vec![
                    line("ga", LineKind::Admission, 1000, 2),
                    line("parking", LineKind::AddOn, 1000, 1),
                ],
                discounts: vec![charge("FIVEOFF", Target::Order, Amount::Flat(500))],
                ..Default::default()
            },
            [3000, 500, 0, 0, 0, 0, 2500],
        ),
        // ¥5000 (no minor unit below the yen). Stripe 3.6 %: T = 5187 →
        // fee round(186.732) = 187, nets 5000; T = 5186 → 187, 4999.
        (
            "JPY, zero-decimal currency",
            PriceInput {
                lines: vec![line("s", LineKind::Admission, 5000, 1)],
                stripe: Some(StripeRate {
                    percent_bps: 360,
                    fixed_minor: 0,
                }),
                ..Default::default()
            },
            [5000, 0, 0, 0, 0, 187, 5187],
        ),
        // A discount larger than the price stops at the price.
        (
            "discount capped at face value",
            PriceInput {
                lines: vec![line("ga", LineKind::Admission, 1000, 2)],
                discounts: vec![charge("BIG", Target::Ticket, Amount::Flat(1500))],
                promoter_fees: vec![charge("Fee", Target::Ticket, Amount::Flat(100))],
                stripe: Some(US),
                ..Default::default()
            },
            [2000, 2000, 0, 0, 0, 0, 0],
        ),
        // Box office comp: everything discounted, nothing charged.
        (
            "complimentary order",
            PriceInput {
                lines: vec![line("vip", LineKind::Admission, 240000, 1)],
                promoter_fees: vec![charge("Fee", Target::Order, Amount::Flat(100))],
                taxes: vec![tax("VAT", Target::Order, 2000)],
                stripe: Some(UK),
                complimentary: true,
                ..Default::default()
            },
            [240000, 240000, 0, 0, 0, 0, 0],
        ),
    ];
    for (what, input, want) in cases {
        let q = quote(&input).unwrap_or_else(|e| panic!("{what}: {e}"));
        let got = [
            q.face,
            q.discount,
            q.promoter_fees,
            q.tax,
            q.platform_fees,
            q.stripe_fee,
            q.total,
        ];
        assert_eq!(got, want, "{what}: {q:#?}");
        assert_eq!(
            q.promoter_net,
            q.face - q.discount + q.promoter_fees + q.tax,
            "{what}"
        );
    }
}

#[test]
fn allocation_is_exact_and_deterministic() {
    assert_eq!(allocate(500, &[2000, 1000]), [333, 167]);
    assert_eq!(allocate(2, &[1, 1, 1]), [1, 1, 0], "ties go to the earlier");
    assert_eq!(allocate(7, &[0, 0]), [7, 0]);
    assert_eq!(allocate(0, &[5, 5]), [0, 0]);
}

#[test]
fn bad_input_is_refused_with_what_to_fix() {
    let ok = PriceInput {
        lines: vec![line("ga", LineKind::Admission, 1000, 1)],
        ..Default::default()
    };
    assert_eq!(
        quote(&PriceInput::default()).unwrap_err(),
        PricingError::Empty
    );
    let mut zero = ok.clone();
    zero.lines[0].quantity = 0;
    assert_eq!(
        quote(&zero).unwrap_err(),
        PricingError::ZeroQuantity("ga".into())
    );
    let mut negative = ok.clone();
    negative.lines[0].unit_price = -1;
    assert!(matches!(
        quote(&negative).unwrap_err(),
        PricingError::Negative(_)
    ));
    let mut huge = ok.clone();
    huge.lines[0].unit_price = i64::MAX;
    huge.lines[0].quantity = 2;
    assert_eq!(quote(&huge).unwrap_err(), PricingError::Overflow);
    let mut fee = ok.clone();
    fee.promoter_fees = vec![charge("Fee", Target::Ticket, Amount::Percent(10_001))];
    assert_eq!(quote(&fee).unwrap_err(), PricingError::Rate("Fee".into()));
    let mut vat = ok.clone();
    vat.taxes = vec![tax("VAT", Target::Order, u32::MAX)];
    assert_eq!(quote(&vat).unwrap_err(), PricingError::Rate("VAT".into()));
    let mut stripe = ok;
    stripe.stripe = Some(StripeRate {
        percent_bps: 10_000,
        fixed_minor: 0,
    });
    assert!(matches!(quote(&stripe).unwrap_err(), PricingError::Rate(_)));
}

fn arb_target() -> impl Strategy<Value = Target> {
    prop_oneof![
        Just(Target::Order),
        Just(Target::Ticket),
        Just(Target::AddOn)
    ]
}

fn arb_charge() -> impl Strategy<Value = Charge> {
    (
        arb_target(),
        prop_oneof![
            (0i64..5_000).prop_map(Amount::Flat),
            (0u32..=10_000).prop_map(Amount::Percent)
        ],
    )
        .prop_map(|(target, amount)| Charge {
            name: "c".into(),
            target,
            amount,
        })
}

fn arb_input() -> impl Strategy<Value = PriceInput> {
    (
        prop::collection::vec(
            (
                prop_oneof![Just(LineKind::Admission), Just(LineKind::AddOn)],
                0i64..1_000_000,
                1u32..20,
            ),
            1..5,
        ),
        prop::collection::vec(arb_charge(), 0..3),
        prop::collection::vec(arb_charge(), 0..3),
        prop::collection::vec((arb_target(), 0u32..3_000), 0..3),
        prop::collection::vec(arb_charge(), 0..3),
        prop::option::of((0u32..1_000, 0i64..100)),
        prop::bool::weighted(0.05),
    )
        .prop_map(
            |(lines, discounts, promoter_fees, taxes, platform_fees, stripe, comp)| PriceInput {
                lines: lines
                    .into_iter()
                    .enumerate()
                    .map(|(i, (kind, p, q))| line(&format!("t{i}"), kind, p, q))
                    .collect(),
                discounts,
                promoter_fees,
                taxes: taxes
                    .into_iter()
                    .map(|(target, rate_bps)| tax("t", target, rate_bps))
                    .collect(),
                platform_fees,
                stripe: stripe.map(|(percent_bps, fixed_minor)| StripeRate {
                    percent_bps,
                    fixed_minor,
                }),
                complimentary: comp,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// The parts always sum to the total, nothing is negative, and the
    /// promoter nets exactly what they priced.
    #[test]
    fn parts_sum_to_the_total(input in arb_input()) {
        let q = quote(&input).unwrap();
        let mut parts = 0i64;
        for l in &q.lines {
            let d: i64 = l.discounts.iter().map(|p| p.minor).sum();
            prop_assert_eq!(l.face, l.unit_price * i64::from(l.quantity));
            prop_assert_eq!(l.net, l.face - d);
            prop_assert!(l.net >= 0 && d >= 0);
            parts += l.net
                + l.promoter_fees.iter().map(|p| p.minor).sum::<i64>()
                + l.taxes.iter().map(|p| p.minor).sum::<i64>()
                + l.platform_fees.iter().map(|p| p.minor).sum::<i64>();
            for p in l.discounts.iter().chain(&l.promoter_fees).chain(&l.taxes).chain(&l.platform_fees) {
                prop_assert!(p.minor >= 0);
            }
        }
        for p in q.order_promoter_fees.iter().chain(&q.order_taxes).chain(&q.order_platform_fees) {
            prop_assert!(p.minor >= 0);
            parts += p.minor;
        }
        parts += q.stripe_fee;
        prop_assert_eq!(parts, q.total);
        prop_assert_eq!(q.total, q.face - q.discount + q.promoter_fees + q.tax + q.platform_fees + q.stripe_fee);
        prop_assert_eq!(q.promoter_net, q.total - q.stripe_fee - q.platform_fees);
        prop_assert!(q.stripe_fee >= 0);
        if let Some(rate) = input.stripe && q.total > 0 {
            // Stripe's actual fee on the total is exactly what the
            // buyer was charged for it.
            prop_assert_eq!(rate.fee(q.total), q.stripe_fee);
        }
        if input.complimentary || q.face - q.discount == 0 {
            prop_assert_eq!(q.total, 0);
        }
    }

    #[test]
    fn allocation_sums_exactly(total in 0i64..1_000_000, weights in prop::collection::vec(0i64..1_000_000, 1..8)) {
        let parts = allocate(total, &weights);
        prop_assert_eq!(parts.iter().sum::<i64>(), total);
        prop_assert!(parts.iter().all(|p| *p >= 0));
    }
}
