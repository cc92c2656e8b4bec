use super::*;
use sellout_store::orders::TicketDoc;

fn order(total: i64, fee: i64, stripe: i64, prices: &[i64]) -> OrderDoc {
    let tickets: Vec<TicketDoc> = (0..prices.len())
        .map(|i| TicketDoc {
            ticket_id: format!("t{i}"),
            tier: format!("tier{i}"),
            admissions: 1,
            ..Default::default()
        })
        .collect();
    let lines = prices
        .iter()
        .enumerate()
        .map(|(i, p)| LineDoc {
            tier: format!("tier{i}"),
            quantity: 1,
            unit_price: *p,
            amount: *p,
            ..Default::default()
        })
        .collect();
    OrderDoc {
        id: "o".into(),
        state: OrderState::Completed,
        currency: "USD".into(),
        total,
        application_fee: fee,
        stripe_fee: stripe,
        tickets,
        lines,
        ..Default::default()
    }
}

#[test]
fn partial_refunds_keep_the_fees_and_the_last_returns_the_rest() {
    // Three tickets at 20.00; total 66.73 with 2.00 platform fee and
    // 1.73 Stripe fee: 63.00 (face + tax + promoter fees) shared.
    let mut o = order(6673, 200, 173, &[2000, 2000, 2000]);
    let (a, fees) = amount_of(&o, &["t0".into()]);
    assert_eq!((a, fees), (2100, false));
    o.refunded_tickets.push("t0".into());
    o.refunds.insert(
        "r1".into(),
        RefundDoc {
            tickets: vec!["t0".into()],
            amount: a,
            fees_returned: false,
            state: RefundState::Done,
            stripe_refund: None,
            reason: String::new(),
            error: None,
        },
    );
    // The rest: everything not returned yet, fees included.
    let (b, fees) = amount_of(&o, &["t1".into(), "t2".into()]);
    assert_eq!((b, fees), (6673 - 2100, true));
    assert_eq!(a + b, o.total);
}

#[test]
fn shares_follow_the_prices_and_sum_exactly() {
    let o = order(1001, 0, 0, &[1000, 500, 500]);
    let parts: Vec<i64> = ["t0", "t1", "t2"]
        .iter()
        .map(|t| amount_of(&o, &[(*t).to_owned()]).0)
        .collect();
    assert_eq!(parts, vec![501, 250, 250]);
    assert_eq!(parts.iter().sum::<i64>(), 1001);
}
