//! Pricing: from tiers, quantities, discounts, fees and taxes to what the
//! buyer pays and how it splits between promoter, platform and Stripe.
//!
//! Pure and deterministic; integer minor units only (`i64`, products in
//! `i128`), never floats. The order of the steps and the one rounding rule
//! are documented in `docs/pricing.md`:
//!
//! 1. **face**: unit price × quantity per line;
//! 2. **discounts** (promo codes): per ticket / per add-on on each line, per
//!    order on the order's net, allocated to lines by largest remainder;
//!    never more than the face value;
//! 3. **promoter fees** on the net (after discounts) price;
//! 4. **sales tax** on net price plus promoter fees;
//! 5. **platform fees** on the net price (not taxed here);
//! 6. **Stripe fee grossed up**, so that after Stripe's fee and the
//!    platform's application fee the promoter nets exactly net + promoter
//!    fees + tax.
//!
//! Rounding: every percentage is applied once to an integer amount of one
//! line (per-ticket and per-add-on charges) or of the whole order
//! (per-order charges) and rounded half up to a whole minor unit. Flat
//! per-ticket and per-add-on amounts are multiplied by the quantity. A line
//! whose net price is 0 (free or fully discounted) pays no fees; an order
//! whose net is 0 pays no per-order fee and no Stripe fee.

use serde::{Deserialize, Serialize};

/// What a charge (fee, discount or tax) applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// Once per order, on the order's amount.
    Order,
    /// On each admission line (per ticket).
    Ticket,
    /// On each add-on line (parking, merchandise, upgrades).
    AddOn,
}

/// What a line sells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineKind {
    /// Admission tickets (a table counts as one unit).
    Admission,
    /// Add-ons.
    AddOn,
}

impl LineKind {
    fn matches(self, t: Target) -> bool {
        matches!(
            (self, t),
            (LineKind::Admission, Target::Ticket) | (LineKind::AddOn, Target::AddOn)
        )
    }
}

/// An amount: flat in minor units, or a rate in basis points (1/100 %).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Amount {
    /// Minor units: per unit for ticket and add-on targets, once for the
    /// order target.
    Flat(i64),
    /// Basis points of the amount it applies to (250 = 2.5 %).
    Percent(u32),
}

/// A named fee or discount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charge {
    /// Shown to the buyer ("Booking fee", "EARLYBIRD").
    pub name: String,
    /// What it applies to.
    pub target: Target,
    /// How much.
    pub amount: Amount,
}

/// A named sales tax.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tax {
    /// Shown to the buyer ("VAT").
    pub name: String,
    /// What it is charged on: `Ticket` or `AddOn` lines (net price plus
    /// their promoter fees), or `Order`: every line plus per-order
    /// promoter fees.
    pub target: Target,
    /// Rate in basis points.
    pub rate_bps: u32,
}

/// Stripe's processing fee: `percent_bps` of the charged amount (rounded
/// half up) plus `fixed_minor`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StripeRate {
    /// Basis points of the amount charged (below 10,000).
    pub percent_bps: u32,
    /// Fixed part per charge, minor units.
    pub fixed_minor: i64,
}

impl StripeRate {
    /// Stripe's fee on a charge of `total`.
    pub fn fee(&self, total: i64) -> i64 {
        percent(total, self.percent_bps) + self.fixed_minor
    }
}

/// One line of an order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineInput {
    /// Tier name.
    pub tier: String,
    /// Admission or add-on.
    pub kind: LineKind,
    /// Price of one unit, minor units.
    pub unit_price: i64,
    /// Units (at least 1).
    pub quantity: u32,
}

/// Everything a quote depends on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceInput {
    /// The lines, in the order the buyer chose them.
    pub lines: Vec<LineInput>,
    /// Discounts unlocked by the order's promo code.
    pub discounts: Vec<Charge>,
    /// The promoter's fees: the organization's, then the event's.
    pub promoter_fees: Vec<Charge>,
    /// The event's sales taxes.
    pub taxes: Vec<Tax>,
    /// The platform's fees (its schedule, possibly overridden per
    /// organization): paid to the platform as the application fee.
    pub platform_fees: Vec<Charge>,
    /// Stripe's rate; `None` when the order is not paid through Stripe.
    pub stripe: Option<StripeRate>,
    /// A complimentary order (box office): everything is discounted to 0.
    pub complimentary: bool,
}

/// One named amount of a quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// The fee, discount or tax's name.
    pub name: String,
    /// Minor units (never negative; discounts are subtracted).
    pub minor: i64,
}

/// A priced line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineQuote {
    /// Tier name.
    pub tier: String,
    /// Admission or add-on.
    pub kind: LineKind,
    /// Units.
    pub quantity: u32,
    /// Price of one unit before discounts.
    pub unit_price: i64,
    /// unit price × quantity.
    pub face: i64,
    /// Discounts of this line (including its share of per-order ones).
    pub discounts: Vec<Part>,
    /// face − discounts.
    pub net: i64,
    /// Per-ticket / per-add-on promoter fees.
    pub promoter_fees: Vec<Part>,
    /// Ticket / add-on taxes.
    pub taxes: Vec<Part>,
    /// Per-ticket / per-add-on platform fees.
    pub platform_fees: Vec<Part>,
}

/// What the buyer pays and who gets what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// The priced lines.
    pub lines: Vec<LineQuote>,
    /// Per-order promoter fees.
    pub order_promoter_fees: Vec<Part>,
    /// Per-order taxes.
    pub order_taxes: Vec<Part>,
    /// Per-order platform fees.
    pub order_platform_fees: Vec<Part>,
    /// Sum of the lines' face values.
    pub face: i64,
    /// All discounts.
    pub discount: i64,
    /// All promoter fees.
    pub promoter_fees: i64,
    /// All taxes.
    pub tax: i64,
    /// All platform fees (Stripe's `application_fee_amount`).
    pub platform_fees: i64,
    /// What the buyer pays for processing: Stripe's fee on `total`.
    pub stripe_fee: i64,
    /// What the buyer pays.
    pub total: i64,
    /// What the promoter receives: `total − stripe_fee − platform_fees`,
    /// which equals net + promoter fees + tax.
    pub promoter_net: i64,
}

/// Why an order cannot be priced.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    /// No lines.
    #[error("an order needs at least one line")]
    Empty,
    /// A quantity of 0.
    #[error("line {0}: quantity must be at least 1")]
    ZeroQuantity(String),
    /// A negative price or flat amount.
    #[error("{0}: amounts must not be negative")]
    Negative(String),
    /// A rate above 100 % (fees, discounts, taxes), or of 100 % or more
    /// for Stripe.
    #[error("{0}: rate out of range (at most 10000 basis points, below 10000 for Stripe)")]
    Rate(String),
    /// Amounts too large for 64-bit minor units.
    #[error("the order's amounts are too large")]
    Overflow,
}

/// `amount × bps / 10000`, rounded half up (amounts are never negative).
pub fn percent(amount: i64, bps: u32) -> i64 {
    let p = (i128::from(amount) * i128::from(bps) + 5_000) / 10_000;
    i64::try_from(p).unwrap_or(i64::MAX)
}

/// Splits `total` across `weights` in proportion, by largest remainder, so
/// the parts sum to `total` exactly; ties go to the earlier weight. All
/// zero weights: everything to the first.
pub fn allocate(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i128 = weights.iter().map(|w| i128::from(*w)).sum();
    if weights.is_empty() {
        return vec![];
    }
    if sum == 0 {
        let mut out = vec![0; weights.len()];
        out[0] = total;
        return out;
    }
    let t = i128::from(total);
    let mut out: Vec<i64> = Vec::with_capacity(weights.len());
    let mut rems: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let exact = t * i128::from(*w);
        out.push((exact / sum) as i64);
        rems.push((exact % sum, i));
    }
    let mut left = total - out.iter().sum::<i64>();
    rems.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in rems {
        if left == 0 {
            break;
        }
        out[i] += 1;
        left -= 1;
    }
    out
}

fn add(a: i64, b: i64) -> Result<i64, PricingError> {
    a.checked_add(b).ok_or(PricingError::Overflow)
}

fn sum(parts: &[Part]) -> Result<i64, PricingError> {
    parts.iter().try_fold(0, |acc, p| add(acc, p.minor))
}

fn check(input: &PriceInput) -> Result<(), PricingError> {
    if input.lines.is_empty() {
        return Err(PricingError::Empty);
    }
    for l in &input.lines {
        if l.quantity == 0 {
            return Err(PricingError::ZeroQuantity(l.tier.clone()));
        }
        if l.unit_price < 0 {
            return Err(PricingError::Negative(format!("tier {}", l.tier)));
        }
        l.unit_price
            .checked_mul(i64::from(l.quantity))
            .ok_or(PricingError::Overflow)?;
    }
    for c in input
        .discounts
        .iter()
        .chain(&input.promoter_fees)
        .chain(&input.platform_fees)
    {
        match c.amount {
            Amount::Flat(f) if f < 0 => return Err(PricingError::Negative(c.name.clone())),
            Amount::Percent(bps) if bps > 10_000 => {
                return Err(PricingError::Rate(c.name.clone()));
            }
            _ => {}
        }
    }
    if let Some(t) = input.taxes.iter().find(|t| t.rate_bps > 10_000) {
        return Err(PricingError::Rate(t.name.clone()));
    }
    if let Some(s) = input.stripe {
        if s.percent_bps >= 10_000 {
            return Err(PricingError::Rate("Stripe".into()));
        }
        if s.fixed_minor < 0 {
            return Err(PricingError::Negative("Stripe".into()));
        }
    }
    Ok(())
}

/// A line-level charge (flat × quantity, or percent of `base`).
fn line_charge(c: &Charge, base: i64, quantity: u32) -> Result<i64, PricingError> {
    match c.amount {
        Amount::Flat(f) => f
            .checked_mul(i64::from(quantity))
            .ok_or(PricingError::Overflow),
        Amount::Percent(bps) => Ok(percent(base, bps)),
    }
}

fn order_charge(c: &Charge, base: i64) -> i64 {
    match c.amount {
        Amount::Flat(f) => f,
        Amount::Percent(bps) => percent(base, bps),
    }
}

/// Line-level fees (promoter or platform) on each line's net price.
fn line_fees(fees: &[Charge], line: &LineQuote) -> Result<Vec<Part>, PricingError> {
    if line.net == 0 {
        return Ok(vec![]);
    }
    fees.iter()
        .filter(|c| line.kind.matches(c.target))
        .map(|c| {
            Ok(Part {
                name: c.name.clone(),
                minor: line_charge(c, line.net, line.quantity)?,
            })
        })
        .collect()
}

fn order_fees(fees: &[Charge], net: i64) -> Vec<Part> {
    if net == 0 {
        return vec![];
    }
    fees.iter()
        .filter(|c| c.target == Target::Order)
        .map(|c| Part {
            name: c.name.clone(),
            minor: order_charge(c, net),
        })
        .collect()
}

/// Prices an order. See the module documentation for the steps and the
/// rounding rule.
pub fn quote(input: &PriceInput) -> Result<Quote, PricingError> {
    check(input)?;
    // 1. face, 2. line discounts (capped at face).
    let mut lines: Vec<LineQuote> = Vec::with_capacity(input.lines.len());
    for l in &input.lines {
        let face = l.unit_price * i64::from(l.quantity);
        let mut left = face;
        let mut discounts = Vec::new();
        let line_discounts: Vec<Charge> = if input.complimentary {
            vec![Charge {
                name: "Complimentary".into(),
                target: Target::Ticket,
                amount: Amount::Percent(10_000),
            }]
        } else {
            input
                .discounts
                .iter()
                .filter(|c| l.kind.matches(c.target))
                .cloned()
                .collect()
        };
        for c in &line_discounts {
            let d = if input.complimentary {
                left
            } else {
                line_charge(c, face, l.quantity)?.min(left)
            };
            if d > 0 {
                left -= d;
                discounts.push(Part {
                    name: c.name.clone(),
                    minor: d,
                });
            }
        }
        lines.push(LineQuote {
            tier: l.tier.clone(),
            kind: l.kind,
            quantity: l.quantity,
            unit_price: l.unit_price,
            face,
            discounts,
            net: left,
            promoter_fees: vec![],
            taxes: vec![],
            platform_fees: vec![],
        });
    }
    // Per-order discounts, on the net after line discounts, allocated.
    if !input.complimentary {
        for c in input.discounts.iter().filter(|c| c.target == Target::Order) {
            let nets: Vec<i64> = lines.iter().map(|l| l.net).collect();
            let total_net = nets.iter().try_fold(0, |a, n| add(a, *n))?;
            let d = order_charge(c, total_net).min(total_net);
            for (line, share) in lines.iter_mut().zip(allocate(d, &nets)) {
                if share > 0 {
                    line.net -= share;
                    line.discounts.push(Part {
                        name: c.name.clone(),
                        minor: share,
                    });
                }
            }
        }
    }
    let net = lines.iter().try_fold(0, |a, l| add(a, l.net))?;

    // 3. promoter fees, 5. platform fees (both on the net price).
    for line in &mut lines {
        line.promoter_fees = line_fees(&input.promoter_fees, line)?;
        line.platform_fees = line_fees(&input.platform_fees, line)?;
    }
    let order_promoter_fees = order_fees(&input.promoter_fees, net);
    let order_platform_fees = order_fees(&input.platform_fees, net);

    // 4. taxes on net + promoter fees.
    let mut taxable_all = sum(&order_promoter_fees)?;
    for line in &mut lines {
        let base = add(line.net, sum(&line.promoter_fees)?)?;
        taxable_all = add(taxable_all, base)?;
        line.taxes = input
            .taxes
            .iter()
            .filter(|t| base > 0 && line.kind.matches(t.target))
            .map(|t| Part {
                name: t.name.clone(),
                minor: percent(base, t.rate_bps),
            })
            .collect();
    }
    let order_taxes: Vec<Part> = input
        .taxes
        .iter()
        .filter(|t| taxable_all > 0 && t.target == Target::Order)
        .map(|t| Part {
            name: t.name.clone(),
            minor: percent(taxable_all, t.rate_bps),
        })
        .collect();

    let mut discount = 0;
    let mut promoter_fees = sum(&order_promoter_fees)?;
    let mut tax = sum(&order_taxes)?;
    let mut platform_fees = sum(&order_platform_fees)?;
    let mut face = 0;
    for l in &lines {
        face = add(face, l.face)?;
        discount = add(discount, sum(&l.discounts)?)?;
        promoter_fees = add(promoter_fees, sum(&l.promoter_fees)?)?;
        tax = add(tax, sum(&l.taxes)?)?;
        platform_fees = add(platform_fees, sum(&l.platform_fees)?)?;
    }
    let promoter_net = add(add(net, promoter_fees)?, tax)?;
    let before_stripe = add(promoter_net, platform_fees)?;

    // 6. Stripe's fee, grossed up.
    let total = match input.stripe {
        Some(rate) if before_stripe > 0 => gross_up(before_stripe, rate)?,
        _ => before_stripe,
    };
    Ok(Quote {
        lines,
        order_promoter_fees,
        order_taxes,
        order_platform_fees,
        face,
        discount,
        promoter_fees,
        tax,
        platform_fees,
        stripe_fee: total - before_stripe,
        total,
        promoter_net,
    })
}

/// The smallest total `T` with `T − fee(T) ≥ need`. As `T − fee(T)` grows
/// by 0 or 1 per unit of `T`, it is then exactly `need`: the promoter
/// nets what they priced, to the minor unit.
pub fn gross_up(need: i64, rate: StripeRate) -> Result<i64, PricingError> {
    let p = i128::from(rate.percent_bps);
    let numerator = (i128::from(need) + i128::from(rate.fixed_minor)) * 10_000;
    let denominator = 10_000 - p;
    let mut t = i64::try_from((numerator + denominator - 1) / denominator)
        .map_err(|_| PricingError::Overflow)?;
    let nets = |t: i64| t - rate.fee(t);
    while t > 0 && nets(t - 1) >= need {
        t -= 1;
    }
    while nets(t) < need {
        t = add(t, 1)?;
    }
    Ok(t)
}

#[cfg(test)]
mod tests;
